"""Seeded defects: one defect per dialogue, of every kind the checks exist for, each caught by its check
and by no other; and clean dialogues that paraphrase their values pass every check.

The base is the clean fixture (tests/fixtures/quality/clean_dialogue.json): a weather lookup in Lisbon,
then a seafood search and a booking for 4 people at 8pm at the best result (Mar Azul, rated 4.7).
"""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

from toolflow_assets.quality.evaluate import check_dialogue

from quality_fixtures import clean

Dialogue = dict[str, Any]


def failing(d: Dialogue) -> set[str]:
    verdicts, _, _ = check_dialogue(d["messages"], d["tools"], d["plan"], d["returns"])
    return {name for name, ok in verdicts.items() if not ok}


def reasons(d: Dialogue) -> list[str]:
    return check_dialogue(d["messages"], d["tools"], d["plan"], d["returns"])[1]


def _call(d: Dialogue, tool: str) -> dict[str, Any]:
    for message in d["messages"]:
        for call in message.get("tool_calls") or []:
            if call["function"]["name"] == tool:
                return call
    raise KeyError(tool)


def set_argument(d: Dialogue, tool: str, name: str, value: Any, plan_too: bool = True) -> None:
    call = _call(d, tool)
    arguments = json.loads(call["function"]["arguments"])
    arguments[name] = value
    call["function"]["arguments"] = json.dumps(arguments)
    if plan_too:
        for turn in d["plan"]["turns"]:
            for planned in turn.get("calls") or []:
                if planned["tool"] == tool and name in planned["arguments"]:
                    planned["arguments"][name] = {"kind": "user", "value": value}


def result_of(d: Dialogue, tool: str) -> dict[str, Any]:
    call_id = _call(d, tool)["id"]
    return next(m for m in d["messages"] if m.get("tool_call_id") == call_id)


def set_result(d: Dialogue, tool: str, result: Any) -> None:
    result_of(d, tool)["content"] = json.dumps(result)


def user(d: Dialogue, index: int) -> dict[str, Any]:
    return [m for m in d["messages"] if m["role"] == "user"][index]


def add_booking_turn(d: Dialogue, text: str, restaurant: str, people: int = 2) -> None:
    """A third turn: the user asks for another booking; the assistant books `restaurant`."""
    d["messages"] += [
        {"role": "user", "content": text},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "call_9", "type": "function", "function": {
            "name": "book_table", "arguments": json.dumps({"restaurant": restaurant, "people": people,
                                                           "time": "8pm"})}}]},
        {"role": "tool", "tool_call_id": "call_9", "name": "book_table", "content": json.dumps({"confirmation": "MA-2299"})},
        {"role": "assistant", "content": "Booked again. Your confirmation is MA-2299."},
    ]
    d["plan"]["turns"].append({"intent": "book again", "needs_tools": True, "calls": [{
        "call_id": "t3c1", "tool": "book_table", "arguments": {
            "restaurant": {"kind": "user", "value": restaurant}, "people": {"kind": "user", "value": people},
            "time": {"kind": "user", "value": "8pm"}}}]})


# ------------------------------------------------------------------------------------------- defects

def value_inside_a_word(d: Dialogue) -> None:
    user(d, 1)["content"] = "Lovely. Search for seafood places there and book a table for 4 people at 8pm at the best one."
    set_argument(d, "find_restaurants", "city", "SEA")  # "sea" only inside "search" and "seafood"


def number_inside_a_longer_number(d: Dialogue) -> None:
    set_argument(d, "book_table", "people", 2)  # 2 only inside the rating 4.2


def number_inside_a_decimal(d: Dialogue) -> None:
    set_argument(d, "book_table", "people", 21)  # 21 only inside the temperature 21.5


def value_from_the_tool_description(d: Dialogue) -> None:
    tool = next(t for t in d["tools"] if t["function"]["name"] == "find_restaurants")
    tool["function"]["description"] += ' Cuisine, e.g. "Tapas".'
    set_argument(d, "find_restaurants", "cuisine", "Tapas")


def reasked_value(d: Dialogue) -> None:
    # the user gave the party size in the request; the assistant asks for it anyway
    second = d["messages"].index(user(d, 1))
    d["messages"][second + 1: second + 1] = [
        {"role": "assistant", "content": "Sure. How many people should I book for?"},
        {"role": "user", "content": "4 people, as I said."},
    ]
    d["plan"]["turns"].insert(1, {"intent": "asks", "needs_tools": False, "chat_kind": "clarification",
                                  "asks_for": ["t2c2.people"]})


def result_contradicts_call(d: Dialogue) -> None:
    set_result(d, "get_weather", {"city": "Porto", "temperature": 21.5, "condition": "sunny"})


