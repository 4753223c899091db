"""``compose``: titles assembled from the product's own facts, in the way the catalog's sellers write them.

Learned from a catalog of products with titles (``fit``), no model needed:
- which attributes sellers put in titles and where (``attr_rate_``, ``attr_pos_``), per attribute name;
- how a value is phrased in titles (``phrasing_``: "Sansui/山水" → "山水", "2020年秋季" → "秋季");
- which words a product's facts call for (``assoc_``): an association from each fact (attribute name,
  name=value, category) to the title words that go with it — this is where the product word
  (裤长=长裤 + 款式=铅笔裤 → 牛仔裤) and the category's search words come from, learned, not listed;
- where each word sits in a title (``word_pos_``), so candidates read in the sellers' order.

Composition adds whole elements by value until the marketplace length is filled: never a cut word. Facts
come only from the product; learned words are category vocabulary, and every candidate still goes through
the grounding check downstream.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..compliance.grounding import Lexicon, product_source_text
from ..compliance.terms import check_terms
from ..errors import NotFittedError
from ..product import Candidate, Product, Task
from ..text.lang import cjk_count, detect_lang
from ..text.length import text_length
from ..text.normalize import join_words, normalize_text
from ..text.segment import Segmenter
from .base import Spec, register_generator

VERSION = 1
_SPLIT_VALUE = re.compile(r"[/、,，;；|（）()\[\]【】]+")
# attribute names whose value names the product itself
_TYPE_NAMES = {"产品", "品类", "类型", "商品类型", "产品类型", "产品名称", "品名", "articletype", "type",
               "product_type", "subcategory", "category"}
_BRAND_NAMES = {"品牌", "brand"}
# values that add nothing to a title
_EMPTY = {"其他", "其它", "无", "是", "否", "有", "不限", "通用", "均码", "见详情", "如图", "默认", "other", "none", "na",
          "n/a", "yes", "no", "unknown", "属性见描述"}


@dataclass
class Element:
    """One piece a title can hold."""

    text: str
    kind: str  # brand | product_word | attribute | keyword
    priority: float
    position: float  # learned relative position in a title, 0 = start
    source: str = ""  # attribute name or feature that brought it


_PRIORITY = attrgetter("priority")


def _clean_value(v: str) -> str:
    return normalize_text(v).strip()


def _is_empty(v: str) -> bool:
    return not v or v.lower() in _EMPTY


def _brand_forms(brand: str) -> list[str]:
    """"Sansui/山水" → ["Sansui/山水", "山水", "Sansui"]; the full form first."""
    parts = [p.strip() for p in _SPLIT_VALUE.split(brand) if p.strip()]
    forms = [brand.strip()]
    forms += sorted((p for p in parts if p != brand.strip()), key=lambda p: -cjk_count(p))
    return forms


def product_brand(p: Product) -> str | None:
    """The product's brand from ``brand`` or a 品牌/brand attribute; "其他/other" is no brand."""
    cands = [p.brand or ""] + [v for k, v in p.attributes if k.lower() in _BRAND_NAMES]
    for b in cands:
        if b and not all(_is_empty(x.strip()) for x in _SPLIT_VALUE.split(b) if x.strip()):
            return b.strip()
    return None


def product_features(p: Product) -> list[str]:
    """The facts an association is learned from: category, attribute names and name=value pairs."""
    feats = category_features(p.category) if p.category else []
    for k, v in p.attributes:
        feats += pair_features(k, v)
    return feats


def category_features(category: str) -> list[str]:
    """The features a category gives: its full path and its last level."""
    return [f"c:{category}", f"c:{category.split('>')[-1].strip()}"]


def pair_features(name: str, value: str) -> list[str]:
    """The features one attribute pair gives (none for a brand: the brand is its own element)."""
    if name.lower() in _BRAND_NAMES:
        return []
    feats = [f"n:{name}"]
    if not _is_empty(value):
        feats.append(f"v:{name}={value}")
        for part in _SPLIT_VALUE.split(value):
            if part and part != value:
                feats.append(f"v:{name}={part}")
    return feats


