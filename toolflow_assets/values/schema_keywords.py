"""A JSON Schema's numeric and pattern keywords read without trusting them, for the `Synthesizer`.

Schemas come from anywhere (RapidAPI, MCP servers, fuzzers): a `maxLength` may be a string, a `minimum`
NaN, a `multipleOf` negative, a `pattern` a regex Python cannot compile. These readers turn each keyword
into a usable number, or None, and never raise, so the synthesizer's own code stays about values. Apart
from `synthesizer.py` because they are about the schema's words, not the values drawn from them.
"""

from __future__ import annotations

import math
import re
from typing import Any


def pattern_found(pattern: str, text: str) -> bool:
    """Whether `text` matches the schema's `pattern`; False for a pattern Python cannot use."""
    try:
        return re.search(pattern, text) is not None
    except (re.error, TypeError, RecursionError, OverflowError):
        return False


_WHOLE_RANGE = re.compile(r"\b(\d{1,6})\s*(?:to|-|–)\s*(\d{1,6})\b")


def stated_whole_range(schema: dict[str, Any], description: str) -> tuple[int, int] | None:
    """The whole range a description states ("1 to 81") for a number whose declared default is a whole number
    inside it (and inside the schema's own bounds); None otherwise."""
    default = schema.get("default")
    if not isinstance(default, int) or isinstance(default, bool) or not description:
        return None
    found = _WHOLE_RANGE.search(description)
    if found is None:
        return None
    low, high = int(found.group(1)), int(found.group(2))
    minimum, maximum = finite(schema.get("minimum")), finite(schema.get("maximum"))
    if not low <= default <= high or (minimum is not None and low < minimum) or (maximum is not None and high > maximum):
        return None
    return low, high


def as_int(value: Any, default: int | None) -> int | None:
    """A count keyword (`minLength`, `maxItems`) as an int, else `default`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return default
    return int(value)


def finite(value: Any) -> float | None:
    """A bound (`minimum`, `exclusiveMaximum`) as a finite float; None for a flag, NaN, infinity or garbage."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def positive(value: Any) -> float | int | None:
    """A `multipleOf` that can be used: finite and above zero, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        return None
    return value


def strict_ok(value: float, schema: dict[str, Any]) -> bool:
    """Whether `value` lies strictly inside the schema's numeric exclusive bounds."""
    ex_min, ex_max = finite(schema.get("exclusiveMinimum")), finite(schema.get("exclusiveMaximum"))
    return (ex_min is None or value > ex_min) and (ex_max is None or value < ex_max)
