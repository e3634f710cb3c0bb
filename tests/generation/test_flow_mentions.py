"""A value an earlier result gave is said where it goes ("the games for baseball") only once an answer told it."""

from __future__ import annotations

import random

from toolflow_assets.generation.offline_state import DialogueState
from toolflow_assets.generation.user_agent import _shown_flows
from toolflow_assets.planning.models import ArgumentSource, DialoguePlan, PlannedCall, PlannedTurn
from toolflow_assets.tools import Tool


def _tool(name: str, properties: dict) -> Tool:
    return Tool(tool_id=name, name=name, description=f"{name}.", source="t", source_format="t", category="",
                parameters={"type": "object", "properties": properties}, returns=None)


SPORTS = _tool("list_sports", {})
SCORES = _tool("get_scores", {"sport": {"type": "string"}})
PLAN = DialoguePlan(
    plan_id="p", sample_id="s", strategy="graph", tools=["list_sports", "get_scores"],
    turns=[PlannedTurn(intent="a", needs_tools=True, calls=[PlannedCall(call_id="t1c1", tool="list_sports")]),
           PlannedTurn(intent="b", needs_tools=True, calls=[PlannedCall(
               call_id="t2c1", tool="get_scores",
               arguments={"sport": ArgumentSource(kind="tool_output", call_id="t1c1", field="key")})])])


def _state(answer: str) -> DialogueState:
    state = DialogueState(plan=PLAN, tools={"list_sports": SPORTS, "get_scores": SCORES}, rng=random.Random(0))
    state.results["t1c1"], state.tool_of["t1c1"] = {"key": "baseball", "title": "MLB"}, SPORTS
    state.messages = [{"role": "user", "content": "Which sports are there?"},
                      {"role": "tool", "content": '{"key": "baseball", "title": "MLB"}'},
                      {"role": "assistant", "content": answer}]
    return state


def test_a_flow_value_is_said_by_the_user_only_once_an_answer_told_it():
    call = PLAN.turns[1].calls[0]
    assert _shown_flows(_state("I see baseball for the key."), call, {"t2c1"}) == [("sport", "baseball")]
    # the tool's message holds it, but the user was never told: "the key from that result" it stays
    assert _shown_flows(_state("There is one sport, MLB."), call, {"t2c1"}) == []
    # a word that only contains the value is no telling of it
    assert _shown_flows(_state("I see baseball-cards for the key."), call, {"t2c1"}) == []
    # a value read in this same request is not known yet
    assert _shown_flows(_state("I see baseball for the key."), call, {"t2c1", "t1c1"}) == []
