"""The `agent` writer (generation/agent_writer.py) against the real stub HTTP server: the model gets the
dialogue and the offered tools (the plan's and a distractor), never the plan, and makes its own calls; the
executor answers them; each turn records whether the calls were the plan's, and the quality stage fails a
dialogue whose calls diverge, naming how. A server error fails one dialogue, not the batch; `toolflow run
--planner offline --writer agent --executor simulated` runs end to end.

The stub's model is scripted here (`Replay`): it answers each request with the template dialogue's next
assistant message, found by the user's words so far, so it makes the plan's calls without being told the
plan; variants of it call a distractor or change a value.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import polars as pl
import pytest
from llm_fixtures import make_samples, make_tools
from openai_stub_server import Faults, StubServer
from stub_agents import _block
from subprocess_env import clean_env

from toolflow_assets.batches import batch_seed
from toolflow_assets.execution import is_error_result
from toolflow_assets.generation.backend import make_generator
from toolflow_assets.generation.frames import agent_adherence, dialogues_to_frame
from toolflow_assets.generation.offline import OfflineGenerator
from toolflow_assets.generation.prompts import load_prompt
from toolflow_assets.planning.frames import plans_from_frame
from toolflow_assets.quality.checks import check_plan_adherence
from toolflow_assets.quality.evaluate import check_dialogue
from toolflow_assets.tools import tools_from_frame

SEED = 7
N = 6
FAST = dict(timeout_seconds=15.0, max_retries=1, concurrency=4, backoff_base_seconds=0.01, backoff_max_seconds=0.02)
DISTRACTOR_CALLS = {"convert_currency": {"amount": 12.5, "from_currency": "EUR", "to_currency": "USD"},
                    "send_email": {"to": "sam@example.com", "subject": "Hello"}}
ROOT = Path(__file__).resolve().parents[2]
RESULT_PREFIX = load_prompt("assistant_agent").sections["prompt_tool_result"].split("$", 1)[0]


def _users(messages: list[dict[str, Any]]) -> list[str]:
    """The user's words (in the prompted form, tool results travel as user messages: not those)."""
    return [m["content"] for m in messages if m["role"] == "user" and not m["content"].startswith(RESULT_PREFIX)]


class Replay:
    """A model that makes the plan's calls: each request is answered with the next assistant message of the
    template dialogue whose user messages begin as the request's do and whose tools are the ones offered.
    `change(turn, step, message, offered)` may alter the answer; dialogues of `fail_for` (plan ids) get
    HTTP 500."""

    def __init__(self, drafts: Callable[[], list[Any]] | list[Any], change: Callable[..., dict] | None = None,
                 fail_for: set[str] = frozenset()) -> None:
        self._drafts, self.change, self.fail_for = drafts, change, fail_for

    def drafts(self) -> list[Any]:
        return self._drafts() if callable(self._drafts) else self._drafts

    def __call__(self, body: dict[str, Any]) -> dict[str, Any] | None:
        messages = body["messages"]
        users = _users(messages)
        offered = {t["function"]["name"] for t in body["tools"]} if body.get("tools") else \
            {f["name"] for f in _block("functions", messages[0]["content"])}  # the prompted form
        draft = next(d for d in self.drafts() if _users(d.messages)[:len(users)] == users
                     and {t["function"]["name"] for t in d.tools} == offered)
        if draft.plan_id in self.fail_for:
            return None
        last_user = max(i for i, m in enumerate(messages) if m["role"] == "user" and m["content"] in users)
        step = sum(1 for m in messages[last_user + 1:] if m["role"] == "assistant")  # the model's messages this turn
        starts = [i for i, m in enumerate(draft.messages) if m["role"] == "user"] + [len(draft.messages)]
        turn = [m for m in draft.messages[starts[len(users) - 1]:starts[len(users)]] if m["role"] == "assistant"]
        message = {"role": "assistant", "content": turn[step].get("content")}
        if turn[step].get("tool_calls"):
            message["tool_calls"] = json.loads(json.dumps(turn[step]["tool_calls"]))
        return self.change(len(users), step, message, offered) if self.change else message


