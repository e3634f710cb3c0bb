"""The `openai` backend end to end against a real OpenAI-compatible HTTP server on 127.0.0.1.

No patching: the stub server (openai_stub_server.py) speaks the wire protocol, plays the agents, injects
faults and counts requests; the backend talks to it through the `openai` package like to any server.
"""

from __future__ import annotations

import json
import logging
import time

import pytest
from llm_fixtures import FAST, generator, make_samples, make_tools, run_all
from openai_stub_server import Faults, StubServer

from toolflow_assets.generation.backend import make_generator
from toolflow_assets.llm.client import LLMCallError, LLMClient, LLMSettings


@pytest.fixture(scope="module")
def tools():
    return make_tools()


def dumped(plans, dialogues) -> str:
    return json.dumps([p.model_dump() for p in plans] + [d.model_dump() for d in dialogues], sort_keys=True)


def reason(error: str | None) -> str:
    return (error or "").split(":", 1)[0]


# ------------------------------------------------------------------------------------------ happy path


def test_a_batch_produces_well_formed_chained_dialogues(tools, tmp_path):
    with StubServer() as server:
        gen = generator(server, tmp_path)
        plans, dialogues = run_all(gen, tools, 4)
        roles = server.roles()
    assert [p.error for p in plans] == [None] * 4
    assert [d.error for d in dialogues] == [None] * 4
    assert set(roles) == {"planner", "user", "assistant", "executor"}  # results: the llm executor's
    for dialogue in dialogues:
        messages = dialogue.messages
        assert messages[0]["role"] == "system" and messages[1]["role"] == "user"
        open_calls: dict[str, str] = {}
        for message in messages:
            if message["role"] == "assistant" and message.get("tool_calls"):
                for call in message["tool_calls"]:
                    assert call["type"] == "function" and call["id"].startswith("call_t")
                    json.loads(call["function"]["arguments"])  # a JSON string
                    open_calls[call["id"]] = call["function"]["name"]
            if message["role"] == "tool":
                assert open_calls.pop(message["tool_call_id"]) == message["name"]
                json.loads(message["content"])
        assert not open_calls  # every call answered
        assert messages[-1]["role"] == "assistant" and messages[-1]["content"]
        assert {t["function"]["name"] for t in dialogue.tools} == set(dialogue_tools(plans, dialogue))
        provenance = dialogue.provenance
        assert provenance.backend == "openai" and provenance.model == "stub-model"
        assert provenance.prompt_version == gen.prompt_version
        assert provenance.usage["requests"] > 0 and provenance.usage["prompt_tokens"] > 0
    # The value found by search_flights really feeds book_flight (parameter provenance).
    chained = dialogues[0]
    search = next(json.loads(m["content"]) for m in chained.messages if m.get("name") == "search_flights")
    booking = next(json.loads(c["function"]["arguments"]) for m in chained.messages for c in m.get("tool_calls") or []
                   if c["function"]["name"] == "book_flight")
    assert booking["flight_id"] == search["flights"][0]["flight_id"]
    usage = gen.usage()
    assert usage["http_requests"] == usage["responses"] and usage["prompt_tokens"] > 0


def dialogue_tools(plans, dialogue):
    return next(p.plan.tools for p in plans if p.plan and p.plan.plan_id == dialogue.plan_id)


def test_a_warm_cache_rerun_makes_zero_requests_and_gives_the_same_output(tools, tmp_path):
    with StubServer() as server:
        first = dumped(*run_all(generator(server, tmp_path), tools, 3))
        cold = server.request_count
        rerun = generator(server, tmp_path)
        second = dumped(*run_all(rerun, tools, 3))
        assert server.request_count == cold  # zero HTTP requests
    assert first == second
    assert rerun.usage()["http_requests"] == 0 and rerun.usage()["cache_hits"] > 0


# ------------------------------------------------------------------------------- servers that differ


def test_a_server_rejecting_json_schema_gets_json_object_and_it_is_logged_once(tools, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="toolflow.llm")
    with StubServer(Faults(reject_json_schema=True)) as server:
        gen = generator(server, tmp_path)
        plans, dialogues = run_all(gen, tools, 3)
        outcomes, formats = server.outcomes(), {r.response_format for r in server.records if r.outcome == "ok"}
        count = server.request_count
        rerun = generator(server, tmp_path)
        run_all(rerun, tools, 3)
        assert server.request_count == count  # the warm rerun asks nothing, not even which format works
    assert all(p.plan for p in plans) and all(d.status == "ok" for d in dialogues)
    assert "json_schema" not in formats and "json_object+schema" in formats  # the schema still travels
    assert outcomes["rejected"] <= FAST["concurrency"]  # rejected once per request in flight, then remembered
    capabilities = gen.capabilities()
    assert capabilities["structured_output"] == "json_object"
    assert capabilities["response_format.json_schema"] == "rejected"
    rejected_logs = [r for r in caplog.records if "rejected response_format json_schema" in r.getMessage()]
    assert len(rejected_logs) == 1


