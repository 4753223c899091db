"""Length in each marketplace's unit.

- ``width``: Taobao/Tmall/Pinduoduo count a full-width (CJK) character as 2 and anything else as 1,
  so 60 units = 30 汉字.
- ``chars``: Unicode code points (Amazon, Google Merchant Center, Shopify).
- ``bytes``: UTF-8 bytes (Amazon backend search terms).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

UNITS = ("width", "chars", "bytes")

_WIDE: re.Pattern[str] | None = None


def _wide_regex() -> re.Pattern[str]:
    """One character class of every East Asian Wide / Fullwidth code point, built once from unicodedata:
    exact, and a regex pass is ~20× faster than asking unicodedata per character."""
    global _WIDE
    if _WIDE is None:
        ranges: list[list[int]] = []
        for cp in range(0x80, 0x40000):
            if 0xD800 <= cp < 0xE000:
                continue
            if unicodedata.east_asian_width(chr(cp)) in ("W", "F"):
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1][1] = cp
                else:
                    ranges.append([cp, cp])
        body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
        _WIDE = re.compile(f"[{body}]")
    return _WIDE


def char_width(ch: str) -> int:
    """2 for East Asian Wide / Fullwidth characters, else 1 (the exact Unicode definition)."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def prepare_width() -> None:
    """Build the wide-character class now (~0.1 s) rather than at the first measured CJK text."""
    _wide_regex()


def text_length(text: str, unit: str = "chars") -> int:
    if unit == "chars":
        return len(text)
    if unit == "width":
        return len(text) if text.isascii() else _width(text)
    if unit == "bytes":
        return len(text.encode("utf-8"))
    raise ValueError(f"unknown length unit {unit!r}; use one of {UNITS}")


@lru_cache(maxsize=65_536)
def _width(text: str) -> int:
    # titles are measured piece by piece many times over (each element, each join): remember the answers
    return len(text) + len(_wide_regex().findall(text))


def fits(text: str, max_units: int, unit: str = "chars") -> bool:
    return text_length(text, unit) <= max_units
