"""`listingforge abtest results.csv`: compare listing variants by clicks or orders (statistics in score/abtest.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import CatalogError, ConfigError
from ..score.abtest import ABReport, Variant, analyze

# Accepted headers, lower-cased (English and Chinese exports).
COLUMNS = {
    "variant": ("variant", "name", "arm", "group", "version", "title", "变体", "版本", "方案", "组", "标题"),
    "impressions": ("impressions", "views", "exposure", "visits", "曝光", "曝光量", "展现", "展现量", "浏览量"),
    "clicks": ("clicks", "click", "点击", "点击量", "点击数"),
    "orders": ("orders", "conversions", "sales", "purchases", "订单", "订单数", "成交", "成交量", "下单", "销量"),
}


def read_table(path: Path) -> Any:
    import pandas as pd

    if not path.is_file():
        raise CatalogError("file not found", file=str(path))
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, encoding=enc)
        except UnicodeDecodeError:
            continue
    raise CatalogError("not UTF-8 or GB18030 text", file=str(path))


def _find(frame: Any, role: str) -> str | None:
    cols = {str(c).strip().lower(): c for c in frame.columns}
    return next((cols[a] for a in COLUMNS[role] if a in cols), None)


def variants_from_table(frame: Any, metric: str = "auto", file: str | None = None) -> tuple[list[Variant], str]:
    """Rows → variants. ``metric`` clicks: CTR = clicks / impressions; orders: orders / clicks (or impressions)."""
    col = {r: _find(frame, r) for r in COLUMNS}
    if col["variant"] is None:
        raise CatalogError(f"no variant column (one of {', '.join(COLUMNS['variant'])})", file=file)
    if metric == "auto":
        metric = "clicks" if col["clicks"] is not None and col["impressions"] is not None else "orders"
    if metric not in ("clicks", "orders"):
        raise ConfigError(f"--metric {metric!r}: use clicks, orders or auto")
    succ = col[metric]
    trials = col["impressions"] if metric == "clicks" else (col["clicks"] or col["impressions"])
    if succ is None or trials is None:
        need = "impressions and clicks" if metric == "clicks" else "orders and clicks (or impressions)"
        raise CatalogError(f"metric {metric} needs columns for {need}; found {list(frame.columns)}", file=file)
    out = []
    for i, row in frame.iterrows():
        try:
            out.append(Variant(name=str(row[col["variant"]]), trials=int(row[trials]), successes=int(row[succ])))
        except (TypeError, ValueError) as exc:
            raise CatalogError("counts must be whole numbers", file=file, row=int(i) + 2,  # header is line 1
                               value=f"{row[trials]}, {row[succ]}") from exc
    rate = "CTR" if metric == "clicks" else ("conversion" if col["clicks"] else "orders / impression")
    return out, rate


def print_report(report: ABReport, rate: str) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"{rate} by variant (control: {report.control}; {report.confidence:.0%} Wilson intervals)")
    for h in ("variant", "trials", "successes", rate, "interval", "lift", "z", "p", "P(best)", "more needed"):
        t.add_column(h, justify="left" if h == "variant" else "right")
    for v in report.variants:
        t.add_row(
            v.name, f"{v.trials:,}", f"{v.successes:,}", f"{v.rate:.2%}", f"{v.ci_low:.2%}–{v.ci_high:.2%}",
            "" if v.lift is None else f"{v.lift:+.1%}", "" if v.z is None else f"{v.z:+.2f}",
            "" if v.p_value is None else f"{v.p_value:.4f}", f"{v.p_best:.1%}", f"{v.more_needed:,}",
        )
    con = Console(width=None if sys.stdout.isatty() else 150)  # files and pipes get the whole table
    con.print(t)
    kind = "relative" if report.relative_mde else "absolute"
    con.print(f"To detect a {kind} change of {report.mde:g} at α={report.alpha:g}, power {report.power:.0%}: "
              f"{report.needed_per_variant:,} trials per variant.")
    con.print(f"Winner: {report.winner}" if report.winner else "No winner yet.")


def abtest_cmd(
    results: Annotated[Path, typer.Argument(help="CSV/XLSX: one row per variant with impressions, clicks, orders")],
    metric: Annotated[str, typer.Option(help="clicks (CTR) | orders (conversion) | auto")] = "auto",
    control: Annotated[str | None, typer.Option(help="control variant name (default: first row)")] = None,
    mde: Annotated[float, typer.Option(help="minimum detectable effect (relative unless --absolute)")] = 0.1,
    absolute: Annotated[bool, typer.Option("--absolute", help="--mde is an absolute rate difference")] = False,
    alpha: Annotated[float, typer.Option(help="Significance level of the z-test and the sample size.")] = 0.05,
    power: Annotated[float, typer.Option(help="Power for the sample size still needed.")] = 0.8,
    confidence: Annotated[float, typer.Option(help="Confidence of the Wilson intervals.")] = 0.95,
    seed: Annotated[int, typer.Option(help="Random seed of the P(best) simulation.")] = 0,
    json_: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """A/B statistics: rates with Wilson intervals, z-test vs control, P(best), sample size still needed."""
    variants, rate = variants_from_table(read_table(results), metric, file=str(results))
    report = analyze(variants, control=control, confidence=confidence, alpha=alpha, power=power, mde=mde,
                     relative_mde=not absolute, seed=seed)
    if json_:
        typer.echo(report.model_dump_json(indent=1))
    else:
        print_report(report, rate)


def register(app: typer.Typer) -> None:
    app.command("abtest")(abtest_cmd)
