"""What reading a catalog returns: the rows as read, the products made from them, and per-row errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from ..product import Product

# How a file numbers its records for the user: spreadsheet rows (CSV/XLSX/Parquet, header = row 1 where
# there is one), text lines (JSON lines) or array items (a .json array).
Unit = Literal["row", "line", "item"]


@dataclass(frozen=True)
class RowError:
    """One problem with one input row: where it is (as the user numbers it) and what to fix."""

    index: int  # position in ``Catalog.frame`` (0-based)
    row: int  # the user's row / line / item number
    column: str | None
    message: str
    unit: Unit = "row"

    def cell(self) -> str:
        """The text for the output's ``error`` column (the row is implied there)."""
        return f"column {self.column!r}: {self.message}" if self.column else self.message

    def __str__(self) -> str:
        return f"{self.unit} {self.row}, {self.cell()}"


@dataclass
class Catalog:
    """A catalog file read into products. Every input row is in ``frame``; each has a product or an error."""

    source: str
    frame: pd.DataFrame  # input columns as read (index 0..n-1); ``_raw`` holds rows that could not be split
    products: list[Product | None]  # aligned with ``frame``; None where the row has errors
    errors: list[RowError] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field or metric → source column used
    attribute_columns: list[str] = field(default_factory=list)  # columns read as (column, cell) attributes
    rows: list[int] = field(default_factory=list)  # the user's row / line number of each frame row
    unit: Unit = "row"
    encoding: str | None = None  # the text encoding used (CSV / JSON lines), None for binary formats
    notes: list[str] = field(default_factory=list)  # things the user should know that are not row errors

    def __len__(self) -> int:
        return len(self.products)

    def ok_products(self) -> list[Product]:
        """The products of rows without errors, in file order."""
        return [p for p in self.products if p is not None]

    def error_column(self) -> list[str]:
        """One string per frame row for an output ``error`` column: "" when the row is fine."""
        out = [""] * len(self.products)
        for e in self.errors:
            out[e.index] = f"{out[e.index]}; {e.cell()}" if out[e.index] else e.cell()
        return out

    def errors_for(self, index: int) -> list[RowError]:
        return [e for e in self.errors if e.index == index]

    def summary(self) -> str:
        """One line for a CLI or a log: counts, encoding and the first error."""
        bad = len({e.index for e in self.errors})
        parts = [f"{self.source}: {len(self.products)} rows, {len(self.products) - bad} products"]
        if bad:
            parts.append(f"{bad} rows with errors (first: {self.errors[0]})")
        if self.encoding:
            parts.append(f"encoding {self.encoding}")
        return "; ".join(parts)
