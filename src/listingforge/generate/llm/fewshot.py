"""Few-shot examples from the seller's own catalog, so the model writes in the seller's style.

TF-IDF on character n-grams of category + brand + attribute names and values (works for Chinese
without segmentation); candidates in the same category come first, then the nearest by cosine.
Follows the scikit-learn habits: ``fit`` returns self, learned state ends in ``_``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...errors import NotFittedError
from ...product import Product, Task

_CHUNK = 64  # queries per matrix product: a 100,000-product index × 64 queries is ~50 MB of similarities


def _doc(p: Product) -> str:
    parts = [p.category or "", p.brand or ""]
    parts += [f"{k} {v}" for k, v in p.attributes]
    return " ".join(x for x in parts if x)


def answer_of(p: Product, task: Task) -> str | list[str] | None:
    """The seller's own text for ``task``: what an example shows as the answer."""
    if task == "title":
        return (p.title or "").strip() or None
    if task == "description":
        return (p.description or "").strip() or None
    if task == "tags":
        return list(p.tags) or None
    return None  # short titles are rarely in a catalog


class FewShotIndex:
    """``fit(products)`` then ``query(product, task, k)`` → [(example, answer)]."""

    def __init__(self, *, ngram_range: tuple[int, int] = (1, 3), max_answer_chars: int = 120,
                 max_features: int = 200_000) -> None:
        self.ngram_range = ngram_range
        self.max_answer_chars = max_answer_chars
        self.max_features = max_features

    def fit(self, products: Sequence[Product]) -> FewShotIndex:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.products_ = [p for p in products if p.attributes or p.category]
        self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range,
                                           max_features=self.max_features, sublinear_tf=True)
        docs = [_doc(p) for p in self.products_] or [""]
        self.matrix_ = self.vectorizer_.fit_transform(docs)
        self.categories_ = np.array([p.category or "" for p in self.products_], dtype=object)
        return self

    def __len__(self) -> int:
        return len(getattr(self, "products_", []))

    def query(self, product: Product, task: Task, k: int = 3) -> list[tuple[Product, str | list[str]]]:
        return self.query_group([product], task, k)

    def query_many(self, products: Sequence[Product], task: Task, k: int = 3
                   ) -> list[list[tuple[Product, str | list[str]]]]:
        """``query`` for each of many products: one vectorizer call and one matrix product per chunk of them
        (one at a time, the vectorizer's overhead was most of a remote backend's CPU per title)."""
        self._check_fitted()
        if k <= 0 or not self.products_:
            return [[] for _ in products]
        out: list[list[tuple[Product, str | list[str]]]] = []
        for start in range(0, len(products), _CHUNK):
            chunk = products[start: start + _CHUNK]
            sims = (self.matrix_ @ self.vectorizer_.transform([_doc(p) for p in chunk]).T).toarray()
            out += [self._nearest(sims[:, j], [p], task, k) for j, p in enumerate(chunk)]
        return out

    def query_group(self, products: Sequence[Product], task: Task, k: int = 3) -> list[tuple[Product, str | list[str]]]:
        """The ``k`` examples nearest to a group of like products as a whole (the mean of their vectors), so the
        whole group shares one prompt prefix; never one of the group, nor a copy of one of their titles."""
        self._check_fitted()
        if k <= 0 or not self.products_ or not products:
            return []
        query = self.vectorizer_.transform([_doc(p) for p in products]).mean(axis=0)
        return self._nearest(np.asarray(self.matrix_ @ np.asarray(query).ravel()).ravel(), products, task, k)

    def _nearest(self, sims: np.ndarray, products: Sequence[Product], task: Task, k: int
                 ) -> list[tuple[Product, str | list[str]]]:
        cats = {p.category for p in products}
        if len(cats) == 1 and products[0].category:
            sims = sims + (self.categories_ == products[0].category) * 1.0  # same category first
        ids = {p.id for p in products}
        own = {(p.title or "").strip() for p in products} - {""}
        out: list[tuple[Product, str | list[str]]] = []
        for i in np.argsort(-sims, kind="stable"):
            ex = self.products_[int(i)]
            answer = answer_of(ex, task)
            # never show a product itself (or a copy of its title) as its own example
            if ex.id in ids or answer is None or (isinstance(answer, str) and answer in own):
                continue
            if isinstance(answer, str) and len(answer) > self.max_answer_chars:
                continue
            out.append((ex, answer))
            if len(out) == k:
                break
        return out

    def _check_fitted(self) -> None:
        if not hasattr(self, "matrix_"):
            raise NotFittedError("FewShotIndex is not fitted: call fit(products) first")

    def fixed(self, task: Task, k: int = 3) -> list[tuple[Product, str | list[str]]]:
        """The same ``k`` examples for every product: one shared prompt prefix (cache friendly)."""
        self._check_fitted()
        out = []
        for ex in self.products_:
            answer = answer_of(ex, task)
            if answer is not None and not (isinstance(answer, str) and len(answer) > self.max_answer_chars):
                out.append((ex, answer))
            if len(out) == k:
                break
        return out
