"""``listingforge describe``: a grounded description (selling points + paragraph) for every product."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer

from ..errors import ConfigError
from ._common import (
    AdapterOption,
    AttrColumnsOption,
    BackendOption,
    BaseUrlOption,
    FewshotOption,
    LLMCandidatesOption,
    MapOption,
    ModelOption,
    SeedOption,
    check_writable,
    console,
    llm_generators,
    load_catalog,
)


def register(app: typer.Typer) -> None:
    app.command("describe")(describe_command)


def describe_command(
    catalog: Path = typer.Argument(..., help="CSV / XLSX / JSONL / Parquet catalog."),
    output: Path = typer.Option(Path("descriptions.csv"), "--output", "-o", help="Output file (format by extension)."),
    platform: str = typer.Option("taobao", "--platform", "-p", help="Marketplace name or a rules .toml."),
    style: str | None = typer.Option(None, "--style",
                                     help="简洁 | 种草 | 专业 (default: as the catalog's own copy reads)."),
    audience: str | None = typer.Option(None, "--audience", help="Who it is for: 学生, 宝妈, 商务 … (any word)."),
    engine: str = typer.Option("compose", "--engine", help="compose | llm | auto (compose + LLM, best selected)."),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    adapter: str | None = AdapterOption,
    fewshot: str = FewshotOption,
    llm_candidates: int = LLMCandidatesOption,
    candidates: int = typer.Option(3, "--candidates", help="Compose candidates per product."),
    mapping: list[str] | None = MapOption,
    attr_columns: str | None = AttrColumnsOption,
    competitors: Path | None = typer.Option(
        None, "--competitors", help="Competitors' descriptions, never to be copied: a catalog file with a "
                                    "description or text column."),
    seed: int = SeedOption,
) -> None:
    """Write selling points and a paragraph per product from its own attributes; input columns are kept."""
    check_writable(output)
    console.print(run_describe(catalog, output, platform=platform, style=style, audience=audience, engine=engine,
                               candidates=candidates, mapping=mapping, attr_columns=attr_columns, seed=seed,
                               competitors=competitors,
                               llm={"backend": backend, "model": model, "base_url": base_url, "adapter": adapter,
                                    "fewshot": fewshot, "max_n": llm_candidates}))


def run_describe(catalog: Path, output: Path, *, platform: str = "taobao", style: str | None = None,
                 audience: str | None = None, engine: str = "compose", candidates: int = 3,
                 mapping: list[str] | None = None, attr_columns: str | None = None, seed: int = 0,
                 llm: dict[str, Any] | None = None, competitors: Path | None = None) -> str:
    """The plain function behind the command. Returns a one-line summary."""
    import pandas as pd

    from ..catalog import write_table
    from ..compliance import Checker, CopyIndex, Lexicon
    from ..compliance.copying import read_competitors
    from ..generate.compose_description import STYLES
    from ..platforms import load_platform
    from ..product import Result
    from ..tasks.describe import DescriptionTask, description_columns

    if style is not None and style not in STYLES:
        raise ConfigError(f"--style {style!r}: use one of {' | '.join(STYLES)}")
    t0 = time.perf_counter()
    cat = load_catalog(catalog, mapping, attr_columns)
    plat = load_platform(platform)
    products = cat.ok_products()
    copy_index = CopyIndex().fit(*read_competitors(competitors)) if competitors else None
    checker = Checker(plat, lexicon=Lexicon().fit(products), copy_index=copy_index)
    task = DescriptionTask(platform=plat, checker=checker, style=style, audience=audience,
                           n_candidates=candidates, seed=seed,
                           extra_generators=[g.fit(products) for g in llm_generators(engine, llm or {})])
    task.fit(products)  # the seller's own phrasing, from the catalog's descriptions (if it has any)
    rows = []
    for p, err in zip(cat.products, cat.error_column(), strict=True):
        if p is None:
            rows.append({"new_description": "", "selling_points": "", "score": None, "findings": "",
                         "generator": "", "error": err})
            continue
        try:
            rows.append(description_columns(task.run(p)))
        except ConfigError as exc:  # e.g. a platform without a description limit: per row, named
            rows.append(description_columns(Result(product_id=p.id, task="description", platform=plat.name,
                                                   error=str(exc))))
    out = cat.frame.copy().join(pd.DataFrame(rows, index=cat.frame.index))
    write_table(out, output)
    done = sum(1 for r in rows if r.get("new_description"))
    return (f"wrote {output}: {done}/{len(rows)} descriptions ({plat.name}, {style or 'catalog style'}) in "
            f"{time.perf_counter() - t0:.1f}s")
