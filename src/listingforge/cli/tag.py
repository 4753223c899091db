"""``listingforge tag``: typed tags with evidence for every product, learning from reviewers' verdicts."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer

from ..errors import ConfigError
from ._common import (
    BackendOption,
    BaseUrlOption,
    MapOption,
    ModelOption,
    ProgressOption,
    SeedOption,
    check_writable,
    console,
    load_catalog,
)

_REVIEW_COLUMNS = ("review", "reviews", "comment", "comments", "评论", "评价", "买家评价", "商品评价", "用户评论")
_IMAGE_COLUMNS = ("image", "image_path", "image_url", "image_link", "图片", "主图", "图片路径", "商品图片")


def register(app: typer.Typer) -> None:
    app.command("tag")(tag_command)


def tag_command(
    catalog: Path = typer.Argument(..., help="CSV / XLSX / JSONL / Parquet catalog."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="tags.jsonl (one object per product) or tags.csv (one row per tag); "
                                            "default: CATALOG.tags.jsonl beside the catalog."),
    platform: list[str] = typer.Option(["generic"], "--platform", "-p",
                                       help="Marketplace whose rules every tag must keep (a tag that breaks "
                                            "one is dropped; the generic default applies the Advertising Law "
                                            "to Chinese text); repeat for several."),
    learn: Path | None = typer.Option(None, "--learn", help="Feedback file (id,type,value,verdict: accept|reject): "
                                                            "stored in --db, then the tagger retrains on all "
                                                            "stored verdicts."),
    db: str | None = typer.Option(None, "--db", help="SQLite file (or SQLAlchemy URL) holding reviewers' verdicts. "
                                                     "Read when given; written only with --learn (which uses "
                                                     "listingforge.db when --db is not given)."),
    tagger: Path | None = typer.Option(None, "--tagger", help="Use a saved tagger (--save-tagger) instead of "
                                                              "fitting one on the catalog."),
    save_tagger: Path | None = typer.Option(None, "--save-tagger", help="Save the fitted tagger here."),
    review_column: str | None = typer.Option(None, "--review-column", help="Column with review text "
                                                                              "(default: review/评论/评价 if present)."),
    image_column: str | None = typer.Option(None, "--image-column", help="Column with image paths (OCR tags; needs "
                                                                            "the vision extra)."),
    top_keywords: int = typer.Option(5, "--top-keywords", help="Keyword tags per product, best first."),
    min_confidence: float = typer.Option(0.3, "--min-confidence", help="Drop tags the tagger is less sure of "
                                                                       "(0-1); catalog and feedback tags stay."),
    mapping: list[str] | None = MapOption,
    engine: str = typer.Option("trained", "--engine", help="trained | auto (a language model takes the tag types "
                                                           "it measured better on: brand)."),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    seed: int = SeedOption,
    chunk_size: int = typer.Option(500, "--chunk-size", help="Products per saved chunk (an interrupted run "
                                                             "resumes after the last one)."),
    progress: bool = ProgressOption,
) -> None:
    """Tag every product: attribute values with spans, category, keywords, review opinions (and image text)."""
    console.print(run_tag(catalog, output, platforms=platform, learn=learn, db=db, tagger=tagger,
                          save_tagger=save_tagger, review_column=review_column, image_column=image_column,
                          top_keywords=top_keywords, min_confidence=min_confidence, mapping=mapping, seed=seed,
                          chunk_size=chunk_size, progress=progress,
                          llm=_llm_extractor(engine, backend, model, base_url)))


DEFAULT_DB = "listingforge.db"


def run_tag(catalog: Path, output: Path | None = None, *, platforms: list[str] | None = None,
            learn: Path | None = None, db: Path | str | None = None, tagger: Path | None = None,
            save_tagger: Path | None = None, review_column: str | None = None, image_column: str | None = None,
            top_keywords: int = 5, min_confidence: float = 0.3, mapping: list[str] | None = None, seed: int = 0,
            llm: Any = None, chunk_size: int = 500, progress: bool = True) -> str:
    """The plain function behind the command. Returns a one-line summary."""
    from .. import batch

    output = output or catalog.with_name(catalog.stem + ".tags.jsonl")
    check_writable(output, save_tagger)
    with batch.output_lock(output):
        return _run_tag(catalog, output, platforms=platforms or ["generic"], learn=learn, db=db, tagger=tagger,
                        save_tagger=save_tagger, review_column=review_column, image_column=image_column,
                        top_keywords=top_keywords, min_confidence=min_confidence, mapping=mapping, seed=seed,
                        llm=llm, chunk_size=chunk_size, progress=progress)


def _run_tag(catalog: Path, output: Path, *, platforms: list[str], learn: Path | None, db: Path | str | None,
             tagger: Path | None, save_tagger: Path | None, review_column: str | None, image_column: str | None,
             top_keywords: int, min_confidence: float, mapping: list[str] | None, seed: int, llm: Any,
             chunk_size: int, progress: bool) -> str:
    from .. import batch
    from ..compliance import Checker
    from ..tagging import ProductTags, Tagger
    from ..tasks.tags import tag_products

    t0 = time.perf_counter()
    checkers = [Checker(p, grounding=False) for p in platforms]
    cat = load_catalog(catalog, mapping)
    frame = cat.frame
    reviews = _column(frame, review_column, _REVIEW_COLUMNS, "--review-column")
    images = _column(frame, image_column, _IMAGE_COLUMNS, "--image-column")
    if images is not None and image_column is None:
        from ..tagging.image import ocr_available

        if not ocr_available():  # found an image column by its name, but OCR is not installed: say so, go on
            console.print("[yellow]note:[/] image column found; install the vision extra "
                          "(rapidocr-onnxruntime) for OCR tags")
            images = None
    feedback, learned = _verdicts(learn, db, fitting=tagger is None or learn is not None)
    fitted = Tagger.load(tagger) if tagger is not None and learn is None else None
    if fitted is not None:
        fitted.llm = llm
    else:  # fit once on the whole catalog (deterministic, so a resumed run fits the same tagger)
        fitted = Tagger(top_keywords=top_keywords, min_confidence=min_confidence, seed=seed, llm=llm).fit(
            [p for p in cat.products if p is not None], feedback)
    if save_tagger is not None:
        fitted.save(save_tagger)

    def process(positions):  # noqa: ANN001, ANN202 - row numbers of one chunk
        prods = [cat.products[i] for i in positions]
        results, _ = tag_products(prods, tagger=fitted, checkers=checkers,
                                  reviews=[reviews[i] for i in positions] if reviews is not None else None,
                                  images=[images[i] for i in positions] if images is not None else None)
        return [{"tags": r.model_dump() if r is not None else None} for r in results]

    options = {"tagger": str(tagger), "feedback": [f.model_dump() for f in feedback], "review": review_column,
               "image": image_column, "top_keywords": top_keywords, "min_confidence": min_confidence,
               "mapping": mapping, "seed": seed, "platforms": platforms,
               "llm": getattr(getattr(llm, "backend", None), "model_id", None) if llm is not None else None,
               "output": output.suffix}
    run = batch.run_chunks(list(range(len(cat.products))), process, output,
                           fp=batch.fingerprint(catalog, options), chunk_size=chunk_size, progress=progress,
                           description="tags")
    results = [ProductTags.model_validate(r["tags"]) if r.get("tags") is not None else None for r in run.rows]
    n_tags = write_tags(results, cat.error_column(), output)
    batch.finish(output)
    for note in getattr(fitted, "notes_", []):
        console.print(f"[yellow]note:[/] {note}")
    dropped = sum(1 for r in results if r is not None for f in r.findings if f.rule != "input.suspicious")
    law = f", {dropped} tags dropped by the law checks (see 'findings')" if dropped else ""
    fb = f", learned {learned} verdicts ({len(feedback)} stored)" if learn is not None else ""
    resumed = f", {run.rows_resumed} resumed" if run.rows_resumed else ""
    return (f"wrote {output}: {n_tags} tags for {sum(r is not None for r in results)} products{law}{fb}{resumed} "
            f"in {time.perf_counter() - t0:.1f}s")


def _verdicts(learn: Path | None, db: Path | str | None, *, fitting: bool) -> tuple[list, int]:
    """(all stored verdicts, how many ``learn`` added). A database is written only with ``--learn``, and read
    only when one is named that exists: a plain ``tag`` run leaves no file behind."""
    from ..store import Store, database_url

    if learn is not None:
        items = read_feedback(learn)
        with Store(db or DEFAULT_DB) as store:
            learned = store.add_tag_feedback(items)
            return store.tag_feedback(), learned
    if db is None or not fitting:
        return [], 0
    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return [], 0  # nothing stored yet; reading must not create the file
    with Store(db) as store:
        return store.tag_feedback(), 0


def _llm_extractor(engine: str, backend: str | None, model: str | None, base_url: str | None) -> Any:
    if engine == "trained":
        return None
    if engine != "auto":
        raise ConfigError(f"--engine must be trained or auto, not {engine!r}")
    from ..generate.backends import make_backend
    from ..tagging.llm_extractor import LLMTagExtractor

    return LLMTagExtractor(make_backend(backend, model=model, base_url=base_url))


def read_feedback(path: Path) -> list:
    from ..catalog.files import read_raw
    from ..tasks.tags import feedback_from_records

    if not path.exists():
        raise ConfigError(f"feedback file {path} does not exist")
    return feedback_from_records(read_raw(path).frame.to_dict("records"), source=str(path))


def write_tags(results: list, errors: list[str], output: Path) -> int:
    """JSON lines (one object per product, the documented shape) or a flat table by the file's extension."""
    from ..catalog.output import atomic_path
    from ..tasks.tags import tag_rows

    n = 0
    if output.suffix.lower() in (".jsonl", ".json"):
        with atomic_path(output) as tmp, tmp.open("w", encoding="utf-8") as fh:
            for r, err in zip(results, errors, strict=True):
                if r is None:
                    fh.write(json.dumps({"id": None, "tags": [], "error": err}, ensure_ascii=False) + "\n")
                    continue
                n += len(r.tags)
                fh.write(json.dumps(r.to_record(), ensure_ascii=False) + "\n")
        return n
    import pandas as pd

    from ..catalog.write import write_table

    rows = []
    for r, err in zip(results, errors, strict=True):
        if r is None:
            rows.append({"id": None, "error": err})
            continue
        rows += tag_rows(r)
        n += len(r.tags)
    cols = ["id", "type", "value", "start", "end", "source", "confidence", "field"]
    write_table(pd.DataFrame(rows, columns=cols + (["error"] if any(errors) else [])), output)
    return n


def _column(frame, name: str | None, defaults: tuple[str, ...], option: str) -> list | None:  # noqa: ANN001
    if name is not None:
        if name not in frame.columns:
            raise ConfigError(f"{option} {name!r}: no such column; the catalog has: "
                              + ", ".join(map(str, frame.columns)))
        col = name
    else:
        col = next((c for c in frame.columns if str(c).strip().lower() in defaults), None)
        if col is None:
            return None
    return [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in frame[col].tolist()]
