"""The per-dialogue checks: a clean dialogue passes each, and each catches its planted defect."""

from __future__ import annotations

import json

import pytest

from quality_fixtures import clean, dialogue_row, frames, variant
from toolflow_assets.quality.checks import (
    check_grounding,
    check_plan_adherence,
    check_schema,
    check_structure,
    check_tool_responses,
)
from toolflow_assets.quality.conversation import chained_arguments, split_turns, tool_combination
from toolflow_assets.quality.evaluate import QUALITY_SCHEMA, evaluate_dialogues
from toolflow_assets.quality.grounding import find_hallucinations


def _call(messages, call_id):
    for message in messages:
        for call in message.get("tool_calls") or []:
            if call["id"] == call_id:
                return call
    raise KeyError(call_id)


def _set_args(messages, call_id, **changes):
    call = _call(messages, call_id)
    arguments = json.loads(call["function"]["arguments"])
    arguments.update(changes)
    call["function"]["arguments"] = json.dumps(arguments)


def test_clean_dialogue_passes_every_check():
    f = clean()
    assert check_structure(f["messages"]) == []
    assert check_schema(f["messages"], f["tools"]) == []
    assert check_grounding(f["messages"], f["tools"]) == ([], [])
    assert check_tool_responses(f["messages"], f["returns"]) == []
    assert check_plan_adherence(f["messages"], f["plan"]) == []


def test_clean_dialogue_passes_as_a_table_row():
    f = clean()
    quality = evaluate_dialogues(*frames([dialogue_row(f["messages"], f["tools"])], f))
    assert quality.schema == QUALITY_SCHEMA
    row = quality.row(0, named=True)
    assert row["passed"] is True, row["reasons"]
    assert row["reasons"] == [] and row["hallucinated_arguments"] == []


def test_call_to_an_unknown_tool_fails_schema():
    f = clean()
    call = _call(f["messages"], "call_1")
    call["function"]["name"] = "get_forecast"
    f["messages"][3]["name"] = "get_forecast"
    reasons = check_schema(f["messages"], f["tools"])
    assert len(reasons) == 1 and "get_forecast: not an offered tool" in reasons[0]


def test_argument_of_the_wrong_type_fails_schema():
    f = clean()
    _set_args(f["messages"], "call_3", people="4")  # a string where the schema says integer
    reasons = check_schema(f["messages"], f["tools"])
    assert reasons == ["call 3 book_table: argument people: '4' is not of type 'integer'"]
    # "4" is still grounded (the user said 4): the defect is the type, and only schema reports it
    assert check_grounding(f["messages"], f["tools"]) == ([], [])


@pytest.mark.parametrize("mutate, expected", [
    (lambda m: _call(m, "call_1")["function"].__setitem__("arguments", "{city: Lisbon"), "not valid JSON"),
    (lambda m: _call(m, "call_1")["function"].__setitem__("arguments", '["Lisbon"]'), "not an object"),
    (lambda m: _set_args(m, "call_2", max_results=0), "max_results: 0 is less than the minimum of 1"),
])
def test_unreadable_or_invalid_arguments_fail_schema(mutate, expected):
    f = clean()
    mutate(f["messages"])
    reasons = check_schema(f["messages"], f["tools"])
    assert reasons and expected in reasons[0]


def test_missing_required_argument_fails_schema():
    f = clean()
    call = _call(f["messages"], "call_3")
    call["function"]["arguments"] = json.dumps({"restaurant": "Mar Azul", "people": 4})
    assert check_schema(f["messages"], f["tools"]) == [
        "call 3 book_table: argument <root>: 'time' is a required property"]


def test_schema_draft_follows_dollar_schema():
    """Draft 4's boolean exclusiveMaximum is invalid under 2020-12; with `$schema` draft-04 it works."""
    f = clean()
    parameters = f["tools"][1]["function"]["parameters"]
    parameters["$schema"] = "http://json-schema.org/draft-04/schema#"
    parameters["properties"]["max_results"] = {"type": "integer", "maximum": 10, "exclusiveMaximum": True}
    _set_args(f["messages"], "call_2", max_results=9)
    assert check_schema(f["messages"], f["tools"]) == []
    _set_args(f["messages"], "call_2", max_results=10)
    assert "max_results: 10 is greater than or equal to the maximum of 10" in check_schema(f["messages"], f["tools"])[0]


