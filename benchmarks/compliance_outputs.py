"""Titles written by the titles flow for products whose seller titles break the law: the outputs to read and to
put in a blind review packet (before/after a change to the law checks).

    PYTHONPATH=<src tree> .venv/bin/python benchmarks/compliance_outputs.py --select ids.txt   # write the ids
    PYTHONPATH=<src tree> .venv/bin/python benchmarks/compliance_outputs.py --ids ids.txt -o out.csv

The products are the fresh real titles (zh_title_ner_brand_product) and the OpenBG category sets, none of them
used to tune the titles flow. ``--select`` appends the ids of those whose title has a law finding under the
source tree on PYTHONPATH (run it with both trees to take the union). ``--facts`` writes the facts file for
/work/shared/review/make_packet.py, the seller's title among them (the reviewer must see what was rewritten).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from listingforge.compliance import Checker
from listingforge.engine import Engine
from listingforge.product import Product

FILES = ["zh_title_ner_brand_product.train.jsonl", "zh_title_ner_brand_product.dev.jsonl",
         "zh_openbg_category_coarse.jsonl", "zh_openbg_category_fine.jsonl"]
LAW = ("adlaw.", "cosmetics.", "food.", "unfair.", "consumer.")


def products(data: Path) -> list[Product]:
    out = []
    for name in FILES:
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            p = Product.model_validate(json.loads(line))
            if p.title:
                out.append(p)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    ap.add_argument("--select", type=Path, help="append the ids with a law finding to this file")
    ap.add_argument("--ids", type=Path, help="run the titles flow on these ids")
    ap.add_argument("--facts", type=Path, help="write the facts file (JSON lines) for make_packet.py")
    ap.add_argument("-o", "--output", type=Path)
    args = ap.parse_args()
    prods = products(args.data)
    if args.select:
        chk = Checker("taobao", grounding=False)
        ids = [p.id for p in prods
               if any(f.rule.startswith(LAW) for f in chk.check(p.title or "", p, grounding=False))]
        with open(args.select, "a", encoding="utf-8") as fh:
            fh.writelines(i + "\n" for i in ids)
        print(f"{len(ids)} ids appended to {args.select}")
        return
    wanted = set(args.ids.read_text(encoding="utf-8").split())
    chosen = [p for p in prods if p.id in wanted]
    if args.facts:
        with open(args.facts, "w", encoding="utf-8") as fh:
            for p in chosen:
                facts = {"id": p.id, "attributes": [["卖家原标题", p.title], *p.attributes],
                         "brand": p.brand, "category": p.category}
                fh.write(json.dumps(facts, ensure_ascii=False) + "\n")
    # the engine learns from the whole catalog the products come from, as a seller's run would
    engine = Engine(platform="taobao").fit(prods)
    results = [r for r in engine.titles(chosen) if r.task == "title"]
    with open(args.output, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "new_title", "findings_left"])
        by_id = {r.product_id: r for r in results}
        for p in chosen:
            r = by_id[p.id]
            left = "; ".join(f"{f.rule}: {f.text}" for f in (r.best.findings if r.best else []))
            w.writerow([p.id, p.title, r.text or "", left])
    print(f"{len(chosen)} titles -> {args.output}")


if __name__ == "__main__":
    main()
