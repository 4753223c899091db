"""Language detection by script: listings are short, so counting scripts beats a statistical model."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def is_cjk_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def detect_lang(text: str | None, default: str = "en") -> str:
    """``"zh"`` when Chinese characters are a real part of the text, else ``"en"`` (or ``default`` if empty).

    Chinese titles often carry Latin brand names and model numbers ("Apple iPhone 15 手机壳"), so one
    CJK character in five letters is enough to call it Chinese.
    """
    if not text:
        return default
    cjk = cjk_count(text)
    latin = len(_LATIN.findall(text))
    if cjk == 0 and latin == 0:
        return default
    return "zh" if cjk * 5 >= latin or cjk >= 4 else "en"
