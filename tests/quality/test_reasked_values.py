"""A numbered parameter ("quantity1") is named by its words and its number together: the "1" of "the
temperature 1" is part of another name, and neither names the quantity 1 nor states its value.

From the default corpus (seed 7): the user gave quantity 2, temperature 1 and temperature 2, the assistant
asked for the missing quantity 1, and the check read "quantity ... 1" across two names as a re-ask.
"""

from __future__ import annotations

import json

import pytest

from toolflow_assets.quality.reasked import check_reasked_values


def _dialogue(request: str) -> list[dict]:
    arguments = {"quantity1": 1, "quantity2": 3, "temperature1": 13, "temperature2": 4}
    call = {"id": "call_1", "type": "function",
            "function": {"name": "calculate_final_temperature", "arguments": json.dumps(arguments)}}
    return [
        {"role": "user", "content": request},
        {"role": "assistant", "content": "I can do that. Which quantity 1 should it be?"},
        {"role": "user", "content": "1, please."},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_1", "name": "calculate_final_temperature",
         "content": json.dumps({"final_temperature": 28.72})},
        {"role": "assistant", "content": "The final temperature is 28.72."},
    ]


def test_a_number_inside_another_numbered_name_does_not_give_the_value() -> None:
    request = ("I wanna calculate the final temperature. Details: 3 as the quantity 2, the temperature 1 13 "
               "and 4 as the temperature 2.")
    assert check_reasked_values(_dialogue(request), []) == []


@pytest.mark.parametrize("request_text", [
    "Details: the quantity 1 is 1, the quantity 2 is 3, temperature 1 13 and temperature 2 4.",
    "Details: quantity1 1, quantity2 3, temperature1 13, temperature2 4.",
])
def test_asking_again_for_a_numbered_value_already_given_is_still_a_reask(request_text: str) -> None:
    reasons = check_reasked_values(_dialogue(request_text), [])
    assert len(reasons) == 1 and "asks for the quantity 1" in reasons[0], reasons


def _postcode_dialogue(request: str, question: str) -> list[dict]:
    call = {"id": "call_1", "type": "function",
            "function": {"name": "quotes_postcode", "arguments": json.dumps({"postCodeSrc": 1414, "weight": 2})}}
    return [
        {"role": "user", "content": request},
        {"role": "assistant", "content": question},
        {"role": "user", "content": "Use 1414."},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_1", "name": "quotes_postcode", "content": json.dumps({"price": 12})},
        {"role": "assistant", "content": "The price is 12."},
    ]


@pytest.mark.parametrize("question", ["One thing first: what origin postcode would you like?",
                                      "One thing first: what post code src would you like?"])
def test_a_parameter_is_asked_for_by_the_words_people_say_or_its_own(question: str) -> None:
    """The assistant asks for `postCodeSrc` as "origin postcode" (spoken_label); the user gave it in either
    words: a re-ask either way, and no re-ask when the user never gave it."""
    for request in ("Get a quote. The origin postcode is 1414 and the weight 2.",
                    "Get a quote. The post code src is 1414 and the weight 2."):
        reasons = check_reasked_values(_postcode_dialogue(request, question), [])
        assert len(reasons) == 1 and "post code src" in reasons[0], (request, question, reasons)
    assert check_reasked_values(_postcode_dialogue("Get a quote. The weight is 2.", question), []) == []
