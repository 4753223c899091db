"""Benchmark the brand finder (knowledge/brands.py) on the shared data; prints one table per part.

    .venv/bin/python benchmarks/brands.py [--data ../shared/data] [--tune] [--only ner amazon wish cosmetics]

- ner: zh_title_ner_brand_product, fit on .train (its brand spans are the catalog's brand knowledge), score
  the mentions found with role "own" on .dev, exact span match. The annotators tagged a product's own brand,
  not the device an accessory fits (适用苹果), and no brand in English-only titles: the finder learns the
  second habit from the spans it is fit on. ``--tune`` scores a held-out fifth of .train instead (the split
  the parameters were chosen on; .dev was scored once, at the end). Rows with and without the packaged list.
- amazon: en_amazon_india_products has no brand column. The finder is fit on all its titles (no labels) and
  ``product_brand`` is compared with 60 titles labelled by hand (benchmarks/data/brands/amazon_india_60.csv);
  "compatible" counts the labelled "compatible with <brand>" mentions found with role "compatible".
- wish: en_wish_products, mostly no brand: how many titles get one, and which.
- cosmetics: zh_taobao_cosmetics_sales, whose `brand` is the shop (a brand's flagship store): the brand
  column is dropped, the finder is fit on the titles alone, and the brand found in each title is compared
  with the shop's brand; "in title" is the share of titles that write the shop's brand at all (a ceiling).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import time
import zlib
from pathlib import Path

from listingforge.knowledge.brands import BrandFinder, split_forms
from listingforge.product import Product

HERE = Path(__file__).resolve().parent


def load(path: Path, **override: object) -> list[Product]:
    return [Product(**{**json.loads(line), **override}) for line in path.read_text("utf-8").splitlines()
            if line.strip()]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def per_title_us(finder: BrandFinder, titles: list[str]) -> float:
    """Best of 3 passes, each with the finder's per-text memo emptied (the first ask about a title)."""
    best = float("inf")
    for _ in range(3):
        finder._found.clear()
        t0 = time.perf_counter()
        for t in titles:
            finder.find(t)
        best = min(best, (time.perf_counter() - t0) / len(titles))
    return best * 1e6


def norm(s: str) -> str:
    return re.sub(r"[\s\-_.+·]", "", s.lower())


def ner(d: Path, tune: bool) -> None:
    train = load(d / "zh_title_ner_brand_product.train.jsonl")
    if tune:
        test = [p for p in train if zlib.crc32(p.id.encode()) % 5 == 0]
        train = [p for p in train if zlib.crc32(p.id.encode()) % 5 != 0]
        name = "zh_title_ner train 4/5 → 1/5 (tuning split)"
    else:
        test = load(d / "zh_title_ner_brand_product.dev.jsonl")
        name = "zh_title_ner train → dev"
    print(f"\n## Brand spans, exact match: {name}\n")
    print("| finder | gold | P | R | F1 | fit s | µs / title |")
    print("|---|---|---|---|---|---|---|")
    for label, kw in (("learned + packaged list", {}), ("learned, no packaged list", {"builtin": False}),
                      ("packaged list + rules only", {"learn": False})):
        t0 = time.perf_counter()
        finder = BrandFinder(**kw).fit(train)
        fit_s = time.perf_counter() - t0
        tp = fp = fn = 0
        for p in test:
            gold = {(s, e) for s, e, t in p.spans if t == "brand"}
            pred = {(m.start, m.end) for m in finder.find(p.title or "") if m.role == "own"}
            tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
        pr, rc, f1 = prf(tp, fp, fn)
        us = per_title_us(finder, [p.title or "" for p in test])
        print(f"| {label} | {tp + fn} | {pr:.3f} | {rc:.3f} | **{f1:.3f}** | {fit_s:.1f} | {us:.0f} |")
    print("\nToday's tagger (CRF, benchmarks/tags.py --only ner) on train → dev: brand F1 0.549 (P 0.681, R 0.460).")


