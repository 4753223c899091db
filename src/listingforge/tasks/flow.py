"""The flow every task shares: candidates → checks and safe fixes → score → best + diverse alternatives."""

from __future__ import annotations

from ..compliance import Checker, product_source_text
from ..generate.base import Spec
from ..product import Candidate, Finding, Product, Scored
from ..score.base import ScoreInput, Scorer
from ..text.similarity import char_bigrams, jaccard


def check_candidates(
    candidates: list[Candidate], product: Product, checker: Checker, spec: Spec, *, field: str = "title",
) -> list[tuple[Candidate, list[Finding], list[Finding]]]:
    """Fix what can be fixed safely; return (fixed candidate, findings fixed, findings left), deduplicated."""
    out = []
    seen: set[str] = set()
    # the facts every candidate is grounded in, gathered once; a search word the seller named for the
    # product's category is the seller's own claim, evidence too, and so is the product word the catalog
    # knowledge gave it with its evidence (the word most titles of its category use)
    source = " | ".join([product_source_text(product), *spec.extra.get("scoped_keywords", ()),
                         *spec.extra.get("product_words", ())]).lower()
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


def score_candidates(
    checked: list[tuple[Candidate, list[Finding], list[Finding]]], product: Product, scorer: Scorer, spec: Spec,
) -> list[tuple[Scored, list[Finding]]]:
    """(scored candidate, findings fixed on it), best first: whatever the scorer says, a candidate that still
    breaks a rule never beats a clean one."""
    if not checked:
        return []
    scores = scorer.score([ScoreInput(product=product, text=c.text, findings=left, spec=spec)
                           for c, _fixed, left in checked])
    scored = [(Scored(candidate=c, score=s, findings=left), fixed)
              for (c, fixed, left), s in zip(checked, scores, strict=True)]
    scored.sort(key=lambda x: (any(f.severity == "error" for f in x[0].findings), -x[0].score.value))
    return scored


def pick_alternatives(best: Scored, rest: list[Scored], n: int, diversity: float = 0.3) -> list[Scored]:
    """Up to ``n`` alternatives by maximal marginal relevance: score minus similarity to what is chosen."""
    chosen = [best]
    rest = list(rest)
    grams = {s.candidate.text: char_bigrams(s.candidate.text) for s in [best, *rest]}
    while rest and len(chosen) <= n:
        pick = max(rest, key=lambda s: s.score.value / 100.0
                   - diversity * max(_similarity(s.candidate.text, c.candidate.text, grams) for c in chosen))
        chosen.append(pick)
        rest.remove(pick)
    return chosen[1:]


def select(
    checked: list[tuple[Candidate, list[Finding], list[Finding]]],
    product: Product,
    scorer: Scorer,
    spec: Spec,
    *,
    n_alternatives: int = 2,
    diversity: float = 0.3,
) -> tuple[Scored | None, list[Scored], list[Finding]]:
    """Best candidate and diverse alternatives, and the findings fixed on the best."""
    scored = score_candidates(checked, product, scorer, spec)
    if not scored:
        return None, [], []
    (best, best_fixed), rest = scored[0], [s for s, _ in scored[1:]]
    return best, pick_alternatives(best, rest, n_alternatives, diversity), best_fixed


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: cheap and language-neutral."""
    return _similarity(a, b, {a: char_bigrams(a), b: char_bigrams(b)})


def _similarity(a: str, b: str, grams: dict[str, set[str]]) -> float:
    if not grams[a] or not grams[b]:  # one character or none: equal or not
        return float(a == b)
    return jaccard(grams[a], grams[b])