def test_unanswered_call_fails_structure():
    f = clean()
    del f["messages"][9]  # the tool message answering call_3
    reasons = check_structure(f["messages"])
    assert any("call_3" in r and "before the answer" in r for r in reasons), reasons


def test_answer_at_the_end_missing_fails_structure():
    f = clean()
    del f["messages"][-1]  # the last word is now a tool message
    assert check_structure(f["messages"]) == ["the last message is 'tool', not an assistant answer in text"]


@pytest.mark.parametrize("mutate, expected", [
    (lambda m: m[3].__setitem__("tool_call_id", "call_9"), "answers 'call_9', which matches no open call"),
    (lambda m: m[1].__setitem__("content", "  "), "message 1 (user) is empty"),
    (lambda m: m.insert(2, {"role": "user", "content": "hello?"}), "follows a user message that got no answer"),
    (lambda m: m.insert(0, {"role": "assistant", "content": "Hi"}), "comes before any user message"),
    (lambda m: m[4].__setitem__("role", "robot"), "unknown role 'robot'"),
    (lambda m: _call(m, "call_2").__setitem__("id", "call_1"), "call id call_1 is used twice"),
])
def test_structure_defects(mutate, expected):
    f = clean()
    mutate(f["messages"])
    reasons = check_structure(f["messages"])
    assert any(expected in r for r in reasons), reasons


def test_hallucinated_value_is_flagged_with_the_argument_name():
    f = clean()
    _set_args(f["messages"], "call_2", city="Porto")  # nobody said Porto
    reasons, labels = check_grounding(f["messages"], f["tools"])
    assert labels == ["find_restaurants.city"]
    assert reasons == ["call 2 find_restaurants: argument 'city' = \"Porto\" appears in no earlier user or "
                       "tool message and is not a declared default or enum value"]


def test_value_known_only_later_is_not_grounded():
    """The booking confirmation appears in a tool output, but only after the call that uses it."""
    f = clean()
    _set_args(f["messages"], "call_3", restaurant="MA-2231")
    assert check_grounding(f["messages"], f["tools"])[1] == ["book_table.restaurant"]


def test_grounding_rules_default_enum_bool_numbers_and_nesting():
    tools = [{"type": "function", "function": {"name": "t", "parameters": {"type": "object", "properties": {
        "n": {"type": "integer", "default": 25},
        "mode": {"type": "string", "enum": ["fast", "slow"]},
        "flag": {"type": "boolean"},
        "price": {"type": "number"},
        "count": {"type": "number"},
        "stops": {"type": "array", "items": {"type": "object", "properties": {
            "city": {"type": "string"}, "kind": {"type": "string", "enum": ["hub", "stop"]}}}},
        "note": {"type": ["string", "null"]},
    }}}}]

    def run(arguments, user_text):
        messages = [{"role": "user", "content": user_text},
                    {"role": "assistant", "content": None, "tool_calls": [
                        {"id": "c1", "type": "function", "function": {"name": "t", "arguments": json.dumps(arguments)}}]}]
        return [h.label + ("/" + h.path if h.path else "") for h in find_hallucinations(messages, tools)]

    said = "Price 12.5, count 3, stops in ROME and Oslo"
    good = {"n": 25, "mode": "slow", "flag": False, "price": 12.5, "count": 3.0, "note": None,
            "stops": [{"city": "Rome", "kind": "hub"}, {"city": "oslo", "kind": "stop"}]}
    assert run(good, said) == []
    bad = {"n": 26, "price": 12.75, "stops": [{"city": "Rome", "kind": "hub"}, {"city": "Paris", "kind": "x"}]}
    assert run(bad, said) == ["t.n", "t.price", "t.stops/1/city", "t.stops/1/kind"]


def test_tool_response_that_breaks_its_return_schema_fails():
    f = clean()
    f["messages"][3]["content"] = json.dumps({"city": "Lisbon", "temperature": "warm", "condition": "sunny"})
    assert check_tool_responses(f["messages"], f["returns"]) == [
        "tool message 3 (get_weather): temperature: 'warm' is not of type 'number'"]
    f["messages"][3]["content"] = "sunny and warm"
    assert "not JSON" in check_tool_responses(f["messages"], f["returns"])[0]


