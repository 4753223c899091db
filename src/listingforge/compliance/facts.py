"""What a text claims about the product, against what the product states.

Two checks over the typed claims the lexicon finds (knowledge/lexicon.py, knowledge/types.py):
- ``grounding.contradiction``: the text states a value of something the product states otherwise — 男士 on a
  bag whose 适用性别 is 女, 大容量 when 大小 is 中, 蓝色 when 颜色 is 红色;
- ``grounding.unsupported``: the text states a fact the product says nothing about — 孕妇, 包邮, 氨基酸, a
  material or a product word found nowhere in its data.
A seller's own text is checked for contradictions only (``mode="contradiction"``), and only by meaning (a gender,
an age group, a season, a size): what the seller wrote and the attributes are silent on is the seller's to keep,
and a colour or material the title names beside another in the attributes is as often a second variant as a
mistake. Everything a generator writes is checked for both, and against every attribute.
"""

from __future__ import annotations

import re

from ..knowledge.claims import FITS, contradiction, product_typed
from ..knowledge.lexicon import Lexicon, cell_values
from ..knowledge.types import AttributeTypes, load_types
from ..product import Finding, Product
from ..text.segment import Segmenter
from .platform_rules import TITLE_FIELDS

BASIS = "listingforge: no fact without evidence in the product's own data (DESIGN.md)"


def _single_char_claims(text: str, types: AttributeTypes, segmenter: Segmenter | None) -> list[tuple[int, int, str]]:
    """One-character typed words (男, 女, 夏…) where they stand as a word of their own: a token by themselves
    ("睡衣女"), or at the edge of a token jieba guessed and does not know ("包男"), never inside a word ("美女")."""
    singles = {w for w in types.forms if len(w) == 1}
    if segmenter is None or not any(c in singles for c in text):
        return []
    known = segmenter.frequencies()
    out = []
    for tok, s, e in segmenter.spans(text):
        if tok in singles:
            out.append((s, e, tok))
        elif len(tok) == 2 and not known.get(tok):
            out += [(s + i, s + i + 1, tok[i]) for i in (0, 1) if tok[i] in singles]
    return out


def check_facts(
    text: str,
    product: Product,
    lexicon: Lexicon,
    *,
    field: str = "title",
    source: str,
    mode: str = "strict",
    segmenter: Segmenter | None = None,
    skip: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> list[Finding]:
    """Contradicted and (in strict mode) unsupported claims in ``text``; ``source`` is the product's evidence,
    lower case; spans in ``skip`` are already reported (a brand, a number)."""
    types = load_types()
    stated = product_typed(product, types)
    claims = lexicon.find_values(text) + _single_char_claims(text, types, segmenter)
    findings: list[Finding] = []
    own = None
    for s, e, v in sorted(claims):
        if v in source or any(a <= s and e <= b for a, b in skip):
            continue
        own = own_value_spans(text, product) if own is None else own  # only when a claim needs it
        if straddles(own, s, e):
            continue  # two of the product's own facts side by side ("可水洗|护肤" is no 洗护)
        verdict = contradiction(v, product, lexicon, stated, typed_only=mode == "contradiction")
        if verdict == FITS:
            continue
        if verdict is not None:
            findings.append(Finding(rule="grounding.contradiction", severity="error", field=field, start=s, end=e,
                                    text=text[s:e], fix="", basis=BASIS,
                                    message=f"{text[s:e]!r} contradicts the product: {verdict}"))
        elif mode == "strict":
            what = "/".join(sorted(lexicon.types_of(v) or {"value"}))
            if what == "product_type" and field not in TITLE_FIELDS:
                continue  # a description may name what goes with the product ("搭配围巾和短靴")
            findings.append(Finding(rule="grounding.unsupported", severity="error", field=field, start=s, end=e,
                                    text=text[s:e], fix="", basis=BASIS,
                                    message=f"claims {what} {text[s:e]!r}; the product's data does not say so"))
    return findings


def own_value_spans(text: str, product: Product) -> list[tuple[int, int]]:
    """Where the product's own attribute values (two characters or more) stand in ``text`` (as lower-cased)."""
    low = text.lower()
    out = []
    for _k, value in product.attributes:
        for part in cell_values(value.lower()):
            part = part.strip()
            if len(part) >= 2:
                out += [(m.start(), m.end()) for m in re.finditer(re.escape(part), low)]
    return out


def straddles(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether ``s:e`` reaches into one of ``spans`` and out of it: a word made where two of the product's own
    values meet ("防滑|板鞋" holds 滑板), not one of them."""
    return any(a < e and s < b and not (a <= s and e <= b) for a, b in spans)
