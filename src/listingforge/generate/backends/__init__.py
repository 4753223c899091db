"""Text-generation backends behind one protocol (base.Backend), chosen by name or environment.

    make_backend("openai_compat", base_url=..., model=...)   # vLLM, Ollama, DashScope, DeepSeek, OpenAI
    make_backend("llama_cpp", model="embedded")               # the embedded GGUF, or any .gguf path
    make_backend("local_hf", model="path/or/hub-id", adapter="lora/")
    make_backend()                                            # from LISTINGFORGE_* environment variables

Environment (read only when an argument is absent):
    LISTINGFORGE_BACKEND      openai_compat | llama_cpp | local_hf (default: openai_compat when a base
                              URL is set, else llama_cpp)
    LISTINGFORGE_MODEL        model name (HTTP), GGUF path or embedded name (llama_cpp), path/hub id (HF)
    LISTINGFORGE_BASE_URL     e.g. http://localhost:8000/v1 (vLLM), http://localhost:11434/v1 (Ollama)
    LISTINGFORGE_API_KEY      falls back to OPENAI_API_KEY; never logged
    LISTINGFORGE_JSON_MODE    schema | object | none (openai_compat)
    LISTINGFORGE_MAX_CONCURRENCY, LISTINGFORGE_TIMEOUT, LISTINGFORGE_MAX_RETRIES (openai_compat)
    LISTINGFORGE_ADAPTER      LoRA adapter folder (local_hf)
    LISTINGFORGE_DEVICE       cpu | cuda | auto (local_hf)
    LISTINGFORGE_THREADS      CPU threads (llama_cpp, local_hf)
    LISTINGFORGE_MODEL_CACHE  where embedded models are assembled (default ~/.cache/listingforge/models)
"""

from __future__ import annotations

import os
from typing import Any

from ...errors import ConfigError
from .base import Backend, Completion, CompletionRequest, Decoding, Message

BACKENDS = ("openai_compat", "llama_cpp", "local_hf")
__all__ = ["BACKENDS", "Backend", "Completion", "CompletionRequest", "Decoding", "Message", "make_backend"]


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def make_backend(name: str | None = None, **opts: Any) -> Backend:
    """A backend by name; options not given are read from the environment (see module docstring)."""
    opts = {k: v for k, v in opts.items() if v is not None}  # absent CLI options → environment / defaults
    name = name or _env("LISTINGFORGE_BACKEND")
    if name is None:
        name = "openai_compat" if (opts.get("base_url") or _env("LISTINGFORGE_BASE_URL")) else "llama_cpp"
    name = name.replace("-", "_")
    if name == "openai_compat":
        from .openai_compat import OpenAICompatBackend

        opts.setdefault("base_url", _env("LISTINGFORGE_BASE_URL"))
        opts.setdefault("model", _env("LISTINGFORGE_MODEL"))
        if "api_key" not in opts:
            opts["api_key"] = _env("LISTINGFORGE_API_KEY") or _env("OPENAI_API_KEY")
        for key, env, cast in (("json_mode", "LISTINGFORGE_JSON_MODE", str),
                               ("max_concurrency", "LISTINGFORGE_MAX_CONCURRENCY", int),
                               ("timeout", "LISTINGFORGE_TIMEOUT", float),
                               ("max_retries", "LISTINGFORGE_MAX_RETRIES", int)):
            if key not in opts and _env(env) is not None:
                opts[key] = cast(_env(env))
        return OpenAICompatBackend(**opts)
    if name == "llama_cpp":
        from .llama_cpp import LlamaCppBackend

        opts.setdefault("model", _env("LISTINGFORGE_MODEL") or "embedded")
        if "n_threads" not in opts and _env("LISTINGFORGE_THREADS"):
            opts["n_threads"] = int(_env("LISTINGFORGE_THREADS") or 0)
        return LlamaCppBackend(**opts)
    if name == "local_hf":
        from .local_hf import LocalHFBackend

        model = opts.pop("model", None) or _env("LISTINGFORGE_MODEL")
        if not model:
            raise ConfigError("local_hf backend needs a model path or hub id (set LISTINGFORGE_MODEL)")
        from ..assets import MODELS, alias, ensure_model

        if alias(str(model)) in MODELS:  # an embedded model name: its GGUF, loaded through transformers
            model = ensure_model(str(model))
        opts.setdefault("adapter", _env("LISTINGFORGE_ADAPTER"))
        opts.setdefault("device", _env("LISTINGFORGE_DEVICE") or "auto")
        if "threads" not in opts and _env("LISTINGFORGE_THREADS"):
            opts["threads"] = int(_env("LISTINGFORGE_THREADS") or 0)
        return LocalHFBackend(model=model, **opts)
    raise ConfigError(f"unknown backend {name!r}; use one of: {', '.join(BACKENDS)}")
