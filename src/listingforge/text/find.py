"""Plain substring search with positions: the hot checks' replacement for ``re.finditer(re.escape(s))``.

A regex per brand or allowed term misses ``re``'s small pattern cache on a large catalog and is compiled
again for every product; ``str.find`` needs no compiling.
"""

from __future__ import annotations

import re


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
