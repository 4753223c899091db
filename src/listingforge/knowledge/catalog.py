"""``CatalogKnowledge``: what a catalog's words claim, learned once, shared by the generators and the checks.

``fit(products)`` learns, from the catalog's own data and the packaged word lists:
- ``lexicon_``: every value a text could claim, typed (男士 is a gender, 纯棉 a material, 包邮 a service), and the
  catalog's brands — the checks find claims with it, the generators add only what it lets them prove;
- ``brands_``: the one brand finder (brands.py): the product's own brand, from its data or its title's lead, and
  the brands a text names, each as its own or as what an accessory fits ("Compatible with Samsung");
- ``product_words_``: the product words the catalog uses, and per category the one most titles use;
- ``title_rate_`` / ``title_position_``: how often sellers put an attribute in their titles, and where;
- ``phrasing_``: how a value reads in titles ("2020年秋季" → "秋季", "Sansui/山水" → "山水");
- ``title_df_``: in how many titles each attribute value is written — the sellers' own search vocabulary;
- ``search_words_``: per product word, the words its titles use that state no fact (新款, 百搭);
- ``brand_form_``: which form of a two-script brand sellers write (full, CJK part, Latin part);
- ``segmenter_``: jieba with the catalog's brands and values added;
- ``lm_``: a character language model of the catalog's titles (how natural a text reads).

``facts(product)`` gives one product's facts as the generators and checks need them (``ProductFacts``).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

from ..errors import NotFittedError
from ..product import Product
from ..text.find import whole_word
from ..text.lang import cjk_count, detect_lang
from ..text.normalize import BRACKET_NOTE, normalize_text
from ..text.segment import Segmenter
from .brands import BrandFinder, declared_brand, split_forms
from .lexicon import GLOSS, Lexicon
from .lm import CharLM
from .product_words import SETS, VALUE_PARTS, ProductWords, names_a_fitted_model, noun_head
from .types import CONTRADICTING, AttributeTypes, is_band, load_types

VERSION = 1
_PRIOR, _PRIOR_WEIGHT = 0.3, 3.0
_LEADING_YEAR = re.compile(r"^(?:19|20)\d\d\s*年?\s*(?=\D)")  # "2021年秋季" says "秋季" in a title
# a model value no buyer searches by: an export's row id ("MKV0Z_1640373804456")
_ROW_ID = re.compile(r"_\d{6,}")
# a shop's code with a colour ("1006黑色", "A013#黑色", "绿色（BZY-1004）") is no part of the colour
# (a count of pieces, "30片散装", is a pack, not a code)
_COLOUR_CODE = re.compile(r"^[A-Za-z]{0,2}\d{2,}[#\-_. ]*(?=[\u4e00-\u9fff])(?![片支瓶袋盒包个只粒贴件套双对张条])"
                          r"|\s*[（(][A-Za-z0-9\-_.# ]+[)）]\s*$"
                          r"|(?<=[\u4e00-\u9fff])[#\-_ ]?\d{3,}爆?$")  # and after it: "黑色5185", "黑色套装897爆"
# a run of symbols set off from a value by a space ("黑灰色 %~"): an export's debris, not part of what a title says
_EDGE_DEBRIS = re.compile(r"^[^\w\u4e00-\u9fff]+\s+|\s+[^\w\u4e00-\u9fff]+$")
# a colour variant's code after a model ("P70D20N1P-G5(W0)"): the model is the code before it, which a title prints
_MODEL_VARIANT = re.compile(r"\s*[（(][A-Za-z0-9]{1,3}[)）]\s*$")
# a fit's form word: titles say 修身, 宽松, 直筒 where the export says 修身型, 宽松型, 直筒型
_FIT_FORM = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?<!版)型$")
# a county's rank: titles say 德化 where the export says 德化县 (a city or a province keeps its 市 or 省: bare, 北京
# and 浙江 are words titles use for other things, and the maker's city is rarely what a buyer searches)
_COUNTY = re.compile(r"(?<=[\u4e00-\u9fff]{2})县$")
# what a title leaves out of a value of each type
_AS_TITLES_SAY = {"launch": _LEADING_YEAR, "colour": _COLOUR_CODE, "model": _MODEL_VARIANT, "fit": _FIT_FORM,
                  "origin": _COUNTY}
# a slash inside a lens's aperture ("EF 24-70mm f/2.8L II USM") or a Latin code's ratio ("50/1.8D") joins one code;
# between digits in a value with Chinese it lists models ("华为Nova5/5pro")
_STOP_SLASH = re.compile(r"(?i)(?<=\bf)/(?=\d)")
_RATIO_SLASH = re.compile(r"(?i)(?<=\d)/(?=\d+(?:\.\d+)?[a-z]*$)")
_KEPT_SLASH = "\x00"
# a shop's code joined to a value's end ("摩可纳榛果风味-135967"): no part of what the value says
_TRAILING_CODE = re.compile(r"(?<=[\u4e00-\u9fff])[-_#]\d{5,}$")
_YES_KEY = "=是"  # the key of an attribute's yes answers among the rates: 是否可躺=是
# a range whose two ends carry one unit: titles write the unit once ("1人-2人" → 1-2人, "3L-8L" → 3-8L)
_UNIT_TWICE = re.compile(r"^(\d+(?:\.\d+)?)([\u4e00-\u9fffA-Za-z]{1,3})\s*([-~～])\s*(\d+(?:\.\d+)?)\2$")
_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# a count in the general measure word ("3个", "20个以上") of a part reads as a count of the product; with the noun
# its attribute counts (抽屉数量, 灯头个数) it reads as sellers write it: "3个抽屉". 个数=3个 counts the product itself
# (a set of three bowls); a count of accessories says nothing of it
_BARE_COUNT = re.compile(r"\d+\s*个(?:以上|以下)?")
_COUNTED = re.compile(r"^([\u4e00-\u9fff]{0,4})(?:数量|个数)$")
_VAGUE_COUNTS = frozenset({"配件", "套餐", "包装"})


def _counted(name: str, count: str) -> str | None:
    """"3个抽屉" for 抽屉数量=3个, "3个" for 个数=3个; None where the name counts nothing a title names."""
    m = _COUNTED.match(name.strip())
    return f"{count}{m.group(1)}" if m and m.group(1) not in _VAGUE_COUNTS else None
# a variant's name before its colour, or a path to a kind ("正宗不糊底-月白色", "机械机芯-自动机械机芯"): the last part
# says it
_VARIANT_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,}-(?=[\u4e00-\u9fff]{2,}$)")
_PLACE_ENDS = ("省", "市", "县", "区", "州", "镇", "自治区")
_PACK = re.compile(r"1\s*[x×*]\s*(\d+)\s*[x×*]\s*(\d+(?:\.\d+)?)\s*(g|ml|克|毫升|kg|l)", re.IGNORECASE)
# how a registry ends a province, a city or a county (not 镇 or 州, which end names: 景德镇, 杭州)
_ADMIN_ENDS = ("省", "市", "县", "自治区", "地区")
# an age group needs this many catalog titles of products stating it under one attribute, and at most this share of
# them printing it, before it counts as the buyer every such product has (适用对象=青年 on shoes: 2 of 95 print it)
_MIN_AUDIENCE, _UNSAID_SHARE = 10, 0.1
# a launch season ("2021年秋季") is a title word for clothes and shoes (sellers write 秋季, 秋冬 in 60–100% of them on
# OpenBG) and none for phones, watches, rings or air conditioners (0 of 10–21 each): per kind, this many titles with a
# launch season, at most _UNSAID_SHARE of them printing a season, and the season is no fact for its titles
_MIN_UNSEASONED = 5
_SEASON_WORD = re.compile(r"[春夏秋冬][季装款天]|春秋|秋冬|春夏|四季")


def _rated(name: str, value: str, types: AttributeTypes) -> tuple[str, str, bool]:
    """The key a value is rated under, the value as a title says it, and whether it is a yes to a form's question: a
    yes is rated apart from the attribute's other values (是否含糖=是 beside 是否含糖=无糖) and said as its feature
    (是否可躺=是 → "是否可躺=是", "可躺", True)."""
    said = types.answered(name, value)
    return (name + _YES_KEY, said, True) if said != value else (name, value, False)


def _season_group(kind: str) -> str:
    """The kind of kind whose titles tell whether a launch season is printed: 双肩包 and 斜挎包 are bags alike."""
    return noun_head(kind) or kind


def _sex_of(value: str, types: AttributeTypes) -> str | None:
    """男 or 女 for a value that is a word for one sex and nothing else (女性, 男士; not 男女通用, not 女童)."""
    forms = types.forms.get(value.strip().lower(), ())
    said = {f.canonical for f in forms if f.type == "gender"}
    return said.pop() if len(said) == 1 and said <= {"男", "女"} and all(f.type == "gender" for f in forms) else None


def _is_age_group(value: str, types: AttributeTypes) -> bool:
    return any(f.type == "age_group" for f in types.forms.get(GLOSS.sub("", value.strip().lower()), ()))


def _names(value: str) -> list[str]:
    """The names of a value written "A/B" (up to four, none with a digit: "P7/A7", "F/1.8", "7/8" are models and
    measures); [] for any other value."""
    names = [n.strip() for n in value.split("/")]
    if not 2 <= len(names) <= 4 or any(not n or any(c.isdigit() for c in n) for n in names):
        return []
    return names


def two_scripts(value: str) -> tuple[str, str] | None:
    """("Apple", "苹果") for "Apple/苹果" or "苹果/Apple": one name in Latin letters and one in Chinese characters
    only; None for any other value ("苹果x/xs" names two models)."""
    names = _names(value)
    if len(names) != 2:
        return None
    latin = [n for n in names if not cjk_count(n)]
    chinese = [n for n in names if cjk_count(n) == len(n.replace(" ", ""))]
    return (latin[0], chinese[0]) if len(latin) == 1 and len(chinese) == 1 else None


def _machine_code(value: str) -> bool:
    """An export's row id, or a generated key ("F35LzmvepN5S", "t5jgTrmL5K": both cases, digits, and letters
    with almost no vowels, which a model name such as "XiaoMi12Pro" or "Mate40Pro5G" has)."""
    if _ROW_ID.search(value):
        return True
    if len(value) < 8 or not value.isascii() or not value.isalnum() or not any(c.isdigit() for c in value):
        return False
    letters = [c for c in value if c.isalpha()]
    lower = sum(c.islower() for c in letters)
    vowels = sum(c in "aeiouyAEIOUY" for c in letters)
    return lower >= 3 and lower < len(letters) and vowels < 0.25 * len(letters)


@dataclass(frozen=True)
class Fact:
    """One attribute a title may state: the value as the product gives it and as a title says it."""

    name: str
    value: str
    text: str  # how a title says it ("秋季" for "2020年秋季")
    type: str | None  # gender, material … (None: an attribute the types do not know)
    rate: float  # how often the catalog's sellers put this attribute in their titles; -1: never seen
    position: float  # where in a title they put it, 0 = start
    df: int = 0  # in how many of the catalog's titles the value, as titles say it, is written
    asked: bool = False  # a yes to a form's question (是否可躺=是), said as the feature asked about ("可躺")

    @property
    def evidence(self) -> str:
        return f"attribute {self.name}={self.value}"


@dataclass
class ProductFacts:
    """What one product states, for the generators (what to say) and the checks (what it may claim)."""

    product: Product
    lang: str
    brand: str | None  # as the product gives it ("Sansui/山水")
    brand_text: str | None  # as its titles should write it ("山水")
    product_words: list[tuple[str, str]]  # (word, evidence), most trusted first
    facts: list[Fact]
    source: str  # everything the product states (attributes, brand, category, description), lower case
    typed: dict[str, set[str]] = field(default_factory=dict)  # type → the canonical values it states
    # what the steps of the flow work out from these facts, kept with them for the other steps (the flow's
    # per-product cache: it lives as long as the product's turn, never across products)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)


def source_text(p: Product, *, include_title: bool = False, include_description: bool = True) -> str:
    """Everything the seller stated about the product, as one lower-cased string (the evidence)."""
    parts = [p.brand or "", p.category or ""]
    parts += [f"{name} {value}" for name, value in p.attributes]
    if include_title and p.title:
        parts.append(p.title)
    if include_description and p.description:
        parts.append(p.description)
    return " | ".join(parts).lower()


def find_phrasing(value: str, title_low: str, bounds: set[int] | None = None) -> str | None:
    """How ``value`` shows in a title: itself, its longest part ("Sansui/山水" → "山水"), or its longest suffix
    or prefix of two or more characters ("2020年秋季" → "秋季"), as whole words of the title when its word
    ``bounds`` are given ("牛仔布" is not phrased "牛仔" by a title that says "牛仔裤"); None when not said."""
    v = value.strip()
    if v.lower() in title_low:
        return v
    parts = sorted({p.strip() for p in VALUE_PARTS.split(v) if len(p.strip()) >= 2}, key=lambda p: (-len(p), p))
    for p in parts:
        if _whole(p.lower(), title_low, bounds):
            return p
    for n in range(len(v) - 1, 1, -1):
        for cand in (v[-n:], v[:n]):
            if any(c.isalpha() for c in cand) and _whole(cand.lower(), title_low, bounds):
                return cand
    return None


_OPTION_NOTE = re.compile(r"^[^A-Za-z0-9-]+-(?=[\u4e00-\u9fff]{2,}[A-Za-z0-9])")


def _drops_a_model(value: str, form: str) -> bool:
    """Whether a title's shorter ``form`` of a list of models leaves one out ("xs" of 苹果x/xs, "8plus" of
    苹果7plus/8plus) or cuts a model's code ("苹果11" of 苹果11Promax, another phone)."""
    v, low = value.strip().lower(), form.strip().lower()
    i = v.find(low)
    if i < 0 or low == v:
        return False
    coded = [p for p in v.split("/") if any(c.isascii() and c.isalnum() for c in p)]
    return len(coded) >= 2 or not whole_word(v, i, i + len(low))


