"""Results by meaning for tools without a return schema (market data, spelling, completions, news), and a
cocktail's record of one cocktail (its list entry and the recipe fetched by its id agree)."""

from __future__ import annotations

import random

import pytest

from toolflow_assets.execution import SimulatedExecutor
from toolflow_assets.execution.meant_results import corrected, meant_result
from toolflow_assets.tools import Tool
from toolflow_assets.values import lexicons as L

NO_ERRORS = SimulatedExecutor(error_rate=0.0, empty_rate=0.0)
STRING = {"type": "string"}


def tool(name: str, description: str, properties: dict, returns: dict | None = None, api: str = "") -> Tool:
    original = f"{api}_{name}" if api else name
    return Tool(tool_id=original, name=original.replace(" ", "_"), original_name=original, description=description,
                parameters={"type": "object", "properties": properties, "required": list(properties)},
                returns=returns, source="test", source_format="rapidapi", category="Test")


def run(t: Tool, arguments: dict, seed: int = 0) -> dict:
    return NO_ERRORS.session(seed).execute(t.name, arguments, t).result


OHLC = tool("OHLC", "Returns the official open and close for a give symbol.", {"symbol": STRING},
            api="Investors Exchange (IEX) Trading")


@pytest.mark.parametrize("seed", range(8))
def test_a_price_bar_is_a_bar_of_the_symbol_asked_in_its_price_range(seed):
    result = run(OHLC, {"symbol": "NVDA"}, seed)
    assert result["symbol"] == "NVDA" and result["date"]
    _, low_end, high_end = L.STOCKS["NVDA"]
    assert low_end <= result["close"] <= high_end
    assert result["high"] >= max(result["open"], result["close"]) >= min(result["open"], result["close"]) >= result["low"]


@pytest.mark.parametrize("seed", range(8))
def test_a_price_bar_without_a_symbol_is_of_a_listed_company_in_its_price_range(seed):
    # the drawn ticker (lexicons.TICKERS) is one lexicons.STOCKS prices: never a bar of 20 to 300 by default
    result = run(OHLC, {}, seed)
    _, low_end, high_end = L.STOCKS[result["symbol"]]
    assert low_end <= result["close"] <= high_end


def test_short_interest_gives_days_to_cover_from_its_own_figures():
    short = tool("IEX Short Interest List", "Consolidated market short interest positions in all IEX-listed securities",
                 {"symbol": STRING}, api="Investors Exchange (IEX) Trading")
    result = run(short, {"symbol": "TSLA"})
    assert result["symbol"] == "TSLA"
    assert result["days_to_cover"] == round(result["short_interest"] / result["avg_daily_volume"], 2)


def test_a_spell_check_corrects_known_misspellings_and_leaves_other_text_alone():
    check = tool("spellCheck", "Check spelling.", {"text": STRING}, api="Web Search")
    assert run(check, {"text": "teylor swiift"})["corrected_text"] == "taylor swift"
    assert corrected("Meet me at noon") == "Meet me at noon"


def test_completions_start_with_the_prefix_typed():
    complete = tool("autoComplete", "Suggest as-you-type completion.", {"text": STRING}, api="Web Search")
    for prefix in ("how to", "weather in", "zebra crossing"):  # the last one no known search starts with
        suggestions = run(complete, {"text": prefix})["suggestions"]
        assert suggestions and all(s.startswith(prefix) and s != prefix for s in suggestions)


def test_news_articles_are_about_the_query():
    search = tool("newsSearch", "Get news articles relevant for a given query.", {"q": STRING, "pageSize": {"type": "number"}},
                  api="Web Search")
    articles = run(search, {"q": "electric vehicles", "pageSize": 10})["articles"]
    assert articles and all("electric vehicles" in a["title"] and a["url"].startswith("https://") for a in articles)


def test_the_rules_go_by_meaning_not_by_one_api():
    rng_args = {"symbol": "AAPL"}
    assert "close" in meant_result(tool("get_stock_ohlc", "Daily bar of a stock.", {"symbol": STRING}), rng_args,
                                   random.Random(0))
    assert meant_result(tool("get_weather", "Current weather for a city.", {"city": STRING}), {"city": "Oslo"},
                        random.Random(0)) is None


COCKTAIL_LIST = tool("List of Cocktails", "This endpoint responds with a list of cocktails.", {},
                     {"type": "object", "properties": {"id": STRING, "title": STRING, "difficulty": STRING},
                      "required": ["id", "title"]},
                     api="The Cocktail DB")
COCKTAIL_RECIPE = tool("Detailed Cocktail Recipe by ID", "Get Cocktail by ID", {"id": STRING},
                       {"type": "object", "properties": {
                           "id": STRING, "title": STRING, "description": STRING,
                           "ingredients": {"type": "array", "items": {"type": "array", "items": STRING}},
                           "method": {"type": "array", "items": {"type": "object", "properties": {"Step 1": STRING}}}}},
                       api="The Cocktail DB")


@pytest.mark.parametrize("seed", range(6))
def test_the_recipe_fetched_by_a_listed_id_is_the_listed_cocktail(seed):
    session = NO_ERRORS.session(seed)
    listed = session.execute(COCKTAIL_LIST.name, {}, COCKTAIL_LIST, {"id": [("id", STRING)]}).result
    recipe = session.execute(COCKTAIL_RECIPE.name, {"id": listed["id"]}, COCKTAIL_RECIPE).result
    name, ingredients, steps = next(c for c in L.COCKTAILS if c[0] == listed["title"])
    assert recipe["title"] == name and recipe["id"] == listed["id"]
    assert recipe["ingredients"] == [list(ingredients)]  # the schema's list of lists, holding this cocktail's
    assert [step["Step 1"] for step in recipe["method"]] == list(steps)
    assert name in recipe.get("description", name)  # optional: drawn or left out


def test_a_news_page_holds_no_more_articles_than_its_size():
    search = tool("newsSearch", "Get news articles relevant for a given query.", {"q": STRING, "pageSize": {"type": "number"}},
                  api="Web Search")
    assert all(len(run(search, {"q": "jazz history", "pageSize": 1}, seed)["articles"]) == 1 for seed in range(5))


def test_a_health_check_says_the_service_is_healthy():
    check = tool("Checkhealth", "", {}, api="SQUAKE")
    assert run(check, {})["status"] == "healthy"


def test_an_endpoint_that_reads_is_read_though_its_api_is_named_with_a_verb():
    from toolflow_assets.execution.verbs import action_of, verb_and_noun
    tracking = Tool(tool_id="t", name="Create_Container_Tracking_Get_Tracking_Data",
                    original_name="Create Container Tracking_Get Tracking Data",
                    description="The user will be able to retrieve the data using this endpoint.",
                    parameters={"type": "object", "properties": {"id": STRING}}, returns=None, source="test",
                    source_format="rapidapi", category="Logistics")
    assert verb_and_noun(tracking) == ("get", ["tracking", "data"]) and action_of(tracking) == "read"
    result = run(tracking, {"id": "6045e2f44e1b233199a5e77a"})
    assert "status" not in result or result["status"] != "success"  # no "Created." for a lookup
    # a name whose first verb is what its description does keeps it
    creator = Tool(tool_id="c", name="create_task_get_id", description="Create a task and get its id.",
                   parameters={"type": "object", "properties": {"title": STRING}}, returns=None, source="test",
                   source_format="test", category="")
    assert action_of(creator) == "create"
