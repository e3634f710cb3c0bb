"""Issue 7, item 1: a generation batch against a flaky OpenAI-compatible server.

20% of requests get 429 (with Retry-After), 10% a 500, 5% stall past the client's timeout, and 5% of
structured answers come back truncated. The batch must complete with every item a success or a recorded
failure; no request that got a successful answer is sent twice; and a rerun (same cache, healthy
server) asks only for what failed or is missing, leaving every earlier success untouched.
"""

from __future__ import annotations

import json

from llm_fixtures import make_samples, make_tools
from openai_stub_server import Faults, StubServer

from toolflow_assets.generation.backend import make_generator

ISSUE_7_FAULTS = Faults(rate_429=0.20, rate_500=0.10, rate_stall=0.05, rate_truncate=0.05,
                        retry_after=0.05, stall_seconds=2.0)
# llm_request_failed: a tool result's request failed (the llm executor's reason, then the transport's)
TRANSPORT_REASONS = {"rate_limited", "server_error", "timeout", "connection_error", "llm_request_failed"}
N_SAMPLES = 8


def _generator(server: StubServer, cache_dir: str):
    return make_generator("openai", model="stub-model", base_url=server.base_url, cache_dir=cache_dir,
                          timeout_seconds=1.5, max_retries=4, concurrency=8, max_repairs=2,
                          backoff_base_seconds=0.02, backoff_max_seconds=0.2)


def _run(gen, tools):
    plans = gen.plan_many(make_samples(tools, N_SAMPLES), tools, 5)
    dialogues = gen.generate_many([p.plan for p in plans if p.plan is not None], tools, 5)
    return plans, dialogues


def _reason(error: str | None) -> str:
    return (error or "").split(":", 1)[0]


def test_a_batch_survives_the_issue_7_fault_mix_and_a_rerun_asks_only_for_what_failed(tmp_path):
    tools = make_tools()
    with StubServer(ISSUE_7_FAULTS, seed=42) as server:
        plans, dialogues = _run(_generator(server, str(tmp_path)), tools)
        outcomes = server.outcomes()
        answered = server.success_counts()

        # Every fault kind happened, and the batch still completed item by item.
        assert outcomes["429"] and outcomes["500"] and outcomes["stall"]
        assert len(plans) == N_SAMPLES
        assert len(dialogues) == sum(p.plan is not None for p in plans)
        for plan in plans:
            assert (plan.plan is None) == bool(plan.error)
        for dialogue in dialogues:
            assert dialogue.status in ("ok", "failed")
            assert (dialogue.status == "failed") == bool(dialogue.error)
        assert sum(d.status == "ok" for d in dialogues) >= len(dialogues) // 2
        # No successful response was requested twice.
        assert answered and max(answered.values()) == 1

        # Rerun against a healthy server with the same cache.
        server.faults = Faults()
        before = server.request_count
        plans_again, dialogues_again = _run(_generator(server, str(tmp_path)), tools)
        asked_again = {r.body_hash for r in server.records[before:]}

    assert not asked_again & set(answered)  # nothing already answered is asked again
    for first, second in zip(plans, plans_again):
        if first.plan is not None:
            assert second == first  # earlier successes are untouched
        elif _reason(first.error) in TRANSPORT_REASONS:
            assert second.plan is not None  # transport failures are retried and now succeed
    earlier = {d.plan_id: d for d in dialogues}
    for dialogue in dialogues_again:
        first = earlier.get(dialogue.plan_id)
        if first is not None and first.status == "ok":
            assert dialogue == first
        elif first is None or _reason(first.error) in TRANSPORT_REASONS:
            assert dialogue.status == "ok"
    any_transport_failure = any(_reason(p.error) in TRANSPORT_REASONS for p in plans) or any(
        _reason(d.error) in TRANSPORT_REASONS for d in dialogues)
    assert (len(asked_again) > 0) == any_transport_failure


# Issue 7, item 7: a weak model behind a bare server. No response_format support at all (JSON only by
# instruction, wrapped in prose and code fences), 20% of JSON answers cut off, and 30% prose answers to
# tool-call requests. Every item must be a success or a failure with a known reason, and what succeeds
# must be valid: every call answered, arguments and tool results valid against their schemas.
WEAK_MODEL = Faults(reject_json_schema=True, reject_json_object=True, fence_json=True, rate_truncate=0.2,
                    prose_for_tools=0.3)
KNOWN_REASONS = {"invalid_output", "prose_instead_of_tool_calls", "invalid_tool_call", "unexpected_tool_calls",
                 "empty_reply", "unfinished_turn"}


def test_a_weak_model_yields_valid_dialogues_or_failures_with_reasons(tmp_path):
    from toolflow_assets.execution.llm import tool_response_schema
    from toolflow_assets.generation.prompt_builders import schema_error, tools_by_name

    tools = make_tools()
    by_name = tools_by_name(tools)
    with StubServer(WEAK_MODEL, seed=9) as server:
        plans, dialogues = _run(_generator(server, str(tmp_path)), tools)
        outcomes = server.outcomes()
    assert outcomes["truncated"] and outcomes["prose"]
    reasons = [_reason(p.error) for p in plans if p.error] + [_reason(d.error) for d in dialogues if d.error]
    assert set(reasons) <= KNOWN_REASONS, reasons
    good = [d for d in dialogues if d.status == "ok"]
    assert good, "a weak model should still get some dialogues through"
    for dialogue in good:
        calls = {}
        for message in dialogue.messages:
            for call in message.get("tool_calls") or []:
                name = call["function"]["name"]
                assert schema_error(json.loads(call["function"]["arguments"]), by_name[name].parameters) is None
                calls[call["id"]] = name
            if message["role"] == "tool":
                name = calls.pop(message["tool_call_id"])
                schema, wrapped = tool_response_schema(by_name[name])
                result = json.loads(message["content"])
                assert schema_error({"result": result} if wrapped else result, schema) is None
        assert not calls
