"""Simulated results agree with their call and with what earlier calls of the dialogue did, on BFCL's own
multi-turn tools as the bundled corpus declares them (issue 12: results never contradict their calls)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from toolflow_assets.execution import SimulatedExecutor, is_error_result
from toolflow_assets.execution.protocol import PlannedCallView
from toolflow_assets.execution.sides import distinct_sides
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.tools import Tool

ROOT = Path(__file__).resolve().parents[2]
BFCL_DOCS = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"


@pytest.fixture(scope="module")
def tools() -> dict[str, Tool]:
    return {tool.name: tool for tool in ingest_sources([str(BFCL_DOCS)], display_root=BFCL_DOCS).tools}


def session(seed: int = 1) -> Any:
    return SimulatedExecutor(error_rate=0.0, empty_rate=0.0).session(seed)


def call(s: Any, tools: dict[str, Tool], name: str, arguments: dict[str, Any]) -> Any:
    return s.execute(name, arguments, tools[name]).result


@pytest.mark.parametrize("seed", range(8))
def test_a_new_message_to_a_receiver_whose_message_was_deleted_is_sent(tools: dict[str, Tool], seed: int) -> None:
    s = session(seed)
    call(s, tools, "search_messages", {"keyword": "budget"})
    deleted = call(s, tools, "delete_message", {"receiver_id": "USR005"})
    assert not is_error_result(deleted)
    # sending creates a message: the deleted one does not stand in its way (it answered 404 "it was deleted")
    sent = call(s, tools, "send_message", {"receiver_id": "USR005", "message": "See you at noon"})
    assert not is_error_result(sent) and sent.get("sent_status", True) is True
    # and the receiver has a message again, so deleting the latest one finds it
    assert not is_error_result(call(s, tools, "delete_message", {"receiver_id": "USR005"}))


def test_a_lookup_of_a_deleted_thing_still_finds_nothing(tools: dict[str, Tool]) -> None:
    s = session()
    call(s, tools, "delete_message", {"receiver_id": "USR005"})
    again = call(s, tools, "delete_message", {"receiver_id": "USR005"})
    assert is_error_result(again) and again["error"]["code"] == 404


@pytest.mark.parametrize("seed", range(8))
def test_retrieving_all_of_a_memory_lists_its_pairs(tools: dict[str, Tool], seed: int) -> None:
    # BFCL declares core_memory_retrieve_all's result as {key: "Each key ...", value: "The value associated with
    # each key."}, its rendering of the Dict[str, str] the real environment returns: the pairs, not one value
    s = session(seed)
    call(s, tools, "core_memory_add", {"key": "favorite_city", "value": "Lisbon"})
    call(s, tools, "core_memory_add", {"key": "gym_day", "value": "Tuesday"})
    listing = call(s, tools, "core_memory_retrieve_all", {})
    assert listing == {"favorite_city": "Lisbon", "gym_day": "Tuesday"}
    call(s, tools, "core_memory_replace", {"key": "gym_day", "value": "Friday"})
    call(s, tools, "core_memory_remove", {"key": "favorite_city"})
    assert call(s, tools, "core_memory_retrieve_all", {}) == {"gym_day": "Friday"}
    assert call(s, tools, "core_memory_retrieve", {"key": "gym_day"}) == {"value": "Friday"}
    assert call(s, tools, "core_memory_list_keys", {}) == {"keys": ["gym_day"]}
    # the long-term memory is another store
    assert "gym_day" not in call(s, tools, "archival_memory_list_keys", {})["keys"]


@pytest.mark.parametrize("seed", range(8))
def test_a_memory_nothing_was_told_about_lists_a_few_plausible_pairs_that_later_lookups_keep(
        tools: dict[str, Tool], seed: int) -> None:
    s = session(seed)
    listing = call(s, tools, "core_memory_retrieve_all", {})
    assert len(listing) >= 2 and set(listing) & {"key", "value"} == set()
    assert all(isinstance(v, str) and v for v in listing.values())
    key, value = next(iter(listing.items()))
    assert call(s, tools, "core_memory_retrieve", {"key": key}) == {"value": value}
    assert call(s, tools, "core_memory_retrieve_all", {}) == listing
    call(s, tools, "core_memory_clear", {})
    assert call(s, tools, "core_memory_retrieve_all", {}) == {}


@pytest.mark.parametrize("name, arguments, said", [
    ("core_memory_replace", {"key": "gym_day", "value": "Friday"}, "Key replaced successfully."),
    ("archival_memory_add", {"key": "gym_day", "value": "Friday"}, "Key added successfully."),
    ("core_memory_remove", {"key": "gym_day"}, "Key removed successfully."),
    ("core_memory_clear", {}, "Core memory cleared successfully."),
])
def test_the_status_of_an_operation_reports_the_change(tools: dict[str, Tool], name: str,
                                                       arguments: dict[str, Any], said: str) -> None:
    # "status": "Status of the operation." was drawn as a word of a thing's state ("closed", "approved")
    for seed in range(6):
        assert call(session(seed), tools, name, arguments) == {"status": said}


def test_the_status_of_a_tweet_action_is_no_username(tools: dict[str, Tool]) -> None:
    # "mention_status": "Status of the mention action." came back as a drawn username ("kmoore")
    for seed in range(6):
        status = call(session(seed), tools, "mention", {"tweet_id": 12, "mentioned_usernames": ["ana"]})
        assert status.get("mention_status", "completed successfully").endswith("successfully.") or status == {}


@pytest.mark.parametrize("seed", range(10))
def test_a_lookup_by_a_things_id_returns_that_thing(tools: dict[str, Tool], seed: int) -> None:
    s = session(seed)
    tweet = call(s, tools, "get_tweet", {"tweet_id": 62550})
    assert tweet.get("id", 62550) == 62550  # "ID of the retrieved tweet": not another tweet's


def test_a_tweet_a_search_listed_is_the_same_tweet_when_looked_up(tools: dict[str, Tool]) -> None:
    for seed in range(10):
        s = session(seed)
        found = call(s, tools, "search_tweets", {"keyword": "budget"})["matching_tweets"]
        listed = next((t for t in found if "id" in t and "content" in t), None)
        if listed is None:
            continue
        # `tweet_id` names a tweet that `search_tweets` listed (plural noun), so its content is kept
        assert call(s, tools, "get_tweet", {"tweet_id": listed["id"]})["content"] == listed["content"]


def test_two_sides_of_one_record_differ() -> None:
    record = {"home_team": "Yankees", "away_team": "Yankees", "scores": "2-1"}
    distinct_sides(record, None, {}, random.Random(3))
    assert record["home_team"] == "Yankees" and record["away_team"] != "Yankees"
    # the call's own value stays (a field named like an argument echoes it), and a range's ends may agree
    asked = {"home_team": "Yankees", "away_team": "Yankees"}
    assert distinct_sides(dict(asked), None, {"away_team": "Yankees"}, random.Random(3)) == asked
    assert distinct_sides({"from": "2024-01-01", "to": "2024-01-01"}, None, {}, random.Random(3))["to"] == "2024-01-01"


def test_a_listed_memory_holds_the_keys_the_dialogue_acts_on_later(tools: dict[str, Tool]) -> None:
    # a listing and then `core_memory_remove(key="trip_notes")`: the key the call removes was in the listing
    # (BFCL loads the memory with it), not left out of it just before
    for seed in range(6):
        s = session(seed)
        s.begin_dialogue([PlannedCallView("core_memory_retrieve_all", {}, {}),
                          PlannedCallView("core_memory_add", {"key": "gym_day", "value": "Friday"}, {}),
                          PlannedCallView("core_memory_remove", {"key": "trip_notes"}, {}),
                          PlannedCallView("core_memory_retrieve", {"key": "gym_day"}, {})], tools)
        listing = call(s, tools, "core_memory_retrieve_all", {})
        assert "trip_notes" in listing and "gym_day" not in listing  # added later, not there before
        call(s, tools, "core_memory_add", {"key": "gym_day", "value": "Friday"})
        assert call(s, tools, "core_memory_remove", {"key": "trip_notes"}) == {"status": "Key removed successfully."}
        assert call(s, tools, "core_memory_retrieve", {"key": "gym_day"}) == {"value": "Friday"}


@pytest.mark.parametrize("seed", range(6))
def test_a_keyword_search_lists_texts_that_contain_the_keyword(tools: dict[str, Tool], seed: int) -> None:
    # BFCL: search_messages returns "The message containing the keyword"; search_tweets "tweets containing a
    # specific keyword". "Meet me at the gym at 3 pm" was listed for "North Tustin"
    s = session(seed)
    messages = call(s, tools, "search_messages", {"keyword": "North Tustin"})["results"]
    tweets = call(s, tools, "search_tweets", {"keyword": "North Tustin"})["matching_tweets"]
    texts = [m["message"] for m in messages if "message" in m] + [t["content"] for t in tweets if "content" in t]
    assert all("north tustin" in text.lower() for text in texts), texts


@pytest.mark.parametrize("seed", range(6))
def test_a_tweet_posted_without_tags_has_none(tools: dict[str, Tool], seed: int) -> None:
    # post_tweet's tags and mentions default to []: a tweet posted with content only carries no drawn tags
    posted = call(session(seed), tools, "post_tweet", {"content": "Lunch at noon", "mentions": ["@ana"]})
    assert posted.get("tags", []) == [] and posted.get("mentions", ["@ana"]) == ["@ana"]
    assert posted["content"] == "Lunch at noon"


@pytest.mark.parametrize("seed", range(6))
def test_the_comments_of_a_tweet_are_not_the_tweet(tools: dict[str, Tool], seed: int) -> None:
    # each comment came back with the looked-up tweet's own text and author
    s = session(seed)
    tweet = call(s, tools, "get_tweet", {"tweet_id": 38286})
    comments = call(s, tools, "get_tweet_comments", {"tweet_id": 38286})["comments"]
    assert all(c.get("content") != tweet.get("content") or "content" not in tweet for c in comments), comments
    assert all(c.get("username") != tweet.get("username") or "username" not in tweet for c in comments), comments
