"""What a file really is, from its first bytes: a table format we read, or something that is not a table.

Users rename files ("an .xlsx saved as .xls", "a screenshot named .csv", a web page exported as .xls); the
extension alone then leads a reader into a raw parser error. The signatures are the published magic
numbers of each format (file(1)'s magic database, the ZIP/OOXML, OLE2, Parquet and image specifications).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

# kind → what a user calls it; the first group are formats read here, the rest are not tables
TABLE_KINDS = {"xlsx": "an Excel workbook (.xlsx)", "xls": "an old Excel workbook (.xls)",
               "parquet": "a Parquet file"}
OTHER_KINDS = {
    "png": "a PNG image", "jpeg": "a JPEG image", "gif": "a GIF image", "webp": "a WebP image",
    "bmp": "a BMP image", "tiff": "a TIFF image", "pdf": "a PDF document", "zip": "a ZIP archive",
    "docx": "a Word document (.docx)", "pptx": "a PowerPoint file (.pptx)", "ods": "an OpenDocument spreadsheet",
    "gzip": "a gzip archive", "bzip2": "a bzip2 archive", "xz": "an xz archive", "7z": "a 7-Zip archive",
    "rar": "a RAR archive", "tar": "a tar archive", "sqlite": "an SQLite database", "html": "a web page (HTML)",
    "xml": "an XML file", "elf": "a program (ELF executable)", "exe": "a program (Windows executable)",
    "binary": "a binary file",
}
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"), (b"\x1f\x8b\x08", "gzip"), (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!\x1a\x07", "rar"), (b"SQLite format 3\x00", "sqlite"),
    (b"\x7fELF", "elf"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"), (b"PAR1", "parquet"),
)
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<table|<meta|<!--)", re.IGNORECASE)
_XML = re.compile(rb"^\s*<\?xml", re.IGNORECASE)


def sniff(path: Path, head: bytes | None = None) -> str | None:
    """The file's kind (a key of TABLE_KINDS or OTHER_KINDS), or None for text (CSV, JSON lines …)."""
    if head is None:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return "bzip2"
    if head.startswith(b"MZ") and len(head) >= 64:  # a DOS header pointing at a PE header
        pe = int.from_bytes(head[60:64], "little")
        if head[pe:pe + 4] == b"PE\x00\x00":
            return "exe"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and len(head) > 14 and head[6:10] == b"\x00\x00\x00\x00":
        return "bmp"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "tar"
    text = head.lstrip(b"\xef\xbb\xbf")
    if _HTML.match(text):
        return "html"
    if _XML.match(text):
        # Excel's "XML Spreadsheet 2003" is XML too; it is not read here either
        return "xml"
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and not _utf16_like(head) and _controls(head) > 0.05:
        return "binary"  # text in any encoding has few control bytes; a stray NUL in a cell is no reason to refuse
    return None


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b")


def _controls(head: bytes) -> float:
    """Share of control bytes other than tab, line breaks, form feed and escape (0 under 9 of them: a few
    stray ones in a short text are cell content)."""
    n = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return n / len(head) if n > 8 else 0.0


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    return "zip"


def _utf16_like(head: bytes) -> bool:
    return utf16_without_bom(head) is not None


def utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le" / "utf-16-be" for UTF-16 text without a byte-order mark (in ASCII-heavy text every other
    byte is NUL, on one side only), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    n = min(len(even), len(odd))
    if n < 8:
        return None
    if odd[:n].count(0) > 0.4 * n and even[:n].count(0) < 0.05 * n:
        return "utf-16-le"
    if even[:n].count(0) > 0.4 * n and odd[:n].count(0) < 0.05 * n:
        return "utf-16-be"
    return None


def describe(kind: str) -> str:
    return TABLE_KINDS.get(kind) or OTHER_KINDS.get(kind, kind)
