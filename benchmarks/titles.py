"""Titles benchmark: compose on held-out products, against the sellers' real titles.

    .venv/bin/python benchmarks/titles.py [--data ../shared/data] [--limit N] [--workers 2] [--repeats 3] [--stages]

For each dataset (zh_openbg_titles, en_fashion_titles): a fixed split by id (md5(id) % 5 == 0 is test),
the composer fit on the train part, titles generated for the test products with their titles removed.
Reported: ROUGE-L (characters for zh, words for en), BLEU (sacrebleu zh / 13a), attribute coverage,
hallucination rate (grounding findings against the product's attributes), violation rate (rule errors),
length fit, and products/s for the whole flow read → generate → check → score → write (the CLI path),
wall clock and per CPU-second (the machine may be shared: CPU time is the steadier number); the 10,000-row
throughput run is repeated (--repeats, default 3) and the best run reported.
``--stages`` adds where the time goes: CPU microseconds per product for each step of the flow (one process,
the garbage collector settled as in a catalog run; 2,000 products in chunks of 50, each chunk's fastest of 4
passes) and for reading and writing the 10,000-row file. Steps timed apart (each over a chunk before the next
starts) do not add up exactly to the interleaved row, which is the real cost: the caches differ.
Baselines in the same run: the attribute values concatenated (fitted to the limit), and the sellers' own
titles checked by the same rules.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from listingforge.compliance import Checker, fit_length
from listingforge.evaluate.metrics import (
    attribute_coverage,
    bleu,
    hallucination_rate,
    length_fit,
    rouge,
    violation_rate,
)
from listingforge.generate.compose import ComposeGenerator
from listingforge.platforms import load_platform
from listingforge.product import Product
from listingforge.text.normalize import join_words

DATASETS = [("zh_openbg_titles.jsonl", "taobao", "zh"), ("en_fashion_titles.jsonl", "amazon", "en")]


def is_test(pid: str) -> bool:
    return int(hashlib.md5(pid.encode()).hexdigest(), 16) % 5 == 0


def catalog_rows(products: list[Product]) -> list[dict]:
    """The products as catalog rows without a title: id, category, brand, attributes as JSON."""
    return [{"id": p.id, "category": p.category or "", "brand": p.brand or "",
             "attributes": json.dumps(p.attributes, ensure_ascii=False)} for p in products]


def repeated(rows: list[dict], min_rows: int) -> tuple[list[dict], int]:
    """``rows`` repeated, ids suffixed ``#0``, ``#1``…, until there are at least ``min_rows``; and how many times."""
    k = max(1, -(-min_rows // len(rows)))
    return [{**r, "id": f"{r['id']}#{i}"} for i in range(k) for r in rows], k


def load(path: Path, limit: int | None) -> list[Product]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            out.append(Product(**json.loads(line)))
            if limit and len(out) >= limit:
                break
    return out


def evaluate(name: str, texts: list[str], refs: list[str], products: list[Product], checker: Checker,
             lang: str, seconds: float | None) -> dict:
    lim = checker.platform.title
    findings = [checker.check(t, p, max_units=lim.max) for t, p in zip(texts, products, strict=True)]
    return {
        "system": name,
        "n": len(texts),
        "ROUGE-L": rouge(texts, refs, lang, "L"),
        "BLEU": bleu(texts, refs, lang),
        "coverage": attribute_coverage(texts, products),
        "halluc": hallucination_rate(findings),
        "violations": violation_rate(findings),
        "len_fit": length_fit(texts, lim.max, lim.unit),
        "prod/s": (len(texts) / seconds) if seconds else None,
    }


def run_dataset(path: Path, platform: str, lang: str, limit: int | None, workers: int, repeats: int,
                stages: list[dict] | None = None) -> list[dict]:
    from listingforge.catalog import write_table
    from listingforge.cli.titles import run_titles

    products = load(path, limit)
    train = [p for p in products if not is_test(p.id)]
    test = [p for p in products if is_test(p.id)]
    refs = [p.title or "" for p in test]
    blank = [p.model_copy(update={"title": None}) for p in test]
    t0 = time.perf_counter()
    composer = ComposeGenerator().fit(train)
    fit_s = time.perf_counter() - t0
    plat = load_platform(platform)
    # the grounding source is the test product's facts only: its title was removed
    knowledge = composer.knowledge_
    checker = Checker(plat, lexicon=knowledge.lexicon_, segmenter=knowledge.segmenter_)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        composer.save(tmp / "composer")
        import pandas as pd

        rows = catalog_rows(blank)
        write_table(pd.DataFrame(rows), tmp / "test.csv")
        t1, c1 = time.perf_counter(), time.process_time()
        run_titles(tmp / "test.csv", tmp / "out.csv", platforms=[platform], composer=tmp / "composer",
                   progress=False, chunk_size=2000, workers=workers)
        flow_s, cpu_s = time.perf_counter() - t1, time.process_time() - c1
        out = pd.read_csv(tmp / "out.csv", dtype=str).fillna("")
        # throughput without the start-up cost (jieba, model load) dominating a small test set: the test
        # rows repeated until there are at least 10,000
        big_rows, k = repeated(rows, 10_000)
        big = pd.DataFrame(big_rows)
        write_table(big, tmp / "big.csv")
        big_s = big_cpu = float("inf")
        for _ in range(repeats):  # a shared VM's speed drifts run to run: the best of a few runs
            t2, c2 = time.perf_counter(), time.process_time()
            run_titles(tmp / "big.csv", tmp / "big_out.csv", platforms=[platform], composer=tmp / "composer",
                       progress=False, chunk_size=2000, workers=workers)
            big_s, big_cpu = min(big_s, time.perf_counter() - t2), min(big_cpu, time.process_time() - c2)
        if stages is not None:
            stages += stage_rows(composer, blank, platform, tmp / "big.csv", tmp / "stage_out.csv", path.name)
    texts = list(out["new_title"])

    concat = [fit_length(join_words([v for _, v in p.attributes]), plat.title.max, plat.title.unit,
                         knowledge.segmenter_) for p in blank]
    table = [
        {**evaluate("compose (listingforge)", texts, refs, blank, checker, lang, flow_s),
         "prod/cpu-s": len(texts) / cpu_s if workers == 1 else None},
        {"system": f"throughput: test rows ×{k} ({len(big):,})", "n": len(big), "prod/s": len(big) / big_s,
         "prod/cpu-s": len(big) / big_cpu if workers == 1 else None},
        evaluate("attribute values concatenated", concat, refs, blank, checker, lang, None),
        evaluate("sellers' titles (checked vs attributes)", refs, refs, blank, checker, lang, None),
    ]
    for row in table:
        row["dataset"] = path.name
    print(f"# {path.name}: train {len(train)}, test {len(test)}; composer fit {fit_s:.1f}s", file=sys.stderr)
    return table


def stage_rows(composer: ComposeGenerator, blank: list[Product], platform: str, big_csv: Path, out_csv: Path,
               dataset: str) -> list[dict]:
    """CPU µs per product for each step of the titles flow, then the file work around it."""
    import pandas as pd

    from listingforge.batch import settled_heap
    from listingforge.cli._common import load_catalog
    from listingforge.engine import Engine
    from listingforge.tasks.flow import check_candidates, select

    eng = Engine(platform=platform, composer=composer).prepare()
    task = next(iter(eng._build().values()))
    eng.titles(blank[:20])
    sample = blank[:2000]
    chunks = [range(i, min(i + 50, len(sample))) for i in range(0, len(sample), 50)]

    def cpu(one) -> tuple[float, list]:  # noqa: ANN001
        """µs per product: each chunk of 50 products timed in 4 passes and its fastest pass kept (a shared VM
        slows down for seconds at a time: per-chunk minima keep such spells out of the sum)."""
        best, out = [float("inf")] * len(chunks), [None] * len(sample)
        for _ in range(4):
            for k, chunk in enumerate(chunks):
                c = time.process_time()
                for i in chunk:
                    out[i] = one(i)
                best[k] = min(best[k], time.process_time() - c)
        return sum(best) * 1e6 / len(sample), out

    with settled_heap():  # as in a catalog run
        t_facts, facts = cpu(lambda i: task.knowledge.facts(sample[i]))
        t_el, _ = cpu(lambda i: composer.elements(facts[i], task.keywords_for(sample[i])[:10]))
        t_spec, specs = cpu(lambda i: task.spec_for(sample[i], facts[i]))
        t_gen, cands = cpu(lambda i: composer.generate("title", sample[i], task.n_candidates, specs[i]))
        t_chk, checked = cpu(lambda i: check_candidates(cands[i], sample[i], task.checker, specs[i]))
        t_sel, _ = cpu(lambda i: select(checked[i], sample[i], task.scorer, specs[i]))
        t_all, _ = cpu(lambda i: task.run(sample[i]))
    big = pd.read_csv(big_csv, dtype=str).fillna("")
    c = time.process_time()
    cat = load_catalog(big_csv, None)
    t_read = (time.process_time() - c) * 1e6 / len(big)
    from listingforge.catalog import write_table
    c = time.process_time()
    write_table(big.assign(new_title=big["id"], score="0", reasons="", findings=""), out_csv)
    t_write = (time.process_time() - c) * 1e6 / len(big)
    steps = [("the product's facts (knowledge)", t_facts), ("elements (what a title may say, with evidence)", t_el),
             ("compose candidates (minus elements)", t_gen - t_el), ("spec", t_spec),
             ("checks + safe fixes", t_chk), ("score + select", t_sel),
             ("all steps interleaved, product by product (the real total)", t_all),
             (f"read catalog ({len(cat.products):,} rows: csv, attribute json, products)", t_read),
             ("write output csv", t_write)]
    return [{"dataset": dataset, "stage": n, "us/product": v, "prod/cpu-s": 1e6 / v if v > 0 else None}
            for n, v in steps]


def print_table(rows: list[dict]) -> None:
    cols = ["dataset", "system", "n", "ROUGE-L", "BLEU", "coverage", "halluc", "violations", "len_fit", "prod/s",
            "prod/cpu-s"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            cells.append("–" if v is None else f"{v:,.0f}" if c.startswith("prod/")
                         else f"{v:.3f}" if isinstance(v, float) else str(v))
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--limit", type=int, default=None, help="read at most N products per dataset")
    ap.add_argument("--workers", type=int, default=1,
                    help="processes for the flow (1: also report products per CPU-second of this process)")
    ap.add_argument("--repeats", type=int, default=3, help="throughput runs; the best is reported")
    ap.add_argument("--stages", action="store_true", help="also print CPU time per step of the flow")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"shared data not found at {args.data}; pass --data")
    rows: list[dict] = []
    stages: list[dict] | None = [] if args.stages else None
    for file, platform, lang in DATASETS:
        rows += run_dataset(args.data / file, platform, lang, args.limit, args.workers, args.repeats, stages)
    print_table(rows)
    if stages:
        print()
        print("| dataset | stage | µs/product (CPU) | prod/cpu-s |")
        print("|---|---|---|---|")
        for r in stages:
            v = r["prod/cpu-s"]
            print(f"| {r['dataset']} | {r['stage']} | {r['us/product']:,.0f} | {'–' if v is None else f'{v:,.0f}'} |")


if __name__ == "__main__":
    main()
