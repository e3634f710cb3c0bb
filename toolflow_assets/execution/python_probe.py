"""Reading what an environment class fixes in its code, by calling it on scratch instances.

Some of a class's universe is no state: VehicleControlAPI knows zipcodes for a handful of cities and distances
for some pairs of them, TravelAPI prices a fixed table of routes and converts only some currency pairs. A state
cannot add to them, so the planner must take its values from them; these helpers find them by asking the class
(each answer is the class's own, from a fresh instance), so nothing is copied from BFCL's test entries and a
new release of the package is read as it is.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any, Iterable, Mapping, NamedTuple


class Output(NamedTuple):
    """A planned value that is an earlier call's result: the call's position among the environment's earlier
    calls in the plan, and the output field (the token a sign-in returned, the card a registration made)."""

    call: int
    field: str


def scratch(cls: type, state: Mapping[str, Any] | None = None) -> Any:
    """A fresh instance holding `state` (the class's defaults elsewhere)."""
    instance = cls()
    instance._load_scenario(dict(state or {}), long_context=False)
    return instance


def call(cls: type, method: str, state: Mapping[str, Any] | None = None, **arguments: Any) -> Any:
    """One call on a fresh instance; an exception is None (the class refuses the input)."""
    try:
        return getattr(scratch(cls, state), method)(**arguments)
    except Exception:  # noqa: BLE001 - a refused input is what a probe looks for
        return None


def _refused(answer: Any) -> bool:
    return answer is None or (isinstance(answer, dict) and "error" in answer)


def literals(cls: type, method: str) -> list[str]:
    """The string constants in the method's code, in order (the names it compares its input with)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(getattr(cls, method))))
    found = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return list(dict.fromkeys(found))


def known_inputs(cls: type, method: str, parameter: str) -> dict[str, Any]:
    """{input: the answer's one value} for each string in the method's code that it answers otherwise than an
    input it does not know (`get_zipcode_based_on_city` answers "00000" for a city it has no zipcode for)."""
    unknown = call(cls, method, **{parameter: "\x00not a known input"})
    found = {}
    for text in literals(cls, method):
        answer = call(cls, method, **{parameter: text})
        if not _refused(answer) and answer != unknown:
            found[text] = next(iter(answer.values())) if isinstance(answer, dict) and len(answer) == 1 else answer
    return found


def answers_for(cls: type, method: str, parameter: str, choices: Iterable[Any],
                state: Mapping[str, Any] | None = None, **others: Any) -> dict[Any, Any]:
    """{choice: answer} for each choice the method takes without an error."""
    answers = {choice: call(cls, method, state, **{parameter: choice}, **others) for choice in choices}
    return {choice: answer for choice, answer in answers.items() if not _refused(answer)}
