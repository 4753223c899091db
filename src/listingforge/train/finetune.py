"""LoRA (or full) fine-tuning of a local causal language model on a seller's pairs.

    finetune(pairs, FinetuneConfig(task=..., base=...), "adapters/x", resume=False, callback=None)
        -> FinetuneReport

One loop, no hidden state: AdamW, linear warm-up then linear decay, gradient accumulation, gradient
clipping, mixed precision on CUDA (bf16, or fp16 with a loss scaler), validation loss every
``eval_every`` steps with early stopping (the best weights are the ones saved), checkpoints that
resume to the same step with the same data order, and a test-set evaluation before and after.

The output folder holds the adapter (``adapter_config.json`` + ``adapter_model.safetensors``, loadable
with ``LocalHFBackend(model=base, adapter=folder)``) or, for full fine-tuning, a whole model folder;
``split.json``, ``finetune.json`` and ``README.md`` (the model card) sit beside it.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..errors import ConfigError, ModelAssetError
from ..product import Task
from .data import IGNORE, Example, PromptFormat, collate, encode, ensure_chat_template, training_spec
from .evaluation import TestMetrics, evaluate_model, max_new_tokens
from .pairs import Pair, PairSet, Split, split_by_product

VERSION = 1
QWEN2_ATTENTION = ["q_proj", "k_proj", "v_proj", "o_proj"]  # LoRA on attention keeps general ability


class FinetuneConfig(BaseModel):
    """Every choice of a run; the whole object is written to the model card."""

    task: Task = "title"
    base: str  # model folder, hub id, .gguf file, or an embedded model name (embedded-small …)
    # titles: "compact" trains on the generator's default prompt (one facts line in, the title out, no examples);
    # "full" on its data block and JSON answer. Other tasks always use the full prompt.
    prompt: Literal["compact", "full"] = "compact"
    method: Literal["lora", "full"] = "lora"
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    target_modules: list[str] = Field(default_factory=lambda: list(QWEN2_ATTENTION))
    learning_rate: float | None = None  # None: 2e-4 for LoRA, 2e-5 for full fine-tuning
    weight_decay: float = 0.0
    epochs: float = 1.0
    max_steps: int | None = None  # optimizer steps; overrides epochs
    batch_size: int = 4
    grad_accum: int = 1
    warmup_steps: int | None = None  # None: warmup_ratio of the steps
    warmup_ratio: float = 0.05
    max_grad_norm: float = 1.0  # 0 turns clipping off
    max_length: int = 512  # tokens per example (prompt + answer); longer ones are cut, counted
    seed: int = 0
    val_size: float = 0.1  # fraction (< 1) or number (≥ 1) of products
    test_size: float = 0.1
    eval_every: int = 50  # optimizer steps between validation losses (and at the end)
    patience: int = 3  # evaluations without improvement before stopping; 0 = never stop early
    min_delta: float = 0.0
    save_every: int = 0  # optimizer steps between checkpoints; 0 = at each evaluation
    keep_checkpoints: int = 2
    precision: Literal["auto", "fp32", "bf16", "fp16"] = "auto"  # auto: bf16/fp16 on CUDA, fp32 on CPU
    device: str = "auto"
    threads: int | None = None  # CPU threads for torch (process-wide)
    platform: str = "taobao"  # whose length limit the prompts state
    eval_test: bool = True  # generate on the test split before and after
    eval_max_tokens: int | None = None  # None: the generator's budget for the task
    eval_batch_size: int = 8

    def lr(self) -> float:
        return self.learning_rate or (2e-4 if self.method == "lora" else 2e-5)


@dataclass
class TrainState:
    """What the progress callback sees, and what a checkpoint restores."""

    step: int = 0  # optimizer steps done
    total_steps: int = 0
    epoch: float = 0.0
    loss: float = math.nan  # mean training loss over the last optimizer step
    lr: float = 0.0
    tokens: int = 0  # training tokens seen (non-padding)
    seconds: float = 0.0  # training time (this process plus restored runs), evaluations excluded
    val_loss: float = math.nan
    best_val_loss: float = math.inf
    best_step: int = 0
    bad_evals: int = 0
    stopped_early: bool = False
    history: list[dict[str, float]] = field(default_factory=list)  # per step and per evaluation

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0


Callback = Callable[[str, TrainState], None]  # event: "start" | "step" | "eval" | "end"


class FinetuneReport(BaseModel):
    output_dir: str
    config: FinetuneConfig
    split: dict[str, int]
    pairs: dict[str, Any]  # counts: train/validation/test pairs, duplicates, skipped, truncated
    steps: int
    epochs: float
    best_step: int
    best_val_loss: float | None
    final_train_loss: float | None
    stopped_early: bool
    tokens: int
    train_seconds: float
    tokens_per_s: float
    device: str
    precision: str
    trainable_params: int
    total_params: int
    before: TestMetrics | None = None
    after: TestMetrics | None = None
    history: list[dict[str, float]] = Field(default_factory=list)
    versions: dict[str, str] = Field(default_factory=dict)
    created: str = ""
    data: dict[str, Any] = Field(default_factory=dict)  # where the pairs came from


# ---------------------------------------------------------------- loading


def load_base(base: str, *, device: str, dtype: Any = None) -> tuple[Any, Any, str]:
    """(model, tokenizer, source) from a folder, hub id, .gguf file or embedded model name."""
    import transformers

    from ..generate import assets

    text = str(base)
    path = Path(text).expanduser()
    if not path.exists() and assets.alias(text) in assets.MODELS:
        path = assets.ensure_model(text)
    load: dict[str, Any] = {"local_files_only": path.exists() or bool(os.environ.get("HF_HUB_OFFLINE"))}
    if path.suffix == ".gguf":
        src, load["gguf_file"] = str(path.parent), path.name
    else:
        src = str(path) if path.exists() else text
    try:
        tok = transformers.AutoTokenizer.from_pretrained(src, **load)
        model = transformers.AutoModelForCausalLM.from_pretrained(src, dtype=dtype, **load)
    except (OSError, ValueError) as exc:
        raise ModelAssetError(f"cannot load base model {text!r}: {exc}. Give a local folder, a .gguf file or "
                              "an embedded model name (embedded-small).") from exc
    ensure_chat_template(tok)
    return _unmarked(model).to(device), tok, str(path) if path.exists() else text


def _unmarked(model: Any) -> Any:
    """A model read from a .gguf with every weight unpacked (no GGUF matmul kernel here) is a plain dense model, but
    transformers keeps it marked "quantized with gguf" and refuses to save it — the merged model could not be
    written. Where no layer kept its weights in GGUF blocks, the mark goes."""
    if getattr(model, "hf_quantizer", None) is None:
        return model
    if any(type(m).__name__.lower().startswith("gguf") for m in model.modules()):
        return model  # weights packed in GGUF blocks: really quantized
    model.hf_quantizer = None
    if getattr(model.config, "quantization_config", None) is not None:
        del model.config.quantization_config
    return model


def _precision(cfg: FinetuneConfig, device: str) -> str:
    import torch

    if cfg.precision != "auto":
        if cfg.precision != "fp32" and not device.startswith("cuda"):
            raise ConfigError(f"--precision {cfg.precision} needs a CUDA device; this run is on {device}")
        return cfg.precision
    if device.startswith("cuda"):
        return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return "fp32"


def _wrap(model: Any, cfg: FinetuneConfig) -> Any:
    if cfg.method == "full":
        for p in model.parameters():
            p.requires_grad_(True)
        return model
    try:
        import peft
    except ImportError as exc:
        raise ConfigError("LoRA needs peft: pip install 'listingforge[hf]'") from exc
    names = {n.rsplit(".", 1)[-1] for n, _ in model.named_modules()}
    missing = [t for t in cfg.target_modules if t not in names]
    if missing:
        raise ConfigError(f"--target-modules {missing} are not modules of this model; it has e.g. "
                          f"{sorted(n for n in names if n.endswith('proj'))[:8]}")
    lora = peft.LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                           target_modules=list(cfg.target_modules), task_type="CAUSAL_LM")
    return peft.get_peft_model(model, lora)


def _trainable_state(model: Any) -> dict[str, Any]:
    return {n: p.detach().to("cpu", copy=True) for n, p in model.named_parameters() if p.requires_grad}


def _load_trainable(model: Any, state: dict[str, Any]) -> None:
    import torch

    params = dict(model.named_parameters())
    with torch.no_grad():
        for n, v in state.items():
            params[n].copy_(v.to(params[n].device))


# ---------------------------------------------------------------- the loop


def answer_loss(model: Any, batch: dict[str, Any]) -> Any:
    """Mean cross-entropy over the answer tokens of a collated batch — the model's own loss — with logits only
    from the batch's first answer position on: projecting every prompt token onto the vocabulary (151k
    columns for Qwen) was a third of a CPU step, for tokens whose loss is ignored."""
    import torch

    labels = batch["labels"]
    first = int((labels != IGNORE).long().argmax(dim=1).min())  # never 0: a prompt precedes every answer
    keep = labels.shape[1] - first + 1  # the logit at position i predicts token i + 1
    inputs = {k: v for k, v in batch.items() if k != "labels"}
    logits = model(**inputs, logits_to_keep=keep).logits[:, :-1].float()
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels[:, first:].reshape(-1),
                                             ignore_index=IGNORE)


class _Loop:
    def __init__(self, model: Any, tok: Any, cfg: FinetuneConfig, train: list[Example], val: list[Example],
                 device: str, precision: str, out: Path, callback: Callback | None) -> None:
        import torch

        self.torch, self.model, self.tok, self.cfg = torch, model, tok, cfg
        self.train, self.val, self.device, self.precision, self.out = train, val, device, precision, out
        self.callback = callback
        self.n_batches = math.ceil(len(train) / cfg.batch_size)
        per_epoch = math.ceil(self.n_batches / cfg.grad_accum)
        self.total = cfg.max_steps or max(1, math.ceil(cfg.epochs * per_epoch))
        warm = cfg.warmup_steps if cfg.warmup_steps is not None else int(cfg.warmup_ratio * self.total)
        self.warmup = min(warm, self.total)
        params = [p for p in model.parameters() if p.requires_grad]
        self.opt = torch.optim.AdamW(params, lr=cfg.lr(), weight_decay=cfg.weight_decay)
        self.sched = torch.optim.lr_scheduler.LambdaLR(self.opt, self._lr_factor)
        self.scaler = torch.amp.GradScaler("cuda") if precision == "fp16" else None
        self.autocast_dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)
        self.state = TrainState(total_steps=self.total)
        self.best: dict[str, Any] | None = None
        self._orders: dict[int, list[int]] = {}

    def _lr_factor(self, step: int) -> float:
        if self.warmup and step < self.warmup:
            return (step + 1) / (self.warmup + 1)
        rest = max(1, self.total - self.warmup)
        return max(0.0, (self.total - step) / rest)

    def _order(self, epoch: int) -> list[int]:
        # a pure function of (seed, epoch): a resumed run sees the same batches
        if epoch not in self._orders:
            idx = list(range(len(self.train)))
            random.Random(self.cfg.seed * 100_003 + epoch).shuffle(idx)
            self._orders = {epoch: idx}
        return self._orders[epoch]

    def _batch(self, micro: int) -> list[Example]:
        epoch, pos = divmod(micro, self.n_batches)
        order = self._order(epoch)
        return [self.train[i] for i in order[pos * self.cfg.batch_size:(pos + 1) * self.cfg.batch_size]]

    def _forward(self, batch: list[Example]) -> tuple[Any, int]:
        torch = self.torch
        enc = {k: v.to(self.device) for k, v in collate(batch, self.tok.pad_token_id).items()}
        if self.autocast_dtype is not None:
            with torch.autocast(device_type="cuda", dtype=self.autocast_dtype):
                loss = answer_loss(self.model, enc)
        else:
            loss = answer_loss(self.model, enc)
        return loss, int(enc["attention_mask"].sum())

    def val_loss(self) -> float:
        """Mean loss per answer token over the validation set."""
        torch = self.torch
        self.model.eval()
        total, count = 0.0, 0
        order = sorted(self.val, key=lambda e: len(e.input_ids))
        with torch.no_grad():
            for s in range(0, len(order), self.cfg.batch_size):
                batch = order[s:s + self.cfg.batch_size]
                loss, _ = self._forward(batch)
                # model loss is a mean over the batch's shifted answer tokens
                n = sum(max(0, sum(1 for x in e.labels[1:] if x != -100)) for e in batch)
                total += float(loss) * n
                count += n
        self.model.train()
        return total / count if count else math.nan

    def _evaluate(self) -> bool:
        """Validation loss, best-weights bookkeeping; True when early stopping says stop."""
        st, cfg = self.state, self.cfg
        if not self.val:
            return False
        st.val_loss = self.val_loss()
        st.history.append({"step": st.step, "val_loss": st.val_loss})
        if st.val_loss < st.best_val_loss - cfg.min_delta:
            st.best_val_loss, st.best_step, st.bad_evals = st.val_loss, st.step, 0
            self.best = _trainable_state(self.model)
        else:
            st.bad_evals += 1
        if self.callback:
            self.callback("eval", st)
        return bool(cfg.patience) and st.bad_evals >= cfg.patience

    def run(self) -> TrainState:
        torch, st, cfg = self.torch, self.state, self.cfg
        self.model.train()
        if self.callback:
            self.callback("start", st)
        if st.step == 0 and self.val:
            self._evaluate()  # the untrained baseline: a run that never improves keeps the base weights
        while st.step < self.total:
            t0 = time.perf_counter()
            losses, tokens = [], 0
            for k in range(cfg.grad_accum):
                loss, n = self._forward(self._batch(st.step * cfg.grad_accum + k))
                scaled = loss / cfg.grad_accum
                (self.scaler.scale(scaled) if self.scaler else scaled).backward()
                losses.append(float(loss.detach()))
                tokens += n
            if self.scaler:
                self.scaler.unscale_(self.opt)
            if cfg.max_grad_norm:
                torch.nn.utils.clip_grad_norm_([p for p in self.model.parameters() if p.requires_grad],
                                               cfg.max_grad_norm)
            if self.scaler:
                self.scaler.step(self.opt)
                self.scaler.update()
            else:
                self.opt.step()
            self.opt.zero_grad(set_to_none=True)
            st.lr = self.sched.get_last_lr()[0]
            self.sched.step()
            st.step += 1
            st.epoch = st.step * cfg.grad_accum / self.n_batches
            st.loss = sum(losses) / len(losses)
            st.tokens += tokens
            st.seconds += time.perf_counter() - t0
            st.history.append({"step": st.step, "loss": st.loss, "lr": st.lr})
            if self.callback:
                self.callback("step", st)
            last = st.step >= self.total
            stop = False
            if st.step % max(1, cfg.eval_every) == 0 or last:
                stop = self._evaluate()
            every = cfg.save_every or cfg.eval_every
            if (st.step % max(1, every) == 0 or last or stop) and cfg.keep_checkpoints > 0:
                self.save_checkpoint()
            if stop:
                st.stopped_early = True
                break
        if self.best is not None:
            _load_trainable(self.model, self.best)
        if self.callback:
            self.callback("end", st)
        return st

    # ------------------------------------------------------------ checkpoints

    def save_checkpoint(self) -> Path:
        torch = self.torch
        folder = self.out / "checkpoints" / f"step-{self.state.step:06d}"
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        torch.save({
            "weights": _trainable_state(self.model),
            "best": self.best,
            "optimizer": self.opt.state_dict(),
            "scheduler": self.sched.state_dict(),
            "scaler": self.scaler.state_dict() if self.scaler else None,
            "rng": {"python": random.getstate(), "torch": torch.get_rng_state(),
                    "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None},
        }, tmp / "trainer.pt")
        state = {k: v for k, v in self.state.__dict__.items()}
        state["best_val_loss"] = None if math.isinf(self.state.best_val_loss) else self.state.best_val_loss
        (tmp / "state.json").write_text(json.dumps({"state": state, "config": self.cfg.model_dump()},
                                                   ensure_ascii=False, indent=1), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)  # a checkpoint is complete or absent
        for old in list_checkpoints(self.out)[:-self.cfg.keep_checkpoints]:
            shutil.rmtree(old, ignore_errors=True)
        return folder

    def load_checkpoint(self, folder: Path) -> None:
        torch = self.torch
        saved = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        blob = torch.load(folder / "trainer.pt", map_location="cpu", weights_only=False)
        _load_trainable(self.model, blob["weights"])
        self.best = blob["best"]
        self.opt.load_state_dict(blob["optimizer"])
        self.sched.load_state_dict(blob["scheduler"])
        if self.scaler and blob["scaler"]:
            self.scaler.load_state_dict(blob["scaler"])
        random.setstate(blob["rng"]["python"])
        torch.set_rng_state(blob["rng"]["torch"])
        if blob["rng"]["cuda"] is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(blob["rng"]["cuda"])
        s = saved["state"]
        s["best_val_loss"] = math.inf if s["best_val_loss"] is None else s["best_val_loss"]
        s["total_steps"] = self.total
        self.state = TrainState(**s)


def list_checkpoints(output_dir: str | Path) -> list[Path]:
    """Complete checkpoints, oldest first."""
    root = Path(output_dir) / "checkpoints"
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("step-")
                  and not p.name.endswith(".tmp") and (p / "state.json").is_file())


# ---------------------------------------------------------------- the whole run


def _versions() -> dict[str, str]:
    import contextlib
    from importlib import metadata

    out = {}
    for name in ("listingforge", "torch", "transformers", "peft"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


def _encode_all(pairs: Sequence[Pair], tok: Any, fmt: PromptFormat, max_length: int
                ) -> tuple[list[Example], int, int]:
    out, dropped, truncated = [], 0, 0
    for p in pairs:
        ex = encode(p, tok, fmt, max_length)
        if ex is None:
            dropped += 1
            continue
        truncated += ex.truncated
        out.append(ex)
    return out, dropped, truncated


def finetune(
    pairs: PairSet | Sequence[Pair],
    config: FinetuneConfig,
    output_dir: str | Path,
    *,
    resume: bool | str | Path = False,
    callback: Callback | None = None,
    data_info: dict[str, Any] | None = None,
) -> FinetuneReport:
    """Split, train, evaluate before/after on the test split, save adapter + split + model card.

    ``resume``: True continues from the newest checkpoint in ``output_dir/checkpoints`` (and its
    recorded split); a path names one checkpoint. ``data_info`` (source file, hash …) goes into the card.
    """
    import torch

    from .card import write_card

    cfg = config
    out = Path(output_dir)
    pair_set = pairs if isinstance(pairs, PairSet) else PairSet(pairs=list(pairs))
    all_pairs = pair_set.pairs
    checkpoint: Path | None = None
    if resume:
        found = list_checkpoints(out)
        checkpoint = Path(resume) if not isinstance(resume, bool) else (found[-1] if found else None)
        if checkpoint is None or not (checkpoint / "state.json").is_file():
            raise ConfigError(f"--resume: no checkpoint in {out / 'checkpoints'}" if checkpoint is None
                              else f"--resume: {checkpoint} is not a checkpoint folder (no state.json)")
    split_file = out / "split.json"
    if checkpoint is not None and split_file.is_file():
        split = Split.load(split_file)  # the recorded split, not a new one
    else:
        split = split_by_product(all_pairs, validation=cfg.val_size, test=cfg.test_size, seed=cfg.seed)
    out.mkdir(parents=True, exist_ok=True)
    split.save(split_file)

    random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    device = ("cuda" if torch.cuda.is_available() else "cpu") if cfg.device == "auto" else cfg.device
    precision = _precision(cfg, device)
    model, tok, source = load_base(cfg.base, device=device, dtype=torch.float32)
    lang = all_pairs[0].lang if all_pairs else "zh"
    spec = training_spec(cfg.task, cfg.platform, lang)
    train_pairs = split.of("train", all_pairs)
    compact = cfg.task == "title" and cfg.prompt == "compact"
    fmt = PromptFormat.compact_for(spec, train_pairs) if compact else PromptFormat(spec)

    train_ex, drop_tr, trunc_tr = _encode_all(train_pairs, tok, fmt, cfg.max_length)
    val_ex, drop_va, trunc_va = _encode_all(split.of("validation", all_pairs), tok, fmt, cfg.max_length)
    if not train_ex:
        raise ConfigError("no training example fits --max-length; raise it")
    test_pairs = split.of("test", all_pairs)
    eval_tokens = cfg.eval_max_tokens or max_new_tokens(cfg.task, spec)

    before: TestMetrics | None = None
    before_file = out / "test_before.json"
    if cfg.eval_test and test_pairs:
        if checkpoint is not None and before_file.is_file():
            before = TestMetrics.model_validate_json(before_file.read_text(encoding="utf-8"))
        else:
            before = evaluate_model(model, tok, test_pairs, fmt, max_tokens=eval_tokens,
                                    batch_size=cfg.eval_batch_size, device=device)
            before_file.write_text(before.model_dump_json(indent=1), encoding="utf-8")

    model = _wrap(model, cfg)
    model.to(device)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    loop = _Loop(model, tok, cfg, train_ex, val_ex, device, precision, out, callback)
    if checkpoint is not None:
        loop.load_checkpoint(checkpoint)
    state = loop.run()

    after: TestMetrics | None = None
    if cfg.eval_test and test_pairs:
        after = evaluate_model(loop.model, tok, test_pairs, fmt, max_tokens=eval_tokens,
                               batch_size=cfg.eval_batch_size, device=device)

    if cfg.method == "lora":  # the file the base came from, not the folder transformers saw for a .gguf
        for pc in loop.model.peft_config.values():
            pc.base_model_name_or_path = source
    loop.model.save_pretrained(out, safe_serialization=True)
    if cfg.method == "full":
        tok.save_pretrained(out)
    train_losses = [h["loss"] for h in state.history if "loss" in h]
    report = FinetuneReport(
        output_dir=str(out), config=cfg, split=split.counts(),
        pairs={"train": len(train_ex), "validation": len(val_ex), "test": len(test_pairs),
               "duplicates_dropped": pair_set.duplicates, "skipped": pair_set.skipped,
               "too_long_dropped": drop_tr + drop_va, "truncated": trunc_tr + trunc_va},
        steps=state.step, epochs=round(state.epoch, 3), best_step=state.best_step,
        best_val_loss=None if math.isinf(state.best_val_loss) else state.best_val_loss,
        final_train_loss=train_losses[-1] if train_losses else None, stopped_early=state.stopped_early,
        tokens=state.tokens, train_seconds=round(state.seconds, 2), tokens_per_s=round(state.tokens_per_s, 2),
        device=device, precision=precision, trainable_params=trainable, total_params=total,
        before=before, after=after, history=state.history, versions=_versions(),
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        data={"base_source": source, "spec": spec.model_dump(), **(data_info or {})},
    )
    (out / "finetune.json").write_text(report.model_dump_json(indent=1), encoding="utf-8")
    write_card(report, out / "README.md")
    return report