def test_calls_out_of_plan_order_fail_plan_adherence():
    f = clean()
    assistant_search, tool_search = f["messages"][6], f["messages"][7]
    assistant_book, tool_book = f["messages"][8], f["messages"][9]
    f["messages"][6:10] = [assistant_book, tool_book, assistant_search, tool_search]
    assert check_plan_adherence(f["messages"], f["plan"]) == [
        "turn 2: called [book_table, find_restaurants], the plan says [find_restaurants, book_table]"]
    assert check_plan_adherence(f["messages"][:5], f["plan"]) == [
        "1 user turns, the plan has 2"]
    assert check_plan_adherence(f["messages"], None) == ["no usable plan for this dialogue"]


def test_failed_generation_keeps_its_row_with_the_error():
    f = clean()
    rows = [dialogue_row(f["messages"], f["tools"]),
            dialogue_row([], f["tools"], dialogue_id="d-2", status="failed", error="timeout: no answer")]
    quality = evaluate_dialogues(*frames(rows, f))
    failed = quality.filter(quality["dialogue_id"] == "d-2").row(0, named=True)
    assert failed["passed"] is False and failed["status"] == "failed"
    assert failed["reasons"] == ["generation failed: timeout: no answer"]
    assert failed["structure"] is None and failed["not_duplicate"] is None


def test_missing_plan_and_unreadable_messages_fail_with_reasons():
    f = clean()
    orphan = dialogue_row(f["messages"], f["tools"], dialogue_id="d-orphan", plan_id="plan-x")
    broken = dialogue_row(f["messages"], f["tools"], dialogue_id="d-broken")
    broken["messages"] = "[{not json"
    quality = evaluate_dialogues(*frames([orphan, broken], f))
    by_id = {r["dialogue_id"]: r for r in quality.iter_rows(named=True)}
    assert by_id["d-orphan"]["plan_adherence"] is False
    assert "plan_adherence: plan plan-x not found" in by_id["d-orphan"]["reasons"]
    assert by_id["d-broken"]["structure"] is False and by_id["d-broken"]["passed"] is False
    assert by_id["d-broken"]["reasons"][0].startswith("structure: messages are not valid JSON")


def test_duplicate_is_flagged_and_the_original_kept():
    f = clean()
    original = dialogue_row(f["messages"], f["tools"], dialogue_id="d-a")
    copy = dialogue_row(f["messages"], f["tools"], dialogue_id="d-b")
    other = variant("d-c", ["Good morning, is it raining in Oslo at the moment?",
                            "Then search seafood spots in Oslo and reserve 4 seats at 8pm in the top one."],
                    city="Oslo")
    quality = evaluate_dialogues(*frames([copy, original, other], f))
    by_id = {r["dialogue_id"]: r for r in quality.iter_rows(named=True)}
    assert by_id["d-a"]["not_duplicate"] is True and by_id["d-a"]["passed"] is True
    assert by_id["d-b"]["not_duplicate"] is False and by_id["d-b"]["duplicate_of"] == "d-a"
    assert by_id["d-b"]["passed"] is False
    assert by_id["d-c"]["not_duplicate"] is True


def test_duplicate_prefers_keeping_the_dialogue_that_passes():
    f = clean()
    broken = clean()
    _set_args(broken["messages"], "call_2", city="Porto")
    rows = [dialogue_row(broken["messages"], f["tools"], dialogue_id="d-0"),
            dialogue_row(f["messages"], f["tools"], dialogue_id="d-1")]
    quality = evaluate_dialogues(*frames(rows, f))
    by_id = {r["dialogue_id"]: r for r in quality.iter_rows(named=True)}
    assert by_id["d-1"]["passed"] is True
    assert by_id["d-0"]["duplicate_of"] == "d-1"


def test_conversation_features():
    f = clean()
    turns = split_turns(f["messages"])
    assert [[c.name for c in t.calls] for t in turns] == [["get_weather"], ["find_restaurants", "book_table"]]
    assert chained_arguments(f["messages"]) == [("book_table", "restaurant")]
    assert tool_combination(f["messages"], f["tools"]) == "book_table|find_restaurants|get_weather"
    # Without the search result in between, the restaurant is no longer chained (nor grounded)
    unchained = [m for i, m in enumerate(f["messages"]) if i != 7]
    assert chained_arguments(unchained) == []