class ComposeGenerator:
    """Titles from attributes and the catalog's learned habits. ``fit`` → ``generate`` / ``save`` / ``load``."""

    name = "compose"

    def __init__(self, *, min_support: int | None = None, max_words_per_feature: int = 30,
                 min_assoc: float = 0.25, min_priority: float = 0.6, user_words: Iterable[str] = ()) -> None:
        # min_support None: 2 for a small catalog (< 200 titles), 3 below 2,000, else 5
        self.min_support = min_support
        self.max_words_per_feature = max_words_per_feature
        self.min_assoc = min_assoc
        self.min_priority = min_priority  # elements worth less are left out even when there is room
        self.user_words = list(user_words)
        self._reset_caches()

    def _reset_caches(self) -> None:
        """Caches derived from the fitted state; a refit must not answer from the old catalog."""
        self._value_memo: dict[tuple[str, str], str] = {}  # (value, lang) → phrasing
        self._attr_memo: dict[tuple[str, str, str], tuple[str, str, float, float] | None] = {}  # (name, value, lang)
        self._cat_cache: dict[str, set[str]] | None = None  # category → its title words
        self._assoc_memo: dict[tuple[str, str | None], list[tuple[str, float]]] = {}  # (feature, category)
        self._pair_memo: dict[tuple[str, str, str | None], list[tuple[str, float]]] = {}  # (name, value, category)
        self._last: tuple[Any, list[Element]] = (None, [])  # the last product's elements
        self._measure_memo: dict[tuple[str, str], tuple[str, int]] = {}  # (text, unit) → (lower, length)
        self._pieces_memo: dict[str, frozenset[str]] = {}  # word → its substrings of 2+ characters

    # ------------------------------------------------------------------ fitting
    def fit(self, products: Iterable[Product], lexicon: Lexicon | None = None) -> ComposeGenerator:
        """Learn from products with titles. ``lexicon`` (facts a word can claim) defaults to one fit here."""
        prods = [p for p in products if p.title]
        self._reset_caches()
        self.lexicon_ = lexicon if lexicon is not None else Lexicon().fit(prods)
        words = set(self.user_words)
        for p in prods:
            b = product_brand(p)
            if b:
                words.update(_brand_forms(b))
            for _k, v in p.attributes:
                if 2 <= len(v) <= 8 and not _is_empty(v):
                    words.add(v)
        self.segmenter_ = Segmenter(words)

        attr_seen: Counter[str] = Counter()
        attr_hit: Counter[str] = Counter()
        attr_pos: defaultdict[str, float] = defaultdict(float)
        phrase_counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        feat_n: Counter[str] = Counter()
        co: defaultdict[str, Counter[str]] = defaultdict(Counter)
        word_pos: defaultdict[str, float] = defaultdict(float)
        word_n: Counter[str] = Counter()
        brand_form: Counter[str] = Counter()  # which brand form sellers write: full / cjk part / latin part
        cat_vocab: defaultdict[str, set[str]] = defaultdict(set)  # every word seen in a category's titles
        word_forms: defaultdict[str, Counter[str]] = defaultdict(Counter)  # "sweater" → {"Sweater": 5}

        for p in prods:
            title = normalize_text(p.title or "")
            low = title.lower()
            n = max(len(title), 1)
            b = product_brand(p)
            if b:
                forms = _brand_forms(b)
                for i, f in enumerate(forms):
                    if f.lower() in low:
                        brand_form["full" if i == 0 else ("cjk" if cjk_count(f) else "latin")] += 1
                        break
                else:
                    brand_form["none"] += 1
            toks = self.segmenter_.cut(title)
            bounds = _boundaries(low, toks)
            # words inside banned terms or other brands' names are not vocabulary to learn
            banned = [(f.start, f.end) for f in check_terms(title, "cn_adlaw")]
            banned += [(s, e) for s, e, b in self.lexicon_.find_brands(title)
                       if b not in (product_brand(p) or "").lower()]
            for k, v in p.attributes:
                if k.lower() in _BRAND_NAMES or _is_empty(v):
                    continue
                attr_seen[k] += 1
                form = self._find_phrasing(v, low, bounds)
                if form is not None:
                    attr_hit[k] += 1
                    attr_pos[k] += low.find(form.lower()) / n
                    phrase_counts[v][form] += 1
                else:
                    phrase_counts[v][""] += 1
            seen_tok: dict[str, None] = {}  # ordered: Counter ties must not depend on str hashing
            pos = 0
            for t in toks:
                at = low.find(t.lower(), pos)
                if at >= 0:
                    pos = at
                key = t.lower()
                if key in seen_tok or not _is_word(t) or any(a <= at < b for a, b in banned):
                    continue
                seen_tok[key] = None
                word_forms[key][t] += 1
                word_pos[key] += pos / n
                word_n[key] += 1
            if p.category:
                cat_vocab[p.category].update(list(seen_tok))
            feats = dict.fromkeys(product_features(p))  # ordered: ties between words must not depend on hashing
            for f in feats:
                feat_n[f] += 1
                co[f].update(list(seen_tok))

        self.n_products_ = len(prods)
        self.attr_rate_ = {k: attr_hit[k] / c for k, c in attr_seen.items()}
        self.attr_pos_ = {k: attr_pos[k] / attr_hit[k] for k in attr_hit}
        self.phrasing_ = {}
        for v, c in phrase_counts.items():
            form, cnt = c.most_common(1)[0]
            if form and form != v and cnt >= 2 and cnt >= 0.5 * sum(c.values()):
                self.phrasing_[v] = form
        self.word_pos_ = {w: word_pos[w] / word_n[w] for w in word_n}
        self.word_df_ = {w: c / max(self.n_products_, 1) for w, c in word_n.items()}
        self.assoc_ = {}
        support = self.min_support or (2 if len(prods) < 200 else 3 if len(prods) < 2000 else 5)
        self.support_ = support
        for f, n_f in feat_n.items():
            if n_f < support:
                continue
            shrink = n_f / (n_f + 5.0)
            # keep words this fact makes at least twice as likely as in an average title (lift ≥ 2)
            top = [(w, round(c / n_f * shrink, 4)) for w, c in co[f].most_common(self.max_words_per_feature)
                   if c >= 2 and c / n_f * shrink >= self.min_assoc
                   and c / n_f >= 2.0 * word_n[w] / max(len(prods), 1)]
            if top:
                self.assoc_[f] = top
        self.cat_vocab_ = {c: sorted(ws) for c, ws in cat_vocab.items()}
        self.word_form_ = {w: c.most_common(1)[0][0] for w, c in word_forms.items() if c.most_common(1)[0][0] != w}
        total = sum(brand_form.values()) or 1
        self.brand_form_ = {k: v / total for k, v in brand_form.items()}
        return self

    @staticmethod
    def _find_phrasing(value: str, title_low: str, bounds: set[int] | None = None) -> str | None:
        """How ``value`` shows in a title: itself, or its longest part that does (≥ 2 characters) as whole
        words — "牛仔布" is not phrased "牛仔" because "牛仔裤" holds those characters."""
        v = value.strip()
        if v.lower() in title_low:
            return v
        # longest first; equal lengths in a fixed order, so a fit does not depend on string hashing
        parts = sorted({p.strip() for p in _SPLIT_VALUE.split(v) if len(p.strip()) >= 2}, key=lambda p: (-len(p), p))
        for p in parts:
            if _whole(p.lower(), title_low, bounds):
                return p
        # "2020年秋季" → "秋季": the longest suffix / prefix of ≥ 2 characters that shows as whole words
        for L in range(len(v) - 1, 1, -1):
            for cand in (v[-L:], v[:L]):
                if any(c.isalpha() for c in cand) and _whole(cand.lower(), title_low, bounds):
                    return cand
        return None

    def _check_fitted(self) -> None:
        if not hasattr(self, "assoc_"):
            raise NotFittedError("ComposeGenerator is not fitted: call fit(products) on a catalog with titles, "
                                 "or load() a saved one")

    # ------------------------------------------------------------------ elements
    def brand_text(self, p: Product, lang: str | None = None) -> str | None:
        b = product_brand(p)
        if not b:
            return None
        forms = _brand_forms(b)
        if len(forms) == 1:
            return forms[0]
        pref = max(("full", "cjk", "latin"), key=lambda k: self.brand_form_.get(k, 0.0))
        lang = lang or p.lang or detect_lang(p.title or " ".join(p.attribute_values()))
        if pref == "latin" or lang == "en":
            latin = [f for f in forms[1:] if not cjk_count(f)]
            return latin[0] if latin else forms[0]
        if pref == "cjk":
            cjk = [f for f in forms[1:] if cjk_count(f)]
            return cjk[0] if cjk else forms[0]
        return forms[0]

    def value_text(self, value: str, lang: str = "zh") -> str:
        # catalogs repeat a few thousand values ("黑色", "纯棉") over millions of rows: phrase each once
        key = (value, lang)
        hit = self._value_memo.get(key)
        if hit is None:
            hit = self._value_text(value, lang)
            if len(self._value_memo) < 500_000:
                self._value_memo[key] = hit
        return hit

    def _attribute_text(self, name: str, value: str, lang: str) -> tuple[str, str, float, float] | None:
        """(phrasing, its lower case, the name's title rate, its learned position) for an attribute a title
        may state; None for one it should not. Catalogs repeat their pairs: each is worked out once."""
        key = (name, value, lang)
        memo = self._attr_memo
        if key in memo:  # its answer may be None: "in", not get()
            return memo[key]
        hit = None
        v = value.strip()
        # a brand is its own element; a bare small number ("声道: 2") says nothing in a title, nor does one
        # character ("类型: 裤"): the learned product word says it better
        if not (name.lower() in _BRAND_NAMES or _is_empty(value) or (v.isdigit() and len(v) < 4)
                or (len(v) < 2 and not value.isascii())):
            t = self.value_text(value, lang)
            if t:
                hit = (t, t.lower(), self.attr_rate_.get(name, 0.3), self.attr_pos_.get(name, 0.5))
        if len(memo) < 500_000:
            memo[key] = hit
        return hit

    def _value_text(self, value: str, lang: str) -> str:
        v = _clean_value(value)
        if v in self.phrasing_:
            return self.phrasing_[v]
        parts = [x.strip() for x in _SPLIT_VALUE.split(v) if x.strip()]
        v = parts[-1] if len(v) > 12 and parts else v
        return _title_case(v) if lang == "en" else v

    def product_word_text(self, leaf: str, lang: str) -> str:
        """A category leaf as sellers write it: "Water Bottles" → "Water Bottle" when titles say so."""
        if lang == "en" and leaf.lower().endswith("s"):
            single = leaf[:-1]
            last = single.split()[-1].lower()
            if self.word_df_.get(last, 0) > self.word_df_.get(leaf.split()[-1].lower(), 0):
                return single
        return leaf

    def word_scores(self, p: Product) -> dict[str, float]:
        """Noisy-or over the product's facts: how strongly its facts call for each title word.

        With a known (and learned) category, only the category's own words are candidates; the other facts
        raise or lower their weight. Attribute names shared across categories (颜色) must not pull in
        another category's product words."""
        cat = p.category
        groups = [self._assoc_in(f, cat) for f in category_features(cat)] if cat else []
        groups += [self._pair_assoc(k, v, cat) for k, v in p.attributes]
        miss: dict[str, float] = {}
        get = miss.get
        for group in groups:  # the order of product_features: the same products of floats, bit for bit
            for w, q in group:
                miss[w] = get(w, 1.0) * q
        return {w: 1.0 - m for w, m in miss.items()}

    def _pair_assoc(self, name: str, value: str, category: str | None) -> list[tuple[str, float]]:
        """The associations of one attribute pair's features, in order, joined: catalogs repeat their pairs."""
        key = (name, value, category)
        hit = self._pair_memo.get(key)
        if hit is None:
            hit = [wq for f in pair_features(name, value) for wq in self._assoc_in(f, category)]
            if len(self._pair_memo) < 500_000:
                self._pair_memo[key] = hit
        return hit

    def _assoc_in(self, feature: str, category: str | None) -> list[tuple[str, float]]:
        """(word, 1 - association) for a fact, limited to the category's words; a catalog has few
        categories and repeats its facts, so each pair is worked out once."""
        key = (feature, category)
        hit = self._assoc_memo.get(key)
        if hit is None:
            # a known category: only words its sellers used (a new one: none learned)
            cat_words = self._cat_sets().get(category, set()) if category else None
            hit = [(w, 1.0 - pw) for w, pw in self.assoc_.get(feature, ())
                   if cat_words is None or w in cat_words]
            if len(self._assoc_memo) < 500_000:
                self._assoc_memo[key] = hit
        return hit

    def _pieces(self, word: str) -> frozenset[str]:
        """The word's substrings of two or more characters (the learned vocabulary is small: kept)."""
        hit = self._pieces_memo.get(word)
        if hit is None:
            hit = frozenset(word[i:j] for i in range(len(word) - 1) for j in range(i + 2, len(word) + 1))
            if len(self._pieces_memo) < 500_000:
                self._pieces_memo[word] = hit
        return hit

    def _cat_sets(self) -> dict[str, set[str]]:
        if self._cat_cache is None:
            self._cat_cache = {c: set(ws) for c, ws in self.cat_vocab_.items()}
        return self._cat_cache

    def elements(self, p: Product, keywords: Iterable[str] = ()) -> list[Element]:
        """Every piece a title for ``p`` may hold, with priority and learned position."""
        self._check_fitted()
        # the titles flow asks for the same product's elements several times in a row: remember the last
        key = (p.id, p.title, p.category, p.brand, tuple(p.attributes), tuple(keywords))
        if self._last[0] == key:
            return self._last[1]
        out: list[Element] = []
        lang = p.lang or detect_lang(p.title or " ".join(p.attribute_values()))
        brand = self.brand_text(p, lang)
        if brand:
            out.append(Element(brand, "brand", 10.0, 0.0, "brand"))
        covered = {brand.lower()} if brand else set()
        # what we add must be backed by the facts; an old title is kept (cleaned) by the titles flow instead
        src = product_source_text(p, include_title=False, include_description=False)
        type_words = []
        if p.category:
            type_words.append(self.product_word_text(p.category.split(">")[-1].strip(), lang))
        type_words += [self.value_text(v, lang) for k, v in p.attributes
                       if k.lower() in _TYPE_NAMES and not _is_empty(v) and (len(v) >= 2 or v.isascii())]
        for k, v in p.attributes:
            said = self._attribute_text(k, v, lang)
            if said is None or said[1] in covered:
                continue
            t, low, rate, pos = said
            covered.add(low)
            kind = "product_word" if t in type_words else "attribute"
            out.append(Element(t, kind, 2.0 * rate + (1.5 if kind == "product_word" else 0.0), pos, k))
        for i, kw in enumerate(keywords):
            if kw and kw.lower() not in covered and self.lexicon_.grounded(kw, src):
                covered.add(kw.lower())
                out.append(Element(kw, "keyword", 1.2 - 0.02 * i, self.word_pos_.get(kw.lower(), 0.6), "keywords"))
        learned = []
        # a learned word must not repeat what is covered: not inside a covered string (one search in their
        # join) and no covered string inside it (its own few substrings looked up)
        long_covered = {c for c in covered if len(c) >= 2}
        joined = "\x00".join(long_covered)
        strong = [(w, s) for w, s in self.word_scores(p).items() if s >= self.min_assoc]
        for w, s in sorted(strong, key=lambda x: -x[1])[:60]:
            if w in covered or w in joined or not long_covered.isdisjoint(self._pieces(w)):
                continue
            if (len(w) < 2 and not w.isascii()) or not self.lexicon_.grounded(w, src):
                continue  # a lone character is not a word; a known fact the product lacks is an invention
            covered.add(w)
            long_covered.add(w)  # a learned word has ≥ 2 characters: fit never learns a lone letter or digit
            joined += "\x00" + w
            learned.append((w, s))
        # without a category or type attribute, the product word is the strongest common learned word
        best = max(learned, key=lambda x: x[1] * self.word_df_.get(x[0], 0) ** 0.25, default=None)
        for w, s in learned:
            is_pw = not type_words and best is not None and w == best[0]
            out.append(Element(self.word_form_.get(w, w), "product_word" if is_pw else "keyword",
                               1.5 * s + (1.5 if is_pw else 0.0), self.word_pos_.get(w, 0.6), "learned"))
        for tw in type_words:
            if tw and tw.lower() not in covered:
                covered.add(tw.lower())
                out.append(Element(tw, "product_word", 3.0, self.word_pos_.get(tw.lower(), 0.7), "category"))
        out = sorted(out, key=lambda e: -e.priority)[:40]  # more than any title can hold
        self._last = (key, out)
        return out

    # ------------------------------------------------------------------ composing
    def compose(self, elements: list[Element], spec: Spec, *, order: str = "learned",
                rng: random.Random | None = None, kinds: set[str] | None = None) -> str:
        """Add elements by priority while they fit, then order them; whole elements only."""
        pool = [e for e in elements if kinds is None or e.kind in kinds]
        # weak elements stay out even when there is room (sellers write ~30 汉字, not 30 facts),
        # but the three strongest always compete so no product is left without a title
        strong = [e for e in pool if e.priority >= self.min_priority]
        if len(strong) >= 3:
            pool = strong
        else:
            floor = min([self.min_priority, *sorted((e.priority for e in pool), reverse=True)[:3]])
            pool = [e for e in pool if e.priority >= floor]
        if rng is not None:
            pool = [Element(e.text, e.kind, e.priority * rng.uniform(0.7, 1.3), e.position, e.source) for e in pool]
        pool.sort(key=_PRIORITY, reverse=True)  # stable either way: equal priorities keep their order
        chosen: list[Element] = []
        chosen_low: list[str] = []
        measure = self._measure_memo
        # an upper bound on the joined length: each element adds its own length and at most one space;
        # the exact join is measured only when the bound says the next element might not fit
        bound = -1
        for e in pool:
            m = measure.get((e.text, spec.unit))
            if m is None:
                m = (e.text.lower(), text_length(e.text, spec.unit))
                if len(measure) < 500_000:
                    measure[(e.text, spec.unit)] = m
            low, n = m
            for c in chosen_low:
                if low in c or c in low:
                    break
            else:
                if bound + 1 + n > spec.max_units:
                    exact = text_length(self._join([*chosen, e], order), spec.unit)
                    if exact > spec.max_units:
                        continue
                    bound = exact
                else:
                    bound += 1 + n
                chosen.append(e)
                chosen_low.append(low)
        return self._join(chosen, order)

    @staticmethod
    def _join(chosen: list[Element], order: str) -> str:
        if order == "scan":  # brand, product word, then by value: what buyers read first
            rank = {"brand": 0, "product_word": 1}
            items = sorted(chosen, key=lambda e: (rank.get(e.kind, 2), -e.priority))
        else:  # the sellers' learned order, brand first
            items = sorted(chosen, key=lambda e: (e.kind != "brand", e.position))
        return join_words([e.text for e in items])

    def generate(self, task: Task, product: Product, n: int, spec: Spec) -> list[Candidate]:
        """Titles composed from facts (``title``) — the titles flow handles optimizing an old one."""
        self._check_fitted()
        els = self.elements(product, spec.keywords)
        rng = random.Random(spec.seed * 1_000_003 + zlib.crc32(product.id.encode()))  # stable across runs
        plans: list[tuple[str, dict]] = [
            ("learned", {}),
            ("scan", {}),
            ("learned", {"kinds": {"brand", "product_word", "attribute"}}),
        ]
        plans += [("learned", {"rng": rng}) for _ in range(max(0, n - len(plans)) + 2)]
        out: list[Candidate] = []
        seen: set[str] = set()
        for order, kw in plans:
            text = self.compose(els, spec, order=order, **kw)
            if text and text not in seen:
                seen.add(text)
                out.append(Candidate(text=text, task=task, generator=f"compose@{VERSION}",
                                     meta={"plan": order + ("+facts" if "kinds" in kw else "") +
                                           ("+sampled" if "rng" in kw else "")}))
            if len(out) >= n:
                break
        return out

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        self._check_fitted()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        state = {k: v for k, v in vars(self).items() if k.endswith("_") and k not in ("segmenter_", "lexicon_")}
        state["user_words_"] = self.segmenter_._user_words
        state["lexicon_"] = self.lexicon_.to_dict()
        meta = {"generator": self.name, "version": VERSION,
                "params": {"min_support": self.min_support, "max_words_per_feature": self.max_words_per_feature,
                           "min_assoc": self.min_assoc, "min_priority": self.min_priority}}
        (path / "compose.json").write_text(json.dumps({"meta": meta, "state": state}, ensure_ascii=False),
                                           encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> ComposeGenerator:
        data = json.loads((Path(path) / "compose.json").read_text(encoding="utf-8"))
        self = cls(**data["meta"]["params"])
        state = data["state"]
        words = state.pop("user_words_")
        self.lexicon_ = Lexicon.from_dict(state.pop("lexicon_"))
        assoc = state.pop("assoc_")  # JSON lists back to (word, score) pairs
        for k, v in state.items():
            setattr(self, k, v)
        self.assoc_ = {f: [(w, s) for w, s in ws] for f, ws in assoc.items()}
        self.segmenter_ = Segmenter(words)
        return self


def _boundaries(text: str, toks: list[str]) -> set[int]:
    """Character offsets where a token starts or ends."""
    out, pos = {0, len(text)}, 0
    for t in toks:
        at = text.find(t.lower(), pos)
        if at < 0:
            continue
        out.update((at, at + len(t)))
        pos = at + len(t)
    return out


def _whole(phrase: str, text: str, bounds: set[int] | None) -> bool:
    """``phrase`` occurs in ``text`` starting and ending on token boundaries."""
    start = text.find(phrase)
    while start >= 0:
        if bounds is None or (start in bounds and start + len(phrase) in bounds):
            return True
        start = text.find(phrase, start + 1)
    return False


_SMALL_WORDS = {"a", "an", "and", "or", "for", "with", "of", "the", "to", "in", "on", "by",
                # units stay lower case: "20 oz", not "20 Oz"
                "oz", "ml", "l", "g", "kg", "mg", "mm", "cm", "m", "lb", "lbs", "w", "v", "mah", "gb", "tb"}


def _title_case(v: str) -> str:
    """"sage green" → "Sage Green"; words with capitals or digits ("AX-3", "iPhone") are kept."""
    words = v.split(" ")
    return " ".join(w if (not w.islower() or (i and w in _SMALL_WORDS)) else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def _is_word(tok: str) -> bool:
    """A title word worth learning: not punctuation, not a lone number, not a single Latin letter."""
    if not any(c.isalnum() for c in tok):
        return False
    if tok.isdigit():
        return False
    return not (len(tok) == 1 and tok.isascii())


@register_generator("compose")
def _make_compose(**kwargs) -> ComposeGenerator:  # noqa: ANN003
    model = kwargs.pop("model", None)
    if model is not None:
        return ComposeGenerator.load(model)
    return ComposeGenerator(**kwargs)

