"""Unit conversions a converter tool answers: temperatures by formula, other units by a table of sizes.

The units come from the tool's name (`celsius_to_fahrenheit`) or from its text arguments (`from_unit`,
`to_unit`); a pair this table does not know (`metric` to `imperial` for a length: which units?) gives
nothing, and the call stays `uncomputed`. A temperature tool's `metric` and `imperial` are Celsius and
Fahrenheit: each system has one unit of temperature.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from ..values import name_tokens

_TEMPERATURE: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    # unit → (to kelvin, from kelvin)
    "celsius": (lambda v: v + 273.15, lambda k: k - 273.15),
    "fahrenheit": (lambda v: (v - 32) * 5 / 9 + 273.15, lambda k: (k - 273.15) * 9 / 5 + 32),
    "kelvin": (lambda v: v, lambda k: k),
}
_FACTORS = {  # unit → (dimension, size in the dimension's base unit)
    "km": ("length", 1000.0), "kilometers": ("length", 1000.0), "kilometres": ("length", 1000.0),
    "miles": ("length", 1609.344), "mile": ("length", 1609.344), "meters": ("length", 1.0),
    "metres": ("length", 1.0), "feet": ("length", 0.3048), "ft": ("length", 0.3048),
    "inches": ("length", 0.0254), "cm": ("length", 0.01), "centimeters": ("length", 0.01),
    # the SI and imperial symbols BFCL's Math API takes (`si_unit_conversion(unit_in="km", unit_out="m")`)
    "m": ("length", 1.0), "mm": ("length", 0.001), "um": ("length", 1e-6), "nm": ("length", 1e-9),
    "in": ("length", 0.0254), "yd": ("length", 0.9144), "yards": ("length", 0.9144),
    "kg": ("mass", 1.0), "kilograms": ("mass", 1.0), "lb": ("mass", 0.45359237), "lbs": ("mass", 0.45359237),
    "pounds": ("mass", 0.45359237), "grams": ("mass", 0.001), "ounces": ("mass", 0.028349523125),
    "liters": ("volume", 1.0), "litres": ("volume", 1.0), "gallons": ("volume", 3.785411784),
    # kitchen measures, US customary
    "ml": ("volume", 0.001), "milliliters": ("volume", 0.001), "millilitres": ("volume", 0.001),
    "cup": ("volume", 0.2365882365), "cups": ("volume", 0.2365882365),
    "tablespoon": ("volume", 0.01478676478125), "tablespoons": ("volume", 0.01478676478125),
    "tbsp": ("volume", 0.01478676478125), "teaspoon": ("volume", 0.00492892159375),
    "teaspoons": ("volume", 0.00492892159375), "tsp": ("volume", 0.00492892159375),
}


_SOURCE_WORDS = frozenset({"from", "source", "in", "input"})
_TARGET_WORDS = frozenset({"to", "target", "out", "output"})
_TEMPERATURE_NAMES = {"c": "celsius", "f": "fahrenheit", "k": "kelvin", "°c": "celsius", "°f": "fahrenheit",
                      "degc": "celsius", "degf": "fahrenheit", "centigrade": "celsius"}


_SYSTEM_TEMPERATURE = {"metric": "celsius", "imperial": "fahrenheit", "us": "fahrenheit"}


def convert(value: float, source: str, target: str) -> float | None:
    """`value` in unit `source` expressed in `target`, or None for units this table does not know."""
    source, target = source.strip().lower(), target.strip().lower()
    source, target = _TEMPERATURE_NAMES.get(source, source), _TEMPERATURE_NAMES.get(target, target)
    if source in _TEMPERATURE and target in _TEMPERATURE:
        return _TEMPERATURE[target][1](_TEMPERATURE[source][0](value))
    if source in _FACTORS and target in _FACTORS and _FACTORS[source][0] == _FACTORS[target][0]:
        return value * _FACTORS[source][1] / _FACTORS[target][1]
    return None


def _unit_argument(arguments: Mapping[str, Any], side: frozenset[str]) -> str | None:
    """The text argument naming one side's unit (`from_unit`, `source_unit`, `unit_in`): one that says "unit"
    first, else the first of that side. `output_format` beside `to_unit` is no unit (its "text" made the
    last match win and left a km-to-miles conversion uncomputed)."""
    sided = [(not {"unit", "units"} & set(name_tokens(key)), value) for key, value in arguments.items()
             if isinstance(value, str) and set(name_tokens(key)) & side]
    return min(sided, key=lambda item: item[0])[1] if sided else None


def conversion_answer(words: list[str], n: Mapping[str, float],
                      arguments: Mapping[str, Any]) -> tuple[str, float] | None:
    """(unit or `converted`, value) for a converter: the units from the tool's name (`km_to_miles`) or from
    its text arguments (`from_unit`, `to_unit`), one number the amount."""
    if len(n) != 1:
        return None  # which number is the amount must be plain
    (amount,) = n.values()
    if "to" in words:  # celsius_to_fahrenheit, km_to_miles
        at = words.index("to")
        if 0 < at < len(words) - 1:
            converted = convert(amount, words[at - 1], words[at + 1])
            if converted is not None:
                return words[at + 1], converted
    source, target = (_unit_argument(arguments, side) for side in (_SOURCE_WORDS, _TARGET_WORDS))
    if source and target and "temperature" in words:  # a temperature's systems have one unit each
        source, target = (_SYSTEM_TEMPERATURE.get(u.strip().lower(), u) for u in (source, target))
    if source and target and {"convert", "conversion"} & set(words):
        converted = convert(amount, source, target)
        if converted is not None:
            return "converted", converted
    return None
