"""Raw readers: a file into a frame of its cells, with each row's number as the user sees it.

No field mapping here. Rows that cannot be split into cells (a CSV record with the wrong number of fields, a
line that is not JSON) still get a frame row (their text in ``_raw``) and a row error: nothing is dropped
except rows with no content at all (counted in a note).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import CatalogError
from .model import RowError, Unit
from .sniff import OTHER_KINDS, describe, sniff, utf16_without_bom

CSV_EXTS = (".csv", ".tsv", ".txt")
EXCEL_EXTS = (".xlsx", ".xlsm", ".xls")
JSON_EXTS = (".jsonl", ".ndjson", ".json")
PARQUET_EXTS = (".parquet", ".pq")
SUPPORTED = CSV_EXTS + EXCEL_EXTS + JSON_EXTS + PARQUET_EXTS
RAW = "_raw"

# A UTF-8 file with this many non-ASCII characters before its first bad byte is UTF-8 with corrupt bytes,
# not GBK that happened to start like UTF-8 (two GBK characters in a row rarely form valid UTF-8).
_UTF8_EVIDENCE = 4
_HEADER_SCAN = 20  # records looked at to find the header row
_PUA = re.compile("[\ue000-\uf8ff]")


@dataclass
class RawTable:
    frame: pd.DataFrame
    rows: list[int]
    unit: Unit = "row"
    errors: list[RowError] = field(default_factory=list)
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def read_raw(path: str | Path, *, sheet: str | int | None = None) -> RawTable:
    """The file's cells, row numbers, encoding and split errors; no field mapping.

    The format is decided by the file's content where it tells (an .xlsx renamed .xls is read as .xlsx, with a
    note); a file that is not a table at all (an image, an archive, a web page) is named as such."""
    path = Path(path)
    ext = path.suffix.lower()
    source = str(path)
    if not path.exists():
        raise CatalogError("no such file", file=source)
    if path.is_dir():
        raise CatalogError("is a folder, not a catalog file", file=source)
    if ext not in SUPPORTED:
        raise CatalogError(f"unsupported file type {ext or '(none)'!r}; use one of {', '.join(SUPPORTED)}",
                           file=source)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", file=source) from exc
    kind = sniff(path, head)
    if kind in OTHER_KINDS:
        hint = " (open it in Excel and save it as .xlsx)" if kind in ("html", "xml") else ""
        raise CatalogError(f"the file is {describe(kind)}, not a table{hint}. Give a CSV, XLSX, JSON lines "
                           "or Parquet file", file=source)
    read_as = {"xlsx": ".xlsx", "xls": ".xls", "parquet": ".parquet"}.get(kind or "")
    if read_as is None and ext in EXCEL_EXTS + PARQUET_EXTS:
        read_as = ".txt"  # text named like a workbook: many shop tools export tab-separated text as .xls
    note = []
    if read_as is not None and not (read_as == ext or (read_as == ".xlsx" and ext == ".xlsm")
                                    or (read_as == ".parquet" and ext in PARQUET_EXTS)):
        what = describe(kind) if kind else "text (CSV / tab-separated)"
        note = [f"the file is {what} although it is named {ext}; read as such"]
        ext = read_as
    if ext in EXCEL_EXTS:
        table = read_excel(path, sheet, xls=ext == ".xls")
    elif ext in PARQUET_EXTS:
        table = read_parquet(path)
    else:
        text, encoding, notes = decode_bytes(path.read_bytes(), source)
        if ext in JSON_EXTS:
            table = read_json_text(text, source, array_ok=ext == ".json")
        else:
            table = read_csv_text(text, source, delimiter="\t" if ext == ".tsv" else None, ext=ext)
        table.encoding = encoding
        table.notes[:0] = notes
    table.notes[:0] = note
    return table


# ------------------------------------------------------------------------------------------------- encoding


def decode_bytes(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """Text, encoding name and notes. UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK
    and GB2312), then charset-normalizer's guess; bytes none of these read raise a CatalogError with the line.
    """
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, []
            except UnicodeDecodeError as exc:
                raise _undecodable(data, exc, enc, source) from exc
    bomless = utf16_without_bom(data[:4096])
    if bomless is not None:
        try:
            return data.decode(bomless), bomless, []
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc, bomless, source) from exc
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8", []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    prefix = data[: utf8_error.start].decode("utf-8")
    if sum(1 for ch in prefix if ord(ch) > 127) >= _UTF8_EVIDENCE:
        raise _undecodable(data, utf8_error, "UTF-8", source) from utf8_error
    try:
        text = data.decode("gb18030").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        gb_error = exc
    else:
        return _gb_or_big5(data, text)
    from charset_normalizer import from_bytes  # only for files that are neither UTF-8 nor GB18030

    guess = from_bytes(data).best()
    enc = guess.encoding if guess is not None else None
    if enc is None or (_single_byte(enc) and len(data.translate(None, bytes(range(128)))) < 200):
        # Given few non-ASCII bytes charset-normalizer picks among Latin code pages almost at random;
        # Windows-1252 is what Excel writes outside East Asia, so it wins then if it can read the bytes.
        try:
            text, enc = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text = str(guess) if guess is not None else None
    else:
        text = str(guess)
    if text is not None and enc not in ("utf_8", "gb18030", "gbk", "gb2312"):
        msg = f"{source}: neither UTF-8 nor GBK/GB18030; read as {enc} (a guess: check the text, or re-save as UTF-8)"
        warnings.warn(msg, stacklevel=4)
        return text, str(enc), [msg]
    # Report the encoding that read further: it is the likelier intended one.
    worst, name = (utf8_error, "UTF-8") if utf8_error.start >= gb_error.start else (gb_error, "GBK/GB18030")
    raise _undecodable(data, worst, name, source) from worst


def _gb_or_big5(data: bytes, text: str) -> tuple[str, str, list[str]]:
    """Big5 (Taiwan, Hong Kong) bytes often decode as GB18030 too, into private-use characters: prefer
    Big5 when it reads the file without any."""
    if not _PUA.search(text):
        return text, "gb18030", []
    try:
        big5 = data.decode("cp950").removeprefix("\ufeff")
    except UnicodeDecodeError:
        big5 = None
    if big5 is not None and not _PUA.search(big5):
        return big5, "big5", ["read as Big5 (traditional Chinese): as GBK it gave private-use characters"]
    n = len(_PUA.findall(text))
    return text, "gb18030", [f"{n} private-use characters in the text: check that GBK is the right encoding"]


def _single_byte(encoding: str) -> bool:
    try:
        return len(bytes(range(128, 256)).decode(encoding, errors="replace")) == 128
    except LookupError:
        return False


def _undecodable(data: bytes, exc: UnicodeDecodeError, tried: str, source: str) -> CatalogError:
    line = data.count(b"\n", 0, exc.start) + 1
    bad = data[exc.start: exc.start + 4].hex(" ")
    return CatalogError(f"undecodable bytes at line {line} (byte offset {exc.start}: {bad}); the file is not "
                        f"valid {tried}. Re-save it as UTF-8 (Excel: CSV UTF-8) or fix that line",
                        file=source, row=line)


# ------------------------------------------------------------------------------------------------------ CSV


def _sniff_delimiter(first_line: str, ext: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    if ext == ".csv" and counts[","]:
        return ","
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def unique_names(header: Iterable[Any]) -> tuple[list[str], list[str]]:
    """Header cells as unique column names ("颜色", "颜色.1"; empty → "Unnamed: i"), plus notes."""
    names: list[str] = []
    seen: set[str] = set()
    notes: list[str] = []
    for i, h in enumerate(header):
        name = str(h).strip() if h is not None and str(h).strip() else f"Unnamed: {i}"
        base, k = name, 0
        while name in seen or name == RAW:
            k += 1
            name = f"{base}.{k}"
        if name != base:
            notes.append(f"header {base!r} appears more than once; later copies renamed {name!r}")
        seen.add(name)
        names.append(name)
    return names, notes


def _width(rec: Iterable[Any]) -> int:
    """1 + the position of the last non-empty cell (0 for an empty row)."""
    w = 0
    for i, v in enumerate(rec):
        if v is not None and str(v).strip():
            w = i + 1
    return w


def header_index(records: list[list[Any]]) -> int | None:
    """Which of the first records is the header: the first as wide as the common row width. Exports from
    生意参谋 and similar tools put a title or date range in the rows above it."""
    widths = [(i, _width(r)) for i, r in enumerate(records)]
    filled = [(i, w) for i, w in widths if w]
    if not filled:
        return None
    counts = Counter(w for _, w in filled)
    common = max(counts, key=lambda w: (counts[w], w))
    return next(i for i, w in filled if w >= common)


def _above_note(header_row: int, above: list[list[Any]]) -> list[str]:
    text = [" ".join(str(v).strip() for v in r if v is not None and str(v).strip()) for r in above]
    text = [t for t in text if t]
    if not text:
        return []
    return [f"the header is row {header_row}; {len(text)} rows above it were skipped: "
            + "; ".join(repr(t[:40]) for t in text[:3])]


def read_csv_text(text: str, source: str, *, delimiter: str | None = None, ext: str = ".csv") -> RawTable:
    """Rows are numbered as a spreadsheet shows them: header row 1, a blank line is a row, a record with a
    quoted line break is one row. Records with the wrong number of fields become row errors."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delim = delimiter or _sniff_delimiter(first, ext)
    old_limit = csv.field_size_limit()
    # Python's csv stops at 128 KiB per field; oversized cells are reported per row by the reader instead.
    csv.field_size_limit(2**31 - 1)
    try:
        return _parse_csv(text, source, delim)
    except csv.Error as exc:  # only NUL-free, limit-free input reaches here; keep the location anyway
        raise CatalogError(f"cannot parse as CSV: {exc}", file=source) from exc
    finally:
        csv.field_size_limit(old_limit)


