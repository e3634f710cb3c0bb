"""The executor's state rules, checked on dialogues (quality/state.py): a record's two sides differ, a lookup by
`<noun>_id` returns that thing, and a "not found" error agrees with what the dialogue created and deleted.
Dialogues are made by the simulated executor on BFCL's own tools, then broken the way the earlier executor
broke them; the same dialogue unbroken passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from toolflow_assets.execution import SimulatedExecutor, error_result, is_error_result
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.quality.lint import check_record
from toolflow_assets.quality.state import (check_entity_state, check_own_ids, check_record_identity,
                                           check_side_fields)
from toolflow_assets.tools import Tool

ROOT = Path(__file__).resolve().parents[2]
BFCL_DOCS = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"
GONE = error_result(404, "not_found", "No message with message id 5 exists: it was deleted.", False)


@pytest.fixture(scope="module")
def tools() -> dict[str, Tool]:
    return {tool.name: tool for tool in ingest_sources([str(BFCL_DOCS)], display_root=BFCL_DOCS).tools}


def offered(tools: dict[str, Tool], *names: str) -> list[dict[str, Any]]:
    return [{**tools[n].to_openai(), "returns": tools[n].returns} for n in names]


def returns(tools: dict[str, Tool], *names: str) -> dict[str, Any]:
    return {n: tools[n].returns for n in names if tools[n].returns}


def dialogue(calls: list[tuple[str, dict[str, Any], Any]]) -> list[dict[str, Any]]:
    """One user turn, then each call with its result, then the assistant's answer."""
    messages: list[dict[str, Any]] = [{"role": "user", "content": "Please do it."}]
    for index, (name, arguments, result) in enumerate(calls):
        messages.append({"role": "assistant", "content": None, "tool_calls": [
            {"id": f"c{index}", "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}]})
        messages.append({"role": "tool", "tool_call_id": f"c{index}", "name": name, "content": json.dumps(result)})
    messages.append({"role": "assistant", "content": "Done."})
    return messages


def executed(tools: dict[str, Tool], steps: list[tuple[str, dict[str, Any]]], seed: int = 1) -> list[Any]:
    session = SimulatedExecutor(error_rate=0.0, empty_rate=0.0).session(seed)
    return [(name, arguments, session.execute(name, arguments, tools[name]).result) for name, arguments in steps]


# ------------------------------------------------------------------------------------------- sides

SCORES = {"type": "function", "function": {"name": "get_match_score", "description": "Get the score of a match.",
                                           "parameters": {"type": "object", "properties": {
                                               "match_id": {"type": "string"}, "away_team": {"type": "string"}}}}}


def test_a_record_that_names_one_team_on_both_sides_fails() -> None:
    messages = dialogue([("get_match_score", {"match_id": "M-1"},
                          {"match": {"home_team": "Yankees", "away_team": "Yankees", "score": "2-1"}})])
    reasons = check_record_identity(messages, [SCORES])
    assert len(reasons) == 1, reasons
    assert "tool message 2 (get_match_score)" in reasons[0] and "'home_team' and 'away_team' of match" in reasons[0] \
        and '"Yankees"' in reasons[0], reasons


def test_two_different_sides_or_sides_the_call_gave_pass() -> None:
    fixed = {"match": {"home_team": "Yankees", "away_team": "Red Sox", "score": "2-1"}}
    assert check_record_identity(dialogue([("get_match_score", {"match_id": "M-1"}, fixed)]), [SCORES]) == []
    # the user asked for the Yankees on both sides: the call's value stays (the executor keeps it too)
    asked = {"match": {"home_team": "Yankees", "away_team": "Yankees"}}
    assert check_record_identity(dialogue([("get_match_score", {"match_id": "M-1", "away_team": "Yankees"}, asked)]),
                                 [SCORES]) == []


# ------------------------------------------------------------------------------------------ own id

def test_a_lookup_answered_with_another_things_id_fails(tools: dict[str, Tool]) -> None:
    [(name, arguments, result)] = executed(tools, [("get_tweet", {"tweet_id": 62550})])
    assert check_record_identity(dialogue([(name, arguments, result)]), offered(tools, name),
                                 returns(tools, name)) == []
    broken = dialogue([(name, arguments, {**result, "id": 94269})])
    reasons = check_record_identity(broken, offered(tools, name), returns(tools, name))
    assert reasons == ["tool message 2 (get_tweet): result id 94269 is another tweet than the one the call names "
                       "(tweet_id = 62550)"]
    # the whole record check fails it under result_consistency
    verdict = check_record({"id": "t", "messages": broken, "tools": offered(tools, name)}, "test", "t")
    assert verdict.checks["result_consistency"] is False and verdict.checks["entity_state"] is True


def test_ids_of_other_things_than_the_tools_noun_are_not_its_own(tools: dict[str, Tool]) -> None:
    # a search lists other tweets; a comment lookup by tweet_id returns comments, whose ids are their own
    listed = {"matching_tweets": [{"id": 7, "username": "ana", "content": "budget talk", "tags": []}]}
    assert check_record_identity(dialogue([("search_tweets", {"keyword": "budget"}, listed)]),
                                 offered(tools, "search_tweets")) == []


# ------------------------------------------------------------------------------------ entity state

def send_after_delete(tools: dict[str, Tool], seed: int) -> list[Any]:
    return executed(tools, [("search_messages", {"keyword": "budget"}),
                            ("delete_message", {"receiver_id": "USR005"}),
                            ("send_message", {"receiver_id": "USR005", "message": "See you at noon"}),
                            ("delete_message", {"receiver_id": "USR005"})], seed)


NAMES = ("search_messages", "delete_message", "send_message")


@pytest.mark.parametrize("seed", range(4))
def test_a_send_that_fails_because_an_earlier_message_was_deleted_fails(tools: dict[str, Tool], seed: int) -> None:
    calls = send_after_delete(tools, seed)
    assert not any(is_error_result(result) for _, _, result in calls)
    assert check_entity_state(dialogue(calls), offered(tools, *NAMES), returns(tools, *NAMES)) == []
    # as the executor answered before entities.gone: the send fails because the receiver's message was deleted
    broken = [*calls[:2], (calls[2][0], calls[2][1], GONE), calls[3]]
    reasons = check_entity_state(dialogue(broken), offered(tools, *NAMES), returns(tools, *NAMES))
    assert len(reasons) == 1 and reasons[0].startswith("tool message 6 (send_message): the error "), reasons
    assert "fails a create call for the deleted" in reasons[0] and "this call makes a new one" in reasons[0]


def test_a_lookup_of_a_deleted_thing_may_find_nothing(tools: dict[str, Tool]) -> None:
    calls = executed(tools, [("search_messages", {"keyword": "budget"}), ("delete_message", {"receiver_id": "USR005"}),
                             ("delete_message", {"receiver_id": "USR005"})])
    assert is_error_result(calls[2][2])  # the executor's own answer: it was deleted
    assert check_entity_state(dialogue(calls), offered(tools, *NAMES), returns(tools, *NAMES)) == []


def test_a_thing_the_dialogue_returned_is_not_missing_later(tools: dict[str, Tool]) -> None:
    calls = executed(tools, [("post_tweet", {"content": "Launch day", "tags": ["#go"]})])
    tweet = calls[0][2]["id"]
    lookup = ("get_tweet", {"tweet_id": tweet})
    names = ("post_tweet", "get_tweet")
    missing = error_result(404, "not_found", f"No record with tweet id {tweet} was found.", False)
    reasons = check_entity_state(dialogue([*calls, (*lookup, missing)]), offered(tools, *names))
    assert reasons == [f"tool message 4 (get_tweet): the error \"No record with tweet id {tweet} was found.\" says id "
                       f"{tweet} is not there, but tool message 2 returned it and no call deleted it"], reasons
    assert check_entity_state(dialogue([*calls, (*lookup, {"id": tweet, "content": "Launch day"})]),
                              offered(tools, *names)) == []
    # an id the dialogue never returned may well be missing, but not "deleted" when no call deleted it
    other = dict(tweet_id=tweet + 1)
    assert check_entity_state(dialogue([*calls, ("get_tweet", other, missing)]), offered(tools, *names)) == []
    said_deleted = error_result(404, "not_found", "That tweet was deleted.", False)
    assert "no earlier call of the dialogue deleted it" in \
        check_entity_state(dialogue([*calls, ("get_tweet", other, said_deleted)]), offered(tools, *names))[0]


# ------------------------------------------------------------------------------- the bundled corpus

@pytest.fixture(scope="module")
def corpus_dialogues(catalog, samples) -> list[Any]:
    """The offline run over the frozen slice of the bundled corpus (its tools and 200 samples), with the
    executor's injected failures at their default rate."""
    from toolflow_assets.generation.offline import OfflineGenerator

    generator = OfflineGenerator()
    plans = [r.plan for r in generator.plan_many(samples, catalog, 7) if r.plan is not None]
    return generator.generate_many(plans, catalog, 7)


def test_the_executors_records_name_two_sides_on_the_bundled_corpus(corpus_dialogues) -> None:
    reasons = [r for d in corpus_dialogues for r in check_side_fields(d.messages)]
    assert reasons == [], reasons[:5]


def test_the_executors_lookups_return_the_thing_they_name_on_the_bundled_corpus(corpus_dialogues) -> None:
    reasons = [r for d in corpus_dialogues for r in check_own_ids(d.messages, d.tools)]
    assert reasons == [], reasons[:5]


def test_the_executors_errors_agree_with_the_dialogues_things_on_the_bundled_corpus(corpus_dialogues) -> None:
    failed = [d for d in corpus_dialogues if any(m["role"] == "tool" and '"error"' in m["content"] for m in d.messages)]
    assert failed  # the slice's dialogues do meet failures (errors at the default rate)
    reasons = [r for d in corpus_dialogues for r in check_entity_state(d.messages, d.tools)]
    assert reasons == [], reasons[:5]
