"""Values that fit their names: a `year` that is a year, an `email` that is an address, an `id` that is
not a sentence. JSON Schema says what type a value has; the name says what it means, and a reader rejects
`year = "sleep hygiene"` or `currency = "blue"` at once, whatever the schema allows.

`check_value_fit` looks at every call argument and every tool-result field (at any depth) whose name ends
in a word with a known meaning (the table in `toolflow_assets.meanings`, which the planner's data-flow links
follow too), and reports the values that cannot be such a thing; and a call whose two ends of one thing hold
the same value (`from_account` = `to_account`, `base_currency` = `target_currency`; the planner draws them
apart by the same rule). Time-like names are read by values.timed_values, the rule their values are drawn by:
a museum's `working_hours` of 9.08 are no opening hours, a `waiting_time` of "11:30" is no duration.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..meanings import same_both_ends
from ..planning.agreement import chained_measures, disagreements, shape_named, tool_words
from ..typed_values import is_placeholder
from ..values.flow import PLACEHOLDER, misfit
from .conversation import answered_calls, iter_calls, offered_tools, shown, tool_results


def misfits(value: Any, name: str = "", path: str = "", descriptions: Mapping[str, str] | None = None,
            description: str = "", owner: str = "") -> Iterator[tuple[str, Any, str]]:
    """(where, value, meaning) for each scalar under a name whose meaning it cannot have; `descriptions` of the
    top-level keys (a call's parameters) give units the name leaves out (a `temp` "in Kelvin" is above 0).
    A record's `name` is read with the key of the record (`owner`): "custom property record" names none of
    the `property_records`, where a feature named "advanced search" is one."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from misfits(item, str(key), f"{path}.{key}" if path else str(key),
                               description=(descriptions or {}).get(str(key), ""), owner=name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from misfits(item, name, f"{path}[{index}]", description=description, owner=owner)
    else:
        meaning = misfit(value, name, description)  # the rule value synthesis and data flow follow
        if meaning is None and owner and name in ("name", "title") and is_placeholder(value, f"{owner}_{name}"):
            meaning = PLACEHOLDER
        if meaning is not None:
            yield path, value, meaning



def _parameter_descriptions(function: Mapping[str, Any]) -> dict[str, str]:
    parameters = function.get("parameters") if isinstance(function.get("parameters"), dict) else {}
    properties = parameters.get("properties") if isinstance(parameters.get("properties"), dict) else {}
    return {str(k): str(v.get("description") or "") for k, v in properties.items() if isinstance(v, dict)}


def check_value_fit(messages: list[Any], tools: list[Any] | None = None) -> list[str]:
    """Every argument and result field whose name has a known meaning holds a value that can mean it; with the
    offered tools, an argument's description adds its unit (a temperature "in Kelvin" below 0 is no value)."""
    reasons: list[str] = []
    offered = offered_tools(tools or [])
    for position, call in enumerate(iter_calls(messages), start=1):
        if isinstance(call.arguments, dict):
            descriptions = _parameter_descriptions(offered.get(call.name, {}))
            for where, value, meaning in misfits(call.arguments, descriptions=descriptions):
                reasons.append(f"call {position} {call.name}: argument {where} = {shown(value)} is not {meaning}")
            for first, second in same_both_ends(call.arguments):
                reasons.append(f"call {position} {call.name}: {first} and {second} are both "
                               f"{shown(call.arguments[first])} (the two ends of one thing)")
    reasons.extend(disagreeing_calls(messages, offered))
    for position, tool, result in tool_results(messages):
        for where, value, meaning in misfits(result):
            reasons.append(f"tool message {position} ({tool}): field {where} = {shown(value)} is not {meaning}")
    return reasons


def disagreeing_calls(messages: list[Any], offered: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Calls whose arguments contradict each other (planning/agreement.py, the rule the planner repairs by):
    years out of order, a city outside the province beside it, measures that are not one shape; a call given
    a measure that an earlier call on the same shape computed (returned, not echoed) is read with that call's
    measures."""
    reasons: list[str] = []
    results = {call.call_id: result for _, call, result in answered_calls(messages)}
    earlier: list[tuple[Any, set[str]]] = []
    for position, call in enumerate(iter_calls(messages), start=1):
        if not isinstance(call.arguments, dict):
            continue
        words = tool_words(call.name, str(offered.get(call.name, {}).get("description") or ""))
        measures = call.arguments
        for before, before_words in earlier:
            result = results.get(before.call_id)
            fed = [k for k, v in call.arguments.items() if isinstance(result, dict) and k in result
                   and result[k] == v and not isinstance(v, (bool, str)) and k not in before.arguments]
            if fed and shape_named(words) is not None and shape_named(before_words) == shape_named(words):
                measures = chained_measures(call.arguments, fed, before.arguments)
        for found in disagreements(call.arguments, words, measures):
            reasons.append(f"call {position} {call.name}: {found.reason} (arguments that do not agree)")
        earlier.append((call, words))
    return reasons
