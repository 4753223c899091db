"""Local Hugging Face models (transformers): any model folder or hub id, GGUF too, LoRA adapters.

Nothing is downloaded unless the caller allows it: ``local_files_only`` defaults to True when
``HF_HUB_OFFLINE`` is set or the model is a local folder. Requests with the same decoding settings are
batched (left padding); different settings run as separate batches. No grammar: the JSON schema is
ignored and the parser checks the text (``structured=False``).
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ...errors import BackendError, ConfigError, ModelAssetError
from .base import Completion, CompletionRequest, complete_one, missing_extra

# used when a tokenizer has no chat template of its own (ChatML, as Qwen uses)
FALLBACK_CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


class LocalHFBackend:
    """``model``: a folder, a hub id, or a ``.gguf`` file (dequantized by transformers: slow, see docs)."""

    name = "local_hf"

    def __init__(
        self,
        *,
        model: str | os.PathLike[str],
        adapter: str | os.PathLike[str] | None = None,
        device: str = "auto",
        dtype: str = "auto",
        batch_size: int = 8,
        local_files_only: bool | None = None,
        trust_remote_code: bool = False,
        threads: int | None = None,
    ) -> None:
        try:
            import torch
            import transformers
        except ImportError as exc:
            raise ConfigError(missing_extra("the local_hf backend", "transformers/torch", "hf")) from exc
        self._torch = torch
        if threads:  # process-wide: torch has one CPU thread pool; oversubscribed cores crawl
            torch.set_num_threads(threads)
        text = str(model)
        path = Path(text).expanduser()
        if local_files_only is None:
            local_files_only = path.exists() or bool(os.environ.get("HF_HUB_OFFLINE"))
        load: dict[str, Any] = {"local_files_only": local_files_only, "trust_remote_code": trust_remote_code}
        if path.suffix == ".gguf":
            if not path.is_file():
                raise ModelAssetError(f"GGUF file not found: {path}")
            src, load["gguf_file"] = str(path.parent), path.name
        else:
            src = str(path) if path.exists() else text
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = device
        if dtype == "auto":
            torch_dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
        else:
            torch_dtype = getattr(torch, dtype)
        try:
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(src, **load)
            self.model = transformers.AutoModelForCausalLM.from_pretrained(src, dtype=torch_dtype, **load)
        except (OSError, ValueError) as exc:
            raise ModelAssetError(
                f"cannot load Hugging Face model {text!r}: {exc}. Give a local folder, or allow downloads "
                "(unset HF_HUB_OFFLINE) for a hub id."
            ) from exc
        self.model_id = path.name if path.exists() else text
        if adapter:
            try:
                from peft import PeftModel
            except ImportError as exc:
                raise ConfigError(missing_extra("LoRA adapters", "peft", "hf")) from exc
            apath = Path(adapter).expanduser()
            if not apath.exists():
                raise ModelAssetError(f"LoRA adapter folder not found: {apath}")
            self.model = PeftModel.from_pretrained(self.model, str(apath))
            self.model_id += f"+{apath.name}"
        self.model.to(device)
        self.model.eval()
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.tokenizer.padding_side = "left"  # decoder-only batching
        if not getattr(self.tokenizer, "chat_template", None):
            self.tokenizer.chat_template = FALLBACK_CHAT_TEMPLATE
        self.batch_size = max(1, batch_size)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LocalHFBackend(model={self.model_id!r}, device={self.device!r})"

    def complete(self, request: CompletionRequest) -> Completion:
        return complete_one(self, request)

    def complete_many(self, requests: list[CompletionRequest]) -> list[Completion | BackendError]:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(requests):
            groups[r.decoding.model_dump_json(exclude={"seed"})].append(i)
        out: list[Completion | BackendError | None] = [None] * len(requests)
        with self._lock:
            for idx in groups.values():
                for s in range(0, len(idx), self.batch_size):
                    chunk = idx[s: s + self.batch_size]
                    try:
                        for i, comp in zip(chunk, self._batch([requests[i] for i in chunk]), strict=True):
                            out[i] = comp
                    except (RuntimeError, ValueError) as exc:
                        err = BackendError(f"transformers generation failed: {exc}", retryable=False)
                        for i in chunk:
                            out[i] = err
        return [o for o in out if o is not None]

    def _batch(self, reqs: list[CompletionRequest]) -> list[Completion]:
        torch = self._torch
        d = reqs[0].decoding
        prompts = [self.tokenizer.apply_chat_template([m.model_dump() for m in r.messages], tokenize=False,
                                                      add_generation_prompt=True) for r in reqs]
        enc = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
        gen: dict[str, Any] = {"max_new_tokens": d.max_tokens, "pad_token_id": self.tokenizer.pad_token_id}
        if d.temperature > 0:
            gen.update(do_sample=True, temperature=d.temperature, top_p=d.top_p)
            torch.manual_seed(reqs[0].decoding.seed or 0)  # one seed per batch: reproducible, not per row
        else:
            gen.update(do_sample=False)
        if d.repeat_penalty and d.repeat_penalty != 1.0:
            gen["repetition_penalty"] = d.repeat_penalty
        if d.stop:
            gen.update(stop_strings=d.stop, tokenizer=self.tokenizer)
        start = time.perf_counter()
        with torch.inference_mode():
            ids = self.model.generate(**enc, **gen)
        seconds = (time.perf_counter() - start) / len(reqs)
        width = enc["input_ids"].shape[1]
        out = []
        eos = self.tokenizer.eos_token_id
        for row, r in enumerate(reqs):
            new = ids[row, width:]
            n_new = int((new != self.tokenizer.pad_token_id).sum())
            text = self.tokenizer.decode(new, skip_special_tokens=True)
            for s in d.stop:  # generate stops after the stop string; the text should not contain it
                cut = text.find(s)
                if cut >= 0:
                    text = text[:cut]
            hit_eos = eos is not None and bool((new == eos).any())
            out.append(Completion(
                text=text, prompt_tokens=int(enc["attention_mask"][row].sum()), completion_tokens=n_new,
                finish_reason="stop" if hit_eos or n_new < d.max_tokens else "length",
                seconds=seconds, structured=False, tag=r.tag,
            ))
        return out