def test_a_schema_refused_by_the_server_falls_back_for_that_request_only(tools, tmp_path):
    # OpenAI refuses some schemas in json_schema mode ("Invalid schema for response_format ...").
    with StubServer(Faults(refuse_schemas_with="The converted amount")) as server:
        gen = generator(server, tmp_path)
        plans, dialogues = run_all(gen, tools, 2)  # sample 2 uses convert_currency
        tool_formats = {(r.outcome, r.response_format) for r in server.records if r.role == "executor"}
    assert all(p.plan for p in plans) and all(d.status == "ok" for d in dialogues)
    assert ("rejected", "json_schema") in tool_formats and ("ok", "json_object+schema") in tool_formats
    assert ("ok", "json_schema") in tool_formats  # other tools keep the strict mode
    capabilities = gen.capabilities()
    assert capabilities["structured_output"] == "json_schema"
    assert capabilities["response_format.json_schema"] == "accepted"
    assert int(capabilities["schema_refused.json_schema"]) >= 1


def test_a_server_with_no_response_format_gets_instructions_and_fenced_json_is_repaired(tools, tmp_path):
    faults = Faults(reject_json_schema=True, reject_json_object=True, fence_json=True)
    with StubServer(faults) as server:
        gen = generator(server, tmp_path)
        plans, dialogues = run_all(gen, tools, 2)
        prompt_mode = [r for r in server.records if r.outcome == "ok" and r.role in ("planner", "executor")]
    assert all(p.plan for p in plans) and all(d.status == "ok" for d in dialogues)
    assert prompt_mode and all(r.response_format is None for r in prompt_mode)
    assert gen.capabilities()["structured_output"] == "prompt"


def test_a_server_refusing_the_tools_parameter_gets_calls_through_the_prompt(tools, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="toolflow.llm")
    with StubServer(Faults(reject_tools=True, fence_json=True)) as server:
        gen = generator(server, tmp_path)
        plans, dialogues = run_all(gen, tools, 2)
        rejected = server.outcomes()["rejected"]
        count = server.request_count
        run_all(generator(server, tmp_path), tools, 2)
        assert server.request_count == count  # warm rerun: zero requests
    assert [d.status for d in dialogues] == ["ok", "ok"]
    assert rejected <= 2  # refused once per dialogue in flight, then remembered
    assert gen.tools_mode == "prompt" and "tools_parameter_refused" in gen.capabilities()
    calls = [c for d in dialogues for m in d.messages for c in m.get("tool_calls") or []]
    assert calls and all(c["id"].startswith("call_t") for c in calls)  # stored in the OpenAI format
    assert len([r for r in caplog.records if "rejected tools native" in r.getMessage()]) == 1


def test_truncated_json_is_repaired_or_retried_and_otherwise_recorded(tools, tmp_path):
    with StubServer(Faults(rate_truncate=0.5), seed=3) as server:
        gen = generator(server, tmp_path, max_repairs=1)
        plans, dialogues = run_all(gen, tools, 6)
        truncated = server.outcomes()["truncated"]
    assert truncated > 0
    for plan in plans:
        assert plan.plan is not None or (reason(plan.error) == "invalid_output" and plan.raw_output)
    for dialogue in dialogues:
        assert dialogue.status == "ok" or reason(dialogue.error) == "invalid_output"
    assert sum(p.plan is not None for p in plans) > 0
    assert gen.usage()["repairs"] > 0


def test_prose_instead_of_tool_calls_is_retried_then_recorded_and_noted_once(tools, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="toolflow.llm")
    with StubServer(Faults(prose_for_tools=1.0)) as server:
        gen = generator(server, tmp_path, max_turn_retries=1)
        plans, dialogues = run_all(gen, tools, 3)
    assert all(p.plan for p in plans)
    assert [reason(d.error) for d in dialogues] == ["prose_instead_of_tool_calls"] * 3
    assert all(d.status == "failed" and d.messages for d in dialogues)  # the partial dialogue is kept
    assert int(gen.capabilities()["prose_instead_of_tool_calls"]) == 3 * 2  # two attempts each
    assert len([r for r in caplog.records if "answered a tools request with prose" in r.getMessage()]) == 1


def test_occasional_prose_is_recovered_by_the_retry(tools, tmp_path):
    with StubServer(Faults(prose_for_tools=0.3), seed=5) as server:
        gen = generator(server, tmp_path, max_turn_retries=3)
        _, dialogues = run_all(gen, tools, 4)
        prose = server.outcomes()["prose"]
    assert prose > 0
    assert sum(d.status == "ok" for d in dialogues) >= 3


# ------------------------------------------------------------------------------- retries and limits


def _one_chat(server: StubServer, **settings):
    client = LLMClient(LLMSettings(model="m", base_url=server.base_url, **settings))

    async def ask():
        return await client.chat({"messages": [{"role": "user", "content": "hello"}]})

    return client, ask


def test_retry_after_is_honoured_and_the_error_is_recorded(tmp_path):
    with StubServer(Faults(rate_429=1.0, retry_after=0.3)) as server:
        client, ask = _one_chat(server, max_retries=1, backoff_base_seconds=0.01, timeout_seconds=2)
        started = time.monotonic()
        with pytest.raises(LLMCallError) as caught:
            client.run(ask)
        elapsed = time.monotonic() - started
        assert server.request_count == 2
    assert caught.value.reason == "rate_limited" and "HTTP 429" in str(caught.value)
    assert elapsed >= 0.3


