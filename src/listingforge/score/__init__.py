"""Scoring titles: the protocol, and a learned model of what sells trained on a seller's history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .base import ScoreInput, Scorer

if TYPE_CHECKING:
    from .learned import LearnedScorer

__all__ = ["LearnedScorer", "ScoreInput", "Scorer", "load_scorer"]


def load_scorer(path: str | Path) -> LearnedScorer:
    """A scorer saved by ``LearnedScorer.save`` / ``listingforge scorer train -o DIR``."""
    from .learned import LearnedScorer

    return LearnedScorer.load(path)


def __getattr__(name: str):  # noqa: ANN202 - lazy: LightGBM and jieba load only when a scorer is used
    if name == "LearnedScorer":
        from .learned import LearnedScorer

        return LearnedScorer
    raise AttributeError(name)
