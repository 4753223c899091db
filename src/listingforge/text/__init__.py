"""Text utilities that know no marketplace policy: language, length units, normalization, segmentation."""

from .lang import cjk_count, detect_lang, is_cjk_char
from .length import fits, text_length

__all__ = ["cjk_count", "detect_lang", "fits", "is_cjk_char", "text_length"]
