"""Descriptions from a language model, few-shot, against real marketing copy — before and after the checks.

    .venv/bin/python benchmarks/describe_llm.py [--n 30] [--model embedded] [--threads 2] [--k 2]

Data: a fixed sample (random.Random(0)) of ../shared/data/zh_advertisegen_descriptions.jsonl (clothing
attributes → a copywriter's description); the retrieved few-shot examples come from the other rows, never
the sample. Systems on the same products:
- compose_description (no model, 简洁, paragraph): the fallback;
- the LLM alone, its raw answer (k retrieved examples, greedy, repeat_penalty 1.05);
- the same answers after ``check_and_fix`` (banned terms and ungrounded claims removed);
- the Engine with both generators: checks, rule score and selection per product.
Metrics as benchmarks/describe.py: BLEU-4 on jieba words and on sacrebleu's zh tokenizer, ROUGE-L F1 on
characters and on jieba words, distinct-2, ungrounded-claim rate (a ``grounding.*`` finding), mean length,
seconds per description. After fine-tuning: benchmarks/finetune.py --task description prints the same
metrics for the base and the LoRA model.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from llm_titles import ReplayBackend

from listingforge.compliance import Checker, Lexicon
from listingforge.engine import Engine
from listingforge.evaluate.metrics import bleu, distinct_n, hallucination_rate, rouge
from listingforge.generate.backends import make_backend
from listingforge.generate.compose_description import DescriptionComposer, split_description
from listingforge.generate.llm import GenerationRequest, LLMConfig, LLMGenerator
from listingforge.platforms import load_platform
from listingforge.product import Product
from listingforge.tasks.describe import DescriptionTask

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "zh_advertisegen_descriptions.jsonl"


def load(n: int) -> tuple[list[Product], list[Product]]:
    rows = [Product(**json.loads(ln)) for ln in DATA.read_text(encoding="utf-8").splitlines() if ln.strip()]
    idx = random.Random(0).sample(range(len(rows)), n)
    chosen = set(idx)
    return [rows[i] for i in idx], [p for i, p in enumerate(rows) if i not in chosen]


def row(name: str, hyps: list[str], refs: list[str], products: list[Product], checker: Checker,
        seconds: float | None) -> dict:
    findings = [checker.check(h, p, field="description") for h, p in zip(hyps, products, strict=True)]
    return {"system": name, "BLEU-4 jieba": bleu(hyps, refs, "zh", "jieba"), "BLEU-4 zh-tok": bleu(hyps, refs, "zh"),
            "ROUGE-L char": rouge(hyps, refs, "zh"), "ROUGE-L jieba": rouge(hyps, refs, "zh", tokens="jieba"),
            "distinct-2": distinct_n(hyps, 2, "zh"), "ungrounded": hallucination_rate(findings),
            "chars": sum(map(len, hyps)) / len(hyps), "s/desc": seconds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--model", default="embedded", help="embedded | embedded-small | a .gguf path")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--k", type=int, default=2, help="retrieved few-shot examples")
    ap.add_argument("--platform", default="taobao")
    args = ap.parse_args()
    if not DATA.is_file():
        raise SystemExit(f"data not found: {DATA} (the shared data folder is needed for this benchmark)")
    sample, rest = load(args.n)
    refs = [p.description or "" for p in sample]
    bare = [p.model_copy(update={"description": None, "title": None}) for p in sample]
    checker = Checker(args.platform, lexicon=Lexicon().fit([*bare, *rest]))
    task = DescriptionTask(platform=load_platform(args.platform), checker=checker)
    rows = []

    t0 = time.perf_counter()
    composer = DescriptionComposer()
    comp = [split_description(composer.generate("description", p, 1, task.spec_for(p).model_copy(
        update={"style": "简洁"}))[0].text)[1] for p in bare]
    rows.append(row("compose_description (简洁, paragraph)", comp, refs, bare, checker,
                    (time.perf_counter() - t0) / len(bare)))

    # the Engine row replays the same (greedy) answers instead of generating them twice
    backend = ReplayBackend(make_backend("llama_cpp", model=args.model, n_threads=args.threads))
    gen = LLMGenerator(backend=backend, config=LLMConfig(fewshot="retrieved", k=args.k, max_n=1)).fit(rest)
    t0 = time.perf_counter()
    outs = gen.generate_many([GenerationRequest(task="description", product=p, n=1, spec=task.spec_for(p))
                              for p in bare])
    llm_s = (time.perf_counter() - t0) / len(bare)
    raw = [o[0].text if isinstance(o, list) and o else "" for o in outs]
    rows.append(row(f"LLM {args.model}, {args.k}-shot retrieved (raw)", raw, refs, bare, checker, llm_s))
    fixed = [checker.check_and_fix(h, p, field="description")[0] if h else "" for h, p in zip(raw, bare, strict=True)]
    rows.append(row("  … after check_and_fix", fixed, refs, bare, checker, None))

    eng = Engine(platform=args.platform, generators=[LLMGenerator(backend=backend, config=LLMConfig(
        fewshot="retrieved", k=args.k, max_n=1))]).fit(rest)
    t0 = time.perf_counter()
    res = eng.describe(bare)
    eng_s = (time.perf_counter() - t0) / len(bare)
    texts = [split_description(r.best.candidate.text)[1] if r.best else "" for r in res]
    picked = sum(1 for r in res if r.best and r.best.candidate.generator.startswith("llm")) / len(res)
    rows.append(row(f"Engine compose + LLM (checks, select; LLM picked {picked:.0%})", texts, refs, bare, checker,
                    eng_s))
    st = gen.stats
    rows.append({"system": "reference (human copy)", "distinct-2": distinct_n(refs, 2, "zh"),
                 "ungrounded": row("", refs, refs, bare, checker, None)["ungrounded"],
                 "chars": sum(map(len, refs)) / len(refs)})

    cols = ["system", "BLEU-4 jieba", "BLEU-4 zh-tok", "ROUGE-L char", "ROUGE-L jieba", "distinct-2", "ungrounded",
            "chars", "s/desc"]
    print(f"\n{len(sample)} AdvertiseGen products (few-shot pool {len(rest)}); platform {args.platform}; "
          f"LLM unparseable {st.unparseable_rate:.1%}, {st.completion_tokens / max(1, st.products):.0f} "
          f"completion tokens per description, backend threads {args.threads}\n")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        cells = [r.get(c) for c in cols]
        print("| " + " | ".join("" if v is None else f"{v:.3f}" if isinstance(v, float) and abs(v) < 1
                                 else f"{v:.2f}" if isinstance(v, float) else str(v) for v in cells) + " |")


if __name__ == "__main__":
    main()
