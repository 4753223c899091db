"""Benchmark the learned scorer against simple baselines on real sales data, on one fixed split.

    .venv/bin/python benchmarks/scorer.py [--data ../shared/data] [--folds 5] [--embed]

Held-out = titles whose normalized-title hash falls in fold 0 of 5 (duplicates never straddle the split).
Baselines are LightGBM on one feature group, measured in the same run: price only; title length only;
title text only (TF-IDF word + character n-grams → SVD); and all title features without price.
Prints Spearman (held-out), Spearman and NDCG@10 within category, training time and scoring speed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from listingforge.product import Product
from listingforge.score.learned import LearnedScorer, title_fold
from listingforge.score.metrics import ndcg_within, spearman, spearman_within
from listingforge.score.targets import make_target

DATASETS = (("zh_taobao_cosmetics_sales.jsonl", "sales", "sale_count"), ("en_wish_products.jsonl", "units", "units_sold"))
TITLE_GROUPS = ("length", "repeats", "brand", "product_word", "attributes", "terms", "findings", "specs", "script",
                "caps", "symbols", "spaces", "wording")
MODELS: tuple[tuple[str, dict], ...] = (
    ("price only", {"feature_groups": ["price"]}),
    ("title length only", {"feature_groups": ["length"]}),
    ("title text only (n-grams)", {"feature_groups": ["wording"]}),
    ("title only (all title features)", {"feature_groups": list(TITLE_GROUPS)}),
    ("model (regression)", {}),
    ("model (lambdarank)", {"objective": "lambdarank"}),
)
BASELINES = MODELS[:3]


def load(path: Path) -> list[Product]:
    with path.open(encoding="utf-8") as fh:
        return [Product(**json.loads(line)) for line in fh if line.strip()]


def run_dataset(path: Path, target: str, folds: int, models: tuple[tuple[str, dict], ...] = MODELS) -> list[dict]:
    products = load(path)
    y = make_target(products, target).values
    rows = [p for p, v in zip(products, y, strict=True) if not np.isnan(v) and (p.title or "").strip()]
    yy = make_target(rows, target).values
    test = np.array([title_fold(p.title or "", folds) == 0 for p in rows])
    train_rows = [p for p, t in zip(rows, test, strict=True) if not t]
    test_rows = [p for p, t in zip(rows, test, strict=True) if t]
    cats = [p.category or "" for p in test_rows]
    out = []
    for label, params in models:
        start = time.perf_counter()
        model = LearnedScorer(target=target, cv_folds=0, **params).fit(train_rows)
        fit_s = time.perf_counter() - start
        pred = model.predict(test_rows)
        row = {
            "data": path.stem, "n_train": len(train_rows), "n_test": len(test_rows), "model": label,
            "spearman": spearman(yy[test], pred), "spearman_cat": spearman_within(yy[test], pred, cats),
            "ndcg10_cat": ndcg_within(yy[test], pred, cats), "fit_s": fit_s,
        }
        if label == "model (regression)":
            many = (test_rows * (2000 // max(len(test_rows), 1) + 1))[:2000]
            start = time.perf_counter()
            model.score_products(many)  # with reasons, as the CLI does
            row["titles_per_s"] = len(many) / (time.perf_counter() - start)
        out.append(row)
        print(f"  {path.stem}: {label} done in {fit_s:.1f} s", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--embed", action="store_true", help="also run the model with sentence embeddings (slow)")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"shared data not found at {args.data}: pass --data DIR")
    rows = []
    for name, target, metric in DATASETS:
        path = args.data / name
        if not path.is_file():
            print(f"skip {name}: not found in {args.data}", file=sys.stderr)
            continue
        print(f"{name} (target {target} = log1p {metric}) …", file=sys.stderr)
        models = MODELS + ((("model + embeddings", {"use_embeddings": True}),) if args.embed else ())
        rows += run_dataset(path, target, args.folds, models)

    print("\n| data | model | n train/test | Spearman | Spearman in cat. | NDCG@10 in cat. | fit s | titles/s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        tps = f"{r['titles_per_s']:.0f}" if "titles_per_s" in r else ""
        print(f"| {r['data']} | {r['model']} | {r['n_train']}/{r['n_test']} | {r['spearman']:+.3f} | "
              f"{r['spearman_cat']:+.3f} | {r['ndcg10_cat']:.3f} | {r['fit_s']:.1f} | {tps} |")
    print()
    for data in dict.fromkeys(r["data"] for r in rows):
        mine = [r for r in rows if r["data"] == data]
        base = max((r for r in mine if r["model"] in {m for m, _ in BASELINES}), key=lambda r: r["spearman"])
        model = next(r for r in mine if r["model"] == "model (regression)")
        text = next(r for r in mine if r["model"].startswith("title text only"))
        print(f"{data}: model − best baseline ({base['model']}) = {model['spearman'] - base['spearman']:+.3f} "
              f"Spearman; title text alone {text['spearman']:+.3f} "
              f"({'real signal' if text['spearman'] >= 0.1 else 'weak signal'})")


if __name__ == "__main__":
    main()
