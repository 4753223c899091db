"""Length in each marketplace's unit.

- ``width``: Taobao/Tmall/Pinduoduo count a full-width (CJK) character as 2 and anything else as 1,
  so 60 units = 30 汉字.
- ``chars``: Unicode code points (Amazon, Google Merchant Center, Shopify).
- ``bytes``: UTF-8 bytes (Amazon backend search terms).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

UNITS = ("width", "chars", "bytes")


@lru_cache(maxsize=65536)
def char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_length(text: str, unit: str = "chars") -> int:
    if unit == "chars":
        return len(text)
    if unit == "width":
        return sum(char_width(c) for c in text)
    if unit == "bytes":
        return len(text.encode("utf-8"))
    raise ValueError(f"unknown length unit {unit!r}; use one of {UNITS}")


def fits(text: str, max_units: int, unit: str = "chars") -> bool:
    return text_length(text, unit) <= max_units
