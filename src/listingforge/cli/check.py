"""``listingforge check``: audit existing titles and descriptions against a marketplace's rules and the law."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import typer

from ._common import (
    AttrColumnsOption,
    MapOption,
    PlatformOption,
    ProgressOption,
    check_writable,
    console,
    load_catalog,
)


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)


# a catalog's bullet points ("key product features"), one bullet a line or joined by "|", under one of these names
_BULLET_COLUMNS = ("bullets", "bullet_points", "bullet points", "key_features", "key product features", "about")


def check_command(
    catalog: Path = typer.Argument(..., help="CSV / XLSX / JSONL / Parquet catalog."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write findings per row here."),
    platform: list[str] = PlatformOption,
    mapping: list[str] | None = MapOption,
    attr_columns: str | None = AttrColumnsOption,
    bullets: str | None = typer.Option(
        None, "--bullets", help="Column of bullet points (one a line or joined by '|'), checked against the "
        "marketplace's bullet rules; default: a column named bullets, bullet_points, key_features or about."),
    progress: bool = ProgressOption,
) -> None:
    """Findings per row (rule, text, position, suggested fix) and a summary by rule."""
    counts, n, dt = run_check(catalog, output, platforms=platform, mapping=mapping, attr_columns=attr_columns,
                              bullets=bullets, progress=progress)
    from rich.table import Table

    table = Table(title=f"{n} rows checked in {dt:.1f}s ({n / max(dt, 1e-9):,.0f} rows/s)")
    for col in ("rule", "severity", "findings", "rows"):
        table.add_column(col, justify="right" if col in ("findings", "rows") else "left")
    for (rule, sev), (k, rows) in sorted(counts.items(), key=lambda x: -x[1][0]):
        table.add_row(rule, sev, str(k), str(rows))
    console.print(table)
    if output:
        console.print(f"wrote {output}")


def run_check(catalog: Path, output: Path | None, *, platforms: list[str], mapping: list[str] | None = None,
              attr_columns: str | None = None, bullets: str | None = None, progress: bool = True,
              ) -> tuple[dict[tuple[str, str], tuple[int, int]], int, float]:
    """Returns ({(rule, severity): (findings, rows)}, rows, seconds) and writes the per-row table."""
    from rich.progress import track

    from ..catalog import write_table
    from ..compliance import Checker, Lexicon, product_source_text
    from ..platforms import load_platform
    from ..tasks.columns import findings_text

    check_writable(output)
    t0 = time.perf_counter()
    cat = load_catalog(catalog, mapping, attr_columns)
    bullet_texts = _bullet_texts(cat.frame, bullets)
    lexicon = Lexicon().fit(cat.ok_products())
    plats = [load_platform(p) for p in platforms]
    checkers = [Checker(p, lexicon=lexicon) for p in plats]
    many = len(plats) > 1
    counts: Counter[tuple[str, str]] = Counter()
    row_counts: Counter[tuple[str, str]] = Counter()
    cols: dict[str, list[str]] = {}
    for i, p in enumerate(track(cat.products, description="checking", disable=not progress)):
        for chk in checkers:
            sfx = f"_{chk.platform.name}" if many else ""
            found = []
            if p is not None:
                # grounding against the facts only: a title claim the attributes do not back is worth a look
                src = product_source_text(p, include_title=False, include_description=False)
                fields = [("title", p.title), ("description", p.description)]
                if bullet_texts is not None:
                    fields.append(("bullets", bullet_texts[i]))
                for field, text in fields:
                    if text:
                        # with no attributes there is nothing to trace a fact to: no grounding then
                        fs = chk.check(text, p, field=field, source=src, grounding=bool(p.attributes))
                        found += [f.model_copy(update={"severity": "warning"}) if f.rule.startswith("grounding.")
                                  else f for f in fs]
            for f in found:
                counts[(f.rule, f.severity)] += 1
            for key in {(f.rule, f.severity) for f in found}:
                row_counts[key] += 1
            cols.setdefault(f"findings{sfx}", []).append(findings_text(found))
            cols.setdefault(f"n_errors{sfx}", []).append(str(sum(f.severity == "error" for f in found)))
            # a warning asks the seller (特供 for whom? 限时 until when?): nothing is fixed for it
            cols.setdefault(f"n_warnings{sfx}", []).append(str(sum(f.severity == "warning" for f in found)))
            # the article of law or marketplace rule behind each finding, once per rule
            cols.setdefault(f"basis{sfx}", []).append(" | ".join(
                f"{rule}: {basis}" for rule, basis in dict((f.rule, f.basis) for f in found if f.basis).items()))
            cols.setdefault(f"fixes{sfx}", []).append(
                "; ".join(f"{f.text!r}→{f.fix!r}" for f in found if f.fix is not None and f.text))
    dt = time.perf_counter() - t0
    if output is not None:
        out = cat.frame.copy()
        for k, v in cols.items():
            out[k] = v
        if any(cat.error_column()):
            out["error"] = cat.error_column()
        write_table(out, output)
    return {k: (v, row_counts[k]) for k, v in counts.items()}, len(cat.products), dt


def _bullet_texts(frame, column: str | None) -> list[str] | None:  # noqa: ANN001 (a pandas DataFrame)
    """Each row's bullet points from the named column, or from the first column with a bullets name; None if none."""
    from ..errors import ConfigError

    names = {str(c).strip().lower(): c for c in frame.columns}
    if column is not None:
        col = names.get(column.strip().lower())
        if col is None:
            raise ConfigError(f"--bullets {column!r}: no such column; the catalog has {', '.join(map(str, frame.columns))}")
    else:
        col = next((names[n] for n in _BULLET_COLUMNS if n in names), None)
        if col is None:
            return None
    return ["" if v is None or v != v else str(v) for v in frame[col].tolist()]  # v != v: a missing cell (NaN)
