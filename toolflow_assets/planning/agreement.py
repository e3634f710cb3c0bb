"""Arguments of one call that agree with each other: one rule per relation, read by the planner (which
repairs what it drew) and by the quality stage (which flags what a dialogue holds).

The offline planner draws each argument on its own, so a call could contradict itself; a reader sees at once
- an *order*: `year1=2022, year2=2015` for a year-on-year growth, a `start_date` after its `end_date`, a
  `min_price` above its `max_price` (the lower end is stated first; equal ends are a real one-day range);
- a *place*: origin city Pontevedra (a city of Buenos Aires province) with origin state code `AR-K`
  (Catamarca). Only where the country's table lists the city's subdivision (values/places.py); elsewhere
  the tables cannot tell, and nothing is said;
- a *shape*: a rectangle's length 20, width 22 and perimeter 183. Measures that over-determine one shape
  must be the ones the others fix, solved as execution/properties.py solves an attribute asked for.

Each finding carries the values that would make the call agree (`fix`), so the planner repairs with the same
rule the check applies.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

# `_measures` reads argument names as measures exactly as the executor's solver does; a second copy of its
# table here would drift from it
from ..execution.properties import _measures, property_answer
from ..values import name_tokens
from ..values.places import COUNTRIES, cities_of, listed_cities


@dataclass(frozen=True)
class Disagreement:
    relation: str  # "order", "place" or "shape"
    names: tuple[str, ...]  # the arguments that contradict each other
    reason: str
    fix: Mapping[str, Any] = field(default_factory=dict)  # new values that make them agree; empty: none known


# --- order: the lower end of a pair first -------------------------------------------------------------------
# (lower word, upper word, what the pair may hold): "any" numbers or dates, "time" only dates and times (a
# `from_base=10, to_base=2` conversion has no order), "year" only under a name that is a year or date
_ORDERED = (("start", "end", "counted"), ("begin", "end", "counted"), ("min", "max", "any"),
            ("minimum", "maximum", "any"), ("lower", "upper", "any"), ("low", "high", "any"),
            ("from", "to", "time"), ("since", "until", "time"), ("in", "out", "check"), ("1", "2", "year"),
            ("initial", "final", "year"))
# the rest of a start/end name under which numbers are ordered (a start_value above its end_value is a loss,
# a start_latitude above its end_latitude a trip south)
_COUNTED = frozenset({"year", "date", "time", "day", "month", "hour", "minute", "index", "page", "row", "line",
                      "position", "offset", "age", "number", "range", "week", "timestamp"})
_TIME_WORDS = frozenset({"date", "time", "year", "day", "timestamp", "datetime", "month"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"^\d{2}:\d{2}(?::\d{2})?$")


def _split(name: str, word: str) -> tuple[str, ...] | None:
    """The name's words without `word` (its end), or None when `word` is not one of them."""
    words = name_tokens(name)
    if word not in words:
        return None
    index = words.index(word)
    return words[:index] + words[index + 1:]


def _comparable(a: Any, b: Any, kind: str, rest: tuple[str, ...]) -> tuple[Any, Any] | None:
    """The two values as things an order applies to, or None when the pair has no order."""
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
    if isinstance(a, str) and isinstance(b, str):
        for pattern, width in ((_ISO_DATE, 10), (_CLOCK, 8)):
            if pattern.match(a) and pattern.match(b):
                # a date and a date-time compare by their day; two clocks or two date-times as written
                return (a, b) if len(a) == len(b) else (a[:width], b[:width])
        return None
    if not numbers:
        return None
    if kind == "any":
        return a, b
    if kind == "counted" and (not rest or set(rest) <= _COUNTED):
        return a, b
    if kind in ("time", "year", "check") and rest and set(rest) <= _TIME_WORDS:
        return a, b  # `from_year` / `to_year`, `year1` / `year2` (never `year1_revenue` / `year2_revenue`)
    return None


