"""Identifier links the names tie to their parameter, below the similarity threshold."""

from __future__ import annotations

import numpy as np

from toolflow_assets.graph.fields import flatten_tools
from toolflow_assets.graph.identifier_links import identifier_links
from toolflow_assets.tools import Tool


def tool(name: str, description: str, properties: dict, returns: dict | None = None) -> Tool:
    return Tool(tool_id=name, name=name, description=description,
                parameters={"type": "object", "properties": properties}, returns=returns,
                source="test", source_format="bfcl", category="test", original_name=name)


def links(tools: list[Tool]) -> set[tuple[str, str, str, str]]:
    inputs, outputs = flatten_tools(tools)
    groups = np.arange(len(tools))
    out_rows, in_rows, scores = identifier_links(tools, inputs, outputs, groups, 0.8)
    assert np.all(scores == np.float32(0.8))
    return {(tools[outputs[o].tool_index].name, outputs[o].path, tools[inputs[i].tool_index].name, inputs[i].path)
            for o, i in zip(out_rows.tolist(), in_rows.tolist())}


STRING = {"type": "string"}
STATES = tool("argentina_states", "List of states of Argentina with their iso code.", {},
              {"type": "object", "properties": {"iso_code": STRING, "name": STRING}})
CITIES = tool("argentina_cities", "List of cities of an Argentina state.", {"stateIsoCode": STRING})
QUOTE = tool("argentina_quote", "Shipping quote between two cities of Argentina states.",
             {"stateIsoCodeSrc": STRING, "stateIsoCodeDst": STRING, "weight": {"type": "number"}})
SPORTS_ODDS = tool("sports_odds", "Odds of upcoming sport games.", {"sport": STRING},
                   {"type": "object", "properties": {"sport_key": STRING, "home_team": STRING}})
SPORTS_SCORES = tool("sports_scores", "Scores of sport games.", {"sport": STRING})


def test_an_identifier_feeds_the_parameter_named_after_it_or_after_its_thing():
    found = links([STATES, CITIES, QUOTE, SPORTS_ODDS, SPORTS_SCORES])
    assert ("argentina_states", "iso_code", "argentina_cities", "stateIsoCode") in found
    assert ("argentina_states", "iso_code", "argentina_quote", "stateIsoCodeSrc") in found
    assert ("argentina_states", "iso_code", "argentina_quote", "stateIsoCodeDst") in found
    assert ("sports_odds", "sport_key", "sports_scores", "sport") in found
    # a team name is no identifier, and nothing links a tool to itself
    assert not any(src == dst or field == "home_team" for src, field, dst, _ in found)


def test_no_link_between_tools_about_different_things_or_of_unfitting_types():
    shop = tool("shop_orders", "List the orders of a shop customer.", {},
                {"type": "object", "properties": {"order_id": STRING}})
    sorter = tool("sort_numbers", "Sort a list of numbers in a chosen direction.", {"order": STRING})
    counter = tool("count_orders", "Count a shop customer's orders.", {"order": {"type": "integer"}})
    assert links([shop, sorter]) == set()  # `order` of a sort is not a shop order
    assert links([shop, counter]) == set()  # a string id does not fill an integer


def test_a_bare_key_is_the_key_of_the_things_its_tool_lists():
    # the Odds API's /v4/sports: "Returns a list of available sports", records {key, title, active}; its
    # `key` is what the scores and odds endpoints take as `sport` (no link before: the name has no `sport`)
    sports = Tool(tool_id="sports", name="Live_Sports_Odds_v4_sports", original_name="Live Sports Odds_/v4/sports",
                  description="Returns a list of available sports and tournaments.",
                  parameters={"type": "object", "properties": {"all": {"type": "boolean"}}},
                  returns={"type": "object", "properties": {"key": STRING, "title": STRING}},
                  source="test", source_format="rapidapi", category="Sports")
    games = tool("sport_games", "Returns live and upcoming games for a sport and tournament.", {"sport": STRING})
    found = links([sports, SPORTS_ODDS, games])
    assert ("Live_Sports_Odds_v4_sports", "key", "sports_odds", "sport") in found
    assert ("Live_Sports_Odds_v4_sports", "key", "sport_games", "sport") in found
    # a tool that names one thing, not a collection, gives its bare key no owner
    user = tool("get_user", "Get a user's profile.", {}, {"type": "object", "properties": {"key": STRING}})
    takes_user = tool("user_posts", "Posts of a user.", {"user": STRING})
    assert links([user, takes_user]) == set()


def rapidapi(api: str, endpoint: str, properties: dict, returns: dict | None = None, category: str = "Food") -> Tool:
    name = f"{api}_{endpoint}"
    return Tool(tool_id=name, name=name.replace(" ", "_"), original_name=name, description=f"{endpoint}.",
                parameters={"type": "object", "properties": properties}, returns=returns,
                source="toolbench.json", source_format="rapidapi", category=category)


def test_a_listing_bare_id_feeds_the_bare_id_of_a_sibling_about_the_same_thing():
    # The Cocktail DB: `List of Cocktails` records {id, title}; `Detailed Cocktail Recipe by ID` takes that id
    listing = rapidapi("The Cocktail DB", "List of Cocktails", {},
                       {"type": "object", "properties": {"id": STRING, "title": STRING}})
    recipe = rapidapi("The Cocktail DB", "Detailed Cocktail Recipe by ID", {"id": STRING})
    # a sibling about another thing takes another thing's id, though the API's name says cocktail
    ingredient = rapidapi("The Cocktail DB", "Ingredient by ID", {"id": STRING})
    # a cocktail recipe of another API numbers its cocktails its own way
    other_api = rapidapi("Bar Guide", "Cocktail Recipe by ID", {"id": STRING}, category="Drinks")
    found = links([listing, recipe, ingredient, other_api])
    assert found == {("The_Cocktail_DB_List_of_Cocktails", "id", "The_Cocktail_DB_Detailed_Cocktail_Recipe_by_ID", "id")}
    # a tool that lists nothing gives its bare id no owner
    detail = rapidapi("The Cocktail DB", "Cocktail of the Day", {},
                      {"type": "object", "properties": {"id": STRING, "title": STRING}})
    assert links([detail, recipe]) == set()
