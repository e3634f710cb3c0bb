"""Values that fit the wider context of their tool (values.settings, values.places): an Argentine carrier's API
gets Argentine provinces, postcodes and cities, not U.S. states and ZIP codes; a basketball game is between
basketball teams, not Arsenal and the Yankees. Read through the real ToolBench tools of the bundled corpus,
the planner's argument values (the kernel's Synthesizer with the tool's setting) and the simulated executor's
results (which enters the call's setting)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from toolflow_assets.execution import SimulatedExecutor
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.tools import Tool
from toolflow_assets.values import Synthesizer, setting_of, tool_setting
from toolflow_assets.values import places
from toolflow_assets.values.places import COUNTRIES
from toolflow_assets.values.settings import TEAMS

TOOLBENCH = Path(__file__).resolve().parents[2] / "toolflow_assets" / "data" / "corpus" / "toolbench"
NO_ERRORS = SimulatedExecutor(error_rate=0.0, empty_rate=0.0)
ARGENTINE_PROVINCES = {name for name, _ in COUNTRIES["AR"].subdivisions}
ARGENTINE_CODES = {code for _, code in COUNTRIES["AR"].subdivisions}
CLUBS = {team for teams in TEAMS.values() for team in teams}


@pytest.fixture(scope="module")
def corpus() -> dict[str, Tool]:
    return {tool.name: tool for tool in ingest_sources([str(TOOLBENCH)]).tools}


def _tool(corpus: dict[str, Tool], fragment: str) -> Tool:
    return next(tool for name, tool in corpus.items() if fragment in name)


def _arguments(tool: Tool, seed: int) -> dict:
    """What the planner states for every parameter of `tool` (its call site: argument_values.ArgumentFiller)."""
    params = tool.parameters
    synth = Synthesizer(random.Random(seed), root=params, setting=tool_setting(tool))
    return {name: synth.value(schema, name) for name, schema in params["properties"].items()}


def test_an_argentine_carriers_quote_is_between_argentine_provinces_cities_and_postcodes(corpus):
    by_city = _tool(corpus, "quotes_city_correo_argentino")
    by_postcode = _tool(corpus, "quotes_postcode_correo_argentino")
    argentine_cities = {city for city, _ in places._places("AR")}
    for seed in range(10):
        city_quote = _arguments(by_city, seed)
        assert {city_quote["stateIsoCodeSrc"], city_quote["stateIsoCodeDst"]} <= ARGENTINE_CODES, city_quote
        assert {city_quote["normalizeCityNameSrc"], city_quote["normalizeCityNameDst"]} <= argentine_cities, city_quote
        postcode_quote = _arguments(by_postcode, seed)
        # Argentina's postcodes have four digits (1425 is Palermo); 94105 is San Francisco
        assert all(1000 <= postcode_quote[k] <= 9431 for k in ("postCodeSrc", "postCodeDst")), postcode_quote


def test_the_list_of_argentine_states_names_argentine_provinces_with_their_own_codes(corpus):
    states = corpus["Transportistas_de_Argentina_cities_states"]
    code_of = {name: code for name, code in COUNTRIES["AR"].subdivisions}
    named = 0
    for seed in range(20):
        record = NO_ERRORS.session(seed).execute(states.name, {}, states).result
        if "iso_code" in record:
            assert record["iso_code"] in ARGENTINE_CODES, record  # never US-OH
        if "name" in record:  # both fields are optional in the return schema
            named += 1
            assert record["name"] in ARGENTINE_PROVINCES, record  # never Alabama
            assert record.get("iso_code", code_of[record["name"]]) == code_of[record["name"]], record  # AR-X: Cordoba
    assert named >= 10


def test_a_tool_about_no_country_keeps_its_usual_places():
    tool = Tool(tool_id="t", name="get_sales_tax", description="Sales tax of a state.", source="test",
                source_format="test", category="", returns=None,
                parameters={"type": "object", "properties": {"state": {"type": "string"}}, "required": ["state"]})
    states = {_arguments(tool, seed)["state"] for seed in range(10)}
    assert not states & ARGENTINE_PROVINCES and len(states) > 3, states
    # a text naming two countries is about neither: a flight from Germany to France takes no one's postcode
    assert setting_of("Flights from Germany to France").country is None
    assert setting_of("Transportistas de Argentina").country == "AR"


def test_a_basketball_game_is_between_two_basketball_teams(corpus):
    scores = _tool(corpus, "sports_sport_scores")
    odds = _tool(corpus, "sports_sport_odds")
    for seed in range(12):
        for tool, arguments in ((scores, {"sport": "basketball_nba"}), (odds, {"sport": "basketball_nba",
                                                                               "regions": "us"})):
            game = NO_ERRORS.session(seed).execute(tool.name, arguments, tool).result
            teams = [game[k] for k in ("home_team", "away_team") if k in game]
            assert set(teams) <= set(TEAMS["basketball"]) and len(set(teams)) == len(teams), game


def test_a_tennis_match_is_between_players_not_clubs(corpus):
    scores = _tool(corpus, "sports_sport_scores")
    for seed in range(12):
        game = NO_ERRORS.session(seed).execute(scores.name, {"sport": "tennis_atp_french_open"}, scores).result
        assert not {game.get("home_team"), game.get("away_team")} & CLUBS, game


def test_a_team_named_in_a_tools_description_is_of_the_sport_it_names():
    tool = Tool(tool_id="t", name="nba_team_stats", description="Season statistics of an NBA basketball team.",
                source="test", source_format="test", category="", returns=None,
                parameters={"type": "object", "properties": {"team": {"type": "string"}}, "required": ["team"]})
    teams = {_arguments(tool, seed)["team"] for seed in range(12)}
    assert teams <= set(TEAMS["basketball"]) and len(teams) > 3, teams


def test_the_same_seed_gives_the_same_argentine_values(corpus):
    tool = _tool(corpus, "quotes_postcode_oca")
    assert _arguments(tool, 5) == _arguments(tool, 5)
    result = lambda: NO_ERRORS.session(5).execute(tool.name, _arguments(tool, 5), tool).result  # noqa: E731
    assert result() == result()


def test_an_operational_thing_is_named_for_what_it_watches_not_by_a_bare_qualifier():
    bare = ("primary", "secondary", "standard", "default", "extended", "basic", "advanced", "main", "alternate")
    tool = Tool(tool_id="t", name="createDashboard", description="Create a dashboard.", source="test",
                source_format="test", category="", returns=None, parameters={
                    "type": "object", "required": ["dashboardName"],
                    "properties": {"dashboardName": {"type": "string", "description": "Name of the dashboard"}}})
    names = {_arguments(tool, seed)["dashboardName"] for seed in range(12)}
    assert all(n.endswith(" dashboard") and n.split()[0] not in bare for n in names) and len(names) > 3, names


def test_things_whose_kind_says_what_they_look_like_get_real_looking_values():
    from toolflow_assets.typed_values import thing_value

    for seed in range(8):
        rng = random.Random(seed)
        # "secondary dna sequence" was a placeholder made of the field's own words
        assert set(thing_value("dna sequence", rng)) <= set("ACGT")
        numbers = [int(n) for n in thing_value("fibonacci sequence", rng).split(", ")]
        assert all(c == a + b for a, b, c in zip(numbers, numbers[1:], numbers[2:])) and numbers[:2] == [0, 1]
        forecast = thing_value("weather forecast", rng)
        assert forecast.split(",")[0] in ("sunny", "partly cloudy", "light rain", "showers", "clear skies",
                                          "overcast") and forecast.endswith(" C"), forecast
        assert thing_value("lawsuit judge", rng).startswith("Judge ")


def test_the_odds_of_a_game_are_on_its_own_teams_at_real_bookmakers(corpus):
    from toolflow_assets.values.lexicons import BOOKMAKERS

    odds = _tool(corpus, "sports_sport_odds")
    outcomes_seen = 0
    for seed in range(12):
        game = NO_ERRORS.session(seed).execute(odds.name, {"sport": "icehockey_nhl", "regions": "us"}, odds).result
        sides = {game.get("home_team"), game.get("away_team")}
        for bookmaker in game.get("bookmakers") or []:
            assert bookmaker.get("title", "Pinnacle") in BOOKMAKERS, bookmaker  # never "Johnson Bookmaker"
            for market in bookmaker.get("markets") or []:
                named = [o["name"] for o in market.get("outcomes") or [] if "name" in o]
                assert len(named) == len(set(named)), named  # each team once: a third outcome repeated the first
                for outcome in market.get("outcomes") or []:
                    if "name" in outcome and None not in sides:
                        outcomes_seen += 1
                        assert outcome["name"] in sides, (outcome, sides)
    assert outcomes_seen > 0


def test_the_cities_of_an_argentine_province_are_in_it_and_its_offices_in_argentine_cities(corpus):
    cities = corpus["Transportistas_de_Argentina_cities_states_stateIsoCode"]
    offices = corpus["Transportistas_de_Argentina_offices_postcode_service_postCode"]
    argentine_cities = {city for city, _ in places._places("AR")}
    for seed in range(8):
        listed = NO_ERRORS.session(seed).execute(cities.name, {"stateIsoCode": "AR-Q"}, cities).result["cities"]
        assert set(listed) <= set(places.cities_of("AR-Q")), listed  # Neuquen's cities, never Salta
        jujuy = NO_ERRORS.session(seed).execute(cities.name, {"stateIsoCode": "AR-Y"}, cities).result["cities"]
        assert jujuy and len(set(jujuy)) == len(jujuy), jujuy  # a list of a small province's cities names each once
        found = NO_ERRORS.session(seed).execute(offices.name, {"service": "oca", "postCode": 8300}, offices).result
        # an office is named after its Argentine city ("Zapala Office"), not a made-up U.S. town
        assert all(o["name"].removesuffix(" Office") in argentine_cities for o in found["offices"]), found


def test_a_basketball_tools_league_is_a_basketball_league():
    tool = Tool(tool_id="t", name="basketball_scores_get_scores", source="test", source_format="test",
                category="", returns=None,
                description="Retrieve basketball scores for a specific team and league within a range of rounds.",
                parameters={"type": "object", "required": ["team", "league"],
                            "properties": {"team": {"type": "string"}, "league": {"type": "string"}}})
    for seed in range(8):
        call = _arguments(tool, seed)
        assert call["league"] in ("NBA", "EuroLeague", "WNBA") and call["team"] in TEAMS["basketball"], call


def test_a_record_about_something_is_described_as_current_since_a_day_not_by_a_made_up_qualifier():
    from toolflow_assets.typed_values import thing_value

    bare = ("primary", "secondary", "standard", "custom", "default", "extended", "basic", "advanced", "main",
            "alternate")
    for seed in range(8):
        value = thing_value("museum info", random.Random(seed))  # was "extended museum info"
        assert value.startswith("available (updated 20") and not value.startswith(bare), value
        assert thing_value("holiday", random.Random(seed)).split()[0] not in bare


def test_odds_are_decimal_prices_a_bookmaker_quotes(corpus):
    # every outcome's price was 1 (or a money amount): odds that pay nothing back
    odds = _tool(corpus, "sports_sport_odds")
    prices = []
    for seed in range(12):
        game = NO_ERRORS.session(seed).execute(odds.name, {"sport": "icehockey_nhl", "regions": "us"}, odds).result
        prices += [outcome["price"] for bookmaker in game.get("bookmakers") or []
                   for market in bookmaker.get("markets") or [] for outcome in market.get("outcomes") or []
                   if "price" in outcome]
    assert prices and all(1.1 <= price <= 6.0 for price in prices), prices
    assert len(set(prices)) > len(prices) // 2  # not one price for every outcome


def test_a_sports_listing_describes_each_sport_as_that_sport(corpus):
    # the Odds API's /v4/sports: {"key": "tennis", "title": "hockey", "group": "caesar salad recipes",
    # "description": "Can we cancel the demo on Saturday"} before
    sports = corpus["Live_Sports_Odds_v4_sports"]
    seen = 0
    for seed in range(30):
        record = NO_ERRORS.session(seed).execute(sports.name, {}, sports).result
        key = record.get("key")
        sport = setting_of(str(key)).sport
        if sport is None:
            continue
        seen += 1
        if "title" in record:
            assert record["title"].lower() == str(key).replace("_", " "), record
        if "group" in record:
            assert setting_of(record["group"]).sport == sport, record
        if "description" in record:
            assert setting_of(record["description"]).sport in (sport, None), record
            assert not any(word in record["description"].lower() for word in ("meeting", "demo", "trip", "recipe"))
    assert seen >= 10


def test_a_countrys_time_zones_are_its_cities_own():
    # every listed city took the zone of the first place Faker knows: Sydney and Melbourne in Perth's,
    # Vancouver and Calgary in Toronto's
    zones = [places.timezone("AU", random.Random(seed)) for seed in range(300)]
    assert zones.count("Australia/Perth") < len(zones) / 3 and "Australia/Sydney" in zones
    assert dict(places._places("CA"))["Vancouver"] == "America/Vancouver"