class _Lines:
    """The text's physical lines for ``csv.reader``, with a position that can be moved back: after a record
    that swallowed lines (an unclosed quote), reading goes on from the line after its first."""

    def __init__(self, text: str) -> None:
        self.lines = io.StringIO(text, newline="").readlines()  # split at \n, \r\n and \r, ends kept
        self.i = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.i >= len(self.lines):
            raise StopIteration
        self.i += 1
        return self.lines[self.i - 1]


def _records(src: _Lines, delim: str, width: int | None = None, row: int = 1,
             ) -> Iterable[tuple[int, int, int, list[str], str | None]]:
    """(spreadsheet row, first line, last line, fields, why it is malformed or None) per record, from
    ``src``'s position on. With ``width``, a record spanning several lines that has the wrong number of
    fields, or that only parses leniently (a quote closed in the middle of a later row), is an unclosed
    quote: its first line alone becomes the row, and the next line starts the next record."""
    reader = csv.reader(src, delimiter=delim)
    while True:
        begin = src.i
        try:
            rec = next(reader)
        except StopIteration:
            return
        end = src.i
        why = None
        if width is not None:
            if end - begin > 1 and (len(rec) != width or not _strict(src.lines[begin:end], delim)):
                src.i = end = begin + 1
                rec = next(csv.reader([src.lines[begin]], delimiter=delim), [])
                why = (f"malformed row at line {begin + 1}: a quote (\") is opened and never closed; the rows "
                       "after it were read on their own. Close or remove the quote")
            elif len(rec) > width and not any(f.strip() for f in rec[width:]):
                rec = rec[:width]  # exporters that end every line with a delimiter
            elif len(rec) != width and any(f.strip() for f in rec):
                where = f"line {begin + 1}" if end - begin == 1 else f"lines {begin + 1}-{end}"
                why = (f"malformed row at {where}: expected {width} fields, found {len(rec)} (an unquoted "
                       "delimiter or line break?)")
        yield row, begin + 1, end, rec, why
        row += 1