def amazon(d: Path) -> None:
    products = load(d / "en_amazon_india_products.jsonl")
    by_id = {p.id: p for p in products}
    rows = [r for r in csv.DictReader(line for line in (HERE / "data" / "brands" / "amazon_india_60.csv")
                                      .read_text("utf-8").splitlines() if not line.startswith("#"))]
    print("\n## Own brand of English titles with no brand column: en_amazon_india_products, 60 labelled\n")
    print("| finder | labelled brands | P | R | F1 | compatible found / labelled | compatible wrongly marked |")
    print("|---|---|---|---|---|---|---|")
    for label, kw in (("packaged list + titles", {}), ("titles only (no packaged list)", {"builtin": False})):
        finder = BrandFinder(**kw).fit(products)
        tp = fp = fn = c_found = c_gold = c_wrong = 0
        misses = []
        for r in rows:
            p = by_id[r["id"]]
            gold = [norm(g) for g in r["brand"].split("|") if g]
            got = finder.product_brand(p)
            ok = norm(got) in gold if got is not None else not gold
            tp += ok
            fp += got is not None and not ok
            fn += bool(gold) and not ok
            if not ok:  # a wrong brand counts once as a false positive and once as a miss
                misses.append(f"{r['brand'] or '—'} → {got or '—'}")
            compat = {norm(m.text) for m in finder.find(p.title or "") if m.role == "compatible"}
            want = {norm(c) for c in r["compatible"].split(";") if c}
            c_gold += len(want)
            c_found += len(want & compat)
            c_wrong += len(compat - want)
        pr, rc, f1 = prf(tp, fp, fn)
        print(f"| {label} | {sum(bool(r['brand']) for r in rows)} | {pr:.3f} | {rc:.3f} | **{f1:.3f}** | "
              f"{c_found} / {c_gold} | {c_wrong} |")
        print(f"\n  misses ({label}): {'; '.join(misses) or 'none'}\n")
    us = per_title_us(finder, [p.title or "" for p in products])
    print(f"find on Amazon titles: {us:.0f} µs / title")


def wish(d: Path) -> None:
    products = load(d / "en_wish_products.jsonl")
    finder = BrandFinder().fit(products)
    found = [(p.title, b) for p in products if (b := finder.product_brand(p))]
    print("\n## en_wish_products (mostly no brand)\n")
    print(f"titles with a brand found: {len(found)} of {len(products)}")
    for title, b in found[:15]:
        print(f"  - {b!r}: {title[:90]}")


def cosmetics(d: Path) -> None:
    raw = load(d / "zh_taobao_cosmetics_sales.jsonl")
    shops = {p.id: p.brand or "" for p in raw}
    products = [p.model_copy(update={"brand": None}) for p in raw]
    in_title = sum(norm(shops[p.id]) in norm(p.title or "") for p in products)
    print("\n## zh_taobao_cosmetics_sales: the product brand found in the title vs the shop's brand\n")
    print(f"titles: {len(products)}; the shop's brand written in the title: {in_title / len(products):.3f}\n")
    print("| finder | same as the shop's | another brand | none found |")
    print("|---|---|---|---|")
    for label, kw in (("packaged list + titles", {}), ("titles only (no packaged list)", {"builtin": False})):
        finder = BrandFinder(**kw).fit(products)
        same = other = none = 0
        others = []
        for p in products:
            got = finder.product_brand(p)
            if got is None:
                none += 1
            elif any(norm(shops[p.id]) == norm(f) or norm(shops[p.id]) in norm(f) for f in split_forms(got)):
                same += 1
            else:
                other += 1
                others.append(f"{shops[p.id]} → {got}")
        n = len(products)
        print(f"| {label} | {same / n:.3f} | {other / n:.3f} | {none / n:.3f} |")
        print(f"\n  other brands found ({label}), first 12: {'; '.join(others[:12])}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE.parents[0].parent / "shared" / "data")
    ap.add_argument("--tune", action="store_true", help="ner: score the held-out fifth of train, not dev")
    ap.add_argument("--only", nargs="+", choices=["ner", "amazon", "wish", "cosmetics"])
    args = ap.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"no shared data at {args.data}: pass --data")
    parts = set(args.only or ["ner", "amazon", "wish", "cosmetics"])
    if "ner" in parts:
        ner(args.data, args.tune)
    if "amazon" in parts:
        amazon(args.data)
    if "wish" in parts:
        wish(args.data)
    if "cosmetics" in parts:
        cosmetics(args.data)


if __name__ == "__main__":
    main()
