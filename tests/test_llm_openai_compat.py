"""The HTTP backend against a real server on 127.0.0.1 with injected faults (tests/llm_server.py)."""

from __future__ import annotations

import pytest

from listingforge.errors import BackendError, ConfigError
from listingforge.generate.backends import make_backend
from listingforge.generate.backends.base import CompletionRequest, Decoding, Message
from listingforge.generate.backends.openai_compat import OpenAICompatBackend

SECRET = "sk-test-secret-123"
SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}




def backend(srv, **kw):
    opts = {"base_url": srv.url, "model": "test-model", "api_key": SECRET, "backoff": 0.01,
            "max_retries": 2, "timeout": 5.0}
    opts.update(kw)
    return OpenAICompatBackend(**opts)


def request(tag="p1"):
    return CompletionRequest(
        messages=[Message(role="system", content='写标题。输出格式：{"title": "标题"}'),
                  Message(role="user", content="<product_data>\n品牌: 缤肌\n属性:\n- 产品: 发膜\n</product_data>")],
        decoding=Decoding(max_tokens=40, temperature=0.0, repeat_penalty=1.05, stop=["\n\n"], seed=7),
        json_schema=SCHEMA, tag=tag)


def test_answer_body_usage_and_key_header(srv):
    out = backend(srv).complete(request())
    assert out.text == '{"title": "缤肌 发膜"}'
    assert out.retries == 0 and out.finish_reason == "stop"
    assert out.prompt_tokens > 0 and out.completion_tokens == len(out.text)
    body = srv.requests[0]
    assert body["model"] == "test-model" and body["max_tokens"] == 40 and body["seed"] == 7
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA
    assert body["repetition_penalty"] == 1.05 and body["stop"] == ["\n\n"]
    assert srv.headers[0]["authorization"] == f"Bearer {SECRET}"


def test_429_then_success(srv):
    srv.script(["429", "ok"])
    out = backend(srv).complete(request())
    assert out.retries == 1 and len(srv.requests) == 2 and out.text.startswith("{")


def test_500_gives_up_after_retries_and_is_retryable(srv):
    srv.script(["500"] * 5)
    with pytest.raises(BackendError) as err:
        backend(srv, max_retries=2).complete(request())
    assert err.value.retryable and "HTTP 500" in str(err.value)
    assert len(srv.requests) == 3  # first try + 2 retries


def test_slow_response_times_out_then_retry_succeeds(srv):
    srv.script([{"slow": 1.5}, "ok"])
    out = backend(srv, timeout=0.3).complete(request())
    assert out.retries == 1 and out.text.startswith("{")


@pytest.mark.parametrize("fault", ["malformed", "truncated"])
def test_broken_body_is_retried(srv, fault):
    srv.script([fault, "ok"])
    out = backend(srv).complete(request())
    assert out.retries == 1 and out.text == '{"title": "缤肌 发膜"}'


def test_stream_and_cut_stream(srv):
    b = backend(srv, stream=True)
    assert b.complete(request()).text == '{"title": "缤肌 发膜"}'
    assert srv.requests[0]["stream"] is True
    srv.script(["stream_cut", "ok"])
    out = b.complete(request())
    assert out.retries == 1 and out.text == '{"title": "缤肌 发膜"}'


def test_cut_stream_every_time_fails_retryable(srv):
    srv.script(["stream_cut"] * 3)
    with pytest.raises(BackendError, match="stream ended") as err:
        backend(srv, stream=True).complete(request())
    assert err.value.retryable


def test_bad_key_is_not_retried_and_not_shown(srv):
    srv.script(["401"])
    b = backend(srv)
    with pytest.raises(BackendError) as err:
        b.complete(request())
    assert not err.value.retryable and len(srv.requests) == 1
    assert "LISTINGFORGE_API_KEY" in str(err.value)
    assert SECRET not in str(err.value) and SECRET not in repr(b)


def test_refused_response_format_falls_back(srv):
    srv.script(["400_format"])
    b = backend(srv)
    out = b.complete(request())
    assert out.text.startswith("{") and b.json_mode == "object"
    assert srv.requests[1]["response_format"] == {"type": "json_object"}


def test_concurrency_limit_and_order(srv):
    srv.script([{"slow": 0.2}] * 6)
    reqs = [request(tag=f"p{i}") for i in range(6)]
    outs = backend(srv, max_concurrency=2).complete_many(reqs)
    assert [o.tag for o in outs] == [f"p{i}" for i in range(6)]
    assert srv.max_inflight <= 2  # the limit holds
    srv.reset()
    srv.script([{"slow": 0.4}] * 4)
    backend(srv, max_concurrency=4).complete_many(reqs[:4])
    assert srv.max_inflight >= 2  # and requests do run concurrently


def test_a_high_concurrency_is_split_into_small_pools_and_still_holds(srv):
    from listingforge.generate.backends.openai_compat import _split

    assert _split(20, 8) == [7, 7, 6] and _split(64, 8) == [8] * 8 and _split(3, 8) == [3]
    srv.script([{"slow": 0.3}] * 24)
    reqs = [request(tag=f"p{i}") for i in range(24)]
    outs = backend(srv, max_concurrency=12).complete_many(reqs)  # two pools of 6
    assert [o.tag for o in outs] == [f"p{i}" for i in range(24)]
    assert 6 < srv.max_inflight <= 12  # both pools run at once, and together they keep the limit


def test_failure_in_a_batch_stays_in_its_slot(srv):
    srv.script(["401"])  # max_concurrency=1: the first request gets it
    outs = backend(srv, max_concurrency=1).complete_many([request("a"), request("b")])
    assert isinstance(outs[0], BackendError) and outs[1].tag == "b"


def test_connection_refused_is_retryable_backend_error():
    b = OpenAICompatBackend(base_url="http://127.0.0.1:9/v1", model="m", max_retries=1, backoff=0.01)
    with pytest.raises(BackendError) as err:
        b.complete(request())
    assert err.value.retryable and "connection failed" in str(err.value)


def test_make_backend_reads_environment(srv, monkeypatch):
    monkeypatch.setenv("LISTINGFORGE_BASE_URL", srv.url)
    monkeypatch.setenv("LISTINGFORGE_MODEL", "env-model")
    monkeypatch.delenv("LISTINGFORGE_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("LISTINGFORGE_JSON_MODE", "none")
    monkeypatch.delenv("LISTINGFORGE_BACKEND", raising=False)
    b = make_backend()
    assert isinstance(b, OpenAICompatBackend) and b.model_id == "env-model"
    b.complete(request())
    assert "response_format" not in srv.requests[0]
    assert srv.headers[0]["authorization"] == f"Bearer {SECRET}"


def test_config_errors_name_the_fix(monkeypatch):
    monkeypatch.delenv("LISTINGFORGE_BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="LISTINGFORGE_BASE_URL"):
        make_backend("openai_compat", model="m")
    with pytest.raises(ConfigError, match="unknown backend"):
        make_backend("nope")
