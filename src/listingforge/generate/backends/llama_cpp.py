"""llama.cpp (llama-cpp-python) on CPU: the embedded model, or any GGUF file.

Requests without a JSON schema (the compact title prompt) are decoded several at a time (``batch`` sequences,
``llama_batch.BatchDecoder``): their common prefix (system text, shared examples) is evaluated once and kept in
the KV cache for the next batch, and each step writes one token for every sequence. Requests with a JSON schema
take llama-cpp-python's ordinary path, one at a time, with a grammar built from the schema; there llama.cpp
reuses the KV cache of the longest common prefix with the previous prompt. ``prefix_cache=False`` forgets the
cache before every request or batch (for measuring). An optional RAM cache (``ram_cache_bytes``) also keeps
earlier prefixes on the ordinary path.
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
from .llama_batch import BatchDecoder, banned_repeats, common_prefix, is_word_piece, plan_batches
from .llama_check import BROKEN, check_runs

# used when a GGUF file carries no chat template of its own
CHATML = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
          "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def import_llama_cpp() -> Any:
    """``import llama_cpp``, or one line saying what to install or how to rebuild."""
    try:
        import llama_cpp
    except ImportError as exc:
        if isinstance(exc, ModuleNotFoundError) and exc.name == "llama_cpp":  # not installed at all
            raise ConfigError(missing_extra("the llama_cpp backend", "llama_cpp", "llm")) from exc
        raise ConfigError(BROKEN.format(what="be imported", detail=_first_line(exc))) from exc
    except (OSError, RuntimeError) as exc:  # "Failed to load shared library …": a build for another system
        raise ConfigError(BROKEN.format(what="be loaded", detail=_first_line(exc))) from exc
    return llama_cpp


def physical_cores(limit: int = 8) -> int:
    """Cores that run a thread each (hyperthread siblings counted once), at most ``limit``."""
    try:
        import psutil

        cores = psutil.cpu_count(logical=False)
    except ImportError:
        cores = None
    return max(1, min(limit, cores or os.cpu_count() or 1))


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


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
        batch: int = 8,
        prefix_cache: bool = True,
        ram_cache_bytes: int = 0,
        grammar: bool = True,
        cache_dir: str | os.PathLike[str] | None = None,
        seed: int = 0,
        verbose: bool = False,
        check_build: bool = True,
    ) -> None:
        llama_cpp = import_llama_cpp()
        from ..assets import cache_dir as models_dir
        from ..assets import resolve_model

        self.path = resolve_model(model, cache_dir=cache_dir)
        if not self.path.is_file():
            raise ModelAssetError(f"GGUF model file not found: {self.path}")
        if check_build:  # a -march=native build on a VM dies with SIGILL at the first call: say how to rebuild
            check_runs(llama_cpp, self.path, models_dir(cache_dir) / "llama_cpp_checked.json")
        self.model_id = _model_id(model, self.path)
        self.prefix_cache = prefix_cache
        self.grammar = grammar
        self.batch = max(1, batch)
        self.n_ctx = n_ctx
        # physical cores, not hyperthreads: llama.cpp threads spin-wait, so a thread on a busy core stalls the
        # others (on a 2-core box loaded by other work, 2 threads ran 15x slower than 1; on an idle one, 1.9x
        # faster). The prompt (batch) threads too: llama-cpp-python's default for them is every logical core.
        self.n_threads = n_threads or physical_cores()
        self._lock = threading.Lock()  # one llama context: one request at a time
        self._grammars: dict[str, Any] = {}
        self._decoder: BatchDecoder | None = None
        self._formatter: Any = None
        try:
            self.llm = llama_cpp.Llama(
                model_path=str(self.path), n_ctx=n_ctx, n_batch=n_batch, seed=seed, verbose=verbose,
                n_threads=self.n_threads, n_threads_batch=self.n_threads,
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
        (out,) = self.complete_many([request])
        if isinstance(out, BackendError):
            raise out
        return out

    def complete_many(self, requests: list[CompletionRequest]) -> list[Completion | BackendError]:
        out: list[Completion | BackendError | None] = [None] * len(requests)
        plain = [i for i, r in enumerate(requests) if not (r.json_schema is not None and self.grammar)]
        with self._lock:
            prompts = {i: self._tokens(requests[i]) for i in plain}
            limits = [requests[i].decoding.max_tokens for i in plain]
            for batch in plan_batches([prompts[i] for i in plain], limits, self.batch, self.n_ctx):
                ids = [plain[k] for k in batch]
                done = self._complete_batch([requests[i] for i in ids], [prompts[i] for i in ids])
                for i, res in zip(ids, done, strict=True):
                    out[i] = res
            for i, req in enumerate(requests):
                if out[i] is None:  # JSON-constrained: the ordinary path, one at a time
                    try:
                        out[i] = self._complete(req)
                    except BackendError as exc:
                        out[i] = exc
        return [o for o in out if o is not None]

    # ------------------------------------------------------------------ batched path (no grammar)

    def _tokens(self, req: CompletionRequest) -> list[int]:
        if self._formatter is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            model = self.llm._model
            eos, bos = model.token_eos(), model.token_bos()
            template = self.llm.metadata.get("tokenizer.chat_template") or CHATML
            self._formatter = Jinja2ChatFormatter(
                template=template, eos_token=model.token_get_text(eos) if eos != -1 else "",
                bos_token=model.token_get_text(bos) if bos != -1 else "")
        prompt = self._formatter(messages=[m.model_dump() for m in req.messages]).prompt
        return self.llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)

    def _complete_batch(self, requests: list[CompletionRequest], prompts: list[list[int]]
                        ) -> list[Completion | BackendError]:
        if self._decoder is None:
            self._decoder = BatchDecoder(self._llama_cpp, self.llm._model, n_ctx=self.n_ctx, n_seq=self.batch,
                                         n_threads=self.n_threads)
        if not self.prefix_cache:
            self._decoder.forget()
        too_long = [len(p) + r.decoding.max_tokens > self.n_ctx for p, r in zip(prompts, requests, strict=True)]
        if any(too_long):
            return [BackendError(f"llama.cpp: prompt of {len(p)} tokens + {r.decoding.max_tokens} to write does "
                                 f"not fit the context window of {self.n_ctx}", retryable=False)
                    for p, r in zip(prompts, requests, strict=True)]
        start = time.perf_counter()
        try:
            answers = self._decoder.run(prompts, [r.decoding for r in requests])
        except RuntimeError as exc:
            err = BackendError(f"llama.cpp failed: {exc}", retryable=True)
            return [err for _ in requests]
        seconds = (time.perf_counter() - start) / len(requests)  # the batch's time, shared out
        return [Completion(text=a.text, prompt_tokens=a.prompt_tokens, cached_tokens=a.cached_tokens,
                           completion_tokens=len(a.tokens), finish_reason=a.finish_reason, seconds=seconds,
                           structured=False, tag=r.tag, batch=len(requests))
                for a, r in zip(answers, requests, strict=True)]

    # ------------------------------------------------------------------ ordinary path (grammar)

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
        if d.no_repeat_words:
            kwargs["logits_processor"] = self._llama_cpp.LogitsProcessorList([_NoRepeatWords(self.llm)])
        start = time.perf_counter()
        if not self.prefix_cache:
            self.llm.reset()  # forget the previous prompt's KV: every prompt evaluated in full (benchmarks)
        before = self.llm._input_ids[: self.llm.n_tokens].tolist()
        try:
            res = self.llm.create_chat_completion(**kwargs)
        except ValueError as exc:  # e.g. prompt longer than the context window
            raise BackendError(f"llama.cpp: {exc}", retryable=False) from exc
        except RuntimeError as exc:
            raise BackendError(f"llama.cpp failed: {exc}", retryable=True) from exc
        choice = res["choices"][0]
        usage = res.get("usage") or {}
        prompt_tokens = int(usage.get("prompt_tokens") or 0)
        return Completion(
            text=choice["message"].get("content") or "",
            prompt_tokens=prompt_tokens,
            cached_tokens=min(common_prefix(before, self.llm._input_ids[:prompt_tokens].tolist()), prompt_tokens),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            finish_reason=choice.get("finish_reason"),
            seconds=time.perf_counter() - start,
            structured=structured,
            tag=req.tag,
        )


class _NoRepeatWords:
    """A logits processor: a word token or a 3-token sequence already written in this answer is not written again
    (the ordinary path's version of ``Decoding.no_repeat_words``; the batched path does it in its sampler)."""

    def __init__(self, llm: Any) -> None:
        self.llm, self.start = llm, None
        self.words: dict[int, bool] = {}

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self.start is None:
            self.start = len(input_ids)
        scores[banned_repeats([int(x) for x in input_ids[self.start:]], self._is_word)] = -float("inf")
        return scores

    def _is_word(self, t: int) -> bool:
        if t not in self.words:
            self.words[t] = is_word_piece(self.llm.detokenize([t]).decode("utf-8", errors="ignore"))
        return self.words[t]


def _model_id(model: str | os.PathLike[str], path: Path) -> str:
    from ..assets import MODELS, alias

    spec = MODELS.get(alias(str(model)))
    if spec is not None:
        return f"{spec.name}@{spec.sha256[:12]}"
    return path.name
