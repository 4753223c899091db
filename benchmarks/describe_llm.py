"""Descriptions from a language model, few-shot, against real marketing copy — before and after the checks.

    .venv/bin/python benchmarks/describe_llm.py [--n 30] [--model embedded] [--threads 2] [--k 2]

Data: a fixed sample (random.Random(0)) of the held-out fifth (crc32(id) % 5 == 0, as benchmarks/describe.py) of
../shared/data/zh_advertisegen_descriptions.jsonl (clothing attributes → a copywriter's description); the
retrieved few-shot examples and the composer's phrasing come from the other four fifths, never the held-out part.
Systems on the same products:
- compose_description fit on the train part (no model, the catalog's style, paragraph);
- the LLM alone, its raw answer (k retrieved examples, greedy, repeat_penalty 1.05);
- the same answers with every clause that claims what the product does not state removed, whole
  (DescriptionTask.without_unsupported: grounding findings and the composer's claim model);
- DescriptionTask with both generators: clause removal, checks, rule score with the catalog's length and style,
  selection per product.
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
import zlib
from pathlib import Path

from llm_titles import ReplayBackend

from listingforge.compliance import Checker, Lexicon
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
    held = [p for p in rows if zlib.crc32(p.id.encode()) % 5 == 0]
    return random.Random(0).sample(held, min(n, len(held))), [p for p in rows if zlib.crc32(p.id.encode()) % 5]


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
    t0 = time.perf_counter()
    composer = DescriptionComposer().fit(rest, lexicon=checker.lexicon)
    task = DescriptionTask(platform=load_platform(args.platform), checker=checker, composer=composer)
    comp = [composer.generate("description", p, 1, task.spec_for(p))[0].meta["paragraph"] for p in bare]
    rows = [row("compose_description (catalog style, paragraph)", comp, refs, bare, checker,
                (time.perf_counter() - t0) / len(bare))]

    # the task row replays the same (greedy) answers instead of generating them twice
    backend = ReplayBackend(make_backend("llama_cpp", model=args.model, n_threads=args.threads))
    gen = LLMGenerator(backend=backend, config=LLMConfig(fewshot="retrieved", k=args.k, max_n=1)).fit(rest)
    t0 = time.perf_counter()
    outs = gen.generate_many([GenerationRequest(task="description", product=p, n=1, spec=task.spec_for(p))
                              for p in bare])
    llm_s = (time.perf_counter() - t0) / len(bare)
    raw = [o[0] if isinstance(o, list) and o else None for o in outs]
    rows.append(row(f"LLM {args.model}, {args.k}-shot retrieved (raw)", [c.text if c else "" for c in raw], refs,
                    bare, checker, llm_s))
    kept = [task.without_unsupported(c, p) if c else None for c, p in zip(raw, bare, strict=True)]
    removed = sum(bool(c and (k is None or k.edits)) for c, k in zip(raw, kept, strict=True)) / len(bare)
    rows.append(row(f"  … unsupported clauses removed ({removed:.0%} of answers had one)",
                    [k.text if k else "" for k in kept], refs, bare, checker, None))

    both = DescriptionTask(platform=load_platform(args.platform), checker=checker, composer=composer,
                           extra_generators=[gen])
    t0 = time.perf_counter()
    res = [both.run(p) for p in bare]
    both_s = (time.perf_counter() - t0) / len(bare)
    texts = [split_description(r.best.candidate.text)[1] if r.best else "" for r in res]
    picked = sum(1 for r in res if r.best and r.best.candidate.generator.startswith("llm")) / len(res)
    rows.append(row(f"compose + LLM (checks, select; LLM picked {picked:.0%})", texts, refs, bare, checker, both_s))
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
