"""Catalog I/O: seller files (CSV in UTF-8 or GBK/GB18030, XLSX, JSON lines, Parquet) in, tables out.

    read_catalog(path, mapping=..., attribute_columns=...) -> Catalog   every row: a Product or a RowError
    catalog_from_frame(frame, ...) -> Catalog                           the same for an in-memory table
    write_table(frame, path) / append_rows(frame, path)                 by extension; CSV with a BOM
    products_to_frame(products) -> DataFrame                             for round trips
    parse_attributes / parse_number / parse_mapping                      one cell, one ``--map`` option

Column names are matched in Chinese or English through data/columns.toml. Nothing here calls a model.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import CatalogError
from .columns import FIELDS, load_aliases, normalize_header, parse_mapping, plan_columns
from .files import SUPPORTED, RawTable, decode_bytes, read_raw
from .model import Catalog, RowError
from .rows import build_catalog
from .values import parse_attributes, parse_number, parse_tags
from .write import PRODUCT_COLUMNS, append_rows, products_to_frame, write_table

__all__ = ["FIELDS", "PRODUCT_COLUMNS", "SUPPORTED", "Catalog", "CatalogError", "RowError", "append_rows",
           "catalog_from_frame", "decode_bytes", "load_aliases", "normalize_header", "parse_attributes",
           "parse_mapping", "parse_number", "parse_tags", "products_to_frame", "read_catalog", "write_table"]

DEFAULT_MAX_CELL_CHARS = 100_000


def read_catalog(
    path: str | Path,
    *,
    mapping: dict[str, str] | None = None,
    attribute_columns: list[str] | None = None,
    sheet: str | int | None = None,
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
) -> Catalog:
    """Read a catalog file into products; file-level problems raise ``CatalogError``, row problems are
    collected in ``Catalog.errors`` (the row keeps its place in ``frame`` with ``products[i] = None``).

    ``mapping``: {field or metric: column} overriding the name matching (``metrics.NAME`` for other metrics;
    an empty column unmaps). ``attribute_columns``: whole columns read as (column name, cell) attributes.
    ``sheet``: an XLSX sheet name or 0-based number (default: the first).
    """
    path = Path(path)
    raw = read_raw(path, sheet=sheet)
    return _build(raw, str(path), mapping, attribute_columns, max_cell_chars)


def catalog_from_frame(
    frame: pd.DataFrame,
    *,
    source: str = "<table>",
    mapping: dict[str, str] | None = None,
    attribute_columns: list[str] | None = None,
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
) -> Catalog:
    """The same as ``read_catalog`` for a table already in memory (rows numbered from 1)."""
    frame = frame.reset_index(drop=True).astype(object)
    frame.columns = [str(c) for c in frame.columns]
    raw = RawTable(frame, list(range(1, len(frame) + 1)), "row")
    return _build(raw, source, mapping, attribute_columns, max_cell_chars)


def _build(raw: RawTable, source: str, mapping: dict[str, str] | None, attribute_columns: list[str] | None,
           max_cell_chars: int) -> Catalog:
    plan = plan_columns([str(c) for c in raw.frame.columns], source=source, mapping=mapping,
                        attribute_columns=attribute_columns)
    return build_catalog(raw, plan, source=source, max_cell_chars=max_cell_chars)
