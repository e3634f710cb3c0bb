"""Fields of one record that name the same thing agree: a `sport_key` "cricket" sits beside a `sport_title`
"Cricket", never "hockey"; and a record's key is of the thing its call asked for.

Value synthesis draws each field on its own, so a record could name two things at once (an odds result for
cricket titled hockey; a scores result for a call about cricket titled basketball). The rule: a `<thing>_title`
or `<thing>_name` field follows the readable key of the same thing, from the record itself (`sport_key`,
`sport_slug`, `sport`) or, where the record has none, from the call that asked (`sport="cricket"`). A key that
is an opaque id ("SPO-82182") says nothing readable and is left alone. The synthesizer applies it to every
object it builds, and the simulated executor again after it stamped the call's values into a result.

The same holds for the teams of a record: a game's `home_team` and `away_team` are of the sport the call
asked for (`sport="basketball_nba"`), else of the setting's sport (settings: the executor's includes the
call's), else of the sport the record names (`sport_key`, `sport_title`, `league`), else of the sport of
its first team: never the Lakers against Arsenal. A team the kernel drew of another sport is replaced by
one of this sport, chosen from the drawn name (so the same seed gives the same record), distinct from the
record's other teams; a province's record names the province its ISO code stands for ("AR-X": Cordoba).
"""

from __future__ import annotations

import random
import re
import zlib
from typing import Any, Collection, Mapping

from ..mentions import field_key, name_tokens
from ..typed_values import typed_text
from .places import COUNTRIES, cities_of, listed_cities
from .settings import (ALL_TEAMS, INDIVIDUAL_SPORTS, LEAGUES, TEAMS, TOURNAMENTS, current_setting, sport_in,
                       sport_of_value)

_NAMING = frozenset({"title", "name"})
# a key of the thing, not a code: a `country_code` "us" is no name, "Us"
_KEY_WORDS = ("key", "slug")
# a person's handle ("jsmith") is no form of their name
_PEOPLE = frozenset("user customer author owner player person member contact employee driver guest patient student "
                    "artist sender recipient".split())
# a readable key: lower-case words joined by _, - or spaces ("cricket", "americanfootball_nfl"), no digits, and
# longer than a code ("us", "en")
_READABLE = re.compile(r"^(?=.{4})[a-z]+(?:[_\- ][a-z]+)*$")


