"""Descriptions as sentences of clauses: how catalog copy is cut into reusable pieces and put back together.

A Chinese description is sentences ending in 。！？; a sentence is clauses joined by ，. English catalog copy
(Myntra's) also glues sentences without a space ("…TSA lockOne handle…"): a lower-case letter followed by
an upper-case one starts a new sentence there. Pure functions, no policy.
"""

from __future__ import annotations

import re

_SENTENCE_ZH = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
_SENTENCE_END_ZH = "。！？!?；;"
_CLAUSE_ZH = re.compile(r"[，,：:]")  # not 、: "高贵、优雅的气质" is one clause
# "…TSA lockOne handle…": a lower-case word glued to the next sentence; not "AccessHer" (a name in camel case)
_GLUED_EN = re.compile(r"\b([a-z][a-z)]*)(?=[A-Z][a-z])")
_SENTENCE_END_EN = re.compile(r"(?<=[.!?])(?=\s|[A-Z]|$)|\n")
# a full stop after an initial or an abbreviation ("U.S. Polo Assn. Kids") ends nothing; inside a number ("1.6 g")
# it is never taken for one
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Co|Assn|Inc|Ltd|Pvt|St|Dr|Mr|Ms|Mrs|No|Jr|vs))\.$")
_CLAUSE_EN = re.compile(r"\s*[,;:]\s*|\s+(?:and|with)\s+(?=has\b|is\b|an?\b)")


def sentences(text: str, lang: str) -> list[str]:
    """The sentences of ``text``, end punctuation stripped, empty ones dropped."""
    if lang == "zh":
        parts = _SENTENCE_ZH.findall(text)
        return [s.strip().rstrip(_SENTENCE_END_ZH).strip() for s in parts if s.strip().rstrip(_SENTENCE_END_ZH)]
    text = _GLUED_EN.sub(r"\1. ", text)
    merged: list[str] = []
    for part in _SENTENCE_END_EN.split(text):
        if merged and _ABBREVIATION.search(merged[-1].rstrip()):
            merged[-1] += part
        else:
            merged.append(part)
    return [s.strip().rstrip(".!?").strip() for s in merged if s.strip().rstrip(".!?").strip()]


def clauses(sentence: str, lang: str) -> list[str]:
    """The clauses of one sentence (no punctuation kept)."""
    splitter = _CLAUSE_ZH if lang == "zh" else _CLAUSE_EN
    return [c.strip() for c in splitter.split(sentence) if c and c.strip()]


def all_clauses(text: str, lang: str) -> list[str]:
    """Every clause of ``text``, sentence after sentence."""
    return [c for s in sentences(text, lang) for c in clauses(s, lang)]


def join_sentences(sents: list[list[str]], lang: str, *, exclaim: set[int] | None = None) -> str:
    """Clauses back into text: ``，`` / ``, `` inside a sentence, ``。`` / ``. `` after it (``！`` / ``!`` for the
    sentence indexes in ``exclaim``)."""
    exclaim = exclaim or set()
    out = []
    for i, clause_list in enumerate(s for s in sents if s):
        if lang == "zh":
            out.append("，".join(clause_list) + ("！" if i in exclaim else "。"))
        else:
            body = ", ".join(clause_list)
            out.append(body[:1].upper() + body[1:] + ("!" if i in exclaim else "."))
    return ("" if lang == "zh" else " ").join(out)


def printed_names(text: str, names: list[str], ordinary: set[str] = frozenset()) -> list[str]:
    """Attribute names a text prints as names: as a label ("材质：", "【风格】", "colour:") whatever the name, or anywhere
    when it is not a word sellers write in their copy (``ordinary``: 版型, 风格 are; 衣样式, 裙款式 are not)."""
    low = text.lower()
    out = []
    for name in {n.strip() for n in names if len(n.strip()) >= 2}:
        n = name.lower()
        label = re.search(re.escape(n) + r"\s*[:：]|【" + re.escape(n) + "】", low)
        anywhere = re.search(r"(?<![a-z])" + re.escape(n) + r"(?![a-z])", low) if n.isascii() else n in low
        if label or (anywhere and n not in ordinary):
            out.append(name)
    return sorted(out)