def _calls(messages: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [(c["function"]["name"], json.loads(c["function"]["arguments"]))
            for m in messages if m["role"] == "assistant" for c in m.get("tool_calls") or []]


@pytest.fixture(scope="module")
def catalog():
    return make_tools()


@pytest.fixture(scope="module")
def templates(catalog):
    """Offline plans of samples offered with a distractor each, and the template dialogues for them."""
    ids = {t.name: t.tool_id for t in catalog.values()}
    samples = make_samples(catalog, N)
    for row in samples:
        row["distractors"] = [ids[name] for name in DISTRACTOR_CALLS if name not in row["tool_names"]][:1]
    offline = OfflineGenerator()
    plans = [r.plan for r in offline.plan_many(samples, catalog, SEED) if r.plan is not None]
    drafts = offline.generate_many(plans, catalog, SEED)
    assert all(d.status == "ok" for d in drafts)
    return plans, drafts


def _write(catalog, plans, model: Replay, cache_dir, **faults: Any):
    with StubServer(Faults(agent=model, **faults)) as server:
        generator = make_generator("offline", "stub-model", writer="agent", base_url=server.base_url,
                                   cache_dir=str(cache_dir), plan_check=check_plan_adherence, **FAST)
        dialogues = generator.generate_many(plans, catalog, SEED)
        _write.capabilities = generator.capabilities()
        return dialogues, server.roles(), server.bodies()


def _quality(dialogue, plan, catalog):
    returns = {t.name: t.returns for t in catalog.values() if t.returns}
    verdicts, reasons, _ = check_dialogue(dialogue.messages, dialogue.tools, plan.model_dump(), returns)
    return verdicts, reasons


def _failed_calls(messages: list[dict[str, Any]]) -> list[str]:
    """The ids of the calls that came back as an error."""
    return [m["tool_call_id"] for m in messages if m["role"] == "tool" and is_error_result(json.loads(m["content"]))]


def _turn_records(dialogue):
    return [w for w in dialogue.writers if "turn" in w]


def test_a_model_that_calls_the_planned_tools_gives_passing_dialogues_of_its_own_calls(catalog, templates, tmp_path):
    # The replayed model says the template's words; where the template retried a failed call, the retry's
    # result is drawn anew in this run, so the words would state ids it never got: those plans are left out
    kept = [(plan, draft) for plan, draft in zip(*templates) if not _failed_calls(draft.messages)]
    assert len(kept) >= N - 2
    plans, drafts = [p for p, _ in kept], [d for _, d in kept]
    dialogues, roles, bodies = _write(catalog, plans, Replay(drafts), tmp_path)
    assert set(roles) == {"agent"}  # nobody but the assistant model was asked
    for body in bodies:
        system = body["messages"][0]["content"]
        assert "turn_plan" not in system and "call_tools" not in system  # the model is not told the plan
    for plan, draft, dialogue in zip(plans, drafts, dialogues):
        assert dialogue.status == "ok", dialogue.error
        assert dialogue.provenance.writer == "agent" and dialogue.provenance.executor == "simulated"
        assert {t["function"]["name"] for t in dialogue.tools} == set(plan.tools)  # the plan's tools and distractor
        assert len(plan.tools) > len({c.tool for t in plan.turns for c in t.calls})
        assert _calls(dialogue.messages) == _calls(draft.messages)  # the calls the model made, run by the executor
        assert _users(dialogue.messages) == _users(draft.messages)  # the user's words are the plan's
        labels = {w["role"]: set() for w in dialogue.writers}
        for w in dialogue.writers:
            labels[w["role"]].add(w["writer"])
        assert labels == {"user": {"template"}, "assistant": {"agent"}}
        records = _turn_records(dialogue)
        assert [r["turn"] for r in records] == list(range(1, len(plan.turns) + 1))
        assert all(r["matches_plan"] and r["calls"] == r["planned"] for r in records)
        verdicts, reasons = _quality(dialogue, plan, catalog)
        assert not reasons, reasons
        assert dialogue.provenance.usage["requests"] == sum(m["role"] == "assistant" for m in dialogue.messages)


def test_a_server_without_the_tools_parameter_gets_the_functions_in_the_prompt(catalog, templates, tmp_path):
    """llama.cpp without --jinja refuses `tools`: the negotiated prompted format carries the functions, the
    model's JSON answer becomes its calls, and the dialogue is stored in the OpenAI format all the same."""
    plans, drafts = templates
    dialogues, _, bodies = _write(catalog, plans[:2], Replay(drafts), tmp_path, reject_tools=True)
    assert _write.capabilities.get("tools") == "prompt", _write.capabilities
    assert any("<functions>" in b["messages"][0]["content"] and not b.get("tools") for b in bodies)
    for plan, draft, dialogue in zip(plans, drafts, dialogues):
        assert dialogue.status == "ok", dialogue.error
        assert _calls(dialogue.messages) == _calls(draft.messages)
        assert all(r["matches_plan"] for r in _turn_records(dialogue))
        assert not _quality(dialogue, plan, catalog)[1]


def test_the_llm_executor_answers_the_models_calls_through_the_same_client(catalog, templates, tmp_path):
    """The resource hands the writer and the llm executor one client: the executor's requests run between
    the writer's rounds, never inside its session, and every call the model made gets the model's result."""
    from toolflow_assets.execution.llm import LLMExecutor
    from toolflow_assets.llm.client import LLMClient, LLMSettings

    plans, drafts = templates
    with StubServer(Faults(agent=Replay(drafts))) as server:
        client = LLMClient(LLMSettings(model="stub-model", base_url=server.base_url, cache_dir=str(tmp_path), **FAST))
        generator = make_generator("offline", "stub-model", writer="agent", client=client,
                                   executor=LLMExecutor(client), plan_check=check_plan_adherence)
        dialogues = generator.generate_many(plans[:3], catalog, SEED)
        roles = server.roles()
    assert all(d.status == "ok" for d in dialogues), [d.error for d in dialogues]
    executions = [e for d in dialogues for e in d.executions]
    assert executions and all(e["executor"] == "llm:stub-model" for e in executions)
    assert roles["executor"] == len(executions) and roles["agent"] == sum(
        d.provenance.usage["requests"] for d in dialogues)


def _call_distractor(turn, step, message, offered):
    """At the first assistant message with calls, call the offered distractor instead of the first call."""
    if message.get("tool_calls") and not _call_distractor.done:
        name = next(n for n in DISTRACTOR_CALLS if n in offered and n != message["tool_calls"][0]["function"]["name"])
        message["tool_calls"][0]["function"] = {"name": name, "arguments": json.dumps(DISTRACTOR_CALLS[name])}
        _call_distractor.done = True
    return message


def _wrong_value(turn, step, message, offered):
    """The first call's first text argument gets another value than the user gave."""
    if message.get("tool_calls") and not _wrong_value.done:
        function = message["tool_calls"][0]["function"]
        arguments = json.loads(function["arguments"])
        name = next(k for k in ("origin", "city", "passenger_name") if k in arguments)
        arguments[name] = "Atlantis"
        function["arguments"] = json.dumps(arguments)
        _wrong_value.done = True
    return message


@pytest.mark.parametrize("change, divergence", [
    (_call_distractor, r"called \[(convert_currency|send_email)"),
    (_wrong_value, r'\.(origin|city|passenger_name) = "Atlantis", the plan says'),
])
def test_calls_that_diverge_from_the_plan_are_recorded_per_turn_and_fail_quality(catalog, templates, tmp_path,
                                                                                   change, divergence):
    import re

    plans, drafts = templates
    plan, draft = plans[0], drafts[0]  # one dialogue: the change applies to its first calls
    change.done = False
    (dialogue,), _, _ = _write(catalog, [plan], Replay([draft], change), tmp_path)
    assert dialogue.status == "ok", dialogue.error  # the model's choice is data, not a generation failure
    records = _turn_records(dialogue)
    diverged = [r for r in records if not r["matches_plan"]]
    first_tool_turn = next(i for i, t in enumerate(plan.turns, 1) if t.calls)
    assert diverged and diverged[0]["turn"] == first_tool_turn
    assert re.search(divergence, diverged[0]["divergence"]), diverged[0]["divergence"]
    verdicts, reasons = _quality(dialogue, plan, catalog)
    assert verdicts["plan_adherence"] is False
    counts = agent_adherence(dialogues_to_frame([dialogue]))  # the dialogues asset's `calls_as_planned`
    assert counts == {"dialogues": 1, "dialogues_matching": 0, "turns": len(plan.turns),
                      "turns_diverged": len(diverged)}
    assert any(r.startswith(f"plan_adherence: turn {first_tool_turn}: ") and re.search(divergence, r) for r in reasons)


def test_a_server_error_fails_one_dialogue_not_the_batch(catalog, templates, tmp_path):
    plans, drafts = templates
    broken = plans[1].plan_id
    dialogues, _, _ = _write(catalog, plans, Replay(drafts, fail_for={broken}), tmp_path)
    by_plan = {d.plan_id: d for d in dialogues}
    assert len(dialogues) == len(plans)
    assert by_plan[broken].status == "failed" and by_plan[broken].error.startswith("server_error")
    assert all(d.status == "ok" for d in dialogues if d.plan_id != broken)


@pytest.mark.slow
def test_toolflow_run_with_the_offline_planner_and_the_agent_writer(tmp_path):
    """`toolflow run --planner offline --writer agent --executor simulated`: the stub's model replays the
    template dialogues of the run's own plans (read from the run's storage once they exist), so every
    dialogue passes; the run records the writer, requests and tokens per kept dialogue."""
    import dagster as dg

    storage = tmp_path / ".toolflow" / "dagster_home" / "storage" / "assets"
    cache: list[Any] = []
    lock = threading.Lock()  # the stub answers the first round's requests on several threads at once

    def drafts() -> list[Any]:
        with lock:
            if not cache:
                tools = {t.tool_id: t for t in tools_from_frame(pl.read_parquet(storage / "tool_catalog.parquet"))}
                plans = plans_from_frame(pl.read_parquet(storage / "dialogue_plans" / "batch-0001.parquet"))
                cache.extend(OfflineGenerator().generate_many(plans, tools, batch_seed(SEED, "batch-0001")))
            return cache

    env = clean_env()
    env.update(PYTHONPATH=str(ROOT))
    with StubServer(Faults(agent=Replay(drafts))) as server:
        completed = subprocess.run(
            [sys.executable, "-m", "toolflow_assets.cli", "run", "--planner", "offline", "--writer", "agent",
             "--executor", "simulated", "--model", "stub-model", "--base-url", server.base_url, "--seed", str(SEED),
             "--sources", str(ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"),
             "--dialogues", "6", "--output", str(tmp_path / "out")],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
        roles = server.roles()
    assert set(roles) <= {"agent", "judge"} and roles["agent"] > 0  # no planner, writer or executor requests

    dialogues = pl.read_parquet(storage / "dialogues" / "batch-0001.parquet")
    ok = dialogues.filter(pl.col("status") == "ok")
    assert ok.height == dialogues.height >= 5 and set(ok["writer"]) == {"agent"}
    quality = pl.read_parquet(storage / "dialogue_quality" / "batch-0001.parquet")
    failing = [r for reasons in quality["reasons"].to_list() for r in reasons if not r.startswith("not_duplicate")]
    assert not failing, failing

    home = tmp_path / ".toolflow" / "dagster_home"
    instance = dg.DagsterInstance.from_config(str(home))
    metadata = instance.get_latest_materialization_event(dg.AssetKey("dialogues")).asset_materialization.metadata
    per_kept = metadata["per_kept_dialogue"].value
    assert metadata["writer"].value == "agent" and per_kept["kept"] == ok.height
    assert per_kept["requests"] == round(roles["agent"] / ok.height, 2) and per_kept["prompt_tokens"] > 0
    assert metadata["texts_by_writer"].value["agent"] > 0
    adherence = metadata["calls_as_planned"].value
    assert adherence["dialogues"] == adherence["dialogues_matching"] == ok.height and adherence["turns_diverged"] == 0
    print("figures:", json.dumps({"dialogues_ok": ok.height, "agent_requests": roles["agent"], "per_kept": per_kept}))


def test_turns_after_a_capped_list_of_reasons_are_unknown_not_matching(templates):
    """The plan-adherence rule names five reasons and counts the rest: a turn it did not get to name is
    not reported as matching the plan."""
    from toolflow_assets.generation.agent_writer import turn_adherence

    plans, drafts = templates
    plan, draft = next((p, d) for p, d in zip(plans, drafts) if len(p.turns) >= 3)
    reasons = ["turn 1: called [a], the plan says [b]", *(f"turn 2: x.{n} is missing; the plan gives it" for n in "pqrs"),
               "… and 4 more"]
    records = turn_adherence(draft.messages, plan, lambda messages, plan_dict: reasons)
    assert [r["matches_plan"] for r in records] == [False, False] + [None] * (len(plan.turns) - 2)
    assert records[1]["divergence"].count("is missing") == 4
    complete = turn_adherence(draft.messages, plan, lambda messages, plan_dict: reasons[:1])
    assert [r["matches_plan"] for r in complete] == [False] + [True] * (len(plan.turns) - 1)