def slug(text: str) -> str:
    """A key for a readable name: "Real Madrid" → `real_madrid`."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def titled(key: str) -> str:
    """A name for a readable key: `americanfootball_nfl` → "Americanfootball Nfl", `cricket` → "Cricket"."""
    return " ".join(word.capitalize() for word in re.split(r"[_\- ]+", key) if word)


def _readable(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and _READABLE.match(value.strip()) else None


def _key_of(owner: tuple[str, ...], values: Mapping[str, Any]) -> str | None:
    """The readable key `values` hold for the thing `owner` names (`sport_key`, `sport_slug`, `sport`)."""
    wanted = {field_key("_".join(owner))} | {field_key("_".join((*owner, word))) for word in _KEY_WORDS}
    for key, value in values.items():
        if field_key(key) in wanted and _readable(value):
            return _readable(value)
    return None


def asked_key(field: str, asked: Mapping[str, Any]) -> str | None:
    """The readable value the call asked `<thing>` for, where `field` is that thing's key (`sport_key` and
    `sport="cricket"` → "cricket"): the value the record's key holds (agree_names), also where a later call
    reads it."""
    words = name_tokens(field)
    if len(words) < 2 or words[-1] not in _KEY_WORDS:
        return None
    wanted = field_key("_".join(words[:-1]))
    return next((_readable(v) for k, v in asked.items() if field_key(k) == wanted and _readable(v)), None)


_TEAM_FIELDS = frozenset({"team", "teams", "club", "clubs"})


def _sport_of_team(name: str) -> str | None:
    return next((sport for sport, teams in TEAMS.items() if name in teams), None)


def _agree_teams(record: dict[str, Any], sport: str | None, fixed: Collection[str]) -> None:
    """The teams of one record, of one sport (see the module doc); values the kernel did not draw (a team the
    user named, an argument's echo in `fixed`) stay."""
    keys = [k for k, v in record.items() if isinstance(v, str) and v in ALL_TEAMS and field_key(k) not in fixed
            and name_tokens(k)[-1:] and name_tokens(k)[-1] in _TEAM_FIELDS]
    if not keys:
        return
    sport = sport or _sport_of_team(record[keys[0]])
    if sport is None:
        return
    used: set[str] = {v for k, v in record.items() if k not in keys and isinstance(v, str)}
    for key in keys:
        value = record[key]
        if sport not in INDIVIDUAL_SPORTS and value in TEAMS.get(sport, ()) and value not in used:
            used.add(value)
            continue
        rng = random.Random(zlib.crc32(f"{key}:{value}".encode()))  # from the drawn value: the seed decides
        if sport in INDIVIDUAL_SPORTS:  # a tennis match's "home team" is a player
            choice = typed_text("person", rng)
        else:
            pool = [t for t in TEAMS.get(sport, ()) if t not in used] or list(TEAMS.get(sport, (value,)))
            choice = rng.choice(pool)
        record[key] = choice
        used.add(choice)


_SUBDIVISION_OF = {iso: name for country in COUNTRIES.values() for name, iso in country.subdivisions}
_SUBDIVISION_NAMES = frozenset(_SUBDIVISION_OF.values())
_PLACE_FIELDS = frozenset({"name", "state", "province", "region", "subdivision"})


def _agree_subdivision(record: dict[str, Any], fixed: Collection[str]) -> None:
    """A province's record names the province its ISO code stands for: `iso_code` "AR-X" beside `name`
    "Cordoba", never "La Rioja". Only a record of one code (a quote from AR-B to AR-X names two places)."""
    codes = [v for v in record.values() if isinstance(v, str) and v in _SUBDIVISION_OF]
    if len(codes) != 1:
        return
    name = _SUBDIVISION_OF[codes[0]]
    for key, value in record.items():
        if isinstance(value, str) and value in _SUBDIVISION_NAMES and value != name and field_key(key) not in fixed \
                and _PLACE_FIELDS & set(name_tokens(key)):
            record[key] = name
    _agree_cities(record, codes[0], fixed)


_CITY_FIELDS = frozenset({"city", "cities", "town", "towns"})


def _agree_cities(record: dict[str, Any], code: str, fixed: Collection[str]) -> None:
    """The cities of a province's record are in that province (`stateIsoCode` "AR-Q": Neuquen, Zapala; never
    Salta). Only cities the country's table places elsewhere are replaced, chosen from the drawn name."""
    own, listed = cities_of(code), listed_cities(code[:2])
    if not own:
        return
    for key, value in list(record.items()):
        if field_key(key) in fixed or not _CITY_FIELDS & set(name_tokens(key)):
            continue
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values) or not any(v in listed and v not in own for v in values):
            continue
        pool = [c for c in own if c not in values]
        fitted: list[str] = []
        for item in values:
            if item in listed and item not in own:
                if isinstance(value, list) and not pool:
                    continue  # the province's table has no other city: a list names each one once
                rng = random.Random(zlib.crc32(f"{key}:{item}".encode()))
                item = rng.choice(pool or list(own))
                pool = [c for c in pool if c != item]
            if item not in fitted or not isinstance(value, list):
                fitted.append(item)
        record[key] = fitted if isinstance(value, list) else fitted[0]


def _name_outcomes(value: Any, teams: list[str], fixed: Collection[str], depth: int, inside: bool = False,
                   trail: str = "") -> None:
    """The `name` of each outcome under a game (`bookmakers[].markets[].outcomes[]` of an odds record) is one
    of the game's two teams, in turn, and its `price` a decimal price (`trail`: where the outcome sits, so two
    bookmakers quote their own prices)."""
    if depth > 8:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _name_outcomes(item, teams, fixed, depth + 1, name_tokens(key)[-1:] == ("outcomes",), f"{trail}.{key}")
    elif isinstance(value, list):
        if inside and teams and "name" not in fixed and sum(isinstance(i, dict) for i in value) > 2:
            del value[2:]  # a game's outcomes are its two teams; a third was the first team again
        for index, item in enumerate(value):
            if inside and teams and isinstance(item, dict) and isinstance(item.get("name"), str) \
                    and "name" not in fixed:
                item["name"] = teams[index % 2]
            price = item.get("price") if inside and isinstance(item, dict) else None
            if isinstance(price, (int, float)) and not isinstance(price, bool) and "price" not in fixed:
                item["price"] = decimal_odds(f"{trail}[{index}]:{item.get('name')}:{price}")
            _name_outcomes(item, teams, fixed, depth + 1, trail=f"{trail}[{index}]")


def decimal_odds(seed: str) -> float:
    """A bookmaker's decimal price, 1.15 to 6.00, chosen by the drawn value (a price of 1 pays nothing back;
    a price of 2,500 is a money amount, not odds)."""
    return round(1.15 + (zlib.crc32(seed.encode()) % 486) / 100, 2)


_SPORT_NAMES = {"americanfootball": "American Football", "icehockey": "Ice Hockey", "mma": "Mixed Martial Arts"}


