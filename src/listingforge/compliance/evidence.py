"""No evidence, no edit: every word a rewrite adds to the seller's text must come from the product itself.

Evidence is the product's own data (attributes, description or bullets, brand), the seller's own title, or the
seller's keyword file. A word a rewrite adds with none of these behind it — by a language model or any other
generator — is an ``edit.no_evidence`` error; the category name or path is metadata, never evidence for a title
word (``source`` passed here leaves it out).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..product import Finding
from ..text.segment import Segmenter

BASIS = "listingforge: an edit to the seller's text needs evidence from the product (DESIGN.md)"


def joined_from(word: str, text: str) -> bool:
    """Whether ``word`` is two words that each occur in ``text``: the segmenter may join two evidenced words into
    one ("变频" + "空调" → "变频空调")."""
    return any(word[:i] in text and word[i:] in text for i in range(1, len(word)))


def check_evidence(old: str, new: str, source: str, segmenter: Segmenter, *, keywords: Iterable[str] = (),
                   allow: Iterable[str] = (), field: str = "title") -> list[Finding]:
    """Words of ``new`` that are not in ``old`` and have no evidence in ``source`` (lower case) or ``keywords``
    (``allow``: words that need none, such as the claim-free words of a generated title)."""
    have = " ".join([old.lower(), *(w.lower() for w in allow)])
    kws = [k.lower() for k in keywords if k]
    both = f"{have} {source}"
    out = []
    for tok, s, e in segmenter.spans(new):
        w = tok.lower()
        if not any(c.isalnum() for c in w) or w in have or w in source or any(w in k for k in kws):
            continue
        if len(w) == 1 and not w.isalpha():
            continue  # a lone digit or symbol joins what is around it
        if joined_from(w, both):
            continue
        out.append(Finding(rule="edit.no_evidence", severity="error", field=field, start=s, end=e, text=tok,
                           fix="", basis=BASIS,
                           message=f"{tok!r} is added with no evidence in the product's data, title or keywords"))
    return out