def order_disagreements(arguments: Mapping[str, Any]) -> list[Disagreement]:
    """Pairs whose lower end holds a larger value than its upper end; the fix swaps them."""
    found: list[Disagreement] = []
    names = list(arguments)
    for lower_word, upper_word, kind in _ORDERED:
        for low in names:
            rest = _split(low, lower_word)
            if rest is None or (kind == "check" and "check" not in rest):
                continue
            for high in names:
                if high == low or _split(high, upper_word) != rest:
                    continue
                if kind == "year" and not set(rest) & _TIME_WORDS:
                    continue  # `option1` / `option2` have no order
                pair = _comparable(arguments[low], arguments[high], kind, rest)
                if pair is not None and pair[0] > pair[1]:
                    found.append(Disagreement(
                        "order", (low, high), f"{low} = {arguments[low]} comes after {high} = {arguments[high]}",
                        {low: arguments[high], high: arguments[low]}))
    return found


# --- place: a city in the subdivision stated beside it --------------------------------------------------------
_CITY_WORDS = frozenset({"city", "town", "locality"})
_REGION_WORDS = frozenset({"state", "province", "region"})


def _subdivision_codes(value: str) -> list[tuple[str, bool]]:
    """(ISO 3166-2 code, whether the value was the code) of each subdivision with tables a value names."""
    wanted = value.strip().casefold()
    found = []
    for country in COUNTRIES.values():
        if not country.cities_in:
            continue  # no table of cities by subdivision: it cannot tell
        for name, code in country.subdivisions:
            if wanted == code.casefold():
                found.append((code, True))
            elif wanted == name.casefold():
                found.append((code, False))
    return found


def _province_of(city: str, country_code: str) -> str | None:
    country = COUNTRIES[country_code]
    return next((code for code, cities in country.cities_in if city in cities), None)


def place_pairs(names: Iterable[str]) -> list[tuple[str, str]]:
    """(city, state or province) names of one place in a call (`normalizeCityNameSrc`, `stateIsoCodeSrc`; never
    the origin's city with the destination's state)."""
    names = list(names)
    pairs = []
    for city_name in names:
        city_word = next((w for w in name_tokens(city_name) if w in _CITY_WORDS), None)
        if city_word is None:
            continue
        rest = set(_split(city_name, city_word) or ()) - {"name", "normalize"}
        for region_name in names:
            region_word = next((w for w in name_tokens(region_name) if w in _REGION_WORDS), None)
            if region_word is not None and region_name != city_name and \
                    set(_split(region_name, region_word) or ()) - {"name", "iso", "code"} == rest:
                pairs.append((city_name, region_name))
    return pairs


def home_subdivision(city: str, region_name: str) -> str | None:
    """The subdivision a table lists the city in, as a code when the region's name says code (`stateIsoCode`),
    else by name; None where no table lists it."""
    for country in COUNTRIES.values():
        own = _province_of(city, country.code)
        if own is not None:
            return own if set(name_tokens(region_name)) & {"code", "iso"} else _name_of(own)
    return None


def cities_elsewhere(city: str) -> list[str]:
    """The cities a table lists in the country of `city`, outside its subdivision (in the table's order)."""
    for country in COUNTRIES.values():
        own = _province_of(city, country.code)
        if own is not None:
            return [c for code, cities in country.cities_in if code != own for c in cities]
    return []


def place_disagreements(arguments: Mapping[str, Any]) -> list[Disagreement]:
    """A city and its state or province given together where the table lists the city in another
    subdivision; the fix names the city's own subdivision, in the form given."""
    found: list[Disagreement] = []
    for city_name, region_name in place_pairs(arguments):
        city, region = arguments[city_name], arguments[region_name]
        if not isinstance(city, str) or not isinstance(region, str):
            continue
        codes = _subdivision_codes(region)
        agreeing = [code for code, _ in codes if city in cities_of(code) or
                    city.casefold() == _name_of(code).casefold()]
        known = [code for code, _ in codes if city in listed_cities(code[:2])]
        if agreeing or not known:
            continue
        code, as_code = next((c, k) for c, k in codes if c in known)
        own = _province_of(city, code[:2])
        fix = {region_name: own if as_code else _name_of(own)} if own else {}
        found.append(Disagreement("place", (city_name, region_name),
                                  f"{city_name} = {city} is not in {region_name} = {region}", fix))
    return found


