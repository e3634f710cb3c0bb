"""Which numbers a calculator's operand can take: the domain its operation is defined on.

A logarithm is defined for a positive value and a positive base, a (real) square root for a non-negative
number, a quotient for a non-zero divisor. BFCL's Math API answers `logarithm(value=-3.2)` with a complex
number and `divide(b=0)` with an error, so a value fed into such an operand from an earlier result (the graph's
calculator links: `subtract.result` -> `logarithm.value`) must lie in the domain, else the planner draws a
fresh value instead. The rule reads the tool's own parameter: the tool's name says the operation (`logarithm`,
`log`, `square_root`, `sqrt`, `divide`) and the parameter's name or description says which operand it is
("The base of the logarithm.", "Denominator.", `b` of a divide). One rule, read by the planner where it chooses
a chained operand (planning.data_flow) and by the quality stage's tool-response check, which names the
out-of-domain argument of a failed call.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from ..mentions import name_tokens

_LOG = frozenset({"log", "logarithm", "ln", "log10", "log2"})
_ROOT = frozenset({"sqrt", "root"})
_DIVIDE = frozenset({"divide", "division", "quotient"})
_DIVISOR_WORDS = frozenset({"denominator", "divisor", "b", "y"})
_ROOTED_WORDS = frozenset({"number", "value", "x", "n", "radicand", "a"})

_POSITIVE: tuple[str, Callable[[float], bool]] = ("positive", lambda v: v > 0)
_NON_NEGATIVE: tuple[str, Callable[[float], bool]] = ("non-negative", lambda v: v >= 0)
_NON_ZERO: tuple[str, Callable[[float], bool]] = ("non-zero", lambda v: v != 0)


def _domain(tool_name: str, parameter: str, schema: Mapping[str, Any] | None) -> tuple[str, Callable[[float], bool]] | None:
    """The domain of `parameter` of `tool_name` as (its word, its test), or None where any number will do."""
    named = set(name_tokens(tool_name))
    words = set(name_tokens(parameter))
    described = set(name_tokens(str((schema or {}).get("description") or "")))
    if "precision" in words or "decimal" in words or "places" in words:
        return None  # how to show the answer, no operand
    if named & _LOG:
        # the value and the base of a logarithm (`value`, `base`, "The number to compute the logarithm of.")
        return _POSITIVE
    if named & _ROOT and (words & _ROOTED_WORDS or described & {"number", "value"}):
        return _NON_NEGATIVE
    if named & _DIVIDE and (words & _DIVISOR_WORDS or described & {"denominator", "divisor"}):
        return _NON_ZERO
    return None


def has_domain(tool_name: str, parameter: str, schema: Mapping[str, Any] | None = None) -> bool:
    """True where not every number suits the operand (a logarithm's value, a divisor)."""
    return _domain(tool_name, parameter, schema) is not None


def outside_domain(tool_name: str, parameter: str, value: Any,
                   schema: Mapping[str, Any] | None = None) -> str | None:
    """Why `value` cannot be this operand ("logarithm.value must be positive, not -3.2"), else None (a value
    that is no number is not this rule's to judge)."""
    domain = _domain(tool_name, parameter, schema)
    if domain is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    word, test = domain
    return None if test(float(value)) else f"{tool_name}.{parameter} must be {word}, not {value:g}"
