"""The product tagger: attribute values, category, keywords, review opinions (and image text), in one
object that is fit on a seller's catalog and retrained from reviewers' accept / reject feedback.

Feedback works three ways, so a verdict takes effect at once and keeps doing so after retraining:
- training data: an accepted tag becomes a labelled span of its product, a rejected one is taken out of
  the spans (its title becomes a negative example), an accepted / rejected category relabels the row;
- a confirmed lexicon: accepted values are tagged wherever they appear in other titles (source "feedback");
- blocks: a rejected (type, value) never comes back on that product, and on no product once it has been
  rejected at least ``block_after`` times and accepted less often.
"""

from __future__ import annotations

import pickle
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..compliance.suspicious import screen_text
from ..errors import ConfigError, ModelAssetError, NotFittedError
from ..knowledge.brands import BrandFinder
from ..product import Finding, Product
from .base import ProductTags, Tag, TagFeedback, find_value, training_spans
from .category import CategoryClassifier
from .extractor import AttributeExtractor, Lexicon
from .keywords import KeywordExtractor

FORMAT = "listingforge.tagger"
FORMAT_VERSION = 2  # 2: brands from the brand finder
# Types whose feedback retrains the span extractor (the rest are category / keyword / review tags).
_NON_SPAN_TYPES = frozenset({"category", "keyword", "sentiment", "opinion", "ocr"})


# Span types the language model extracts better than the trained extractor, measured by
# `benchmarks/tags.py --llm 60` (embedded 1.5B, zh_title_ner dev): brand F1 0.33 vs 0.22; product 0.20 vs 0.71.
# The brand finder (knowledge/brands.py, `benchmarks/brands.py`) now gets 0.59 on the whole dev set: with no
# model, brands come from it; with `--engine auto` the model still takes them, as asked.
LLM_TYPES = ("brand",)