def _strict(lines: list[str], delim: str) -> bool:
    try:
        return len(list(csv.reader(lines, delimiter=delim, strict=True))) == 1
    except csv.Error:
        return False


def _parse_csv(text: str, source: str, delim: str) -> RawTable:
    src = _Lines(text)
    head = list(itertools.islice(_records(src, delim), _HEADER_SCAN))
    h = header_index([rec for *_, rec, _ in head])
    if h is None:
        raise CatalogError("the file is empty (no header row)", file=source)
    header_row, _, header_end, header, _ = head[h]
    columns, notes = unique_names(header)
    width = len(columns)
    records: list[list[str]] = []
    rows: list[int] = []
    bad: list[tuple[int, int, str]] = []  # (index, row, message)
    raws: dict[int, str] = {}
    skipped = 0
    notes += _above_note(header_row, [rec for *_, rec, _ in head[:h]])
    src.i = header_end  # read the data again, now that the width is known, recovering from broken quotes
    for row, start, line, rec, why in _records(src, delim, width, header_row + 1):
        if not any(f.strip() for f in rec):
            skipped += 1
            continue
        if why is not None:
            bad.append((len(records), row, why))
            raws[len(records)] = "".join(src.lines[start - 1:line]).rstrip("\r\n")
            rec = (rec + [""] * width)[:width]
        records.append(rec)
        rows.append(row)
    frame = pd.DataFrame(records, columns=columns, dtype=object) if records else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if raws:
        frame[RAW] = pd.Series(raws, dtype=object).reindex(range(len(frame)))
    errors = [RowError(i, r, None, msg) for i, r, msg in bad]
    if skipped:
        notes.append(f"skipped {skipped} empty rows")
    return RawTable(frame, rows, "row", errors, notes=notes)


# ---------------------------------------------------------------------------------------------------- Excel


def read_excel(path: Path, sheet: str | int | None, *, xls: bool | None = None) -> RawTable:
    """An .xlsx / .xlsm workbook (``xls=True``: an old .xls one, which needs xlrd)."""
    source = str(path)
    if xls if xls is not None else path.suffix.lower() == ".xls":
        return _read_xls(path, sheet)
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # a file object: openpyxl refuses a workbook by its name when the name does not end in .xlsx
        wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CatalogError(f"cannot open as an Excel workbook: {exc}", file=source) from exc
    try:
        ws = wb[_sheet_name(wb.sheetnames, sheet, source)]
        ws.reset_dimensions()  # some exporters write a wrong <dimension>; read every row that exists
        return _from_sheet_rows(enumerate(ws.iter_rows(values_only=True), 1), source)
    finally:
        wb.close()


