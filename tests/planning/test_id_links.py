"""An id argument is read only from an id of the same thing (issue 12, item 4): a tweet's id never fills a
`province_id`, however alike two numbers look, while a thing's id read back by a later call of the same thing
(or a user id read into a message's `receiver_id`) stays a link."""

from __future__ import annotations

import json

import pytest

from toolflow_assets.execution.verbs import verb_and_noun
from toolflow_assets.planning.offline_planner import CatalogIndex, OfflinePlanner, sample_view
from toolflow_assets.tools import Tool
from toolflow_assets.values.flow import flow_is_feasible, id_thing

SEED = 7


def tool(name: str, properties: dict, returns: dict | None, description: str) -> Tool:
    return Tool(tool_id=f"id-{name}", name=name, description=description,
                parameters={"type": "object", "properties": properties, "required": list(properties)},
                returns=returns, source="test", source_format="test", category="test")


INTEGER_ID = {"type": "integer", "minimum": 1, "maximum": 50}
GET_TWEET = tool("get_tweet", {"tweet_id": INTEGER_ID},
                 {"type": "object", "properties": {"id": INTEGER_ID, "content": {"type": "string"}}},
                 "Retrieve a tweet by its id.")
GET_PROVINCE = tool("get_province_id", {"province_name": {"type": "string"}},
                    {"type": "object", "properties": {"province_id": INTEGER_ID}},
                    "Get the id of a province from its name.")
PROVIDERS = tool("get_service_providers", {"province_id": INTEGER_ID},
                 {"type": "object", "properties": {"providers": {"type": "array", "items": {"type": "string"}}}},
                 "List the service providers of a province.")
CREATE_TICKET = tool("create_ticket", {"title": {"type": "string"}},
                     {"type": "object", "properties": {"id": INTEGER_ID, "title": {"type": "string"}}},
                     "Create a support ticket.")
GET_TICKET = tool("get_ticket", {"ticket_id": INTEGER_ID},
                  {"type": "object", "properties": {"title": {"type": "string"}}}, "Get a ticket by its id.")
GET_USER_ID = tool("get_user_id", {"user": {"type": "string"}},
                   {"type": "object", "properties": {"user_id": {"type": "string"}}}, "Get the id of a user.")
SEND = tool("send_message", {"receiver_id": {"type": "string"}, "message": {"type": "string"}},
            {"type": "object", "properties": {"sent_status": {"type": "boolean"}}}, "Send a message to a user.")


def feasible(src: Tool, src_field: str, dst: Tool, dst_field: str) -> bool:
    return flow_is_feasible(src, src_field, dst, dst_field, src_noun=verb_and_noun(src)[1],
                            dst_noun=verb_and_noun(dst)[1])


@pytest.mark.parametrize("path, noun, thing", [
    ("tweet_id", (), "tweet"),
    ("customDashboardId", (), "dashboard"),  # camelCase, and a qualifier before the thing
    ("matching_tweets[].id", (), "tweet"),  # a bare id names the thing its list holds
    ("results[].id", ("messages",), "message"),  # ... else the tool's thing
    ("receiver_id", (), "user"),  # a message's receiver is one of the users
    ("id", ("user", "profile"), "user"),  # get_user_profile's own id is the user's
    ("id", (), ""),  # nothing says which thing
    ("username", (), None),  # no id at all
])
def test_which_thing_an_id_names(path, noun, thing):
    assert id_thing(path, noun) == thing


def test_a_tweet_id_never_feeds_a_province_id():
    assert not feasible(GET_TWEET, "id", PROVIDERS, "province_id")
    assert feasible(GET_PROVINCE, "province_id", PROVIDERS, "province_id")


def test_ids_of_one_thing_link_across_names():
    assert feasible(CREATE_TICKET, "id", GET_TICKET, "ticket_id")  # the created ticket is read back
    assert feasible(GET_USER_ID, "user_id", SEND, "receiver_id")  # BFCL's message API: a user is a receiver


def test_the_planner_reads_the_province_id_from_the_province_not_the_tweet():
    # the graph offers both edges, the tweet's with the higher score: only the province's can carry the value
    row = {
        "sample_id": "ids-1", "strategy": "graph", "seed": 1,
        "tool_ids": [t.tool_id for t in (GET_TWEET, GET_PROVINCE, PROVIDERS)],
        "tool_names": [t.name for t in (GET_TWEET, GET_PROVINCE, PROVIDERS)],
        "edges": json.dumps([
            {"src": "get_tweet", "dst": "get_service_providers", "kind": "data_flow", "score": 0.99,
             "src_field": "id", "dst_field": "province_id"},
            {"src": "get_province_id", "dst": "get_service_providers", "kind": "data_flow", "score": 0.8,
             "src_field": "province_id", "dst_field": "province_id"},
        ]),
        "longest_chain": 1, "chain": ["get_tweet", "get_province_id", "get_service_providers"],
    }
    catalog = CatalogIndex({t.tool_id: t for t in (GET_TWEET, GET_PROVINCE, PROVIDERS)})
    for seed in range(5):
        plan = OfflinePlanner().plan(sample_view({**row, "seed": seed}, catalog), SEED)
        tool_of = {c.call_id: c.tool for t in plan.turns for c in t.calls}
        sources = [tool_of[c.arguments["province_id"].call_id] for t in plan.turns for c in t.calls
                   if c.tool == "get_service_providers" and c.arguments["province_id"].kind == "tool_output"]
        assert sources and set(sources) == {"get_province_id"}


def test_a_model_written_plan_that_reads_a_tweet_id_into_a_province_id_is_refused():
    # the llm planner's validation holds the model to the same rule, so the model is asked to repair the plan
    from toolflow_assets.planning.llm_prompts import plan_problems
    from toolflow_assets.planning.models import ArgumentSource, DialoguePlan, PlannedCall, PlannedTurn

    def plan(producer: Tool, field: str) -> DialoguePlan:
        first = PlannedCall(call_id="t1c1", tool=producer.name, arguments={
            name: ArgumentSource(kind="user", value=1 if "id" in name else "Salta")
            for name in producer.parameters["properties"]})
        second = PlannedCall(call_id="t2c1", tool="get_service_providers", arguments={
            "province_id": ArgumentSource(kind="tool_output", call_id="t1c1", field=field)})
        return DialoguePlan(plan_id="p", sample_id="s", strategy="graph", scenario="",
                            tools=[producer.name, "get_service_providers"], turns=[
            PlannedTurn(intent="Look something up.", needs_tools=True, calls=[first]),
            PlannedTurn(intent="Then the providers there.", needs_tools=True, calls=[second])])

    tools = {t.name: t for t in (GET_TWEET, GET_PROVINCE, PROVIDERS)}
    problems = plan_problems(plan(GET_TWEET, "id"), tools)
    assert problems == ["t2c1: argument 'province_id' (the id of a province) reads field 'id' of get_tweet, "
                        "the id of a tweet"]
    assert plan_problems(plan(GET_PROVINCE, "province_id"), tools) == []
