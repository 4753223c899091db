"""``compose``: titles assembled from the product's own facts, in the way the catalog's sellers write them.

Every piece of a composed title is a fact of the product with its evidence: the brand, the product word (from
the product's own facts — see knowledge/product_words.py), attribute values as the catalog's titles phrase them,
and the seller's search words that the facts do not contradict. Which attributes go in, and in what order,
comes from the catalog (``CatalogKnowledge.title_rate_`` / ``title_position_``; ``word_pos_`` here). Nothing is
borrowed from a neighbouring product, and composition adds whole pieces until the marketplace length is
filled: never a cut word.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..errors import NotFittedError
from ..knowledge.catalog import CatalogKnowledge, Fact, ProductFacts, two_scripts
from ..knowledge.claims import FITS, contradiction
from ..knowledge.neighbours import LIKE_IT
from ..knowledge.product_words import (
    FITS_NAMES,
    KIND_NAME,
    SETS,
    is_set,
    names_a_fitted_model,
    names_another_kind,
    noun_head,
)
from ..knowledge.types import is_range, load_types
from ..product import Candidate, Product, Task
from ..text.lang import cjk_count
from ..text.length import UNITS, text_length
from ..text.normalize import join_words, normalize_text
from .base import Spec, register_generator

VERSION = 2
# A catalog with fewer titles than this cannot say which attributes its sellers put in titles: then these
# defaults, by what the attribute is about, stand in (the attributes buyers search by first).
_MIN_TITLES = 20
_TYPE_RATE = {"material": 0.6, "gender": 0.6, "efficacy": 0.6, "capacity": 0.7, "fit": 0.6, "style": 0.5,
              "season": 0.5, "age_group": 0.6, "model": 0.5, "skin": 0.5, "colour": 0.4, "size": 0.3}
# the shop's promises: delivery, returns, and guarantees of being genuine (香味=【该商品100%官方正品 假一赔十】)
_SERVICE_WORDS = ("包邮", "顺丰", "现货", "发货", "无理由", "运费险", "正品", "假一赔", "假一罚", "free shipping")
_GENDER_SUFFIX = ("女", "男")
_FOR_WHOM = ("适用对象", "适用人群")
# a number with its unit or count ("750mL", "6GB", "1.5匹", "12度", "5支装"), or a text that starts with one
_MEASURE = re.compile(r"^\d|\d\s*(?:ml|l|g|kg|mg|cm|mm|m|w|v|mah|gb|tb|bar|寸|英寸|匹|度|片|支|包|杯|瓶|罐|袋|盒|件|个|只|"
                      r"双|克|斤|升|毫升|粒|张|米|码|分|人份|装)(?![a-z])", re.IGNORECASE)
# a length or a range of lengths, an f- or t-stop ("24-70mm", "85mm", "F2.8", "T1.5"): what a lens's model holds
_LENGTH_OR_STOP = re.compile(r"(?i)[ft]?\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?\s*(?:mm|cm)?")
_CUT_HEADS = frozenset("裤裙鞋靴帽衫衣")  # garments whose one character is the kind: 阔腿裤 and 休闲裤 are both 裤
_CUT_NAMES = ("裙型", "裤型", "款式")  # the fields that name a garment's cut (not 鞋底制作工艺=胶粘鞋, a process)
_DEFAULT_LENGTHS = frozenset({"长裤"})  # a length every pair of trousers has unless said otherwise
_SKIRT_LENGTHS = frozenset({"短裙", "中裙", "中长裙", "长裙"})  # each makes a skirt a title names: 半身短裙, 连衣长裙
_DEBRIS = re.compile(r"[【】\[\]()（）{}<>《》、]")  # brackets, and a list's comma inside a value ("温和清洁、修护")


@dataclass(frozen=True)
class Element:
    """One piece a title can hold, with the evidence that lets it be there."""

    text: str
    kind: str  # brand | product_word | attribute | gender | search | keyword
    priority: float
    position: float  # relative position in a title, 0 = start
    evidence: str = ""  # "attribute 材质=纯棉", "keyword file", "category 女装>连衣裙"
    fact: Fact | None = None  # the attribute it states, for an attribute element


class ComposeGenerator:
    """Titles from a product's facts. ``fit(products)`` → ``generate`` / ``elements`` / ``save`` / ``load``.

    min_priority: elements this strong go in first; ``fill`` / ``fill_floor``: while a title uses less than
    ``fill`` of its room, elements down to ``fill_floor`` fill it (sellers write ~30 汉字, not 30 facts; blind
    reviewers preferred titles filled to 85% of the room, down to 0.2, over 70% and 0.3 by 29 to 13, and the whole
    room over 85% by 47 to 19, publishable 31 against 25 of 80); ``thin``: a
    Chinese title still under this share of its room after that takes the product's own features however few
    sellers write them (reviewers marked half-length titles "accurate but thin", the key feature missing).
    knowledge: a fitted ``CatalogKnowledge`` to share; ``fit`` fits one on the same products when absent."""

    name = "compose"

    def __init__(self, *, min_priority: float = 0.6, fill: float = 1.0, fill_floor: float = 0.2, thin: float = 0.6,
                 knowledge: CatalogKnowledge | None = None) -> None:
        self.min_priority = min_priority
        self.fill = fill
        self.fill_floor = fill_floor
        self.thin = thin
        self.knowledge = knowledge

    # ------------------------------------------------------------------ fitting
    def fit(self, products: Iterable[Product], knowledge: CatalogKnowledge | None = None) -> ComposeGenerator:
        prods = list(products)
        knowledge = knowledge or self.knowledge or CatalogKnowledge().fit(prods)
        self.knowledge_ = knowledge
        seg = knowledge.segmenter_
        pos: defaultdict[str, float] = defaultdict(float)
        n: defaultdict[str, int] = defaultdict(int)
        for p in prods:
            if not p.title:
                continue
            title = normalize_text(p.title)
            low = title.lower()
            for tok, s, _e in seg.spans(title):
                if len(tok) >= 2 and any(c.isalpha() for c in tok):
                    pos[tok.lower()] += s / max(len(low), 1)
                    n[tok.lower()] += 1
        self.word_pos_ = {w: round(pos[w] / c, 4) for w, c in sorted(n.items()) if c >= 2}
        self.word_count_ = {w: c for w, c in sorted(n.items()) if c >= 2}
        titles = [normalize_text(p.title) for p in prods if p.title]
        # how long the catalog's titles are: a title is filled up to that, not to the marketplace's room (Myntra's
        # sellers write ~30 characters where Amazon allows 200)
        self.title_length_ = {unit: int(statistics.median(text_length(t, unit) for t in titles))
                              for unit in UNITS} if titles else {}
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "knowledge_"):
            raise NotFittedError("ComposeGenerator is not fitted: call fit(products) on a catalog, or load() a "
                                 "saved one")

    # ------------------------------------------------------------------ elements
    @staticmethod
    def _claims_a_service(value: str) -> bool:
        """A value that promises delivery or service ("现货48小时内发货") is the shop's promise, not a fact of the
        product: never printed in a title."""
        low = value.lower()
        return any(w in low for w in _SERVICE_WORDS)

    def _worth(self, f: Fact) -> float:
        """0–1: how much a title gains from stating this fact — half how often sellers put the attribute in
        their titles, half how often they write this very value (a word buyers search for)."""
        rate = self._rate(f)
        n = self.knowledge_.n_titles_
        # a measure ("384g", "16GB") is rarely written twice the same, and a feature a form asks about (可折叠) is
        # a common word on other kinds of product: its attribute's rate says
        if n < _MIN_TITLES or any(c.isdigit() for c in f.text) or f.asked:
            return rate
        return 0.5 * rate + 0.5 * min(1.0, f.df / max(3.0, 0.005 * n))

    def _rate(self, f: Fact) -> float:
        """How much sellers want the attribute in a title: learned, or by its type where the catalog cannot say."""
        learned = self.knowledge_.n_titles_ >= _MIN_TITLES
        if learned and f.rate >= 0:
            return f.rate
        if f.asked:
            return 0.0  # a feature a form asks about is said where the catalog's sellers say it (无线), not by default
        # an attribute a large catalog never showed its sellers using, of no type that titles usually state,
        # must earn its place by its value (a word sellers write); a small catalog cannot tell, so it may
        return _TYPE_RATE.get(f.type or "", 0.1 if learned else 0.3)

    def elements(self, facts: ProductFacts, keywords: Iterable[str] = (), scoped: Iterable[str] = ()) -> list[Element]:
        """Every piece a title for the product may hold, each with its evidence, strongest first; remembered on
        the product's facts, which the flow builds once per product.

        keywords: the seller's search words for this product; ``scoped``: those the seller named for its
        category, which are evidence unless a fact contradicts them (a word for every category is added only
        where it claims nothing the product's data does not say)."""
        self._check_fitted()
        key = ("compose.elements", id(self), tuple(keywords), tuple(scoped))
        if key not in facts.memo:
            facts.memo[key] = self._elements(facts, key[2], key[3])
        return facts.memo[key]

    def _elements(self, facts: ProductFacts, keywords: tuple[str, ...], scoped: tuple[str, ...]) -> list[Element]:
        out: list[Element] = []
        covered: set[str] = set()

        def add(text: str, kind: str, priority: float, position: float, evidence: str, fact: Fact | None = None,
                ) -> None:
            text = _DEBRIS.sub(" ", text).strip().strip("._·")  # a value's stray dot or underscore: ".常规", "PT2531."
            if kind in ("attribute", "search", "keyword") and any(d in text for d in denied):
                return  # 耳机类别=IOS线控耳机 beside 是否线控=否: the form's no is the fact the seller answered
            if kind != "brand" and brand and text.lower().startswith(brand) and len(text) > len(brand):
                text = text[len(brand):].strip()  # "kono洗发水" after the brand KONO: "洗发水"
            low = text.lower()
            if not text or low in covered or not any(c.isalnum() for c in text):
                return
            covered.add(low)
            out.append(Element(text, kind, priority, position, evidence, fact))

        brand = (facts.brand_text or "").lower()
        denied = _denied(facts.product)
        if facts.brand_text:
            add(facts.brand_text, "brand", 10.0, 0.0, f"brand {facts.brand}")
        # a value that names a cut of the garment the product word names (裙型=A字裙, 包臀裙 beside 半身裙) joins it:
        # "A字半身裙", not "A字裙…半身裙"
        head0 = noun_head(facts.product_words[0][0]) if facts.product_words else ""
        cuts = [(f.text, f.evidence) for f in facts.facts if head0 in _CUT_HEADS and len(f.text) >= 3
                and f.name.strip().endswith(_CUT_NAMES) and noun_head(f.text) == head0 and f.text == f.value.strip()]
        words = self._product_words(facts.product_words + cuts, facts)
        words = _in_denim(words, facts)
        joined = {part for _w, evidence in words if "; " in evidence for part in evidence.split("; ")}  # merged words
        for i, (word, evidence) in enumerate(words):
            text = self.product_word_text(word, facts.lang)
            add(text, "product_word", 3.0 - i, self.word_pos_.get(text.lower(), 0.7), evidence)
        has_season = any(f.type == "season" for f in facts.facts)
        main = words[0][0].lower() if words else ""
        kinds = self.knowledge_.product_words_.kinds(main) if main else ()
        known = self.knowledge_.product_words_.known()
        # the field whose name gave the product word (坐便器类型 → 坐便器): its one value, when no product word of its
        # own (连体式, not 护颈枕 beside 枕头), says which kind of it this is; several (锅类型=不粘, 无涂层) are features
        kind_field = _kind_field(words[0][1]) if words else None
        kind_values = [f for f in facts.facts if f.name == kind_field]
        # its value a kind of the product word itself (电炸锅类型=可视炸锅 beside 电炸锅, 麦克风类型=手机K歌麦克风): the words
        # before the kind say which, next to it ("可视电炸锅"); the catalog's titles, which say 炸锅 apart, drop them
        kind_value = kind_values[0].value.strip() if len(kind_values) == 1 else ""
        kind_cut = _cut_of(kind_value, (kind_field, kind_value), main, facts) if kind_field and kind_value else ""
        if kind_cut and not _NO_KIND.match(kind_cut):
            add(kind_cut, "attribute", self.min_priority, 1.0, kind_values[0].evidence, kind_values[0])
        if len(kind_values) != 1 or known.head_of(kind_values[0].text) or noun_head(kind_values[0].text) == noun_head(main):
            kind_field = None
        unnamed = not main and not any(known.head_of(f.text) for f in facts.facts
                                       if not f.name.lower().startswith(FITS_NAMES))
        # the product's other words for what it is: 长裙 beside 连衣裙, 长裤 beside 牛仔裤
        others = {w.lower() for w, _e in facts.product_words if main and noun_head(w) == noun_head(main)} - {main}
        a_set = is_set(facts.product) or any(w.endswith(SETS) for w, _e in facts.product_words)
        for f in facts.facts:
            # another name for what the product is ("商务手机", "音乐手机" beside 智能手机) says it twice, and so does a cut
            # the product word took
            if main and f.text.lower() != main and (f.text.lower().endswith(kinds) or f.text.lower() in others
                                                    or f.evidence in joined):
                continue
            # a part of another kind, under a name for that kind (裤长=长裤 on a coat: a shop's form for its sets asks
            # it of every item) says the product is what it is not, unless the product is a set of them
            head = known.head_of(f.text)
            if main and head and not a_set and names_another_kind(f.name, head, main):
                continue
            # a size code is one variant of many, a part's material misleads alone, a listing's paperwork says
            # nothing of the product (see attribute_types.toml);
            # a launch season ("2021年秋季") in a title reads as the season to wear it: not beside another one
            if f.type in ("product_type", "department", "garment_size", "part_material", "meta") \
                    or is_range(f.value) \
                    or (f.type == "launch" and has_season) or self._claims_a_service(f.value):
                continue
            # with nothing naming the product, what it fits (适用对象=眼镜 on a washer) would read as what it is
            if unnamed and f.name.lower().startswith(FITS_NAMES) and head:
                continue
            if f.type == "alias" and not self.knowledge_.names_own_brand(f.text, facts):
                continue
            if f.asked and self._worth(f) <= 0:
                continue  # a feature the catalog's sellers never write (是否支持定时功能=是): no title word
            priority = 2.0 * self._worth(f)
            if f.name == kind_field:  # 坐便器类型=连体式: which kind of the product it is, however few sellers say so
                priority = max(priority, self.min_priority)
            add(f.text, "attribute", priority, f.position, f.evidence, f)
        gender = self._gender_suffix(facts)
        if gender is not None:
            add(gender.text, "gender", 1.5, 1.0, gender.evidence, gender)
        # the words sellers of a kind add (洋气 to 套装) follow a kind the product's data names, not one inferred
        # from similar products: on a thin listing they read as stuffing
        if facts.product_words and LIKE_IT not in facts.product_words[0][1]:
            group = facts.product_words[0][0].lower()
            for w, share in self.knowledge_.search_words_.get(group, ()):
                add(w, "search", share, self.word_pos_.get(w, 0.5),
                    f"catalog: {share:.0%} of its {group} titles say it; it states no fact")
        lexicon = self.knowledge_.lexicon_
        scoped = set(scoped)
        for i, kw in enumerate(keywords):
            ok = (contradiction(kw.lower(), facts.product, lexicon) in (None, FITS)) if kw in scoped \
                else lexicon.grounded(kw, facts.source)
            if kw and ok:
                add(kw, "keyword", 1.2 - 0.02 * i, self.word_pos_.get(kw.lower(), 0.6), f"keyword file: {kw}")
        return sorted(out, key=lambda e: -e.priority)

    @staticmethod
    def _gender_suffix(facts: ProductFacts) -> Fact | None:
        """A Chinese product for one sex (适用性别=女) is written "围巾女", "双肩包男": the character closes the product
        word, the form buyers search by. As a value alone one character says nothing, so only beside the product
        word (``_Draft.add``, ``_join``), and only where no longer word of the product says it (女士, 男款)."""
        if facts.lang != "zh" or any(f.type == "gender" for f in facts.facts):
            return None
        # 适用对象=男 on a watch says whom it is for as 适用性别=男 does ("手表男", sellers' 男表)
        said = [(k, v.strip()) for k, v in facts.product.attributes if v.strip() in _GENDER_SUFFIX
                and (load_types().type_of(k) == "gender" or k.strip().startswith(_FOR_WHOM))]
        if len({v for _k, v in said}) != 1:
            return None
        name, value = said[0]
        return Fact(name=name, value=value, text=value, type="gender", rate=-1.0, position=1.0)

    @staticmethod
    def _product_words(found: list[tuple[str, str]], facts: ProductFacts | None = None) -> list[tuple[str, str]]:
        """The product's words a title may name it by, at most two, most trusted first: one per head (牛仔裤 and 长裤
        are both 裤), the most precise of a head first (靴子 from the name 靴子类型 yields to 马丁靴 from a value, the
        category's 帽子 to 棒球帽), and a lone character (类型=裤) only when no longer word says it."""
        out: list[tuple[str, str]] = []
        for word, evidence in found:
            head = noun_head(word)
            same = next((i for i, (w, _e) in enumerate(out) if head and noun_head(w) == head), None)
            if same is None:
                out.append((word, evidence))
            elif len(word) > len(out[same][0]) and (len(out[same][0]) == 1 or out[same][1].startswith("attribute name")):
                out[same] = (word, evidence)
            elif out[same][1].startswith("category") and word.endswith(out[same][0].removesuffix("子")):
                out[same] = (word, evidence)  # the shop files it as 帽子; 款式=棒球帽 says which (长裤 says less than 牛仔裤)
            elif out[same][0] in _DEFAULT_LENGTHS and (held := _attribute(out[same][1])) and held[0].endswith("长") \
                    and _attribute(evidence):
                out[same] = (word, evidence)  # 裤长=长裤 says less than 款式=铅笔裤: "铅笔裤", not "铅笔裤…长裤"
            elif length := _with_length(out[same][0], word, evidence, facts):
                out[same] = (length, f"{out[same][1]}; {evidence}")  # shorts are no trousers: "休闲短裤", "半身短裙"
            elif length := _with_length(word, *out[same], facts):  # the length came first
                out[same] = (length, f"{evidence}; {out[same][1]}")
            elif out[same][1].startswith("category") and (cut := _cut_of(word, _attribute(evidence), out[same][0], facts)):
                # the shelf's kind and the product's cut of it (休闲裤, 款式=阔腿裤): one word says both, "阔腿休闲裤"
                out[same] = (cut + out[same][0], f"{out[same][1]}; {evidence}")
        return out[:2]

    def product_word_text(self, word: str, lang: str) -> str:
        """A product word as sellers write it: "Water Bottles" → "Water Bottle" when titles say so."""
        if lang != "en":
            return word
        word = " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in word.split())
        if not word.lower().endswith("s"):
            return word
        # the form the catalog's titles use most: a feed's plural category name ("Tshirts", "Dresses") is one
        # shirt or dress in its sellers' titles
        counts = self.word_count_
        forms = [word, word[:-1]] + ([word[:-2]] if word.lower().endswith(("ses", "xes", "ches", "shes")) else [])
        if counts is None:  # a composer saved before the counts were kept: its positions only
            seen = [f for f in forms if self.word_pos_.get(f.split()[-1].lower()) is not None]
            return seen[-1] if len(seen) == 1 and seen[0] != word else word
        return max(forms, key=lambda f: (counts.get(f.split()[-1].lower(), 0), f == word))

    # ------------------------------------------------------------------ composing
    def compose(self, elements: list[Element], spec: Spec, *, order: str = "learned",
                rng: random.Random | None = None, kinds: set[str] | None = None) -> str:
        """Add elements by priority while they fit, then order them; whole elements only. The strong ones go in
        first; while the title is short of ``fill`` of its room, weaker facts (down to ``fill_floor``) fill it,
        the way sellers write ~30 汉字 of what the product is."""
        pool = [e for e in elements if kinds is None or e.kind in kinds]
        if rng is not None:  # the facts are shaken, never which word names the product ("连衣长裙开衫" is a cardigan)
            shaken = [(e, rng.uniform(0.7, 1.3)) for e in pool]
            pool = [e if e.kind == "product_word" else replace(e, priority=e.priority * f) for e, f in shaken]
        pool.sort(key=lambda e: -e.priority)
        strong = [e for e in pool if e.priority >= self.min_priority] or pool[:3]
        title = _Draft(spec, order)
        for e in strong:
            title.add(e)
        room = min(self.fill * spec.max_units, self.title_length_.get(spec.unit, spec.max_units))
        # a measure whose unit does not say what it measures ("5cm", "170°", "250cd/m^2") reads as a value pasted in
        # unless its attribute is one sellers print often
        title.fill(pool, room, lambda e: e.priority >= self.fill_floor
                   and (e.priority >= self.min_priority or not _UNSAID_MEASURE.match(e.text)))
        if spec.lang == "zh" and any(c.kind == "product_word" for c in title.chosen):
            title.fill(pool, self.thin * room, _a_feature)  # a thin title: what else the product is, in its features
        return self._join(title.chosen, order, spec.lang)

    @staticmethod
    def _join(chosen: list[Element], order: str, lang: str | None = "zh") -> str:
        # A noun phrase ends with its head in Chinese as in English ("春季圆头平底PU板鞋", "Men Black Casual
        # Watch"): the product word closes the words that describe it, and only measures and codes follow
        # ("果酒 500ml 2瓶"). Values after it read as a list pasted on (blind reviewers marked "…板鞋系带",
        # "…皮鞋日常青年" as fragments).
        words = [e for e in chosen if e.kind == "product_word"]
        head = max(words, key=lambda e: e.priority) if words else None

        def place(e: Element) -> int:
            if e.kind == "brand":
                return 0
            if e is head:
                return 2
            if e.kind == "product_word" and e.text in SETS:
                return 3  # a set of the kind the head names: "卡拉OK音箱套装"
            if e.kind == "gender":
                return 4
            if head is None or not any(c.isdigit() for c in e.text):
                return 1
            # a measure follows the product word; a model goes where the catalog's sellers put its attribute: the
            # model a case fits before it ("苹果13保护壳", not "保护壳苹果13", and "8plus保护壳" though it starts with
            # a digit: blind reviewers read "保护壳8plus" as a fragment), an appliance's code after
            if _a_device_model(e):
                return 5 if e.position >= head.position else 1
            return 5 if _MEASURE.search(e.text) or e.position >= head.position else 1

        if order == "scan":  # brand, then by value: what buyers read first
            items = sorted(chosen, key=lambda e: (place(e), -e.priority))
        else:  # the sellers' learned order
            items = sorted(chosen, key=lambda e: (place(e), e.position))
        texts = _shared_verb_once(items, _fitted_models_once(items, [e.text for e in items]))
        for i in range(1, len(items)):
            if items[i] is head:  # a value ending where the product word begins says it once: "纯净加湿" + "加湿器"
                texts[i - 1] = _without_overlap(texts[i - 1], texts[i])  # → "纯净加湿器", not "纯净加湿加湿器"
        # another maker's brand or model the product fits is said as what it fits: "适用苹果12", never "苹果12保护壳" alone
        # (Taobao's rule on others' brands; reviewers marked a case titled by the phone's brand as a rule break)
        fits = next((i for i, e in enumerate(items) if lang == "zh" and (_fits_a_brand(e) or _a_device_model(e))
                     and texts[i]), None)
        if fits is not None and not texts[fits].startswith(FITS_NAMES):
            texts[fits] = "适用" + texts[fits]
        return join_words(texts)

    def generate(self, task: Task, product: Product, n: int, spec: Spec) -> list[Candidate]:
        """Titles composed from facts. ``spec.extra["facts"]`` (the flow's per-product facts) is used when given."""
        self._check_fitted()
        facts = spec.extra.get("facts") or self.knowledge_.facts(product)
        els = self.elements(facts, spec.keywords, spec.extra.get("scoped_keywords", ()))
        rng = random.Random(spec.seed * 1_000_003 + zlib.crc32(product.id.encode()))  # stable across runs
        plans: list[tuple[str, dict]] = [
            ("learned", {}),
            ("scan", {}),
            ("learned", {"kinds": {"brand", "product_word", "attribute", "gender"}}),
        ]
        plans += [("learned", {"rng": rng}) for _ in range(max(0, n - len(plans)) + 2)]
        out: list[Candidate] = []
        seen: set[str] = set()
        for order, kw in plans:
            text = self.compose(els, spec, order=order, **kw)
            if not text or text in seen:
                continue
            seen.add(text)
            used = [e for e in els if e.text in text]
            out.append(Candidate(text=text, task=task, generator=f"compose@{VERSION}",
                                 meta={"plan": order + ("+facts" if "kinds" in kw else "") +
                                       ("+sampled" if "rng" in kw else ""),
                                       "evidence": {e.text: e.evidence for e in used}}))
            if len(out) >= n:
                break
        return out

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        self._check_fitted()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.knowledge_.save(path)
        meta = {"generator": self.name, "version": VERSION,
                "params": {"min_priority": self.min_priority, "fill": self.fill, "fill_floor": self.fill_floor,
                           "thin": self.thin},
                "word_pos": self.word_pos_, "word_count": self.word_count_, "title_length": self.title_length_}
        (path / "compose.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> ComposeGenerator:
        data = json.loads((Path(path) / "compose.json").read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            raise NotFittedError(f"{path}: a composer saved by another version ({data.get('version')}); this "
                                 f"listingforge reads version {VERSION}: run with --save-composer again")
        self = cls(**data["params"])
        self.knowledge_ = CatalogKnowledge.load(path)
        self.word_pos_ = dict(data["word_pos"])
        # a composer saved before these were kept: fill to the marketplace's room, product words by position
        self.title_length_ = dict(data.get("title_length", {}))
        self.word_count_ = dict(data["word_count"]) if data.get("word_count") is not None else None
        return self


class _Draft:
    """The elements chosen so far for one title, and its length: an upper bound (each piece adds its length and at
    most one space) until the bound passes the limit, then measured exactly."""

    def __init__(self, spec: Spec, order: str) -> None:
        self.spec, self.order = spec, order
        self.chosen: list[Element] = []
        self.length = 0

    def add(self, e: Element) -> None:
        held = [c for c in self.chosen if _names_less(c, e) or _model_holds(e, c)]
        if held:
            self._replace(held, e)
            return
        # one piece that repeats another says it twice ("外套" … "毛呢外套", "原味豆奶" … "原味豆奶1L"); two
        # pieces on one matter (a season and a launch season) say it twice in other words
        if any(_overlaps(e.text, c.text) or _same_matter(e, c) or _same_product(e, c) or _said_as(e.text, c.text)
               or _amount_said(e.text, c.text) or _names_the_kind_again(e, c) for c in self.chosen):
            return
        if e.kind == "gender" and not any(c.kind == "product_word" for c in self.chosen):
            return  # "女" alone is no word: it closes a product word or is not written
        bound = self.length + text_length(e.text, self.spec.unit) + (1 if self.chosen else 0)
        if bound > self.spec.max_units:
            bound = text_length(ComposeGenerator._join([*self.chosen, e], self.order, self.spec.lang), self.spec.unit)
            if bound > self.spec.max_units:
                return
        self.chosen.append(e)
        self.length = bound

    def fill(self, pool: list[Element], room: float, takes: Callable[[Element], bool]) -> None:
        """Add the elements of ``pool`` that ``takes`` accepts, strongest first, until the title reaches ``room``."""
        for e in pool:
            if self.length >= room:
                break
            if takes(e) and not any(e is c for c in self.chosen):
                self.add(e)

    def _replace(self, held: list[Element], e: Element) -> None:
        rest = [c for c in self.chosen if not any(c is h for h in held)]
        if any(_overlaps(e.text, c.text) or _same_matter(e, c) for c in rest):
            return
        length = text_length(ComposeGenerator._join([*rest, e], self.order, self.spec.lang), self.spec.unit)
        if length <= self.spec.max_units:
            self.chosen, self.length = [*rest, e], length


_WORD = re.compile(r"[^\W_]+")
_MATTER = {"launch": "season"}  # a launch season and a season of use read as one matter in a title


def _denied(product: Product) -> set[str]:
    """The features a product's form answers no to, as a title would say them (是否线控=否 → 线控)."""
    types = load_types()
    return {w for k, v in product.attributes if (w := types.denied(k, v))}


def _field(e: Element) -> str:
    """The attribute name an attribute element's value stands under; "" for any other element."""
    return e.fact.name.strip() if e.kind == "attribute" and e.fact is not None else ""


def _fits_a_brand(e: Element) -> bool:
    """A value of the brand or the model a product fits (适用品牌=Apple/苹果, 适用机型=红米5A)."""
    name = _field(e)
    return name.startswith(FITS_NAMES) and name.endswith(_FITS_BRAND_FIELDS)


_FITS_BRAND_FIELDS = ("品牌", "机型", "型号", "车型")


def _fitted_models_once(items: list[Element], texts: list[str]) -> list[str]:
    """The models a product fits, said one after another, name their maker once: "苹果8/13mini/SE 2020", not
    "苹果8苹果13mini苹果SE 2020" (blind reviewers read a case's run-together model list as a fragment). A fitted model,
    or a 型号 value (where a case's sellers also put the phone), joins the fitted model before it when it starts with
    the same maker's name; the merged text takes the first one's place and the other's is emptied, so positions keep
    matching ``items``."""
    out = list(texts)
    last: int | None = None  # the index whose text holds the current maker's list
    for i, e in enumerate(items):
        name = _field(e)
        fitted = names_a_fitted_model(name)
        maker = _MAKER.match(e.text) if fitted or name == "型号" else None
        if maker and last is not None and out[last].startswith(maker.group()) and len(e.text) > maker.end():
            out[last] = out[last].strip(" /") + "/" + " ".join(e.text[maker.end():].split()).strip(" /")
            out[i] = ""
            continue
        last = i if maker and fitted else None
    return out


_MAKER = re.compile(r"[\u4e00-\u9fff]{2,}")  # a maker's name leading a model: 苹果, 华为, 红米


def _shared_verb_once(items: list[Element], texts: list[str]) -> list[str]:
    """Two values of one attribute that open with the same word say it once, the second's rest after the first:
    "改善毛躁头痒", not "改善毛躁去头屑改善头痒" (功能=改善毛躁, 改善头痒), "深层清洁滋养", "支持刻字定制", as sellers write them.
    Only values in Chinese characters of four or more, whose rest is two or more; the emptied text keeps positions."""
    out = list(texts)
    first: dict[tuple[str, str], int] = {}  # (attribute, opening word) → the index whose text takes the rests
    for i, e in enumerate(items):
        text, name = out[i], _field(e)
        if not name or len(text) < 4 or cjk_count(text) != len(text):
            continue
        key = (name, text[:2])
        if key in first:
            out[first[key]] += text[2:]
            out[i] = ""
        else:
            first[key] = i
    return out


def _a_device_model(e: Element) -> bool:
    """A value of the phone's or the device's model a product fits (手机型号=苹果7plus/8plus, 适用机型=红米5A)."""
    return names_a_fitted_model(_field(e))


def _a_feature(e: Element) -> bool:
    """A value of the product's own kind of attribute (温控方式=上下管独立控温, 扶手类型=固定扶手), however few sellers
    write it: no typed matter (a province, an age range, 任何肤质), no absence or state (未分级, 已做完), no list, no
    bare measure (a weight, a shelf life, "3门": blind reviewers read them as values pasted in) and no build (箱框结构)."""
    return e.kind == "attribute" and e.fact is not None and e.fact.type is None and not e.fact.asked \
        and not _NOT_A_FEATURE.search(e.text) and not _BARE_MEASURE.match(e.text)


_NO_KIND = re.compile(r"^(?:[未无非不]|其他|其它|普通|常规|标准|传统)")  # 非可视化炸锅, 其他异型吊灯: no kind said
_NOT_A_FEATURE = re.compile(r"^[未无非不已]|[/、]|标配|通用$|单品$|结构$|工艺$|^[一两二三四五六七八九十]个$")
# a length, a box's three sides, an angle, a brightness, an impedance, a loudness or a frequency, with nothing after it
# to say of what (a bed's or a blanket's two sides, "1800x2000mm", say its size)
_UNSAID_MEASURE = re.compile(r"^\d[\d.]*(?:\s*[-~]\s*\d[\d.]*|(?:\s*[xX*×]\s*\d[\d.]*){2})?\s*(?:cm|mm|m|米|厘米|毫米)$"
                             r"|^\d[\d.]*(?:\s*[-~]\s*\d[\d.]*)?\s*(?:°|cd/m\^?2|cd/㎡|nit|Ω|ω|db|hz)$", re.IGNORECASE)
_BARE_MEASURE = re.compile(r"^\d[\d.]*(?:\s*[-~xX*×]\s*\d[\d.]*)*\s*[A-Za-z\u4e00-\u9fff]{0,3}$")


def _same_matter(a: Element, b: Element) -> bool:
    """Two facts about one typed matter (gender, season, age group, size, colour, packaging, amount): a title says
    one of them ("盒装" and "散装" from two packaging attributes, "120g 80G" from two net contents, contradict)."""
    ta = a.fact.type if a.fact else None
    tb = b.fact.type if b.fact else None
    ta, tb = _MATTER.get(ta or "", ta), _MATTER.get(tb or "", tb)
    return ta is not None and ta == tb and ta in ("gender", "season", "age_group", "size", "colour", "packaging", "capacity")


def _names_less(chosen: Element, e: Element) -> bool:
    """A name written for a value in two scripts ("苹果" for 适用品牌=Apple/苹果) yields to a value that starts with it
    and says more ("苹果13 pro max" from 型号): keeping the name would drop the model a case fits. So does a material
    to another that holds it (牛皮 to 皮革材质=头层牛皮: the grade is what buyers search)."""
    if chosen.kind != e.kind or e.kind != "attribute" or chosen.fact is None or len(e.text) <= len(chosen.text):
        return False
    if e.fact is not None and chosen.fact.type == e.fact.type == "material" and chosen.text in e.text:
        return True
    return e.text.lower().startswith(chosen.text.lower()) and chosen.text in (two_scripts(chosen.fact.value) or ())


def _without_overlap(before: str, word: str) -> str:
    """``before`` without the Chinese characters (two or more) it ends with and ``word`` starts with."""
    for n in range(min(len(before), len(word) - 1), 1, -1):
        if before.endswith(word[:n]) and cjk_count(word[:n]) == n:
            return before[:-n].rstrip()
    return before


def _kind_field(evidence: str) -> str | None:
    """The attribute a product word was read from by its name ("attribute name 坐便器类型" → 坐便器类型), where the name
    is a field for the product's kind (X类型, X分类); None for any other evidence."""
    if not evidence.startswith("attribute name "):
        return None
    name = evidence.removeprefix("attribute name ").split(":")[0].strip()
    return name if KIND_NAME.match(name) else None


def _attribute(evidence: str) -> tuple[str, str] | None:
    """The attribute name and value a product word's evidence gives ("attribute 裤长=长裤" → 裤长, 长裤); None for a
    category's or a neighbour's evidence."""
    if not evidence.startswith("attribute "):
        return None
    name, _, value = evidence.removeprefix("attribute ").partition("=")
    return name, value


def _cut_of(word: str, attribute: tuple[str, str] | None, kind: str, facts: ProductFacts | None) -> str:
    """What a value's product word says beyond the shelf's word it ends like: "阔腿" of 款式=阔腿裤 beside 休闲裤, "美白"
    of 面膜单品=美白面膜 beside 贴片面膜. "" for a length (裤长=长裤), a cut that repeats the shelf's word (运动休闲鞋
    beside 休闲板鞋) or another value the title may print (系列=奇福饼干2000G), a value that says more than the word (兰芝单品=
    兰芝睡眠面膜70ml is printed itself), the brand (凡士林护唇膏), or words that share one character other than a garment's
    (蛋白粉 and 驼奶粉 share 粉, not a kind). ``attribute``: the (name, value) the word was read from; None for none."""
    name, value = attribute or ("", "")
    brand = (facts.brand_text or "") if facts is not None else ""
    word = word.removeprefix(brand) if brand else word
    common = os.path.commonprefix([word[::-1], kind[::-1]])[::-1]
    cut = word[: len(word) - len(common)]
    others = [v for k, v in facts.product.attributes if k != name] if facts is not None else []
    if (not attribute or value.strip().removeprefix(brand) != word or name.endswith("长")
            or len(cut) < 2 or not cut.isalnum()
            or (len(common) < 2 and common not in _CUT_HEADS)
            or any(cut[i:i + 2] in kind for i in range(len(cut) - 1)) or any(cut in v for v in others)):
        return ""
    return cut


def _with_length(kind: str, word: str, evidence: str, facts: ProductFacts | None) -> str:
    """The product's word with the length a value gives it where the length makes another garment: 休闲裤 with 裤长=短裤
    → 休闲短裤, 半身裙 with 裙长=短裙 → 半身短裙, 连衣裙 with 长裙 → 连衣长裙; "" for the default (长裤), no length, or a
    product whose other values give a length of their own (衣长=中长款)."""
    name, value = _attribute(evidence) or ("", "")
    if not name.endswith("长") or value.strip() != word or word in kind:
        return ""
    if facts is not None and any(v.strip().endswith("款") and k != name and k.endswith("长")
                                 for k, v in facts.product.attributes):
        return ""
    if (word == "短裤" and kind.endswith("裤")) or (word in _SKIRT_LENGTHS and kind.endswith("裙")):
        return kind[:-1] + word
    return ""


def _in_denim(words: list[tuple[str, str]], facts: ProductFacts) -> list[tuple[str, str]]:
    """A garment of denim is named so, its fabric before it: 全棉牛仔布 with 阔脚长裤 → "全棉牛仔阔脚长裤" (buyers search
    牛仔裤, 牛仔裙; "全棉牛仔布…长裤" read as a fabric pasted in)."""
    if not words or noun_head(words[0][0]) not in _CUT_HEADS or "牛仔" in words[0][0]:
        return words
    fabric = next((f for f in facts.facts if f.type == "material" and f.text.endswith("牛仔布")), None)
    if fabric is None:
        return words
    word, evidence = words[0]
    return [(fabric.text.removesuffix("布") + word, f"{evidence}; {fabric.evidence}"), *words[1:]]


def _said_as(a: str, b: str) -> bool:
    """Whether one piece says the other in the words titles use for it (廓形=A型 beside A字半身裙)."""
    said_as = load_types().said_as
    return any(alias in other for x, other in ((a, b), (b, a)) if (alias := said_as.get(x)))


def _model_holds(e: Element, chosen: Element) -> bool:
    """A model that holds a chosen length or stop says it and more ("EF 24-70mm f/2.8L II USM" holds 24-70mm and
    F2.8, "85mmT1.5 II" 85mm): buyers search a lens by its model whole, so the pieces yield to it."""
    return (e.kind == chosen.kind == "attribute" and e.fact is not None and e.fact.type == "model"
            and chosen.fact is not None and chosen.fact.type != "model" and len(e.text) > len(chosen.text)
            and _LENGTH_OR_STOP.fullmatch(chosen.text.strip()) is not None and _overlaps(e.text, chosen.text))


def _same_product(a: Element, b: Element) -> bool:
    """Two product words with one head ("牛仔裤" and "长裤" are both 裤, "马丁靴" and "靴子" 靴): a title names the
    product once."""
    return a.kind == b.kind == "product_word" and noun_head(a.text) != "" and noun_head(a.text) == noun_head(b.text)


def _names_the_kind_again(e: Element, word: Element) -> bool:
    """Whether a listing option's colour value names the kind the title's product word already names ("经典小麦王啤酒
    500ml*9罐" beside 熟啤酒, "妆蕾面膜银色2盒" beside 银色面膜): sellers fill the colour option with whole product names,
    and a title that says 啤酒 twice reads as two products pasted together. Other values that hold the kind's word name
    a form or a series of it (冻干咖啡, 奇福饼干) and stay."""
    if e.kind != "attribute" or word.kind != "product_word" or e.fact is None or e.fact.type != "colour":
        return False
    tail = word.text[-2:]
    return cjk_count(tail) == 2 and tail in e.text and len(e.text) > len(tail)


def _amount_said(piece: str, other: str) -> bool:
    """Whether ``piece`` is only an amount ``other`` states in another unit ("1000mL" beside "原味豆奶1L", "5000ml"
    beside "5L/桶"): a title says it once."""
    if not any(c.isdigit() for c in piece):
        return False
    said = _amounts(piece)
    return bool(said) and said <= _amounts(other) and _ONLY_COUNTS.fullmatch(_AMOUNT.sub("", piece)) is not None


@lru_cache(maxsize=65_536)
def _amounts(text: str) -> frozenset[tuple[str, float]]:
    return frozenset((kind, round(float(n) * f, 3)) for n, u in _AMOUNT.findall(text) for kind, f in [_UNITS[u.lower()]])


_UNITS = {"ml": ("volume", 1), "毫升": ("volume", 1), "l": ("volume", 1000), "升": ("volume", 1000), "g": ("weight", 1),
          "克": ("weight", 1), "kg": ("weight", 1000), "千克": ("weight", 1000), "公斤": ("weight", 1000), "斤": ("weight", 500)}
_ONLY_COUNTS = re.compile(r"[\d\s.xX*×+]*")  # what an amount may come with and still say nothing else ("1x1x5000ml")
# (a network's generation, "4G", "5G", is no weight)
_AMOUNT = re.compile(r"(?<![\d.])(?![2-5]G)(\d+(?:\.\d+)?)\s*(ml|毫升|l|升|g|克|kg|千克|公斤|斤)(?![a-z])", re.IGNORECASE)


@lru_cache(maxsize=65_536)  # catalogs repeat their values: each pair is worked out once
def _overlaps(a: str, b: str) -> bool:
    """Whether two pieces share so much that both in one title say something twice: one holds the other, or they
    share a run of three or more characters that is half of the shorter one. Plain words written with spaces
    are compared as words ("Black" and "Backpacks" share letters, not a word; "Navy Blue" and "Blue" share one);
    codes with digits by their characters ("32F1.4" and "F1.4", "findx3" and "find x3" say one thing)."""
    a, b = a.lower(), b.lower()
    if not cjk_count(a) and not cjk_count(b) and not any(c.isdigit() for c in a + b):
        wa, wb = set(_WORD.findall(a)), set(_WORD.findall(b))
        return bool(wa & wb) and (wa <= wb or wb <= wa or any(len(w) >= 3 for w in wa & wb))
    if a in b or b in a:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    n = max(3, (len(short) + 1) // 2)
    return any(short[i:i + n] in long_ for i in range(len(short) - n + 1))


@register_generator("compose")
def _make_compose(**kwargs) -> ComposeGenerator:  # noqa: ANN003
    model = kwargs.pop("model", None)
    if model is not None:
        return ComposeGenerator.load(model)
    return ComposeGenerator(**kwargs)
