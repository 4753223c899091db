"""One brand finder for optimize, the checks and the tagger: which brands a text names, and in what role.

``BrandFinder.fit(products)`` learns a catalog's brands from its brand column, 品牌/brand attributes, title
spans typed "brand" and what the titles themselves show ("Latin/中文" pairs, a brand leading many titles of
one seller), on top of a packaged list (``data/brands.toml``, each block with its source). ``find(text)``
returns every mention with a role:

- ``own``: the product's brand as the title names it — never to be removed;
- ``compatible``: a device brand an accessory fits ("Compatible with Samsung", "适用于华为") — a lawful, useful
  phrase to keep, and not the product's own brand.

Most brands a catalog's titles name were never seen before (on zh_title_ner only 42 of the 200 dev brands
occur in train), so a list alone finds few. When the catalog gives labelled spans (or brand values found in
its titles), ``fit`` also learns a small linear model over candidate spans — CJK runs and their prefixes,
Latin words — from cheap features: where the span sits (title start, before a space or a "/", after a
bracket), whether it is a jieba dictionary word and what word follows it, its first and last characters.
Scoring a title is dictionary look-ups and one sum per candidate: no segmentation, tens of microseconds.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import ahocorasick

from ..errors import ModelAssetError, NotFittedError
from ..product import Product
from ..text.find import whole_word
from .product_words import load_product_words

Role = Literal["own", "compatible"]
FORMAT_VERSION = 1
_BRAND_ATTRS = {"品牌", "brand", "brand name"}
_EMPTY = {"其他", "其它", "无", "无品牌", "other", "others", "none", "na", "n/a", "generic", "unbranded", "no brand",
          "unknown", "null", "default", "oem"}
_SPLIT_FORMS = re.compile(r"\s*[/|（）()]\s*")
_BRACKETED = re.compile(r"\s*[（(]([^（）()]+)[）)]\s*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z][a-z0-9]*(?:[.'&*#!+\-][a-z0-9]+)*")
# "Latin/中文" or "中文/Latin" pairs: how Taobao sellers write a brand (CHANDO/自然堂, sony/索尼)
_PAIR = re.compile(r"(?<![a-z0-9])([a-z][a-z0-9'&.\- ]{0,24}[a-z0-9])\s*/\s*([\u4e00-\u9fff]{2,8})"
                   r"|([\u4e00-\u9fff]{2,8})\s*/\s*([a-z][a-z0-9'&.\-]{0,24}[a-z0-9])(?![a-z0-9])")
# a marker before a brand that an accessory fits; Chinese also puts 专用/通用 after it ("苹果专用")
_COMPAT_BEFORE = re.compile(
    r"(?:compatible\s+(?:with|for)|works\s+with|designed\s+for|suitable\s+for|replacement\s+for|for\s+use\s+with|"
    r"fits?(?:\s+for)?|for|适用于|适用|适配|兼容|用于)\s*[:：]?\s*$")
_COMPAT_AFTER = re.compile(r"^\s*(?:专用|通用|适用|兼容|可用)")
_COMPAT_MARKER = re.compile(r"(?:compatible\s+(?:with|for)|works\s+with|designed\s+for|suitable\s+for|"
                            r"replacement\s+for|for\s+use\s+with|适用于|适用|适配|兼容)\s*[:：]?")
# the names before a brand in a list after such a marker: "macbook, hp, " / "iphone/oneplus/"
_NAME_LIST = re.compile(r"\s*(?:(?:[\w.+\-]+(?:\s[\w.+\-]+)?\s*(?:[,，/、&+]|and|or|和|及)\s*){1,6}"
                        r"|[\u4e00-\u9fff]{2,8})")
# what may stand between two brands of one "compatible" list: "for iPhone, Samsung & OnePlus", "适用苹果华为小米"
_LIST_GLUE = re.compile(r"^(?:\s*(?:[,，、/&+]|and|or|和|及|与)?\s*)$")
# noise that may come before a title's brand: 【…】 and […] blocks, shop words
_HEAD_NOISE = re.compile(r"^(?:\s*(?:【[^】]*】|\[[^\]]*\]|\([^)]*\)|（[^）]*）|官方|正品|现货|包邮|特价|热卖|新款|"
                         r"专柜|代购|直邮|授权|旗舰店|[a-z]?\d{2,4}(?:年|新款)?)\s*)*")
_REGISTERED = re.compile(r"[®™©]")
_SIZE = re.compile(r"(?:\d*x{0,3}[sml]|\d*xl)(?:[-~/](?:\d*x{0,3}[sml]|\d*xl))?")  # "XS-8XL" leads titles too


def _after_marker(before: str) -> bool:
    """Whether the text before a name ends with a "compatible" marker, or with one and a list of names."""
    if _COMPAT_BEFORE.search(before):
        return True
    ends = [m.end() for m in _COMPAT_MARKER.finditer(before)]
    return bool(ends) and bool(_NAME_LIST.fullmatch(before[ends[-1]:]))


@dataclass(frozen=True, slots=True)
class BrandMention:
    """One brand named in a text: ``text[start:end]``, its role and what found it."""

    start: int
    end: int
    text: str
    role: Role
    source: str = ""  # "catalog" | "list" | "pair" | "model" | "lead"


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # lower() changed lengths ("İ"): keep positions
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def _key(form: str) -> str:
    return " ".join(_lower(form).split())


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _char_class(ch: str) -> str:
    if not ch:
        return "$"
    if _is_cjk(ch):
        return "C"
    if ch.isascii() and ch.isalpha():
        return "L"
    if ch.isdigit():
        return "D"
    if ch.isspace():
        return "_"
    if ch in "/|":
        return "/"
    if ch in "【[(（「《":
        return "("
    if ch in "】])）」》":
        return ")"
    return "P"


@lru_cache(maxsize=1)
def _note_words() -> frozenset[str]:
    notes = tomllib.loads((resources.files(__package__) / "data" / "brands.toml").read_text("utf-8"))["notes"]
    return frozenset(w.lower() for group in notes.values() for w in group) | load_product_words()


def is_brand_note(text: str) -> bool:
    """Whether what a seller bracketed after a brand is a note of its shop or country ("美妆", "厨房用具", "泰国",
    "运动户外": note words or product words, one or several run together), not another form of the name."""
    low = text.strip().lower()
    words = _note_words()
    ends = {0}  # the prefixes of ``low`` that split into note words
    for i in range(1, len(low) + 1):
        if any(j in ends and low[j:i] in words for j in range(max(0, i - 6), i)):
            ends.add(i)
    return bool(low) and len(low) in ends


def _without_notes(brand: str) -> str:
    bare = _BRACKETED.sub(lambda m: " " if is_brand_note(m.group(1)) else m.group(0), brand)
    return " ".join(bare.split()) or " ".join(brand.split())


@lru_cache(maxsize=16_384)  # a catalog repeats its brands
def _forms(brand: str) -> tuple[str, ...]:
    full = _without_notes(brand)
    parts = [p for p in _SPLIT_FORMS.split(full) if p and p != full]
    parts = sorted(dict.fromkeys(parts), key=lambda p: (not any(_is_cjk(c) for c in p), parts.index(p)))
    return (full, *parts) if full else ()


def split_forms(brand: str) -> list[str]:
    """"Sansui/山水" → ["Sansui/山水", "山水", "Sansui"]: the full form first, then the parts, CJK first. A seller's
    bracketed note is no form: "Deeripa（收纳整理）" → ["Deeripa"], while "美的（Midea）" keeps both names."""
    return list(_forms(brand))


def declared_brands(p: Product) -> list[str]:
    """The brands a product's data declares: its brand column, then its 品牌/brand attributes ("其他/other" is
    none)."""
    cands = [p.brand or ""] + [v for k, v in p.attributes if k.strip().lower() in _BRAND_ATTRS]
    return [b.strip() for b in cands if b and b.strip() and not _is_empty_brand(b)]


def declared_brand(p: Product) -> str | None:
    found = declared_brands(p)
    return found[0] if found else None


_LATIN_THEN_CJK = re.compile(r"(?<=[A-Za-z])(?=[\u4e00-\u9fff])")


@lru_cache(maxsize=16_384)  # a catalog repeats its brands
def _is_empty_brand(brand: str) -> bool:
    # "other/其他" and its glued spelling "other其他"
    parts = [q for p in _SPLIT_FORMS.split(_without_notes(brand)) for q in _LATIN_THEN_CJK.split(p) if q]
    return not parts or all(_key(p) in _EMPTY for p in parts)


@lru_cache(maxsize=1)
def packaged() -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """(brands, ambiguous forms, generic English words) from the packaged ``data/brands.toml``."""
    data = tomllib.loads((resources.files(__package__) / "data" / "brands.toml").read_text("utf-8"))
    brands = tuple(b for block in data["block"] for b in block["brands"])
    return (brands, frozenset(_key(f) for f in data["ambiguous"]["forms"]),
            frozenset(_key(w) for w in data["generic_en"]["words"]))


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    """jieba's word frequencies: whether a CJK string is an everyday word, and which word follows a span."""
    from ..text.segment import default_segmenter

    return default_segmenter().load().frequencies()


