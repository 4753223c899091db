"""Plain substring search with positions: the hot checks' replacement for ``re.finditer(re.escape(s))``.

A regex per brand or allowed term misses ``re``'s small pattern cache on a large catalog and is compiled
again for every product; ``str.find`` needs no compiling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def outermost(words: Iterable[str]) -> list[str]:
    """The words that no other of them contains, once each, in their order: 电脑椅 of 电脑椅 and 电脑, 男士 of 男 and
    男士 (the shorter one found inside the longer is part of it, not a word of its own)."""
    found = list(dict.fromkeys(words))
    return [w for w in found if not any(w != o and w in o for o in found)]


def find_all(needle: str, text: str, *, ignore_case: bool = False) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of ``needle`` in ``text``, left to right."""
    if not needle:
        return []
    hay, pat = text, needle
    if ignore_case:
        hay, pat = text.lower(), needle.lower()
        if len(hay) != len(text) or len(pat) != len(needle):  # lower() changed lengths ("İ"): positions differ
            return [m.span() for m in re.finditer(re.escape(needle), text, re.IGNORECASE)]
    out, at = [], hay.find(pat)
    while at >= 0:
        out.append((at, at + len(pat)))
        at = hay.find(pat, at + len(pat))
    return out


def latin_at(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a Latin letter or digit (False outside the text): a Latin word that touches it is
    part of a bigger word."""
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


def whole_word(low: str, start: int, end: int) -> bool:
    """Whether ``low[start:end]`` is not cut out of a bigger Latin word at either end ("hp" is not in "hpa"); a
    CJK or punctuation edge is always a boundary."""
    return not (latin_at(low, start - 1) and latin_at(low, start)) and not (latin_at(low, end) and latin_at(low, end - 1))
