"""Arguments that say how to show a number, not which number: `precision`, `decimal_places`, `round_to`.

One rule, read by the stages that must tell such an argument from an operand: the executor's formulas leave
it out of the operands (execution/formulas.py), and the graph never feeds a computed result into it
(graph/calculator_links.py: a mean of 7.33 is no `decimal_places`).
"""

from __future__ import annotations

from ..mentions import name_tokens

SHOWING_WORDS = frozenset({"precision", "rounding", "round", "decimal", "decimals", "accuracy", "digits",
                           "places", "off"})


def shows_only(key: str) -> bool:
    """True for an argument that only says how to round or show the answer (`precision`, `round_to`)."""
    tokens = name_tokens(key)
    return bool(tokens) and tokens[0] in SHOWING_WORDS