def _name_of(code: str) -> str:
    return next((name for name, c in COUNTRIES[code[:2]].subdivisions if c == code), code)


# --- shape: measures of one shape that the others fix -----------------------------------------------------
_DERIVED = frozenset({"area", "perimeter", "diagonal", "circumference"})

def _close(given: float, expected: float) -> bool:
    # a user rounds: 84 for 83.99, 9.43 for 9.434
    return math.isclose(given, expected, rel_tol=0.01, abs_tol=0.01)


def shape_disagreements(words: Iterable[str], measures: Mapping[str, Any],
                        changeable: Iterable[str] | None = None) -> list[Disagreement]:
    """Measures of the one shape a tool names (`words`: its name and description) that the other measures fix
    to another value: the rectangle 20 by 22 has perimeter 84, not 183. The fix gives the first changeable
    measure (all, by default) the value the others fix."""
    numbers = {k: float(v) for k, v in measures.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    tokens = set(words)
    if _measures(numbers) is None:
        return []  # a number that is no measure, or one measure under two names (`width`, `breadth`): unread
    wrong: list[tuple[str, float]] = []
    for name in numbers:
        others = {k: v for k, v in numbers.items() if k != name}
        answer = property_answer(tokens, others, {"property": name}) if others else None
        if answer is not None and not _close(numbers[name], answer[1]):
            wrong.append((name, answer[1]))
    if not wrong:
        return []
    allowed = set(measures if changeable is None else changeable)
    fixable = [(n, v) for n, v in wrong if n in allowed]
    fix: dict[str, Any] = {}
    if fixable:
        # a derived measure is the one to change (the perimeter of the sides stated, not a side)
        derived = [(n, v) for n, v in fixable if set(name_tokens(n)) & _DERIVED]
        name, value = (derived or fixable)[-1]
        whole = isinstance(measures[name], int) and math.isclose(value, round(value), abs_tol=1e-9)
        fix = {name: round(value) if whole else round(value, 2)}
    names = tuple(n for n, _ in wrong)
    target = next(iter(fix), names[-1])
    shown = ", ".join(f"{k} = {measures[k]}" for k in measures if k in numbers)
    return [Disagreement("shape", names, f"{shown} are not one shape ({target} would be "
                                         f"{round(dict(wrong)[target], 2)})", fix)]


def tool_words(name: str, description: str) -> set[str]:
    """The words that name a tool's shape, as the executor reads them (its name and the description's start)."""
    return set(name_tokens(name)) | set(name_tokens(description)[:12])


def disagreements(arguments: Mapping[str, Any], words: Iterable[str] = (), measures: Mapping[str, Any] | None = None,
                  changeable: Iterable[str] | None = None) -> list[Disagreement]:
    """Every relation one call's arguments break; `measures` are the shape's (the call's own by default, with
    an earlier call's where that call fed this one), `changeable` the measures a fix may change."""
    return [*order_disagreements(arguments), *place_disagreements(arguments),
            *shape_disagreements(words, arguments if measures is None else measures, changeable)]


_SHAPES = ("rectangle", "square", "circle", "triangle")


def shape_named(words: Iterable[str]) -> str | None:
    """The one shape a tool's words name, or None (none, or several)."""
    named = [shape for shape in _SHAPES if shape in set(words)]
    return named[0] if len(named) == 1 else None


def chained_measures(arguments: Mapping[str, Any], fed: Iterable[str],
                     producer_arguments: Mapping[str, Any]) -> dict[str, Any]:
    """A call fed a measure by an earlier call on the same shape is about that shape: its own measures beside
    the ones that fixed the producer's (rectangle_area(length=20, width=22) → area → get_rectangle_property(
    area, perimeter=183) holds length 20, width 22 and perimeter 183, one rectangle)."""
    fed = set(fed)
    merged = {k: v for k, v in arguments.items() if k not in fed}
    for key, value in producer_arguments.items():
        merged.setdefault(key, value)
    return merged
