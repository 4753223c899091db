"""Reading one cell: numbers as sellers write them, attribute lists in the formats marketplaces export.

Each parser raises ``CatalogError`` (with the value) on a cell it cannot read; the reader turns that into a
row error naming row and column, so one bad cell never stops a file.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ..errors import CatalogError

# Cells that mean "no value" in seller exports.
_EMPTY = frozenset({"", "-", "--", "—", "/", "n/a", "na", "none", "null", "nan", "无", "暂无", "空"})

_NUMBER = re.compile(
    r"""^(?P<sign>[-+−])?\s*
    (?:(?:us\$|hk\$|rs\.?|inr|rmb|cny|usd|[¥$€£₹])\s*)?      # currency before
    (?P<sign2>[-+])?
    (?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)(?P<exp>e[-+]?\d+)?
    \s*(?P<mult>百万|万|亿|千|k|w|m)?
    \s*(?P<pct>%|‰)?
    \s*(?P<plus>\+)?
    \s*(?:元|块|件|笔|个|次|单|条|人付款|人收货|人|pcs|rmb|cny|usd|inr|rs\.?)?   # unit / currency after
    \s*\+?$""",
    re.X | re.I,
)
_MULT = {"百万": 1e6, "万": 1e4, "亿": 1e8, "千": 1e3, "k": 1e3, "w": 1e4, "m": 1e6}
# Thousands grouping: western 1,299,000 or Indian 4,26,973 — every group after the first has 2 or 3 digits
# and the last has 3. "1,5" (a decimal comma) is refused rather than guessed.
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{2,3})*,\d{3}(?:\.\d+)?$")


def is_empty(value: Any) -> bool:
    if value.__class__ is str:
        return value.strip().lower() in _EMPTY
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip().lower() in _EMPTY
    try:
        return bool(value is np.nan or (np.isscalar(value) and np.isnan(value)))
    except TypeError:
        return False


def cell_text(value: Any) -> str | None:
    """A cell as text: stripped, None when empty; 12.0 from a spreadsheet becomes "12"."""
    if value.__class__ is str:
        s = value.strip()
        return s or None
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, list | tuple | dict | np.ndarray):
        return json.dumps(_plain(value), ensure_ascii=False)
    s = str(value).strip()
    return s or None


def parse_number(value: Any) -> float | None:
    """A number as sellers write it: "20%" → 0.2, "¥1,299.00", "3000元", "₹399", "4,26,973", "1.2万" → 12000.

    Empty-like cells ("", "-", "N/A", "暂无") → None. Anything else raises ``CatalogError``.
    A trailing "+" ("1万+", sales shown as a lower bound) reads as the number itself.
    """
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, int | float | np.integer | np.floating):
        f = float(value)
        return None if math.isnan(f) else f
    if not isinstance(value, str):
        raise CatalogError("not a number", value=value)
    # NFKC turns full-width digits, "，", "％" and "￥" into their ASCII forms.
    s = unicodedata.normalize("NFKC", value).strip()
    if s.lower() in _EMPTY:
        return None
    m = _NUMBER.match(s)
    if not m:
        raise CatalogError("not a number; write e.g. 1299, 1,299.00, ¥1299, 20% or 1.2万", value=value)
    num = m["num"]
    if "," in num:
        if not _GROUPED.match(num):
            raise CatalogError("commas in a number must group thousands (1,299 or 4,26,973)", value=value)
        num = num.replace(",", "")
    f = float(num + (m["exp"] or ""))
    if m["mult"]:
        f *= _MULT[m["mult"].lower()]
    if m["pct"]:
        f /= 100.0 if m["pct"] == "%" else 1000.0
    if (m["sign"] or m["sign2"] or "") in ("-", "−"):
        f = -f
    return f


# ---------------------------------------------------------------------------------------------- attributes

_KV = re.compile(r"[:：]")
_SEMI = re.compile(r"[;；\n]")
_COMMA = re.compile(r"[,，]")
_COMMA_KEEP = re.compile(r"([,，])")
_WS_PAIRS = re.compile(r"(\S+?)\s*[:：]\s*(.*?)(?=\s+\S+?\s*[:：]|\s*$)")


def parse_attributes(value: Any) -> list[tuple[str, str]]:
    """Ordered (name, value) pairs from a cell; a name may repeat. Accepted forms:

    - JSON: a list of pairs ``[["颜色","红"],...]`` (or of ``{"name":…,"value":…}``), or an object
      ``{"颜色": "红", "尺码": ["S", "M"]}`` (a list value gives one pair per element)
    - ``颜色:红;尺码:M`` with ``:``/``：`` and ``;``/``；``/newlines; ``,``/``，`` also separate pairs when every
      piece that follows has its own ``:`` (otherwise the comma belongs to the value: ``季节:春,秋``)
    - ``颜色：红 尺码：M`` (pairs separated by spaces only)
    - AdvertiseGen ``类型#上衣*材质#牛仔布``
    - ``颜色#:#红#;#尺码#:#M``

    Pairs with an empty value are left out (templates export "颜色:"). Unreadable text raises ``CatalogError``.
    """
    if value.__class__ is not str:
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, list | tuple):
            return _from_list(value)
        if isinstance(value, Mapping):
            return _from_mapping(value)
        if is_empty(value):
            return []
        raise CatalogError("attributes must be text, a list of [name, value] pairs or an object", value=value)
    text = value.strip()
    if text.lower() in _EMPTY:
        return []
    json_error = ""
    if text[0] in "[{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            json_error = f" (it starts like JSON but is not: {exc.msg} at char {exc.pos})"
        else:
            return parse_attributes(data)
    if "#:#" in text:
        return _pairs(text.split("#;#"), lambda p: p.split("#:#", 1) if "#:#" in p else None, text)
    if "#" in text and not _KV.search(text):
        return _pairs(text.split("*"), lambda p: p.split("#", 1) if "#" in p else None, text)
    return _colon_pairs(text, json_error)


def _colon_pairs(text: str, json_error: str) -> list[tuple[str, str]]:
    def split(piece: str) -> tuple[str, str] | None:  # at the first ":" or "：" (str.find beats a regex here)
        i, j = piece.find(":"), piece.find("：")
        k = i if j < 0 or 0 <= i < j else j
        return (piece[:k], piece[k + 1:]) if k >= 0 else None

    if not _KV.search(text):
        raise CatalogError("cannot read attributes: expected name:value pairs such as 颜色:红;尺码:M, "
                           "JSON, or 类型#上衣*材质#牛仔布" + json_error, value=text)
    if _SEMI.search(text):
        return _pairs(_SEMI.split(text), split, text)
    if _COMMA.search(text):
        # A piece without its own ":" continues the previous value ("季节:春,秋"); keep its original comma.
        parts = _COMMA_KEEP.split(text)
        pieces = [parts[0]]
        for sep, piece in zip(parts[1::2], parts[2::2], strict=True):
            if _KV.search(piece):
                pieces.append(piece)
            else:
                pieces[-1] += sep + piece
        return _pairs(pieces, split, text)
    if len(_KV.findall(text)) > 1:
        return [(k, v.strip()) for k, v in _WS_PAIRS.findall(text) if v.strip()]
    return _pairs([text], split, text)


def _pairs(pieces: Iterable[str], split: Any, text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for raw in pieces:
        piece = raw.strip()
        if not piece:
            continue
        kv = split(piece)
        if kv is None:
            raise CatalogError(f"attribute {piece!r} has no name/value separator", value=text)
        name, val = kv[0].strip(), kv[1].strip()
        if not name:
            raise CatalogError(f"attribute {piece!r} has no name", value=text)
        if val:
            out.append((name, val))
    return out


def _scalar(v: Any, where: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, list | tuple | dict):
        raise CatalogError("an attribute value must be text or a number, not a nested list/object", value=where)
    return cell_text(v)


def _from_mapping(data: Mapping[Any, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, v in data.items():
        values = v if isinstance(v, list | tuple) else [v]
        for x in values:
            s = _scalar(x, data)
            if s is not None:
                out.append((str(k).strip(), s))
    return out


def _from_list(items: Iterable[Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for item in items:
        # the common case first: a [name, value] pair of strings (JSON lines, our own output)
        if (item.__class__ is list or item.__class__ is tuple) and len(item) == 2 \
                and item[0].__class__ is str and item[1].__class__ is str:
            name, val = item[0].strip(), item[1].strip()
            if not name:
                raise CatalogError("an attribute pair has an empty name", value=item)
            if val:
                out.append((name, val))
            continue
        if isinstance(item, np.ndarray):
            item = item.tolist()
        if isinstance(item, Mapping):
            if "name" in item and "value" in item:
                item = [item["name"], item["value"]]
            elif len(item) == 1:
                out.extend(_from_mapping(item))
                continue
            else:
                raise CatalogError("an attribute object needs 'name' and 'value'", value=item)
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise CatalogError("each attribute must be a [name, value] pair", value=item)
        name = cell_text(item[0])
        if not name:
            raise CatalogError("an attribute pair has an empty name", value=item)
        values = item[1] if isinstance(item[1], list | tuple) else [item[1]]
        for x in values:
            s = _scalar(x, item)
            if s is not None:
                out.append((name, s))
    return out


# ------------------------------------------------------------------------------------ other list-like cells


def parse_tags(value: Any) -> list[str]:
    """Tags from a JSON list or text separated by , ， ; ； | or newlines."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [t for t in (cell_text(v) for v in value) if t]
    if is_empty(value):
        return []
    text = str(value).strip()
    if text.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogError(f"tags start like JSON but are not: {exc.msg}", value=text) from exc
        if not isinstance(data, list):
            raise CatalogError("tags must be a list", value=text)
        return parse_tags(data)
    return [t.strip() for t in re.split(r"[,，;；|\n]", text) if t.strip()]


