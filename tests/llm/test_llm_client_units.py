"""The LLM client's pure parts: JSON repair, Retry-After, backoff, rate limiting, cache keys and files."""

from __future__ import annotations

import json
import os

import pytest

from toolflow_assets.llm.cache import ResponseCache, request_key
from toolflow_assets.llm.client import (
    LLMClient,
    LLMSettings,
    RateLimiter,
    close_truncated_json,
    extract_json,
    looks_like_format_rejection,
    parse_retry_after,
    response_format_for,
    with_schema_instructions,
)

# ----------------------------------------------------------------------------------------- JSON repair


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"a": 1}', {"a": 1}),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('Here you go:\n```\n{"a": [1, 2]}\n```\nAnything else?', {"a": [1, 2]}),
        ('Sure! {"a": {"b": true}} Hope it helps.', {"a": {"b": True}}),
        ('{"a": 1, "b": [1, 2,],}', {"a": 1, "b": [1, 2]}),
        # truncated: cut back to the last complete value, close the brackets
        ('{"a": 1, "b": [1, 2', {"a": 1, "b": [1]}),
        ('{"turns": [{"intent": "x", "calls": [', {"turns": [{"intent": "x", "calls": []}]}),
        ('{"a": 1, "b"', {"a": 1}),
        ('{"a": 1, "city": "New Yo', {"a": 1}),
        ('{"a": 1, "ok": tr', {"a": 1}),
        ('{"a": "x\\"y", "n": 12', {"a": 'x"y'}),  # a number at the very end may be cut short
        ('{"a": 1} trailing {broken', {"a": 1}),  # the outermost complete object wins
    ],
)
def test_extract_json_repairs_what_can_be_repaired(text, expected):
    assert extract_json(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "no json here", "{not json", "[1, 2", '{"a": nope}'])
def test_extract_json_refuses_what_is_not_json(text):
    with pytest.raises(ValueError):
        extract_json(text)


def test_closing_never_invents_a_value():
    # The partial string "Lis" must not become the value "Lis".
    assert close_truncated_json('{"from": "Oslo", "to": "Lis') == {"from": "Oslo"}


# ------------------------------------------------------------------------------------- HTTP details


def test_retry_after_in_seconds_milliseconds_and_dates():
    assert parse_retry_after({"retry-after": "2"}) == 2.0
    assert parse_retry_after({"retry-after-ms": "250"}) == 0.25
    assert parse_retry_after({"retry-after": "0.05"}) == 0.05
    assert parse_retry_after({}) is None
    assert parse_retry_after(None) is None
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0  # in the past
    assert parse_retry_after({"retry-after": "soon"}) is None


def test_backoff_grows_is_capped_and_honours_retry_after():
    client = LLMClient(LLMSettings(model="m", backoff_base_seconds=0.1, backoff_max_seconds=1.0))
    delays = [client.backoff_delay(attempt, None) for attempt in range(8)]
    for attempt, delay in enumerate(delays):
        ceiling = min(1.0, 0.1 * 2 ** attempt)
        assert ceiling / 2 <= delay <= ceiling
    assert client.backoff_delay(0, 3.0) >= 3.0  # never sooner than the server asked
    assert client.backoff_delay(0, 10_000.0) <= 120.0 * 1.1  # but a silly Retry-After is capped


@pytest.mark.parametrize(
    "status, message, expected",
    [
        (400, "response_format: type 'json_schema' is not supported", True),
        (422, "Input should be 'text' or 'json_object'", True),
        (400, "maximum context length exceeded", False),
        (500, "response_format broke", False),
        # llama-cpp-python's server: a request-validation error wrapped in HTTP 500
        (500, "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
              "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}]", True),
        (429, "too many response_format requests", False),
    ],
)
def test_format_rejections_are_told_apart_from_other_errors(status, message, expected):
    assert looks_like_format_rejection(status, message) is expected


def test_structured_modes_build_the_documented_request_shapes():
    schema = {"type": "object"}
    assert response_format_for("json_schema", "x", schema, True) == {
        "type": "json_schema", "json_schema": {"name": "x", "schema": schema, "strict": True}}
    assert response_format_for("json_object", "x", schema, True) == {"type": "json_object", "schema": schema}
    assert response_format_for("prompt", "x", schema, True) is None
    messages = with_schema_instructions([{"role": "system", "content": "S"}, {"role": "user", "content": "U"}], schema)
    assert messages[0]["content"].startswith("S\n\n") and '{"type":"object"}' in messages[0]["content"]
    assert len(messages) == 2


