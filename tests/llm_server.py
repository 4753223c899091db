"""A small OpenAI-compatible chat-completions server with injectable faults, for tests.

    with LLMServer() as srv:                 # uvicorn on 127.0.0.1, a free port, in a thread
        srv.script(["429", "ok"])            # the next requests get these answers, in order
        backend = OpenAICompatBackend(base_url=srv.url, model="test")
        ...
        srv.requests                         # every request body the server received

Faults: "ok", "429" (Retry-After: 0), "500", "400_format" (refuses response_format), "401",
"malformed" (200 with a body that is not JSON), "truncated" (body cut short, connection closed),
"stream_cut" (SSE stream that stops before the end), {"slow": seconds}, {"reply": text}.
The default answer is built from the request's data block: brand + first attribute values, as JSON
when the system text asks for JSON; for the compact title prompt (one facts line), plain text. Also runnable by hand: ``python tests/llm_server.py --port 8011``.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections import deque
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

_ATTR = re.compile(r"^- [^:]+: (.+)$", re.M)
_BRAND = re.compile(r"^(?:品牌|Brand): (.+)$", re.M)


def default_reply(body: dict[str, Any]) -> str:
    msgs = body.get("messages") or []
    system = next((m["content"] for m in msgs if m["role"] == "system"), "")
    user = msgs[-1]["content"] if msgs else ""
    if "<product_data>" not in user:  # the compact title prompt: "品牌:缤肌；产品:发膜；…" → a plain-text title
        pairs = [x.split(":", 1) for x in re.split(r"[；;]\s*", user) if ":" in x]
        words = [v.strip() for k, v in pairs if "HACKED" not in v
                 and k.strip() not in ("原标题", "可用搜索词", "Current title", "Search terms you may use")][:4]
        return " ".join(words) or "商品"
    block = user.split("<product_data>")[-1].split("</product_data>")[0]
    brand = _BRAND.findall(block)
    values = [v for v in _ATTR.findall(block) if "HACKED" not in v][:3]
    words = brand[:1] + values
    if '{"tags"' in system:
        return json.dumps({"tags": words or ["标签"]}, ensure_ascii=False)
    key = "description" if '{"description"' in system else "title"
    return json.dumps({key: " ".join(words) or "商品"}, ensure_ascii=False)


def _completion(body: dict[str, Any], text: str) -> dict[str, Any]:
    prompt = sum(len(m.get("content", "")) for m in body.get("messages", []))
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
        "model": body.get("model", "test"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": len(text), "total_tokens": prompt + len(text)},
    }


def _sse(obj: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n".encode()


def build_app(server: LLMServer) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Response:
        body = await request.json()
        server.requests.append(body)
        server.headers.append(dict(request.headers))
        server.inflight += 1
        server.max_inflight = max(server.max_inflight, server.inflight)
        try:
            return await answer(body)
        finally:
            server.inflight -= 1

    async def answer(body: dict[str, Any]) -> Response:
        fault: Any = server.faults.popleft() if server.faults else "ok"
        text = server.reply if server.reply is not None else default_reply(body)
        if isinstance(fault, dict) and "slow" in fault:
            await asyncio.sleep(float(fault["slow"]))
        if isinstance(fault, dict) and "reply" in fault:
            text = fault["reply"]
        if fault == "429":
            return JSONResponse({"error": {"message": "rate limited"}}, status_code=429,
                                headers={"Retry-After": "0"})
        if fault == "500":
            return JSONResponse({"error": {"message": "internal error"}}, status_code=500)
        if fault == "401":
            return JSONResponse({"error": {"message": "invalid api key"}}, status_code=401)
        if fault == "400_format" and "response_format" in body:
            return JSONResponse({"error": {"message": "response_format is not supported"}}, status_code=400)
        if fault == "malformed":
            return Response(b'{"choices": [ {"mess', media_type="application/json")
        full = json.dumps(_completion(body, text), ensure_ascii=False).encode()
        if fault == "truncated":
            # declares the whole length, sends half: the client sees the connection close mid-body
            return Response(full[: len(full) // 2], media_type="application/json",
                            headers={"content-length": str(len(full))})
        if body.get("stream"):
            cut = fault == "stream_cut"

            async def events() -> Any:
                pieces = [text[i: i + 4] for i in range(0, len(text), 4)]
                for i, p in enumerate(pieces):
                    if cut and i >= len(pieces) // 2:
                        return  # stops: no finish_reason, no [DONE]
                    yield _sse({"choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]})
                yield _sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                            "usage": {"prompt_tokens": 10, "completion_tokens": len(text)}})
                yield b"data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")
        return Response(full, media_type="application/json")

    return app


class LLMServer:
    """uvicorn in a daemon thread on 127.0.0.1; a context manager."""

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.faults: deque[Any] = deque()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.reply: str | None = None
        self.inflight = 0
        self.max_inflight = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, faults: list[Any]) -> None:
        self.faults.extend(faults)

    def reset(self) -> None:
        """Forget faults and records; first let requests a client gave up on (timeouts) finish."""
        deadline = time.monotonic() + 5
        while self.inflight and time.monotonic() < deadline:
            time.sleep(0.02)
        self.faults.clear()
        self.requests.clear()
        self.headers.clear()
        self.reply = None
        self.max_inflight = 0

    def __enter__(self) -> LLMServer:
        config = uvicorn.Config(build_app(self), host="127.0.0.1", port=self.port, log_level="critical",
                                lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="llm-test-server")
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("test LLM server did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.should_exit = True
        self._thread.join(timeout=5)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8011)
    args = ap.parse_args()
    uvicorn.run(build_app(LLMServer(args.port)), host="127.0.0.1", port=args.port)
