"""Sentiment and opinion tags from review text (Chinese).

Sentiment: snownlp's naive-Bayes model (trained on product reviews), one score per review sentence,
averaged. Opinions: "aspect + opinion" pairs found by part of speech (a noun, then within two words an
adjective: 质量 很 好 → 质量:好), each with its sentence's polarity. English reviews get no tags: no
offline English sentiment model ships in the base install, and guessing would be worse than nothing.
"""

from __future__ import annotations

import re

from ..errors import ConfigError
from ..text.lang import detect_lang
from .base import Tag

_SENTENCES = re.compile(r"[^。！？!?；;\n]+")


def _snownlp():  # noqa: ANN202
    try:
        from snownlp import SnowNLP
    except ImportError as exc:
        raise ConfigError("sentiment tags need snownlp: pip install snownlp") from exc
    return SnowNLP


class OpinionTagger:
    """Stateless (nothing to fit): ``predict_one(review)`` → sentiment and opinion tags."""

    def __init__(self, *, positive: float = 0.6, negative: float = 0.4, max_gap: int = 2) -> None:
        self.positive = positive
        self.negative = negative
        self.max_gap = max_gap

    def _polarity(self, score: float) -> str:
        return "positive" if score >= self.positive else ("negative" if score <= self.negative else "neutral")

    def predict_one(self, review: str | None) -> list[Tag]:
        if not review or not review.strip() or detect_lang(review) != "zh":
            return []
        snow = _snownlp()
        import logging

        import jieba
        import jieba.posseg as pseg

        jieba.setLogLevel(logging.WARNING)

        tags: list[Tag] = []
        scores = []
        for m in _SENTENCES.finditer(review):
            sent = m.group().strip()
            if not sent:
                continue
            score = float(snow(sent).sentiments)
            scores.append(score)
            words, pos = [], m.start()
            for w, flag in pseg.cut(m.group()):
                words.append((w, flag, pos))
                pos += len(w)
            for i, (w, flag, start) in enumerate(words):
                if not flag.startswith("n") or len(w) < 2:
                    continue
                for w2, flag2, start2 in words[i + 1: i + 2 + self.max_gap]:
                    if flag2.startswith("n") or flag2 == "x":
                        break
                    if flag2 in ("a", "ad", "an"):
                        tags.append(Tag(type="opinion", value=f"{w}:{w2}", start=start, end=start2 + len(w2),
                                        source="sentiment", confidence=round(abs(score - 0.5) * 2, 4),
                                        field="review"))
                        break
        if scores:
            avg = sum(scores) / len(scores)
            tags.insert(0, Tag(type="sentiment", value=self._polarity(avg), source="sentiment",
                               confidence=round(max(avg, 1 - avg), 4), field="review"))
        return tags