def parse_spans(value: Any) -> list[tuple[int, int, str]]:
    """Spans as in the shared data: ``[[start, end, type], ...]`` (a list or its JSON text)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list | tuple):
        if is_empty(value):
            return []
        try:
            value = json.loads(str(value))
        except json.JSONDecodeError as exc:
            raise CatalogError(f"spans must be JSON [[start, end, type], ...]: {exc.msg}", value=value) from exc
    out: list[tuple[int, int, str]] = []
    for s in value:
        s = s.tolist() if isinstance(s, np.ndarray) else s
        if not isinstance(s, list | tuple) or len(s) != 3:
            raise CatalogError("each span must be [start, end, type]", value=s)
        try:
            out.append((int(s[0]), int(s[1]), str(s[2])))
        except (TypeError, ValueError) as exc:
            raise CatalogError("span start and end must be integers", value=s) from exc
    return out


def parse_metrics(value: Any) -> dict[str, float]:
    """A metrics object (dict or its JSON text); each value read with ``parse_number``."""
    if value.__class__ is not dict and not isinstance(value, Mapping):
        if is_empty(value):
            return {}
        try:
            value = json.loads(str(value))
        except json.JSONDecodeError as exc:
            raise CatalogError(f"metrics must be a JSON object: {exc.msg}", value=value) from exc
        if not isinstance(value, Mapping):
            raise CatalogError("metrics must be a JSON object", value=value)
    out: dict[str, float] = {}
    for k, v in value.items():
        try:
            f = parse_number(v)
        except CatalogError as exc:
            raise CatalogError(f"metric {k!r} is not a number", value=v) from exc
        if f is not None:
            out[str(k)] = f
    return out


def _plain(value: Any) -> Any:
    """numpy containers (from Parquet) as plain lists, for JSON."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value
