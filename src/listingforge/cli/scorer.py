"""`listingforge scorer train` and `listingforge score`: learn what sells from a history file, score a catalog.

Each command parses options and calls a plain function here (``train_from_file``, ``score_file``) that the
service can call too; the library work is in ``listingforge.score``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import CatalogError
from ..product import Product, Score
from ._common import MapOption, SeedOption, check_writable

scorer_app = typer.Typer(help="Train a model of what sells on your own history (clicks, CTR, sales, ratings).",
                         no_args_is_help=True)


def _read(path: Path, mapping: dict[str, str] | None) -> Any:
    from ..catalog import read_catalog

    return read_catalog(path, mapping=mapping) if mapping else read_catalog(path)


def _mapping(items: list[str] | None) -> dict[str, str] | None:
    """``--map "title=商品名称,price=售价"`` (repeatable) → {field: source column}, as every command reads it."""
    from ._common import parse_map

    return parse_map(items)


def train_from_file(
    history: Path, out: Path, *, target: str = "auto", objective: str = "regression",
    mapping: dict[str, str] | None = None, cv_folds: int = 5, use_embeddings: bool = False, seed: int = 0,
) -> Any:
    """Read a history file, fit a ``LearnedScorer`` and save it (model + card) to ``out``; returns the scorer."""
    from ..score.learned import LearnedScorer

    catalog = _read(history, mapping)
    products = [p for p in catalog.products if p is not None]
    if not products:
        raise CatalogError("no readable product rows", file=str(history))
    scorer = LearnedScorer(target=target, objective=objective, cv_folds=cv_folds, use_embeddings=use_embeddings,
                           seed=seed).fit(products)
    scorer.save(out)
    return scorer


def score_file(catalog_path: Path, scorer_dir: Path, out: Path | None = None, *,
               mapping: dict[str, str] | None = None, reasons: int = 5) -> Any:
    """Score each row's current title; returns the input table with ``score`` and ``reasons`` added."""
    from ..score import load_scorer

    scorer = load_scorer(scorer_dir)
    catalog = _read(catalog_path, mapping)
    frame = catalog.frame.copy()
    rows = [(i, p) for i, p in enumerate(catalog.products) if isinstance(p, Product) and (p.title or "").strip()]
    scores: list[Score] = scorer.score_products([p for _, p in rows]) if rows else []
    col_score: list[float | None] = [None] * len(frame)
    col_reasons = [""] * len(frame)
    for (i, _), s in zip(rows, scores, strict=True):
        col_score[i] = s.value
        col_reasons[i] = s.explain(limit=reasons)
    frame["score"] = col_score
    frame["reasons"] = col_reasons
    if out is not None:
        from ..catalog import write_table

        write_table(frame, out)
    return frame


@scorer_app.command("train")
def train_cmd(
    history: Annotated[Path, typer.Argument(help="history file: CSV/XLSX/JSONL/Parquet with titles and outcomes")],
    out: Annotated[Path, typer.Option("--output", "-o", help="Folder to save the scorer and its model card in.")],
    target: Annotated[str, typer.Option(help="What sells: auto | ctr | conversion | sales | units | "
                                             "rating_count.")] = "auto",
    objective: Annotated[str, typer.Option(help="regression | lambdarank (ranks within category).")] = "regression",
    folds: Annotated[int, typer.Option(help="Cross-validation folds (0 = none).")] = 5,
    embed: Annotated[bool, typer.Option(help="Add sentence embeddings (needs the embed extra; slower).")] = False,
    map_: list[str] | None = MapOption,
    seed: int = SeedOption,
) -> None:
    """Train a scorer: `listingforge scorer train history.csv --target sales -o scorer/`."""
    check_writable(out / "MODEL_CARD.md")
    scorer = train_from_file(history, out, target=target, objective=objective, mapping=_mapping(map_),
                             cv_folds=folds, use_embeddings=embed, seed=seed)
    card = scorer.card_
    typer.echo(f"trained on {card.rows_used} of {card.rows_total} rows, target {card.target} ({card.target_source})")
    for k, v in card.metrics.items():
        typer.echo(f"  cross-validated {k}: {v:.3f}")
    typer.echo(f"saved to {out}/ (model card: {out}/MODEL_CARD.md)")


def score_cmd(
    catalog: Annotated[Path, typer.Argument(help="catalog file whose titles to score")],
    scorer: Annotated[Path, typer.Option("--scorer", help="directory saved by `listingforge scorer train`")],
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Output file (.csv/.xlsx/.jsonl/.parquet); "
                                                                    "without it, JSON lines on the screen.")] = None,
    reasons: Annotated[int, typer.Option(help="How many reasons to keep per row.")] = 5,
    map_: list[str] | None = MapOption,
) -> None:
    """Score existing titles: adds `score` (0–100) and `reasons`, keeping every input column."""
    check_writable(out)
    frame = score_file(catalog, scorer, out, mapping=_mapping(map_), reasons=reasons)
    if out is None:
        typer.echo(frame[["score", "reasons"]].to_json(orient="records", lines=True, force_ascii=False))
    else:
        scored = frame["score"].notna().sum()
        typer.echo(f"scored {scored} of {len(frame)} rows → {out}")


def card_cmd(scorer: Annotated[Path, typer.Argument(help="Scorer folder (saved by `scorer train`).")]) -> None:
    """Print a saved scorer's model card."""
    from ..score import load_scorer

    s = load_scorer(scorer)
    typer.echo(json.dumps(s.card_.model_dump() if s.card_ else {}, ensure_ascii=False, indent=1))


def register(app: typer.Typer) -> None:
    scorer_app.command("card")(card_cmd)
    app.add_typer(scorer_app, name="scorer")
    app.command("score")(score_cmd)
