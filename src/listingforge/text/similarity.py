"""Cheap, language-neutral text overlap on character bigrams (no segmentation needed)."""

from __future__ import annotations


def char_bigrams(text: str, *, fold: bool = False) -> set[str]:
    """``fold``: lower-cased with spaces removed, so "Levi's 牛仔裤" and "levi's牛仔裤" share every bigram."""
    if fold:
        text = text.lower().replace(" ", "")
    return {text[i:i + 2] for i in range(len(text) - 1)}


def jaccard(ga: set[str], gb: set[str]) -> float:
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


def dice(ga: set[str], gb: set[str]) -> float:
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0
