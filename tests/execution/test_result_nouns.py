"""What a ToolBench-named tool returns (execution/result_nouns.py): its path parameters and a cut stump are no
noun of its result, a shipping quote is a price, and a result's key and title name the thing the call asked
for. Tools shaped like ToolBench's "Transportistas de Argentina" and "Live Sports Odds" APIs."""

from __future__ import annotations

from toolflow_assets.execution.simulated import SimulatedExecutor
from toolflow_assets.execution.verbs import verb_and_noun
from toolflow_assets.tools import Tool


def tool(name: str, description: str, properties: dict, returns: dict | None = None) -> Tool:
    return Tool(tool_id=name, name=name, description=description,
                parameters={"type": "object", "properties": properties, "required": list(properties)},
                returns=returns, source="t", source_format="rapidapi", category="t")


_NUMBER = {"type": "number"}
# `/quotes/city/correo_argentino/:weight/:stateIsoCodeSrc/...`: the name ends with the path's `:weight`
QUOTE_BY_CITY = tool("Transportistas_de_Argentina_quotes_city_correo_argentino_weight",
                     "List of quote for iso state and city keyword name in Correo Argentino.",
                     {"normalizeCityNameSrc": {"type": "string"}, "stateIsoCodeDst": {"type": "string"},
                      "weight": {"type": "number", "description": "Weight in KG"}})
# `/quotes/postcode/correo_argentino/:weight/...` cut at 64 characters: the name ends with the stump `wei`
QUOTE_BY_POSTCODE = tool("Transportistas_de_Argentina_quotes_postcode_correo_argentino_wei",
                         "List of quote for postcode in Correo Argentino.",
                         {"postCodeDst": _NUMBER, "postCodeSrc": _NUMBER, "weight": _NUMBER})
TASK_RESULT = tool("Transportistas_de_Argentina_tracking_correo_argentino_result_tas", "Result for one Task ID.",
                   {"task_id": {"type": "string", "description": "Task ID"}})


def _result(t: Tool, arguments: dict, seed: int = 3) -> dict:
    outcome = SimulatedExecutor(error_rate=0, empty_rate=0).session(seed).execute(t.name, arguments, t)
    assert outcome.status == "ok"
    return outcome.result


def test_a_shipping_quote_returns_a_price_not_a_field_named_from_the_path() -> None:
    for quote in (QUOTE_BY_CITY, QUOTE_BY_POSTCODE):
        assert verb_and_noun(quote)[1][-1] in ("quote", "quotes")
        for seed in range(5):
            result = _result(quote, {"weight": 3.5, "postCodeDst": 1425, "postCodeSrc": 5000,
                                     "normalizeCityNameSrc": "Rosario", "stateIsoCodeDst": "AR-B"}, seed)
            assert isinstance(result.get("price"), (int, float)) and result["price"] > 0, result
            assert not any("argentino" in key or "correo" in key for key in result), result


def test_a_task_result_is_named_result_and_tells_how_the_task_stands() -> None:
    assert verb_and_noun(TASK_RESULT)[1] == ["result"]
    result = _result(TASK_RESULT, {"task_id": "TAS-68338"})
    assert result["task_id"] == "TAS-68338" and result.get("result") in ("completed", "pending", "in progress",
                                                                         "delivered", "processing"), result


def test_a_quote_of_sayings_is_no_price_and_a_plain_name_keeps_its_noun() -> None:
    sayings = tool("get_random_quote", "Get a random quote by an author.", {"author": {"type": "string"}})
    assert "price" not in _result(sayings, {"author": "Mark Twain"})
    # a parameter named like the name's noun does not empty it: `search_city(city)` still searches cities
    assert verb_and_noun(tool("search_city", "Search for a city by name.", {"city": {"type": "string"}})) == \
        ("search", ["city"])


def test_an_odds_result_is_of_the_sport_asked_for_and_its_title_names_it() -> None:
    odds = tool("Live_Sports_Odds_v4_sports_sport_odds", "Returns list of live and upcoming games for a given sport.",
                {"sport": {"type": "string"}, "regions": {"type": "string"}},
                {"type": "object", "required": ["sport_key", "sport_title"], "properties": {
                    "sport_key": {"type": "string"}, "sport_title": {"type": "string"},
                    "home_team": {"type": "string"}}})
    scores = tool("Live_Sports_Odds_v4_sports_sport_scores", "Returns list of live and upcoming games for a sport.",
                  {"sport": {"type": "string"}},
                  {"type": "object", "required": ["sport_title"], "properties": {"sport_title": {"type": "string"}}})
    for seed in range(8):
        result = _result(odds, {"sport": "cricket", "regions": "us"}, seed)
        assert (result["sport_key"], result["sport_title"].lower()) == ("cricket", "cricket"), result
        assert _result(scores, {"sport": "cricket"}, seed)["sport_title"].lower() == "cricket"



def test_a_key_a_later_call_reads_keeps_its_title_in_agreement() -> None:
    # the plan links scores' `sport_key` to the odds call's `sport`: the key is the plan's (a value the user did
    # not state, so the link is real data flow), and the record's title names that same sport
    scores = tool("Live_Sports_Odds_v4_sports_sport_scores", "Returns list of live and upcoming games for a sport.",
                  {"sport": {"type": "string"}},
                  {"type": "object", "required": ["sport_key", "sport_title"],
                   "properties": {"sport_key": {"type": "string"}, "sport_title": {"type": "string"}}})
    for seed in range(8):
        outcome = SimulatedExecutor(error_rate=0, empty_rate=0).session(seed).execute(
            scores.name, {"sport": "basketball"}, scores, needed={"sport_key": [("sport", {"type": "string"})]})
        result = outcome.result
        assert result["sport_title"].lower().replace(" ", "_") == result["sport_key"], result


def test_a_noun_beside_a_parameter_in_a_named_verb_stays() -> None:
    # `get_rectangle_property(area, perimeter, property)` is about a rectangle's property, not "the rectangle"
    rectangle = tool("get_rectangle_property", "Get specific property of the rectangle.",
                     {"area": _NUMBER, "perimeter": _NUMBER, "property": {"type": "string"}})
    assert verb_and_noun(rectangle) == ("get", ["rectangle", "property"])
    assert verb_and_noun(tool("team_api_TeamApi_create_team", "Create a new team.", {"team": {"type": "object"}})) \
        == ("create", ["team"])
    # a path's placeholders after the API's own words: `/offices/postcode/:service/:postCode`
    offices = tool("Transportistas_de_Argentina_offices_postcode_service_postCode",
                   "List of offices for iso state and postcode.",
                   {"service": {"type": "string"}, "postCode": _NUMBER})
    assert verb_and_noun(offices)[1] == ["offices"]
