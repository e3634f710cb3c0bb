"""Values that fit their names: a `year` that is a year, an `email` that is an address, an `id` that is
not a sentence. JSON Schema says what type a value has; the name says what it means, and a reader rejects
`year = "sleep hygiene"` or `currency = "blue"` at once, whatever the schema allows.

`check_value_fit` looks at every call argument and every tool-result field (at any depth) whose name ends
in a word with a known meaning (the table in `toolflow_assets.meanings`, which the planner's data-flow links
follow too), and reports the values that cannot be such a thing; and a call whose two ends of one thing hold
the same value (`from_account` = `to_account`, `base_currency` = `target_currency`; the planner draws them
apart by the same rule).
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from ..meanings import rule_for, same_both_ends
from .conversation import content_text, iter_calls, shown


def misfits(value: Any, name: str = "", path: str = "") -> Iterator[tuple[str, Any, str]]:
    """(where, value, meaning) for each scalar under a name whose meaning it cannot have."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from misfits(item, str(key), f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from misfits(item, name, f"{path}[{index}]")
    elif name:
        rule = rule_for(name)
        if rule is not None and not rule.allows(value):
            yield path, value, rule.meaning




def check_value_fit(messages: list[Any]) -> list[str]:
    """Every argument and result field whose name has a known meaning holds a value that can mean it."""
    reasons: list[str] = []
    names = {call.call_id: call.name for call in iter_calls(messages)}
    for position, call in enumerate(iter_calls(messages), start=1):
        if isinstance(call.arguments, dict):
            for where, value, meaning in misfits(call.arguments):
                reasons.append(f"call {position} {call.name}: argument {where} = {shown(value)} is not {meaning}")
            for first, second in same_both_ends(call.arguments):
                reasons.append(f"call {position} {call.name}: {first} and {second} are both "
                               f"{shown(call.arguments[first])} (the two ends of one thing)")
    for position, message in enumerate(messages):
        if not (isinstance(message, dict) and message.get("role") == "tool"):
            continue
        try:
            result = json.loads(content_text(message))
        except json.JSONDecodeError:
            continue
        tool = names.get(str(message.get("tool_call_id"))) or str(message.get("name") or "")
        for where, value, meaning in misfits(result):
            reasons.append(f"tool message {position} ({tool}): field {where} = {shown(value)} is not {meaning}")
    return reasons