def record_contradicts_call(d: Dialogue) -> None:
    set_result(d, "find_restaurants", {"restaurants": [{"name": "Mar Azul", "rating": 4.7, "city": "Madrid"}]})


def error_says_a_thing_was_deleted(d: Dialogue) -> None:
    # no call of the dialogue deleted anything; the booking's error says the restaurant was
    set_result(d, "book_table", {"error": {"code": 404, "type": "not_found", "message": "Restaurant Mar Azul was "
                                           "deleted.", "retryable": False}})
    d["messages"][-1]["content"] = "Sorry, the booking did not go through: the restaurant is no longer listed."


def unsupported_number(d: Dialogue) -> None:
    d["messages"][-1]["content"] += " The bill will come to about 120 euros."


def unsupported_id(d: Dialogue) -> None:
    d["messages"][-1]["content"] += " Your table is T-17."


def stale_reference(d: Dialogue) -> None:
    add_booking_turn(d, "Could you book the same restaurant as before for 2 people at 8pm?", "Peixe Vivo")


def reference_to_nothing(d: Dialogue) -> None:
    # nothing before had a "max results": the reference points at a value that was never given
    d["messages"] += [
        {"role": "user", "content": "Find more seafood places in Lisbon with the same max results as before."},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "call_9", "type": "function", "function": {
            "name": "find_restaurants", "arguments": json.dumps({"city": "Lisbon", "cuisine": "seafood",
                                                                 "max_results": 5})}}]},
        {"role": "tool", "tool_call_id": "call_9", "name": "find_restaurants", "content": json.dumps({"restaurants": []})},
        {"role": "assistant", "content": "I found no other seafood places."},
    ]
    d["plan"]["turns"].append({"intent": "more", "needs_tools": True, "calls": [{
        "call_id": "t3c1", "tool": "find_restaurants", "arguments": {
            "city": {"kind": "user", "value": "Lisbon"}, "cuisine": {"kind": "user", "value": "seafood"},
            "max_results": {"kind": "default", "value": 5}}}]})


def value_that_cannot_mean_its_name(d: Dialogue) -> None:
    # a booking whose id is a sentence and whose web page is not an address
    set_result(d, "book_table", {"confirmation": "MA-2231", "table_id": "how to fix a flat tire",
                                 "website": "sleep hygiene"})


def year_that_is_not_a_year(d: Dialogue) -> None:
    set_result(d, "get_weather", {"city": "Lisbon", "temperature": 21.5, "condition": "sunny", "record_year": 377.4})


def undeclared_argument(d: Dialogue) -> None:
    set_argument(d, "book_table", "vip", True, plan_too=False)


def plan_value_not_followed(d: Dialogue) -> None:
    d["plan"]["turns"][1]["calls"][0]["arguments"]["city"] = {"kind": "user", "value": "Porto"}


def unanswered_call(d: Dialogue) -> None:
    d["messages"].remove(result_of(d, "book_table"))


def unknown_tool(d: Dialogue) -> None:
    _call(d, "get_weather")["function"]["name"] = "get_forecast"


def invalid_arguments(d: Dialogue) -> None:
    set_argument(d, "book_table", "people", "four", plan_too=False)


def orphan_tool_message(d: Dialogue) -> None:
    d["messages"].insert(3, {"role": "tool", "tool_call_id": "call_nobody", "name": "get_weather", "content": "{}"})


def ends_without_answer(d: Dialogue) -> None:
    d["messages"].pop()


SEEDED: list[tuple[Callable[[Dialogue], None], set[str]]] = [
    (value_inside_a_word, {"grounding"}),
    (number_inside_a_longer_number, {"grounding"}),
    (number_inside_a_decimal, {"grounding"}),
    (value_from_the_tool_description, {"grounding"}),
    (reasked_value, {"reasked_values"}),
    (result_contradicts_call, {"result_consistency"}),
    (record_contradicts_call, {"result_consistency"}),
    (error_says_a_thing_was_deleted, {"entity_state"}),
    (value_that_cannot_mean_its_name, {"value_fit"}),
    (year_that_is_not_a_year, {"value_fit"}),
    (unsupported_number, {"assistant_claims"}),
    (unsupported_id, {"assistant_claims"}),
    (stale_reference, {"stale_references"}),
    (reference_to_nothing, {"stale_references"}),
    (undeclared_argument, {"undeclared_arguments"}),
    (plan_value_not_followed, {"plan_adherence"}),
]
"""Defects a reader's check must catch alone: no other check may fail (each is specific)."""

STRUCTURAL: list[tuple[Callable[[Dialogue], None], str]] = [
    (unanswered_call, "structure"),
    (unknown_tool, "schema"),
    (invalid_arguments, "schema"),
    (orphan_tool_message, "structure"),
    (ends_without_answer, "structure"),
]
"""Broken structure also breaks what depends on it (an unknown tool's arguments ground nothing): its check
must be among the failures."""


