"""Values that name nothing (issue 12, "never adjective-noun placeholders"): a qualifier before the key's own
words ("custom star" for a `star_name`, "standard call uber" for what `call_uber` returns) is caught by
value_fit, and the generator says what the thing is instead: a star's name, a person, the reversed text, a
ride confirmed."""

from __future__ import annotations

import json
import random

import pytest

from toolflow_assets.execution.undeclared_results import plausible_result
from toolflow_assets.quality.value_fit import check_value_fit
from toolflow_assets.tools import Tool
from toolflow_assets.typed_values import is_placeholder
from toolflow_assets.values.hinted_strings import hinted_string
from toolflow_assets.values.known_things import CONCERTS as KNOWN_CONCERTS, STARS


def _tool(name: str, description: str, *parameters: str) -> Tool:
    properties = {p: {"type": "string"} for p in parameters}
    return Tool(tool_id=name, name=name, description=description, parameters={"type": "object", "properties": properties},
                returns=None, source="test", source_format="openai", category="")


def _result_message(result: dict) -> list[dict]:
    call = {"id": "c1", "type": "function", "function": {"name": "tool", "arguments": "{}"}}
    return [{"role": "user", "content": "go"}, {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "c1", "name": "tool", "content": json.dumps(result)}]


@pytest.mark.parametrize(("value", "key"), [("custom star", "star_name"), ("standard call uber", "call_uber"),
                                            ("extended dec env", "DecEnv"), ("basic readings history", "readings_history")])
def test_a_qualifier_before_the_keys_own_words_is_a_placeholder(value, key):
    assert is_placeholder(value, key)


@pytest.mark.parametrize(("value", "key"), [
    ("advanced search", "name"),        # a feature's name: it says what the thing is
    ("main dish", "dish_type"),         # under a kind, the qualifier is the kind
    ("standard shipping", "shipping_method"),
    ("primary school", "school_level"),
    ("custom star", "planet"),          # not the key's words: another rule's business
    ("Sirius", "star_name"),
])
def test_a_real_value_is_no_placeholder(value, key):
    assert not is_placeholder(value, key)


def test_value_fit_reads_a_records_name_with_the_records_key():
    flagged = check_value_fit(_result_message({"property_records": [{"id": "P-1", "name": "custom property record"}]}))
    assert flagged and "placeholder" in flagged[0]
    assert not check_value_fit(_result_message({"features": [{"id": "F-1", "name": "advanced search"}]}))


def test_names_of_things_people_name_are_real_ones():
    for seed in range(12):
        rng = random.Random(seed)
        star = hinted_string("star_name", rng, "The name of the star.")
        assert star in STARS
        for key in ("sculpture_name", "structure_name", "district_name", "mapping_name", "protein_name"):
            value = hinted_string(key, rng, "")
            assert not is_placeholder(value, key), (key, value)


@pytest.mark.parametrize("name", ["call_uber", "request_ride"])
def test_a_ride_requested_comes_back_confirmed(name):
    tool = _tool(name, "Requests an Uber ride to the specified pickup location.", "location", "ride_type")
    arguments = {"location": "123 Main St", "ride_type": "UberX"}
    result = plausible_result(tool, arguments, random.Random(3))
    (ride,) = [value for key, value in result.items() if key not in arguments]  # `call_uber`, or `ride`
    assert ride.startswith("confirmed, driver arriving in")


def test_a_reversed_text_is_the_text_reversed():
    tool = _tool("perform_string_reverse", "Reverse a string.", "input_string")
    result = plausible_result(tool, {"input_string": "trip to Lyon"}, random.Random(1))
    assert result["string_reverse"] == "noyL ot pirt"


def test_a_translation_is_of_a_phrase_whose_translation_is_known():
    tool = _tool("language_translator_translate", "Translate text from a source language to a target language.",
                 "text", "target_language")
    text = hinted_string("text", random.Random(2), "The text content to be translated.")
    result = plausible_result(tool, {"text": text, "target_language": "de"}, random.Random(2))
    german = {"Good morning": "Guten Morgen", "Thank you very much": "Vielen Dank",
              "How much does this cost?": "Wie viel kostet das?", "Where is the train station?": "Wo ist der Bahnhof?",
              "I would like a table for two": "Ich hätte gern einen Tisch für zwei",
              "The meeting is moved to Thursday": "Das Meeting ist auf Donnerstag verschoben"}
    assert result["translator_translate"] == german[text]


def test_a_drawn_language_code_translates_as_its_language_named_does():
    from toolflow_assets.values import lexicons as L
    from toolflow_assets.values.known_things import TRANSLATIONS, translated

    drawn = {hinted_string("target_language_code", random.Random(seed), "") for seed in range(40)}
    assert drawn and drawn <= set(L.LANGUAGE_CODES)
    for language, code in zip(L.LANGUAGES, L.LANGUAGE_CODES, strict=True):
        for text in TRANSLATIONS:
            assert translated(text, code) == translated(text, language) is not None


