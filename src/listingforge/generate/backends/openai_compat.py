"""OpenAI-compatible chat completions over HTTP: vLLM, Ollama, DashScope, DeepSeek, OpenAI.

Async (httpx) with a concurrency limit; retries with exponential backoff on 429, 5xx, timeouts,
dropped connections and truncated answers; structured output through ``response_format`` where the
server takes it (if it refuses the field with a 400, we drop it once and remember). The API key is
sent in a header and never logged or put in an error message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import threading
import time
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar

import httpx

from ...errors import BackendError, ConfigError
from .base import Completion, CompletionRequest, complete_one

T = TypeVar("T")
JsonMode = Literal["schema", "object", "none"]
RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


class OpenAICompatBackend:
    """Chat completions against ``{base_url}/chat/completions``.

    ``json_mode``: ``"schema"`` sends ``response_format={"type": "json_schema", …}`` (OpenAI, vLLM),
    ``"object"`` sends ``{"type": "json_object"}`` (DeepSeek, DashScope, Ollama), ``"none"`` sends
    nothing and lets the parser cope. ``transport`` is passed to httpx (tests may pass their own).
    """

    name = "openai_compat"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 20.0,
        max_concurrency: int = 4,
        json_mode: JsonMode = "schema",
        stream: bool = False,
        extra_body: dict[str, Any] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not base_url:
            raise ConfigError("openai_compat backend needs a base URL (set LISTINGFORGE_BASE_URL)")
        if not model:
            raise ConfigError("openai_compat backend needs a model name (set LISTINGFORGE_MODEL)")
        if json_mode not in ("schema", "object", "none"):
            raise ConfigError(f"json_mode must be 'schema', 'object' or 'none', not {json_mode!r}")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.model_id = model
        self._api_key = api_key  # private: never in repr, logs or errors
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_concurrency = max(1, max_concurrency)
        self.json_mode: JsonMode = json_mode
        self.stream = stream
        self.extra_body = dict(extra_body or {})
        self._transport = transport
        self._ssl: Any = None

    def __repr__(self) -> str:
        return f"OpenAICompatBackend(base_url={self.base_url!r}, model={self.model!r})"

    # ------------------------------------------------------------------ public

    def complete(self, request: CompletionRequest) -> Completion:
        return complete_one(self, request)

    def complete_many(self, requests: list[CompletionRequest]) -> list[Completion | BackendError]:
        return _run(self.acomplete_many(requests))

    async def acomplete_many(self, requests: list[CompletionRequest]) -> list[Completion | BackendError]:
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        # httpcore's pool looks at every connection (a poll per socket) each time a request starts or ends, so
        # one pool of 64 connections spends more CPU per request than the request itself; several small pools
        # keep that cost flat (against a server that answers at once: 92 → 200+ titles/s at concurrency 64)
        sizes = _split(self.max_concurrency, _CONNECTIONS_PER_POOL)
        if self._ssl is None:  # loading the CA certificates costs ~30 ms: once per backend, not per pool and call
            self._ssl = httpx.create_ssl_context()
        async with contextlib.AsyncExitStack() as stack:
            pools = [(await stack.enter_async_context(httpx.AsyncClient(
                base_url=self.base_url, headers=headers, timeout=self.timeout, verify=self._ssl,
                limits=httpx.Limits(max_connections=size), transport=self._transport,
            )), asyncio.Semaphore(size)) for size in sizes]

            async def one(i: int, req: CompletionRequest) -> Completion | BackendError:
                client, sem = pools[i % len(pools)]
                async with sem:
                    try:
                        return await self._with_retries(client, req)
                    except BackendError as exc:
                        return exc

            return list(await asyncio.gather(*(one(i, r) for i, r in enumerate(requests))))

    # ------------------------------------------------------------------ internals

    def _body(self, req: CompletionRequest) -> dict[str, Any]:
        d = req.decoding
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [m.model_dump() for m in req.messages],
            "max_tokens": d.max_tokens,
            "temperature": d.temperature,
            "top_p": d.top_p,
        }
        if d.stop:
            body["stop"] = d.stop[:4]  # OpenAI accepts at most 4
        if d.seed is not None:
            body["seed"] = d.seed
        # vLLM and Ollama read repetition_penalty; api.openai.com rejects unknown fields
        if d.repeat_penalty not in (None, 1.0) and "api.openai.com" not in self.base_url:
            body["repetition_penalty"] = d.repeat_penalty
        if req.json_schema is not None and self.json_mode == "schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": req.json_schema, "strict": True},
            }
        elif req.json_schema is not None and self.json_mode == "object":
            body["response_format"] = {"type": "json_object"}
        if self.stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        body.update(self.extra_body)
        return body

    async def _with_retries(self, client: httpx.AsyncClient, req: CompletionRequest) -> Completion:
        start = time.perf_counter()
        attempt = 0
        while True:
            try:
                out = await self._attempt(client, req)
                out.retries = attempt
                out.seconds = time.perf_counter() - start
                out.tag = req.tag
                return out
            except _Retry as r:
                if attempt >= self.max_retries:
                    raise BackendError(
                        f"{self.base_url}: {r.reason} (gave up after {attempt + 1} attempts)", retryable=True
                    ) from r.__cause__
                attempt += 1
                delay = r.retry_after if r.retry_after is not None else self.backoff * 2 ** (attempt - 1)
                delay = min(self.max_backoff, delay) * (1 + 0.1 * random.random())  # jitter
                await asyncio.sleep(delay)

    async def _attempt(self, client: httpx.AsyncClient, req: CompletionRequest) -> Completion:
        body = self._body(req)
        try:
            if self.stream:
                return await self._attempt_stream(client, body, req)
            resp = await client.post("/chat/completions", json=body)
            await resp.aread()
        except httpx.TimeoutException as exc:
            raise _Retry(f"timed out after {self.timeout:g} s") from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            # connection refused / reset, body cut short (RemoteProtocolError) …
            raise _Retry(f"connection failed: {type(exc).__name__}: {exc}") from exc
        self._raise_for_status(resp, body)
        try:
            data = resp.json()
            choice = data["choices"][0]
            text = choice["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise _Retry(f"malformed response body: {resp.text[:200]!r}") from exc
        usage = data.get("usage") or {}
        return Completion(
            text=text,
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            finish_reason=choice.get("finish_reason"),
            structured="response_format" in body and self.json_mode == "schema",
        )

    async def _attempt_stream(
        self, client: httpx.AsyncClient, body: dict[str, Any], req: CompletionRequest
    ) -> Completion:
        parts: list[str] = []
        finish: str | None = None
        usage: dict[str, Any] = {}
        done = False
        async with client.stream("POST", "/chat/completions", json=body) as resp:
            if resp.status_code >= 400:
                await resp.aread()
                self._raise_for_status(resp, body)
            async for line in resp.aiter_lines():
                if not line.startswith("data:"):
                    continue
                payload = line[5:].strip()
                if payload == "[DONE]":
                    done = True
                    break
                try:
                    chunk = json.loads(payload)
                except ValueError as exc:
                    raise _Retry(f"malformed stream chunk: {payload[:120]!r}") from exc
                usage = chunk.get("usage") or usage
                for ch in chunk.get("choices") or []:
                    parts.append((ch.get("delta") or {}).get("content") or "")
                    finish = ch.get("finish_reason") or finish
        if not done and finish is None:
            raise _Retry("stream ended before the answer was complete")
        return Completion(
            text="".join(parts),
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            finish_reason=finish,
            structured="response_format" in body and self.json_mode == "schema",
        )

    def _raise_for_status(self, resp: httpx.Response, body: dict[str, Any]) -> None:
        code = resp.status_code
        if code < 400:
            return
        detail = resp.text[:300]
        if code in RETRY_STATUS:
            raise _Retry(f"HTTP {code}: {detail}", retry_after=_retry_after(resp))
        if code == 400 and "response_format" in body and "response_format" in detail.lower():
            # this server does not take the structured-output field: stop sending it, try again
            self.json_mode = "object" if self.json_mode == "schema" else "none"
            raise _Retry(f"server refused response_format; retrying with json_mode={self.json_mode!r}",
                         retry_after=0.0)
        if code in (401, 403):
            raise BackendError(
                f"{self.base_url}: HTTP {code} — the API key is missing or wrong "
                "(set LISTINGFORGE_API_KEY or OPENAI_API_KEY)", retryable=False)
        if code == 404:
            raise BackendError(
                f"{self.base_url}: HTTP 404 — check the base URL (it usually ends in /v1) and the model "
                f"name {self.model!r}: {detail}", retryable=False)
        raise BackendError(f"{self.base_url}: HTTP {code}: {detail}", retryable=False)


class _Retry(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code, also when the caller already runs an event loop (a service)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    t = threading.Thread(target=target, name="listingforge-openai-compat")
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


_CONNECTIONS_PER_POOL = 8


def _split(total: int, per: int) -> list[int]:
    """``total`` connections as pools of at most ``per``, as even as can be: 20, 8 → [7, 7, 6]."""
    n = -(-total // per)
    return [total // n + (1 if i < total % n else 0) for i in range(n)]
