"""The flow every task shares: candidates → checks and safe fixes → score → best + diverse alternatives."""

from __future__ import annotations

import difflib
import re

from ..compliance import Checker, product_source_text
from ..generate.base import Spec
from ..product import Candidate, Finding, Product, Scored
from ..score.base import ScoreInput, Scorer
from ..text.normalize import join_words
from ..text.segment import Segmenter
from ..text.similarity import char_bigrams, jaccard


def check_candidates(
    candidates: list[Candidate], product: Product, checker: Checker, spec: Spec, *, field: str = "title",
) -> list[tuple[Candidate, list[Finding], list[Finding]]]:
    """Fix what can be fixed safely; return (fixed candidate, findings fixed, findings left), deduplicated."""
    out = []
    seen: set[str] = set()
    source = product_source_text(product)  # the facts every candidate is grounded in, gathered once
    for c in candidates:
        text, fixed, left = checker.check_and_fix(c.text, product, field=field, max_units=spec.max_units,
                                                  source=source)
        if not text or text in seen:
            continue
        seen.add(text)
        if text != c.text:
            c = c.model_copy(update={"text": text, "meta": {**c.meta, "fixed": [f.short() for f in fixed]}})
        out.append((c, fixed, left))
    return out


def select(
    checked: list[tuple[Candidate, list[Finding], list[Finding]]],
    product: Product,
    scorer: Scorer,
    spec: Spec,
    *,
    n_alternatives: int = 2,
    diversity: float = 0.3,
) -> tuple[Scored | None, list[Scored], list[Finding]]:
    """Best candidate and alternatives picked by maximal marginal relevance (score minus similarity)."""
    if not checked:
        return None, [], []
    scores = scorer.score([ScoreInput(product=product, text=c.text, findings=left, spec=spec)
                           for c, _fixed, left in checked])
    scored = [(Scored(candidate=c, score=s, findings=left), fixed)
              for (c, fixed, left), s in zip(checked, scores, strict=True)]
    # whatever the scorer says, a candidate that still breaks a rule never beats a clean one
    scored.sort(key=lambda x: (any(f.severity == "error" for f in x[0].findings), -x[0].score.value))
    best, best_fixed = scored[0]
    chosen = [best]
    rest = [s for s, _ in scored[1:]]
    grams = {s.candidate.text: char_bigrams(s.candidate.text) for s, _ in scored}
    while rest and len(chosen) <= n_alternatives:
        pick = max(rest, key=lambda s: s.score.value / 100.0
                   - diversity * max(_similarity(s.candidate.text, c.candidate.text, grams) for c in chosen))
        chosen.append(pick)
        rest.remove(pick)
    return best, chosen[1:], best_fixed


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: cheap and language-neutral."""
    return _similarity(a, b, {a: char_bigrams(a), b: char_bigrams(b)})


def _similarity(a: str, b: str, grams: dict[str, set[str]]) -> float:
    if not grams[a] or not grams[b]:  # one character or none: equal or not
        return float(a == b)
    return jaccard(grams[a], grams[b])


def word_diff(old: str, new: str, segmenter: Segmenter) -> str:
    """"-removed +added" over words; empty when nothing changed but order."""
    a, b = segmenter.cut(old), segmenter.cut(new)
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            ops.append("-" + join_words(a[i1:i2]))
        if tag in ("insert", "replace"):
            ops.append("+" + join_words(b[j1:j2]))
    removed = {o[1:] for o in ops if o[0] == "-"}
    added = {o[1:] for o in ops if o[0] == "+"}
    if removed and removed == added:
        return "reordered"
    return " ".join(re.sub(r"\s+", " ", o) for o in ops)