# ------------------------------------------------------------------------------------------ rate limit


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_request_rate_limit_spaces_requests():
    clock = FakeClock()
    limiter = RateLimiter(requests_per_minute=120, clock=clock)  # 2 per second, bucket of 2
    assert limiter.try_reserve(0) == 0 and limiter.try_reserve(0) == 0
    wait = limiter.try_reserve(0)
    assert wait == pytest.approx(0.5)
    clock.now += wait
    assert limiter.try_reserve(0) == 0


def test_token_rate_limit_counts_tokens_and_settles_estimates():
    clock = FakeClock()
    limiter = RateLimiter(tokens_per_minute=6000, clock=clock)  # 100 tokens per second
    assert limiter.try_reserve(80) == 0
    assert limiter.try_reserve(80) == pytest.approx(0.6)  # 20 left, need 80
    limiter.settle(estimated=80, actual=20)  # the first request used fewer tokens than estimated
    assert limiter.try_reserve(80) == 0
    # A request larger than the bucket still goes once the bucket is full.
    clock.now += 10
    assert limiter.try_reserve(500) == 0
    assert limiter.try_reserve(1) > 0


def test_no_limits_means_no_waiting():
    limiter = RateLimiter()
    assert not limiter.enabled
    assert all(limiter.try_reserve(10_000) == 0 for _ in range(100))


# ------------------------------------------------------------------------------------------------ cache


def test_request_key_covers_answer_determining_fields_only():
    base = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": 0.2, "seed": 1}
    assert request_key(base) == request_key(dict(reversed(list(base.items()))))
    for change in ({"model": "n"}, {"temperature": 0.3}, {"seed": 2}, {"max_tokens": 5},
                   {"tools": [{"type": "function"}]}, {"response_format": {"type": "json_object"}}):
        assert request_key({**base, **change}) != request_key(base)
    assert request_key({**base, "timeout": 3, "api_key": "sk-x"}) == request_key(base)


def test_cache_writes_atomically_and_reads_back(tmp_path):
    cache = ResponseCache(tmp_path)
    key = request_key({"model": "m"})
    assert cache.get(key) is None and not cache.contains(key)
    cache.put(key, {"message": {"role": "assistant", "content": "x"}})
    assert cache.contains(key)
    assert cache.get(key) == {"message": {"role": "assistant", "content": "x"}}
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.name for p in files] == [f"{key}.json"]  # no temp files left behind
    assert len(cache) == 1 and cache.hits == 1 and cache.writes == 1


@pytest.mark.parametrize("where", ["local", "memory"])
def test_a_discarded_entry_is_a_miss_and_discarding_twice_is_harmless(tmp_path, where):
    cache = ResponseCache(tmp_path if where == "local" else f"memory://discard-test/{tmp_path.name}")
    kept, dropped = request_key({"model": "kept"}), request_key({"model": "dropped"})
    cache.put(kept, {"message": {"content": "good"}})
    cache.put(dropped, {"message": {"content": "not json"}})
    assert cache.discard(dropped) is True and cache.get(dropped) is None and not cache.contains(dropped)
    assert cache.discard(dropped) is False  # already gone
    assert cache.get(kept) == {"message": {"content": "good"}}


def test_unreadable_cache_entries_are_misses(tmp_path):
    cache = ResponseCache(tmp_path)
    key = request_key({"model": "m"})
    path = tmp_path / key[:2] / f"{key}.json"
    path.parent.mkdir(parents=True)
    path.write_text("{half")
    assert cache.get(key) is None
    path.write_text(json.dumps({"format": 999, "response": {}}))
    assert cache.get(key) is None


def test_disabled_cache_keeps_nothing(tmp_path):
    cache = ResponseCache(None)
    cache.put("k", {"a": 1})
    assert cache.get("k") is None and len(cache) == 0
    assert not os.listdir(tmp_path)


def test_the_client_never_shows_its_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-planted-secret-123")
    client = LLMClient(LLMSettings(model="m"))
    assert "sk-planted" not in repr(client) and "sk-planted" not in repr(client.settings)
    assert "sk-planted" not in json.dumps(client.usage()) + json.dumps(client.capabilities())
    assert client.redact("error: key sk-planted-secret-123 rejected") == "error: key [redacted] rejected"
