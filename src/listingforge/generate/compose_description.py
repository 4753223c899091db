"""``compose_description``: a description in the seller's own phrasing, from the product's facts, no model needed.

Learned from the catalog's descriptions (``fit``):
- a ``PhraseBook``: the clauses sellers write about each value ("采用牛仔布面料，挺括有型"), the clauses they add
  after naming one ("…，轻盈飘逸"), openings that name the product ("这款{p}采用…") and templates sellers wrote
  around two different values ("{v}的设计也是一大亮点");
- a ``ClaimModel``: what each word of that copy claims, so a clause is used for a product only when every claim
  in it is backed by this product's facts;
- the catalog's description length, where in a description each attribute is named, and (for the score's style
  part) the catalog's descriptions of similar products.

Writing one (``generate``): an opening that names the product, then, value by value, the best phrase that covers
it (the seller's own for that value, else a template, else the phrasing data file's), ordered the way the
catalog's copy orders them and joined into sentences, then a closing. Attribute names are never printed: a
value is always said with the words sellers put around it. Style and audience change the clauses chosen (their
preferred words score, avoided ones are left out), the attributes that lead and the length. With no descriptions
in the catalog, the phrasing data file alone writes it (generate/data/describe.<lang>.toml), never a list.

Output: up to 5 selling points ("• " lines) and the paragraph. English products are written by
``describe_english.EnglishWriter``: English catalog copy restates the title, so that is what is learned for it.
"""

from __future__ import annotations

import json
import math
import random
import re
import statistics
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..compliance.grounding import Lexicon
from ..errors import NotFittedError
from ..product import Candidate, Product, Task
from ..text.lang import detect_lang
from ..text.segment import Segmenter
from .base import Spec, register_generator
from .describe_claims import ClaimModel, ProductFacts
from .describe_data import PhrasingData, Voice, load_phrasing
from .describe_english import EnglishWriter, TitlePhrasing
from .describe_phrasebook import Phrase, PhraseBook
from .describe_text import join_sentences

NAME = "compose_description@2"
VERSION = 2
STYLES = ("简洁", "种草", "专业")
BULLET = "• "
_DEFAULT_CHARS = {"zh": 110, "en": 160}
_OPENS = re.compile(r"^(这款|这件|这条|此款|这一款|这是一款|本款|一款)")
# a style's length as a share of the catalog's own
_STYLE_LENGTH = {"简洁": 0.6, "种草": 1.1, "专业": 1.0}
_SKIP_NAMES = {"货号", "主图来源", "配送安装地区", "省份", "城市", "上市时间", "上市年份季节", "售后服务", "是否量贩装",
               "是否为特殊用途化妆品", "规格类型", "毛重", "id", "sku", "model number", "gender_raw", "price", "品牌",
               "brand", "title"}


@dataclass(frozen=True)
class Weights:
    """How a phrase is scored. Tuned by ROUGE-L on a 3-fold split of the AdvertiseGen train part (never the
    held-out part) and by reading the outputs: ``typical`` above ~6 made every text the same bland phrases."""

    typical: float = 6.0  # wording other sellers share for the same values
    common: float = 0.6  # mean log document frequency of its words
    length: float = 2.0  # closeness to the characters left per value
    repeat: float = 1.5  # per word already written (values excepted)
    pair_repeat: float = 0.2  # per character pair already written
    again: float = 1.5  # per value already covered
    min_budget: float = 12.0  # characters per value, at least
    stop_at: float = 1.3  # stop adding values past this share of the target length
    free_phrases: int = 1  # phrases that name no value, added while short of the target


@dataclass
class _Learned:
    """What one language's descriptions in the catalog taught: claims, phrases, length, where attributes go."""

    claims: ClaimModel
    book: PhraseBook | None
    length: int  # the median description length, characters
    attribute_position: dict[str, float]  # attribute → mean relative position of its value's first mention
    title: TitlePhrasing | None = None  # English: how the copy restates the title
    refs: list[tuple[frozenset[str], str]] = field(default_factory=list)  # (facts, description) for style refs


