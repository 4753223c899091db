"""One compact line of the facts that matter for a title: what a few-shot example and the product both show.

A full data block costs 150–300 prompt tokens per product or example; on a 2-core CPU the prompt is most of a
title's time (benchmarks/llm_titles.py). The line keeps the brand, then the attributes the catalog's sellers
most often write in their titles ("名:值；…"), each value once; values that say nothing (其他, 见描述), item
numbers, bare numbers and attributes no seller ever puts in a title are left out. The order is learned in
``fit`` (scikit-learn habits: ``fit`` returns self, learned state ends in ``_``); unfitted, the seller's order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ...knowledge.types import load_types
from ...product import Product
from .prompts import clean

_PARTS = re.compile(r"[/、,，;；|]+")
# a rate from a few titles is shrunk towards this prior (weight: 3 titles), so one lucky title is not "always"
_PRIOR, _PRIOR_WEIGHT = 0.3, 3.0


def _parts(value: str) -> list[str]:
    low = value.lower()
    return [p for p in _PARTS.split(low) if len(p) >= 2] or [low]


class FactsLine:
    """``fit(products)`` learns how often each attribute's value shows in the catalog's titles;
    ``line(product, lang)`` writes the product's facts as one line, most title-worthy first."""

    def __init__(self, *, max_attributes: int = 8, max_value_chars: int = 24, min_rate: float = 0.04,
                 names: bool = True) -> None:
        self.max_attributes = max_attributes
        self.names = names  # False: the values alone ("自然堂；面霜；保湿"), about half the tokens of "名:值"
        self.max_value_chars = max_value_chars
        self.min_rate = min_rate  # attributes whose values sellers (almost) never write in a title are left out

    def fit(self, products: Sequence[Product]) -> FactsLine:
        types = load_types()
        seen: Counter[str] = Counter()
        hit: Counter[str] = Counter()
        for p in products:
            if not p.title:
                continue
            title = p.title.lower()
            for k, v in p.attributes:
                if types.is_empty(v):
                    continue
                seen[k] += 1
                hit[k] += any(part in title for part in _parts(v))
        self.rate_ = {k: (hit[k] + _PRIOR * _PRIOR_WEIGHT) / (n + _PRIOR_WEIGHT) for k, n in seen.items()}
        return self

    def rate(self, name: str) -> float:
        return getattr(self, "rate_", {}).get(name, _PRIOR)

    def line(self, product: Product, lang: str = "zh") -> str:
        types = load_types()
        zh = lang == "zh"
        sep, colon = ("；", ":") if zh else ("; ", ": ")
        brand = product.brand or next((v for k, v in product.attributes if types.type_of(k) == "brand"), None)
        out: list[str] = []
        said: set[str] = set()

        def item(name: str, value: str) -> str:
            shown = clean(value, self.max_value_chars)
            return f"{name}{colon}{shown}" if self.names else shown

        if brand and not types.is_empty(brand):
            out.append(item("品牌" if zh else "Brand", brand))
            said.add(brand.strip().lower())
        if product.category:  # its last level names the kind of product ("女装 > 连衣裙")
            kind = re.split(r"\s*(?:>|/|»|\|)\s*", product.category.strip())[-1]
            if kind and not types.is_empty(kind):
                out.append(item("类目" if zh else "Category", kind))
                said.add(kind.lower())
        attrs = []
        for i, (k, v) in enumerate(product.attributes):
            value = v.strip()
            # a bare number ("声道: 2", "型号: 2547832") says nothing without its unit
            if types.type_of(k) in ("brand", "sku") or types.is_empty(value) or value.isdigit():
                continue
            if self.rate(k) < self.min_rate:
                continue
            attrs.append((-self.rate(k), i, k, value))
        n = 0
        for _, _, k, value in sorted(attrs):
            if value.lower() in said or n >= self.max_attributes:
                continue
            said.add(value.lower())
            out.append(item(clean(k, 12), value))
            n += 1
        return sep.join(out)
