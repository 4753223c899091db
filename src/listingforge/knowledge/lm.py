"""A character n-gram language model of a catalog's own titles: a cheap signal of how natural a text reads.

Interpolated absolute discounting (Kneser-Ney's discount without its continuation counts) over characters,
lower-cased, with digits folded to one symbol so "50g" and "100g" read alike. ``fluency(text)`` is the mean log
probability per character; a fix that leaves a fragment ("可失眠", "美长裙") lowers it where the text was cut.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

_DIGITS = re.compile(r"\d+")
_BOS, _EOS = "\x02", "\x03"
VERSION = 1


def _prepare(text: str) -> str:
    return _DIGITS.sub("0", text.lower())


class CharLM:
    """``fit(texts)`` → ``logprob`` / ``fluency``; ``to_dict`` / ``from_dict`` to save."""

    def __init__(self, order: int = 3, discount: float = 0.75, max_texts: int = 50_000) -> None:
        self.order = order
        self.discount = discount
        self.max_texts = max_texts

    def fit(self, texts: Iterable[str]) -> CharLM:
        kept = [t for t in texts if t][: self.max_texts]
        # the catalog's typical title is measured on titles the model has not counted (every tenth), so that a
        # new title is compared with new titles, not with ones the model has by heart
        held = kept[::10] if len(kept) >= 20 else []
        counts = self._counts(t for i, t in enumerate(kept) if not held or i % 10)
        self._index(counts)
        scores = sorted(self.fluency(t) for t in held[:2000])
        self.typical_ = scores[len(scores) // 2] if scores else 0.0
        if held:
            counts.update(self._counts(held))
            self._index(counts)
        return self

    def _counts(self, texts: Iterable[str]) -> Counter[str]:
        counts: Counter[str] = Counter()  # every n-gram of order 1..n, keyed by its characters
        for t in texts:
            s = _BOS * (self.order - 1) + _prepare(t) + _EOS
            for i in range(self.order - 1, len(s)):
                for k in range(1, self.order + 1):
                    counts[s[i - k + 1:i + 1]] += 1
        return counts

    def _index(self, counts: Counter[str]) -> None:
        self.counts_ = dict(counts)
        context: Counter[str] = Counter()  # how often a context is followed by anything
        types: Counter[str] = Counter()  # how many different characters follow it
        for g, c in counts.items():
            if len(g) > 1:
                context[g[:-1]] += c
                types[g[:-1]] += 1
        self._context, self._types = dict(context), dict(types)
        self._unigrams = sum(c for g, c in counts.items() if len(g) == 1)
        self._vocab = sum(1 for g in counts if len(g) == 1) + 1

    def logprobs(self, text: str) -> list[float]:
        """Natural-log probability of each character of ``text`` (and of its end), in order."""
        s = _BOS * (self.order - 1) + _prepare(text) + _EOS
        counts, context, types, d = self.counts_, self._context, self._types, self.discount
        floor = self._unigrams + self._vocab
        out = []
        for i in range(self.order - 1, len(s)):
            ch = s[i]
            p = (counts.get(ch, 0) + 1) / floor  # add-one unigram: never zero
            for k in range(1, self.order):  # interpolate up through the longer histories the catalog has seen
                h = s[i - k:i]
                total = context.get(h)
                if not total:
                    break
                p = (max(counts.get(h + ch, 0) - d, 0) + d * types[h] * p) / total
            out.append(math.log(p))
        return out

    def count(self, chars: str) -> int:
        """How often the catalog's titles hold ``chars`` (up to ``order`` characters, digits folded)."""
        return self.counts_.get(_prepare(chars), 0)

    def fluency(self, text: str) -> float:
        """Mean log probability per character: closer to 0 reads more like the catalog's titles (``typical_``:
        the catalog's median title)."""
        lp = self.logprobs(text)
        return sum(lp) / len(lp) if lp else 0.0

    def to_dict(self) -> dict:
        return {"version": VERSION, "order": self.order, "discount": self.discount, "counts": self.counts_,
                "typical": self.typical_}

    @classmethod
    def from_dict(cls, data: dict) -> CharLM:
        self = cls(order=data["order"], discount=data["discount"])
        self._index(Counter(data["counts"]))
        self.typical_ = data["typical"]
        return self