def test_stalls_past_the_timeout_are_retried_then_recorded(tmp_path):
    with StubServer(Faults(rate_stall=1.0, stall_seconds=1.0)) as server:
        client, ask = _one_chat(server, max_retries=1, backoff_base_seconds=0.01, timeout_seconds=0.3)
        with pytest.raises(LLMCallError) as caught:
            client.run(ask)
    assert caught.value.reason == "timeout"
    assert client.usage()["http_requests"] == 2  # the client's count: the server may not have read the retry yet
    assert client.usage()["retries"] == 1


def test_server_errors_are_retried_until_they_pass(tmp_path):
    with StubServer(Faults(rate_500=0.5), seed=11) as server:
        client = LLMClient(LLMSettings(model="m", base_url=server.base_url, max_retries=8,
                                       backoff_base_seconds=0.01, backoff_max_seconds=0.05, cache_dir=str(tmp_path)))

        async def ask_many():
            import asyncio

            return await asyncio.gather(*(client.chat({"messages": [{"role": "user", "content": f"q{i}"}]})
                                          for i in range(10)))

        results = client.run(ask_many)
        outcomes = server.outcomes()
    assert len(results) == 10 and outcomes["500"] > 0 and outcomes["ok"] == 10
    assert client.usage()["retries"] == outcomes["500"]


def test_the_global_request_rate_limit_spaces_requests(tmp_path):
    with StubServer() as server:
        client = LLMClient(LLMSettings(model="m", base_url=server.base_url, requests_per_minute=120, concurrency=16))
        timings = {}

        async def ask_many():
            import asyncio

            await client.chat({"messages": [{"role": "user", "content": "warm up"}]})  # first-use imports
            client.limiter.requests = client.limiter.request_capacity  # a full bucket: 2 requests
            started = time.monotonic()
            await asyncio.gather(*(client.chat({"messages": [{"role": "user", "content": f"q{i}"}]})
                                   for i in range(5)))
            timings["elapsed"] = time.monotonic() - started

        client.run(ask_many)
    # 120/min = 2/s with a bucket of 2: the last 3 of 5 requests go at 0.5 s, 1.0 s and 1.5 s.
    assert timings["elapsed"] >= 1.4
    assert client.usage()["rate_limit_wait_ms"] > 0


# ----------------------------------------------------------------------------------- items fail alone


def test_bad_items_become_failure_rows_and_the_rest_completes(tools, tmp_path):
    samples = make_samples(tools, 2) + [{"sample_id": "ghost", "strategy": "random", "tool_ids": ["missing"]}]
    with StubServer() as server:
        gen = generator(server, tmp_path)
        plans = gen.plan_many(samples, tools, 1)
        good = [p.plan for p in plans if p.plan]
        stranger = good[0].model_copy(update={"plan_id": "p-x", "tools": good[0].tools + ["no_such_tool"]})
        dialogues = gen.generate_many(good + [stranger], tools, 1)
    assert [p.sample_id for p in plans] == ["s000", "s001", "ghost"]
    assert reason(plans[2].error) == "bad_sample" and plans[2].plan is None
    assert [d.status for d in dialogues] == ["ok", "ok", "failed"]
    assert reason(dialogues[2].error) == "unknown_tool"


def test_a_dead_server_fails_items_not_the_batch(tools, tmp_path):
    with StubServer() as server:
        url = server.base_url
    gen = make_generator("openai", model="m", base_url=url, cache_dir=str(tmp_path),
                         **{**FAST, "max_retries": 1})
    plans = gen.plan_many(make_samples(tools, 2), tools, 1)
    assert [reason(p.error) for p in plans] == ["connection_error", "connection_error"]


# ---------------------------------------------------------------------------------------------- secrets


def test_the_api_key_is_sent_but_never_stored_logged_or_exported(tools, tmp_path, monkeypatch, caplog):
    planted = "sk-planted-0123456789abcdef"
    monkeypatch.setenv("OPENAI_API_KEY", planted)
    caplog.set_level(logging.DEBUG)
    # A careless proxy that echoes the Authorization header into its error bodies.
    with StubServer(Faults(rate_500=0.3, echo_auth=True), seed=2) as server:
        gen = generator(server, tmp_path / "cache", max_retries=0)
        plans, dialogues = run_all(gen, tools, 4)
        assert server.auth_headers == {f"Bearer {planted}"}  # the key was used
    errors = [p.error for p in plans if p.error] + [d.error for d in dialogues if d.error]
    assert errors and any("[redacted]" in e for e in errors)  # some failures quoted the echoed header
    outputs = dumped(plans, dialogues) + json.dumps(gen.usage()) + json.dumps(gen.capabilities())
    cache_text = "".join(p.read_text() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert cache_text and planted not in cache_text
    assert planted not in outputs
    assert planted not in caplog.text
