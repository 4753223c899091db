"""``listingforge finetune``: LoRA (or full) fine-tuning of the local model on a seller's pairs."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

import typer

from ..errors import ConfigError
from ._common import AttrColumnsOption, MapOption, SeedOption, console, parse_map


def register(app: typer.Typer) -> None:
    app.command("finetune")(finetune_command)


def finetune_command(
    pairs: Path | None = typer.Argument(None, help="pairs.jsonl: pair rows {product_id, input, output} or product "
                                                   "rows (id, attributes, title, description, tags …)."),
    task: str = typer.Option("title", "--task", "-t", help="title | short_title | description | tags"),
    base: str = typer.Option("embedded-small", "--model", help="The language model to tune: a model folder, hub id, "
                                                               ".gguf file, or an embedded model name "
                                                               "(embedded-small = Qwen2.5-Coder-0.5B)."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for the adapter, split.json and model card."),
    from_catalog: Path | None = typer.Option(None, "--from-catalog", help="Build the pairs from a catalog "
                                                                          "(CSV/XLSX/JSONL/Parquet) instead."),
    mapping: list[str] | None = MapOption,
    attr_columns: str | None = AttrColumnsOption,
    prompt: str = typer.Option("compact", "--prompt", help="Titles: compact (one facts line in, the title out: "
                                                            "what titles --engine llm asks by default) | full."),
    full: bool = typer.Option(False, "--full", help="Full fine-tuning instead of LoRA (small models only)."),
    rank: int = typer.Option(16, "--rank", help="LoRA rank r."),
    alpha: int = typer.Option(32, "--alpha", help="LoRA alpha (scale = alpha / r)."),
    dropout: float = typer.Option(0.05, "--dropout", help="LoRA dropout."),
    target_modules: str = typer.Option("q_proj,k_proj,v_proj,o_proj", "--target-modules",
                                       help="Comma-separated module names LoRA adapts (Qwen2: attention)."),
    lr: float | None = typer.Option(None, "--lr", help="Peak learning rate (default 2e-4 LoRA, 2e-5 full)."),
    weight_decay: float = typer.Option(0.0, "--weight-decay", help="AdamW weight decay."),
    epochs: float = typer.Option(1.0, "--epochs", help="Passes over the training pairs (may be fractional)."),
    max_steps: int | None = typer.Option(None, "--max-steps", help="Optimizer steps; overrides --epochs."),
    batch_size: int = typer.Option(4, "--batch-size", help="Examples per step (before accumulation)."),
    grad_accum: int = typer.Option(1, "--grad-accum", help="Gradient accumulation steps."),
    warmup_steps: int | None = typer.Option(None, "--warmup-steps", help="Default: --warmup-ratio of the steps."),
    warmup_ratio: float = typer.Option(0.05, "--warmup-ratio", help="Share of the steps spent warming up the "
                                                                    "learning rate."),
    max_grad_norm: float = typer.Option(1.0, "--max-grad-norm", help="Gradient clipping (0 = off)."),
    max_length: int = typer.Option(512, "--max-length", help="Tokens per example; longer ones are cut."),
    seed: int = SeedOption,
    val_size: float = typer.Option(0.1, "--val-size", help="Validation products: fraction (<1) or count."),
    test_size: float = typer.Option(0.1, "--test-size", help="Test products: fraction (<1) or count."),
    eval_every: int = typer.Option(50, "--eval-every", help="Steps between validation losses."),
    patience: int = typer.Option(3, "--patience", help="Evaluations without improvement before stopping (0 = off)."),
    min_delta: float = typer.Option(0.0, "--min-delta", help="Smallest validation-loss drop that counts as better."),
    save_every: int = typer.Option(0, "--save-every", help="Steps between checkpoints (0 = at each evaluation)."),
    keep_checkpoints: int = typer.Option(2, "--keep-checkpoints", help="Newest checkpoints kept on disk."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the newest checkpoint in --output."),
    precision: str = typer.Option("auto", "--precision", help="auto | fp32 | bf16 | fp16 (mixed, CUDA only)."),
    device: str = typer.Option("auto", "--device", help="auto | cpu | cuda | cuda:N"),
    threads: int | None = typer.Option(None, "--threads", help="CPU threads for torch."),
    platform: str = typer.Option("taobao", "--platform", "-p", help="Whose length limit the prompts state."),
    no_eval: bool = typer.Option(False, "--no-eval", help="Skip the before/after test-set generation."),
    eval_max_tokens: int | None = typer.Option(None, "--eval-max-tokens", help="Tokens generated per test "
                                                                                "example in the evaluation."),
    merge: bool = typer.Option(False, "--merge", help="Also write the base with the adapter merged (safetensors) "
                                                      "to OUTPUT/merged."),
    gguf: bool = typer.Option(False, "--gguf", help="With --merge: also write OUTPUT/merged/model-f16.gguf."),
    quantize: str | None = typer.Option(None, "--quantize", help="With --gguf: also write a quantized GGUF "
                                                                 "(Q4_K_M, Q5_K_M, Q6_K or Q8_0) for llama.cpp."),
) -> None:
    """Fine-tune the local model on labelled pairs; report test ROUGE-L/BLEU before vs after; write a model card."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [TextColumn("[bold]finetune"), BarColumn(), MofNCompleteColumn(),
               TextColumn("loss {task.fields[loss]} · val {task.fields[val]} · {task.fields[tps]} tok/s"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=False) as bar:
        task_id = bar.add_task("train", total=None, loss="–", val="–", tps="–")

        def progress(event: str, s: Any) -> None:
            if event == "start":
                bar.update(task_id, total=s.total_steps, completed=s.step)
            elif event == "step":
                bar.update(task_id, completed=s.step, loss=f"{s.loss:.3f}", tps=f"{s.tokens_per_s:.0f}")
            elif event == "eval" and not math.isnan(s.val_loss):
                bar.update(task_id, val=f"{s.val_loss:.3f}")

        summary = run_finetune(
            pairs, task=task, base=base, output=output, from_catalog=from_catalog, mapping=mapping,
            attr_columns=attr_columns, prompt=prompt, full=full, rank=rank, alpha=alpha, dropout=dropout,
            target_modules=target_modules, lr=lr, weight_decay=weight_decay, epochs=epochs, max_steps=max_steps,
            batch_size=batch_size, grad_accum=grad_accum, warmup_steps=warmup_steps, warmup_ratio=warmup_ratio,
            max_grad_norm=max_grad_norm, max_length=max_length, seed=seed, val_size=val_size, test_size=test_size,
            eval_every=eval_every, patience=patience, min_delta=min_delta, save_every=save_every,
            keep_checkpoints=keep_checkpoints, resume=resume, precision=precision, device=device, threads=threads, platform=platform,
            no_eval=no_eval, eval_max_tokens=eval_max_tokens, merge=merge, gguf=gguf, quantize=quantize,
            callback=progress)
    console.print(summary)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def run_finetune(pairs: Path | None, *, task: str, base: str, output: Path, from_catalog: Path | None = None,
                 mapping: list[str] | None = None, attr_columns: str | None = None, prompt: str = "compact",
                 full: bool = False,
                 rank: int = 16, alpha: int = 32, dropout: float = 0.05,
                 target_modules: str = "q_proj,k_proj,v_proj,o_proj", lr: float | None = None,
                 weight_decay: float = 0.0, epochs: float = 1.0, max_steps: int | None = None, batch_size: int = 4,
                 grad_accum: int = 1, warmup_steps: int | None = None, warmup_ratio: float = 0.05,
                 max_grad_norm: float = 1.0, max_length: int = 512, seed: int = 0, val_size: float = 0.1,
                 test_size: float = 0.1, eval_every: int = 50, patience: int = 3, min_delta: float = 0.0,
                 save_every: int = 0,
                 keep_checkpoints: int = 2, resume: bool = False, precision: str = "auto", device: str = "auto",
                 threads: int | None = None, platform: str = "taobao", no_eval: bool = False,
                 eval_max_tokens: int | None = None, merge: bool = False, gguf: bool = False,
                 quantize: str | None = None, callback: Any = None) -> str:
    """The plain function behind the command. Returns a short summary (before/after metrics, paths)."""
    from ..train import FinetuneConfig, finetune, pairs_from_catalog, read_pairs
    from ..train.export import quant_type

    if (pairs is None) == (from_catalog is None):
        raise ConfigError("give either a pairs file (PAIRS) or --from-catalog CATALOG, not both or neither")
    if gguf and not merge:
        raise ConfigError("--gguf exports the merged model: add --merge")
    if quantize and not gguf:
        raise ConfigError("--quantize writes a quantized GGUF: add --merge --gguf")
    if quantize:
        quant_type(quantize)  # before an hour of training, not after it
    source = pairs or from_catalog
    assert source is not None
    if not source.is_file():
        raise ConfigError(f"{source} does not exist")
    if from_catalog is not None:
        cols = [c.strip() for c in attr_columns.split(",")] if attr_columns else None
        pair_set = pairs_from_catalog(from_catalog, task, mapping=parse_map(mapping), attribute_columns=cols)  # type: ignore[arg-type]
    else:
        pair_set = read_pairs(source, task)  # type: ignore[arg-type]
    if not pair_set.pairs:
        raise ConfigError(f"{source}: no {task} pairs (skipped: {pair_set.skipped or 'none'})")
    try:
        cfg = FinetuneConfig(
            task=task, base=base, prompt=prompt, method="full" if full else "lora", lora_r=rank, lora_alpha=alpha,
            lora_dropout=dropout, target_modules=[m.strip() for m in target_modules.split(",") if m.strip()],
            learning_rate=lr, weight_decay=weight_decay, epochs=epochs, max_steps=max_steps, batch_size=batch_size,
            grad_accum=grad_accum, warmup_steps=warmup_steps, warmup_ratio=warmup_ratio,
            max_grad_norm=max_grad_norm, max_length=max_length, seed=seed, val_size=val_size, test_size=test_size,
            eval_every=eval_every, patience=patience, min_delta=min_delta, save_every=save_every,
            keep_checkpoints=keep_checkpoints, precision=precision, device=device, threads=threads, platform=platform, eval_test=not no_eval,
            eval_max_tokens=eval_max_tokens)
    except ValueError as exc:  # pydantic: a wrong choice (task, precision …)
        raise ConfigError(f"finetune options: {exc}") from exc
    info = {"file": str(source), "sha256": _sha256(source), "input": "catalog" if from_catalog else "pairs"}
    report = finetune(pair_set, cfg, output, resume=resume, callback=callback, data_info=info)
    lines = [f"saved {'adapter' if cfg.method == 'lora' else 'model'} to {output} ({report.steps} steps"
             f"{', stopped early' if report.stopped_early else ''}; best val loss "
             f"{report.best_val_loss if report.best_val_loss is not None else '–'}; "
             f"{report.tokens_per_s:.0f} tokens/s on {report.device})"]
    for name, m in (("before", report.before), ("after", report.after)):
        if m is not None:
            lines.append(f"  test {name}: ROUGE-L {m.rouge_l:.2f}  BLEU {m.bleu:.2f}  parsed {m.parsed:.0%}  "
                         f"({m.n} pairs)")
    if merge and cfg.method == "lora":
        from ..train.export import merge_and_export

        exported = merge_and_export(base, output, output / "merged", gguf=gguf, quantize=quantize)
        lines.append("  merged: " + ", ".join(str(p) for p in exported))
    elif merge:
        lines.append("  --merge: a full fine-tune is already a whole model folder")
    lines.append(f"  model card: {output / 'README.md'}")
    return "\n".join(lines)

