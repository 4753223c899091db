"""Banned-term checks from a data file: the Advertising Law classes and their lawful exceptions.

A term matches longest first ("全网第一" before "第一"). An exception pattern that covers the match (e.g.
"最佳赏味期", "第一代", "最大容量5L", "100%棉") makes it lawful, following the SAMR 2023 guideline on
absolute terms. Exceptions that need facts outside the text — a true self-comparison, a registered
trademark, a true background fact — are given as ``allow`` terms (the product's own brand is always allowed).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..product import Finding
from ..text.find import find_all


@dataclass(frozen=True)
class TermClass:
    id: str
    severity: str
    message: str
    source: str
    regex: re.Pattern[str]
    exceptions: re.Pattern[str] | None
    replace: dict[str, str]
    terms: frozenset[str]  # the listed terms, lower-cased: deleted whole
    bare: re.Pattern[str] | None  # pattern-only matches (最X) whose fix keeps X


@lru_cache(maxsize=8)
def load_term_classes(law: str) -> tuple[TermClass, ...]:
    text = (resources.files(__package__) / "data" / f"{law}.toml").read_text(encoding="utf-8")
    out = []
    for c in tomllib.loads(text)["classes"]:
        alts = sorted({re.escape(t) for t in c.get("terms", [])}, key=lambda t: (-len(t), t))
        alts += c.get("patterns", [])
        exc = c.get("exceptions", [])
        out.append(TermClass(
            id=c["id"], severity=c["severity"], message=c["message"], source=c["source"],
            regex=re.compile("|".join(alts), re.IGNORECASE),
            exceptions=re.compile("|".join(f"(?:{e})" for e in exc), re.IGNORECASE) if exc else None,
            replace=dict(c.get("replace", {})),
            terms=frozenset(t.lower() for t in c.get("terms", [])),
            bare=re.compile("|".join(c["patterns"])) if c.get("patterns") else None,
        ))
    return tuple(out)


def _deletion(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a deleted term over a dangling 的 / 之 and one surrounding space."""
    if end < len(text) and text[end] in "的之":
        end += 1
    if start > 0 and end < len(text) and text[start - 1] == " " and text[end] == " ":
        end += 1
    return start, end


def check_terms(text: str, law: str, *, field: str = "title", allow: Iterable[str] = ()) -> list[Finding]:
    allowed: list[tuple[int, int]] | None = None
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for cls in load_term_classes(law):
        lawful: list[tuple[int, int]] | None = None
        for m in cls.regex.finditer(text):
            s, e = m.span()
            if lawful is None:  # the lawful uses and allowed words are looked for only once a term is found
                lawful = [(x.start(), x.end()) for x in cls.exceptions.finditer(text)] if cls.exceptions else []
                if allowed is None:
                    allowed = [span for a in allow if a for span in find_all(a, text, ignore_case=True)]
                lawful += allowed
            if any(a <= s and e <= b for a, b in lawful):
                continue
            if any(s < b and a < e for a, b in taken):  # already reported by an earlier class
                continue
            taken.append((s, e))
            term = m.group()
            if term in cls.replace:
                ds, de, fix = s, e, cls.replace[term]
            elif cls.bare is not None and term.lower() not in cls.terms and cls.bare.fullmatch(term):
                ds, de, fix = s, e, term[1:]
            else:
                (ds, de), fix = _deletion(text, s, e), ""
            findings.append(Finding(
                rule=cls.id, severity=cls.severity, field=field, start=ds, end=de, text=term,
                message=f"{cls.message}: {term!r}", fix=fix,
            ))
    return findings
