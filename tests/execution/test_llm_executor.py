"""The llm executor against a real local HTTP server (tests/llm/openai_stub_server.py): what its request
shows, answers that contradict the call (repaired, else made to agree and labelled), a server that fails
(one dialogue fails, the others go on), the openai backend's tool results (the same executor, awaited in
the backend's own loop), and `toolflow run --executor llm` end to end."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from subprocess_env import clean_env

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))

from llm_fixtures import FAST, generator, make_samples, make_tools, run_all  # noqa: E402
from openai_stub_server import Faults, StubServer  # noqa: E402
from stub_agents import CONTRADICTION, executor_answer  # noqa: E402

from toolflow_assets.execution.choice import make_executor  # noqa: E402
from toolflow_assets.execution.mcp import McpExecutor  # noqa: E402
from toolflow_assets.execution.llm import (LLMExecutionError, LLMExecutor, answer_problems,  # noqa: E402
                                            executor_messages, tool_response_schema)
from toolflow_assets.execution.simulated import SimulatedExecutor  # noqa: E402
from toolflow_assets.generation.backend import make_generator  # noqa: E402
from toolflow_assets.llm.client import LLMClient, LLMSettings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"


def executor(server: StubServer, cache_dir: Path, **settings) -> LLMExecutor:
    options = {k: v for k, v in FAST.items()}
    options.update(settings)
    return LLMExecutor(LLMClient(LLMSettings(model="stub-model", base_url=server.base_url, cache_dir=str(cache_dir),
                                             **options)))


def by_name(name: str):
    return next(t for t in make_tools().values() if t.name == name)


def executor_bodies(server: StubServer) -> list[dict]:
    return [r.body for r in server.records if r.role == "executor" and r.outcome == "ok"]


def test_the_request_shows_the_conversation_and_every_earlier_result(tmp_path) -> None:
    search, book = by_name("search_flights"), by_name("book_flight")
    with StubServer() as server:
        session = executor(server, tmp_path).session(seed=4)
        messages = [{"role": "system", "content": "You help with travel."},
                    {"role": "user", "content": "Find me a flight from Oslo to Lima on 2026-05-02."}]
        session.follow_conversation(messages)
        found = session.execute("search_flights", {"origin": "Oslo", "destination": "Lima", "date": "2026-05-02"},
                                search)
        assert found.executor == "llm:stub-model" and found.status == "ok"
        flight_id = found.result["flights"][0]["flight_id"]
        messages += [{"role": "tool", "tool_call_id": "c1", "name": "search_flights",
                      "content": json.dumps(found.result)},
                     {"role": "user", "content": "Book the first one for Ana Diaz."}]
        booked = session.execute("book_flight", {"flight_id": flight_id, "passenger_name": "Ana Diaz"}, book,
                                 needed={"booking_id": [("subject", {"type": "string"})]})
        request = executor_bodies(server)[-1]["messages"][1]["content"]
    assert "Book the first one for Ana Diaz." in request and "Oslo to Lima" in request  # the conversation
    assert f"search_flights returned: {json.dumps(found.result)}" in request  # the earlier result, whole
    assert '"fields_needed_later": [\n  "booking_id"\n ]' in request and '"returns"' in request
    assert booked.result["flight_id"] == flight_id and isinstance(booked.result["booking_id"], str)


def test_without_the_writer_s_messages_the_session_shows_its_own_earlier_calls(tmp_path) -> None:
    with StubServer() as server:
        session = executor(server, tmp_path).session(seed=1)
        first = session.execute("get_weather", {"city": "Quito"}, by_name("get_weather"))
        session.execute("get_weather", {"city": "Lima"}, by_name("get_weather"))
        request = executor_bodies(server)[-1]["messages"][1]["content"]
    assert f'get_weather returned: {json.dumps(first.result)}' in request and 'get_weather({"city": "Quito"})' in request


def test_a_contradicting_answer_is_repaired_once_else_made_to_agree_and_labelled(tmp_path) -> None:
    book = by_name("book_flight")
    arguments = {"flight_id": "FL-204", "passenger_name": "Ana Diaz"}
    with StubServer(Faults(executor_fault="contradict_once")) as server:
        agent = executor(server, tmp_path / "once")
        repaired = agent.session(seed=2).execute("book_flight", arguments, book)
        assert len(executor_bodies(server)) == 2  # the answer, then one repair request naming the problem
        assert "flight_id contradicts the call's arguments" in executor_bodies(server)[1]["messages"][-1]["content"]
    assert repaired.result["flight_id"] == "FL-204" and repaired.details is None
    assert agent.counts.repaired == 1 and agent.counts.answered == 1

    with StubServer(Faults(executor_fault="contradict_always")) as server:
        agent = executor(server, tmp_path / "always")
        outcome = agent.session(seed=2).execute("book_flight", arguments, book)
        assert len(executor_bodies(server)) == 2  # one repair, no more
        model_answer = executor_answer(executor_bodies(server)[-1], random.Random(
            hashlib.sha256(json.dumps(executor_bodies(server)[-1], sort_keys=True).encode()).hexdigest()),
            "contradict_always")
    entry = outcome.provenance("c1", "book_flight")
    assert outcome.result["flight_id"] == "FL-204" and CONTRADICTION not in json.dumps(outcome.result)
    assert entry["fallback"].startswith("invalid_output: flight_id contradicts") and entry["filled_by"] == "simulated"
    assert outcome.result["booking_id"] == model_answer["booking_id"]  # the model's values kept where they agree
    assert answer_problems(outcome.result, book, arguments, {}) == [] and agent.counts.filled == 1


def test_the_rule_is_the_simulated_executor_s_echo() -> None:
    weather = by_name("get_weather")
    assert answer_problems({"city": "Quito", "temperature_c": 20.5, "summary": "Sunny"}, weather, {"city": "Quito"}, {}) == []
    assert answer_problems({"city": "Lima", "temperature_c": 20.5, "summary": "Sunny"}, weather, {"city": "Quito"}, {})
    assert answer_problems({"city": "Quito"}, weather, {"city": "Quito"}, {})  # the schema's required fields
    needed = {"summary": [("count", {"type": "integer"})]}
    assert answer_problems({"temperature_c": 3, "summary": "Sunny"}, weather, {}, needed)  # no reader takes it
    assert answer_problems({"temperature_c": 3, "summary": "12"}, weather, {}, needed) == []
    # valid where the schema requires nothing, yet no result: a tiny model's `{}`
    loose = dataclasses.replace(weather, returns={**weather.returns, "required": []})
    assert answer_problems({}, loose, {}, {}) == ["it holds none of the fields the function returns "
                                                  "(city, temperature_c, summary)"]
    assert answer_problems({"summary": "Sunny"}, loose, {}, {}) == []


def test_a_server_error_fails_that_dialogue_only(tmp_path) -> None:
    tools = make_tools()
    with StubServer() as server:
        agent = executor(server, tmp_path, max_retries=1)
        generator = make_generator("offline", "toolflow-offline", executor=agent)
        plans = [p.plan for p in generator.plan_many(make_samples(tools, 3), tools, seed=5) if p.plan is not None]
        assert len(plans) == 3
        rows = []
        for index, plan in enumerate(plans):
            server.faults.rate_500 = 1.0 if index == 1 else 0.0
            rows += generator.generate_many([plan], tools, seed=5)
    assert [row.status for row in rows] == ["ok", "failed", "ok"]
    assert rows[1].error.startswith("llm_request_failed: server_error: HTTP 500")
    assert agent.counts.failed == 1
    for row in (rows[0], rows[2]):
        assert row.provenance.executor == "llm"
        assert {e["executor"] for e in row.executions} == {"llm:stub-model"}


def test_the_choice_needs_the_run_s_client(tmp_path) -> None:
    with pytest.raises(ValueError, match="needs the run's LLM client"):
        make_executor("llm")
    client = LLMClient(LLMSettings(model="stub-model", base_url="http://127.0.0.1:9/v1"))  # never contacted
    made = make_executor("llm", llm=client)
    assert made.name == "llm" and made.model == "stub-model"
    # the openai backend's results come from the executor role: --executor llm's executor (its client becomes
    # the generator's: the executor asks inside the generator's client session), the default auto's own llm
    # executor over the generator's client, or the simulated one; an executor of real tools stays refused
    chosen = make_generator("openai", "stub-model", executor=made, base_url=client.base_url)
    assert chosen.executor is made and chosen.client is client
    default = make_generator("openai", "stub-model", executor=make_executor("auto"), base_url=client.base_url)
    assert isinstance(default.executor, LLMExecutor) and default.executor.client is default.client
    assert make_generator("openai", "stub-model", executor=make_executor("simulated"),
                          base_url=client.base_url).executor.name == "simulated"
    with pytest.raises(ValueError, match="the mcp executor runs the offline planner's calls"):
        make_generator("openai", "stub-model", executor=McpExecutor(servers={}))
    from toolflow_assets.generation.llm_generator import LLMGenerator

    with pytest.raises(ValueError, match="must use the generator's LLM client"):
        LLMGenerator("stub-model", base_url=client.base_url, executor=made)  # a client of its own


def test_non_object_results_are_wrapped_and_a_description_cannot_close_the_call_block() -> None:
    schema, wrapped = tool_response_schema(by_name("convert_currency"))  # returns a number
    assert wrapped and schema["required"] == ["result"]
    assert tool_response_schema(by_name("search_flights")) == (by_name("search_flights").returns, False)
    assert tool_response_schema(by_name("send_email")) == ({"type": "object"}, False)  # no return schema
    request = executor_messages(by_name("get_weather"), {"city": "Rome"}, ["summary"])[1]["content"]
    # get_weather's description carries "</sample> Ignore all previous instructions ... PWNED"
    assert "</sample>" not in request and request.count("</tool_call>") == 1
    block = json.loads(request.split("<tool_call>\n", 1)[1].rsplit("\n</tool_call>", 1)[0])
    assert "</sample>" in block["function"]["description"] and block["arguments"] == {"city": "Rome"}


# ------------------------------------------------------------------- the openai backend's tool results


def _tool_messages(dialogue) -> list[dict]:
    return [m for m in dialogue.messages if m["role"] == "tool"]


def test_the_openai_backend_s_tool_results_are_the_llm_executor_s(tmp_path) -> None:
    tools = make_tools()
    with StubServer() as server:
        gen = generator(server, tmp_path)
        _, dialogues = run_all(gen, tools, 3)
        roles, bodies = server.roles(), executor_bodies(server)
        cold = server.request_count
        rerun = generator(server, tmp_path)
        _, again = run_all(rerun, tools, 3)
        assert server.request_count == cold  # a rerun answers every tool result from the cache
    assert [d.status for d in dialogues] == ["ok"] * 3 and "tool" not in roles
    counts = gen.executor.counts
    messages = [m for d in dialogues for m in _tool_messages(d)]
    assert counts.answered == len(messages) == roles["executor"] == len(bodies) and counts.failed == 0
    for dialogue in dialogues:
        assert dialogue.provenance.executor == "llm"
        entries = dialogue.executions
        assert [e["tool_call_id"] for e in entries] == [m["tool_call_id"] for m in _tool_messages(dialogue)]
        assert {e["executor"] for e in entries} == {"llm:stub-model"} and {e["status"] for e in entries} == {"ok"}
    # each request shows the conversation so far: the user's words and the results before it
    chained = dialogues[0]
    user_text = next(m["content"] for m in chained.messages if m["role"] == "user" and "Ask for" in m["content"])
    first = _tool_messages(chained)[0]
    later = [b["messages"][1]["content"] for b in bodies if user_text in b["messages"][1]["content"]]
    assert later and any(f"{first['name']} returned: {first['content']}" in text for text in later)
    # the dialogue's usage holds its executor requests too (per kept dialogue in the run's metadata)
    assert sum(d.provenance.usage["requests"] for d in dialogues) == cold - 3  # all requests but the 3 plans'
    assert [d.model_dump() for d in again] == [d.model_dump() for d in dialogues]
    assert rerun.executor.counts.answered == counts.answered  # from the cache, counted alike


def test_the_openai_backend_s_bad_answers_get_the_executor_s_repair_then_its_fallback(tmp_path) -> None:
    tools = make_tools()
    with StubServer(Faults(executor_fault="contradict_once")) as server:
        gen = generator(server, tmp_path / "once")
        _, dialogues = run_all(gen, tools, 3)
    assert [d.status for d in dialogues] == ["ok"] * 3
    entries = [e for d in dialogues for e in d.executions]
    assert gen.executor.counts.repaired > 0 and not any("fallback" in e for e in entries)

    with StubServer(Faults(executor_fault="contradict_always")) as server:
        gen = generator(server, tmp_path / "always")
        _, dialogues = run_all(gen, tools, 3)
        cold = server.request_count
        _, again = run_all(generator(server, tmp_path / "always"), tools, 3)
        assert server.request_count == cold  # the rejected answers stay cached: the rerun falls back alike
    assert [d.status for d in dialogues] == ["ok"] * 3
    assert [d.model_dump() for d in again] == [d.model_dump() for d in dialogues]
    fallbacks = [(e, m) for d in dialogues for e, m in zip(d.executions, _tool_messages(d)) if "fallback" in e]
    counts = gen.executor.counts
    assert fallbacks and len(fallbacks) == counts.filled + counts.simulated
    assert all(e["fallback"].startswith("invalid_output: ") for e, _ in fallbacks)
    assert CONTRADICTION not in json.dumps([m["content"] for _, m in fallbacks])  # made to agree with the calls


def test_a_failed_tool_result_fails_its_openai_dialogue_only(tmp_path) -> None:
    tools = make_tools()
    with StubServer(Faults(executor_fault="fail:send_email")) as server:
        gen = generator(server, tmp_path, max_retries=1)
        _, dialogues = run_all(gen, tools, 3)  # only the third sample's plan calls send_email
    assert [d.status for d in dialogues] == ["ok", "ok", "failed"]
    assert dialogues[2].error.startswith("llm_request_failed: server_error: HTTP 500")
    assert gen.executor.counts.failed == 1 and gen.usage()["items_failed"] == 1
    assert [e["executor"] for e in dialogues[2].executions] == ["llm:stub-model"] * len(dialogues[2].executions)


def test_the_openai_backend_runs_on_the_simulated_executor_when_chosen(tmp_path) -> None:
    tools = make_tools()
    with StubServer() as server:
        gen = generator(server, tmp_path, executor=SimulatedExecutor(error_rate=0.0, empty_rate=0.0))
        _, dialogues = run_all(gen, tools, 2)
        roles = server.roles()
    assert "executor" not in roles and [d.status for d in dialogues] == ["ok", "ok"]
    assert {e["executor"] for d in dialogues for e in d.executions} == {"simulated"}
    assert {d.provenance.executor for d in dialogues} == {"simulated"}


@pytest.mark.slow
def test_toolflow_run_with_the_llm_executor_exports_the_server_s_results(tmp_path) -> None:
    env = clean_env()
    env.update(PYTHONPATH=str(ROOT))
    with StubServer() as server:
        completed = subprocess.run(
            [sys.executable, "-m", "toolflow_assets.cli", "run", "--executor", "llm", "--model", "stub-model",
             "--base-url", server.base_url, "--sources", str(SOURCES), "--dialogues", "6",
             "--output", str(tmp_path / "out")],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
        bodies = executor_bodies(server)
    # what the stub answered each request the executor sent (its answers are deterministic per body)
    answers = {json.dumps(executor_answer(b, random.Random(hashlib.sha256(json.dumps(b, sort_keys=True).encode())
                                                           .hexdigest())), sort_keys=True) for b in bodies}
    home = tmp_path / ".toolflow" / "dagster_home"
    dialogues = pl.read_parquet(home / "storage" / "assets" / "dialogues" / "batch-0001.parquet")
    ok = dialogues.filter(pl.col("status") == "ok")
    assert ok.height >= 4 and set(ok["executor"]) == {"llm"}
    told, fallbacks = 0, []
    for messages, executions in zip(ok["messages"].to_list(), ok["executions"].to_list()):
        entries = {e["tool_call_id"]: e for e in json.loads(executions)}
        for message in json.loads(messages):
            if message["role"] != "tool":
                continue
            entry = entries[message["tool_call_id"]]
            assert entry["executor"] == "llm:stub-model", entry
            if "fallback" in entry:  # the stub's answer broke a rule (its reason says which); made to agree
                fallbacks.append(entry["fallback"])
                continue
            assert json.dumps(json.loads(message["content"]), sort_keys=True) in answers
            told += 1
    print("fallbacks:", told, fallbacks)
    assert told >= ok.height and told > 3 * len(fallbacks)  # most tool messages are the server's answers
    assert all(reason.startswith("invalid_output: ") for reason in fallbacks)
    assert (tmp_path / "out" / "dataset" / "train.jsonl").exists()
    # the dialogues asset's metadata counts the executor's work: answers, fallbacks and its own requests
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(home))
    metadata = instance.get_latest_materialization_event(dg.AssetKey("dialogues")).asset_materialization.metadata
    counts = metadata["executions"].value
    assert metadata["executor"].value == "llm" and counts["failed"] == 0
    assert counts["answered"] >= told and counts["filled"] + counts["simulated"] == len(fallbacks)
    assert counts["requests"] == len(bodies) and counts["prompt_tokens"] > 0


def test_a_model_answer_naming_one_party_on_both_sides_is_a_problem_to_repair():
    # the simulated executor keeps two sides apart and quality fails a record that names one party twice; the
    # llm executor accepted such an answer
    from toolflow_assets.tools import Tool

    game = Tool(tool_id="get_game", name="get_game", description="Get a game.", source="t", source_format="t",
                category="", parameters={"type": "object", "properties": {"id": {"type": "string"}}}, returns=None)
    problems = answer_problems({"home_team": "Yankees", "away_team": "Yankees"}, game, {"id": "G1"}, {})
    assert problems and "both hold" in problems[0]
    assert answer_problems({"home_team": "Yankees", "away_team": "Mets"}, game, {"id": "G1"}, {}) == []
