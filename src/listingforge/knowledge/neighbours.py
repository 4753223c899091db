"""The product word the catalog's most similar titled products agree on — the last resort for a product whose own
data names no kind (a coat rack whose attributes are 材质, 风格, 是否可伸缩 and 适用对象 only).

A product is compared with the catalog's titled products by its attributes (TF-IDF on character 2–3-grams of
"name=value"; brand, item numbers, paperwork and origin left out, as they say nothing of the kind); one that states
fewer than ``min_names`` attributes is like too many kinds to compare (水箱容量 alone named an ultrasonic glasses
cleaner 洗衣机). Of its ``k``
nearest, those alike — each at least ``min_similarity`` similar and sharing at least ``min_shared_names`` of its
attribute names — vote, if there are ``min_alike`` of them; when at least ``min_agreement`` of them say the same
product word in their titles, that word names it (fewer alike, down to ``min_unanimous``, must all say it). The most
precise such word wins (椅子 agreed by all ten, 电脑椅 by six: 椅子), and a broader kind (上衣 for 毛衣, 衬衫, T恤)
only where no precise one is agreed. On OpenBG, each fold fit on the other four, 69 of the 662 products nothing else
names got a word when nine of the ten nearest had to agree; for 64 the seller's own title says it, and 4 of the other
5 are the same kind in other words (毛衣 for 羊毛衫, 上衣 for 打底衫). Without the shared-names test, 115 got one and
about 10 were wrong (破壁机 for two floor washers, whose 功率 and 电压 resemble a blender's). Counting the alike ones
only (a catalog with seven rugs: the ten nearest hold three other things) gave 33 more of the 1,941 a word, 31 of
them one their seller's title uses; five alike instead of seven gave 62, 6 wrong. Five to six alike that all say the same word (a catalog with six induction hobs) gave 29 more, 25 of them
right by their seller's title (blind review: with the word 26, without 2, tie 1); four gave 53, 8 flagged wrong.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


def evidence(n: int, k: int, word: str, general: bool = False) -> str:
    said = f"{word} or a kind of it" if general else word
    return f"{n} of the {k} {LIKE_IT} (by their attributes) say {said}"


LIKE_IT = "catalog products most like it"  # how the evidence of such a word reads, and how it is told apart


class NeighbourWords:
    """``fit(docs, words)``: the titled products' attribute texts and the product words of their titles;
    ``word_for(doc)``: (word, how many agree, of how many alike among the k nearest) or None."""

    def __init__(self, *, k: int = 10, min_agreement: float = 0.9, min_similarity: float = 0.3,
                 min_shared_names: float = 0.4, max_products: int = 10_000, seed: int = 0,
                 general: Iterable[str] = (), min_alike: int = 7, min_unanimous: int = 5, min_names: int = 2) -> None:
        self.k = k
        self.min_names = min_names  # the attributes a product must state for its likeness to say anything
        self.min_alike = min_alike  # of the k nearest, those alike enough to vote with min_agreement
        self.min_unanimous = min_unanimous  # fewer alike than min_alike, but this many: they must all agree
        self.general = frozenset(general)  # broader kinds (上衣): one names a product where no precise word is agreed
        self.min_agreement = min_agreement
        self.min_similarity = min_similarity
        self.min_shared_names = min_shared_names
        self.max_products = max_products  # a sample of a large catalog: the index stays small and fast
        self.seed = seed

    def fit(self, docs: Sequence[str], words: Sequence[Sequence[str]]) -> NeighbourWords:
        pairs = [(d, sorted(set(w))) for d, w in zip(docs, words, strict=True) if d and w]
        if len(pairs) > self.max_products:
            pairs = random.Random(self.seed).sample(pairs, self.max_products)
        self.docs_ = [d for d, _w in pairs]
        self.words_ = [w for _d, w in pairs]
        self._index()
        return self

    def _index(self) -> None:
        self._vectorizer = self._matrix = None
        if len(self.docs_) >= self.k:
            self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
            self._matrix = self._vectorizer.fit_transform(self.docs_)

    def word_for(self, doc: str) -> tuple[str, int, int] | None:
        if self._matrix is None or not doc:
            return None
        # a dense query: matrix × vector is one pass over the index, matrix × sparse matrix several
        sims = self._matrix @ self._vectorizer.transform([doc]).toarray().ravel()
        top = np.argpartition(-sims, self.k - 1)[: self.k]  # the k best without sorting the whole catalog
        nearest = top[np.lexsort((top, -sims[top]))]  # best first, ties by position: the same answer every run
        if sims[nearest[0]] < self.min_similarity:
            return None
        # alike in values is not enough: a floor washer's 功率 and 电压 resemble a blender's, but it has names
        # (续航时间, 水箱容量) blenders lack; the neighbours must share most of its attribute names
        names = _names(doc)
        if len(names) < self.min_names:  # one attribute (水箱容量 alone) is shared by too many kinds to name one
            return None
        alike = [int(i) for i in nearest if sims[i] >= self.min_similarity
                 and _jaccard(names, _names(self.docs_[int(i)])) >= self.min_shared_names]
        if len(alike) < min(self.min_alike, self.min_unanimous):  # a catalog with few products of its kind
            return None
        counts = Counter(w for i in alike for w in self.words_[i])
        share = self.min_agreement if len(alike) >= self.min_alike else 1.0  # five induction hobs: all must say so
        agreed = [(w, n) for w, n in counts.items() if len(w) >= 2 and n >= share * len(alike)]
        if not agreed:
            return None
        word, n = max(agreed, key=lambda x: (x[0] not in self.general, len(x[0]), x[1], x[0]))
        return word, n, len(alike)

    def to_dict(self) -> dict:
        return {"k": self.k, "min_agreement": self.min_agreement, "min_similarity": self.min_similarity,
                "min_shared_names": self.min_shared_names, "max_products": self.max_products, "seed": self.seed,
                "general": sorted(self.general), "min_alike": self.min_alike, "min_unanimous": self.min_unanimous,
                "min_names": self.min_names, "docs": self.docs_, "words": self.words_}

    @classmethod
    def from_dict(cls, data: dict) -> NeighbourWords:
        self = cls(k=data["k"], min_agreement=data["min_agreement"], min_similarity=data["min_similarity"],
                   min_shared_names=data["min_shared_names"], max_products=data["max_products"], seed=data["seed"],
                   general=data.get("general", ()), min_alike=data.get("min_alike", cls().min_alike),
                   min_unanimous=data.get("min_unanimous", cls().min_unanimous),
                   min_names=data.get("min_names", cls().min_names))
        self.docs_ = list(data["docs"])
        self.words_ = [list(w) for w in data["words"]]
        self._index()  # the same documents give the same vectors: refitting is cheaper than storing the matrix
        return self


def _names(doc: str) -> set[str]:
    return {part.split("=", 1)[0] for part in doc.split("\t")}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0
