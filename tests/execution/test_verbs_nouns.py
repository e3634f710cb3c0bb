"""What a tool acts on, read from its name: the executor names result fields after it, the writer says it."""

from __future__ import annotations

from toolflow_assets.execution.verbs import past_tense, verb_and_noun
from toolflow_assets.tools import Tool


def tool(name: str, description: str) -> Tool:
    return Tool(tool_id=name, name=name, description=description, parameters={"type": "object", "properties": {}},
                returns=None, source="t", source_format="rapidapi", category="t")


def test_a_name_cut_at_64_characters_takes_its_object_from_the_description():
    # ToolBench's `…/tracking/correo_argentino/create_task/…` cut to 64 characters ends in `create_tas`
    cut = tool("Transportistas_de_Argentina_tracking_correo_argentino_create_tas", "Create task to get the history.")
    assert len(cut.name) == 64
    assert verb_and_noun(cut) == ("create", ["task"])  # not "tas", nor the API's name before the verb


def test_a_postcode_is_no_request_to_post():
    verb, noun = verb_and_noun(tool("offices_postcode_service", "List of offices for a postcode."))
    assert verb != "post"


def test_a_short_name_ending_with_its_verb_keeps_the_words_before_it():
    # `core_memory_retrieve`: the object is the core memory, not "value associated" from the description
    assert verb_and_noun(tool("core_memory_retrieve", "Retrieve the value associated with a key.")) == \
        ("retrieve", ["core", "memory"])


def test_a_name_that_starts_with_its_descriptions_verb_acts_on_the_rest():
    # "draw" is in no verb list of ours: read as part of the noun, the result was a "basic draw rectangle"
    assert verb_and_noun(tool("draw_rectangle", "Draw a rectangle given its width and height.")) == \
        ("draw", ["rectangle"])
    # a name whose description starts otherwise keeps its words as the noun
    assert verb_and_noun(tool("weather_forecast", "Weather forecast for a city."))[1] == ["weather", "forecast"]
    assert past_tense("draw") == "drawn"  # "Done, both drawn.", never "drawed"


def test_past_tenses_are_english():
    # "Order geted successfully." was a result's outcome text; "applyed", "finded" beside it
    from toolflow_assets.execution.verbs import past_tense

    assert [past_tense(v) for v in ("get", "apply", "copy", "find", "submit", "play", "delete", "send")] == [
        "retrieved", "applied", "copied", "found", "submitted", "played", "deleted", "sent"]
