"""The edits between a seller's text and ours, each with its reason and evidence, for the audit.

A removal is explained by the finding that required it (its rule and legal basis); an addition by where the
words come from in the product's data or the seller's keywords. A change nothing explains says so, so a reviewer
sees it (the checks make such a candidate lose).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ..knowledge.catalog import ProductFacts
from ..product import Edit, Finding
from ..text.normalize import join_words
from ..text.segment import Segmenter

_REASONS = {"adlaw": "advertising-law term", "grounding.contradiction": "contradicts the product's data",
            "grounding.competitor": "another brand", "grounding.brand": "another brand",
            "grounding.number": "a number the product does not state", "repeat": "repeated word",
            "chars": "character the marketplace forbids", "promo": "promotional phrase", "caps": "ALL CAPS",
            "length": "over the length limit", "emoji": "emoji / control character"}


_LAW_FAMILIES = {"cosmetics", "food", "consumer", "unfair", "medical", "health"}


def reason_of(finding: Finding) -> str:
    rule = finding.rule
    for key, reason in _REASONS.items():
        if rule.startswith(key) or rule.endswith("." + key):
            return reason
    if rule.split(".")[0] in _LAW_FAMILIES:
        return "advertising-law term"
    return rule


def edits_between(old: str, new: str, segmenter: Segmenter, *, findings: Iterable[Finding] = (),
                  facts: ProductFacts | None = None, keywords: Iterable[str] = ()) -> list[Edit]:
    """Word-level edits turning ``old`` into ``new``: removals explained by ``findings``, additions by the
    product's ``facts`` and the seller's ``keywords``."""
    a, b = segmenter.cut(old), segmenter.cut(new)
    found = list(findings)
    kws = [k for k in keywords if k]
    out: list[Edit] = []
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        gone, come = join_words(a[i1:i2]), join_words(b[j1:j2])
        removed += [gone] if gone else []
        added += [come] if come else []
        f = _explaining(gone, found) if gone else None
        if gone and come:
            out.append(Edit(kind="replace", old=gone, new=come, reason=reason_of(f) if f else "reworded",
                            evidence=_finding_evidence(f) if f else _evidence(come, facts, kws)))
        elif gone:
            out.append(Edit(kind="remove", old=gone, reason=reason_of(f) if f else "removed",
                            evidence=_finding_evidence(f) if f else ""))
        else:
            out.append(Edit(kind="add", new=come, reason="added", evidence=_evidence(come, facts, kws)))
    # a word that only moved is one reorder, not a removal and an addition
    moved = {w for w in removed if w in added}
    if moved:
        out = [e for e in out if not (e.kind in ("add", "remove") and (e.old or e.new) in moved)]
        out += [Edit(kind="reorder", old=w, reason="moved", evidence="the seller's own words") for w in sorted(moved)]
    return out


def _explaining(removed: str, findings: list[Finding]) -> Finding | None:
    low = "".join(removed.lower().split())  # word-joined: "# 1" is the finding "#1"
    for f in findings:
        text = "".join(f.text.lower().split())
        if text and (text in low or low in text):
            return f
    return next((f for f in findings if f.rule.endswith(".length")), None)


def _finding_evidence(f: Finding) -> str:
    """The rule, and the head of its basis ("adlaw.absolute: 广告法 第九条第(三)项"); the whole basis and source
    stay with the finding (``Result.fixed``, the report)."""
    head = re.split(r"[;；:：(（]", f.basis, maxsplit=1)[0].strip() if f.basis else ""
    return f"{f.rule}: {head}" if head and head != f.rule else f.rule


def _evidence(words: str, facts: ProductFacts | None, keywords: list[str]) -> str:
    """Where added words come from: an attribute, the brand, the product word, the description, a keyword."""
    low = words.lower().strip()
    if not low:
        return ""
    if facts is not None:
        if facts.brand and low in facts.brand.lower():
            return f"brand {facts.brand}"
        for w, evidence in facts.product_words:
            if low in w.lower():
                return evidence
        for k, v in facts.product.attributes:
            if low in v.lower():
                return f"attribute {k}={v}"
        if facts.product.description and low in facts.product.description.lower():
            return "the product's description"
    for k in keywords:
        if low in k.lower():
            return f"keyword file: {k}"
    return ""
