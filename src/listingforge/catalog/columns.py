"""Which input column feeds which Product field or metric: aliases from data/columns.toml, then overrides."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ..errors import CatalogError, ConfigError

# Product fields a column can fill. "metrics" is a whole metrics object (JSON lines, our own output).
FIELDS = ("id", "title", "category", "brand", "attributes", "description", "price", "lang", "tags", "spans",
          "metrics")
_DROP = re.compile(r"[\s_\-./:*]+")
_UNIT = re.compile(r"(?:\(.*\)|\[.*\]|【.*】)$")


def normalize_header(name: object) -> str:
    """The matching key of a header: width-folded, lower-cased, simplified Chinese, without spaces and
    ``_-./:*``."""
    key = _DROP.sub("", unicodedata.normalize("NFKC", str(name)).casefold())
    return key.translate(_traditional())


@cache
def _traditional() -> dict[int, str]:
    pairs = _table()["traditional"]["pairs"]
    return {ord(t): s for t, s in zip(pairs[::2], pairs[1::2], strict=True)}


@cache
def _table() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data/columns.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Aliases:
    fields: dict[str, tuple[str, ...]]
    metrics: dict[str, tuple[str, ...]]
    lookup: dict[str, tuple[str, int]]  # normalized alias → (field or metric, priority)

    def accepted(self, key: str) -> tuple[str, ...]:
        return self.fields.get(key) or self.metrics.get(key) or ()


@cache
def load_aliases() -> Aliases:
    """The packaged alias table (validated: every alias belongs to one key)."""
    data = _table()
    fields = {k: tuple(v) for k, v in data["fields"].items()}
    metrics = {k: tuple(v) for k, v in data["metrics"].items()}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ConfigError(f"columns.toml: unknown Product fields {sorted(unknown)}; fields are {FIELDS}")
    lookup: dict[str, tuple[str, int]] = {}
    for key, names in [*fields.items(), *metrics.items()]:
        for i, name in enumerate(names):
            norm = normalize_header(name)
            if norm in lookup and lookup[norm][0] != key:
                raise ConfigError(f"columns.toml: alias {name!r} is listed under both {lookup[norm][0]!r} "
                                  f"and {key!r}")
            lookup.setdefault(norm, (key, i))
    return Aliases(fields, metrics, lookup)


@dataclass
class ColumnPlan:
    fields: dict[str, str] = field(default_factory=dict)  # Product field → column
    metrics: dict[str, str] = field(default_factory=dict)  # metric name → column
    attribute_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def used(self) -> dict[str, str]:
        return {**self.fields, **self.metrics}


def match_aliases(columns: list[str], notes: list[str] | None = None) -> dict[str, str]:
    """Field or metric → the column whose header the alias table reads as it (the higher-priority alias,
    then the earlier column, wins a tie; ``notes`` hears about each tie)."""
    aliases = load_aliases()
    best: dict[str, tuple[int, int, str]] = {}  # key → (priority, column position, column)
    for pos, col in enumerate(columns):
        if col == "_raw":
            continue
        norm = normalize_header(col)
        hit = aliases.lookup.get(norm) or aliases.lookup.get(_UNIT.sub("", norm))
        if hit is None:
            continue
        key, prio = hit
        if key not in best or (prio, pos) < best[key][:2]:
            if key in best and notes is not None:
                notes.append(f"columns {best[key][2]!r} and {col!r} both look like {key}; using {col!r}")
            best[key] = (prio, pos, col)
        elif notes is not None:
            notes.append(f"columns {best[key][2]!r} and {col!r} both look like {key}; using {best[key][2]!r}")
    return {key: col for key, (_, _, col) in best.items()}


def plan_columns(
    columns: list[str],
    *,
    source: str,
    mapping: dict[str, str] | None = None,
    attribute_columns: list[str] | None = None,
) -> ColumnPlan:
    """Map ``columns`` to fields and metrics; raise ``CatalogError`` when nothing gives a title or attributes.

    ``mapping`` keys are Product fields, metric names from columns.toml, or ``metrics.NAME`` for any other
    metric; values are column names (matched exactly, then like aliases). An empty value unmaps a field.
    """
    aliases = load_aliases()
    plan = ColumnPlan()
    auto = match_aliases(columns, plan.notes)

    for key, col in (mapping or {}).items():
        target = _mapping_key(key, aliases, source)
        if not col:
            auto.pop(target, None)
            continue
        found = find_column(col, columns, source=source, what=f"mapping {key}={col!r}")
        # A column given explicitly is not also used for whatever its name looked like.
        auto = {k: c for k, c in auto.items() if c != found}
        auto[target] = found
    for key, col in auto.items():
        (plan.fields if key in FIELDS else plan.metrics)[key] = col
    plan.attribute_columns = [find_column(c, columns, source=source, what=f"attribute column {c!r}")
                              for c in (attribute_columns or [])]

    if "title" not in plan.fields and "attributes" not in plan.fields and not plan.attribute_columns:
        raise CatalogError(
            "no title or attributes column. Columns found: "
            + ", ".join(repr(c) for c in columns if c != "_raw")
            + ". Accepted title columns: " + ", ".join(aliases.fields["title"])
            + "; attribute columns: " + ", ".join(aliases.fields["attributes"])
            + ". Or name yours: mapping={'title': COLUMN} (--map title=COLUMN) or attribute_columns=[...]",
            file=source,
        )
    if "id" not in plan.fields:
        plan.notes.append("no id column (accepted: " + ", ".join(aliases.fields["id"][:8])
                          + ", …): ids are the row numbers")
    return plan


def _mapping_key(key: str, aliases: Aliases, source: str) -> str:
    k = key.strip()
    if k in FIELDS or k in aliases.metrics:
        return k
    if k.startswith("metrics.") and len(k) > len("metrics."):
        return k[len("metrics."):]
    raise CatalogError(f"mapping key {key!r} is not a Product field or known metric. Fields: {', '.join(FIELDS)}; "
                       f"metrics: {', '.join(aliases.metrics)}; other metrics as 'metrics.NAME'", file=source)


def find_column(name: str, columns: list[str], *, source: str, what: str) -> str:
    """The column called ``name`` (exactly, else ignoring case, spaces and width), or a CatalogError."""
    if name in columns:
        return name
    norm = normalize_header(name)
    for col in columns:
        if normalize_header(col) == norm:
            return col
    raise CatalogError(f"{what}: no such column. The file has: " + ", ".join(repr(c) for c in columns),
                       file=source, column=name)


def parse_mapping(text: str) -> dict[str, str]:
    """``"title=商品名称,price=售价"`` (the CLI's ``--map``) as a dict. ``;`` also separates."""
    out: dict[str, str] = {}
    for part in re.split(r"[,;，；]", text):
        if not part.strip():
            continue
        if "=" not in part:
            raise ConfigError(f"--map {part.strip()!r}: write FIELD=COLUMN, e.g. title=商品名称")
        key, col = part.split("=", 1)
        out[key.strip()] = col.strip()
    return out
