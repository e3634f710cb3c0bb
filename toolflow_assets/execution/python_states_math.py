"""Arguments for bfcl-eval's MathAPI that a person would give it, the way python_states_services.py gives the
companies TradingBot knows.

The class is stateless, but its code fixes what a call means: `si_unit_conversion` knows six length units and
`imperial_si_conversion` twelve named pairs (anything else answers "not supported"), `square_root` and
`logarithm` take a `precision` in significant digits, `divide` fails on a zero. Drawn from the schema alone,
a plan asked for the standard deviation of one number, `power(base=8.03, exponent=74.37)` (1.9e+67), a
logarithm to base 20.1 at 31 digits and a conversion between units the class rejects. `math_values` gives:
- several numbers (three to six) where a statistic of a list is asked for;
- operands of a size people work with: amounts with up to two decimals, a divisor never zero, a small whole
  exponent, a logarithm to base 2 or 10, a negative number for an absolute value, a part of a whole;
- a precision of a few digits, decimal places 0 to 3;
- a pair of units the class converts, consistent with a unit already decided (a rerun "in millimetres").
Values the plan already fixed (`fixed`: shared with an earlier call, or the other arguments of a rerun) stay,
but a unit the class does not convert.
"""

from __future__ import annotations

import random
from typing import Any, Mapping

# what the class's code converts (math_api.py: `to_meters`, and the `conversion` keys "<in>_to_<out>")
SI_UNITS = ("km", "m", "cm", "mm", "um", "nm")
IMPERIAL_PAIRS = (("cm", "in"), ("m", "ft"), ("m", "yd"), ("km", "miles"), ("kg", "lb"), ("celsius", "fahrenheit"))
_LISTS = frozenset({"mean", "standard_deviation", "sum_values", "min_value", "max_value"})


def _amount(rng: random.Random, low: float = 1, high: float = 500) -> float | int:
    """A whole number or one with one or two decimals, as amounts are written."""
    value = rng.uniform(low, high)
    return rng.choice((int(round(value)), round(value, 1), round(value, 2)))


def _numbers(rng: random.Random) -> list[float | int]:
    """Three to six numbers of one kind: scores, prices, measurements."""
    count = rng.randint(3, 6)
    kind = rng.choice(("scores", "prices", "measures"))
    if kind == "scores":
        return [rng.randint(40, 100) for _ in range(count)]
    if kind == "prices":
        return [round(rng.uniform(2, 80), 2) for _ in range(count)]
    center = rng.uniform(5, 50)
    return [round(center + rng.uniform(-4, 4), 1) for _ in range(count)]


def _units(method: str, fixed: Mapping[str, Any], rng: random.Random) -> dict[str, str]:
    """(unit_in, unit_out) the class converts, keeping a unit the plan fixed when a partner for it exists."""
    if method == "si_unit_conversion":
        pairs = [(a, b) for a in SI_UNITS for b in SI_UNITS if a != b]
    else:
        pairs = [pair for a, b in IMPERIAL_PAIRS for pair in ((a, b), (b, a))]
    fitting = [(a, b) for a, b in pairs if fixed.get("unit_in", a) == a and fixed.get("unit_out", b) == b]
    unit_in, unit_out = rng.choice(fitting or pairs)
    return {"unit_in": unit_in, "unit_out": unit_out}


def _unsupported(method: str, fixed: Mapping[str, Any]) -> set[str]:
    """Fixed units the class does not convert: an imperial `in` shared into an SI conversion ("Conversion from
    'in' to 'km' is not supported") is drawn again rather than kept."""
    if method == "si_unit_conversion":
        known = set(SI_UNITS)
    elif method == "imperial_si_conversion":
        known = {unit for pair in IMPERIAL_PAIRS for unit in pair}
    else:
        return set()
    return {name for name in ("unit_in", "unit_out") if name in fixed and fixed[name] not in known}


def _operands(method: str, rng: random.Random) -> dict[str, Any]:
    if method in _LISTS:
        return {"numbers": _numbers(rng)}
    if method in ("add", "subtract", "multiply"):
        return {"a": _amount(rng), "b": _amount(rng, 1, 200 if method != "multiply" else 20)}
    if method == "divide":
        return {"a": _amount(rng, 10, 1000), "b": rng.choice((2, 3, 4, 5, 8, 12, 2.5, 1.5))}
    if method == "power":
        return {"base": rng.choice((2, 3, 5, 7, 10, 1.05, 1.5, 2.5)), "exponent": rng.choice((2, 3, 4, 5, 0.5))}
    if method == "square_root":
        return {"number": rng.choice((rng.randint(2, 999), rng.randint(2, 31) ** 2)), "precision": rng.randint(3, 8)}
    if method == "logarithm":
        base = rng.choice((2, 10))
        value = rng.choice((base ** rng.randint(2, 6), _amount(rng, 2, 5000)))
        return {"value": value, "base": base, "precision": rng.randint(3, 8)}
    if method == "absolute_value":
        return {"number": -_amount(rng, 1, 300)}
    if method == "round_number":
        return {"number": round(rng.uniform(1, 1000), rng.randint(3, 5)), "decimal_places": rng.choice((0, 1, 2, 2, 3))}
    if method == "percentage":
        whole = rng.choice((rng.randint(20, 400), _amount(rng, 20, 2000)))
        return {"part": round(whole * rng.uniform(0.05, 0.95), rng.choice((0, 1, 2))), "whole": whole}
    if method in ("si_unit_conversion", "imperial_si_conversion"):
        return {"value": _amount(rng, 1, 250)}
    return {}


def math_values(cls: type, method: str, fixed: Mapping[str, Any], earlier: Any, rng: random.Random) -> dict[str, Any]:
    """Values for `method`'s parameters (those not in `fixed`); the class is not consulted: what it fixes is
    above, read from its code."""
    values = _operands(method, rng)
    redrawn = _unsupported(method, fixed)
    if method in ("si_unit_conversion", "imperial_si_conversion"):
        values.update(_units(method, {k: v for k, v in fixed.items() if k not in redrawn}, rng))
    return {name: value for name, value in values.items() if name not in fixed or name in redrawn}
