"""Writing tables: CSV (UTF-8 with BOM so Excel shows Chinese), XLSX, JSON lines, Parquet; appending chunks."""

from __future__ import annotations

import csv
import json
import math
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import CatalogError
from ..product import Product
from .output import atomic_path, output_error
from .values import _plain

PRODUCT_COLUMNS = ("id", "lang", "category", "brand", "title", "description", "price", "attributes", "metrics",
                   "tags", "spans")
_XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit minus the header row
_XLSX_MAX_CELL = 32_767  # characters Excel keeps in one cell


def products_to_frame(products: Iterable[Product | None], *, nested: bool = False) -> pd.DataFrame:
    """One row per product in the shared schema's columns. ``attributes`` (and ``metrics``, ``tags``,
    ``spans``) are JSON text, so CSV and XLSX round-trip; ``nested=True`` keeps them as lists and dicts
    (for JSON lines and Parquet). ``None`` gives an empty row, so the frame stays aligned with a Catalog."""
    rows: list[dict[str, Any]] = []
    for p in products:
        if p is None:
            rows.append({})
            continue
        lists: dict[str, Any] = {
            "attributes": [list(a) for a in p.attributes], "metrics": dict(p.metrics), "tags": list(p.tags),
            "spans": [list(s) for s in p.spans],
        }
        if not nested:
            lists = {k: json.dumps(v, ensure_ascii=False) if v else "" for k, v in lists.items()}
        rows.append({"id": p.id, "lang": p.lang, "category": p.category, "brand": p.brand, "title": p.title,
                     "description": p.description, "price": p.price, **lists})
    return pd.DataFrame(rows, columns=list(PRODUCT_COLUMNS))


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` by extension: .csv/.tsv (UTF-8 with BOM), .xlsx, .jsonl/.json, .parquet. The file
    appears whole or not at all; a failure to write is an ``OutputError`` naming the file."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in _WRITABLE:
        raise CatalogError(f"cannot write {ext or 'a file without extension'!r}: use .csv, .tsv, .xlsx, .jsonl, "
                           ".json or .parquet", file=str(path))
    with atomic_path(path) as tmp:
        _write_table(frame, tmp, ext)


_WRITABLE = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".jsonl", ".ndjson", ".json", ".parquet", ".pq")


def _write_table(frame: pd.DataFrame, path: Path, ext: str) -> None:
    if ext in (".csv", ".tsv", ".txt"):
        _flat(frame).to_csv(path, index=False, encoding="utf-8-sig", sep="\t" if ext == ".tsv" else ",")
    elif ext in (".xlsx", ".xlsm"):
        _write_xlsx(frame, path)
    elif ext in (".jsonl", ".ndjson"):
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            _write_jsonl(frame, fh)
    elif ext == ".json":
        records = [_record(r) for r in frame.to_dict("records")]
        path.write_text(json.dumps(records, ensure_ascii=False, default=_json_default, indent=1) + "\n",
                        encoding="utf-8")
    else:
        _write_parquet(frame, path)


def append_rows(frame: pd.DataFrame, path: str | Path) -> None:
    """Append a chunk to a .csv/.tsv/.jsonl file (the resumable batch runner's output).

    A new CSV gets a BOM and the header; later chunks must have the same columns (reordered to the file's).
    A file left without a final newline (a run killed mid-write) gets one first, so the torn line stays a
    separate, reported row instead of merging into the next chunk.
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in (".csv", ".tsv", ".jsonl", ".ndjson"):
        raise CatalogError(f"appending supports .csv, .tsv and .jsonl, not {ext!r}", file=str(path))
    try:
        _append(frame, path, ext)
    except OSError as exc:
        raise output_error(exc, path, "append to", whole=False) from exc


def _append(frame: pd.DataFrame, path: Path, ext: str) -> None:
    fresh = not path.exists() or path.stat().st_size == 0
    if fresh:
        path.parent.mkdir(parents=True, exist_ok=True)
        if ext in (".csv", ".tsv"):
            write_table(frame, path)
        else:
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                _write_jsonl(frame, fh)
        return
    _end_with_newline(path)
    if ext in (".jsonl", ".ndjson"):
        with path.open("a", encoding="utf-8", newline="\n") as fh:
            _write_jsonl(frame, fh)
        return
    sep = "\t" if ext == ".tsv" else ","
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh, delimiter=sep), [])
    cols = [str(c) for c in frame.columns]
    if sorted(header) != sorted(cols):
        raise CatalogError(f"cannot append: the chunk's columns {cols} differ from the file's {header}",
                           file=str(path))
    _flat(frame)[header].to_csv(path, mode="a", header=False, index=False, encoding="utf-8", sep=sep)


def _end_with_newline(path: Path) -> None:
    with path.open("rb+") as fh:
        fh.seek(-1, 2)
        if fh.read(1) != b"\n":
            fh.write(b"\n")


def _json_default(v: Any) -> Any:
    if isinstance(v, np.generic | np.ndarray):
        return _plain(v)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return str(v)


def _clean(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NA or v is pd.NaT:
        return None
    return v


def _record(r: dict[Any, Any]) -> dict[str, Any]:
    return {str(k): _clean(v) for k, v in r.items()}


def _write_jsonl(frame: pd.DataFrame, fh: Any) -> None:
    # json.dumps rather than DataFrame.to_json: that escapes "/" and cannot keep nested lists readable.
    for r in frame.to_dict("records"):
        fh.write(json.dumps(_record(r), ensure_ascii=False, default=_json_default))
        fh.write("\n")


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists and dicts as JSON text, for formats whose cells are scalars (CSV, XLSX)."""
    out = frame
    for col in frame.columns:
        s = frame[col]
        if s.dtype == object and s.map(lambda v: isinstance(v, list | tuple | dict | np.ndarray)).any():
            if out is frame:
                out = frame.copy()
            out[col] = s.map(lambda v: json.dumps(_plain(v), ensure_ascii=False)
                             if isinstance(v, list | tuple | dict | np.ndarray) else v)
    return out


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if len(frame) > _XLSX_MAX_ROWS:
        raise CatalogError(f"{len(frame):,} rows do not fit in one Excel sheet (max {_XLSX_MAX_ROWS:,}); "
                           "write .csv or .parquet", file=str(path))
    out = _flat(frame)
    cleaned, cut = 0, []
    for col in out.columns:
        s = out[col]
        if s.dtype != object and not pd.api.types.is_string_dtype(s):
            continue
        bad = s.map(lambda v: isinstance(v, str) and ILLEGAL_CHARACTERS_RE.search(v) is not None)
        long = s.map(lambda v: isinstance(v, str) and len(v) > _XLSX_MAX_CELL)
        if bad.any() or long.any():
            out = out.copy() if out is frame else out
            out[col] = s.map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v)[:_XLSX_MAX_CELL] if isinstance(v, str)
                             else v)
            cleaned += int(bad.sum())
            cut += [(int(i) + 2, str(col)) for i in np.flatnonzero(long.to_numpy())]
    if cleaned:
        warnings.warn(f"{path}: removed control characters Excel cannot store from {cleaned} cells",
                      stacklevel=3)
    if cut:
        warnings.warn(f"{path}: {len(cut)} cells exceed Excel's {_XLSX_MAX_CELL:,}-character limit and were cut "
                      f"(first: row {cut[0][0]}, column {cut[0][1]!r}); write .csv to keep them whole",
                      stacklevel=3)
    out.to_excel(path, index=False, engine="openpyxl")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa

    try:
        frame.to_parquet(path, index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError, TypeError):
        # Mixed cells (text in one row, a list in another): store such columns as text.
        out = _flat(frame).copy()
        for col in out.columns:
            if out[col].dtype == object:
                out[col] = out[col].map(lambda v: None if _clean(v) is None else str(v))
        out.to_parquet(path, index=False)
