"""What compiling the titles hot path buys: the hot modules compiled to C by mypyc, against plain Python.

    .venv/bin/pip install mypy        # mypyc comes with mypy; it needs gcc and the Python headers
    .venv/bin/python benchmarks/compiled_core.py [--data ../shared/data] [--rounds 2] [--rows 10000]

Copies ``src/`` to a temporary folder and compiles ``MODULES`` there with mypyc (imports skipped: every other
module stays Python), then runs plain and compiled in turn, each in a fresh process (this VM's speed drifts, so
the two alternate ``--rounds`` times and each keeps its best):

- the same output: every Result of the held-out OpenBG products (titles removed), as JSON, both ways;
- CPU microseconds per product of the per-product flow (``Engine.titles`` on chunks of 50, each chunk's fastest
  of 3 passes, the garbage collector settled as in a catalog run);
- products/s end to end on ``--rows`` rows with 2 workers (``listingforge titles`` with a saved composer:
  read → generate → check → score → write), the throughput row of ``benchmarks/titles.py``.

It measures how far a compiled core goes towards issue 4's 5,000 products/s on 2 cores; nothing here is used
by the package itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from titles import DATASETS, catalog_rows, is_test, load, repeated  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# the modules the flow spends its time in (``benchmarks/titles.py --stages``); all type-check with imports skipped
MODULES = ["generate/compose.py", "compliance/grounding.py", "compliance/__init__.py", "compliance/terms.py",
           "compliance/platform_rules.py", "compliance/fixes.py", "score/rules.py", "tasks/flow.py",
           "tasks/titles.py", "tasks/columns.py", "text/length.py", "text/normalize.py", "text/find.py"]
PLATFORM = DATASETS[0][1]


def compile_copy(dest: Path) -> float:
    """``src/`` copied to ``dest`` with MODULES compiled in place; returns the build's seconds."""
    shutil.copytree(ROOT / "src", dest, ignore=shutil.ignore_patterns("__pycache__", "*.so", "build"))
    mypyc = Path(sys.executable).with_name("mypyc")
    if not mypyc.exists():
        sys.exit("mypyc not found next to this Python: pip install mypy")
    t = time.perf_counter()
    done = subprocess.run([str(mypyc), "--follow-imports=skip", "--ignore-missing-imports",
                           *(f"listingforge/{m}" for m in MODULES)], cwd=dest, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"mypyc failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - t


def measure(work: Path, rows: int) -> dict:
    """Run in a child process whose PYTHONPATH picks plain or compiled code; prints one JSON line."""
    import listingforge.generate.compose as compose_mod
    from listingforge import batch
    from listingforge.cli.titles import run_titles
    from listingforge.engine import Engine
    from listingforge.generate.compose import ComposeGenerator

    blank = [p.model_copy(update={"title": None}) for p in load(work / "test.jsonl", None)]
    eng = Engine(platform=PLATFORM, composer=ComposeGenerator.load(work / "composer")).prepare()
    chunks = [blank[i:i + 50] for i in range(0, len(blank), 50)]
    best = [float("inf")] * len(chunks)
    out: list = [None] * len(chunks)
    with batch.settled_heap():
        for _ in range(3):
            for k, chunk in enumerate(chunks):
                t = time.process_time()
                out[k] = eng.titles(chunk)
                best[k] = min(best[k], time.process_time() - t)
    with open(work / f"results_{os.getpid()}.jsonl", "w", encoding="utf-8") as f:
        for res in out:
            for r in res:
                f.write(json.dumps(r.model_dump(mode="json"), ensure_ascii=False, sort_keys=True) + "\n")
    t = time.perf_counter()
    run_titles(work / "big.csv", work / f"out_{os.getpid()}.csv", platforms=[PLATFORM], composer=work / "composer",
               progress=False, chunk_size=2000, workers=2)
    wall = time.perf_counter() - t
    return {"compiled": compose_mod.__file__.endswith(".so"), "flow_us": sum(best) * 1e6 / len(blank),
            "prod_s": rows / wall, "results": str(work / f"results_{os.getpid()}.jsonl")}


def prepare_inputs(data: Path, work: Path, rows: int) -> int:
    """Composer fit on the train split and saved; the test products as JSONL; the test rows repeated to at
    least ``rows`` as a CSV (the same 10,140 OpenBG rows as the other benchmarks); returns their number."""
    import pandas as pd

    from listingforge.catalog import write_table
    from listingforge.generate.compose import ComposeGenerator

    products = load(data / DATASETS[0][0], None)
    test = [p for p in products if is_test(p.id)]
    ComposeGenerator().fit([p for p in products if not is_test(p.id)]).save(work / "composer")
    with open(work / "test.jsonl", "w", encoding="utf-8") as f:
        for p in test:
            f.write(p.model_dump_json() + "\n")
    big, _ = repeated(catalog_rows(test), rows)
    write_table(pd.DataFrame(big), work / "big.csv")
    return len(big)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's mode: its work folder
    args = ap.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.rows)))
        return
    if not (args.data / DATASETS[0][0]).exists():
        sys.exit(f"{args.data / DATASETS[0][0]} not found: the benchmark needs ../shared/data (see its DATA.md)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_s = compile_copy(work / "compiled")
        rows = prepare_inputs(args.data, work, args.rows)
        variants = {"plain Python": str(ROOT / "src"), "compiled (mypyc)": str(work / "compiled")}
        got: dict[str, list[dict]] = {v: [] for v in variants}
        for _ in range(args.rounds):
            for name, path in variants.items():
                env = {**os.environ, "PYTHONPATH": path}
                done = subprocess.run([sys.executable, __file__, "--measure", str(work), "--rows", str(rows)],
                                      env=env, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    sys.exit(f"{name} run failed:\n{done.stderr[-3000:]}")
                got[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
        first = {name: Path(runs[0]["results"]).read_bytes() for name, runs in got.items()}
        same = len(set(first.values())) == 1
        print(f"\n{len(MODULES)} modules compiled by mypyc in {build_s:.0f} s; {rows:,} rows end to end, "
              f"2 workers; best of {args.rounds} alternating runs; same results both ways: {same}\n")
        print(f"| {'variant':<18} | {'flow µs/product (CPU)':>21} | {'end to end prod/s':>17} | compiled loaded |")
        print(f"|{'-' * 20}|{'-' * 22}:|{'-' * 18}:|{'-' * 17}|")
        for name, runs in got.items():
            print(f"| {name:<18} | {min(r['flow_us'] for r in runs):>21.0f} | {max(r['prod_s'] for r in runs):>17,.0f} "
                  f"| {str(all(r['compiled'] for r in runs)):<15} |")
        if not same:
            sys.exit("the compiled modules gave different results")


if __name__ == "__main__":
    main()
