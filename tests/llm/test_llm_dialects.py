"""Server dialects negotiated once per run, not retried (issue 10, item 6), and failed answers that do not
stay in the cache (issue 14, item 6), against the real stub HTTP server on 127.0.0.1.

llama-cpp-python's server answers `response_format: json_schema` with HTTP 500 and a pydantic message
("Input should be 'text' or 'json_object'"); a client that treats every 5xx as transient retried each
plan five times and failed them all with `server_error`. Here such a server costs one rejected request
per run, and the negotiated modes show in `capabilities()` (the `server_capabilities` metadata).
"""

from __future__ import annotations

import pytest
import llm_fixtures as fixtures
from llm_fixtures import make_samples, make_tools, run_all
from openai_stub_server import Faults, StubServer, llama_cpp_python_faults, plain_json_only_faults, pydantic_literal_error

from toolflow_assets.llm.dialect import is_request_validation_error, rejection_of



@pytest.fixture(scope="module")
def tools():
    return make_tools()


def generator(server: StubServer, cache_dir, **options):
    return fixtures.generator(server, cache_dir, **{"max_retries": 4, **options})  # one more try than FAST


def reason(error: str | None) -> str:
    return (error or "").split(":", 1)[0]


# --------------------------------------------------------------------------- telling errors apart