def _freq_bucket(freq: dict[str, int], w: str) -> str:
    f = freq.get(w, 0)
    return "-" if not f else str(min(int(math.log10(f + 1)), 5))


class _Title:
    """What every candidate span of one title needs, computed once: the lower-cased text, each character's
    class, where each character's CJK run starts, where the title's brand may start."""

    __slots__ = ("low", "classes", "run_start", "head_end", "freq")

    def __init__(self, low: str) -> None:
        self.low = low
        self.classes = [_char_class(c) for c in low]
        self.run_start = starts = [0] * len(low)
        for i, c in enumerate(self.classes):
            starts[i] = starts[i - 1] if i and c == "C" and self.classes[i - 1] == "C" else i
        self.head_end = _HEAD_NOISE.match(low).end()  # type: ignore[union-attr] - matches "" at worst
        self.freq = _dictionary()


# known-string kinds, as bits: a form can be several
_CATALOG, _LIST, _AMBIGUOUS = 1, 2, 4


class BrandFinder:
    """``fit(products)`` → ``find(text)``, ``product_brand(product)``, ``forms(brand)``.

    Parameters are stored as given (scikit-learn habit); everything learned ends in ``_``.

    - ``builtin``: start from the packaged brand list;
    - ``learn``: learn a span scorer when the catalog gives labelled brand spans or brand values found in its
      titles (``min_examples`` of them at least);
    - ``min_confidence``: the scorer's probability from which a candidate span is a brand;
    - ``min_support``: how many titles must lead with the same word (or show the same "Latin/中文" pair) for
      ``fit`` to learn it as a brand of the catalog;
    - ``C``: inverse regularization strength of the scorer (logistic regression).
    """

    def __init__(self, *, builtin: bool = True, learn: bool = True, min_confidence: float = 0.2,
                 min_support: int = 2, min_examples: int = 30, C: float = 1.0, seed: int = 0) -> None:  # noqa: N803
        self.builtin = builtin
        self.learn = learn
        self.min_confidence = min_confidence
        self.min_support = min_support
        self.min_examples = min_examples
        self.C = C
        self.seed = seed

    # -- learning -------------------------------------------------------------------------------------------
    def fit(self, products: Iterable[Product]) -> BrandFinder:
        products = list(products)
        from_titles: dict[str, str] = {}
        for b in self._learned_from_titles(p.title for p in products if p.title):
            self._add(from_titles, b)
        known = dict(from_titles)
        for p in products:
            for b in self._declared(p):
                self._add(known, b)
            for s, e, typ in p.spans:
                if typ.lower() in ("brand", "品牌") and p.title:
                    self._add(known, p.title[s:e])
        self.lead_stats_ = self._lead_stats(p.title for p in products if p.title)
        self.common_ = self._common_spans(p.title for p in products if p.title)
        self.latin_titles_ = self._latin_titles_have_brands(products)
        self.weights_: dict[str, float] = {}
        self.n_examples_ = 0
        if self.learn:
            self._fit_scorer(products, from_titles)
        self.catalog_brands_ = known
        self._automaton = None
        self._found: dict[str, tuple[BrandMention, ...]] = {}
        self.format_version_ = FORMAT_VERSION
        return self

    @staticmethod
    def _declared(p: Product) -> list[str]:
        return declared_brands(p)

    @staticmethod
    def _add(known: dict[str, str], brand: str) -> None:
        for f in split_forms(brand):
            k = _key(f)
            if len(k) >= 2 and not k.isdigit() and k not in _EMPTY:
                known.setdefault(k, f)

    def _learned_from_titles(self, titles: Iterable[str]) -> list[str]:
        """Brands the titles show by themselves: a "Latin/中文" pair written the same way in ``min_support``
        titles or more (CHANDO/自然堂)."""
        pairs: Counter[str] = Counter()
        for t in titles:
            low = _lower(t)
            for m in _PAIR.finditer(low[:40]):
                lat, cjk = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
                pairs[f"{t[m.start(1) if m.group(1) else m.start(4):][:len(lat)]}/{cjk}"] += 1
        return [p for p, n in pairs.items() if n >= self.min_support]

    @staticmethod
    def _lead_stats(titles: Iterable[str]) -> dict[str, list[int]]:
        """For Latin-script titles: how often each leading word leads a title and how often it stands inside
        one. The seller's brand leads titles and is seldom used inside them (Wayona, boAt); a describing word
        is used inside titles too (Summer, Sweet, Women's)."""
        lead: Counter[str] = Counter()
        inside: Counter[str] = Counter()
        for t in titles:
            if any(_is_cjk(c) for c in t[:30]):
                continue
            words = [w.strip(",:;-()|") for w in _key(_REGISTERED.sub("", t)).split()]
            if words:
                lead[words[0]] += 1
                inside.update(set(words[1:]))
        return {w: [n, inside[w]] for w, n in lead.items()}

    def _common_spans(self, titles: Iterable[str]) -> dict[str, int]:
        """How many of the catalog's titles hold each candidate span (kept from 3 up): a string in many titles
        is a product word or a selling phrase (袜子, 百搭), a brand is in few (only its own products')."""
        counts: Counter[str] = Counter()
        for t in titles:
            low = _lower(t)
            counts.update({low[s:e] for (s, e) in self._candidates(low, {})})
        return {w: n for w, n in counts.items() if n >= 3}

    @staticmethod
    def _latin_titles_have_brands(products: Sequence[Product]) -> bool:
        """Whether the catalog's annotation names brands in Latin-script titles: some annotators tag none there
        (zh_title_ner: 0 of 129 English titles), and a finder fit on their spans should follow them."""
        latin = [p for p in products if p.title and p.spans is not None and not any(_is_cjk(c) for c in p.title)]
        labelled = [p for p in products if p.spans]
        if len(latin) < 20 or not labelled:
            return True
        return any(t.lower() in ("brand", "品牌") for p in latin for _, _, t in p.spans)

    # -- known strings ----------------------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "catalog_brands_"):
            raise NotFittedError("BrandFinder is not fitted: call fit(products) (an empty list is fine)")

    def _known(self) -> ahocorasick.Automaton:
        """One automaton over every known form (catalog and packaged), each marked with its kinds."""
        auto = getattr(self, "_automaton", None)
        if auto is not None:
            return auto
        kinds: dict[str, int] = {}
        for k in self.catalog_brands_:
            kinds[k] = kinds.get(k, 0) | _CATALOG
        if self.builtin:
            brands, ambiguous, _ = packaged()
            for b in brands:
                for f in split_forms(b):
                    k = _key(f)
                    if len(k) >= 2 or any(_is_cjk(c) for c in k):
                        kinds[k] = kinds.get(k, 0) | _LIST
            for k in ambiguous:
                if k in kinds:
                    kinds[k] |= _AMBIGUOUS
        auto = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for k, kind in kinds.items():
            if "/" not in k:  # "chando/自然堂" is found as its two names, each a mention
                auto.add_word(k, (len(k), kind))
        if len(auto):
            auto.make_automaton()
        self._automaton = auto
        return auto

    def _known_in(self, low: str) -> dict[tuple[int, int], int]:
        auto = self._known()
        if not len(auto):
            return {}
        out: dict[tuple[int, int], int] = {}
        for end, (n, kind) in auto.iter(low):
            s = end + 1 - n
            if whole_word(low, s, end + 1):
                out[(s, end + 1)] = kind
        return out

    # -- candidates and their features ------------------------------------------------------------------------
    @staticmethod
    def _candidates(low: str, known: dict[tuple[int, int], int]) -> dict[tuple[int, int], str]:
        """Spans that could be a brand: the start of each CJK run and of its first words (up to 6 characters),
        Latin words and word pairs, and every known form. Value: "C" (CJK) or "L" (Latin)."""
        freq = _dictionary()
        out: dict[tuple[int, int], str] = {}
        for m in _CJK.finditer(low):
            s0, e0 = m.span()
            for a in range(s0, min(s0 + 5, e0 - 1)):
                if a > s0 and not (low[s0:a] in freq or a - s0 == 1):
                    continue  # inner starts only after a word (上海|联宜家具) or one character
                for b in range(a + 2, min(a + 6, e0) + 1):
                    out[(a, b)] = "C"
        words = list(_LATIN.finditer(low))
        for i, m in enumerate(words):
            out[m.span()] = "L"
            if i + 1 < len(words) and low[m.end():words[i + 1].start()] == " ":
                out[(m.start(), words[i + 1].end())] = "L"
        for span in known:
            out.setdefault(span, "C" if _is_cjk(low[span[0]]) else "L")
        return out

    def _features(self, ctx: _Title, s: int, e: int, kind: str, known: int) -> list[str]:
        low, cls, freq = ctx.low, ctx.classes, ctx.freq
        w = low[s:e]
        left, right = cls[s - 1] if s else "$", cls[e] if e < len(low) else "$"
        n = self.common_.get(w, 0)
        df = f"df{min(int(math.log2(n)), 7) if n else '-'}"
        f = [kind, f"n{kind}{min(e - s, 7)}", f"lr{kind}{left}{right}", f"p{kind}{0 if s == 0 else 1 if s < 8 else 2}",
             df, f"l{kind}{left}", f"r{kind}{right}"]
        if s <= ctx.head_end:
            f.append(f"h{kind}")
        if known:
            f += ["kc" if known & _CATALOG else ("ka" if known & _AMBIGUOUS else "kl"), f"k{right}"]
        if low.count(w) > 1:
            f.append("rep")
        if left == "/" or right == "/":
            f.append(f"sl{kind}")
        if kind == "C":
            s0 = ctx.run_start[s]
            if s > s0:
                pre = low[s0:s]
                f.append(f"pw={pre}" if pre in freq else f"po{min(s - s0, 3)}")
            fw = _freq_bucket(freq, w)
            where = "h" if s <= ctx.head_end else ("s" if s == s0 else "i")
            f += [f"fw{fw}", f"{where}{fw}{min(e - s, 5)}", f"{where}{df}", f"lc={w[-1]}", f"fc={w[0]}"]
            if right == "C":
                nxt = next((low[e:e + k] for k in (4, 3, 2) if e + k <= len(low) and low[e:e + k] in freq), "")
                f += [f"nw={nxt}" if nxt else f"nc={low[e]}", f"x{int(low[e - 1:e + 1] in freq)}",
                      f"nf{_freq_bucket(freq, nxt) if nxt else '0'}{fw}"]
        else:
            f += ["la" if w.replace(" ", "").isalpha() else "ld", f"lw={w}" if len(w) <= 12 else "lw"]
        return f

    @staticmethod
    def _head_end(low: str) -> int:
        return _HEAD_NOISE.match(low).end()  # type: ignore[union-attr] - matches "" at worst

    # -- the scorer -------------------------------------------------------------------------------------------
    def _examples(self, products: Sequence[Product]) -> list[tuple[str, set[tuple[int, int]]]]:
        """(title, brand spans) to learn from: labelled spans where a product has any typed span (an empty
        annotation is a negative); else the product's declared brand found in its title."""
        labelled = [p for p in products if p.title and p.spans]
        if labelled:
            # every title of an annotated set is an annotation, even with no brand in it
            return [(p.title or "", {(s, e) for s, e, t in p.spans if t.lower() in ("brand", "品牌")})
                    for p in products if p.title]
        out = []
        for p in products:
            if not p.title:
                continue
            low = _lower(p.title)
            spans = set()
            for b in self._declared(p):
                for f in split_forms(b):
                    k = _key(f)
                    at = low.find(k)
                    while at >= 0 and len(k) >= 2:
                        spans.add((at, at + len(k)))
                        at = low.find(k, at + len(k))
            if spans:
                out.append((p.title, spans))
        return out

    def _fit_scorer(self, products: Sequence[Product], from_titles: dict[str, str]) -> None:
        examples = self._examples(products)
        if sum(len(s) for _, s in examples) < self.min_examples:
            return
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        # "the catalog knows this brand" as a feature, learned from the *other* half of the examples: the model
        # learns how far a known string can be trusted instead of learning that it always can
        rows, labels = [], []
        for half in (0, 1):
            other: dict[str, str] = dict(from_titles)
            for t, spans in examples[1 - half::2]:
                for s, e in spans:
                    self._add(other, t[s:e])
            self.catalog_brands_ = other
            self._automaton = None
            for t, spans in examples[half::2]:
                for span, feats in self._scored_candidates(_lower(t)):
                    rows.append(dict.fromkeys(feats, 1))
                    labels.append(span in spans)
        if not any(labels) or all(labels):
            return
        vec = DictVectorizer()
        model = LogisticRegression(C=self.C, max_iter=2000, random_state=self.seed)
        model.fit(vec.fit_transform(rows), labels)
        self.weights_ = {name: round(float(w), 5) for name, w in zip(vec.feature_names_, model.coef_[0], strict=True)
                         if abs(w) > 1e-4}
        self.weights_["<bias>"] = float(model.intercept_[0])
        self.n_examples_ = int(sum(labels))

    def _scored_candidates(self, low: str) -> list[tuple[tuple[int, int], list[str]]]:
        known = self._known_in(low)
        ctx = _Title(low)
        return [((s, e), self._features(ctx, s, e, kind, known.get((s, e), 0)))
                for (s, e), kind in self._candidates(low, known).items()]

    # -- finding ---------------------------------------------------------------------------------------------
    def find(self, text: str) -> list[BrandMention]:
        """Every brand mention in ``text``, left to right, none overlapping."""
        self._check_fitted()
        if not text:
            return []
        cache = self.__dict__.setdefault("_found", {})
        hit = cache.get(text)
        if hit is not None:  # optimize, the checks and the tagger ask about the same title
            return list(hit)
        low = _lower(text)
        spans = self._model_spans(low, text) if self.weights_ else self._rule_spans(low, text)
        spans = self._with_repeats(low, spans)
        found = tuple(BrandMention(s, e, text[s:e], self._role(low, s, e, spans), src) for (s, e), src in spans)
        if len(cache) < 100_000:
            cache[text] = found
        return list(found)

    def _model_spans(self, low: str, text: str) -> list[tuple[tuple[int, int], str]]:
        if not any(_is_cjk(c) for c in low):  # the scorer knows Chinese titles; Latin-script ones go by rule
            return self._rule_spans(low, text) if self.latin_titles_ else []
        get = self.weights_.get
        bias, cut = self.weights_["<bias>"], self._threshold_logit()
        known = self._known_in(low)
        ctx = _Title(low)
        scored = []
        for (s, e), kind in self._candidates(low, known).items():
            z = bias
            for f in self._features(ctx, s, e, kind, known.get((s, e), 0)):
                z += get(f, 0.0)
            if z > cut:
                k = known.get((s, e), 0)
                scored.append((z, s, e, "catalog" if k & _CATALOG else ("list" if k else "model")))
        scored.sort(key=lambda x: (-x[0], x[1]))
        return self._non_overlapping([((s, e), src) for _, s, e, src in scored])

    def _threshold_logit(self) -> float:
        p = min(max(self.min_confidence, 1e-6), 1 - 1e-6)
        return math.log(p / (1 - p))

    def _rule_spans(self, low: str, text: str) -> list[tuple[tuple[int, int], str]]:
        """Without a learned scorer: known forms (an ambiguous one only where a brand stands), "Latin/中文"
        pairs at the head of a title, and the leading word of a Latin-script title when it names a maker."""
        head_end = self._head_end(low)
        found: list[tuple[tuple[int, int], str]] = []
        for (s, e), kind in sorted(self._known_in(low).items(), key=lambda x: (x[0][0], -x[0][1])):
            if kind & _AMBIGUOUS and not kind & _CATALOG and not self._brand_position(low, s, e, head_end):
                continue
            found.append(((s, e), "catalog" if kind & _CATALOG else "list"))
        for m in _PAIR.finditer(low):
            if m.start() <= head_end:
                for g in ((1, 2) if m.group(1) else (3, 4)):
                    found.append((m.span(g), "pair"))
        lead = self._leading_word(low, text)
        if lead is not None:
            found.append((lead, "lead"))
        return self._non_overlapping(found)

    def _brand_position(self, low: str, s: int, e: int, head_end: int) -> bool:
        before, after = low[:s], low[e:]
        return (s <= head_end or before.rstrip().endswith("/") or after.lstrip().startswith("/")
                or _after_marker(before[-80:]) or bool(_COMPAT_AFTER.match(after)))

    def _leading_word(self, low: str, text: str) -> tuple[int, int] | None:
        """The first word of a Latin-script title when it names its maker (the usual Amazon form): marked ®/™,
        or leading several of the catalog's titles and seldom used inside them, or shaped like a name (boAt,
        iQOO, AGARO), and never a describing word (New, Women's, Summer)."""
        if any(_is_cjk(c) for c in low[:30]):
            return None
        m = re.match(r"\s*(?:amazon\s+brand\s*[-–:]\s*)?([^\s,;:()]+)", low)
        if not m:
            return None
        s, e = m.span(1)
        word = low[s:e]
        marked = bool(_REGISTERED.search(word))
        word = _REGISTERED.sub("", word).strip(".-")
        e = s + len(word)
        if (len(word) < 2 or not re.fullmatch(r"[a-z0-9][a-z0-9'&.+\-]*", word)
                or sum(c.isalpha() for c in word) < 2 or sum(c.isdigit() for c in word) > (1 if not marked else 2)
                or _SIZE.fullmatch(word)):
            return None
        generic = packaged()[2] if self.builtin else frozenset()
        if word in generic and not marked:
            return None
        lead, inside = self.lead_stats_.get(word, (0, 0))
        if not (marked or inside == 0 or (lead >= self.min_support and 3 * lead >= inside)):
            return None
        # a two-word name: both words in capitals (NK STAR) or the pair leading several titles
        nxt = re.match(r"\s+([^\s,;:()|]+)", low[e:])
        if nxt and not _REGISTERED.search(nxt.group(1)) and nxt.group(1) not in generic:
            pair = text[s:e + nxt.end()]
            if pair.isupper() and len(nxt.group(1)) >= 2 and nxt.group(1).isalpha():
                return (s, e + nxt.end())
        return (s, e)

    def _with_repeats(self, low: str, spans: list[tuple[tuple[int, int], str]]) -> list[tuple[tuple[int, int], str]]:
        """A brand found once is the same brand where the title repeats it ("飞利浦 qc5510 … 飞利浦 理发器")."""
        taken = [span for span, _ in spans]
        out = list(spans)
        for (s, e), src in spans:
            w = low[s:e]
            at = low.find(w)
            while at >= 0:
                span = (at, at + len(w))
                if all(span[1] <= a or span[0] >= b for a, b in taken) and whole_word(low, *span):
                    taken.append(span)
                    out.append((span, src))
                at = low.find(w, at + 1)
        return sorted(out)

    @staticmethod
    def _non_overlapping(spans: list[tuple[tuple[int, int], str]]) -> list[tuple[tuple[int, int], str]]:
        taken: list[tuple[tuple[int, int], str]] = []
        for (s, e), src in spans:
            if all(e <= a or s >= b for (a, b), _ in taken):
                taken.append(((s, e), src))
        return sorted(taken)

    @staticmethod
    def _role(low: str, s: int, e: int, spans: list[tuple[tuple[int, int], str]]) -> Role:
        """ "compatible" after a marker (compatible with / for / fits / 适用于 / 适配 / 兼容) or before 专用/通用,
        also when a list of names stands between ("Compatible for MacBook, HP, Dell", "适用苹果华为小米")."""
        if _COMPAT_AFTER.match(low[e:]):
            return "compatible"
        start = s
        for (a, b), _ in sorted(spans, reverse=True):  # walk back over brands written back to back
            if b <= start and _LIST_GLUE.match(low[b:start]):
                start = a
        return "compatible" if _after_marker(low[max(0, start - 80):start]) else "own"

    # -- the product's own brand -----------------------------------------------------------------------------
    def product_brand(self, product: Product) -> str | None:
        """The brand column or 品牌/brand attribute when it names one ("其他/other" is no brand), else the first
        brand the title names as its own, with its "Latin/中文" partner when the title pairs them."""
        declared = self._declared(product)
        if declared:
            return declared[0]
        if not product.title:
            return None
        own = [m for m in self.find(product.title) if m.role == "own"]
        if not own:
            return None
        first = own[0]
        nxt = next((m for m in own[1:] if m.start >= first.end), None)
        if (nxt is not None and re.fullmatch(r"\s*/?\s*", product.title[first.end:nxt.start])
                and any(_is_cjk(c) for c in first.text) != any(_is_cjk(c) for c in nxt.text)):
            return f"{first.text}/{nxt.text}"  # "CHANDO/自然堂", "Olay玉兰油" → "Olay/玉兰油"
        return first.text

    def forms(self, brand: str) -> list[str]:
        """"Sansui/山水" → ["Sansui/山水", "山水", "Sansui"]; a form the catalog knows of the same brand is not
        added (the catalog may pair 自然堂 with CHANDO elsewhere: forms stay what the brand string says)."""
        return split_forms(brand)

    # -- saving ----------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        self._check_fitted()
        return {"format": FORMAT_VERSION, "params": self.get_params(),
                "catalog_brands": self.catalog_brands_, "lead_stats": self.lead_stats_,
                "weights": self.weights_, "n_examples": self.n_examples_}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BrandFinder:
        if data.get("format") != FORMAT_VERSION:
            raise ModelAssetError(f"this brand finder was saved in format {data.get('format')}, this listingforge "
                                  f"reads format {FORMAT_VERSION}: fit it again")
        finder = cls(**data["params"])
        finder.catalog_brands_ = dict(data["catalog_brands"])
        finder.lead_stats_ = {k: list(v) for k, v in data["lead_stats"].items()}
        finder.weights_ = dict(data["weights"])
        finder.n_examples_ = int(data["n_examples"])
        finder.format_version_ = FORMAT_VERSION
        finder._automaton = None
        finder._found = {}
        return finder

    def get_params(self) -> dict[str, Any]:
        return {"builtin": self.builtin, "learn": self.learn, "min_confidence": self.min_confidence,
                "min_support": self.min_support, "min_examples": self.min_examples, "C": self.C, "seed": self.seed}
