"""The grounding check holds id arguments to the planner's rule for links (values.flow.id_thing): a value the
user never gave, found earlier only as the id of another thing (a tweet's id read into `province_id`), is not
grounded; the same value stated by the user, or read from an id of the same thing, is."""

from __future__ import annotations

import json
from typing import Any

from toolflow_assets.quality.checks import check_grounding
from toolflow_assets.quality.grounding import find_hallucinations


def function(name: str, description: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "description": description, "parameters": {
        "type": "object", "properties": properties, "required": list(properties)}}}


TOOLS = [
    function("search_tweets", "Search tweets by keyword.", {"keyword": {"type": "string"}}),
    function("get_service_providers", "List the service providers of a province.", {"province_id": {"type": "integer"}}),
    function("create_ticket", "Create a support ticket.", {"title": {"type": "string"}}),
    function("get_ticket", "Get a ticket by its id.", {"ticket_id": {"type": "integer"}}),
    function("get_user_id", "Get the id of a user.", {"user": {"type": "string"}}),
    function("send_message", "Send a message to a user.", {"receiver_id": {"type": "string"},
                                                          "message": {"type": "string"}}),
]


def dialogue(user: str, first: tuple[str, dict], result: dict, second: tuple[str, dict]) -> list[dict[str, Any]]:
    """A user turn, a call and its result, then a second call in the next turn."""
    def call(call_id: str, name: str, arguments: dict) -> dict[str, Any]:
        return {"role": "assistant", "content": None, "tool_calls": [{"id": call_id, "type": "function", "function": {
            "name": name, "arguments": json.dumps(arguments)}}]}
    return [
        {"role": "user", "content": user},
        call("c1", *first),
        {"role": "tool", "tool_call_id": "c1", "name": first[0], "content": json.dumps(result)},
        {"role": "assistant", "content": "Done."},
        {"role": "user", "content": "Now the next step, please."},
        call("c2", *second),
        {"role": "tool", "tool_call_id": "c2", "name": second[0], "content": json.dumps({"ok": True})},
    ]


def test_a_tweet_id_read_into_a_province_id_is_not_grounded():
    messages = dialogue("Find tweets about ferries.", ("search_tweets", {"keyword": "ferries"}),
                        {"tweets": [{"id": 12, "content": "Ferries run late"}]},
                        ("get_service_providers", {"province_id": 12}))
    reasons, labels = check_grounding(messages, TOOLS)
    assert labels == ["get_service_providers.province_id"]
    assert "read from search_tweets.tweets.id, an id of another thing" in reasons[0]


def test_an_id_the_user_stated_is_grounded_whatever_results_hold_it():
    messages = dialogue("Find tweets about ferries. I live in province 12.", ("search_tweets", {"keyword": "ferries"}),
                        {"tweets": [{"id": 12, "content": "Ferries run late"}]},
                        ("get_service_providers", {"province_id": 12}))
    assert find_hallucinations(messages, TOOLS) == []


def test_an_id_read_back_from_the_same_thing_is_grounded():
    ticket = dialogue("Open a ticket titled Broken login.", ("create_ticket", {"title": "Broken login"}),
                      {"id": 41, "title": "Broken login"}, ("get_ticket", {"ticket_id": 41}))
    assert find_hallucinations(ticket, TOOLS) == []  # create_ticket's bare id names a ticket
    message = dialogue("Find the id of Alice.", ("get_user_id", {"user": "Alice"}), {"user_id": "USR002"},
                       ("send_message", {"receiver_id": "USR002", "message": "Alice"}))
    assert find_hallucinations(message, TOOLS) == []  # a message's receiver is a user


def test_a_value_also_held_by_a_field_that_is_no_id_is_left_alone():
    # the number is a tweet's id and also its like count: nothing says it was read from the wrong thing
    messages = dialogue("Find tweets about ferries.", ("search_tweets", {"keyword": "ferries"}),
                        {"tweets": [{"id": 9, "likes": 9, "content": "Ferries run late"}]},
                        ("get_service_providers", {"province_id": 9}))
    assert find_hallucinations(messages, TOOLS) == []
