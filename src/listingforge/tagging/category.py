"""Category classifier: TF-IDF over character n-grams of title + attribute values, and a linear model.

Character n-grams need no segmenter, so Chinese and English titles go through the same path. The
model is a logistic regression: its class probabilities are the tag's confidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..errors import ConfigError, NotFittedError
from ..product import Product
from .base import Tag


def product_text(product: Product) -> str:
    """What the classifier reads: the title, then attribute values (names carry little signal)."""
    parts = [product.title or ""] + [v for _, v in product.attributes if v]
    return " ".join(parts)


class CategoryClassifier:
    """``fit(products)`` on products with a ``category``; ``predict`` gives one category tag each."""

    def __init__(self, *, ngram_range: tuple[int, int] = (1, 3), C: float = 50.0, max_features: int = 200_000,
                 min_count: int = 1, seed: int = 0) -> None:
        self.ngram_range = ngram_range
        self.C = C
        self.max_features = max_features
        self.min_count = min_count
        self.seed = seed

    def fit(self, products: Sequence[Product], *, exclude: Sequence[tuple[str, str]] = ()) -> CategoryClassifier:
        """Learn from products with a category; ``exclude`` holds (product id, category) pairs to unlearn."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        banned = {(pid, cat) for pid, cat in exclude}
        rows = [(product_text(p), p.category) for p in products
                if p.category and (p.id, p.category) not in banned]
        counts = Counter(c for _, c in rows)
        rows = [(t, c) for t, c in rows if counts[c] >= self.min_count]
        if len({c for _, c in rows}) < 2:
            raise ConfigError("the category classifier needs products from at least 2 categories "
                              "(fill the category / 商品类别 column)")
        self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, sublinear_tf=True,
                                           max_features=self.max_features, lowercase=True)
        x = self.vectorizer_.fit_transform([t for t, _ in rows])
        self.model_ = LogisticRegression(C=self.C, max_iter=2000, random_state=self.seed)
        self.model_.fit(x, [c for _, c in rows])
        self.classes_ = list(self.model_.classes_)
        return self

    def predict_proba(self, products: Sequence[Product]):  # noqa: ANN201 - numpy array
        if not hasattr(self, "model_"):
            raise NotFittedError("CategoryClassifier is not fitted: call fit(products) with categories")
        return self.model_.predict_proba(self.vectorizer_.transform([product_text(p) for p in products]))

    def predict(self, products: Sequence[Product]) -> list[str]:
        proba = self.predict_proba(products)
        return [self.classes_[int(row.argmax())] for row in proba]

    def predict_tags(self, products: Sequence[Product], *, top: int = 1,
                     banned: dict[str, set[str]] | None = None) -> list[list[Tag]]:
        """Top categories per product as tags; ``banned`` maps a product id to categories it must not get."""
        proba = self.predict_proba(products)
        out = []
        for p, row in zip(products, proba, strict=True):
            skip = (banned or {}).get(p.id, set())
            order = [int(i) for i in row.argsort()[::-1] if self.classes_[int(i)] not in skip][:top]
            out.append([Tag(type="category", value=self.classes_[i], source="classifier",
                            confidence=round(float(row[i]), 4)) for i in order])
        return out