def _sheet_name(names: list[str], sheet: str | int | None, source: str) -> str:
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return names[sheet]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    raise CatalogError(f"no sheet {sheet!r}; the workbook has: {', '.join(map(repr, names))} "
                       "(give a name or a 0-based number)", file=source)


def _read_xls(path: Path, sheet: str | int | None) -> RawTable:
    source = str(path)
    try:
        import xlrd  # noqa: F401
    except ImportError as exc:
        raise CatalogError("reading old .xls files needs xlrd: pip install xlrd — or save the file as .xlsx",
                           file=source) from exc
    try:
        book = pd.ExcelFile(path, engine="xlrd")
    except Exception as exc:  # xlrd raises its own XLRDError and assorted struct / value errors on bad files
        raise CatalogError(f"cannot open as an old Excel workbook (.xls): {exc}", file=source) from exc
    name = _sheet_name([str(s) for s in book.sheet_names], sheet, source)
    df = book.parse(name, header=None, dtype=object)
    rows = ([None if pd.isna(v) else v for v in r] for r in df.itertuples(index=False))
    return _from_sheet_rows(enumerate(rows, 1), source)


def _from_sheet_rows(numbered: Iterable[tuple[int, Iterable[Any]]], source: str) -> RawTable:
    it = iter(numbered)
    head = [(n, list(values)) for n, values in itertools.islice(it, _HEADER_SCAN)]
    h = header_index([values for _, values in head])
    if h is None:
        raise CatalogError("the sheet is empty (no header row)", file=source)
    header = head[h][1]
    it = itertools.chain(head[h + 1:], it)
    while header and (header[-1] is None or not str(header[-1]).strip()):
        header.pop()
    columns, notes = unique_names(header)
    notes += _above_note(head[h][0], [values for _, values in head[:h]])
    width = len(columns)
    records: list[list[Any]] = []
    rows: list[int] = []
    errors: list[RowError] = []
    skipped = 0
    for n, values in it:
        cells = list(values)
        while cells and cells[-1] is None:
            cells.pop()
        if not any(v is not None and not (isinstance(v, str) and not v.strip()) for v in cells):
            skipped += 1
            continue
        if len(cells) > width:
            errors.append(RowError(len(records), n, None, f"values beyond the last named column (in column "
                                                          f"{len(cells)}); give that column a header"))
            cells = cells[:width]
        records.append(cells + [None] * (width - len(cells)))
        rows.append(n)
    frame = pd.DataFrame(records, columns=columns, dtype=object) if records else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if skipped:
        notes.append(f"skipped {skipped} empty rows")
    return RawTable(frame, rows, "row", errors, notes=notes)


# ------------------------------------------------------------------------------------------- JSON, Parquet


def read_json_text(text: str, source: str, *, array_ok: bool = True) -> RawTable:
    """JSON lines (one object per line), or for ``.json`` a JSON array of objects (numbered as items)."""
    body = text.removeprefix("\ufeff")
    if array_ok and body.lstrip().startswith("["):
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            raise CatalogError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                               file=source, row=exc.lineno) from exc
        return _from_records(((i, item, json.dumps(item, ensure_ascii=False)) for i, item in enumerate(data, 1)),
                             "item")
    lines = ((i, line.rstrip("\r")) for i, line in enumerate(body.split("\n"), 1))
    return _from_records(((i, _loads(line), line) for i, line in lines if line.strip()), "line")


def _loads(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return exc


def _from_records(items: Iterable[tuple[int, Any, str]], unit: Unit) -> RawTable:
    records: list[dict[str, Any]] = []
    rows: list[int] = []
    errors: list[RowError] = []
    for n, obj, raw in items:
        if not isinstance(obj, dict):
            why = (f"not valid JSON: {obj.msg} at column {obj.colno}" if isinstance(obj, json.JSONDecodeError)
                   else f"expected a JSON object, found {type(obj).__name__}")
            errors.append(RowError(len(records), n, None, why, unit))
            obj = {RAW: raw}
        records.append(obj)
        rows.append(n)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object) if len(frame.columns) else frame
    return RawTable(frame, rows, unit, errors)


def read_parquet(path: Path) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types; all mean "not a readable Parquet file"
        raise CatalogError(f"cannot read as Parquet: {exc}", file=str(path)) from exc
    frame = frame.reset_index(drop=True).astype(object)
    return RawTable(frame, list(range(1, len(frame) + 1)), "row")
