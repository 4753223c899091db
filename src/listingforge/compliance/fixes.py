"""Safe automatic fixes: apply findings' replacements, and cut a text to a length at a word boundary."""

from __future__ import annotations

import re

from ..product import Finding
from ..text.length import text_length
from ..text.normalize import normalize_spaces
from ..text.segment import Segmenter


def apply_fixes(text: str, findings: list[Finding]) -> tuple[str, list[Finding]]:
    """Apply every finding that has a fix, right to left, skipping overlaps. Returns (text, applied)."""
    applied: list[Finding] = []
    last_start = len(text) + 1
    for f in sorted((f for f in findings if f.fix is not None), key=lambda f: (f.start, f.end), reverse=True):
        if f.end > last_start:
            continue
        text = text[:f.start] + f.fix + text[f.end:]
        last_start = f.start
        applied.append(f)
    return tidy(text), applied


def tidy(text: str) -> str:
    """Remove what deletions leave behind: doubled separators, separators at the ends."""
    text = re.sub(r"([,，/|+、\-·])(\s*\1)+", r"\1", text)
    text = re.sub(r"^[\s,，/|+、\-·]+|[\s,，/|+、\-·]+$", "", text)
    return normalize_spaces(text)


def fit_length(text: str, max_units: int, unit: str, segmenter: Segmenter) -> str:
    """The longest prefix of whole words that fits; never cuts inside a word."""
    if text_length(text, unit) <= max_units:
        return text
    out = ""
    for _tok, _s, e in segmenter.spans(text):
        piece = text[:e]
        if text_length(piece, unit) > max_units:
            break
        out = piece
    return tidy(out)
