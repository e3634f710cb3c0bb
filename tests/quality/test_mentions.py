"""The whole-token mention rule (toolflow_assets/mentions.py): what counts as having said a value.

Each case is a sentence a reader can judge; the expected answer is what a person would say, not a restatement
of the implementation."""

from __future__ import annotations

import pytest

from toolflow_assets.mentions import date_mentions, mention_index, mentions, number_mentions, same_value


@pytest.mark.parametrize("text, value", [
    ("Please send $2,500 to my savings.", 2500),
    ("The fee is 18.50 euros.", 18.5),
    ("It costs 18.5.", "18.50"),
    ("Book it for March 5, 2026.", "2026-03-05"),
    ("Book it for 5 March 2026 please", "2026-03-05"),
    ("on Mar. 5th, 2026", "2026-03-05"),
    ("I'm flying to new york tomorrow", "New York"),
    ("I'm flying to NEW   YORK tomorrow", "new york"),
    ("Use the key C.", "C"),
    ("My email is ana@example.com, thanks", "ana@example.com"),
    ("Temperature: -4 degrees", -4),
    ("The order ORD-1234 is late", "ORD-1234"),
    ("Café Central, please", "Cafe\u0301 Central"),  # composed and decomposed é are one letter
])
def test_a_value_said_in_other_words_is_mentioned(text: str, value: object) -> None:
    assert mentions(text, value)


@pytest.mark.parametrize("text, value", [
    ("Can you search for flights?", "SEA"),  # inside a word
    ("The rating is 4.2.", 2),  # inside a longer number
    ("It was 21.5 degrees.", 21),
    ("Its id is ID-55508.", 55508),  # part of an id
    ("I need 250 units.", 25),
    ("searching the seashore", "sea"),
    ("Book it for March 5, 2026.", "2026-05-03"),
    ("The value is 7.", "7.5"),
    ("", "anything"),
])
def test_a_value_found_only_inside_something_else_is_not_mentioned(text: str, value: object) -> None:
    assert not mentions(text, value)


def test_booleans_and_null_are_never_looked_for_in_text() -> None:
    assert not mentions("true false null none yes no", True)
    assert not mentions("null", None)


def test_numbers_are_read_as_whole_tokens() -> None:
    assert [str(n) for n in number_mentions("pay $2,500.00 or 4.2 or -3, not ID-77 nor v2")] == ["2.5E+3", "4.2", "-3"]


def test_a_number_in_scientific_notation_is_one_number() -> None:
    # Python writes large and small floats so (BFCL's power() returns 8.158904724959231e+23): never 23 or 7
    assert [str(n) for n in number_mentions("got 8.158904724959231e+23, 1.5E-07 and 2e3")] == [
        "8.158904724959231E+23", "1.5E-7", "2E+3"]
    assert mentions("the power is 8.158904724959231e+23", 8.158904724959231e+23)
    assert not mentions("the power is 8.158904724959231e+23", 23)


def test_dates_in_common_forms_read_as_iso() -> None:
    assert date_mentions("from 2026/3/5 to December 31st, 2026 (not 2026-02-30)") == {"2026-03-05", "2026-12-31"}


def test_tool_results_mention_their_values_but_not_their_keys() -> None:
    index = mention_index(values=[{"city": "Lisbon", "temperature": 21.5, "tags": ["sunny", "warm"]}])
    assert index.states("lisbon") and index.states(21.5) and index.states("warm")
    assert not index.states("city") and not index.states("temperature") and not index.states(21)


@pytest.mark.parametrize("a, b, same", [
    (1, 1.0, True), (2500, "2,500", True), ("New York", "new york", True), ("2026-03-05", "March 5, 2026", True),
    (True, 1, False), (None, "", False), ("Paris", "Paris, France", False), (4.2, 4.25, False),
])
def test_same_value(a: object, b: object, same: bool) -> None:
    assert same_value(a, b) is same