def _left_out(value: str, form: str) -> str | None:
    """What a title's shorter ``form`` of ``value`` leaves out, when it cuts the value's start or end ("水晶" of
    水晶吊灯 → 吊灯); a part of a list of names ("MIUI/小米" → 小米) leaves out another name, not a word: None."""
    v, low = value.strip().lower(), form.lower()
    if any(low == p.strip() for p in VALUE_PARTS.split(v)) or low in v.split():
        return None
    i = v.find(low)
    rest = (v[:i] + v[i + len(low):]).strip() if i >= 0 else ""
    # a classifier's one character (转盘式 → 转盘) says nothing more, and a code ("4G" of 4G全网通) is said by other
    # values too ("骁龙778G 4G")
    return rest if len(rest) >= 2 and cjk_count(rest) else None


def _whole(phrase: str, text: str, bounds: set[int] | None) -> bool:
    """``phrase`` occurs in ``text`` starting and ending where words start or end (anywhere without bounds)."""
    at = text.find(phrase)
    while at >= 0:
        if bounds is None or (at in bounds and at + len(phrase) in bounds):
            return True
        at = text.find(phrase, at + 1)
    return False


class CatalogKnowledge:
    """Fit once per catalog; shared (not copied) by compose, optimize, shorten and the checker."""

    def __init__(self, *, min_phrasing: int = 2, min_group: int = 3, user_words: Iterable[str] = ()) -> None:
        self.min_phrasing = min_phrasing  # titles that must agree before a value's phrasing is learned
        self.min_group = min_group  # titles of one kind of product before its search words are learned
        self.user_words = list(user_words)

    # ------------------------------------------------------------------ fitting
    def fit(self, products: Iterable[Product]) -> CatalogKnowledge:
        types = load_types()
        self._value_texts: dict[tuple[str, str], str] = {}
        prods = list(products)
        self.lexicon_ = Lexicon().fit(prods)
        self.brands_ = BrandFinder().fit(prods)
        self.product_words_ = ProductWords().fit(prods, types)
        words = set(self.user_words)
        for p in prods:
            b = declared_brand(p)
            if b:
                words.update(split_forms(b))
            words.update(v for _k, v in p.attributes if 2 <= len(v) <= 8 and not types.is_empty(v))
        words.update(w for w in self.product_words_.words_ if len(w) >= 2)
        self.segmenter_ = Segmenter(words)

        titled = [p for p in prods if p.title]
        known = self.product_words_.known()
        seen: Counter[str] = Counter()
        hit: Counter[str] = Counter()
        pos: defaultdict[str, float] = defaultdict(float)
        phrase: defaultdict[str, Counter[str]] = defaultdict(Counter)
        spelt: defaultdict[str, Counter[str]] = defaultdict(Counter)  # the same, with what the form leaves out elsewhere
        brand_form: Counter[str] = Counter()
        audience_seen: Counter[str] = Counter()  # "适用对象|青年": titles of products stating it, and printing it
        audience_hit: Counter[str] = Counter()
        launch_seen: Counter[str] = Counter()  # per kind (its product word): titles of products with a launch season,
        launch_said: Counter[str] = Counter()  # and those that print a season
        kinds: list[str | None] = []  # each titled product's kind: its first product word, lower case
        for p in titled:
            words = self.product_words_.of(p, types)
            kind = words[0][0].lower() if words else None
            kinds.append(kind)
            title = normalize_text(p.title or "")
            low = title.lower()
            n = max(len(title), 1)
            bounds = {x for _t, a, b in self.segmenter_.spans(title) for x in (a, b)}
            forms = split_forms(declared_brand(p) or "")
            if len(forms) > 1:  # a brand of one form ("自然堂") says nothing of which form sellers prefer
                shown = next((i for i, f in enumerate(forms) if f.lower() in low), None)
                brand_form["none" if shown is None else "full" if shown == 0
                           else "cjk" if cjk_count(forms[shown]) else "latin"] += 1
            for k, v in p.attributes:
                k, v, asked = _rated(k, v, types)
                # a search band ("21L(含)-30L(含)" beside 容量=30L), which no title prints, says nothing
                # of how often sellers print the attribute
                if types.type_of(k) == "brand" or types.is_empty(v) or is_band(v):
                    continue
                seen[k] += 1
                # a feature asked about counts as said only whole: lamps' titles say "光源" of 灯具带光源, "不带光源" too
                form = (v if v.lower() in low else None) if asked else find_phrasing(v, low, bounds)
                if form and names_a_fitted_model(k) and _drops_a_model(v, form):
                    form = v  # said whole: the shorter form named one phone of a list, or another phone
                phrase[v][form or ""] += 1
                rest = _left_out(v, form) if form is not None else None
                if rest and rest in low and not known.head_of(form) and not known.head_of(rest):
                    spelt[v][form] += 1
                if form is not None:
                    hit[k] += 1
                    pos[k] += low.find(form.lower()) / n
                if _is_age_group(v, types):
                    key = f"{k.strip().lower()}|{v.strip().lower()}"
                    audience_seen[key] += 1
                    audience_hit[key] += form is not None
            if kind and any(types.type_of(k) == "launch" for k, _v in p.attributes):
                group = _season_group(kind)
                launch_seen[group] += 1
                launch_said[group] += bool(_SEASON_WORD.search(title))
        self.n_titles_ = len(titled)
        # a rate from a few titles is shrunk towards a plain prior: 1 title of 1 is not "always"
        # a feature a form asks about (是否可躺=是) gets no prior: it is said only where the catalog's sellers say it
        self.title_rate_ = {k: round((hit[k] + (0.0 if k.endswith(_YES_KEY) else _PRIOR) * _PRIOR_WEIGHT)
                                     / (c + _PRIOR_WEIGHT), 4) for k, c in seen.items()}
        self.title_position_ = {k: pos[k] / hit[k] for k in hit}
        self.unsaid_audiences_ = frozenset(k for k, c in audience_seen.items()
                                           if c >= _MIN_AUDIENCE and audience_hit[k] <= _UNSAID_SHARE * c)
        self.unseasoned_kinds_ = frozenset(k for k, c in launch_seen.items()
                                           if c >= _MIN_UNSEASONED and launch_said[k] <= _UNSAID_SHARE * c)
        self.phrasing_ = {}
        for v, c in phrase.items():
            form, cnt = c.most_common(1)[0]
            # a shorter form stands for the value only where its titles do not say the rest elsewhere: sellers drop
            # 股份有限公司 and 2020年, but a title with 吊灯 and 水晶 apart still calls it a crystal lamp
            if form and form != v and cnt >= self.min_phrasing and cnt >= 0.5 * sum(c.values()) \
                    and spelt[v][form] < 0.5 * cnt:
                self.phrasing_[v] = form
        total = sum(brand_form.values()) or 1
        self.brand_form_ = {k: v / total for k, v in brand_form.items()}
        self.title_df_ = self._title_df(prods, titled, types)
        self.search_words_ = self._search_words(titled, kinds, types)
        self.lm_ = CharLM().fit(p.title or "" for p in titled)
        return self

    def _search_words(self, titled: list[Product], kinds: list[str | None],
                      types: AttributeTypes) -> dict[str, list[tuple[str, float]]]:
        """Per product word, the words its titles use that state no fact (新款, 百搭, "stylish" — the packaged
        claim-free list, which the lexicon must not know as a value either), used by a fifth or more of that
        product's titles. Learned within one kind of product only, so a hair mask never borrows a word from a
        hat. ``kinds``: each titled product's first product word (lower case), None where nothing names it."""
        group_df: defaultdict[str, Counter[str]] = defaultdict(Counter)
        n_group: Counter[str] = Counter()
        for p, kind in zip(titled, kinds, strict=True):
            if kind:
                group_df[kind].update({t.lower() for t in self.segmenter_.cut(normalize_text(p.title or ""))})
                n_group[kind] += 1
        known_products = self.product_words_.known().words
        out = {}
        for group, counts in sorted(group_df.items()):
            n = n_group[group]
            if n < self.min_group or group in SETS:  # "套装" alone names no kind: 洋气 of tracksuits is no hand cream's
                continue
            picked = [(w, round(c / n, 3)) for w, c in counts.items()
                      if c >= self.min_group and c / n >= 0.2 and w in types.claim_free
                      and _claims_nothing(w, self.lexicon_, known_products)]
            if picked:
                out[group] = sorted(picked, key=lambda x: (-x[1], x[0]))[:8]
        return out

    def _title_df(self, prods: list[Product], titled: list[Product], types: AttributeTypes) -> dict[str, int]:
        """In how many of the catalog's titles each attribute value (as titles phrase it) is written: the
        sellers' own search vocabulary. "高腰" and "保湿" are; "提拎部件" and "团圆小酌区" are not."""
        auto = ahocorasick.Automaton()
        for p in prods:
            for k, v in p.attributes:
                v = types.answered(k, v)
                if types.type_of(k) in ("brand", "sku") or types.is_empty(v):
                    continue
                for form in {v.strip().lower(), self.phrasing_.get(v, v).lower()}:
                    if len(form) >= 2 and form not in auto:
                        auto.add_word(form, form)
        if len(auto) == 0:
            return {}
        auto.make_automaton()
        df: Counter[str] = Counter()
        for p in titled:
            df.update({form for _end, form in auto.iter(normalize_text(p.title or "").lower())})
        return dict(sorted(df.items()))

    def _one_name(self, value: str, lang: str) -> str:
        """A name in two scripts ("Apple/苹果", "Android/安卓") is written once in a title, in the title's script; a
        place's path ("中国大陆/河南省/焦作市") keeps its most precise part. Any other "A/B" is a list ("黑色/白色") or
        two names whose choice the data cannot make ("戒指/指环") and stays whole."""
        names = _names(value)
        if not names:
            return value
        types = load_types()
        names = [n for n in names if not types.is_empty(n)] or names
        if len(names) == 1:
            return names[0]
        if all(n.endswith(_PLACE_ENDS) for n in names):
            return names[-1]
        pair = two_scripts(value)
        if pair is None:
            return value  # "黑色/白色", "大衣/西服", "苹果x/xs": a list of what the product has or suits
        return pair[1] if lang != "en" else pair[0]

    def _check_fitted(self) -> None:
        if not hasattr(self, "lexicon_"):
            raise NotFittedError("CatalogKnowledge is not fitted: call fit(products) or load() a saved one")

    # ------------------------------------------------------------------ one product
    def brand_text(self, p: Product, lang: str, brand: str | None = None) -> str | None:
        """The product's brand (``brand``, else the one its data declares) in the form the catalog's titles
        write it."""
        b = brand or declared_brand(p)
        if not b or load_types().is_empty(b):  # "其他品牌", "见描述": no brand
            return None
        forms = split_forms(b)
        if len(forms) == 1:
            # one Chinese character reads as a word, not a name: sellers write the brand 劲 as 劲牌
            return forms[0] + "牌" if len(forms[0]) == 1 and cjk_count(forms[0]) else forms[0]
        pref = max(("full", "cjk", "latin"), key=lambda k: self.brand_form_.get(k, 0.0))
        if pref == "latin" or lang == "en":
            return next((f for f in forms[1:] if not cjk_count(f)), forms[0])
        if pref == "cjk":
            return next((f for f in forms[1:] if cjk_count(f)), forms[0])
        return forms[0]

    def value_text(self, value: str, lang: str, *, whole: bool = False) -> str:
        """A value as titles say it: the learned phrasing, else the value (its last part when long, unless
        ``whole``: a list of models a product fits names each), without the seller's bracketed notes
        ("咖啡色【香港直邮】" says 咖啡色). Catalogs repeat a few thousand values over millions of rows: each is worked
        out once."""
        memo = self.__dict__.setdefault("_value_texts", {})
        key = (value, lang, whole)
        if key not in memo:
            if len(memo) > 200_000:
                memo.clear()
            memo[key] = self._value_text(value, lang, whole)
        return memo[key]

    def _value_text(self, value: str, lang: str, whole: bool = False) -> str:
        v = BRACKET_NOTE.sub("", normalize_text(value))
        v = _VARIANT_PREFIX.sub("", _EDGE_DEBRIS.sub("", v).strip(" /、,，;；|")) or normalize_text(value).strip()
        if v in self.phrasing_:
            return self.phrasing_[v]
        v = GLOSS.sub("", v) or v
        if v in self.phrasing_:
            return self.phrasing_[v]
        v = _TRAILING_CODE.sub("", v)
        v = self._one_name(v, lang)
        joined = _STOP_SLASH.sub(_KEPT_SLASH, v)
        if not cjk_count(v):
            joined = _RATIO_SLASH.sub(_KEPT_SLASH, joined)
        parts = [x.strip() for x in VALUE_PARTS.split(joined) if x.strip()]
        parts = [x.replace(_KEPT_SLASH, "/") for x in parts]
        if len(v) > 12 and parts and not whole:
            v = parts[-1]
        elif whole:
            v = _OPTION_NOTE.sub("", v) or v  # "单壳+挂绳-华为Nova5/5pro": the listing option's package, then the model
        v = _UNIT_TWICE.sub(r"\1\3\4\2", v)
        return _title_case(v) if lang == "en" else v

    def facts(self, p: Product) -> ProductFacts:
        """One product's facts. The titles flow asks once per product and hands the result to every step."""
        self._check_fitted()
        types = load_types()
        lang = p.lang or detect_lang(p.title or " ".join(p.attribute_values()))
        facts = []
        typed: dict[str, set[str]] = {}
        ages = {v.strip().lower() for _k, v in p.attributes if _is_age_group(v, types)}
        sexes = {v.strip().lower(): sex for _k, v in p.attributes if (sex := _sex_of(v, types))}
        product_words = self.product_words_.of(p, types)
        kind = product_words[0][0].lower() if product_words else ""
        unseasoned = bool(kind) and _season_group(kind) in self.unseasoned_kinds_
        for k, v in p.attributes:
            t = types.type_of(k)
            if t in CONTRADICTING and not types.is_empty(v):
                typed.setdefault(t, set()).update(types.canonicals_in(t, v))
            given = v
            rated, v, asked = _rated(k, v, types)
            if t in ("brand", "sku") or types.is_empty(v):
                continue
            vs = v.strip()
            # a bare number ("声道: 2", "型号: 2547832", "包装尺寸: 0.1") or one CJK character ("类型: 裤") says nothing
            # in a title
            if _BARE_NUMBER.fullmatch(vs) or (len(vs) < 2 and not vs.isascii()) or (t == "model" and _machine_code(vs)):
                continue
            # two age groups or more ("中年", "青年", "少年") say it is for everyone: nothing for a title
            if (vs.lower() in ages and len(ages) > 1) or types.is_untitled(vs):
                continue
            # so do both sexes (适用人群=男性 and =女性 on a hair dryer): "女性" alone would say it is for women only
            if vs.lower() in sexes and len(set(sexes.values())) > 1:
                continue
            # an age group this catalog's sellers almost never print under this attribute is the buyer every such
            # product has (青年 on shoes, 成人 on a sofa), not the one this product is for (成人 on a toothbrush)
            if vs.lower() in ages and f"{k.strip().lower()}|{vs.lower()}" in self.unsaid_audiences_:
                continue
            if t == "launch" and unseasoned:
                continue  # a phone's or a watch's launch season: its sellers never print one
            shown = _AS_TITLES_SAY[t].sub("", vs) if t in _AS_TITLES_SAY else v
            if _BARE_COUNT.fullmatch(vs):
                shown = _counted(k, vs)
                if shown is None:
                    continue
            if pack := _PACK.fullmatch(vs):  # a form's "1x12x500ml": one case of 12, as sellers write it, "500ml*12"
                count, each, unit = pack.groups()
                if float(each) <= 1:
                    continue  # "1x1x1g": the form left at its default
                shown = f"{each}{unit}" + (f"*{count}" if int(count) > 1 else "")
            text = self.value_text(shown, lang, whole=names_a_fitted_model(k))
            # a province, a city or a county written as the registry names it (河南省, 焦作市, 中国大陆/上海市) is where a
            # shop is, not a title word: sellers who print a place write it bare (德化, 新疆, 海南), which their titles
            # teach, or it is a place known for its goods (景德镇市 → 景德镇)
            if t == "origin" and text.endswith(_ADMIN_ENDS):
                stem = text.removesuffix(next(e for e in _ADMIN_ENDS if text.endswith(e)))
                if stem not in types.renowned_places:
                    continue
                text = stem
            elif t == "origin" and text.startswith("中国") and len(text) > 2:
                text = text.removeprefix("中国")  # 中国台湾, 中国香港: sellers write 台湾, 香港
            if not text.strip() or (len(text.strip()) < 2 and not text.isascii()):
                continue  # "2011年" is a launch year: without it, a lone "年" is left
            said_with = types.said_with.get(k.strip().lower(), "")
            if said_with and said_with not in text:
                text += said_with  # 能效等级=一级: "一级能效"
            facts.append(Fact(name=k, value=given, text=text, type=t, rate=self.title_rate_.get(rated, -1.0),
                              position=self.title_position_.get(rated, 0.5), df=self.title_df_.get(text.lower(), 0),
                              asked=asked))
        brand = self.brands_.product_brand(p)  # declared, else the brand the seller's title leads with
        return ProductFacts(product=p, lang=lang, brand=brand, brand_text=self.brand_text(p, lang, brand),
                            product_words=product_words, facts=facts,
                            source=source_text(p), typed={t: c for t, c in typed.items() if c})

    @staticmethod
    def names_own_brand(text: str, facts: ProductFacts) -> bool:
        """Whether ``text`` names the product's own brand in any of its forms ("iQOO NEO5" of iQOO（数码）)."""
        low = text.lower()
        return bool(facts.brand) and any(f.lower() in low for f in split_forms(facts.brand))

    def names_a_brand(self, text: str, facts: ProductFacts) -> bool:
        """Whether ``text`` names the product's brand in any form, or any brand as its own."""
        return self.names_own_brand(text, facts) or any(m.role == "own" for m in self.brands_.find(text))

    def names_a_product(self, text: str, facts: ProductFacts) -> bool:
        """Whether ``text`` names what the product is: one of its own product words, or any known one."""
        low = text.lower()
        if any(w.lower() in low for w, _ in facts.product_words):
            return True
        return bool(self.product_words_.known().anywhere(low))

    # ------------------------------------------------------------------ persistence
    def to_dict(self) -> dict:
        self._check_fitted()
        return {"version": VERSION, "params": {"min_phrasing": self.min_phrasing, "min_group": self.min_group},
                "user_words": self.segmenter_._user_words, "lexicon": self.lexicon_.to_dict(),
                "brands": self.brands_.to_dict(),
                "product_words": self.product_words_.to_dict(), "n_titles": self.n_titles_,
                "title_rate": self.title_rate_, "title_position": self.title_position_,
                "unsaid_audiences": sorted(self.unsaid_audiences_), "unseasoned_kinds": sorted(self.unseasoned_kinds_),
                "phrasing": self.phrasing_,
                "brand_form": self.brand_form_, "title_df": self.title_df_, "search_words": self.search_words_,
                "lm": self.lm_.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> CatalogKnowledge:
        if data.get("version") != VERSION:
            raise NotFittedError(f"saved catalog knowledge has version {data.get('version')}, this listingforge "
                                 f"reads version {VERSION}: fit it again")
        self = cls(**data["params"])
        self.segmenter_ = Segmenter(data["user_words"])
        self.lexicon_ = Lexicon.from_dict(data["lexicon"])
        self.brands_ = BrandFinder.from_dict(data["brands"])
        self.product_words_ = ProductWords.from_dict(data["product_words"])
        self.n_titles_ = data["n_titles"]
        self.title_rate_ = dict(data["title_rate"])
        self.title_position_ = dict(data["title_position"])
        self.unsaid_audiences_ = frozenset(data.get("unsaid_audiences", ()))
        self.unseasoned_kinds_ = frozenset(data.get("unseasoned_kinds", ()))
        self.phrasing_ = dict(data["phrasing"])
        self.brand_form_ = dict(data["brand_form"])
        self.title_df_ = dict(data["title_df"])
        self.search_words_ = {g: [(w, s) for w, s in ws] for g, ws in data["search_words"].items()}
        self.lm_ = CharLM.from_dict(data["lm"])
        return self

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "knowledge.json").write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> CatalogKnowledge:
        return cls.from_dict(json.loads((Path(path) / "knowledge.json").read_text(encoding="utf-8")))


def _claims_nothing(word: str, lexicon: Lexicon, product_words: set[str]) -> bool:
    """A title word that states no fact the lexicon knows: no digits, not a value, brand or product word."""
    if len(word) < 2 or not any(c.isalpha() for c in word) or any(c.isdigit() for c in word):
        return False
    if word in product_words or word in lexicon.values or word in lexicon.brands:
        return False
    brands, values = lexicon.find_facts(word)
    return not brands and not values


_SMALL_WORDS = {"a", "an", "and", "or", "for", "with", "of", "the", "to", "in", "on", "by",
                # units stay lower case: "20 oz", not "20 Oz"
                "oz", "ml", "l", "g", "kg", "mg", "mm", "cm", "m", "lb", "lbs", "w", "v", "mah", "gb", "tb"}


def _title_case(v: str) -> str:
    """"sage green" → "Sage Green"; words with capitals or digits ("AX-3", "iPhone") are kept."""
    words = v.split(" ")
    return " ".join(w if (not w.islower() or (i and w in _SMALL_WORDS)) else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))