LLAMA_CPP_PYTHON_500 = pydantic_literal_error("response_format.type", "json_schema", "'text' or 'json_object'")
FORMAT_BODY = {"response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}}}
TOOLS_BODY = {"tools": [{"type": "function", "function": {"name": "f"}}]}


@pytest.mark.parametrize(
    "status, message, body, feature, schema_only",
    [
        (500, LLAMA_CPP_PYTHON_500, FORMAT_BODY, "response_format", False),  # llama-cpp-python
        # the same refusal as newer FastAPI and plain pydantic print it
        (500, f"1 validation error:\n  {LLAMA_CPP_PYTHON_500[1:-1]}", FORMAT_BODY, "response_format", False),
        (500, "1 validation error for CreateChatCompletionRequest\nresponse_format.type\n  Input should be 'text' "
              "or 'json_object' [type=literal_error, input_value='json_schema', input_type=str]", FORMAT_BODY,
         "response_format", False),
        (500, "tools param requires --jinja flag", TOOLS_BODY, "tools", False),  # llama.cpp without --jinja
        (400, "response_format: type 'json_schema' is not supported", FORMAT_BODY, "response_format", False),
        (400, "Invalid schema for response_format 'x': 'additionalProperties' is required", FORMAT_BODY,
         "response_format", True),
        (500, "internal error", FORMAT_BODY, None, False),  # an ordinary crash stays transient
        (503, "response_format broke", FORMAT_BODY, None, False),  # names it, but refuses nothing
        (429, "rate limit for response_format requests", FORMAT_BODY, None, False),
        (500, LLAMA_CPP_PYTHON_500, {"messages": []}, None, False),  # the request had no such feature
    ],
)
def test_a_rejected_feature_is_told_apart_from_a_transient_error(status, message, body, feature, schema_only):
    rejection = rejection_of(status, message, body)
    assert (rejection and rejection.feature) == feature
    if rejection is not None:
        assert rejection.reason == "unsupported" and rejection.this_schema_only is schema_only


def test_a_validation_message_is_not_transient_whatever_its_status():
    field_error = pydantic_literal_error("messages.0.role", "robot", "'system' or 'user'")
    assert is_request_validation_error(field_error)
    assert not is_request_validation_error("internal error") and not is_request_validation_error("overloaded")


# ------------------------------------------------------------------------------- whole batches


def test_a_llama_cpp_python_server_costs_one_rejected_probe_then_json_object_with_the_schema(tools, tmp_path):
    with StubServer(llama_cpp_python_faults()) as server:
        gen = generator(server, tmp_path)
        plans, dialogues = run_all(gen, tools, 6)
        outcomes = server.outcomes()
        requests = server.request_count
        structured = {r.response_format for r in server.records if r.role in ("planner", "executor") and r.outcome == "ok"}
    assert [p.error for p in plans] == [None] * 6  # no server_error: the 500 was read, not retried
    assert [d.status for d in dialogues] == ["ok"] * 6
    assert outcomes["rejected"] == 1 and set(outcomes) == {"ok", "rejected"}  # one probe for 8 in flight
    usage = gen.usage()
    assert usage["retries"] == 0 and usage["http_requests"] == requests == usage["responses"] + 1
    assert structured == {"json_object+schema"}  # the schema still travels
    capabilities = gen.capabilities()
    assert capabilities["structured_output"] == "json_object"
    assert capabilities["response_format.json_schema"] == "rejected"
    assert "Input should be 'text' or 'json_object'" in capabilities["response_format.json_schema.why"]
    assert capabilities["response_format.json_object"] == "accepted"
    assert capabilities["tools"] == "native" and capabilities["tools.native"] == "accepted"
    # One probe per mode tried: json_schema (refused), json_object and native tools (accepted).
    assert capabilities["probe_requests"] == "3"


def test_the_steps_of_one_run_share_what_was_learned_and_another_run_learns_afresh(tools, tmp_path):
    # `toolflow run` runs its steps in one process with one cache folder: plans and dialogues are two
    # clients; the second must not probe json_schema again. A run on another cache folder does.
    with StubServer(llama_cpp_python_faults()) as server:
        plans_step = generator(server, tmp_path / "run")
        plans = plans_step.plan_many(make_samples(tools, 3), tools, 7)
        dialogues_step = generator(server, tmp_path / "run")
        dialogues = dialogues_step.generate_many([p.plan for p in plans], tools, 7)
        refused_in_one_run = server.outcomes()["rejected"]
        other_run = generator(server, tmp_path / "other-run")
        other_run.plan_many(make_samples(tools, 3), tools, 7)
        refused_in_two_runs = server.outcomes()["rejected"]
    assert all(p.plan for p in plans) and all(d.status == "ok" for d in dialogues)
    assert refused_in_one_run == 1 and refused_in_two_runs == 2
    assert dialogues_step.capabilities()["response_format.json_schema"] == "rejected"


def test_a_server_taking_neither_response_format_nor_tools_gets_plain_json_and_prompted_calls(tools, tmp_path):
    with StubServer(plain_json_only_faults(fence_json=True)) as server:
        gen = generator(server, tmp_path)
        plans, dialogues = run_all(gen, tools, 4)
        rejected = sorted((r.role, str(r.response_format)) for r in server.records if r.outcome == "rejected")
        requests = server.request_count
    assert [p.error for p in plans] == [None] * 4
    assert [d.status for d in dialogues] == ["ok"] * 4
    # Each refused mode was asked once in the whole run, whatever the concurrency.
    assert rejected == [("assistant", "None"), ("planner", "json_object+schema"), ("planner", "json_schema")]
    usage = gen.usage()
    assert usage["retries"] == 0 and usage["http_requests"] == requests == usage["responses"] + 3
    capabilities = gen.capabilities()
    assert capabilities["structured_output"] == "prompt" and capabilities["tools"] == "prompt"
    assert capabilities["response_format.json_schema"] == capabilities["response_format.json_object"] == "rejected"
    assert capabilities["tools.native"] == "rejected" and "--jinja" in capabilities["tools.native.why"]


def test_an_ordinary_500_is_still_retried_and_the_mode_is_not_given_up(tools, tmp_path):
    with StubServer(Faults(rate_500=0.3), seed=11) as server:
        gen = generator(server, tmp_path, max_retries=6)
        plans, dialogues = run_all(gen, tools, 4)
        failures = server.outcomes()["500"]
    assert failures > 0 and gen.usage()["retries"] >= failures
    assert all(p.plan for p in plans) and all(d.status == "ok" for d in dialogues)
    capabilities = gen.capabilities()
    assert capabilities["structured_output"] == "json_schema" and capabilities["tools"] == "native"


def test_a_refusal_of_a_mode_the_server_already_answered_is_about_that_schema_only(tools, tmp_path):
    # llama.cpp refuses a schema it cannot turn into a grammar with a 400 that does not say "invalid
    # schema"; the plans before it were answered in json_schema, so the mode stays for everything else.
    faults = Faults(refuse_schemas_with="The converted amount",
                    refuse_schemas_message="response_format: failed to parse grammar for the json_schema")
    with StubServer(faults) as server:
        gen = generator(server, tmp_path)
        plans, dialogues = run_all(gen, tools, 3)  # sample 2 uses convert_currency
        tool_formats = {(r.outcome, r.response_format) for r in server.records if r.role == "executor"}
    assert all(p.plan for p in plans) and all(d.status == "ok" for d in dialogues)
    assert ("rejected", "json_schema") in tool_formats and ("ok", "json_object+schema") in tool_formats
    assert ("ok", "json_schema") in tool_formats
    capabilities = gen.capabilities()
    assert capabilities["structured_output"] == "json_schema"
    assert capabilities["response_format.json_schema"] == "accepted"


# ------------------------------------------------------------------- failed answers are not final


def test_malformed_json_is_not_cached_so_a_rerun_against_a_healthy_server_recovers(tools, tmp_path):
    samples = make_samples(tools, 3)
    with StubServer(Faults(garbage_structured=True)) as server:
        sick = generator(server, tmp_path, max_repairs=1)
        failed = sick.plan_many(samples, tools, 7)
        assert [reason(p.error) for p in failed] == ["invalid_output"] * 3
        assert all(p.raw_output for p in failed)  # the malformed answer is kept in the row, not the cache
        assert sick.usage()["cache_discards"] == 3 * 2  # first answer and repair, per plan

        server.faults.garbage_structured = False  # the server is fixed (a better model, a new version)
        healthy = generator(server, tmp_path, max_repairs=1)
        recovered = healthy.plan_many(samples, tools, 7)
    assert all(p.plan is not None for p in recovered)
    assert healthy.usage()["http_requests"] == 3  # asked again, and answered at the first try


def test_prose_where_calls_were_due_is_not_cached_so_a_rerun_recovers(tools, tmp_path):
    with StubServer(Faults(prose_for_tools=1.0)) as server:
        sick = generator(server, tmp_path, max_turn_retries=1)
        _, failed = run_all(sick, tools, 2)
        assert [reason(d.error) for d in failed] == ["prose_instead_of_tool_calls"] * 2

        server.faults.prose_for_tools = 0.0
        healthy = generator(server, tmp_path, max_turn_retries=1)
        plans, recovered = run_all(healthy, tools, 2)
        warm_before = server.request_count
        _, again = run_all(generator(server, tmp_path, max_turn_retries=1), tools, 2)
        assert server.request_count == warm_before  # what succeeded is final: a warm rerun asks nothing
    assert healthy.usage()["cache_hits"] > 0  # plans and the user's first words came from the cache
    assert [d.status for d in recovered] == ["ok", "ok"] and [d.status for d in again] == ["ok", "ok"]
