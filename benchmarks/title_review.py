"""Titles as a seller judges them: what changed, why, and what harm an automatic reader can see.

    .venv/bin/python benchmarks/title_review.py [--data ../shared/data] [--out out/title_review] [--review 50]
        [--fold K] [--only generate]

Sets (real data in ../shared/data, nothing tuned on the review samples):
- generate: zh_openbg_titles, split as benchmarks/titles.py (md5(id) % 5 == 0 is test); the catalog knowledge is
  fit on the train part and titles are written for the test products with their titles removed. ``--fold K``
  writes them for the fifth md5(id) % 5 == K instead, fit on the other four: a fresh fold for a blind review
  after the test fold has been read. OpenBG's products carry no category, which every seller's own export has:
  ``--with-category`` gives the 497 products whose title zh_openbg_category_{coarse,fine}.jsonl labels with a
  Taobao leaf category ("消费电子 > 麦克风/话筒") that category, in training and test alike, and adds a row for the
  fold's products that have one;
- optimize: zh_taobao_cosmetics_sales (Taobao), en_amazon_india_products and en_wish_products (Amazon): each file is
  the seller's own catalog, fit on itself, every title optimized.
Per set: how many titles changed, the edits by kind and reason, and the harm detectors of evaluate/harm.py
(category pasted, brand lost, a word added with no evidence, a fragment left by a fix, a contradiction with a
typed fact, a product word naming another product: for generate, one that neither the product's data nor the
seller's hidden title has); for generate also ROUGE-L and BLEU against the sellers'
titles (characters / sacrebleu zh). Targets (issue 15): harm ≤ 1% per optimize set, 0 contradictions, 0 wrong
product words in generate, ROUGE-L (zh generate) ≥ 0.30.

``--out`` keeps every set's outputs (original, new, changes, reasons, findings) for reading, and ``--review N``
writes N products per set for a blind review, drawn with a fixed seed from products outside the first 400 rows
(the rows read while building), as ``review_<set>.jsonl`` (id, facts, original, ours).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

from listingforge import Engine, Product
from listingforge.evaluate.harm import (
    brand_lost,
    category_pasted,
    contradictions,
    fragments,
    unevidenced_words,
    wrong_product_words,
)
from listingforge.evaluate.metrics import bleu, rouge
from listingforge.knowledge.types import load_types

OPTIMIZE = [("zh_taobao_cosmetics_sales.jsonl", "taobao"), ("en_amazon_india_products.jsonl", "amazon"),
            ("en_wish_products.jsonl", "amazon")]
LOOKED_AT = 400  # rows read while building: never drawn for a review


def is_test(pid: str, fold: int = 0) -> bool:
    return int(hashlib.md5(pid.encode()).hexdigest(), 16) % 5 == fold


def load(path: Path) -> list[Product]:
    with open(path, encoding="utf-8") as f:
        return [Product(**json.loads(line)) for line in f]


def with_categories(prods: list[Product], data: Path) -> list[Product]:
    """The products, each with the category the OpenBG category sets give its title (most have none)."""
    by_title = {}
    for part in ("coarse", "fine"):
        for p in load(data / f"zh_openbg_category_{part}.jsonl"):
            by_title[p.title] = p.category
    return [p.model_copy(update={"category": by_title[p.title]}) if p.title in by_title else p for p in prods]


def facts_of(p: Product) -> dict:
    out = {"brand": p.brand, "category": p.category, "attributes": p.attributes, "price": p.price}
    if p.description:
        out["description"] = p.description[:600]
    return {k: v for k, v in out.items() if v}


def run_set(name: str, platform: str, products: list[Product], fit_on: list[Product], originals: dict[str, str],
            references: dict[str, str] | None = None) -> tuple[dict, list[dict]]:
    """``references``: generate's hidden seller titles. A product word the seller calls their own product is not a
    wrong one, though the product's data does not hold it (compose may infer it from the catalog: what the titles
    of products with the same attribute names say); "word without evidence" still counts it."""
    eng = Engine(platform).fit(fit_on)
    t0 = time.perf_counter()
    results = [r for r in eng.titles(products) if r.task == "title"]
    secs = time.perf_counter() - t0
    seg = eng.checker(platform).segmenter
    rows, edits, reasons, harm = [], Counter(), Counter(), Counter()
    by_id = {p.id: p for p in products}
    for r in results:
        p = by_id[r.product_id]
        original = originals.get(p.id, "")
        new = r.text or ""
        found = {
            "category pasted": category_pasted(original, new, p),
            "brand lost": brand_lost(original, new, p) if original else None,
            # a generated title may use the packaged claim-free words (新款, 百搭); a rewrite adds none
            "word without evidence": unevidenced_words(original, new, p, seg,
                                                       allow=() if original else load_types().claim_free),
            "fragment": fragments(original, new, seg) if original else [],
            "contradiction": contradictions(new, p),
            "wrong product word": [] if original else wrong_product_words(new, p, (references or {}).get(p.id, "")),
        }
        for k, v in found.items():
            if v:
                harm[k] += 1
        if any(found.values()):
            harm["any"] += 1
        if r.best is not None:
            for e in r.best.candidate.edits:
                edits[e.kind] += 1
                reasons[f"{e.kind}: {e.reason}"] += 1
        changed = bool(original) and " ".join(new.split()) != " ".join(original.split())  # spacing is no change
        rows.append({"id": p.id, "original": original, "new": new, "changed": changed,
                     "changes": r.changes, "decision": r.best.candidate.meta.get("decision", "") if r.best else "",
                     "findings": "; ".join(f.short() for f in (r.best.findings if r.best else [])),
                     "harm": {k: v for k, v in found.items() if v}, "facts": facts_of(p)})
    n = len(rows)
    summary = {"set": name, "n": n, "changed": sum(r["changed"] for r in rows) / n if originals else None,
               "harm": {k: harm[k] / n for k in sorted(harm)}, "harm_counts": dict(harm), "edits": dict(edits),
               "reasons": reasons.most_common(8), "s/title": secs / max(n, 1)}
    return summary, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=Path("out/title_review"))
    ap.add_argument("--review", type=int, default=0, help="write N products per set for a blind review")
    ap.add_argument("--limit", type=int, default=None, help="at most N products per set (quick runs)")
    ap.add_argument("--fold", type=int, default=0, choices=range(5), help="generate: the md5 fifth written (0 = test)")
    ap.add_argument("--only", choices=["generate", "optimize"], help="run one kind of set")
    ap.add_argument("--with-category", action="store_true",
                    help="generate: give products the category the OpenBG category sets hold for them")
    args = ap.parse_args()
    if not args.data.exists():
        sys.exit(f"no data at {args.data}: this benchmark needs ../shared/data (see DATA.md)")
    args.out.mkdir(parents=True, exist_ok=True)
    summaries, all_rows = [], {}

    if args.only != "optimize":
        prods = load(args.data / "zh_openbg_titles.jsonl")[: args.limit]
        if args.with_category:
            prods = with_categories(prods, args.data)
        train = [p for p in prods if not is_test(p.id, args.fold)]
        test = [p for p in prods if is_test(p.id, args.fold)]
        blank = [p.model_copy(update={"title": None}) for p in test]
        fold = "test" if args.fold == 0 else f"fold {args.fold}"
        refs = [p.title or "" for p in test]
        s, rows = run_set(f"generate: zh_openbg_titles ({fold})", "taobao", blank, train, {},
                          references={p.id: r for p, r in zip(test, refs, strict=True)})
        s["ROUGE-L"] = rouge([r["new"] for r in rows], refs, "zh", "L")
        s["BLEU"] = bleu([r["new"] for r in rows], refs, "zh")
        for r, ref in zip(rows, refs, strict=True):
            r["seller_title"] = ref
        summaries.append(s)
        all_rows["generate_openbg"] = rows
        if args.with_category:  # the same titles, counted on the products that have a category
            named = [(r, ref) for r, ref, p in zip(rows, refs, test, strict=True) if p.category]
            sub = {**s, "set": f"generate: … with a category ({fold})", "n": len(named)}
            harm = Counter(k for r, _ref in named for k in r["harm"])
            harm["any"] = sum(bool(r["harm"]) for r, _ref in named)
            sub["harm_counts"] = dict(harm)
            sub["harm"] = {k: v / max(1, len(named)) for k, v in harm.items()}
            sub["ROUGE-L"] = rouge([r["new"] for r, _ in named], [ref for _, ref in named], "zh", "L")
            sub["BLEU"] = bleu([r["new"] for r, _ in named], [ref for _, ref in named], "zh")
            summaries.append(sub)

    for fname, platform in OPTIMIZE if args.only != "generate" else ():
        prods = load(args.data / fname)[: args.limit]
        s, rows = run_set(f"optimize: {fname}", platform, prods, prods, {p.id: p.title or "" for p in prods})
        summaries.append(s)
        all_rows["optimize_" + fname.split("_", 1)[1].rsplit(".", 1)[0]] = rows

    for key, rows in all_rows.items():
        with open(args.out / f"{key}.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        if args.review:
            pool = [r for i, r in enumerate(rows) if i >= LOOKED_AT or key.startswith("generate")]
            sample = random.Random(15).sample(pool, min(args.review, len(pool)))
            with open(args.out / f"review_{key}.jsonl", "w", encoding="utf-8") as f:
                for r in sample:
                    f.write(json.dumps({"id": r["id"], "facts": r["facts"],
                                        "original": r.get("seller_title") or r["original"], "ours": r["new"]},
                                       ensure_ascii=False) + "\n")

    print("| set | n | changed | any harm | category pasted | brand lost | word w/o evidence | fragment | "
          "contradiction | wrong product word | ROUGE-L | BLEU | s/title |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for s in summaries:
        h, c = s["harm"], s["harm_counts"]
        cells = [f"{c.get(k, 0)} ({h.get(k, 0):.1%})" for k in ("any", "category pasted", "brand lost",
                                                               "word without evidence", "fragment", "contradiction",
                                                               "wrong product word")]
        changed = "" if s["changed"] is None else f"{s['changed']:.1%}"
        rouge_l = f"{s['ROUGE-L']:.3f}" if "ROUGE-L" in s else ""
        bleu_ = f"{s['BLEU']:.2f}" if "BLEU" in s else ""
        print(f"| {s['set']} | {s['n']} | {changed} | " + " | ".join(cells)
              + f" | {rouge_l} | {bleu_} | {s['s/title'] * 1000:.1f} ms |")
    print()
    for s in summaries:
        print(f"{s['set']}: edits {s['edits']}; top reasons: " + "; ".join(f"{k} ×{v}" for k, v in s["reasons"]))


if __name__ == "__main__":
    main()
