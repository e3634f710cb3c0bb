"""Values a web search or a cocktail API means: a text to spell-check is misspelled, a prefix to complete
starts real searches, a page is a whole number, a cocktail recipe's id is the cocktail's; and answers tell a
record by its name and a list of texts whole."""

from __future__ import annotations

import random
import re

from toolflow_assets.execution.meant_results import corrected
from toolflow_assets.generation.result_views import facts_of
from toolflow_assets.values import lexicons as L
from toolflow_assets.values.flow import id_thing
from toolflow_assets.values.hinted_strings import hinted_string
from toolflow_assets.values.synthesizer import synthesize


def test_a_text_to_spell_check_is_misspelled_and_a_prefix_starts_known_searches():
    rng = random.Random(3)
    for _ in range(10):
        text = hinted_string("text", rng, "The text string to check for spelling errors.")
        assert corrected(text) != text
        prefix = hinted_string("text", rng, "The prefix to complete")
        assert any(search.startswith(prefix + " ") for search in L.SEARCHES)
    # a text with no such description is a message, as before
    assert hinted_string("text", random.Random(3), "The message body.") not in {bad for bad, _ in L.MISSPELLED_SEARCHES}


def test_a_page_and_a_page_size_are_whole_numbers_where_the_schema_says_number():
    rng = random.Random(0)
    for name in ("pageNumber", "pageSize", "page"):
        assert all(float(synthesize({"type": "number"}, rng, name=name)).is_integer() for _ in range(10))


def test_a_cocktail_recipes_id_is_the_cocktails_and_a_recipe_alone_is_a_recipe():
    assert id_thing("id", ["the", "cocktail", "db", "detailed", "cocktail", "recipe"]) == "cocktail"
    assert id_thing("id", ["cocktails"]) == "cocktail"
    assert id_thing("recipe_id") == "recipe"
    assert id_thing("id", ["recipe"]) == "recipe"


def test_a_record_is_told_by_its_name_and_a_list_of_texts_whole():
    recipe = {"difficulty": "easy", "id": "ID-1", "ingredients": [["2 oz gin", "1 oz Campari", "ice"]], "title": "Negroni"}
    told = facts_of(recipe, {"id": "ID-1"}, limit=2)
    assert told == [("ingredients", "2 oz gin, 1 oz Campari and ice"), ("title", "Negroni")]


def test_a_date_named_in_one_word_is_a_date():
    rng = random.Random(0)
    for name in ("dataupdatedate", "pagecreatedate"):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", hinted_string(name, rng))
    assert not re.fullmatch(r"\d{4}-\d{2}-\d{2}", hinted_string("candidate", rng))


def test_requests_for_these_apis_read_as_requests_not_pasted_descriptions():
    from toolflow_assets.planning.phrasing import action_phrase
    from toolflow_assets.tools import Tool

    def phrase(description: str) -> str:
        return action_phrase(Tool(tool_id="t", name="t_x", description=description, parameters={}, returns=None,
                                  source="s", source_format="rapidapi", category="c"))
    assert phrase("Get Cocktail by ID") == "get cocktail by ID"
    assert phrase("This endpoint responds with a list of cocktails that includes their names and images, as well as "
                  "their IDs") == "look up a list of cocktails"
    assert phrase("Returns the official open and close for a give symbol.") == "get the official open and close for a given symbol"
    assert "in all" not in phrase("Consolidated market short interest positions in all IEX-listed securities")
    assert phrase("IEX-listed securities that have an aggregate fail to deliver position").startswith("look up the IEX-listed")


def test_a_number_in_a_stated_whole_range_with_a_whole_default_is_whole_and_inside_it():
    rng = random.Random(0)
    plate = {"type": "number", "default": 34, "description": "Turkish plates. 1 to 81"}
    values = [synthesize(plate, rng, name="il") for _ in range(20)]
    assert all(isinstance(v, int) and 1 <= v <= 81 for v in values)
    # without a whole default the range says nothing about wholeness
    assert any(not float(synthesize({"type": "number", "description": "Weight, 1 to 50 kg"}, rng, name="weight")).is_integer()
               for _ in range(20))
