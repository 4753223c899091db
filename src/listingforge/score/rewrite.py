"""Is a rewrite of the seller's title better by a clear margin? FeedGen's rubric as the floor, plus readability.

Per edit against the seller's own title (google-marketing-solutions/feedgen README, PR #26): an invented word −1,
a removed word −0.5 (unless a finding required the removal), unchanged 0, a gap filled with evidence +0.5 (a
missing brand, product word, key attribute or search word); moving the brand to the front +0.25. Then how it
reads: the change in the catalog language model's log probability per character, and −0.5 for each word the
rewrite says twice that the original did not. A rewrite replaces the seller's title only when its gain reaches
the margin; otherwise the title with its mandatory fixes alone is the answer, and the reasons say why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..knowledge.lm import CharLM
from ..product import Edit
from ..text.segment import Segmenter

GAP_FILLED, REMOVED, INVENTED, BRAND_FIRST, REPEATED = 0.5, -0.5, -1.0, 0.25, -0.5
FLUENCY_WEIGHT = 2.0  # gain per nat of mean log probability per character
FLUENCY_CAP = 0.5  # a language model fit on one catalog is a hint, never worth more than one filled gap


@dataclass
class RewriteGain:
    value: float
    parts: list[tuple[str, float]] = field(default_factory=list)  # (what, points), for the reasons

    def explain(self) -> str:
        return "; ".join(f"{what} ({pts:+.2f})" for what, pts in self.parts) or "no change"


def _content_words(text: str, segmenter: Segmenter) -> list[str]:
    return [t.lower() for t in segmenter.cut(text) if len(t) >= 2 and any(c.isalnum() for c in t)]


def rewrite_gain(base: str, rewrite: str, edits: list[Edit], segmenter: Segmenter,
                 lm: CharLM | None = None) -> RewriteGain:
    """The gain of ``rewrite`` over ``base`` (the seller's title with its mandatory fixes); ``edits`` are the
    rewrite's own edits beyond those fixes."""
    parts: list[tuple[str, float]] = []
    added = [e for e in edits if e.kind == "add" and e.evidence]
    if added:
        parts.append((f"{len(added)} gap(s) filled: {', '.join(e.new for e in added)}", GAP_FILLED * len(added)))
    if any(e.kind == "reorder" for e in edits):
        parts.append(("brand moved to the front", BRAND_FIRST))
    base_words, new_words = _content_words(base, segmenter), _content_words(rewrite, segmenter)
    lost = sorted(set(base_words) - set(new_words))
    if lost:
        parts.append((f"removed {', '.join(lost[:5])}", REMOVED * len(lost)))
    unexplained = [e for e in edits if e.kind == "add" and not e.evidence]
    if unexplained:
        parts.append((f"added without evidence: {', '.join(e.new for e in unexplained)}", INVENTED * len(unexplained)))
    repeats = _repeats(new_words) - _repeats(base_words)
    if repeats > 0:
        parts.append((f"{repeats} word(s) said twice", REPEATED * repeats))
    if lm is not None and rewrite != base:
        delta = lm.fluency(rewrite) - lm.fluency(base)
        if abs(delta) >= 0.1:
            pts = max(-FLUENCY_CAP, min(FLUENCY_CAP, FLUENCY_WEIGHT * delta))
            parts.append(("reads " + ("better" if delta > 0 else "worse"), pts))
    return RewriteGain(value=round(sum(p for _, p in parts), 3), parts=parts)


def _repeats(words: list[str]) -> int:
    """Words said again, whole or inside another ("外套" and "毛呢外套")."""
    n = 0
    for i, w in enumerate(words):
        if any(w == v or (len(w) >= 2 and w in v) or (len(v) >= 2 and v in w) for v in words[:i]):
            n += 1
    return n
