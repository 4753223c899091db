"""Keywords: TF-IDF over jieba words with the IDF learned from the seller's own catalog.

A catalog-fitted IDF pushes down what every listing says (包邮, 正品, 新款) and lifts what sets a
product apart, which jieba's general-purpose IDF table cannot know.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from ..errors import NotFittedError
from ..text.segment import Segmenter
from .base import Tag

_WORDLIKE = re.compile(r"^[\u3400-\u9fffA-Za-z][\u3400-\u9fffA-Za-z0-9\-]*$")
_STOP = frozenset(["的", "了", "和", "与", "及", "或", "是", "在", "有", "款", "个", "件", "只", "for", "and", "the", "with", "of", "to", "in", "on", "a", "an"])


class KeywordExtractor:
    """``fit(texts)`` learns document frequencies; ``predict_one(text)`` gives the top words as tags."""

    def __init__(self, *, top: int = 5, min_chars: int = 2, user_words: Sequence[str] = ()) -> None:
        self.top = top
        self.min_chars = min_chars
        self.user_words = user_words

    def _seg(self) -> Segmenter:
        seg = getattr(self, "_segmenter", None)
        if seg is None:
            seg = self._segmenter = Segmenter(self.user_words)
        return seg

    def _words(self, text: str) -> list[tuple[str, int, int]]:
        return [(w, s, e) for w, s, e in self._seg().spans(text)
                if len(w) >= self.min_chars and _WORDLIKE.match(w) and w.lower() not in _STOP]

    def fit(self, texts: Sequence[str | None]) -> KeywordExtractor:
        df: Counter[str] = Counter()
        docs = [t for t in texts if t]
        for t in docs:
            df.update({w.lower() for w, _, _ in self._words(t)})
        self.n_docs_ = len(docs)
        self.idf_ = {w: math.log((1 + self.n_docs_) / (1 + c)) + 1.0 for w, c in df.items()}
        return self

    def predict_one(self, text: str | None, field: str = "title") -> list[Tag]:
        if not hasattr(self, "idf_"):
            raise NotFittedError("KeywordExtractor is not fitted: call fit(texts)")
        if not text:
            return []
        words = self._words(text)
        tf = Counter(w.lower() for w, _, _ in words)
        unseen = math.log(1 + self.n_docs_) + 1.0
        score = {w: (1 + math.log(c)) * self.idf_.get(w, unseen) for w, c in tf.items()}
        best = sorted(score, key=lambda w: (-score[w], w))[: self.top]
        top_score = score[best[0]] if best else 1.0
        first = {}
        for w, s, e in words:
            first.setdefault(w.lower(), (w, s, e))
        return [Tag(type="keyword", value=first[w][0], start=first[w][1], end=first[w][2], source="keywords",
                    confidence=round(score[w] / top_score, 4), field=field) for w in best]

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_segmenter", None)
        return state
