"""LLM titles on a fixed OpenBG sample: quality, unparseable rate, speed, and each choice's effect.

    .venv/bin/python benchmarks/llm_titles.py --n 40                      # embedded 1.5B on llama.cpp
    .venv/bin/python benchmarks/llm_titles.py --n 40 --model embedded-small --configs base,rp,fewshot
    LISTINGFORGE_BASE_URL=http://localhost:8000/v1 LISTINGFORGE_MODEL=qwen2.5-7b-instruct \\
        .venv/bin/python benchmarks/llm_titles.py --backend openai_compat --n 200

Sample: 200 products of ../shared/data/zh_openbg_titles.jsonl drawn with random.Random(0) (the first
--n of them are used); few-shot examples and the compose/fact lexicon are fitted on the other rows
(no leakage). Task: title generation (the seller's title is hidden and is the reference), Taobao,
60 width units (30 汉字). ROUGE-L: characters, whitespace removed (listingforge.evaluate.metrics).
Hallucination: share of titles with a grounding.* finding (listingforge.compliance), before and after
check_and_fix. Every row states its decoding settings.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from listingforge.evaluate.metrics import hallucination_rate, length_fit, rouge
from listingforge.generate.backends import make_backend
from listingforge.generate.base import Spec
from listingforge.generate.llm import GenerationRequest, LLMConfig, LLMGenerator
from listingforge.generate.llm.prompts import render_messages
from listingforge.product import Product

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "zh_openbg_titles.jsonl"
SPEC = Spec(platform="taobao", lang="zh", max_units=60, unit="width")

# name → (LLMConfig fields, backend options, what it shows)
CONFIGS: dict[str, tuple[dict, dict, str]] = {
    "base": ({"fewshot": "none", "repeat_penalty": 1.0, "collapse_loops": False, "parse_retries": 0},
             {}, "zero-shot, greedy, no repeat penalty, no loop cut, no re-ask"),
    "rp": ({"fewshot": "none", "repeat_penalty": 1.05, "collapse_loops": False, "parse_retries": 0},
           {}, "+ repeat_penalty 1.05"),
    "loops": ({"fewshot": "none", "repeat_penalty": 1.05, "parse_retries": 0}, {}, "+ loop collapse"),
    "nogrammar": ({"fewshot": "none", "structured": False}, {}, "zero-shot, no JSON grammar (text parse)"),
    "fixed": ({"fewshot": "fixed"}, {}, "3 fixed examples (shared prefix, cache on)"),
    "fewshot": ({"fewshot": "retrieved"}, {}, "3 retrieved examples (same category, nearest attributes)"),
    "short": ({"fewshot": "retrieved", "length_factor": 1.0}, {}, "retrieved + tight max_tokens (1 tok/char)"),
}


def load(n: int) -> tuple[list[Product], list[Product]]:
    if not DATA.is_file():
        sys.exit(f"data not found: {DATA} (the shared data folder is needed for this benchmark)")
    rows = [Product(**json.loads(line)) for line in DATA.open(encoding="utf-8")]
    rows = [p for p in rows if p.title and p.attributes]
    idx = random.Random(0).sample(range(len(rows)), 200)
    chosen = set(idx)
    sample = [rows[i] for i in idx][:n]
    rest = [p for i, p in enumerate(rows) if i not in chosen]
    return sample, rest


def run_llm(name: str, backend_opts: dict, cfg: dict, sample, catalog, args, backends: dict) -> dict:
    key = json.dumps(backend_opts, sort_keys=True)
    if key not in backends:
        opts = dict(backend_opts)
        if args.backend == "llama_cpp":
            opts.setdefault("model", args.model)
            opts.setdefault("n_threads", args.threads)
        # answers are remembered: the Engine rows replay them instead of generating the same prompts again
        backends[key] = ReplayBackend(make_backend(args.backend, **opts))
    backend = backends[key]
    gen = LLMGenerator(backend=backend, config=LLMConfig(**cfg)).fit(catalog)
    refs = [p.title or "" for p in sample]
    blind = [p.model_copy(update={"title": None}) for p in sample]
    reqs = [GenerationRequest(task="title", product=p, n=1, spec=SPEC) for p in blind]
    t0 = time.perf_counter()
    outs = []
    for i in range(0, len(reqs), args.chunk):
        outs += gen.generate_many(reqs[i: i + args.chunk])
    wall = time.perf_counter() - t0
    hyps = [o[0].text if isinstance(o, list) and o else "" for o in outs]
    cands = [o[0] if isinstance(o, list) and o else None for o in outs]
    st = gen.stats
    row = {
        "config": name, "rougeL": rouge(hyps, refs, "zh"), "unparseable": st.unparseable_rate,
        "failed": sum(1 for o in outs if not isinstance(o, list)) / len(outs),
        "s_per_title": wall / len(sample), "mean_chars": sum(map(len, hyps)) / len(hyps),
        "fits_60w": length_fit(hyps, 60, "width"),
        "loops_cut": st.fixes.get("loop", 0) / len(sample), "truncated": st.fixes.get("truncated", 0) / len(sample),
        "overhead": f"{st.overhead:.2%}", "prompt_tok": st.prompt_tokens / len(sample),
        "completion_tok": st.completion_tokens / len(sample),
    }
    row.update(check_rates(hyps, blind, catalog))
    row["_hyps"], row["_cands"] = hyps, cands
    return row


_CHECKER = {}


def checker(catalog):
    """The lead's checks (compliance/), fitted on the catalog's facts; None when not importable."""
    if "c" not in _CHECKER:
        try:
            from listingforge.compliance import Checker, Lexicon

            _CHECKER["c"] = Checker("taobao", lexicon=Lexicon().fit(catalog))
        except Exception as exc:  # the benchmark still reports the raw numbers
            print(f"(checks unavailable: {type(exc).__name__}: {exc})", file=sys.stderr)
            _CHECKER["c"] = None
    return _CHECKER["c"]


def check_rates(hyps, products, catalog) -> dict:
    c = checker(catalog)
    if c is None:
        return {}
    before, after, fixed_hyps = [], [], []
    for h, p in zip(hyps, products, strict=True):
        before.append(c.check(h, p) if h else [])
        text, _, left = c.check_and_fix(h, p) if h else ("", [], [])
        after.append(left)
        fixed_hyps.append(text)
    return {"halluc_before": hallucination_rate(before), "halluc_after": hallucination_rate(after),
            "_fixed": fixed_hyps}


def overhead_rows(backend, sample, catalog, n: int, cfg: dict) -> list[dict]:
    """The same n prompts three ways, after one warm-up request so every path starts with the shared
    prefix cached: the bare backend (the listingforge-free floor), LLMGenerator.generate_many (prompt
    rendering, parsing, loop cut) plus check_and_fix, and the bare backend with the KV cache reset before
    each request (no prefix reuse)."""
    gen = LLMGenerator(backend=backend, config=LLMConfig(**cfg)).fit(catalog)
    greqs = [GenerationRequest(task="title", product=p.model_copy(update={"title": None}), n=1, spec=SPEC)
             for p in sample[:n]]
    creqs = [gen._plan(r)["requests"][0] for r in greqs]
    backend.complete_many(creqs[:1])  # warm: the shared prefix is in the KV cache
    t0 = time.perf_counter()
    for r in creqs:
        backend.complete_many([r])
    raw = (time.perf_counter() - t0) / n
    c = checker(catalog)
    t0 = time.perf_counter()
    outs = gen.generate_many(greqs)
    for r, o in zip(greqs, outs, strict=True):
        if c is not None and isinstance(o, list) and o:
            c.check_and_fix(o[0].text, r.product)
    lf = (time.perf_counter() - t0) / n
    t0 = time.perf_counter()
    for r in creqs:
        if hasattr(backend, "llm"):
            backend.llm.reset()
        backend.complete_many([r])
    cold = (time.perf_counter() - t0) / n
    return [
        {"config": "raw backend, fixed prompts, prefix reused", "s_per_title": raw, "what": f"on {n} titles"},
        {"config": "listingforge on the same prompts (generate_many + checks)", "s_per_title": lf,
         "what": f"overhead vs raw backend: {lf / raw - 1:+.1%}; of which outside the backend call: "
                 f"{(lf * n - gen.stats.backend_seconds) / (raw * n):+.1%} (re-asks: {gen.stats.parse_retries})"},
        {"config": "raw backend, prefix re-evaluated per request", "s_per_title": cold,
         "what": f"prefix reuse speedup: {cold / raw:.1f}x"},
    ]


class ReplayBackend:
    """Answers a request seen before from memory: the Engine rows share one set of (greedy) LLM answers, so
    they differ only in what the flow does with them; only the first row's seconds include the model."""

    def __init__(self, backend) -> None:  # noqa: ANN001
        self.backend, self.memo = backend, {}
        self.name = getattr(backend, "name", "replay")
        self.model_id = getattr(backend, "model_id", None)

    def complete_many(self, requests):  # noqa: ANN001, ANN201
        keys = [r.model_dump_json() for r in requests]
        todo = [(k, r) for k, r in zip(keys, requests, strict=True) if k not in self.memo]
        if todo:
            for (k, _), out in zip(todo, self.backend.complete_many([r for _, r in todo]), strict=True):
                self.memo[k] = out
        return [self.memo[k] for k in keys]

    def complete(self, request):  # noqa: ANN001, ANN201
        from listingforge.generate.backends.base import complete_one

        return complete_one(self, request)