def test_a_text_checked_for_a_word_says_whether_it_holds_it():
    tool = _tool("contains_word_gaurav", "Check whether the given text contains the keyword 'gaurav'.", "keyword")
    assert plausible_result(tool, {"keyword": "July lease"}, random.Random(0))["contains"] is False
    assert plausible_result(tool, {"keyword": "ask gaurav first"}, random.Random(0))["contains"] is True


def test_a_question_to_the_user_is_answered_with_one_of_its_choices():
    tool = _tool("ask_to_user", "Pose a question to the user.", "question")
    arguments = {"question": "Which format?", "choices": ["PDF", "Word"]}
    assert plausible_result(tool, arguments, random.Random(5))["ask"] in ("PDF", "Word")


def test_a_preference_between_two_options_is_one_of_them():
    # "primary preference" named nothing; the research found one of the two options preferred, by a share
    tool = _tool("psych_research_get_preference", "Gathers research data on public preference between two options.",
                 "category", "option_one", "option_two")
    for seed in range(5):
        result = plausible_result(tool, {"category": "reading", "option_one": "digital reading",
                                         "option_two": "physical books"}, random.Random(seed))
        assert result["preference"] in ("digital reading", "physical books") and result["share"].endswith("%")
        assert not check_value_fit(_result_message(result)), result


def test_a_sine_wave_is_its_points():
    tool = _tool("plot_sine_wave", "Plot a sine wave for a given frequency in a given range.")
    result = plausible_result(tool, {"start_range": 0, "end_range": 1, "frequency": 1}, random.Random(0))
    assert [p["y"] for p in result["sine_wave"]] == [0.0, 1.0, 0.0, -1.0, -0.0]


def test_an_answer_that_says_none_was_found_parses_as_empty():
    tool = _tool("answer_string", "Returns an empty string if the answer indicates that no answer was found.", "answer")
    assert plausible_result(tool, {"answer": "unknown"}, random.Random(0))["answer_string"] == ""
    assert plausible_result(tool, {"answer": "Paris"}, random.Random(0))["answer_string"] == "Paris"


@pytest.mark.parametrize(("name", "description", "arguments"), [
    ("get_sensor_readings_history", "Return the readings of sensors.", {"metrics": ["co2", "temperature"]}),
    ("us_history_get_president", "Get the U.S. president of a year.", {"year": 2021}),
    ("get_song_chord_progression", "Get the chord progression of a song.", {"song_name": "Yesterday"}),
    ("get_tech_stack", "Get the tech stack an employee works with.", {"employee_id": "EMP-1"}),
    ("weather_forecast_precipitation", "Forecast precipitation.", {"location": "Miami, FL", "days": 3}),
    ("get_property_records", "Get property records of a county.", {"county": "Travis County"}),
    ("get_all_user_list", "List all users.", {}),
])
def test_results_named_after_their_thing_name_something(name, description, arguments):
    tool = _tool(name, description, *arguments)
    for seed in range(8):
        result = plausible_result(tool, arguments, random.Random(seed))
        assert not check_value_fit(_result_message(result)), result


def test_a_color_mixture_names_the_colors_to_mix_and_only_for_a_color_it_knows():
    tool = _tool("paint_color_mixture", "Gives a combination of primary colors to mix for creating a certain color.",
                 "color", "paint_type")
    assert plausible_result(tool, {"color": "Green", "paint_type": "Oil"}, random.Random(0))["color_mixture"] == (
        "blue and yellow")
    unknown = plausible_result(tool, {"color": "ochre", "paint_type": "Oil"}, random.Random(0))
    assert unknown.get("color_mixture") != "blue and yellow"


def test_a_yes_or_no_question_that_went_through_is_yes():
    tool = _tool("oidc_api_is_available", "Indicates if OpenID Connect is available for this application.")
    assert plausible_result(tool, {}, random.Random(0))["is_available"] is True


def test_the_us_president_of_a_year_is_the_one_in_office():
    tool = _tool("us_history_get_president", "Retrieve the U.S. president during a given year.", "event")
    assert plausible_result(tool, {"event": "Moon landing", "year": 1969}, random.Random(0))["president"] == (
        "Richard Nixon")
    assert plausible_result(tool, {"year": 2015}, random.Random(0))["president"] == "Barack Obama"


def test_a_concert_finder_finds_a_concert_and_a_host_snapshot_says_how_the_host_stood():
    finder = _tool("concert_finder", "Locate upcoming concerts by music genre in a city.", "location")
    for seed in range(6):
        found = plausible_result(finder, {"location": "Boston, MA"}, random.Random(seed))["concert_finder"]
        assert found in KNOWN_CONCERTS
    snapshot = _tool("host_agent_api_get_agent_snapshot", "Get a snapshot of a host agent.", "id")
    assert plausible_result(snapshot, {"id": "ID-1"}, random.Random(0))["agent_snapshot"].startswith("healthy, CPU ")
