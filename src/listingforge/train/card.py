"""The model card (README.md) written beside an adapter: what it was trained from, on what, how, and how
well it does on the held-out products, before and after."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .evaluation import TestMetrics
    from .finetune import FinetuneReport


def _num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _metrics_table(before: TestMetrics | None, after: TestMetrics | None) -> list[str]:
    if before is None and after is None:
        return ["No test evaluation (empty test split or `--no-eval`)."]
    rows = ["| | ROUGE-L | BLEU | parsed | products |", "|---|---|---|---|---|"]
    for name, m in (("base model", before), ("fine-tuned", after)):
        if m is not None:
            rows.append(f"| {name} | {_num(m.rouge_l)} | {_num(m.bleu)} | {_num(m.parsed * 100, 0)}% | {m.n} |")
    sig = (after or before).bleu_signature if (after or before) else ""
    rows += ["", "ROUGE-L: F1 ×100 on characters for Chinese, words otherwise (listingforge.evaluate.metrics). "
             f"BLEU: sacrebleu `{sig}`. Greedy decoding, the generator's prompts and parser; an unparseable "
             "answer scores as empty text."]
    return rows


def render_card(r: FinetuneReport) -> str:
    c = r.config
    base_name = Path(c.base).name if Path(c.base).exists() else c.base
    lines = [
        "---",
        f"base_model: {base_name}",
        f"library_name: {'peft' if c.method == 'lora' else 'transformers'}",
        "tags: [listingforge, " + c.task + (", lora]" if c.method == "lora" else "]"),
        "---",
        "",
        f"# listingforge {c.task} model ({c.method})",
        "",
        f"Fine-tuned {r.created} from **{c.base}** for the `{c.task}` task with the listingforge generator's own "
        "prompts (chat template, natural-language instructions, JSON answer).",
        "",
        "## Use",
        "",
        "```bash",
        (f"export LISTINGFORGE_BACKEND=local_hf LISTINGFORGE_MODEL={r.data.get('base_source', c.base)} "
         f"LISTINGFORGE_ADAPTER={r.output_dir}" if c.method == "lora"
         else f"export LISTINGFORGE_BACKEND=local_hf LISTINGFORGE_MODEL={r.output_dir}"),
        f"listingforge {'describe' if c.task == 'description' else 'titles'} catalog.csv --engine llm",
        "```",
        "",
        ("Python: `LocalHFBackend(model=BASE, adapter=THIS_FOLDER)`." if c.method == "lora"
         else "Python: `LocalHFBackend(model=THIS_FOLDER)`.")
        + " Trained without few-shot examples: `LLMGenerator(fewshot=\"none\")` matches training and saves "
        "prompt tokens.",
        "",
        "## Data",
        "",
    ]
    labels = {"base_source": "base model loaded from", "file": "pairs from", "input": "input kind"}
    for k, v in r.data.items():
        if k != "spec":
            lines.append(f"- {labels.get(k, k)}: {v}")
    spec = r.data.get("spec", {})
    lines += [
        f"- prompt spec: platform {spec.get('platform')}, {spec.get('max_units')} {spec.get('unit')}, "
        f"lang {spec.get('lang')}",
        f"- pairs: {r.pairs.get('train')} train, {r.pairs.get('validation')} validation, {r.pairs.get('test')} test; "
        f"{r.pairs.get('duplicates_dropped', 0)} duplicates dropped; skipped {r.pairs.get('skipped') or 'none'}; "
        f"{r.pairs.get('truncated', 0)} truncated to {c.max_length} tokens",
        f"- split by product id (seed {c.seed}): {r.split['train']} / {r.split['validation']} / {r.split['test']} "
        "products, listed in `split.json`",
        "",
        "## Training",
        "",
        f"- method: {c.method}" + (f", LoRA r={c.lora_r}, alpha={c.lora_alpha}, dropout={c.lora_dropout}, "
                                   f"modules {', '.join(c.target_modules)}" if c.method == "lora" else ""),
        f"- trainable parameters: {r.trainable_params:,} of {r.total_params:,}",
        f"- AdamW lr {c.lr():g}, weight decay {c.weight_decay}, warm-up "
        f"{c.warmup_steps if c.warmup_steps is not None else f'{c.warmup_ratio:.0%}'} then linear decay, "
        f"batch {c.batch_size} × accumulation {c.grad_accum}, grad clip {c.max_grad_norm}, seed {c.seed}",
        f"- steps: {r.steps} ({r.epochs} epochs){'; stopped early' if r.stopped_early else ''}; best validation "
        f"loss {_num(r.best_val_loss, 4)} at step {r.best_step} (patience {c.patience}, every {c.eval_every} steps); "
        f"last training loss {_num(r.final_train_loss, 4)}",
        f"- device {r.device}, precision {r.precision}; {r.tokens:,} training tokens in {r.train_seconds:.0f} s "
        f"({r.tokens_per_s:.1f} tokens/s)",
        f"- versions: {', '.join(f'{k} {v}' for k, v in r.versions.items())}",
        "",
        "## Test set (held-out products)",
        "",
        *_metrics_table(r.before, r.after),
        "",
        "Full numbers, history and configuration: `finetune.json`.",
        "",
    ]
    return "\n".join(lines)


def write_card(report: FinetuneReport, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_card(report), encoding="utf-8")
    return path
