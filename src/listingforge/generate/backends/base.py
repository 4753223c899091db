"""The one protocol every text-generation backend implements, and the request/response records.

A backend turns chat messages into text. It knows nothing about products, tasks or parsing: the LLM
generator (generate/llm/) owns prompts and output parsing; a backend owns its transport, its own
prompt format quirks (chat templates, ``response_format``) and maps its errors to
``listingforge.errors.BackendError`` where they enter.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field


class Message(BaseModel):
    role: str  # "system" | "user" | "assistant"
    content: str


class Decoding(BaseModel):
    """Decoding controls for one completion. ``None`` leaves the backend's default."""

    max_tokens: int = 96
    temperature: float = 0.0  # 0 = greedy
    top_p: float = 1.0
    repeat_penalty: float | None = None  # llama.cpp/transformers style (1.0 = off)
    stop: list[str] = Field(default_factory=list)
    seed: int | None = None
    # a word token (2+ CJK characters or 3+ letters), and a 3-token sequence, at most once per answer: small
    # models loop ("保湿保湿…", "保湿控油保湿养肤…", "除螨吸尘器除螨吸尘器…"). Backends that decode locally
    # enforce it; HTTP servers cannot (the parser still cuts loops).
    no_repeat_words: bool = False


class CompletionRequest(BaseModel):
    messages: list[Message]
    decoding: Decoding = Field(default_factory=Decoding)
    # JSON schema the answer must follow; backends that can enforce it (grammar, response_format) do,
    # the others ignore it and the parser checks the text.
    json_schema: dict[str, Any] | None = None
    tag: str = ""  # caller's label, echoed back (e.g. product id)


class Completion(BaseModel):
    text: str
    prompt_tokens: int = 0
    cached_tokens: int = 0  # of the prompt tokens, those taken from the KV cache instead of evaluated (llama.cpp)
    completion_tokens: int = 0
    batch: int = 1  # sequences decoded together with this one (llama.cpp's batched path)
    finish_reason: str | None = None  # "stop" | "length" | …
    seconds: float = 0.0  # wall time inside the backend, retries included
    retries: int = 0
    structured: bool = False  # the backend enforced ``json_schema``
    tag: str = ""


@runtime_checkable
class Backend(Protocol):
    """``complete_many(requests) -> list[Completion | BackendError]`` in request order.

    A failed request comes back as its ``BackendError`` (not raised) so one bad product does not sink
    a batch; ``complete`` raises it.
    """

    name: str  # "openai_compat" | "llama_cpp" | "local_hf"
    model_id: str  # what made the text: served model name, GGUF file name + sha prefix, hub id …

    def complete_many(self, requests: list[CompletionRequest]) -> list[Any]: ...

    def complete(self, request: CompletionRequest) -> Completion: ...


def complete_one(backend: Backend, request: CompletionRequest) -> Completion:
    """``complete`` for backends that only implement ``complete_many``."""
    from ...errors import BackendError

    (out,) = backend.complete_many([request])
    if isinstance(out, BackendError):
        raise out
    return out


MISSING_EXTRA = "{what} needs the optional dependency {module!r}: pip install 'listingforge[{extra}]'"


def missing_extra(what: str, module: str, extra: str) -> str:
    return MISSING_EXTRA.format(what=what, module=module, extra=extra)
