"""Rows into Products: column-wise where it pays (cell sizes, numbers), then one Product per row.

A row with any problem gets ``None`` and a RowError naming its row and column; the other rows go on.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
from pydantic import ValidationError

from ..errors import CatalogError
from ..product import Product
from ..text.lang import detect_lang
from .columns import ColumnPlan
from .files import RAW, RawTable
from .model import Catalog, RowError
from .values import (
    cell_text,
    parse_attributes,
    parse_metrics,
    parse_number,
    parse_spans,
    parse_tags,
)

_LANG_NAMES = {"中文": "zh", "汉语": "zh", "chinese": "zh", "cn": "zh", "英文": "en", "英语": "en", "english": "en"}
_RATES = ("ctr", "conversion", "positive_rate")


def build_catalog(raw: RawTable, plan: ColumnPlan, *, source: str, max_cell_chars: int) -> Catalog:
    frame = raw.frame
    n = len(frame)
    errs: dict[int, list[RowError]] = defaultdict(list)
    for e in raw.errors:
        errs[e.index].append(e)

    def fail(i: int, column: str | None, message: str) -> None:
        errs[i].append(RowError(i, raw.rows[i], column, message, raw.unit))

    _check_cell_sizes(frame, max_cell_chars, fail)
    skip = set(errs)  # rows that could not be split or are too big: no further errors on them

    def values(col: str) -> list[Any]:
        return frame[col].tolist()

    f = plan.fields
    text_cols = {k: values(f[k]) for k in ("id", "title", "category", "brand", "description", "lang") if k in f}
    numbers = {k: _numbers(values(c), c, fail, skip) for k, c in plan.metrics.items()}
    price = _numbers(values(f["price"]), f["price"], fail, skip) if "price" in f else None
    parsed: dict[str, tuple[str, list[Any]]] = {}
    for key, parser in (("attributes", parse_attributes), ("tags", parse_tags), ("spans", parse_spans),
                        ("metrics", parse_metrics)):
        if key in f:
            parsed[key] = (f[key], _cells(values(f[key]), f[key], parser, fail, skip))
    attr_cols = [(c, values(c)) for c in plan.attribute_columns]

    products: list[Product | None] = []
    missing_ids = 0
    for i in range(n):
        if i in skip:
            products.append(None)
            continue
        kw: dict[str, Any] = {k: cell_text(v[i]) for k, v in text_cols.items()}
        if not kw.get("id"):
            missing_ids += "id" in f
            kw["id"] = f"{raw.unit}-{raw.rows[i]}"
        attributes = list(parsed["attributes"][1][i] or []) if "attributes" in parsed else []
        for col, vals in attr_cols:
            v = cell_text(vals[i])
            if v:
                attributes.append((col, v))
        kw["attributes"] = attributes
        for key in ("tags", "spans"):
            if key in parsed and parsed[key][1][i] is not None:
                kw[key] = parsed[key][1][i]
        metrics = dict(parsed["metrics"][1][i] or {}) if "metrics" in parsed else {}
        for key, vals in numbers.items():
            if vals[i] is not None:
                metrics[key] = vals[i]
        kw["metrics"] = metrics
        if price is not None:
            kw["price"] = price[i]
        lang = kw.pop("lang", None)
        kw["lang"] = _lang(lang) if lang else detect_lang(
            kw.get("title") or " ".join(v for _, v in attributes) or kw.get("description"))
        if not kw.get("title") and not attributes:
            fail(i, None, "no title and no attributes: fill " + " or ".join(
                repr(c) for c in [f.get("title"), f.get("attributes"), *plan.attribute_columns] if c))
        if i in errs:
            products.append(None)
            continue
        try:
            products.append(Product(**kw))
        except ValidationError as exc:
            fail(i, None, f"invalid product: {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}")
            products.append(None)

    notes = [*raw.notes, *plan.notes]
    if missing_ids:
        notes.append(f"{missing_ids} rows have an empty id ({f['id']!r}): their ids are the row numbers")
    dup = [k for k, c in Counter(p.id for p in products if p is not None).items() if c > 1]
    if dup:
        notes.append(f"{len(dup)} ids appear more than once (e.g. {dup[0]!r})")
    for key in _RATES:
        vals = [v for v in numbers.get(key, []) if v is not None]
        if vals and max(vals) > 1:
            notes.append(f"{key} ({plan.metrics[key]!r}) has values above 1, read as given; write percentages "
                         "with % (2.5%) so they read as rates")
    order = {c: k for k, c in enumerate(frame.columns)}  # a row's errors in the file's column order
    errors = sorted((e for es in errs.values() for e in es), key=lambda e: (e.index, order.get(e.column, -1)))
    return Catalog(source=source, frame=frame, products=products, errors=errors, columns=plan.used(),
                   attribute_columns=list(plan.attribute_columns), rows=list(raw.rows), unit=raw.unit,
                   encoding=raw.encoding, notes=notes)


def _check_cell_sizes(frame: Any, limit: int, fail: Callable[[int, str | None, str], None]) -> None:
    for col in frame.columns:
        if col == RAW:
            continue
        try:
            lengths = frame[col].str.len()
        except AttributeError:  # no text in this column at all
            continue
        for i in np.flatnonzero((lengths > limit).to_numpy()):
            if not isinstance(frame[col].iloc[i], str):  # .str.len() also measures lists (JSON cells)
                continue
            fail(int(i), col, f"cell has {int(lengths.iloc[i]):,} characters; the limit is {limit:,} "
                              "(max_cell_chars)")


def _numbers(values: list[Any], col: str, fail: Callable[..., None], skip: set[int]) -> list[float | None]:
    """Each cell through parse_number; distinct texts are parsed once (percent columns repeat a lot)."""
    out: list[float | None] = [None] * len(values)
    seen: dict[str, float | None | CatalogError] = {}
    for i, v in enumerate(values):
        if i in skip:
            continue
        if isinstance(v, str):
            r = seen.get(v, seen)  # the dict itself as a "not yet" marker
            if r is seen:
                try:
                    r = parse_number(v)
                except CatalogError as exc:
                    r = exc
                seen[v] = r
        else:
            try:
                r = parse_number(v)
            except CatalogError as exc:
                r = exc
        if isinstance(r, CatalogError):
            fail(i, col, str(r))
        else:
            out[i] = r
    return out


def _cells(values: list[Any], col: str, parser: Callable[[Any], Any], fail: Callable[..., None],
           skip: set[int]) -> list[Any]:
    out: list[Any] = [None] * len(values)
    for i, v in enumerate(values):
        if i in skip:
            continue
        try:
            out[i] = parser(v)
        except CatalogError as exc:
            fail(i, col, str(exc))
    return out


def _lang(value: str) -> str:
    low = value.strip().lower()
    return _LANG_NAMES.get(low) or re.split(r"[-_]", low)[0]
