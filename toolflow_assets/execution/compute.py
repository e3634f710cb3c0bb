"""Right answers for simple computing tools, where the tool's name and parameters leave no doubt.

A dataset that teaches "a circle of radius 14 has area 151.22" teaches relaying nonsense. Where a tool is
plainly a shape formula, arithmetic on named operands, or a unit conversion, the simulated executor
computes the answer; anything ambiguous returns nothing and the result is synthesized as before.
`computed(tool, arguments)` gives {quantity: value} and the output field names the value may go in.
The rules live beside it: named formulas (formulas.py, formulas_more.py), unit conversions (units.py) and a
shape's attribute asked for by a `property` argument (properties.py); this module is the one way in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Protocol

from ..values import name_tokens
from .formulas import FORMULAS, formula_answer, shows_only
from .formulas_more import MORE_FORMULAS
from .properties import property_answer, selector
from .series import series_answer
from .units import conversion_answer


class Named(Protocol):
    """What the rules read of a tool: a catalog `Tool`, or an offered tool as the quality stage sees it."""

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

# fields a tool may put its single answer in, whatever the quantity
GENERIC_FIELDS = frozenset({"result", "answer", "output", "value", "converted", "converted_value",
                            "converted_amount", "converted_temperature", "total"})
# a money conversion's answer also goes in fields named for what it is
_CONVERTED_FIELDS = frozenset({"convertedamount", "amountconverted", "result", "convertedvalue", "targetamount",
                               "conversion", "currencyconversion", "currencyconverter", "currencyexchange", "currency"})


@dataclass(frozen=True)
class Computed:
    quantity: str  # "area", "sum", "fahrenheit"...
    value: float

    def fits_field(self, field: str) -> bool:
        """True for a field that holds this answer: `area`, `circle_area`, `result`, `total_area`..."""
        tokens = name_tokens(field)
        last = self.quantity.split("_")[-1]  # `final_speed` goes in `speed`, `final_speed` or `result`
        if self.quantity == "converted" and "".join(tokens) in _CONVERTED_FIELDS:
            return True
        if self.quantity == "rate" and tokens and tokens[-1] == "rate":
            return True
        return field in GENERIC_FIELDS or bool(tokens) and (tokens[-1] in (self.quantity, last) or
                                                            "_".join(tokens) == self.quantity)


def _numbers(arguments: Mapping[str, Any]) -> dict[str, float]:
    return {k: float(v) for k, v in arguments.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}


def _arg(numbers: Mapping[str, float], *names: str) -> float | None:
    for key, value in numbers.items():
        tokens = name_tokens(key)
        if key in names or (tokens and tokens[-1] in names) or "_".join(tokens) in names:
            return value
    return None


# ------------------------------------------------------------------------------------------ shapes

_SHAPE_QUANTITIES = ("area", "perimeter", "circumference", "volume", "hypotenuse")


def _shape(tokens: set[str], n: Mapping[str, float], wants: str | None = None) -> Computed | None:
    r = _arg(n, "radius", "r")
    if r is None and _arg(n, "diameter") is not None:
        r = _arg(n, "diameter") / 2  # type: ignore[operator]
    side = _arg(n, "side", "side_length", "edge", "a")
    length, width = _arg(n, "length", "l"), _arg(n, "width", "w", "breadth")
    base, height = _arg(n, "base", "b"), _arg(n, "height", "h")
    wants = wants or next((q for q in _SHAPE_QUANTITIES if q in tokens), None)
    if wants is None:
        return None
    if "hypotenuse" == wants:
        legs = [v for k, v in n.items() if name_tokens(k)[-1:] in (("a",), ("b",)) or "side" in name_tokens(k)]
        return Computed(wants, math.hypot(*legs)) if len(legs) == 2 else None
    if "circle" in tokens and r is not None:
        if wants == "area":
            return Computed(wants, math.pi * r * r)
        if wants in ("perimeter", "circumference"):
            return Computed(wants, 2 * math.pi * r)
    if "sphere" in tokens and r is not None:
        if wants == "volume":
            return Computed(wants, 4 / 3 * math.pi * r ** 3)
        if wants == "area":
            return Computed(wants, 4 * math.pi * r * r)
    if "cylinder" in tokens and r is not None and height is not None and wants == "volume":
        return Computed(wants, math.pi * r * r * height)
    if "rectangle" in tokens and length is not None and width is not None:
        if wants == "area":
            return Computed(wants, length * width)
        if wants == "perimeter":
            return Computed(wants, 2 * (length + width))
    if "square" in tokens and side is not None:
        if wants == "area":
            return Computed(wants, side * side)
        if wants == "perimeter":
            return Computed(wants, 4 * side)
    depth = _arg(n, "depth", "length", "l")
    if tokens & {"cuboid", "box", "prism"} and wants == "volume" and None not in (depth, width, height):
        return Computed(wants, depth * width * height)  # type: ignore[operator]
    if "cube" in tokens and side is not None and wants == "volume":
        return Computed(wants, side ** 3)
    if "triangle" in tokens and base is not None and height is not None and wants == "area":
        return Computed(wants, 0.5 * base * height)
    return None


# -------------------------------------------------------------------------------------- arithmetic

def _list_numbers(arguments: Mapping[str, Any]) -> list[float] | None:
    for value in arguments.values():
        if isinstance(value, list) and value and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                     for v in value):
            return [float(v) for v in value]
    return None


def _arithmetic(tokens: set[str], n: Mapping[str, float], arguments: Mapping[str, Any]) -> Computed | None:
    revenue, cost = _arg(n, "revenue", "income", "sales"), _arg(n, "cost", "costs", "expenses", "expense")
    if "profit" in tokens and revenue is not None and cost is not None:
        return Computed("profit", revenue - cost)
    income = _arg(n, "net_income", "income", "profit", "net_profit")
    if "margin" in tokens and revenue and income is not None:
        return Computed("margin", income / revenue * 100)  # in percent, as margins are quoted
    listed = _list_numbers(arguments)
    operands = list(n.values())
    if tokens & {"multiples", "primes", "series", "sequence"}:
        return None  # a sum of multiples or a product of primes is not the sum of the arguments
    if listed and len(tokens & {"min", "minimum", "max", "maximum"}) == 1:  # the smallest or largest of a list
        smallest = bool(tokens & {"min", "minimum"})
        return Computed("minimum" if smallest else "maximum", min(listed) if smallest else max(listed))
    if {"absolute", "value"} <= tokens and len(operands) == 1:
        return Computed("absolute_value", abs(operands[0]))
    if tokens & {"average", "mean"} and listed:
        return Computed("average" if "average" in tokens else "mean", sum(listed) / len(listed))
    if tokens & {"sum", "add", "addition"}:
        values = listed if listed else operands
        if len(values) >= 2:
            return Computed("sum", sum(values))
    if len(operands) == 2:
        a, b = operands
        if tokens & {"subtract", "difference", "subtraction", "minus"}:
            return Computed("difference", a - b)
        if tokens & {"multiply", "product", "multiplication"}:
            return Computed("product", a * b)
        if tokens & {"divide", "quotient", "division"} and b != 0:
            return Computed("quotient", a / b)
    return None


# ------------------------------------------------------------------------------------ rates and physics

def _rates(words: set[str], n: Mapping[str, float]) -> Computed | None:
    """One-line laws where the name says which quantity is wanted and the arguments name every operand:
    speed = distance / time, density = mass / volume, I = V / R, F = m a, and the like.
    Only when no other number is passed (a `friction` or `angle` would mean another formula)."""
    distance, time = _arg(n, "distance", "displacement"), _arg(n, "time", "duration")
    speed = _arg(n, "speed", "velocity")
    acceleration, mass, volume = _arg(n, "acceleration"), _arg(n, "mass"), _arg(n, "volume")
    voltage, current, resistance = _arg(n, "voltage", "v"), _arg(n, "current", "i"), _arg(n, "resistance")
    population, land = _arg(n, "population"), _arg(n, "land_area", "area")
    count = len(n)

    def only(*operands: float | None) -> bool:
        return all(o is not None for o in operands) and count == len(operands)

    if "rest" in words and words & {"speed", "velocity"} and only(distance, time) and time:
        return Computed("speed" if "speed" in words else "velocity", 2 * distance / time)  # type: ignore[operator]
    if words & {"speed", "velocity"} and not words & {"final", "initial", "rest"} and only(distance, time) and time:
        return Computed("speed" if "speed" in words else "velocity", distance / time)  # type: ignore[operator]
    if "time" in words and only(distance, speed) and speed:
        return Computed("time", distance / speed)  # type: ignore[operator]
    if "distance" in words and only(speed, time):
        return Computed("distance", speed * time)  # type: ignore[operator]
    if "density" in words and only(mass, volume) and volume:
        return Computed("density", mass / volume)  # type: ignore[operator]
    if "density" in words and population is not None and land and count <= 3:  # a country or year may come too
        return Computed("density", population / land)
    if "force" in words and only(mass, acceleration):
        return Computed("force", mass * acceleration)  # type: ignore[operator]
    if "momentum" in words and only(mass, speed):
        return Computed("momentum", mass * speed)  # type: ignore[operator]
    if "current" in words and only(voltage, resistance) and resistance:
        return Computed("current", voltage / resistance)  # type: ignore[operator]
    if "voltage" in words and only(current, resistance):
        return Computed("voltage", current * resistance)  # type: ignore[operator]
    if "resistance" in words and only(voltage, current) and current:
        return Computed("resistance", voltage / current)  # type: ignore[operator]
    return None


def _conversion(words: list[str], n: Mapping[str, float], arguments: Mapping[str, Any]) -> Computed | None:
    found = conversion_answer(words, n, arguments)
    return Computed(*found) if found is not None else None


def _rounded(value: float) -> float:
    """Two decimals, as results are usually shown; a small value keeps three significant digits (15 m at
    451 m/s takes 0.0333 s, not 0.03)."""
    if value == 0 or abs(value) >= 1:
        return round(value, 2)
    return float(f"{value:.3g}")


# US dollars per unit, rounded, as of early 2025: a fixed table, so the same conversion always gives the same
# answer and a chain of conversions agrees with itself. Not live rates (no network); plausible ones.
USD_PER_UNIT = {
    "USD": 1.0, "EUR": 1.08, "GBP": 1.27, "JPY": 0.0067, "CHF": 1.13, "CAD": 0.73, "AUD": 0.65, "NZD": 0.59,
    "CNY": 0.138, "HKD": 0.128, "SGD": 0.74, "INR": 0.0119, "KRW": 0.00072, "SEK": 0.095, "NOK": 0.093,
    "DKK": 0.145, "PLN": 0.25, "CZK": 0.043, "HUF": 0.0027, "MXN": 0.058, "BRL": 0.17, "ZAR": 0.054,
    "TRY": 0.029, "RUB": 0.011, "AED": 0.272, "SAR": 0.267, "ILS": 0.27, "THB": 0.029, "MYR": 0.22,
    "IDR": 0.000062, "PHP": 0.017, "ISK": 0.0072, "EGP": 0.02, "NGN": 0.00065, "KES": 0.0077, "ARS": 0.001,
    "CLP": 0.00105, "COP": 0.00024, "VND": 0.000039, "PKR": 0.0036, "KZT": 0.002, "SOS": 0.00175,
    "AWG": 0.559, "IRR": 0.0000238,  # the Aruban florin's peg (1.79), the rial's official rate (42,000)
}
_SOURCE_WORDS = frozenset({"from", "base", "source", "original", "src", "sell"})
_TARGET_WORDS = frozenset({"to", "target", "quote", "destination", "dest", "dst", "buy"})


def _currency(words: set[str], n: Mapping[str, float], arguments: Mapping[str, Any]) -> Computed | None:
    """An amount converted from one currency to another, or the rate between two, at the fixed table."""
    if not words & {"currency", "exchange", "convert", "conversion", "converter", "rate", "forex", "fx"}:
        return None
    source = target = None
    for key, value in arguments.items():
        if not (isinstance(value, str) and value.strip().upper() in USD_PER_UNIT):
            continue
        tokens = set(name_tokens(key))
        if tokens & _SOURCE_WORDS:
            source = value.strip().upper()
        elif tokens & _TARGET_WORDS:
            target = value.strip().upper()
    if source is None or target is None:
        return None
    rate = USD_PER_UNIT[source] / USD_PER_UNIT[target]
    amount = _arg(n, "amount", "value", "quantity", "sum")
    if amount is not None and len(n) == 1:
        return Computed("converted", amount * rate)
    if not n and words & {"rate", "exchange"}:  # no amount: the tool asks for the rate itself
        return Computed("rate", rate)
    return None


def _vectors(tokens: set[str], arguments: Mapping[str, Any]) -> Computed | None:
    """Two points or vectors given as lists of numbers of one length: their Euclidean distance or cosine."""
    lists = [[float(v) for v in value] for value in arguments.values()
             if isinstance(value, list) and value and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                          for v in value)]
    if len(lists) != 2 or len(lists[0]) != len(lists[1]):
        return None
    a, b = lists
    if "euclidean" in tokens and "distance" in tokens:
        return Computed("distance", math.dist(a, b))
    if "cosine" in tokens and "similarity" in tokens:
        norms = math.hypot(*a) * math.hypot(*b)
        return Computed("similarity", sum(x * y for x, y in zip(a, b)) / norms) if norms else None
    return None


def _formula(tokens: set[str], n: Mapping[str, float], arguments: Mapping[str, Any]) -> Computed | None:
    found = formula_answer(tokens, n, arguments, FORMULAS + MORE_FORMULAS)
    return Computed(*found) if found is not None else None


def _attribute(tokens: set[str], n: Mapping[str, float], arguments: Mapping[str, Any]) -> Computed | None:
    found = property_answer(tokens, n, arguments)
    return Computed(*found) if found is not None else None


def _series(tokens: set[str], n: Mapping[str, float], arguments: Mapping[str, Any]) -> Computed | None:
    found = series_answer(tokens, n, arguments)
    return Computed(*found) if found is not None else None


def computed_all(tool: Named, arguments: Mapping[str, Any]) -> list[Computed]:
    """Every plain answer of the call: a tool that gives "the area and perimeter of a rectangle" gives both
    (the quickstart had area 525 right and perimeter 374 made up for 21 by 25)."""
    main = computed(tool, arguments)
    if main is None or main.quantity not in _SHAPE_QUANTITIES or selector(arguments) is not None:
        return [main] if main is not None else []
    tokens = set(name_tokens(tool.name)) | set(name_tokens(str(tool.description or ""))[:12])
    numbers = {k: v for k, v in _numbers(arguments).items() if not shows_only(k)}
    answers = [main]
    for quantity in _SHAPE_QUANTITIES:
        if quantity != main.quantity and quantity in tokens:
            other = _shape(tokens, numbers, wants=quantity)
            if other is not None and math.isfinite(other.value):
                answers.append(Computed(other.quantity, _rounded(other.value)))
    return answers


def answer_for(answers: list[Computed], field: str) -> Computed | None:
    """The answer a result field holds, if any."""
    return next((a for a in answers if a.fits_field(field)), None)


_PLACES_WORDS = frozenset({"places", "decimals", "digits", "ndigits"})


def _rounding(words: set[str], numbers: Mapping[str, float], arguments: Mapping[str, Any]) -> Computed | None:
    """A rounding tool (`round_number(number=3.14159, decimal_places=2)` → 3.14): its one number at the
    decimal places asked (none passed: a whole number, as Python's `round` and BFCL's tool do), shown at
    those places, not the two every other answer is rounded to."""
    if "round" not in words or "trip" in words or len(numbers) != 1 or not words & {"number", "value", "decimal"} \
            or any(not isinstance(v, (int, float)) for v in arguments.values()):
        return None  # a round trip's passengers are no number to round
    places = [v for k, v in arguments.items() if shows_only(k) and set(name_tokens(k)) & _PLACES_WORDS
              and isinstance(v, int) and not isinstance(v, bool)]
    if len(places) > 1 or (places and not 0 <= places[0] <= 10):
        return None
    (value,) = numbers.values()
    return Computed("rounded", round(value, places[0] if places else 0))


def computed(tool: Named, arguments: Mapping[str, Any]) -> Computed | None:
    """The tool's answer when it is a plain formula of its arguments; None whenever in doubt. A `precision`
    or `rounding` argument says how to show the answer and is no operand."""
    words = list(name_tokens(tool.name))
    tokens = set(words) | set(name_tokens(str(tool.description or ""))[:12])
    numbers = {k: v for k, v in _numbers(arguments).items() if not shows_only(k)}
    rounded = _rounding(tokens, numbers, arguments)
    if rounded is not None and math.isfinite(rounded.value):
        return rounded
    money = _currency(set(words) | tokens, numbers, arguments)
    if money is not None and math.isfinite(money.value):
        return Computed(money.quantity, _rounded(money.value))
    if not numbers and not _list_numbers(arguments):
        return None
    # a call that names the attribute it wants is answered for that attribute or not at all
    shape = (lambda: None) if selector(arguments) is not None else (lambda: _shape(tokens, numbers))
    for attempt in (lambda: _attribute(tokens, numbers, arguments), shape,
                    lambda: _formula(tokens, numbers, arguments),
                    lambda: _vectors(tokens, arguments), lambda: _series(tokens, numbers, arguments),
                    lambda: _arithmetic(set(words), numbers, arguments),
                    lambda: _rates(set(words), numbers), lambda: _conversion(words, numbers, arguments)):
        answer = attempt()
        if answer is not None and math.isfinite(answer.value):
            return Computed(answer.quantity, _rounded(answer.value))
    return None


# ------------------------------------------------------------------------------ calculations left over

CALCULATING_WORDS = frozenset({"calculate", "calc", "compute", "convert", "converter", "conversion", "calculator",
                               "sqrt", "logarithm", "factorial", "power", "sum", "mean", "average", "percentage",
                               "multiply", "divide", "subtract", "add", "gcd", "lcm", "hypot", "root", "log",
                               "kinematics", "estimate", "depreciation",
                               # a statistic of a list: a `standard_deviation` that does not say population or
                               # sample is left uncomputed (series.py), and its made-up number must say so
                               "deviation", "variance", "median"})
# text arguments that say in which units or form, not which thing: the answer is still a function of the numbers
_FORM_WORDS = frozenset({"unit", "units", "system", "format", "currency", "from", "to", "base", "target", "source"})


def is_calculation(tool: Named, arguments: Mapping[str, Any]) -> bool:
    """True for a call that is plainly a deterministic calculation: the name says it calculates or converts,
    at least one argument is a number, and every other argument is a number, a list of numbers, a yes/no or
    a unit or format. A `calculate_distance` between two cities, or a tax by state, needs data, not a
    formula, and is not one. The simulated executor records such a call with no formula as `uncomputed`."""
    if not set(name_tokens(tool.name)) & CALCULATING_WORDS:
        return False
    if not _numbers(arguments) and _list_numbers(arguments) is None:
        return False
    for key, value in arguments.items():
        if isinstance(value, (bool, int, float)):
            continue
        if isinstance(value, list) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            continue
        if isinstance(value, str) and set(name_tokens(key)) & _FORM_WORDS:
            continue
        return False
    return True
