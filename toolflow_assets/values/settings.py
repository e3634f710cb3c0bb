"""The wider context of a value: the country and the sport a tool is about.

A parameter's own name and description rarely say that its tool is an Argentine carrier's or a basketball
league's; the tool's name and description do ("Transportistas de Argentina", "NBA scores"). A value drawn
without them reads wrong at once: an Argentine carrier quoted between `US-OH` and 94105, a basketball game
between Arsenal and Bayern Munich. The rule, one for the planner's argument values and the simulated
executor's results (both synthesize through this kernel):
- `setting_of(text)` reads the country and the sport a text names; a text naming two countries (a flight
  from Germany to France) or two sports (a list of all sports) has none of that kind: it is about no one;
- `tool_setting(tool)` is the setting of a tool's name, description and category;
- inside `in_setting(setting)` (the synthesizer enters it for a value; the executor for a whole result) the
  kernel's places, postcodes, phones, currencies and time zones are the country's (`places`), and a team is
  one of the sport's (`team`). Outside any setting, values are as before (U.S. and world places).

A setting is a pure function of text, so values stay a function of the seed.
"""

from __future__ import annotations

import contextlib
import contextvars
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Mapping

from ..mentions import name_tokens
from ..typed_values import typed_text
from . import lexicons as L
from . import places


@dataclass(frozen=True)
class Setting:
    country: str | None = None  # ISO 3166-1 alpha-2 of a country in `places.COUNTRIES`
    sport: str | None = None  # a key of `TEAMS` or of `INDIVIDUAL_SPORTS`


NO_SETTING = Setting()

# the words that name a country (its name, its adjective, its own spelling); never a language's name alone
# ("translate to Spanish" is about no country)
_COUNTRY_WORDS: dict[str, tuple[str, ...]] = {
    "AR": ("argentina", "argentine", "argentinian", "argentino", "argentinos"),
    "TR": ("turkey", "turkish", "turkiye"),
    "BR": ("brazil", "brazilian", "brasil"),
    "MX": ("mexico", "mexican"),
    "CA": ("canada", "canadian"),
    "IN": ("india", "indian"),
    "DE": ("germany", "deutschland"),
    "ES": ("spain", "espana"),
    "FR": ("france",),
    "IT": ("italy", "italia"),
    "GB": ("uk", "britain", "british", "england", "scotland", "wales"),
    "AU": ("australia", "australian"),
    "US": ("usa", "america", "american"),  # named so that a U.S. tool beside another country is about neither
}
_COUNTRY_OF = {word: code for code, words in _COUNTRY_WORDS.items() for word in words}

# the words that name a sport: its name, its leagues and their keys (The Odds API's `basketball_nba`)
_SPORT_WORDS: dict[str, tuple[str, ...]] = {
    "basketball": ("basketball", "nba", "wnba", "euroleague", "ncaab"),
    "americanfootball": ("nfl", "ncaaf", "americanfootball"),
    "soccer": ("soccer", "football", "epl", "laliga", "bundesliga", "mls", "uefa", "fifa"),
    "baseball": ("baseball", "mlb"),
    "icehockey": ("hockey", "nhl", "icehockey"),
    "cricket": ("cricket", "ipl"),
    "rugby": ("rugby",),
    "tennis": ("tennis", "atp", "wta"),
    "golf": ("golf", "pga"),
    "boxing": ("boxing",),
    "mma": ("mma", "ufc"),
}
_SPORT_OF = {word: sport for sport, words in _SPORT_WORDS.items() for word in words}
_AMERICAN_FOOTBALL = re.compile(r"\bamerican[\s_-]*football\b", re.IGNORECASE)

