"""The planner role: chosen by name (offline | llm) independently of the writer and executor, and both
planners read a sample the same way (one parser: tools by name then id, edges outside the sample dropped,
distractors offered)."""

from __future__ import annotations

import pytest

from resources import LLMResource
from toolflow_assets.planning.llm_prompts import parse_data_block, plan_from_draft, planner_messages
from toolflow_assets.planning.offline_planner import OfflinePlanner
from toolflow_assets.planning.planner import make_planner
from toolflow_assets.planning.samples import CatalogIndex, sample_view

SEED = 7


def test_the_offline_planner_role_plans_as_the_offline_planner_does(catalog, samples):
    role = make_planner("offline")
    assert (role.name, role.model) == ("offline", "toolflow-offline")
    assert role.plan_many(samples[:5], catalog, SEED) == OfflinePlanner().plan_many(samples[:5], catalog, SEED)
    assert role.usage() == {} and role.capabilities() == {}


def test_the_llm_planner_needs_a_client_and_unknown_names_are_refused():
    with pytest.raises(ValueError, match="needs an LLM client"):
        make_planner("llm")
    with pytest.raises(ValueError, match="unknown planner 'smart'.*TOOLFLOW_PLANNER"):
        make_planner("smart")


@pytest.mark.parametrize(
    "fields, env, expected",
    [
        ({}, {}, "offline"),
        ({"backend": "openai"}, {}, "llm"),  # --backend openai is shorthand for the llm planner
        ({"backend": "openai", "planner": "offline"}, {}, "offline"),  # a named planner wins
        ({}, {"TOOLFLOW_PLANNER": "llm"}, "llm"),
        ({"planner": "offline"}, {"TOOLFLOW_PLANNER": "llm"}, "offline"),  # config wins over the environment
        ({"writer": "llm"}, {}, "offline"),  # the writer does not choose the planner
    ],
)
def test_the_planner_is_chosen_on_its_own(monkeypatch, fields, env, expected):
    for name in ("TOOLFLOW_PLANNER", "TOOLFLOW_LLM_BACKEND", "TOOLFLOW_WRITER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    resource = LLMResource(**fields)
    assert resource.planner_name() == expected
    assert resource.describe()["planner"] == expected


def test_an_llm_planner_without_a_server_is_a_clear_error(monkeypatch, tmp_path):
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "TOOLFLOW_LLM_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    resource = LLMResource(planner="llm")
    assert resource.uses_server()
    with pytest.raises(ValueError, match="the llm planner needs a server"):
        resource.get_planner(str(tmp_path))
    assert LLMResource().get_planner(str(tmp_path)).name == "offline"  # offline needs nothing


def test_both_planners_read_a_sample_alike(catalog, samples):
    row = dict(next(s for s in samples if len(s["tool_names"]) >= 3))
    inside, outside = row["tool_names"][:2], row["tool_names"][2]
    row["tool_names"] = inside
    row["tool_ids"] = []
    row["distractors"] = [outside]
    # an edge from a tool of the sample to one outside it: no plan may call that tool, so it is dropped
    row["edges"] = [{"src": inside[0], "dst": outside, "kind": "data_flow", "src_field": "x", "dst_field": "y"}]
    sample = sample_view(row, CatalogIndex(catalog))
    assert sample.tool_names == inside and sample.flows == []
    block = parse_data_block("sample", planner_messages(sample, 3)[1]["content"])
    assert [t["name"] for t in block["tools"]] == inside and block["data_flows"] == []

    offline = OfflinePlanner().plan(sample, SEED)
    assert outside in offline.tools  # the distractor is offered, never called
    tool = catalog[inside[0]]
    required = tool.parameters.get("required") or []
    draft = {"scenario": "s", "turns": [
        {"intent": "Say hello", "needs_tools": False, "chat_kind": "greeting", "calls": []},
        {"intent": "Do the thing", "needs_tools": True, "chat_kind": None, "calls": [
            {"call_id": "a", "tool": tool.name, "arguments": [
                {"name": p, "source": "user", "value": _value(tool.parameters["properties"][p]), "call_id": None,
                 "field": None} for p in required]}]}]}
    llm_plan = plan_from_draft(draft, sample, "p")
    assert llm_plan.tools == offline.tools  # the same tools offered, whichever planner planned


def _value(schema: dict):
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    return {"integer": 3, "number": 2.5, "boolean": True, "array": ["a"], "object": {}}.get(kind, "Rome")