def _agree_sport_record(record: dict[str, Any], fixed: Collection[str]) -> None:
    """A sport's own record (the Odds API's `/v4/sports`: `{key, title, group, description}`) speaks of that
    sport: its bare `title` is the key's ("tennis" titled "hockey" before), its `group` the sport and its
    `description` one of its leagues or tournaments, never a drawn text ("caesar salad recipes")."""
    key = _readable(record.get("key"))
    sport = sport_of_value(key) if key else None
    title = record.get("title")
    if sport is None and isinstance(title, str) and sport_of_value(title) and "key" in record and "key" not in fixed:
        key, sport = slug(title), sport_of_value(title)  # an opaque key beside a sport's title: the sport's key
        record["key"] = key
    if sport is None:
        return
    if isinstance(record.get("title"), str) and "title" not in fixed and slug(record["title"]) != slug(key or ""):
        record["title"] = titled(key or "")
    if isinstance(record.get("group"), str) and "group" not in fixed:
        record["group"] = _SPORT_NAMES.get(sport, titled(sport))
    events = LEAGUES.get(sport, ()) + TOURNAMENTS.get(sport, ())
    if isinstance(record.get("description"), str) and "description" not in fixed and events:
        record["description"] = events[zlib.crc32(str(record["description"]).encode()) % len(events)]


def keys_asked(record: Mapping[str, Any], asked: Mapping[str, Any] | None,
               fixed: Collection[str] = ()) -> dict[str, str]:
    """The readable `<thing>_key` fields of one record with the value the call asked `<thing>` for (`asked_key`):
    a scores record for `sport="tennis"` has `sport_key` "tennis". An opaque key ("SPO-82182") says no readable
    thing and stays, as do fields in `fixed`. The rule the executor sets keys by and result_consistency reads."""
    if not asked:
        return {}
    found: dict[str, str] = {}
    for key, value in record.items():
        wanted = asked_key(key, asked) if field_key(key) not in fixed and _readable(value) else None
        if wanted is not None:
            found[key] = wanted
    return found


def agree_names(record: Any, asked: Mapping[str, Any] | None = None, fixed: Collection[str] = (),
                depth: int = 0, sport: str | None = None) -> Any:
    """`record` (in place, at any depth) with each `<thing>_title` / `<thing>_name` text stating the readable
    key of the same thing: its own record's, else `asked`'s (the call's arguments, for the top-level record),
    and each readable `<thing>_key` the readable value the call asked `<thing>` for; and its teams of one
    sport (`sport`: the one a record around it names, else the call's, else the setting's).
    Fields whose `field_key` is in `fixed` (named like an argument, read by a later call) keep their value."""
    if depth > 6:
        return record
    sport = sport or sport_in(asked) or current_setting().sport
    if isinstance(record, list):
        for item in record:
            agree_names(item, None, fixed, depth + 1, sport)
        return record
    if not isinstance(record, dict):
        return record
    record.update(keys_asked(record, asked, fixed))  # its `sport_key` is the sport asked for (`sport="cricket"`)
    # the sport the call asked for (or the setting's) wins over a record's own: the executor stamps the call's
    # sport into the record afterwards, so a drawn `sport_key` "tennis" must not make its teams players
    sport = sport or sport_in(record)
    _agree_teams(record, sport, fixed)
    _agree_subdivision(record, fixed)
    _agree_sport_record(record, fixed)
    teams = [v for k, v in record.items() if isinstance(v, str) and name_tokens(k)[-1:] == ("team",)]
    if len(teams) == 1 and sport in TEAMS:  # the other side left out: the outcomes still name two of its sport's
        others = [t for t in TEAMS[sport] if t != teams[0]]
        teams.append(others[zlib.crc32(teams[0].encode()) % len(others)])
    # a game's odds are on its own sides: its outcomes name its teams, not passers-by, at decimal prices
    _name_outcomes(record, teams if len(teams) == 2 else [], fixed, 0)
    for key, value in list(record.items()):
        if isinstance(value, (dict, list)):
            agree_names(value, None, fixed, depth + 1, sport)
    for key, value in list(record.items()):
        if isinstance(value, (dict, list)):
            continue
        words = name_tokens(key)
        if len(words) < 2 or words[-1] not in _NAMING or not isinstance(value, str) or field_key(key) in fixed:
            continue
        owner = words[:-1]
        if owner[-1] in _PEOPLE:
            continue
        readable = _key_of(owner, record) or (_key_of(owner, asked) if asked else None)
        if readable is not None and slug(value) != slug(readable):
            record[key] = titled(readable)
    return record