# clubs of each team sport: real names a reader knows, so a basketball game is between basketball teams
TEAMS: dict[str, tuple[str, ...]] = {
    "basketball": ("Lakers", "Celtics", "Warriors", "Bulls", "Knicks", "Heat", "Nuggets", "Bucks", "Suns",
                   "Mavericks"),
    "soccer": ("Arsenal", "Real Madrid", "Bayern Munich", "Barcelona", "Juventus", "Liverpool", "Boca Juniors",
               "River Plate", "Manchester City", "Ajax"),
    "baseball": ("Yankees", "Dodgers", "Red Sox", "Cubs", "Astros", "Mets", "Braves", "Cardinals"),
    "icehockey": ("Maple Leafs", "Canadiens", "Bruins", "Oilers", "Penguins", "Blackhawks", "Red Wings"),
    "americanfootball": ("Chiefs", "Eagles", "Packers", "Cowboys", "49ers", "Patriots", "Steelers"),
    "cricket": ("Mumbai Indians", "Chennai Super Kings", "Kolkata Knight Riders", "Sydney Sixers",
                "Perth Scorchers", "Rajasthan Royals"),
    "rugby": ("Leinster", "Saracens", "Toulouse", "Crusaders", "Munster", "Leicester Tigers"),
}
# the leagues and tournaments of each sport: a basketball tool's league is the NBA, never the Premier League
LEAGUES: dict[str, tuple[str, ...]] = {
    "basketball": ("NBA", "EuroLeague", "WNBA"),
    "soccer": ("Premier League", "La Liga", "Serie A", "Bundesliga", "Ligue 1", "MLS"),
    "baseball": ("MLB",), "icehockey": ("NHL",), "americanfootball": ("NFL",),
    "cricket": ("IPL", "Big Bash League"), "rugby": ("Premiership Rugby", "Top 14"),
}
TOURNAMENTS: dict[str, tuple[str, ...]] = {
    "soccer": ("Champions League", "World Cup", "Copa America", "Europa League"),
    "tennis": ("Wimbledon", "US Open", "Roland Garros", "Australian Open"),
    "basketball": ("NBA Finals", "EuroBasket"), "cricket": ("Cricket World Cup", "Ashes"),
    "golf": ("The Masters", "The Open Championship"), "rugby": ("Rugby World Cup", "Six Nations"),
}
# sports of one player a side: their "teams" (The Odds API's `home_team` of a tennis match) are people
INDIVIDUAL_SPORTS = frozenset({"tennis", "golf", "boxing", "mma"})
ALL_TEAMS = frozenset(team for teams in TEAMS.values() for team in teams)


def _one(found: set[str]) -> str | None:
    return next(iter(found)) if len(found) == 1 else None


@lru_cache(maxsize=16_384)
def setting_of(text: str) -> Setting:
    """The country and the sport `text` names, each only where it names exactly one."""
    words = name_tokens(text or "")
    countries = {_COUNTRY_OF[w] for w in words if w in _COUNTRY_OF}
    if re.search(r"\bunited\s+states\b", text or "", re.IGNORECASE):
        countries.add("US")
    if re.search(r"\bunited\s+kingdom\b", text or "", re.IGNORECASE):
        countries.add("GB")
    american_football = bool(_AMERICAN_FOOTBALL.search(text or ""))
    sports = {_SPORT_OF[w] for w in words if w in _SPORT_OF}
    if american_football or ("americanfootball" in sports and "football" in words):
        # "american football", "NFL football": the football is no soccer
        sports = (sports - {"soccer"}) | {"americanfootball"}
    country = _one(countries)
    return Setting(country=country if country in places.COUNTRIES else None, sport=_one(sports))


def tool_setting(tool: Any, arguments: Mapping[str, Any] | None = None) -> Setting:
    """The setting of a tool (anything with a `name`, a `description` and, maybe, a `category`); with the
    `arguments` of a call, the sport the call asks for wins (`sport="basketball_nba"` of a tool for any
    sport: its result is a basketball game)."""
    text = " ".join(str(getattr(tool, key, "") or "") for key in ("name", "original_name", "description", "category"))
    setting = setting_of(text)
    asked = sport_in(arguments)
    return Setting(setting.country, asked) if asked and asked != setting.sport else setting


_SPORT_FIELDS = frozenset({"sport", "league", "competition", "tournament"})