def engine_rows(sample, catalog, llm_cfg, args, backends) -> list[dict]:
    try:
        from listingforge.engine import Engine
    except ImportError as exc:
        print(f"(engine unavailable: {exc})", file=sys.stderr)
        return []
    refs = [p.title or "" for p in sample]
    blind = [p.model_copy(update={"title": None}) for p in sample]
    rows = []
    replay = next(iter(backends.values()))
    for name, gens, compose, style in (
            ("compose (engine)", False, True, False),
            ("llm (engine, checks+select)", True, False, True),
            ("compose+llm (engine, rule score)", True, True, False),
            ("compose+llm (engine, rule score + style)", True, True, True)):
        g = [LLMGenerator(backend=replay, config=LLMConfig(**llm_cfg))] if gens else []
        eng = Engine(platform="taobao", generators=g, n_candidates=1, compose_candidates=compose,
                     style=style).fit(catalog)
        t0 = time.perf_counter()
        res = eng.titles(blind)
        wall = time.perf_counter() - t0
        hyps = [r.text or "" for r in res if r.task == "title"]
        picked_llm = sum(1 for r in res if r.best and r.best.candidate.generator.startswith("llm")) / len(res)
        c = checker(catalog)
        findings = [c.check(h, p) for h, p in zip(hyps, blind, strict=True)] if c else []
        rows.append({"config": name, "rougeL": rouge(hyps, refs, "zh"),
                     "s_per_title": wall / len(sample) if not gens else float("nan"),
                     "mean_chars": sum(map(len, hyps)) / len(hyps), "fits_60w": length_fit(hyps, 60, "width"),
                     "halluc_after": hallucination_rate(findings) if c else float("nan"),
                     "llm_picked": picked_llm,
                     "what": f"LLM config {args.engine_config}, its answers replayed" if gens else ""})
    return rows