@dataclass
class _Pick:
    """One piece of the text being written: its words, the values it covers, where it goes."""

    text: str
    covers: frozenset[str]
    position: float
    initial: bool
    kind: str  # opening | phrase | template | fallback | closing
    clauses: int = 1
    form: str = ""  # a template's or fallback's wording with {v}: several values of one attribute share it


class DescriptionComposer:
    """``fit(products)`` on the seller's catalog → ``generate("description", product, n, spec)``; ``save`` / ``load``.

    Unfitted, it writes from the phrasing data files alone (the catalog had no descriptions)."""

    name = NAME

    def __init__(self, *, max_points: int = 5, min_df: int = 3, min_docs: int = 30, max_phrase_chars: int = 40,
                 weights: Weights | None = None, max_refs: int = 3000) -> None:
        self.min_docs = min_docs  # fewer descriptions in a language than this: nothing is learned for it
        self.max_refs = max_refs  # catalog descriptions kept to say what reads like the seller (style refs)
        self.weights = weights or Weights()
        self.max_points = max_points
        self.min_df = min_df
        self.max_phrase_chars = max_phrase_chars
        self.models_: dict[str, _Learned] = {}
        self.lexicon_: Lexicon | None = None
        self.segmenter_: Segmenter | None = None
        self._usable: dict[tuple[str, int, str], bool] = {}

    # ------------------------------------------------------------------ learning
    def fit(self, products: Iterable[Product], lexicon: Lexicon | None = None) -> DescriptionComposer:
        """Learn the phrasing of the catalog's descriptions, per language. ``lexicon``: the facts a word can claim
        (the checks' own, so composer and checks agree); defaults to one fit on these products."""
        prods = list(products)
        bare = [p.model_copy(update={"description": None}) for p in prods]
        self.lexicon_ = lexicon if lexicon is not None else Lexicon().fit(bare)
        words = {v for p in prods for _n, cell in p.attributes for v in re.split(r"[,，/、;；|]", cell)
                 if 2 <= len(v.strip()) <= 8}
        self.segmenter_ = Segmenter(w.strip() for w in words)
        self.models_ = {}
        self._usable = {}
        by_lang: dict[str, list[Product]] = {}
        for p in prods:
            if p.description:
                by_lang.setdefault(_lang(p), []).append(p)
        for lang, group in by_lang.items():
            data = load_phrasing(lang)
            claims = ClaimModel(data, min_df=self.min_df, min_docs=self.min_docs).fit(group, self.lexicon_,
                                                                                      self.segmenter_)
            if not claims.learned:
                continue
            length = int(statistics.median(len(p.description or "") for p in group))
            sample = group if len(group) <= self.max_refs else random.Random(0).sample(group, self.max_refs)
            refs = [(_ref_key(p, data), p.description or "") for p in sample]
            if data.lang == "en":  # English copy restates the title: learn that, not clauses about values
                self.models_["en"] = _Learned(claims, None, length, {}, TitlePhrasing().fit(group, data), refs)
                continue
            book = PhraseBook(max_chars=self.max_phrase_chars, law="cn_adlaw")
            book.fit(group, claims)
            self.models_[data.lang] = _Learned(claims, book, length, _attribute_positions(group), refs=refs)
        self.fitted_ = True
        return self

    def _model(self, lang: str) -> _Learned:
        data = load_phrasing(lang)
        if data.lang in self.models_:
            return self.models_[data.lang]
        if self.lexicon_ is None:  # never fitted: the packaged lexicon, nothing learned
            self.lexicon_, self.segmenter_ = Lexicon(), Segmenter()
        assert self.segmenter_ is not None
        claims = ClaimModel(data, min_df=self.min_df)
        claims.lexicon, claims.segmenter = self.lexicon_, self.segmenter_
        return _Learned(claims, None, _DEFAULT_CHARS[data.lang], {}, TitlePhrasing() if data.lang == "en" else None)

    # ------------------------------------------------------------------ what the task asks of it
    def target_chars(self, lang: str) -> int | None:
        """The catalog's own description length for ``lang`` (None: it had no descriptions to learn from)."""
        m = self.models_.get(load_phrasing(lang).lang)
        return m.length if m else None

    def unsupported(self, text: str, product: Product, *, audience: str | None = None) -> list[tuple[str, list[str]]]:
        """Each clause of ``text`` with the words in it that claim what ``product`` does not state, as the catalog's
        copy taught (none when the catalog had too few descriptions to learn from: the shared checks judge it)."""
        lang = _lang(product, detect_lang(text))
        m = self.models_.get(load_phrasing(lang).lang)
        if m is None:
            return []
        return m.claims.by_clause(text, ProductFacts.of(product, m.claims.data, audience=audience))

    def style_refs(self, product: Product, k: int = 3) -> list[str]:
        """The catalog's descriptions of the ``k`` products most like this one (shared facts): what the seller's
        own copy reads like, for the score's style part."""
        m = self.models_.get(load_phrasing(_lang(product)).lang)
        if m is None or not m.refs:
            return []
        key = _ref_key(product, m.claims.data)
        ranked = sorted(m.refs, key=lambda r: -len(key & r[0]) / max(1, len(key | r[0])))
        return [text for _k, text in ranked[:k] if text]

    # ------------------------------------------------------------------ writing
    def generate(self, task: Task, product: Product, n: int, spec: Spec) -> list[Candidate]:
        if task != "description":
            raise NotImplementedError(f"{NAME} writes descriptions only, not {task!r}")
        lang = _lang(product, spec.lang)
        data = load_phrasing(lang)
        learned = self._model(lang)
        book = learned.book
        facts = ProductFacts.of(product, data, audience=spec.audience)
        style, audience = data.voice(spec.style, spec.audience)
        target = int(learned.length * _STYLE_LENGTH.get(spec.style or "", 1.0))
        if "target_units" in spec.extra:
            target = min(target, int(spec.extra["target_units"]))
        out: list[Candidate] = []
        seen: set[str] = set()
        for k in range(max(1, n)):
            rng = random.Random(zlib.crc32(f"{product.id}|{spec.seed}|{k}".encode()))
            if learned.title is not None:
                en = EnglishWriter(product, facts, data, learned.title, style, audience, spec.audience, k).write(
                    self.max_points)
                points, para = en.points, en.paragraph
                picks = [_Pick(t, frozenset(), 0.0, True, kind) for t, kind in en.pieces]
            else:
                writer = _Writer(facts, data, learned, style, audience, spec, target, rng, k, self._usable,
                                 self.weights)
                points, para, picks = writer.write(self.max_points)
            if not para or para in seen:
                continue
            seen.add(para)
            text = "\n".join(BULLET + p for p in points) + ("\n" if points else "") + para
            out.append(Candidate(text=text, task="description", generator=NAME, meta={
                "style": spec.style, "audience": spec.audience, "lang": data.lang, "selling_points": points,
                "paragraph": para, "data_version": data.version, "learned": book is not None,
                "pieces": [{"text": p.text, "kind": p.kind, "covers": sorted(p.covers)} for p in picks]}))
        return out

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        if not getattr(self, "fitted_", False):
            raise NotFittedError("DescriptionComposer is not fitted: call fit(products) first")
        assert self.lexicon_ is not None and self.segmenter_ is not None
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        state = {"lexicon": self.lexicon_.to_dict(), "words": self.segmenter_._user_words,
                 "models": {lang: {"claims": m.claims.state(), "phrases": m.book.state() if m.book else None,
                                   "length": m.length, "attribute_position": m.attribute_position,
                                   "title": m.title.state() if m.title else None,
                                   "refs": [[sorted(k), t] for k, t in m.refs]}
                            for lang, m in self.models_.items()}}
        meta = {"generator": self.name, "version": VERSION,
                "params": {"max_points": self.max_points, "min_df": self.min_df, "min_docs": self.min_docs,
                           "max_phrase_chars": self.max_phrase_chars, "max_refs": self.max_refs},
                "weights": asdict(self.weights)}
        (path / "compose_description.json").write_text(json.dumps({"meta": meta, "state": state},
                                                                  ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> DescriptionComposer:
        data = json.loads((Path(path) / "compose_description.json").read_text(encoding="utf-8"))
        if data["meta"].get("version") != VERSION:
            raise NotFittedError(f"{path}: saved by compose_description version {data['meta'].get('version')}, "
                                 f"this is version {VERSION}: fit it again")
        self = cls(**data["meta"]["params"], weights=Weights(**data["meta"]["weights"]))
        state = data["state"]
        self.lexicon_ = Lexicon.from_dict(state["lexicon"])
        self.segmenter_ = Segmenter(state["words"])
        for lang, m in state["models"].items():
            claims = ClaimModel(load_phrasing(lang), min_df=self.min_df, min_docs=self.min_docs).set_state(
                m["claims"], self.lexicon_, self.segmenter_)
            self.models_[lang] = _Learned(
                claims, PhraseBook().set_state(m["phrases"]) if m["phrases"] is not None else None, int(m["length"]),
                m["attribute_position"], TitlePhrasing().set_state(m["title"]) if m["title"] else None,
                [(frozenset(k), t) for k, t in m["refs"]])
        self.fitted_ = True
        return self


class _Writer:
    """Writes one candidate for one product: picks the pieces, orders them, joins them."""

    def __init__(self, facts: ProductFacts, data: PhrasingData, learned: _Learned, style: Voice,
                 audience: Voice | None, spec: Spec, target: int, rng: random.Random, k: int,
                 usable: dict[tuple[str, int, str], bool], weights: Weights) -> None:
        self.facts, self.data, self.claims, self.book = facts, data, learned.claims, learned.book
        self.w = weights
        self.attribute_position = learned.attribute_position
        self.style, self.audience, self.spec = style, audience, spec
        self.target, self.rng, self.k = target, rng, k
        self._usable = usable
        self.prefer = style.prefer | (audience.prefer if audience else frozenset())
        self.avoid = style.avoid
        self.lead = [*(audience.lead if audience else ()), *style.lead]
        self.sep = "，" if data.lang == "zh" else ", "
        self.pairs_used: set[str] = set()  # character pairs of the words written so far (values left out)

    # which values the text should cover, most wanted first
    def wanted(self) -> list[str]:
        f = self.facts
        owner = self.data.all_product_words()
        skip = {v for v in f.values if v in owner or v in self.data.product_words}  # the opening names the type
        if f.product_word:
            skip.add(f.product_word.lower())
        out = [v for v, a in f.values.items() if v not in skip and a.lower() not in _SKIP_NAMES
               and a != "目标人群"]
        lead = {a: i for i, a in enumerate(self.lead)}
        return sorted(out, key=lambda v: lead.get(f.values[v], len(lead)))

    def usable(self, ph: Phrase) -> bool:
        """Every value it names is this product's and every other claim is backed (cached per product)."""
        key = (self.spec.audience or "", id(ph), self.facts.source)
        hit = self._usable.get(key)
        if hit is None:
            if ph.type_key and self.facts.type_key and ph.type_key != self.facts.type_key and ph.kind != "phrase":
                hit = False  # an opening or template written for trousers does not open a dress
            else:
                hit = ph.usable_for(self.facts)
            if len(self._usable) > 500_000:
                self._usable.clear()
            self._usable[key] = hit
        return hit

    def score(self, text: str, covers: frozenset[str], covered: set[str], used_words: set[str], clauses: int,
              wanted: dict[str, float], budget: float = 0.0, typical: float = 0.0) -> float:
        """New values covered, minus values said again and words repeated; plus the catalog's common wording, the
        voice's preferred words, and a length near ``budget`` (the characters left per value still to cover)."""
        new = sum(wanted.get(v, 0.0) for v in covers - covered)
        fit = 0.0
        if budget > 0:
            fit = 0.6 * min(len(text), budget) / budget - (0.6 if len(text) > 2.2 * budget else 0.0)
        again = len(covers & covered)
        words = [w for w in self.claims.segmenter.cut(text) if len(w) > 1]
        common = sum(math.log1p(self.claims.df_.get(w.lower(), 0)) for w in words) / max(1, len(words))
        repeat = sum(1 for w in words if w in used_words and w.lower() not in self.facts.values)
        repeat += self.w.pair_repeat * len(_pairs(text) & self.pairs_used)
        voice = 0.4 * sum(1 for w in words if w in self.prefer) - 3.0 * sum(1 for w in words if w in self.avoid)
        if clauses > self.style.max_clauses_per_phrase:
            return -math.inf
        noise = self.rng.random() * 0.6 if self.k else 0.0

        w = self.w
        return (new - w.again * again - w.repeat * repeat + w.common * common + voice + w.length * fit
                + w.typical * typical + noise)

    def write(self, max_points: int) -> tuple[list[str], str, list[_Pick]]:
        order = self.wanted()
        wanted = {v: 2.0 - i / max(1, len(order)) for i, v in enumerate(order)}
        picks: list[_Pick] = []
        covered: set[str] = set()
        used_words: set[str] = set()
        length = 0

        def take(p: _Pick) -> None:
            nonlocal length
            picks.append(p)
            self.pairs_used |= _pairs(p.text)
            covered.update(p.covers)
            used_words.update(w for w in self.claims.segmenter.cut(p.text) if len(w) > 1)
            length += len(p.text) + 1

        take(self.opening(wanted, covered, used_words))
        for v in order:  # value by value, most wanted first, until the length is reached
            if v in covered:
                continue
            if length >= self.w.stop_at * self.target and len(covered & set(order)) >= 2:
                break
            left = [x for x in order if x not in covered]
            budget = max(self.w.min_budget, (self.target - length) / max(1, len(left)))
            pick = self.phrase_for(v, wanted, covered, used_words, budget)
            if pick is not None and pick.form:
                pick = self.together(pick, v, order, wanted, covered, used_words, budget)
            if pick is not None and pick.clauses < self.style.max_clauses_per_phrase \
                    and len(pick.text) < 0.7 * budget:
                pick = self.elaborated(pick, used_words, budget)
            if pick is not None:
                take(pick)
        for _ in range(self.w.free_phrases):  # still short of the catalog's length: a common phrase, no new fact
            if length >= 0.85 * self.target:
                break
            extra = self.elaboration(used_words, self.target - length, {p.text for p in picks})
            if extra is None:
                break
            take(extra)
        closing = self.closing(used_words, length)
        if closing is not None:
            take(closing)
        sents = self.sentences(picks)
        exclaim = {len(sents) - 1} if self.style.exclaim and sents else set()
        para = join_sentences(sents, self.data.lang, exclaim=exclaim)
        return self.points(order, max_points), para, picks

    # ------------------------------------------------------------------ pieces
    def opening(self, wanted: dict[str, float], covered: set[str], used: set[str]) -> _Pick:
        word = self.facts.product_word or ("商品" if self.data.lang == "zh" else "product")
        best, best_score = None, -math.inf
        if self.book is not None:
            for i in self.book.openings_:
                ph = self.book.phrases_[i]
                if not self.usable(ph):
                    continue
                text = ph.filled(product_word=word)
                s = self.score(text, frozenset(ph.values), covered, used, ph.clauses, wanted, 0.0, ph.typical)
                if s > best_score:
                    best, best_score = (text, frozenset(ph.values), ph.clauses), s
        if best is not None and best_score > 0.5:
            return _Pick(best[0], best[1], 0.0, True, "opening", best[2])
        measure = self.data.measure_words.get(self.facts.type_key or "", self.data.measure_words.get("default", ""))
        forms = self.data.opening_forms(self.spec.style, bool(self.facts.brand))
        hello = (self.audience.address if self.audience else None) or self.style.address or ""
        if hello and self.claims.unsupported(hello, self.facts):
            hello = "大家" if self.data.lang == "zh" else ""  # "姐妹们" for men's jeans would be a false claim
        text = forms[self.k % len(forms)].format(p=word, m=measure, b=self.facts.brand or "", hello=hello)
        return _Pick(text, frozenset(), 0.0, True, "opening")

    def phrase_for(self, value: str, wanted: dict[str, float], covered: set[str], used: set[str],
                   budget: float) -> _Pick | None:
        """The best learned phrase naming ``value``, else a template for its attribute, else the data file's."""
        best, best_score = None, -math.inf
        if self.book is not None:
            for i in self.book.by_value_.get(value, ()):
                ph = self.book.phrases_[i]
                if ph.first or _OPENS.match(ph.text) or not self.usable(ph):
                    continue  # "这款连衣裙…" opens a description; in the middle of one it names the product twice
                s = self.score(ph.text, frozenset(ph.values), covered, used, ph.clauses, wanted, budget,
                               ph.typical)
                if s > best_score:
                    best, best_score = _Pick(ph.text, frozenset(ph.values), ph.position, ph.initial, "phrase",
                                             ph.clauses), s
            if best is not None and best_score > 0:
                return best
            attr = self.facts.values[value]
            shown = next((x for x in self.facts.by_attribute.get(attr, []) if x.lower() == value), value)
            for i in self.book.by_attribute_.get(attr, ()):
                ph = self.book.phrases_[i]
                if not self.usable(ph):
                    continue
                text = ph.filled(value=shown)
                s = self.score(text, frozenset([value]), covered, used, ph.clauses, wanted, budget,
                               ph.typical) - 0.3
                if s > best_score:
                    best, best_score = _Pick(text, frozenset([value]), ph.position, ph.initial, "template",
                                             ph.clauses, ph.text.replace("{v}", "{v}")), s
            if best is not None and best_score > 0:
                return best
        return self.fallback(value)

    def elaborated(self, pick: _Pick, used: set[str], budget: float) -> _Pick:
        """A short piece gets the clause sellers add after naming its value ("采用棉面料" → "…，柔软亲肤")."""
        if self.book is None:
            return pick
        scored = []
        for v in pick.covers:
            for i in self.book.elaborations_.get(v, ()):
                ph = self.book.phrases_[i]
                if ph.text in pick.text or not self.usable(ph):
                    continue
                if not set(ph.values) <= pick.covers:
                    continue  # it followed a clause naming more than this piece does
                scored.append((self.score(ph.text, frozenset(), set(), used, 1, {}, budget - len(pick.text),
                                          ph.typical), i))
        best = self.one_of_best(scored, top=3)
        if best is None:
            return pick
        return _Pick(pick.text + self.sep + best.text, pick.covers, pick.position, pick.initial, pick.kind,
                     pick.clauses + 1)

    def together(self, pick: _Pick, value: str, order: list[str], wanted: dict[str, float], covered: set[str],
                 used: set[str], budget: float) -> _Pick:
        """Values of one attribute that no phrase of their own covers share one wording: "字母、文字图案点缀"
        instead of two clauses that say the same."""
        attr = self.facts.values[value]
        same = [value]
        for u in order:
            if u in covered or u == value or self.facts.values[u] != attr:
                continue
            alone = self.phrase_for(u, wanted, covered, used, budget)
            if alone is not None and alone.form:
                same.append(u)
        if len(same) == 1:
            return pick
        shown = [self.shown(u) for u in same]
        joined = "、".join(shown[:-1]) + "和" + shown[-1] if self.data.lang == "zh" else \
            ", ".join(shown[:-1]) + " and " + shown[-1]
        return _Pick(fill(pick.form, joined), frozenset(same), pick.position, pick.initial, pick.kind,
                     pick.clauses, pick.form)

    def shown(self, value: str) -> str:
        """A value as the seller wrote it."""
        attr = self.facts.values[value]
        return next((x for x in self.facts.by_attribute.get(attr, []) if x.lower() == value), value)

    def fallback(self, value: str) -> _Pick | None:
        """The data file's wording for the value's attribute (one clause only for a style that wants them short)."""
        where = f"{self.facts.category} {self.facts.type_key or ''}"
        forms = [f for f in self.data.fallback_for(self.facts.values[value], where)
                 if f.count(self.sep) < self.style.max_clauses_per_phrase] or ["{v}"]
        form = forms[(self.k + len(value)) % len(forms)]
        return _Pick(fill(form, self.shown(value)), frozenset([value]), 0.5, False, "fallback",
                     form.count(self.sep) + 1, form)

    def elaboration(self, used: set[str], budget: float, taken: set[str]) -> _Pick | None:
        """The best phrase that names no value (what the copy says about the look, the fit, the wearer)."""
        if self.book is None:
            return None
        scored = []
        for i in self.book.free_:
            ph = self.book.phrases_[i]
            if ph.last or ph.text in taken or len(ph.text) < 7 or not self.usable(ph):
                continue  # a short one ("优雅的气质") is filler
            scored.append((self.score(ph.text, frozenset(), set(), used, ph.clauses, {}, budget, ph.typical), i))
        best = self.one_of_best(scored, salt=len(taken))
        if best is None:
            return None
        return _Pick(best.text, frozenset(), best.position, best.initial, "phrase", best.clauses)

    def one_of_best(self, scored: list[tuple[float, int]], salt: int = 0, top: int = 8) -> Phrase | None:
        """One of the few best phrases, chosen by the product: the same sentence under every description reads
        as a stamp."""
        scored = [x for x in scored if x[0] > 0]
        if not scored or self.book is None:
            return None
        best = sorted(scored, reverse=True)[:top]
        return self.book.phrases_[best[(zlib.crc32(self.facts.source.encode()) + salt + self.k) % len(best)][1]]

    def closing(self, used: set[str], length: int) -> _Pick | None:
        if self.audience is not None and self.audience.closing:
            form = self.audience.closing[self.k % len(self.audience.closing)]
            return _Pick(form.format(a=self.spec.audience or ""), frozenset(), 1.0, True, "closing")
        if self.style.closing:
            return _Pick(self.style.closing[self.k % len(self.style.closing)], frozenset(), 1.0, True, "closing")
        if self.book is None or length >= self.target * 1.15:
            return None
        budget = max(6.0, self.target - length)
        scored = []
        for i in self.book.free_:
            ph = self.book.phrases_[i]
            if not ph.last or ph.clauses > self.style.max_clauses_per_phrase or len(ph.text) < 7 \
                    or not self.usable(ph):
                continue
            scored.append((self.score(ph.text, frozenset(), set(), used, ph.clauses, {}, budget, ph.typical), i))
        best = self.one_of_best(scored, salt=7)
        if best is None:
            return None
        return _Pick(best.text, frozenset(), 1.0, best.initial, "closing", best.clauses)

    # ------------------------------------------------------------------ order and sentences
    def sentences(self, picks: list[_Pick]) -> list[list[str]]:
        """Opening first, closing last, the rest in the catalog's order (where such phrases stood); a phrase that
        opened a sentence starts one, one that leans on what came before ("同时…") never opens the text."""
        head = [p for p in picks if p.kind == "opening"]
        tail = [p for p in picks if p.kind == "closing"]
        body = sorted((p for p in picks if p.kind not in ("opening", "closing")), key=self.place)
        if head and not head[0].covers and body and self.leans(body[0].text):
            # a bare opening ("这件上衣") is followed by a piece that stands on its own, not by "结合…"
            free = next((i for i, p in enumerate(body) if not self.leans(p.text)), None)
            if free is not None:
                body.insert(0, body.pop(free))
        sents: list[list[str]] = []
        size = 0  # clauses in the sentence being built
        for p in [*head, *body, *tail]:
            if not sents:
                start = True
            elif self.leans(p.text):
                start = size >= 4
            elif sents[-1] and head and sents[-1][-1] == head[0].text and head[0].kind == "opening" \
                    and not head[0].covers:
                start = False  # a bare opening ("这件上衣") takes the next phrase into its sentence
            else:
                start = (p.initial and size >= 3) or size >= 4
            if start:
                sents.append([p.text])
                size = p.clauses
            else:
                sents[-1].append(p.text)
                size += p.clauses
        return sents

    def place(self, p: _Pick) -> float:
        """Where a piece goes: between where its phrase stood and where the catalog names its values."""
        at = [self.attribute_position[self.facts.values[v]] for v in p.covers
              if self.facts.values.get(v) in self.attribute_position]
        return (p.position + sum(at) / len(at)) / 2 if at else p.position

    def leans(self, text: str) -> bool:
        return any(text.startswith(w) for w in self.data.continuation)

    def points(self, order: list[str], max_points: int) -> list[str]:
        """Short selling points: the shortest usable one-clause phrase per leading value, else the value's fallback."""
        out: list[str] = []
        for v in order[:max_points]:
            best = None
            if self.book is not None:
                for i in self.book.by_value_.get(v, ()):
                    ph = self.book.phrases_[i]
                    if ph.clauses == 1 and len(ph.text) <= 12 and ph.values == (v,) and not self.leans(ph.text) \
                            and self.usable(ph) and (best is None or len(ph.text) < len(best)):
                        best = ph.text
            if best is None:
                fb = self.fallback(v)
                best = fb.text if fb else None
            if best and best not in out:
                out.append(best)
        return out


def fill(form: str, value: str) -> str:
    """``form`` with ``{v}`` as ``value``, without saying twice what the two share at the seam: "适合{v}肤质" with
    所有肤质 is "适合所有肤质", "采用{v}包装" with 独立小包 is "采用独立小包装"."""
    i = form.find("{v}")
    if i < 0:
        return form
    after = form[i + 3:]
    k = next((n for n in range(min(len(value), len(after)), 0, -1) if value.endswith(after[:n])), 0)
    return form[:i] + value + after[k:]


def _pairs(text: str) -> set[str]:
    t = re.sub(r"[\W_]+", "", text.lower())
    return {t[i:i + 2] for i in range(len(t) - 1)}


def _ref_key(product: Product, data: PhrasingData) -> frozenset[str]:
    """What makes two products alike for style: their values, and for English their title words."""
    facts = ProductFacts.of(product, data, include_description=False)
    words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", product.title or "")} if data.lang == "en" else set()
    return frozenset(facts.features) | frozenset(words)


def _attribute_positions(products: list[Product]) -> dict[str, float]:
    """Per attribute, the mean relative position (0 start … 1 end) where descriptions first name its value."""
    seen: dict[str, list[float]] = {}
    for p in products:
        text = (p.description or "").lower()
        for name, value in p.attributes:
            i = text.find(value.strip().lower()) if value.strip() else -1
            if i >= 0 and text:
                seen.setdefault(name.strip(), []).append(i / len(text))
    return {a: sum(x) / len(x) for a, x in seen.items() if len(x) >= 3}


def _lang(product: Product, default: str = "zh") -> str:
    return product.lang or detect_lang(" ".join([product.title or "", *product.attribute_values()]), default=default)


@register_generator("compose_description")
def _make(**kwargs) -> DescriptionComposer:  # noqa: ANN003
    return DescriptionComposer(**kwargs)


def split_description(text: str) -> tuple[list[str], str]:
    """A description text → (selling points, paragraph): "• " / "- " / "· " lines are points."""
    points, rest = [], []
    for line in text.splitlines():
        m = re.match(r"^\s*(?:[•·\-\*]|\d+[.、)])\s*(.+)$", line)
        if m:
            points.append(m.group(1).strip())
        elif line.strip():
            rest.append(line.strip())
    return points, "\n".join(rest)