def sport_in(values: Mapping[str, Any] | None) -> str | None:
    """The sport a record's or a call's sport field names (`sport_key` "basketball_nba", `league` "NHL")."""
    for key, value in (values or {}).items() if isinstance(values, Mapping) else ():
        if _SPORT_FIELDS & set(name_tokens(key)):
            sport = sport_of_value(value)
            if sport is not None:
                return sport
    return None


_CURRENT: contextvars.ContextVar[Setting] = contextvars.ContextVar("toolflow_value_setting", default=NO_SETTING)


def current_setting() -> Setting:
    return _CURRENT.get()


@contextlib.contextmanager
def in_setting(setting: Setting | None) -> Iterator[Setting]:
    """Values drawn inside are of `setting`; None (or an empty setting) keeps the one around it, so a
    synthesizer without a setting of its own inherits its caller's."""
    if setting is None or setting == NO_SETTING:
        yield current_setting()
        return
    token = _CURRENT.set(setting)
    try:
        yield setting
    finally:
        _CURRENT.reset(token)


def sport_of_value(value: Any) -> str | None:
    """The sport a short value names (`basketball_nba`, "Ice Hockey", "NBA"); None for another."""
    return setting_of(str(value)).sport if isinstance(value, str) and len(value) < 80 else None


def league(rng: random.Random) -> str:
    """A league of the current setting's sport, else any known league."""
    return rng.choice(LEAGUES.get(current_setting().sport or "", ()) or L.LEAGUES)


def tournament(rng: random.Random) -> str:
    """A tournament of the current setting's sport, else any known tournament."""
    return rng.choice(TOURNAMENTS.get(current_setting().sport or "", ()) or L.TOURNAMENTS)


def team(rng: random.Random, sport: str | None = None) -> str:
    """A team of `sport` (else of the current setting's sport): a club for a team sport, a player for a sport
    of one player a side, any known club where no sport is known."""
    sport = sport or current_setting().sport
    if sport in INDIVIDUAL_SPORTS:
        return typed_text("person", rng)
    return rng.choice(TEAMS.get(sport or "", ()) or L.SPORTS_TEAMS)


# the kinds of typed value (typed_values) that belong to a country
_LOCAL_KINDS = frozenset({"city", "state", "street", "address", "postcode", "phone", "currency", "timezone",
                          "location", "state_code", "subdivision_code"})


def local_value(kind: str, rng: random.Random) -> str | None:
    """A value of `kind` in the current setting's country ("Cordoba" for a city, "AR-X" for a subdivision
    code, "ARS" for a currency most of the time); None outside a country's setting, or for a kind that
    belongs to no country (a person, a date): the caller draws its usual value."""
    code = current_setting().country
    if code is None or kind not in _LOCAL_KINDS:
        return None
    country = places.COUNTRIES[code]
    if kind in ("city", "location"):  # a place where something is: a city of the country
        return places.city(code, rng)
    if kind == "timezone":
        return places.timezone(code, rng)
    if kind == "postcode":
        return places.postcode(code, rng)
    if kind == "phone":
        return places.phone(code, rng)
    if kind == "street":
        return places.street(code, rng)
    if kind == "address":
        return f"{places.street(code, rng)}, {places.city(code, rng)}, {places.postcode(code, rng)}"
    if kind == "currency":
        # mostly the country's own money; sometimes a major one (a quote in USD from an Argentine shop)
        return country.currency if rng.random() < 0.8 else rng.choice(("USD", "EUR"))
    subdivision = places.subdivision(code, rng)
    if subdivision is None:  # a country without a subdivision table: its city stands for the place
        return places.city(code, rng) if kind == "state" else None
    name, iso = subdivision
    if kind == "state":
        return name
    return iso  # a state_code, a subdivision_code


def local_postcode_range(name_is_postcode: bool) -> tuple[float, float] | None:
    """The range of a numeric postcode in the current setting's country (Argentina's 1000-9431), for a
    number named like a postcode; None elsewhere."""
    code = current_setting().country
    if not name_is_postcode or code is None or places.COUNTRIES[code].postcode is None:
        return None
    low, high, _ = places.COUNTRIES[code].postcode
    return low, high