def batching_rows(sample, catalog, n: int, threads: int) -> list[dict]:
    """Batching on a backend that batches: local_hf (transformers) on the 0.5B embedded model, the same n
    greedy prompts at batch size 1 and n. llama-cpp-python runs one sequence per context, so for it the
    gain is prefix reuse (the rows above), not batching."""
    out = []
    secs = {}
    for bs in (1, n):
        backend = make_backend("local_hf", model="embedded-small", batch_size=bs, device="cpu", threads=threads)
        gen = LLMGenerator(backend=backend, config=LLMConfig(fewshot="fixed", max_n=1, structured=False)).fit(catalog)
        reqs = [GenerationRequest(task="title", product=p.model_copy(update={"title": None}), n=1, spec=SPEC)
                for p in sample[:n]]
        gen.generate_many(reqs[:1])  # warm-up (weights paged in, kernels chosen)
        t0 = time.perf_counter()
        outs = gen.generate_many(reqs)
        secs[bs] = (time.perf_counter() - t0) / n
        hyps = [o[0].text if isinstance(o, list) and o else "" for o in outs]
        out.append({"config": f"local_hf 0.5B fp32, batch {bs}", "s_per_title": secs[bs],
                    "rougeL": rouge(hyps, [p.title or "" for p in sample[:n]], "zh"),
                    "unparseable": gen.stats.unparseable_rate,
                    "what": "" if bs == 1 else f"batching speedup: {secs[1] / secs[bs]:.1f}x ({n} titles)"})
    return out


