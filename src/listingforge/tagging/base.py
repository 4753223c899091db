"""What a tag is, how attribute names map to tag types, and how a title is split into tokens.

A tag always carries its evidence: the span ``[start, end)`` in the text it came from (``-1`` when it has
none, e.g. a predicted category), which component made it (``source``) and how sure it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from ..product import Finding, Product

# Attribute names as sellers, marketplaces and the shared data spell them → one tag type each.
# Names not listed keep their own name as the type (a seller's 领型 stays 领型).
_TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    "brand": ("品牌", "brand", "brand name", "sub brand"),
    "product": ("产品", "品名", "产品名称", "商品名称", "类型", "类别", "product", "item", "item type",
                "product type", "shoe type"),
    "color": ("颜色", "颜色分类", "色系", "color", "colour"),
    "material": ("材质", "面料", "面料材质", "material", "fabric type", "body material"),
    "size": ("尺码", "尺寸", "规格", "size"),
    "style": ("风格", "style"),
    "audience": ("适用对象", "适用人群", "适用性别", "性别", "gender", "applicable people", "age"),
    "season": ("季节", "适用季节", "season"),
    "function": ("功能", "功效", "feature", "benefit"),
    "pattern": ("图案", "pattern"),
    "model": ("型号", "货号", "model", "model number", "model name"),
    "net_content": ("净含量", "容量", "net content", "volume", "weight"),
}
_ALIAS_TO_TYPE = {alias: t for t, aliases in _TYPE_ALIASES.items() for alias in aliases}

# Tag sources, written on every tag so a reviewer knows what to trust.
SOURCES = ("extractor", "brand_finder", "dictionary", "classifier", "keywords", "sentiment", "ocr", "feedback")


def canonical_type(name: str) -> str:
    """``"品牌"`` / ``"Brand Name"`` → ``"brand"``; unknown names are kept (stripped)."""
    key = name.strip()
    return _ALIAS_TO_TYPE.get(key.lower(), key)


class Tag(BaseModel):
    """One tag on one product, with its evidence."""

    type: str
    value: str
    start: int = -1  # character offset into ``field`` (end exclusive); -1 when the tag has no span
    end: int = -1
    source: str = "extractor"
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    field: str = "title"  # the text the span points into: title | description | review | image

    def key(self) -> tuple[str, str]:
        return (self.type, self.value.lower())


class ProductTags(BaseModel):
    """All tags for one product; ``to_record`` gives the documented output shape. ``findings``: why tags were
    dropped (a banned term, suspicious image text) and which input values were not used."""

    id: str
    tags: list[Tag] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    def to_record(self) -> dict:
        record: dict = {"id": self.id, "tags": [t.model_dump(exclude={"field"} if t.field == "title" else set())
                                                for t in self.tags]}
        if self.findings:
            record["findings"] = [f.model_dump(include={"rule", "severity", "field", "text", "message", "basis"})
                                  for f in self.findings]
        return record


# CJK characters one by one; Latin letters/digits as whole runs ("otax", "ksr10"); each other symbol alone.
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?|\S")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Tokens with offsets: one per CJK character, one per Latin/digit run, one per other symbol."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def find_value(text: str, value: str, start: int = 0) -> int:
    """Case-insensitive position of ``value`` in ``text`` at a token boundary for Latin values, or -1."""
    if not value:
        return -1
    low, v = text.lower(), value.lower()
    pos = low.find(v, start)
    while pos >= 0:
        end = pos + len(v)
        left_ok = pos == 0 or not (low[pos - 1].isascii() and low[pos - 1].isalnum() and v[0].isalnum()
                                   and v[0].isascii())
        right_ok = end == len(low) or not (low[end].isascii() and low[end].isalnum() and v[-1].isalnum()
                                           and v[-1].isascii())
        if left_ok and right_ok:
            return pos
        pos = low.find(v, pos + 1)
    return -1


def value_variants(value: str) -> list[str]:
    """Ways a value may appear in a title: "PAMPAS/潘帕斯" → itself, "PAMPAS", "潘帕斯"."""
    value = value.strip()
    out = [value]
    for part in re.split(r"[/／|;；]", value):
        part = part.strip()
        if part and part != value and part.lower() not in ("other", "其他", "无"):
            out.append(part)
    return out


def spans_from_attributes(product: Product, text: str | None = None) -> list[tuple[int, int, str]]:
    """Training spans for ``text`` (default: title): the product's attribute values found in it.

    Overlapping finds keep the longest; this is how a catalog whose attributes are filled in teaches the
    extractor without anyone labelling spans.
    """
    text = product.title if text is None else text
    if not text:
        return []
    pairs = list(product.attributes)
    if product.brand:
        pairs.append(("brand", product.brand))
    found: list[tuple[int, int, str]] = []
    for name, value in pairs:
        for variant in value_variants(str(value)):
            if len(variant) < 2 and not variant.isdigit():
                continue
            pos = find_value(text, variant)
            if pos >= 0:
                found.append((pos, pos + len(variant), canonical_type(name)))
                break
    return _drop_overlaps(found)


def _drop_overlaps(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    # longest first; between the same span with two types, the attribute listed first (a stable sort of the
    # spans in the seller's order: a set here made the tagger depend on Python's hash seed)
    for s in sorted(dict.fromkeys(spans), key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(s[1] <= k[0] or s[0] >= k[1] for k in kept):
            kept.append(s)
    return sorted(kept)


def training_spans(product: Product) -> list[tuple[int, int, str]]:
    """Labelled spans when the product has them, else spans projected from its attributes."""
    if product.spans:
        return [(s, e, canonical_type(t)) for s, e, t in product.spans]
    return spans_from_attributes(product)


Verdict = Literal["accept", "reject"]

_VERDICTS = {
    "accept": ("accept", "accepted", "yes", "y", "1", "true", "ok", "✓", "接受", "通过", "采纳", "正确"),
    "reject": ("reject", "rejected", "no", "n", "0", "false", "✗", "拒绝", "删除", "错误", "驳回"),
}
_VERDICT_OF = {w: v for v, words in _VERDICTS.items() for w in words}


class TagFeedback(BaseModel):
    """A reviewer's verdict on one tag of one product (an edit is a reject of the old value + an accept)."""

    product_id: str
    type: str
    value: str
    verdict: Verdict
    start: int = -1
    end: int = -1

    @field_validator("verdict", mode="before")
    @classmethod
    def _verdict(cls, v: object) -> str:
        key = str(v).strip().lower()
        if key not in _VERDICT_OF:
            raise ValueError(f"verdict {v!r} is neither accept nor reject (use one of: accept, reject, 接受, 拒绝)")
        return _VERDICT_OF[key]

    @field_validator("product_id", "value", mode="before")
    @classmethod
    def _text(cls, v: object) -> str:
        return str(v).strip()

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, v: object) -> str:
        return canonical_type(str(v))
