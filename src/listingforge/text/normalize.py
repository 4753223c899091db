"""Normalization: full/half width, spacing, repeated words. No marketplace policy here."""

from __future__ import annotations

import re
from functools import lru_cache

from .lang import is_cjk_char

# Full-width ASCII (！ to ～) maps to ASCII by a fixed offset; the ideographic space becomes a space.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f]+")
_CJK_PUNCT_SPACE = re.compile(r" ?([，。、；：！？）】」』]) ?")


_HAS_FULLWIDTH = re.compile(r"[\uff01-\uff5e\u3000]")
# a seller's bracketed note or tag, in a value or a title: 【11-11预售】, 【香港直邮】, [现货]
BRACKET_NOTE = re.compile(r"【[^】]*】|\[[^\]]*\]")


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and ASCII punctuation → half width (ＡＢＣ１２３ → ABC123)."""
    return text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text  # translate is slow on long texts


@lru_cache(maxsize=1)
def _traditional_to_simplified():  # noqa: ANN202 - opencc.OpenCC
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters → simplified (頂級 → 顶级, 萬能 → 万能), position for position, so a span found in
    the result is the same span of ``text``. Where OpenCC's phrase conversion would change the length, the text
    is converted character by character, and a character that would not stay one character is kept."""
    if text.isascii():
        return text
    t2s = _traditional_to_simplified()
    out = t2s.convert(text)
    if len(out) == len(text):
        return out
    return "".join(s if len(s := t2s.convert(c)) == 1 else c for c in text)


def matching_form(text: str) -> str:
    """The text as word lists are written — half width, simplified characters — position for position, so a term
    list finds ＮＯ.１ as No.1 and 頂級 as 顶级 and the span it finds is the writer's own."""
    return to_simplified(to_halfwidth(text))


def normalize_spaces(text: str) -> str:
    """One space between words; none at the ends or around CJK punctuation."""
    text = _SPACES.sub(" ", text).strip()
    return _CJK_PUNCT_SPACE.sub(r"\1", text)


def normalize_text(text: str) -> str:
    return normalize_spaces(to_halfwidth(text))


def dedupe_words(words: list[str]) -> list[str]:
    """Drop a word that repeats one already kept (case-insensitive); keeps the first occurrence."""
    seen: set[str] = set()
    out = []
    for w in words:
        key = w.lower()
        if w.strip() and key in seen:
            continue
        seen.add(key)
        out.append(w)
    return out


def join_words(words: list[str]) -> str:
    """Join tokens: a space between two Latin/digit tokens, none next to a CJK character."""
    out: list[str] = []
    for w in words:
        w = w.strip()
        if not w:
            continue
        if out and not is_cjk_char(out[-1][-1]) and not is_cjk_char(w[0]):
            out.append(" ")
        out.append(w)
    return "".join(out)


_NOISE_PUNCT = re.compile(r"[!！?？~～★☆♥❤✔✨🔥]{2,}|[★☆♥❤✔✨🔥]")


def drop_noise(text: str, spans: list[tuple[str, int, int]], keep: frozenset[str] = frozenset()) -> str:
    """Drop a word that repeats the word right before it ("连衣裙连衣裙") and runs of shouting punctuation; a word
    in ``keep`` (lower case: one a brand itself says twice, "go go tales") may repeat."""
    out, last, prev = [], 0, None
    for tok, s, e in spans:
        # a model number may repeat on purpose ("S21 S21 Ultra": two models)
        if prev is not None and tok == prev and len(tok) >= 2 and not text[last:s].strip() \
                and not any(c.isdigit() for c in tok) and tok.lower() not in keep:
            last = e
            continue
        out.append(text[last:e])
        last, prev = e, tok
    out.append(text[last:])
    return normalize_spaces(_NOISE_PUNCT.sub(" ", "".join(out)))