def test_the_clean_dialogue_passes_every_check() -> None:
    d = clean()
    assert failing(d) == set(), reasons(d)


@pytest.mark.parametrize("defect, expected", SEEDED, ids=[defect.__name__ for defect, _ in SEEDED])
def test_each_seeded_defect_is_caught_by_its_check(defect: Callable[[Dialogue], None], expected: set[str]) -> None:
    d = clean()
    defect(d)
    assert failing(d) == expected, reasons(d)


@pytest.mark.parametrize("defect, check", STRUCTURAL, ids=[defect.__name__ for defect, _ in STRUCTURAL])
def test_each_structural_defect_is_caught(defect: Callable[[Dialogue], None], check: str) -> None:
    d = clean()
    defect(d)
    assert check in failing(d), reasons(d)


def test_every_check_has_a_seeded_defect() -> None:
    covered = set().union(*(expected for _, expected in SEEDED)) | {check for _, check in STRUCTURAL}
    verdicts, _, _ = check_dialogue(clean()["messages"], clean()["tools"], clean()["plan"], clean()["returns"])
    # tool_responses has its own tests (return schemas); not_duplicate needs a batch (test_quality_dedup_judge)
    assert set(verdicts) - {"tool_responses"} <= covered


def test_a_reference_that_resolves_to_the_latest_value_passes() -> None:
    d = clean()
    add_booking_turn(d, "Could you book the same restaurant as before for 2 people at 8pm?", "Mar Azul")
    assert failing(d) == set(), reasons(d)


# ---------------------------------------------------------------------------------- clean paraphrases

PARAPHRASE_TOOLS = [
    {"type": "function", "function": {"name": "schedule_transfer", "description": "Schedule a bank transfer.",
     "parameters": {"type": "object", "properties": {
         "amount": {"type": "number"}, "date": {"type": "string", "format": "date"}, "to_account": {"type": "string"}},
         "required": ["amount", "date", "to_account"]}}},
    {"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city.",
     "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}},
]


def paraphrase_dialogue() -> Dialogue:
    transfer = {"amount": 2500, "date": "2026-03-05", "to_account": "Savings"}
    return {
        "tools": PARAPHRASE_TOOLS,
        "returns": {},
        "plan": {"plan_id": "p", "sample_id": "s", "strategy": "graph", "tools": ["schedule_transfer", "get_weather"],
                 "turns": [
                     {"intent": "transfer", "needs_tools": True, "calls": [{"call_id": "t1c1", "tool": "schedule_transfer",
                      "arguments": {k: {"kind": "user", "value": v} for k, v in transfer.items()}}]},
                     {"intent": "weather", "needs_tools": True, "calls": [{"call_id": "t2c1", "tool": "get_weather",
                      "arguments": {"city": {"kind": "user", "value": "New York"}}}]}]},
        "messages": [
            {"role": "system", "content": "You are a banking and travel assistant."},
            {"role": "user", "content": "Please move $2,500 to my savings account on March 5, 2026."},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
                "name": "schedule_transfer", "arguments": json.dumps(transfer)}}]},
            {"role": "tool", "tool_call_id": "c1", "name": "schedule_transfer",
             "content": json.dumps({"amount": 2500.0, "date": "2026-03-05", "status": "scheduled", "reference": "TR-88120"})},
            {"role": "assistant", "content": "Done: $2,500.00 goes to Savings on March 5, 2026 (reference TR-88120)."},
            {"role": "user", "content": "Thanks! And how is the weather in new york?"},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "c2", "type": "function", "function": {
                "name": "get_weather", "arguments": json.dumps({"city": "New York"})}}]},
            {"role": "tool", "tool_call_id": "c2", "name": "get_weather",
             "content": json.dumps({"city": "New York, NY", "temperature_f": 41, "condition": "cloudy"})},
            {"role": "assistant", "content": "It's cloudy in New York, about 41°F."},
        ],
    }


def test_values_paraphrased_by_the_user_pass_every_check() -> None:
    d = paraphrase_dialogue()
    assert failing(d) == set(), reasons(d)


@pytest.mark.parametrize("said, value", [("$2,600", 2500), ("March 6, 2026", "2026-03-05"), ("new jersey", "New York")])
def test_a_paraphrase_of_another_value_does_not_ground(said: str, value: Any) -> None:
    d = paraphrase_dialogue()
    for message in d["messages"]:
        if message["role"] == "user":
            message["content"] = message["content"].replace({2500: "$2,500", "2026-03-05": "March 5, 2026",
                                                             "New York": "new york"}[value], said)
    assert "grounding" in failing(d)
