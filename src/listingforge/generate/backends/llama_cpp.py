"""llama.cpp (llama-cpp-python) on CPU: the embedded model, or any GGUF file.

The few-shot prompt of consecutive requests shares a long prefix (system text, examples); llama.cpp
reuses the KV cache of the longest common token prefix with the previous prompt, so only the product
part is evaluated again (``prefix_cache=False`` resets it before every request, for measuring). An
optional RAM cache (``ram_cache_bytes``) also keeps earlier prefixes.
JSON output is enforced with a grammar built from the task's JSON schema.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from ...errors import BackendError, ConfigError, ModelAssetError
from .base import Completion, CompletionRequest, missing_extra


class LlamaCppBackend:
    """``model``: a GGUF path, or an embedded model name (``embedded``, ``embedded-small``; see assets)."""

    name = "llama_cpp"

    def __init__(
        self,
        *,
        model: str | os.PathLike[str] = "embedded",
        n_ctx: int = 4096,
        n_threads: int | None = None,
        n_batch: int = 256,
        prefix_cache: bool = True,
        ram_cache_bytes: int = 0,
        grammar: bool = True,
        cache_dir: str | os.PathLike[str] | None = None,
        seed: int = 0,
        verbose: bool = False,
    ) -> None:
        try:
            import llama_cpp
        except ImportError as exc:
            raise ConfigError(missing_extra("the llama_cpp backend", "llama_cpp", "llm")) from exc
        from ..assets import resolve_model

        self.path = resolve_model(model, cache_dir=cache_dir)
        if not self.path.is_file():
            raise ModelAssetError(f"GGUF model file not found: {self.path}")
        self.model_id = _model_id(model, self.path)
        self.prefix_cache = prefix_cache
        self.grammar = grammar
        self._lock = threading.Lock()  # one llama context: one request at a time
        self._grammars: dict[str, Any] = {}
        try:
            self.llm = llama_cpp.Llama(
                model_path=str(self.path), n_ctx=n_ctx, n_batch=n_batch, seed=seed, verbose=verbose,
                # physical cores, not hyperthreads: llama.cpp threads spin-wait, and on an oversubscribed
                # 2-core box 2 threads ran 15x slower than 1 (docs/llm.md)
                n_threads=n_threads or max(1, min(8, (os.cpu_count() or 2) // 2)),
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelAssetError(f"llama.cpp could not load {self.path}: {exc}") from exc
        if prefix_cache and ram_cache_bytes:
            # keeps earlier prefixes too, but each saved state copies the KV and the logits (~200 MB for
            # a 300-token prompt): on 2 cores it cost more than it saved. Off unless asked.
            self.llm.set_cache(llama_cpp.LlamaRAMCache(capacity_bytes=ram_cache_bytes))
        self._llama_cpp = llama_cpp

    def __repr__(self) -> str:
        return f"LlamaCppBackend(model={self.model_id!r})"

    def complete(self, request: CompletionRequest) -> Completion:
        with self._lock:
            return self._complete(request)

    def complete_many(self, requests: list[CompletionRequest]) -> list[Completion | BackendError]:
        out: list[Completion | BackendError] = []
        for req in requests:  # one context: sequential; the shared prefix is what makes it fast
            try:
                out.append(self.complete(req))
            except BackendError as exc:
                out.append(exc)
        return out

    def _grammar(self, schema: dict[str, Any]) -> Any:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            self._grammars[key] = self._llama_cpp.LlamaGrammar.from_json_schema(key, verbose=False)
        return self._grammars[key]

    def _complete(self, req: CompletionRequest) -> Completion:
        d = req.decoding
        kwargs: dict[str, Any] = {
            "messages": [m.model_dump() for m in req.messages],
            "max_tokens": d.max_tokens,
            "temperature": d.temperature,
            "top_p": d.top_p,
            "repeat_penalty": d.repeat_penalty if d.repeat_penalty is not None else 1.0,
            "stop": d.stop or None,
        }
        if d.seed is not None:
            kwargs["seed"] = d.seed
        structured = req.json_schema is not None and self.grammar
        if structured:
            kwargs["grammar"] = self._grammar(req.json_schema or {})
        start = time.perf_counter()
        if not self.prefix_cache:
            self.llm.reset()  # forget the previous prompt's KV: every prompt evaluated in full (benchmarks)
        try:
            res = self.llm.create_chat_completion(**kwargs)
        except ValueError as exc:  # e.g. prompt longer than the context window
            raise BackendError(f"llama.cpp: {exc}", retryable=False) from exc
        except RuntimeError as exc:
            raise BackendError(f"llama.cpp failed: {exc}", retryable=True) from exc
        choice = res["choices"][0]
        usage = res.get("usage") or {}
        return Completion(
            text=choice["message"].get("content") or "",
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            finish_reason=choice.get("finish_reason"),
            seconds=time.perf_counter() - start,
            structured=structured,
            tag=req.tag,
        )


def _model_id(model: str | os.PathLike[str], path: Path) -> str:
    from ..assets import MODELS, alias

    spec = MODELS.get(alias(str(model)))
    if spec is not None:
        return f"{spec.name}@{spec.sha256[:12]}"
    return path.name
