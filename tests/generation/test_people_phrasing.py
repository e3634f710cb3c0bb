"""Requests said from the user's values, not from a description's parameter list; answers that tell a
name without its field label (the ToolBench part read "get the quote for the iso state and city keyword name",
"The title is Mojito, id 45")."""

from __future__ import annotations

import random

from toolflow_assets.generation.answers import ResultView, result_sentence
from toolflow_assets.planning.phrasing import action_phrase
from toolflow_assets.planning.weaving import weave_values
from toolflow_assets.tools import Tool


def _tool(name: str, description: str) -> Tool:
    return Tool(tool_id=name, name=name, description=description, parameters={"type": "object", "properties": {}},
                returns=None, source="t", source_format="toolbench", category="t")


def test_a_list_of_description_is_asked_as_the_things_without_api_words():
    assert action_phrase(_tool("cities", "List of city for iso state and postcode.")) == \
        "get the cities for a state and a postcode"
    assert action_phrase(_tool("quotes", "List of quote for iso state and city keyword name in Correo Argentino.")) \
        == "get the quotes for a state and a city in Correo Argentino"
    assert action_phrase(_tool("search", "Search city for iso state and keyword name.")) == \
        "search city for a state and a keyword"
    # a plural stays as it is
    assert action_phrase(_tool("offices", "List of offices for iso state.")) == "get the offices for a state"


def test_a_value_is_said_where_the_description_names_its_parameter_and_only_there():
    action = "get the cities for a state and a postcode"
    both = 0
    for seed in range(30):
        said, woven = weave_values(random.Random(seed), action, [("stateIsoCode", "AR-C"), ("postCode", "6290")])
        assert ("AR-C" in said) == ("stateIsoCode" in woven) and ("6290" in said) == ("postCode" in woven)
        assert ("a state" in said) != ("stateIsoCode" in woven)  # the thing is named by its value, not twice
        assert ("a postcode" in said) != ("postCode" in woven)
        assert "iso" not in said
        both += woven == {"stateIsoCode", "postCode"}
    assert both >= 10


def test_a_keyword_is_never_said_as_a_bare_word():
    wove = 0
    for seed in range(30):
        said, woven = weave_values(random.Random(seed), "search city for a state and a keyword", [("keyword", "San")])
        if woven:
            wove += 1
            assert "keyword San" in said  # "search city for a state and San" names no keyword
    assert wove  # the rule was exercised


def test_an_origin_and_a_destination_are_said_as_the_way_between_them():
    action = "get the quotes for a postcode in Correo Argentino"
    found = set()
    for seed in range(30):
        said, woven = weave_values(random.Random(seed), action, [("postCodeDst", 4160), ("postCodeSrc", 7344),
                                                                 ("weight", 89.93)])
        assert "weight" not in woven  # the action names no weight: it is said apart
        if woven:
            assert woven == {"postCodeDst", "postCodeSrc"} and "for a postcode" not in said
            assert said.index("7344") < said.index("4160") and "from postcode 7344 to" in said
            found.add(said)
    assert "get the quotes from postcode 7344 to 4160 in Correo Argentino" in found


def _read(*facts: tuple[str, str]) -> set[str]:
    view = ResultView(kind="read", noun="cocktail", past="read", facts=facts)
    return {result_sentence(random.Random(seed), view) for seed in range(40)}


def test_a_name_and_its_id_are_told_as_people_tell_them():
    texts = _read(("id", "ID-45"), ("title", "Mojito"), ("image", "https://x.example/m.jpg"))
    for text in texts:
        assert "Mojito (ID-45)" in text and "https://x.example/m.jpg" in text
        assert "title" not in text and "id " not in text.lower().replace("(id-45)", "")
        assert ") (" not in text  # never two brackets in a row
    assert all("sport title" not in t and "NBA" in t for t in _read(("sport title", "NBA")))


def test_a_name_that_is_not_the_answers_head_keeps_its_label():
    # "…are the ingredients, and Daiquiri" would name nothing
    for text in _read(("ingredients", "2 oz rum and ice"), ("title", "Daiquiri")):
        assert "Daiquiri" in text and "title" in text.lower()
    # an id alone is no name: it keeps its label
    assert all("id" in t.lower().replace("id-7", "") for t in _read(("id", "ID-7")))


def test_shorthand_without_articles_still_takes_its_values_in_place():
    found = {weave_values(random.Random(seed), "get quotes for postcode in Correo Argentino",
                          [("postCodeSrc", 7344), ("postCodeDst", 4160)])[0] for seed in range(20)}
    assert "get quotes from postcode 7344 to 4160 in Correo Argentino" in found


def test_a_key_that_is_its_name_is_said_once():
    assert all(t.count("basketball") == 1 for t in _read(("key", "basketball"), ("title", "basketball")))


def test_two_tools_that_read_alike_are_told_apart_by_words_a_person_says():
    from toolflow_assets.planning.phrasing import distinct_actions

    def offices(name: str, parameters: list[str]) -> Tool:
        return Tool(tool_id=name, name=name, description="List of offices for iso state and postcode.",
                    parameters={"type": "object", "properties": {p: {"type": "string"} for p in parameters}},
                    returns=None, source="t", source_format="toolbench", category="t")

    actions = distinct_actions([offices("offices_postcode_service_postCode", ["postCode", "service"]),
                                offices("offices_search_service_stateIsoCode", ["keyword", "service", "stateIsoCode"])])
    assert actions["offices_search_service_stateIsoCode"] == "get the offices for a state and a postcode (search)"
    assert len(set(actions.values())) == 2 and not any("iso" in a for a in actions.values())
