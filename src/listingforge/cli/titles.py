"""``listingforge titles``: a catalog in, better titles out (generate, optimize, shorten; several platforms)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import typer

from ._common import (
    INPUT_FINDINGS,
    AdapterOption,
    AttrColumnsOption,
    BackendOption,
    BaseUrlOption,
    FewshotOption,
    KeywordsOption,
    LLMCandidatesOption,
    MapOption,
    ModelOption,
    PlatformOption,
    ProgressOption,
    SeedOption,
    check_writable,
    console,
    llm_generators,
    load_catalog,
    read_keywords,
)

# --engine auto: the model is asked only for products whose own best title scores below this (or breaks a rule)
AUTO_WEAK_SCORE = 70.0


def register(app: typer.Typer) -> None:
    app.command("titles")(titles_command)


def titles_command(
    catalog: Path = typer.Argument(..., help="CSV / XLSX / JSONL / Parquet catalog."),
    output: Path = typer.Option(Path("titles.csv"), "--output", "-o", help="Output file (format by extension)."),
    platform: list[str] = PlatformOption,
    short: int | None = typer.Option(None, "--short", help="Also write a short title of N units "
                                                           "(platform unit: --short 40 on Taobao = 20 汉字)."),
    report: Path | None = typer.Option(None, "--report", help="Also write an HTML report with plots (one file, "
                                                              "opens offline, Chinese shown without system fonts)."),
    keywords: Path | None = KeywordsOption,
    engine: str = typer.Option("compose", "--engine", help="compose | llm | auto (compose + LLM, best selected)."),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    adapter: str | None = AdapterOption,
    fewshot: str = FewshotOption,
    llm_candidates: int = LLMCandidatesOption,
    scorer: Path | None = typer.Option(None, "--scorer", help="A trained scorer folder (listingforge scorer train)."),
    composer: Path | None = typer.Option(None, "--composer", help="Load a fitted composer instead of fitting."),
    fit_on: Path | None = typer.Option(None, "--fit-on", help="Learn from this reference catalog as well."),
    save_composer: Path | None = typer.Option(None, "--save-composer", help="Save the fitted composer here."),
    mapping: list[str] | None = MapOption,
    attr_columns: str | None = AttrColumnsOption,
    candidates: int = typer.Option(3, "--candidates", help="Candidates per generator per product."),
    chunk_size: int = typer.Option(500, "--chunk-size", help="Rows per resumable chunk: an interrupted run "
                                                             "resumes after the last finished one."),
    workers: int = typer.Option(0, "--workers", help="Processes (0: one per core, up to 8, for catalogs of "
                                                     "5,000 rows or more; else 1)."),
    seed: int = SeedOption,
    progress: bool = ProgressOption,
) -> None:
    """Generate (no title), optimize (a title) and shorten titles for every product; resumable."""
    summary = run_titles(catalog, output, platforms=platform, short=short, report=report, keywords=keywords,
                         engine=engine, scorer=scorer, composer=composer, fit_on=fit_on,
                         save_composer=save_composer, mapping=mapping, attr_columns=attr_columns,
                         candidates=candidates, chunk_size=chunk_size, seed=seed, progress=progress,
                         workers=workers, llm={"backend": backend, "model": model, "base_url": base_url,
                                               "adapter": adapter, "fewshot": fewshot,
                                               "max_n": llm_candidates})
    console.print(summary)


def run_titles(catalog: Path, output: Path, *, platforms: list[str], short: int | None = None,
               report: Path | None = None, keywords: Path | None = None, engine: str = "compose",
               scorer: Path | None = None, composer: Path | None = None, fit_on: Path | None = None,
               save_composer: Path | None = None, mapping: list[str] | None = None,
               attr_columns: str | None = None, candidates: int = 3, chunk_size: int = 500, seed: int = 0,
               progress: bool = True, workers: int = 0, llm: dict[str, Any] | None = None) -> str:
    """The plain function behind the command (the service calls it too). Returns a one-line summary."""
    from contextlib import nullcontext

    from .. import batch
    from ..catalog import write_table
    from ..catalog.output import output_error
    from ..engine import Engine
    from ..generate.compose import ComposeGenerator
    from ..platforms import load_platform
    check_writable(output, report, save_composer)  # before any work: a bad --report path fails at once
    with batch.output_lock(output):
        t0 = time.perf_counter()
        cat = load_catalog(catalog, mapping, attr_columns)
        names = [load_platform(p).name for p in platforms]
        kws = read_keywords(keywords)
        eng = Engine(names, scorer=_load_scorer(scorer), generators=llm_generators(engine, llm or {}),
                     keywords=kws, n_candidates=candidates, short=short, seed=seed,
                     composer=ComposeGenerator.load(composer) if composer else None,
                     compose_candidates=engine != "llm",
                     model_when_weak=AUTO_WEAK_SCORE if engine == "auto" else None)
        if eng.composer is None or eng.generators:
            ref = list(cat.ok_products())
            if fit_on is not None:
                ref += load_catalog(fit_on, None).ok_products()
            if eng.composer is None:
                eng.fit(ref)
            else:  # a saved composer: the model's few-shot examples (and the style references) still come from here
                eng.fit_generators(ref)
        if save_composer is not None:
            try:
                eng.composer.save(save_composer)
            except OSError as exc:
                raise output_error(exc, save_composer) from exc

        global _JOB
        _JOB = (eng, names, short is not None, cat.products)
        n_workers = workers or (min(os.cpu_count() or 1, 8) if len(cat.products) >= 5000 else 1)
        pooled = n_workers > 1 and not eng.generators  # model backends hold their own threads: one process then
        if pooled:
            # fork: the workers inherit the fitted, prepared engine and the catalog, so only row numbers go to
            # them and only the new columns come back
            eng.prepare()

        options = {"platforms": names, "short": short, "keywords": kws, "engine": engine, "scorer": str(scorer),
                   "composer": str(composer), "fit_on": str(fit_on), "candidates": candidates, "seed": seed,
                   "mapping": mapping, "attr_columns": attr_columns,
                   "llm": {k: v for k, v in (llm or {}).items() if k != "base_url"} if engine != "compose" else None}
        try:
            with batch.worker_pool(n_workers) if pooled else nullcontext() as pool:
                run = batch.run_chunks(range(len(cat.products)), _title_rows, output,
                                       fp=batch.fingerprint(catalog, options), chunk_size=chunk_size,
                                       progress=progress, description="titles", executor=pool)
        finally:
            _JOB = None
        frame = cat.frame.copy()
        new = _rows_frame(run.rows, len(frame))
        errors = cat.error_column()
        out = frame.join(new)
        if any(errors):
            out["error"] = [e or r.get("error", "") for e, r in zip(errors, run.rows, strict=True)]
        write_table(out, output)
        if report is not None:
            from ..catalog.values import cell_text
            from ..evaluate.titles_report import titles_report

            shown = out
            title_col = cat.columns.get("title")
            if title_col and INPUT_FINDINGS in out:  # the report shows a title as the screen left it
                shown = out.copy()
                shown[title_col] = [(p.title or "(not shown: see input_findings)") if p is not None and "title" in f
                                    and cell_text(t) is not None else t
                                    for p, t, f in zip(cat.products, out[title_col], out[INPUT_FINDINGS], strict=True)]
            titles_report(shown, names, short=short, title_column=title_col,
                          title=f"listingforge titles — {catalog.name}").save(report)
        batch.finish(output)
        dt = time.perf_counter() - t0
        resumed = f", {run.rows_resumed} resumed" if run.rows_resumed else ""
        return (f"wrote {output} ({len(out)} rows{resumed}, {len(names)} platform(s)) in {dt:.1f}s"
                + (f"; report {report}" if report else ""))


# (engine, platforms, short, the catalog's products) of the running job
_JOB: tuple[Any, list[str], bool, list[Any]] | None = None


def _title_rows(rows):  # noqa: ANN001, ANN202 - module level so worker processes can run it
    from ..tasks.columns import title_columns

    eng, names, short, products = _JOB
    chunk = [products[i] for i in rows]
    by_id: dict[str, list[Any]] = {}
    for r in eng.titles([p for p in chunk if p is not None]):
        by_id.setdefault(r.product_id, []).append(r)
    return [title_columns(by_id.get(p.id, []), names, short) if p is not None else {} for p in chunk]


def _rows_frame(rows: list[dict[str, Any]], n: int):  # noqa: ANN202
    import pandas as pd

    return pd.DataFrame(rows, index=range(n))


def _load_scorer(path: Path | None):  # noqa: ANN202
    if path is None:
        return None
    from ..score import load_scorer

    return load_scorer(path)
