"""Data-flow links between calculators: one calculation's `result` is the operand of the next.

BFCL's Math API answers every operation in one numeric `result` and names its operands `a`, `b`, `number`,
`value`, `part`: `mean.result` → `round_number.number` and `subtract.result` → `multiply.a` are the chains
a person computes by hand, but the names share no word, so similarity never links them. The rule reads
the shape instead of the words:
- a calculator is a tool whose declared (not inferred) return is one numeric field named `result`: a guess
  from a tool's name is no answer to compute with;
- a result feeds another calculator's numeric operand: a one-letter name (`a`, `x`), an operand word
  (`number`, `value`, `part`, `numerator`...), or a parameter its description calls a number or value
  (`power.base`, "The base number."). Never a parameter that says how to show the answer (`precision`,
  `decimal_places`: values.showing), and not the base of a logarithm or an exponent
  ("The base of the logarithm.", "The exponent."): a computed 7.33 is nobody's logarithm base.
Types are checked by `api_links`, with the rule that both tools belong to one API.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Sequence

from ..json_schema.paths import is_top_level
from ..tools import Tool, api_of
from ..values.showing import shows_only
from .fields import ToolField
from .text import split_identifier

_NUMERIC = frozenset({"number", "integer"})
_RESULT_NAMES = frozenset({"result"})
# names an operand goes by when it is not a single letter
OPERAND_WORDS = frozenset({"number", "num", "value", "operand", "amount", "part", "whole", "numerator",
                           "denominator", "dividend", "divisor", "addend", "augend", "minuend", "subtrahend",
                           "factor", "multiplicand", "multiplier", "term"})
# "The base number.", "The part value.": a description whose first words call the parameter a number
_CALLED_A_NUMBER = re.compile(r"^\s*(?:the\s+|a\s+|an\s+)?(?:[a-z]+\s+)?(?:number|value)\b", re.IGNORECASE)


def _calculators(tools: Sequence[Tool], outputs: Sequence[ToolField]) -> dict[int, int]:
    """tool index → its one output field number, for tools whose declared return is one numeric `result`."""
    fields_of: dict[int, list[int]] = {}
    for number, field in enumerate(outputs):
        fields_of.setdefault(field.tool_index, []).append(number)
    found: dict[int, int] = {}
    for tool_index, numbers in fields_of.items():
        if len(numbers) != 1:
            continue
        field = outputs[numbers[0]]
        if not field.inferred and field.name in _RESULT_NAMES and field.type in _NUMERIC:
            found[tool_index] = numbers[0]
    return found


def is_operand(field: ToolField) -> bool:
    """A numeric parameter that a computed number sensibly fills (see the module's rule)."""
    if field.type not in _NUMERIC or not is_top_level(field.path):
        return False
    words = split_identifier(field.name)
    if not words or shows_only(field.name):
        return False
    if len(field.name) == 1 and field.name.isalpha():
        return True
    return words[-1] in OPERAND_WORDS or bool(_CALLED_A_NUMBER.match(field.description or ""))


def calculator_links(tools: Sequence[Tool], inputs: Sequence[ToolField],
                     outputs: Sequence[ToolField]) -> list[tuple[int, int]]:
    """(output field number, input field number) for each calculator's result and each operand of another
    calculator (one pass over each side; `api_links` keeps the pairs inside one API whose types fit)."""
    calculators = _calculators(tools, outputs)
    if len(calculators) < 2:
        return []
    # pairs only inside one category: `api_links` keeps those inside one API, and a catalog of many
    # calculator APIs never pairs every result with every operand of every other one
    operands: dict[str, list[int]] = defaultdict(list)  # by API: pairs are drawn inside one API only
    for number, field in enumerate(inputs):
        if field.tool_index in calculators and is_operand(field) and api_of(tools[field.tool_index]):
            operands[api_of(tools[field.tool_index])].append(number)
    return [(result, operand) for tool_index, result in calculators.items()
            for operand in operands.get(api_of(tools[tool_index]), ()) if inputs[operand].tool_index != tool_index]
