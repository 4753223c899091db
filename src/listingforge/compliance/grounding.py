"""Grounding: every fact an output states must be traceable to the input product.

Facts checked here:
- numbers (with or without a unit) and model numbers ("X200", "iPhone15") — must occur in the product;
- brands the lexicon knows: a brand that is not the product's own is flagged, and a comparison with it
  ("媲美兰蔻", "Dyson dupe") is a competitor mention.
Typed claims (a gender, a material, a service, a product word) are checked in ``facts.py``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..knowledge.lexicon import Lexicon
from ..knowledge.product_words import named_kinds
from ..product import Finding, Product
from .facts import own_value_spans, straddles

__all__ = ["Lexicon", "check_grounding", "product_source_text"]

_COMPARE = r"(?:媲美|堪比|同款|平替|类似|不输|秒杀|超越|比肩|对标|like|dupe(?: of| for)?|compare(?:d)? to|vs\.?|versus|alternative to|better than|same as)"
_NUMBER = re.compile(r"(?<![0-9.])\d+(?:[.,]\d+)*")
_MODEL = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z0-9\-]*[A-Za-z])(?=[A-Za-z0-9\-]*\d)[A-Za-z0-9][A-Za-z0-9\-]{2,}")
_UNIT = re.compile(r"^(?:ml|l|g|kg|mg|cm|mm|m|km|w|kw|v|mah|wh|gb|tb|mb|hz|khz|mhz|ghz|inch|in|ft|oz|lb|lbs|pcs|pc|"
                   r"pack|p|k|x|d|h|s|min|cc|ml/s|英寸|寸)$", re.IGNORECASE)


_ZH_UNIT = (r"(?:%|℃|千克|公斤|毫升|厘米|毫米|英寸|小时|分钟|[个件只双条支瓶盒袋包片克斤升米寸年月天秒度瓦伏码号层人色款套张罐粒"
            r"倍次代])")


def _norm_number(s: str) -> str:
    s = s.replace(",", "")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s.lstrip("0") or "0"


def product_source_text(product: Product, *, include_title: bool = True, include_description: bool = True) -> str:
    """Everything the seller stated about the product, as one lower-cased string."""
    parts = [product.brand or "", product.category or ""]
    for name, value in product.attributes:
        parts.append(f"{name} {value}")
    parts += named_kinds(product)  # "鞋面材质" is evidence for 鞋子
    if include_title and product.title:
        parts.append(product.title)
    if include_description and product.description:
        parts.append(product.description)
    return " | ".join(parts).lower()


def _unit_in(unit: str, source: str) -> bool:
    """Whether the source states some number with this unit ("ml" in "净含量 150ml")."""
    return re.search(r"\d\s?" + re.escape(unit.lower()) + r"(?![a-z])", source) is not None


@lru_cache(maxsize=256)
def _source_numbers(source: str) -> frozenset[str]:
    """The numbers a product states; every candidate for a product asks again, so they are remembered."""
    return frozenset(_norm_number(m.group()) for m in _NUMBER.finditer(source))


def check_grounding(
    text: str,
    product: Product,
    lexicon: Lexicon,
    *,
    field: str = "title",
    source: str | None = None,
    mode: str = "strict",
) -> list[Finding]:
    """``strict``: every fact must be in ``source`` (default: everything the product states).
    ``contradiction``: for a seller's own text checked against the attributes — report only what the
    attributes contradict (another value of an attribute the product has, another number with the same
    unit) and other brands; a fact the attributes are silent on is the seller's to keep."""
    if mode not in ("strict", "contradiction"):
        raise ValueError(f"grounding mode must be strict or contradiction, not {mode!r}")
    if source is None:
        source = product_source_text(product, include_title=mode == "strict",
                                     include_description=mode == "strict")
    src = source
    own_brand = (product.brand or "").lower()
    findings: list[Finding] = []
    masked = [False] * len(text)

    def claim(s: int, e: int) -> None:
        for k in range(s, e):
            masked[k] = True

    found_brands = lexicon.find_brands(text)
    own = None
    # brands: not the product's own and not in its data → competitor or invented brand
    for s, e, b in found_brands:
        if b == own_brand or b in src:
            claim(s, e)
            continue
        own = own_value_spans(text, product) if own is None else own
        if straddles(own, s, e):
            continue  # where two of the product's own words meet ("可水洗|护肤" names no brand 洗护)
        cmp_m = re.search(_COMPARE + r"\s*$", text[:s], re.IGNORECASE)
        if cmp_m is None and mode == "contradiction":
            # a seller's own text names brands for good reasons: its own (with no brand column), the device
            # an accessory fits ("Compatible with Samsung"); only a comparison with a rival is a finding there
            claim(s, e)
            continue
        start = cmp_m.start() if cmp_m else s
        rule = "grounding.competitor" if cmp_m else "grounding.brand"
        what = "comparison with another brand" if cmp_m else "brand not the product's own"
        findings.append(Finding(rule=rule, severity="error", field=field, start=start, end=e, text=text[start:e],
                                message=f"{what}: {text[s:e]!r}", fix=""))
        claim(start, e)

    # model numbers (letters and digits mixed)
    for m in _MODEL.finditer(text):
        tok = m.group()
        if any(masked[m.start():m.end()]) or mode == "contradiction":
            continue
        num = re.match(r"^(\d+(?:\.\d+)?)([A-Za-z/]+)$", tok)
        if num and _UNIT.match(num.group(2)):
            continue  # "500ml" is a number with a unit: the number check below handles it
        claim(m.start(), m.end())
        if tok.lower() not in src:
            findings.append(Finding(rule="grounding.model", severity="error", field=field, start=m.start(),
                                    end=m.end(), text=tok, message=f"model number {tok!r} is not in the product",
                                    fix=""))

    # numbers, with the unit that follows them
    nums = None
    for m in _NUMBER.finditer(text):
        if any(masked[m.start():m.end()]):
            continue
        if nums is None:
            nums = _source_numbers(src)
        if _norm_number(m.group()) in nums:
            continue
        end = m.end()
        unit = re.match(r"\s?([A-Za-z]{1,4})\b|" + _ZH_UNIT, text[end:])
        if unit and (unit.group(1) is None or _UNIT.match(unit.group(1))):
            end += unit.end()
        if mode == "contradiction" and not (unit and (unit.group(1) is None or _UNIT.match(unit.group(1)))
                                            and _unit_in(unit.group().strip(), src)):
            continue  # a number the attributes say nothing about (or a size code: "S-5XL" is a range)
        findings.append(Finding(rule="grounding.number", severity="error", field=field, start=m.start(), end=end,
                                text=text[m.start():end], fix="",
                                message=f"number {text[m.start():end]!r} is not in the product"))
        claim(m.start(), end)

    findings.sort(key=lambda f: f.start)
    return findings
