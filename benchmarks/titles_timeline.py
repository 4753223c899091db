"""Where the wall clock of one catalog run goes: the serial parts around the workers, and the workers' CPU.

    .venv/bin/python benchmarks/titles_timeline.py [--data ../shared/data] [--dataset zh_openbg_titles.jsonl]
                                                   [--rows 10000] [--workers 2] [--repeats 3]

The same run as the throughput row of ``benchmarks/titles.py`` (composer fit on the train split and saved; the
test rows, titles removed, repeated to ``--rows``; ``listingforge titles`` with ``--composer``), timed phase by
phase: reading the catalog, loading the composer, preparing the engine (jieba, automaton, patterns), the workers,
writing the output. The workers' CPU per product comes from the children's resource usage. Best run of
``--repeats`` (by total wall clock) is printed.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from titles import DATASETS, catalog_rows, is_test, load, repeated  # noqa: E402

import listingforge.batch as batch  # noqa: E402
import listingforge.catalog as catalog  # noqa: E402
import listingforge.cli.titles as titles_cli  # noqa: E402
from listingforge.engine import Engine  # noqa: E402
from listingforge.generate.compose import ComposeGenerator  # noqa: E402

PHASES = [(titles_cli, "load_catalog", "read catalog (csv, attribute JSON, products)"),
          (ComposeGenerator, "load", "load the saved composer"),
          (Engine, "prepare", "prepare (jieba dictionary, automaton, patterns)"),
          (batch, "run_chunks", "workers (the flow, chunk by chunk)"),
          (catalog, "write_table", "write the output")]


def timed(spent: dict[str, float]) -> None:
    """Wrap each phase's function so its wall clock adds up in ``spent``."""
    for owner, name, label in PHASES:
        fn = getattr(owner, name)

        def wrapper(*a, _fn=fn, _label=label, **k):  # noqa: ANN002, ANN003, ANN202
            t = time.perf_counter()
            try:
                return _fn(*a, **k)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - t

        setattr(owner, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--dataset", default=DATASETS[0][0], choices=[d[0] for d in DATASETS])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    path = args.data / args.dataset
    if not path.exists():
        sys.exit(f"{path} not found: the benchmark needs ../shared/data (see its DATA.md)")
    platform = next(p for f, p, _ in DATASETS if f == args.dataset)
    products = load(path, None)
    test = [p for p in products if is_test(p.id)]
    spent: dict[str, float] = {}
    timed(spent)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ComposeGenerator().fit([p for p in products if not is_test(p.id)]).save(tmp / "composer")
        import pandas as pd

        big = pd.DataFrame(repeated(catalog_rows(test), args.rows)[0])
        catalog.write_table(big, tmp / "big.csv")
        best = None
        for _ in range(args.repeats):
            spent.clear()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            titles_cli.run_titles(tmp / "big.csv", tmp / "out.csv", platforms=[platform],
                                  composer=tmp / "composer", progress=False, chunk_size=2000, workers=args.workers)
            total = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            child = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1e6 / len(big)
            if best is None or total < best[0]:
                best = (total, dict(spent), child)
    total, phases, child = best
    print(f"# {args.dataset}: {len(big):,} rows, {args.workers} workers, best of {args.repeats} runs")
    print("| phase | seconds | share |")
    print("|---|---|---|")
    for _, _, label in PHASES:
        if label in phases:
            print(f"| {label} | {phases[label]:.2f} | {phases[label] / total:.0%} |")
    other = total - sum(phases.values())
    print(f"| other (engine set-up, joining the columns) | {other:.2f} | {other / total:.0%} |")
    print(f"| **total** | **{total:.2f}** | {len(big) / total:,.0f} prod/s |")
    if args.workers > 1:
        print(f"\nworkers' CPU per product: {child:,.0f} µs (children's user + system time / rows)")


if __name__ == "__main__":
    main()
