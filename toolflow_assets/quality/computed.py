"""A result of a computable call must hold the computed answer (part of `result_consistency`).

`calculate_final_speed_2(gravity=77.57, initial_speed=257, time=49)` answered `{"final_speed": 130.03}`
(v0 + g·t is 4057.93) passed every check before: the numbers were well formed, only wrong. Where
`execution/compute.py` knows the formula (the very rule the simulated executor produces results with), the
result's field that holds the answer (`final_speed`, `speed`, `result`; never a field named like an
argument) must agree with it beyond rounding, and a result with no such field must state the answer
somewhere (a converter that only echoes its arguments gives no Fahrenheit value at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator

from ..execution import is_error_result
from ..execution.compute import Computed, computed_all
from ..execution.formulas import SHARE_QUANTITIES
from ..mentions import as_decimal, field_key, written_numbers
from .conversation import offered_tools, shown
from .conversation import answered_calls


@dataclass(frozen=True)
class _Offered:
    """What compute.py reads of a tool, from the dialogue's offered tool definition."""

    name: str
    description: str


def _shares(quantity: str) -> bool:
    # a probability or percentage may be written as a fraction or in percent: 0.25 and 25 both say it
    return quantity in SHARE_QUANTITIES


def agrees(value: Any, answer: Computed) -> bool:
    """A written number agrees with the formula's answer up to the rounding it was written with (half the
    place of its last digit), 0.1 % of the answer, and the answer's own rounding (two decimals, or three
    significant digits below 1)."""
    numbers = _numbers_in(value)
    expected = Decimal(repr(answer.value))
    slack = Decimal("0.005") if abs(expected) >= 1 else abs(expected) * Decimal("0.005")
    slack += abs(expected) * Decimal("0.001")
    targets = [expected] + ([expected * 100, expected / 100] if _shares(answer.quantity) else [])
    return any(abs(number - target) <= place / 2 + slack * (abs(target) / abs(expected) if expected else 1)
               for number, place in numbers for target in targets)


def _numbers_in(value: Any) -> list[tuple[Decimal, Decimal]]:
    """(number, place of its last digit) for a number, or each number written in a text."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return []
    if isinstance(value, (int, float)):
        number = as_decimal(value)
        return [] if number is None else written_numbers(repr(value)) or [(number, Decimal(1))]
    return written_numbers(str(value))


def _leaves(result: Any, depth: int = 0) -> Iterator[Any]:
    if depth > 4:
        return
    if isinstance(result, dict):
        for value in result.values():
            yield from _leaves(value, depth + 1)
    elif isinstance(result, list):
        for value in result:
            yield from _leaves(value, depth + 1)
    else:
        yield result


def check_computed_results(messages: list[Any], tools: list[Any]) -> list[str]:
    """Every answer compute.py computes for a call agrees with the result field holding it; the call's main
    answer is stated somewhere in a result that has no field for it."""
    offered = offered_tools(tools)
    reasons: list[str] = []
    for position, call, result in answered_calls(messages):
        function = offered.get(call.name)
        if function is None or is_error_result(result):
            continue
        answers = computed_all(_Offered(call.name, str(function.get("description") or "")), call.arguments)
        if not answers:
            continue
        argued = {field_key(name) for name in call.arguments}
        for number, answer in enumerate(answers):
            fields = [(k, v) for k, v in result.items()
                      if answer.fits_field(str(k)) and field_key(str(k)) not in argued and _numbers_in(v)] \
                if isinstance(result, dict) else []
            for name, value in fields:
                if not agrees(value, answer):
                    reasons.append(f"tool message {position} ({call.name}): result field {name!r} = {shown(value)}, "
                                   f"but the {answer.quantity.replace('_', ' ')} the call computes is {answer.value:g}")
            if not fields and number == 0 and not any(agrees(leaf, answer) for leaf in _leaves(result)):
                reasons.append(f"tool message {position} ({call.name}): the result states no "
                               f"{answer.quantity.replace('_', ' ')} (the call computes {answer.value:g})")
    return reasons
