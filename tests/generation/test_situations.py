"""A dialogue's user has a situation drawn from the planned tools' domain, and says parameters as a person
would: the text reads like different people, and every value the checks need is still said verbatim."""

from __future__ import annotations

import random
import re

from toolflow_assets.generation.chat_turns import greeting, thanks
from toolflow_assets.generation.contexts import domain_of, domain_topic, draw_situation
from toolflow_assets.generation.language import Persona, said_labels, value_clause
from toolflow_assets.planning.phrasing import spoken_label
from toolflow_assets.tools import Tool


def _tool(name: str, description: str, category: str) -> Tool:
    return Tool(tool_id=name, name=name, description=description, parameters={"type": "object", "properties": {}},
                returns=None, source="s", source_format="rapidapi", category=category)


ODDS = _tool("Live_Sports_Odds_v4_sports_sport_odds", "Returns list of live and upcoming games for a given sport.",
             "Sports")
QUOTE = _tool("Transportistas_de_Argentina_quotes_postcode", "List of quote for postcode in Correo Argentino.",
              "Logistics")
BLANK = _tool("SQUAKE_Checkhealth", "", "Other")


def test_api_shorthand_is_said_as_words_a_person_uses():
    assert spoken_label("normalizeCityNameSrc") == "origin city"
    assert spoken_label("postCodeDst") == "destination postcode"
    assert spoken_label("stateIsoCodeSrc") == "origin state code"
    assert spoken_label("fromPublishedDate") == "earliest published date"
    assert spoken_label("q") == "search terms"
    assert spoken_label("task_id") == "task id" and spoken_label("sport") == "sport"  # plain names stay


def test_two_parameters_that_would_sound_alike_keep_their_own_words():
    # "city" and "city_name" both say "city": the user would seem to give one city two values
    assert said_labels(["city", "city_name"]) == {"city": "city", "city_name": "city name"}
    assert said_labels(["normalizeCityNameSrc", "normalizeCityNameDst"]) == {
        "normalizeCityNameSrc": "origin city", "normalizeCityNameDst": "destination city"}


def test_values_are_still_said_verbatim_under_their_spoken_label():
    persona = Persona(style="direct", verbosity="detailed")
    texts = {" ".join(value_clause(random.Random(seed), persona, [("normalizeCityNameSrc", "Rosario"),
                                                                   ("postCodeDst", "5500")]))
             for seed in range(60)}
    assert all("Rosario" in t and "5500" in t for t in texts)
    assert any("origin city" in t for t in texts) and not any("normalize" in t or " src" in t for t in texts)


def test_the_domain_comes_from_the_tools_own_words_and_none_when_they_name_none():
    assert domain_of([ODDS]) == "sports"
    assert domain_of([QUOTE, BLANK]) == "shipping"
    assert domain_of([BLANK]) is None
    assert draw_situation(random.Random(1), [BLANK], "detailed") is None


def test_the_matter_is_named_in_a_persons_words_not_the_apis():
    # "I'm stuck on a task question", "That cities states question was bugging me" named an endpoint
    TASK = _tool("Transportistas_de_Argentina_tracking_correo_argentino_create_task", "Create task to get the history.",
                 "Logistics")
    topics = {domain_topic([TASK, QUOTE], choice) for choice in range(6)}
    assert topics and topics <= {"shipping", "parcel tracking", "delivery"}
    assert domain_topic([BLANK], 0) is None  # no domain: the tool's own noun is all there is


def test_situations_differ_from_user_to_user_and_carry_no_value():
    drawn = [draw_situation(random.Random(seed), [QUOTE], "normal") for seed in range(200)]
    told = [s for s in drawn if s is not None]
    assert 0.6 < len(told) / len(drawn) < 0.95  # most users say why, not all
    assert len({s.sentence for s in told}) > 60  # people, relatives and times vary, not one stock line
    assert not any(re.search(r"\d", s.sentence + s.purpose) for s in told)  # nothing a check reads as an argument
    assert all(s.sentence[0].isupper() and s.sentence.endswith(".") and s.purpose for s in told)
    terse = [draw_situation(random.Random(seed), [QUOTE], "terse") for seed in range(200)]
    assert sum(s is not None for s in terse) < sum(s is not None for s in drawn)


def test_a_greeting_may_tell_the_situation_and_thanks_come_back_to_its_purpose():
    situation = draw_situation(random.Random(3), [ODDS], "detailed")
    assert situation is not None
    persona = Persona(style="casual", verbosity="normal")
    greetings = [greeting(random.Random(seed), persona, "sport odds", situation) for seed in range(40)]
    told = [(text, reply) for text, reply in greetings if situation.sentence in text]
    assert told and all(situation.purpose in reply for _, reply in told)
    said = [" ".join(thanks(random.Random(seed), persona, None, "sport odds", situation.purpose)) for seed in range(40)]
    assert any(situation.purpose in text for text in said)
    assert not any(situation.purpose in " ".join(thanks(random.Random(seed), persona, None, "sport odds"))
                   for seed in range(40))  # a purpose never told is never thanked for


def test_a_home_and_an_away_side_are_told_as_one_fixture_with_both_values():
    from toolflow_assets.generation.answers import ResultView, result_sentence
    from toolflow_assets.generation.record_forms import paired
    from toolflow_assets.generation.result_views import facts_of

    result = {"away_team": "Celtics", "commence_time": "19:30", "home_team": "Lakers", "sport_key": "basketball"}
    facts = facts_of(result, {"sport": "basketball"}, limit=1)
    assert ("away team", "Celtics") in facts and ("home team", "Lakers") in facts  # half a game says nothing
    said = {result_sentence(random.Random(seed), ResultView("read", "sport odds", "got", tuple(facts)))
            for seed in range(30)}
    assert all("Celtics" in s and "Lakers" in s for s in said)  # the claims check still finds both
    assert not any("home team" in s or "away team" in s for s in said)
    # a result whose two sides are one value (or lack a partner) is told field by field
    assert paired(random.Random(0), [("away team", "Celtics")]) == [("away team", "Celtics")]


def test_a_plural_parameter_is_woven_where_the_request_names_one():
    from toolflow_assets.planning.weaving import weave_values

    action = "get the live games for a sport, showing bookmaker odds for the region"
    woven = [weave_values(random.Random(seed), action, [("regions", "us")]) for seed in range(20)]
    assert any(names == {"regions"} for _, names in woven)
    assert all(("region us" in text) == (names == {"regions"}) for text, names in woven)  # said where it belongs
    assert not any(" for us" in text for text, _ in woven)  # never a bare "for us" that reads as "for ourselves"
    status = [weave_values(random.Random(seed), "check the statu of an order", [("status", "open")])[1]
              for seed in range(20)]
    assert not any(status)  # "status" is no plural of "statu"
