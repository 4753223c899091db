"""``compose_description``: a description in the seller's own phrasing, from the product's facts, no model needed.

Learned from the catalog's descriptions (``fit``):
- a ``PhraseBook``: the clauses sellers write about each value ("采用牛仔布面料，挺括有型"), the clauses they add
  after naming one ("…，轻盈飘逸"), openings that name the product ("这款{p}采用…") and templates sellers wrote
  around two different values ("{v}的设计也是一大亮点");
- a ``ClaimModel``: what each word of that copy claims, so a clause is used for a product only when every claim
  in it is backed by this product's facts;
- the catalog's description length, where in a description each attribute is named, and (for the score's style
  part) the catalog's descriptions of similar products.

Writing one (``generate``): Chinese by ``describe_chinese.ChineseWriter`` (the product named once by its compound
name, one piece per value: the seller's own clause, else a template, else the data file's wording; every claim
backed by the detail it is said of; no word twice, no sentence ending on a bare detail; the draft read back and
its flawed pieces replaced), English by ``describe_english.EnglishWriter`` (English catalog copy restates the
title, so that is what is learned for it: every key title word, how it is cut, who makes it). Attribute names are
never printed. Style and audience change the clauses chosen (their preferred words score, avoided ones are left
out), the attributes that lead and the length. With no descriptions in the catalog, the phrasing data file alone
writes it (generate/data/describe.<lang>.toml), never a list.

Output: up to 5 selling points ("• " lines) and the paragraph.
"""

from __future__ import annotations

import json
import random
import re
import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..compliance.grounding import Lexicon
from ..errors import NotFittedError
from ..knowledge.lexicon import cell_values
from ..product import Candidate, Product, Task
from ..text.lang import detect_lang
from ..text.segment import Segmenter
from .base import Spec, register_generator
from .describe_chinese import ChineseWriter, Weights
from .describe_claims import ClaimModel, ProductFacts
from .describe_data import PhrasingData, load_phrasing
from .describe_english import EnglishWriter, TitlePhrasing
from .describe_phrasebook import PhraseBook

NAME = "compose_description@3"
VERSION = 3
STYLES = ("简洁", "种草", "专业")
BULLET = "• "
_DEFAULT_CHARS = {"zh": 110, "en": 160}
# a style's length as a share of the catalog's own
_STYLE_LENGTH = {"简洁": 0.6, "种草": 1.1, "专业": 1.0}

@dataclass
class _Learned:
    """What one language's descriptions in the catalog taught: claims, phrases, length, where attributes go."""

    claims: ClaimModel
    book: PhraseBook | None
    length: int  # the median description length, characters
    attribute_position: dict[str, float]  # attribute → mean relative position of its value's first mention
    title: TitlePhrasing | None = None  # English: how the copy restates the title
    refs: list[tuple[frozenset[str], str]] = field(default_factory=list)  # (facts, description) for style refs


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
        words = {v for p in prods for _n, cell in p.attributes for v in cell_values(cell)
                 if 2 <= len(v.strip()) <= 8}
        # the data file's words are words to the segmenter too: compound-name parts ("包臀" of 包臀连衣裙, not 包 / 臀)
        # and claim words ("小粗腿", "不挑身材": a claim cut into single characters claims nothing)
        zh = load_phrasing("zh")
        words |= {spec[0] for spec in zh.nouns.modifiers.values()}
        words |= {w for g in zh.claims for w in g.words if len(w) >= 2}
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
            if learned.title is not None:
                en = EnglishWriter(product, facts, data, learned.title, style, audience, spec.audience, k).write(
                    self.max_points)
                points, para = en.points, en.paragraph
                pieces = [{"text": t, "kind": kind, "covers": []} for t, kind in en.pieces]
            else:
                writer = ChineseWriter(facts, data, learned.claims, book, learned.attribute_position, style,
                                       audience, spec, target, k, self._usable, self.weights, product.id)
                points, para, picks = writer.write(self.max_points)
                pieces = [{"text": p.text, "kind": p.kind, "covers": sorted(p.covers)} for p in picks]
            if not para or para in seen:
                continue
            seen.add(para)
            text = "\n".join(BULLET + p for p in points) + ("\n" if points else "") + para
            out.append(Candidate(text=text, task="description", generator=NAME, meta={
                "style": spec.style, "audience": spec.audience, "lang": data.lang, "selling_points": points,
                "paragraph": para, "data_version": data.version, "learned": book is not None,
                "pieces": pieces}))
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