def attribute_concat(sample) -> dict:
    hyps = ["".join(v for _, v in p.attributes)[:30] for p in sample]
    return {"config": "attribute values (first 30 chars)", "rougeL": rouge(hyps, [p.title or "" for p in sample], "zh")}


def fmt(v) -> str:
    if isinstance(v, float):
        return "nan" if v != v else f"{v:.3f}"
    return str(v)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="products of the fixed 200 sample to use")
    ap.add_argument("--backend", default="llama_cpp")
    ap.add_argument("--model", default="embedded", help="embedded | embedded-small | a .gguf path")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=8, help="products per generate_many call")
    ap.add_argument("--configs", default="base,rp,loops,nogrammar,fixed,fewshot",
                    help=f"comma list of: {', '.join(CONFIGS)}")
    ap.add_argument("--engine", action="store_true", help="also compose / llm / both through the Engine")
    ap.add_argument("--engine-config", default="fixed", help="LLM config used inside the Engine rows")
    ap.add_argument("--raw", type=int, default=5, help="titles timed on the bare backend (overhead)")
    ap.add_argument("--batching", type=int, default=0,
                    help="also time N prompts on local_hf (0.5B) at batch 1 and batch N")
    ap.add_argument("--json", type=Path, help="write rows (and the hypotheses) here")
    args = ap.parse_args()

    sample, catalog = load(args.n)
    print(f"{len(sample)} products, few-shot catalog {len(catalog)}; backend {args.backend} {args.model}; "
          f"task title-generate taobao 60 width; ROUGE-L chars", flush=True)
    rows = [attribute_concat(sample)]
    backends: dict = {}
    for name in args.configs.split(","):
        cfg, bopts, what = CONFIGS[name]
        t0 = time.perf_counter()
        row = run_llm(name, bopts, cfg, sample, catalog, args, backends)
        row["what"] = what
        rows.append(row)
        shown = {k: fmt(v) for k, v in row.items() if not k.startswith("_") and k != "what"}
        print(f"  {name} ({time.perf_counter() - t0:.0f} s): {shown}", flush=True)
    if args.raw and backends:
        rows += overhead_rows(next(iter(backends.values())).backend, sample, catalog, min(args.raw, len(sample)),
                              CONFIGS["fixed"][0])
    if args.batching:
        rows += batching_rows(sample, catalog, min(args.batching, len(sample)), args.threads)
    if args.engine:
        rows += engine_rows(sample, catalog, {**CONFIGS[args.engine_config][0], "max_n": 1}, args, backends)

    cols = ["config", "rougeL", "unparseable", "failed", "s_per_title", "mean_chars", "fits_60w", "loops_cut",
            "truncated", "halluc_before", "halluc_after", "llm_picked", "overhead", "prompt_tok"]
    print("\n| " + " | ".join(cols) + " | what |")
    print("|" + "---|" * (len(cols) + 1))
    for r in rows:
        print("| " + " | ".join(fmt(r.get(c, "")) for c in cols) + f" | {r.get('what', '')} |")
    if args.json:
        args.json.write_text(json.dumps([{k: v for k, v in r.items() if k != "_cands"} for r in rows],
                                        ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    _ = render_messages  # the prompt used is render_messages(...) of the config; see generate/prompts/


if __name__ == "__main__":
    main()