class Tagger:
    """``Tagger().fit(products, feedback)`` then ``tag(products, reviews=…, images=…)``."""

    def __init__(self, *, extract: bool = True, categorize: bool = True, keywords: bool = True,
                 top_keywords: int = 5, min_confidence: float = 0.3, category_top: int = 1,
                 block_after: int = 1, extractor: AttributeExtractor | None = None,
                 classifier: CategoryClassifier | None = None, llm: Any = None,
                 llm_types: Sequence[str] = LLM_TYPES, seed: int = 0) -> None:
        self.extract = extract
        self.categorize = categorize
        self.keywords = keywords
        self.top_keywords = top_keywords
        self.min_confidence = min_confidence
        self.category_top = category_top
        self.block_after = block_after
        self.extractor = extractor
        self.classifier = classifier
        # a language-model extractor (LLMTagExtractor) takes over the span types it measured better on
        self.llm = llm
        self.llm_types = tuple(llm_types)
        self.seed = seed

    # -- learning -------------------------------------------------------------------------------
    def fit(self, products: Sequence[Product], feedback: Sequence[TagFeedback] = ()) -> Tagger:
        """Fit every enabled part on ``products``; parts without training signal are skipped (see ``notes_``)."""
        products = [p for p in products if p is not None]
        if not products:
            raise ConfigError("cannot fit a tagger on an empty catalog")
        self.notes_: list[str] = []
        fb = list(feedback)
        self._learn_verdicts(fb)

        self.extractor_ = None
        if self.extract:
            spans = self._spans_with_feedback(products, fb)
            if any(spans_ for spans_ in spans if spans_):
                base = self.extractor or AttributeExtractor(seed=self.seed)
                self.extractor_ = AttributeExtractor(**{k: getattr(base, k) for k in _params(base)})
                self.extractor_.fit(products, spans)
            else:
                self.notes_.append("no attribute value of the catalog appears in a title: extractor not trained")

        self.classifier_ = None
        if self.categorize:
            relabelled = self._categories_with_feedback(products, fb)
            if len({p.category for p in relabelled if p.category}) >= 2:
                base = self.classifier or CategoryClassifier(seed=self.seed)
                self.classifier_ = CategoryClassifier(**{k: getattr(base, k) for k in _params(base)})
                rejected = [(f.product_id, f.value) for f in fb if f.type == "category" and f.verdict == "reject"]
                self.classifier_.fit(relabelled, exclude=rejected)
            else:
                self.notes_.append("fewer than 2 categories in the catalog: category classifier not trained")

        # brands come from the one brand finder titles and checks use (knowledge/brands.py), not the extractor
        self.brands_ = BrandFinder().fit(products) if self.extract else None

        self.keywords_ = None
        if self.keywords:
            # the catalog's brands and values stay whole words (三只松鼠, not 三只 + 松鼠)
            words = {v for p in products for v in [p.brand or "", *p.attribute_values()] if 2 <= len(v) <= 12}
            words |= {v for (t, _), v in self.confirmed_.items()}
            self.keywords_ = KeywordExtractor(top=self.top_keywords, user_words=sorted(words))
            self.keywords_.fit([p.title for p in products])
        self.n_products_ = len(products)
        return self

    def _learn_verdicts(self, feedback: Sequence[TagFeedback]) -> None:
        votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.rejected_: dict[str, set[tuple[str, str]]] = defaultdict(set)
        confirmed: dict[tuple[str, str], str] = {}
        for f in feedback:
            key = (f.type, f.value.lower())
            votes[key][f.verdict] += 1
            if f.verdict == "reject":
                self.rejected_[f.product_id].add(key)
            elif f.type not in _NON_SPAN_TYPES:
                confirmed[key] = f.value
        self.blocked_ = {k for k, v in votes.items() if v["reject"] >= self.block_after and v["reject"] > v["accept"]}
        self.confirmed_ = {k: v for k, v in confirmed.items() if k not in self.blocked_}
        self.rejected_ = dict(self.rejected_)

    def _spans_with_feedback(self, products: Sequence[Product],
                             feedback: Sequence[TagFeedback]) -> list[list[tuple[int, int, str]] | None]:
        by_product: dict[str, list[TagFeedback]] = defaultdict(list)
        for f in feedback:
            if f.type not in _NON_SPAN_TYPES:
                by_product[f.product_id].append(f)
        out: list[list[tuple[int, int, str]] | None] = []
        for p in products:
            spans = training_spans(p)
            verdicts = by_product.get(p.id, [])
            if not verdicts:
                out.append(spans or None)
                continue
            title = p.title or ""
            for f in verdicts:
                if f.verdict == "reject":
                    spans = [s for s in spans if title[s[0]:s[1]].lower() != f.value.lower()]
                else:
                    start = f.start if 0 <= f.start < f.end and title[f.start:f.end] == f.value \
                        else find_value(title, f.value)
                    if start >= 0:
                        end = start + len(f.value)
                        spans = [s for s in spans if s[1] <= start or s[0] >= end] + [(start, end, f.type)]
            out.append(sorted(spans))  # [] is kept: a negative example
        return out

    def _categories_with_feedback(self, products: Sequence[Product],
                                  feedback: Sequence[TagFeedback]) -> list[Product]:
        accepted = {f.product_id: f.value for f in feedback if f.type == "category" and f.verdict == "accept"}
        return [p.model_copy(update={"category": accepted[p.id]}) if p.id in accepted else p for p in products]

    # -- tagging --------------------------------------------------------------------------------
    def tag(self, products: Sequence[Product], *, reviews: Sequence[str | None] | None = None,
            images: Sequence[str | None] | None = None) -> list[ProductTags]:
        """Tags for each product; ``reviews`` / ``images`` (aligned with ``products``) add review and OCR tags."""
        if not hasattr(self, "n_products_"):
            raise NotFittedError("Tagger is not fitted: call fit(products) or Tagger.load(path)")
        opinion = image = None
        if reviews is not None:
            from .sentiment import OpinionTagger

            opinion = OpinionTagger()
        if images is not None:
            from .image import ImageTagger

            image = ImageTagger()
        categories = self._categories(products)
        by_llm: list[list[Tag]] = [[] for _ in products]
        if self.llm is not None and self.llm_types:
            titled = [i for i, p in enumerate(products) if p.title]
            for i, tags in zip(titled, self.llm.predict([products[i].title for i in titled]), strict=True):
                by_llm[i] = [t for t in tags if t.type in self.llm_types]
        out = []
        for i, p in enumerate(products):
            tags = self._span_tags(p)
            if self.llm is not None and self.llm_types:
                tags = [t for t in tags if not (t.field == "title" and t.type in self.llm_types
                                                and t.source in ("extractor", "brand_finder"))] + by_llm[i]
            tags += categories[i]
            if self.keywords_ is not None:
                tags += self.keywords_.predict_one(p.title)
            if opinion is not None and reviews is not None:
                tags += opinion.predict_one(reviews[i])
            found: list[Finding] = []
            if image is not None and images is not None and images[i]:
                # text read from an image is screened like catalog text: an instruction or a link printed on
                # a picture is no tag
                for t in image.predict_one(images[i]):
                    bad = screen_text(t.value, field="image")
                    found += bad
                    tags += [] if bad else [t]
            out.append(ProductTags(id=p.id, tags=self._filter(p.id, tags), findings=found))
        return out

    def _span_tags(self, p: Product) -> list[Tag]:
        tags: list[Tag] = []
        for field in ("title", "description"):
            text = getattr(p, field) or ""
            if not text:
                continue
            if self.extractor_ is not None:
                tags += [t for t in self.extractor_.predict_one(text, field)
                         if t.type != "brand" or self.brands_ is None]
            if self.brands_ is not None:
                tags += [Tag(type="brand", value=m.text, start=m.start, end=m.end, source="brand_finder",
                             confidence=1.0, field=field) for m in self.brands_.find(text) if m.role == "own"]
            if self.confirmed_:
                lex = Lexicon((v, t) for (t, _), v in self.confirmed_.items())
                taken = [(t.start, t.end) for t in tags if t.field == field]
                for s, e, typ in lex.matches(text):
                    if all(e <= a or s >= b for a, b in taken):
                        tags.append(Tag(type=typ, value=text[s:e], start=s, end=e, source="feedback",
                                        confidence=1.0, field=field))
        seen: set[tuple[str, str]] = set()
        unique = []
        for t in tags:  # a value found in the title is not repeated from the description
            if t.key() not in seen:
                seen.add(t.key())
                unique.append(t)
        return unique

    def _categories(self, products: Sequence[Product]) -> list[list[Tag]]:
        out: list[list[Tag]] = [[] for _ in products]
        missing = [i for i, p in enumerate(products) if not p.category]
        for i, p in enumerate(products):
            if p.category:
                out[i] = [Tag(type="category", value=p.category, source="catalog", confidence=1.0)]
        if self.classifier_ is not None and missing:
            banned = {pid: {v for t, v in keys if t == "category"} for pid, keys in self.rejected_.items()}
            predicted = self.classifier_.predict_tags([products[i] for i in missing], top=self.category_top,
                                                      banned=banned)
            for i, tags in zip(missing, predicted, strict=True):
                out[i] = tags
        return out

    def _filter(self, product_id: str, tags: list[Tag]) -> list[Tag]:
        rejected = self.rejected_.get(product_id, set())
        return [t for t in tags if t.key() not in self.blocked_ and t.key() not in rejected
                and (t.confidence >= self.min_confidence or t.source in ("catalog", "feedback", "sentiment"))]

    # -- persistence ----------------------------------------------------------------------------
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["llm"] = None  # a model backend is not saved with the tagger: pass it again when loading
        return state

    def save(self, path: str | Path) -> Path:
        if not hasattr(self, "n_products_"):
            raise NotFittedError("Tagger is not fitted: nothing to save")
        import sklearn

        from .. import __version__
        from ..catalog.output import atomic_path

        path = Path(path)
        payload = {"format": FORMAT, "version": FORMAT_VERSION, "listingforge": __version__,
                   "sklearn": sklearn.__version__, "tagger": self}
        with atomic_path(path) as tmp:
            tmp.write_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        return path

    @classmethod
    def load(cls, path: str | Path) -> Tagger:
        """Load a tagger saved by ``save`` (a pickle: load only files you trust)."""
        path = Path(path)
        if not path.is_file():
            raise ModelAssetError(f"tagger file {path} does not exist; train one with `listingforge tag --save`")
        try:
            payload = pickle.loads(path.read_bytes())
        except Exception as exc:
            raise ModelAssetError(f"{path} is not a saved tagger ({exc})") from exc
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise ModelAssetError(f"{path} is not a saved listingforge tagger")
        if payload.get("version") != FORMAT_VERSION:
            raise ModelAssetError(f"{path} has tagger format {payload.get('version')}, this listingforge "
                                  f"reads {FORMAT_VERSION}: retrain it")
        return payload["tagger"]


def _params(obj: object) -> list[str]:
    """Constructor parameters of a scikit-learn-style object (what ``__init__`` stored)."""
    import inspect

    return [n for n in inspect.signature(type(obj).__init__).parameters if n != "self"]
