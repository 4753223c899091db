"""LLM titles on held-out OpenBG products: where the time goes, step by step, and what each lever costs in quality.

    .venv/bin/python benchmarks/llm_titles.py --configs today,fast,grouped       # speed + ROUGE-L, 40 held out
    .venv/bin/python benchmarks/llm_titles.py --split kinds --configs fast,grouped --engine fast,grouped  # like products
    .venv/bin/python benchmarks/llm_titles.py --configs fast --engine fast --out out/llm_titles  # + the flow
    .venv/bin/python benchmarks/llm_titles.py --split dev --configs compact3,compact2,batch8        # tuning set
    .venv/bin/python benchmarks/llm_titles.py --configs fast --engine fast --auto 50,60,70,80       # --engine auto
    .venv/bin/python benchmarks/llm_titles.py --configs none --remote 2000                          # HTTP backend
    .venv/bin/python benchmarks/llm_titles.py --configs tuned,grouped --engine tuned,grouped --tuned M.gguf  # tuned

Data: 200 products of ../shared/data/zh_openbg_titles.jsonl drawn with random.Random(0). ``--split test`` (the
default) uses the first 40: held out, never looked at while choosing the levers until the facts-line levers
(2026-11-27, chosen on test and dev); ``--split dev`` uses products 100–139, on which the levers were chosen;
``--split fresh`` products 40–99, looked at by no one yet: for the next lever's check; ``--split kinds`` is a seller's catalog of like products (16 each of the
three product words the facts name most often, drawn from outside those 200), where grouped examples can pay. Few-shot examples and the facts-line order are learned from the other
1,741 products, so no product is its own example. Task: title generation (the seller's title is hidden and is the
reference), Taobao, 60 width units (30 汉字). ROUGE-L on characters, whitespace removed
(listingforge.evaluate.metrics.rouge). Decoding: greedy, one candidate per product, repeat penalty 1.05.

Speed columns, per title: wall and process-CPU seconds; prompt tokens, how many of them llama.cpp evaluated (the
rest came from its KV cache: the shared system text, a group's examples) and tokens written; on the batched path,
tokens per CPU second of prompt evaluation and of writing. The 2 cores are shared with other work: the 1-minute
load average is printed on every row; when it is high, compare CPU seconds and tokens per CPU second, not wall.
``--engine`` runs the configs through the titles flow (``titles --engine llm``: the model's candidate, then the
checks, fixes and selection; compose only as the fallback), replaying the answers of the speed rows, and writes
``<out>/<config>.csv`` (id, title) for the blind review packet; besides ROUGE-L, its columns count what the
checks leave: ``halluc_after`` (facts the lexicon knows) and ``no_evidence`` (titles with a word found nowhere in
the product's data, the claim-free words aside: title_review's measure, which sees what a model copies from its
examples). ``--auto`` replays them through ``--engine auto``
at several weakness thresholds. ``--remote N`` drives N titles through the OpenAI-compatible backend against the
test server (tests/llm_server.py, a separate process that answers at once) at several concurrencies.
``--tuned`` names a model fine-tuned on the catalog for the ``tuned`` config (no examples in its prompt): train it on
products outside every split, e.g. the file ``--write-training FILE`` writes, with
``listingforge finetune FILE --task title --model embedded-small --merge --gguf --quantize Q4_K_M``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from listingforge.evaluate.harm import unevidenced_words
from listingforge.evaluate.metrics import hallucination_rate, length_fit, rouge
from listingforge.generate.backends import make_backend
from listingforge.generate.backends.llama_cpp import physical_cores
from listingforge.generate.base import Spec
from listingforge.generate.llm import GenerationRequest, LLMConfig, LLMGenerator
from listingforge.knowledge.types import load_types
from listingforge.product import Product

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "zh_openbg_titles.jsonl"
SPEC = Spec(platform="taobao", lang="zh", max_units=60, unit="width")
SPLITS = {"test": (0, 40), "dev": (100, 140), "fresh": (40, 100), "kinds": (0, 48)}

TODAY = {"prompt": "full", "fewshot": "retrieved", "k": 3, "no_repeat_words": False}
COMPACT = {"prompt": "compact", "fewshot": "retrieved", "no_repeat_words": True}
# name → (LLMConfig fields, backend options, what it shows). "fast" is the default the CLI uses.
CONFIGS: dict[str, tuple[dict, dict, str]] = {
    "today": (TODAY, {"batch": 1}, "before this change: full data blocks, 3 retrieved examples, JSON grammar"),
    "today-nocache": (TODAY, {"batch": 1, "prefix_cache": False}, "the same, KV cache forgotten before each"),
    "compact3": ({**COMPACT, "k": 3}, {"batch": 1}, "compact: facts line → title, 3 retrieved, plain text"),
    "compact2": ({**COMPACT, "k": 2}, {"batch": 1}, "compact, 2 retrieved examples"),
    "compact1": ({**COMPACT, "k": 1}, {"batch": 1}, "compact, 1 retrieved example"),
    "compact3-repeat": ({**COMPACT, "k": 3, "no_repeat_words": False}, {"batch": 1},
                        "compact 3, words may repeat (loops cut after the fact only)"),
    "grouped3": ({**COMPACT, "k": 3, "fewshot": "grouped"}, {"batch": 1},
                 "compact, 3 examples per product word (shared prefix)"),
    "batch4": ({**COMPACT, "k": 2}, {"batch": 4}, "compact 2, 4 products decoded together"),
    "batch8": ({**COMPACT, "k": 2}, {"batch": 8}, "compact 2, 8 products decoded together"),
    "batch32": ({**COMPACT, "k": 2}, {"batch": 32, "n_ctx": 8192}, "compact 2, 32 products decoded together"),
    "grouped2": ({**COMPACT, "k": 2, "fewshot": "grouped"}, {"batch": 8},
                 "compact 2, examples per product word (shared prefix), 8 together"),
    "fast": ({**COMPACT, "k": 2}, {"batch": 8}, "compact 2 retrieved per product, 8 decoded together"),
    "fast1": ({**COMPACT, "k": 1}, {"batch": 8}, "compact, 1 retrieved example per product, 8 decoded together"),
    "fast1-values": ({**COMPACT, "k": 1, "line_names": False}, {"batch": 8},
                     "fast1, facts lines of values alone (no attribute names)"),
    "fast1-6": ({**COMPACT, "k": 1, "line_attributes": 6}, {"batch": 8}, "fast1, 6 attributes per facts line"),
    "fast1-5": ({**COMPACT, "k": 1, "line_attributes": 5}, {"batch": 8}, "fast1, 5 attributes per facts line"),
    "fast1-v6": ({**COMPACT, "k": 1, "line_attributes": 6, "line_names": False}, {"batch": 8},
                 "fast1, 6 values per facts line, no attribute names"),
    "fast1-v4": ({**COMPACT, "k": 1, "line_attributes": 4, "line_names": False}, {"batch": 8},
                 "fast1, 4 values per facts line, no attribute names"),
    "grouped-v4": ({**COMPACT, "k": 1, "fewshot": "grouped", "group_k": 4, "line_attributes": 4, "line_names": False},
                   {"batch": 8}, "grouped, 1 example for a product alone, 4 values per facts line, no names"),
    "hint1": ({**COMPACT, "k": 1, "examples_as": "titles", "line_attributes": 6}, {"batch": 8},
              "the title of 1 retrieved like product beside the product's facts (6 attributes); 8 together"),
    "hint2": ({**COMPACT, "k": 2, "examples_as": "titles", "line_attributes": 6}, {"batch": 8},
              "the titles of 2 retrieved like products beside the product's facts (6 attributes); 8 together"),
    "grouped-5": ({**COMPACT, "k": 1, "fewshot": "grouped", "group_k": 4, "line_attributes": 5}, {"batch": 8},
                  "grouped, 1 example for a product alone, 5 attributes per facts line"),
    "fixed3": ({**COMPACT, "k": 3, "fewshot": "fixed"}, {"batch": 8},
               "the same 3 examples for every product (one cached prefix), 8 decoded together"),
    "grouped": ({**COMPACT, "k": 2, "fewshot": "grouped", "group_k": 4}, {"batch": 8},
                "the default: like products share 4 examples (one prefix), a product alone gets 2; 8 together"),
    "small": ({**COMPACT, "k": 2}, {"batch": 8, "model": "embedded-small"}, "fast on the 0.5B model"),
    "grouped-small": ({**COMPACT, "k": 2, "fewshot": "grouped", "group_k": 4}, {"batch": 8, "model": "embedded-small"},
                      "grouped on the 0.5B model"),
    "tuned": ({**COMPACT, "fewshot": "none"}, {"batch": 8, "model": "TUNED"},
              "the --tuned model (listingforge finetune --prompt compact on the catalog): no examples, 8 together"),
    "tuned-rp13": ({**COMPACT, "fewshot": "none", "repeat_penalty": 1.3}, {"batch": 8, "model": "TUNED"},
                   "the same, repeat penalty 1.3 (a lightly tuned model loops on words)"),
}


def load(split: str) -> tuple[list[Product], list[Product]]:
    if not DATA.is_file():
        sys.exit(f"data not found: {DATA} (the shared data folder is needed for this benchmark)")
    rows = [Product(**json.loads(line)) for line in DATA.open(encoding="utf-8")]
    rows = [p for p in rows if p.title and p.attributes]
    idx = random.Random(0).sample(range(len(rows)), 200)
    chosen = set(idx)
    if split == "kinds":
        return _kinds(rows, chosen)
    a, b = SPLITS[split]
    sample = [rows[i] for i in idx][a:b]
    rest = [p for i, p in enumerate(rows) if i not in chosen]
    return sample, rest


def write_training(path: Path) -> None:
    """The catalog a model may be tuned on: the products outside the 200 drawn for test and dev and outside the
    kinds split (the shared data's own rows)."""
    keep = {p.id for p in load("test")[1]} - {p.id for p in load("kinds")[0]}
    rows = [line for line in DATA.open(encoding="utf-8") if line.strip() and json.loads(line)["id"] in keep]
    path.write_text("".join(rows), encoding="utf-8")
    print(f"{len(rows)} products written to {path}")


def _kinds(rows: list[Product], drawn: set[int], kinds: int = 3, each: int = 16) -> tuple[list[Product], list[Product]]:
    """A seller's catalog of like products: ``each`` products of each of the ``kinds`` product words the facts name
    most often, none of them from the 200 drawn for test and dev; the few-shot catalog is every other product."""
    from listingforge.knowledge.product_words import ProductWords

    words = ProductWords().fit(rows)
    by_word: dict[str, list[int]] = {}
    for i, p in enumerate(rows):
        named = words.of(p)
        if i not in drawn and named:
            by_word.setdefault(named[0][0], []).append(i)
    top = sorted(by_word, key=lambda w: (-len(by_word[w]), w))[:kinds]
    rng = random.Random(0)
    picked = [i for w in top for i in sorted(rng.sample(by_word[w], each))]
    taken = set(picked)
    return [rows[i] for i in picked], [p for i, p in enumerate(rows) if i not in taken]


def load_avg() -> float:
    return os.getloadavg()[0]


class ReplayBackend:
    """Answers a request seen before from memory, so the flow rows replay the speed rows' answers and differ only
    in what the flow does with them."""

    def __init__(self, backend: Any) -> None:
        self.backend, self.memo = backend, {}
        self.name = getattr(backend, "name", "replay")
        self.model_id = getattr(backend, "model_id", None)
        self.replay = True  # False: always ask the model (the speed rows), still remembering the answers

    def complete_many(self, requests):  # noqa: ANN001, ANN201
        keys = [r.model_dump_json() for r in requests]
        todo = [(k, r) for k, r in zip(keys, requests, strict=True) if k not in self.memo or not self.replay]
        if todo:
            for (k, _), out in zip(todo, self.backend.complete_many([r for _, r in todo]), strict=True):
                self.memo[k] = out
        return [self.memo[k] for k in keys]

    def complete(self, request):  # noqa: ANN001, ANN201
        from listingforge.generate.backends.base import complete_one

        return complete_one(self, request)


def backend_for(opts: dict, args: argparse.Namespace, cache: dict) -> ReplayBackend:
    """One loaded model per (model, batch, prefix cache) — loading is not what is measured."""
    opts = {"model": args.model, "n_threads": args.threads or None, **opts}
    if opts["model"] == "TUNED":
        if not args.tuned:
            sys.exit("config 'tuned' needs --tuned PATH (a GGUF written by listingforge finetune --gguf)")
        opts["model"] = args.tuned
    key = json.dumps(opts, sort_keys=True)
    if key not in cache:
        cache[key] = ReplayBackend(make_backend("llama_cpp", **opts))
    return cache[key]


def speed_row(name: str, sample: list[Product], catalog: list[Product], args: argparse.Namespace,
              cache: dict) -> dict:
    cfg, bopts, what = CONFIGS[name]
    replay = backend_for(bopts, args, cache)
    gen = LLMGenerator(backend=replay, config=LLMConfig(max_n=1, **cfg)).fit(catalog)
    # the system text's KV state is computed once per run; warm it on a product outside the sample so every
    # row starts the same way (a run over a catalog pays it once, not once per title)
    gen.generate_many([GenerationRequest(task="title", product=catalog[0].model_copy(update={"title": None}),
                                         n=1, spec=SPEC)])
    gen.reset_stats()
    decoder_timing = _timing(replay)
    refs = [p.title or "" for p in sample]
    blind = [p.model_copy(update={"title": None}) for p in sample]
    reqs = [GenerationRequest(task="title", product=p, n=1, spec=spec_for(p, catalog)) for p in blind]
    load0, t0, c0 = load_avg(), time.perf_counter(), time.process_time()
    replay.replay = False
    try:
        outs = gen.generate_many(reqs)
    finally:
        replay.replay = True
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(sample)
    hyps = [o[0].text if isinstance(o, list) and o else "" for o in outs]
    st = gen.stats
    row = {"config": name, "what": what, "rougeL": rouge(hyps, refs, "zh"), "unparseable": st.unparseable_rate,
           "failed": sum(1 for o in outs if not isinstance(o, list)) / n, "wall_s": wall / n, "cpu_s": cpu / n,
           "prompt_tok": st.prompt_tokens / n, "evaluated_tok": (st.prompt_tokens - st.cached_tokens) / n,
           "written_tok": st.completion_tokens / n, "mean_chars": sum(map(len, hyps)) / n,
           "loops_cut": st.fixes.get("loop", 0) / n, "load": f"{load0:.1f}–{load_avg():.1f}"}
    after = _timing(replay)
    if after and decoder_timing is not None:
        d = {k: after[k] - decoder_timing.get(k, 0.0) for k in after}
        if d["prompt_cpu_s"] > 0:
            row["prompt_tok_per_cpu_s"] = d["prompt_tokens"] / d["prompt_cpu_s"]
        if d["write_cpu_s"] > 0:
            row["write_tok_per_cpu_s"] = d["write_tokens"] / d["write_cpu_s"]
            row["tok_per_step"] = d["write_tokens"] / max(d["steps"], 1)
    row["_hyps"] = dict(zip([p.id for p in sample], hyps, strict=True))
    return row


_WORDS: dict = {}


def spec_for(p: Product, catalog: list[Product]) -> Spec:
    """The spec the titles flow gives the model: with the product words its facts name (the group key)."""
    if "w" not in _WORDS:
        from listingforge.knowledge.product_words import ProductWords

        _WORDS["w"] = ProductWords().fit(catalog)
    words = [w for w, _ in _WORDS["w"].of(p)][:3]
    return SPEC.model_copy(update={"extra": {"product_words": words}})


def _timing(replay: ReplayBackend) -> dict | None:
    decoder = getattr(replay.backend, "_decoder", None)
    return dict(decoder.timing) if decoder is not None else {}


_CHECKER: dict = {}


def checker(catalog: list[Product]):  # noqa: ANN201
    if "c" not in _CHECKER:
        from listingforge.compliance import Checker, Lexicon

        _CHECKER["c"] = Checker("taobao", lexicon=Lexicon().fit(catalog))
    return _CHECKER["c"]


def flow_rows(names: list[str], sample: list[Product], catalog: list[Product], args: argparse.Namespace,
              cache: dict, thresholds: list[float]) -> list[dict]:
    """The configs through the titles flow (``--engine llm``), and ``--engine auto`` at each threshold."""
    from listingforge.engine import Engine
    from listingforge.generate.compose import ComposeGenerator
    from listingforge.knowledge.catalog import CatalogKnowledge

    composer = ComposeGenerator().fit(catalog, knowledge=CatalogKnowledge().fit(catalog))
    refs = [p.title or "" for p in sample]
    blind = [p.model_copy(update={"title": None}) for p in sample]
    c = checker(catalog)
    out_dir = Path(args.out) if args.out else None
    rows = []
    runs: list[tuple[str, str, float | None]] = [("compose", "", None)]
    runs += [(f"{n} (flow)", n, None) for n in names]
    runs += [(f"{n} (auto < {t:g})", n, t) for n in names[:1] for t in thresholds]
    for label, name, weak in runs:
        gens = []
        if name:
            cfg, bopts, _ = CONFIGS[name]
            gens = [LLMGenerator(backend=backend_for(bopts, args, cache), config=LLMConfig(max_n=1, **cfg))]
        eng = Engine(platform="taobao", composer=composer, generators=gens, n_candidates=1,
                     compose_candidates=not name or weak is not None, model_when_weak=weak)
        eng.fit_generators(catalog)
        t0 = time.perf_counter()
        res = eng.titles(blind)
        wall = time.perf_counter() - t0
        hyps = [r.text or "" for r in res if r.task == "title"]
        picked = sum(1 for r in res if r.best and r.best.candidate.generator.startswith("llm")) / len(res)
        asked = gens[0].stats.products / len(sample) if gens else 0.0
        findings = [c.check(h, p) for h, p in zip(hyps, blind, strict=True)]
        # what title_review counts: a word found nowhere in the product's data (the packaged claim-free words
        # aside) — the model's copies from its examples ("外贸出口原单清仓", another brand) that the lexicon
        # behind halluc_after does not know as facts
        seg = c.segmenter
        unevidenced = [unevidenced_words("", h, p, seg, allow=load_types().claim_free)
                       for h, p in zip(hyps, blind, strict=True)]
        rows.append({"config": label, "rougeL": rouge(hyps, refs, "zh"), "fits_60w": length_fit(hyps, 60, "width"),
                     "halluc_after": hallucination_rate(findings),
                     "no_evidence": sum(map(bool, unevidenced)) / len(hyps),
                     "words_no_evidence": sum(map(len, unevidenced)),
                     "errors_left": sum(any(f.severity == "error" for f in fs) for fs in findings) / len(hyps),
                     "llm_picked": picked, "llm_asked": asked if weak is not None else "",
                     "mean_chars": sum(map(len, hyps)) / len(hyps),
                     "wall_s": wall / len(sample) if not name else "",
                     "what": "answers replayed from the speed rows" if name else "compose alone"})
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            fname = label.split(" ")[0] if weak is None else f"{name}-auto{weak:g}"
            with (out_dir / f"{fname}.csv").open("w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(["id", "title"])
                w.writerows(zip([p.id for p in sample], hyps, strict=True))
    if out_dir is not None:
        with (out_dir / "facts.jsonl").open("w", encoding="utf-8") as f:
            for p in sample:
                f.write(json.dumps({"id": p.id, "brand": p.brand, "attributes": [list(a) for a in p.attributes]},
                                   ensure_ascii=False) + "\n")
    return rows


def remote_rows(n: int, sample: list[Product], catalog: list[Product], concurrencies: list[int]) -> list[dict]:
    """Titles per second through the OpenAI-compatible backend against a server that answers at once (a separate
    process, so its CPU is not counted as ours): what listingforge itself can drive."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("import sys; sys.path.insert(0, 'tests'); import uvicorn, llm_server; "
            f"uvicorn.run(llm_server.build_app(llm_server.LLMServer({port})), host='127.0.0.1', port={port}, "
            "log_level='critical', access_log=False)")
    server = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    try:
        import httpx

        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("test server did not start") from None
                time.sleep(0.2)
        products = [sample[i % len(sample)].model_copy(update={"id": f"r{i}", "title": None}) for i in range(n)]
        rows = []
        for conc in concurrencies:
            backend = make_backend("openai_compat", base_url=f"http://127.0.0.1:{port}/v1", model="test",
                                   max_concurrency=conc, json_mode="none")
            gen = LLMGenerator(backend=backend, config=LLMConfig(max_n=1, **COMPACT)).fit(catalog)
            reqs = [GenerationRequest(task="title", product=p, n=1, spec=SPEC) for p in products]
            gen.generate_many(reqs[:conc])  # connections up
            gen.reset_stats()
            load0, t0, c0 = load_avg(), time.perf_counter(), time.process_time()
            outs = gen.generate_many(reqs)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            ok = sum(1 for o in outs if isinstance(o, list) and o)
            rows.append({"config": f"openai_compat, concurrency {conc}", "titles_per_s": ok / wall,
                         "cpu_s": cpu / n, "failed": 1 - ok / n, "load": f"{load0:.1f}–{load_avg():.1f}",
                         "what": f"{n} titles against tests/llm_server.py (instant answers); "
                                 f"listingforge's CPU {cpu / wall:.0%} of the wall time"})
        return rows
    finally:
        server.terminate()
        server.wait(timeout=10)


def fmt(v: Any) -> str:
    if isinstance(v, float):
        return "nan" if v != v else f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
    return str(v)


def table(rows: list[dict], cols: list[str]) -> None:
    print("\n| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(fmt(r.get(c, "")) for c in cols) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=list(SPLITS), default="test")
    ap.add_argument("--n", type=int, default=60, help="products of the split to use (test and dev have 40, fresh 60)")
    ap.add_argument("--model", default="embedded", help="embedded | embedded-small | a .gguf path")
    ap.add_argument("--tuned", default="", help="the GGUF the 'tuned' config runs (listingforge finetune "
                                                "--prompt compact --merge --gguf --quantize Q4_K_M)")
    ap.add_argument("--threads", type=int, default=0, help="llama.cpp threads (0: the backend's default, physical cores)")
    ap.add_argument("--configs", default="today,fast", help=f"comma list of: {', '.join(CONFIGS)}; or none")
    ap.add_argument("--engine", default="", help="configs to run through the titles flow too (comma list)")
    ap.add_argument("--auto", default="", help="--engine auto thresholds to replay, e.g. 50,60,70,80")
    ap.add_argument("--out", default="", help="write each flow row's titles to <out>/<config>.csv")
    ap.add_argument("--remote", type=int, default=0, help="titles to drive through the HTTP backend")
    ap.add_argument("--concurrency", default="8,32,64", help="HTTP concurrencies for --remote")
    ap.add_argument("--json", type=Path, help="write the rows (with the titles) here")
    ap.add_argument("--write-training", type=Path, help="write the products outside the test, dev and kinds splits "
                                                         "(JSON lines) for fine-tuning, and stop")
    args = ap.parse_args()
    if args.write_training:
        write_training(args.write_training)
        return

    sample, catalog = load(args.split)
    sample = sample[: args.n]
    print(f"{len(sample)} {args.split} products, few-shot catalog {len(catalog)}; llama.cpp {args.model}, "
          f"{args.threads or physical_cores()} thread(s); title generation, taobao 60 width; ROUGE-L chars", flush=True)
    cache: dict = {}
    rows = []
    names = [c for c in args.configs.split(",") if c and c != "none"]
    for name in names:
        row = speed_row(name, sample, catalog, args, cache)
        rows.append(row)
        print(f"  {name}: " + ", ".join(f"{k} {fmt(v)}" for k, v in row.items() if not k.startswith("_")
                                        and k not in ("config", "what")), flush=True)
    if rows:
        table(rows, ["config", "rougeL", "unparseable", "wall_s", "cpu_s", "prompt_tok", "evaluated_tok",
                     "written_tok", "prompt_tok_per_cpu_s", "write_tok_per_cpu_s", "tok_per_step", "loops_cut",
                     "mean_chars", "load", "what"])
    flows = [c for c in args.engine.split(",") if c]
    if flows:
        thresholds = [float(t) for t in args.auto.split(",") if t]
        frows = flow_rows(flows, sample, catalog, args, cache, thresholds)
        table(frows, ["config", "rougeL", "fits_60w", "halluc_after", "no_evidence", "words_no_evidence",
                      "errors_left", "llm_picked", "llm_asked",
                      "mean_chars", "wall_s", "what"])
        rows += frows
    if args.remote:
        rrows = remote_rows(args.remote, sample, catalog, [int(c) for c in args.concurrency.split(",")])
        table(rrows, ["config", "titles_per_s", "cpu_s", "failed", "load", "what"])
        rows += rrows
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
