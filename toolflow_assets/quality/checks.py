"""The deterministic per-dialogue checks, as pure validators: each returns the reasons it fails ([] = pass).

Cheapest first, in the spirit of APIGen's format → execution → semantic stages: `structure` (roles and
call/answer bookkeeping), `schema` (calls name offered tools, arguments validate), `grounding` (values
come from earlier turns), `tool_responses` (tool outputs conform to declared return schemas),
`plan_adherence` (the calls made are the plan's calls). Near-duplicates need the whole batch and live in
`dedup`. A check never raises on malformed input: whatever it cannot read is a reason.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from ..json_schema.errors import UnusableSchema
from ..json_schema.validate import validation_errors
from ..mentions import mention_index, same_value
from .conversation import content_text, iter_calls, leaves, offered_tools, shown, split_turns, without_failed_attempts
from .grounding import find_hallucinations
from ..execution import is_error_result
from ..values.domains import outside_domain

ROLES = ("system", "user", "assistant", "tool")
MAX_REASONS_PER_CHECK = 5  # keep rows readable; the count of further problems is still reported


def capped(reasons: list[str]) -> list[str]:
    if len(reasons) <= MAX_REASONS_PER_CHECK:
        return reasons
    return reasons[:MAX_REASONS_PER_CHECK] + [f"… and {len(reasons) - MAX_REASONS_PER_CHECK} more"]


# ------------------------------------------------------------------------------------------ structure

def check_structure(messages: list[Any]) -> list[str]:
    """Roles in a valid order, every call answered by a tool message with its id, no empty turns, and the
    assistant has the last word."""
    reasons: list[str] = []
    if not messages:
        return ["the dialogue has no messages"]
    pending: dict[str, str] = {}  # call id → tool name, waiting for its tool message
    seen_ids: set[str] = set()
    previous_role: str | None = None
    seen_user = False
    for position, message in enumerate(messages):
        if not isinstance(message, dict):
            reasons.append(f"message {position} is not an object")
            continue
        role = message.get("role")
        if role not in ROLES:
            reasons.append(f"message {position} has unknown role {role!r}")
            continue
        if role != "tool" and pending:
            reasons.append(f"message {position} ({role}) comes before the answer to call(s) "
                           f"{', '.join(sorted(pending))}")
            pending.clear()
        if role == "system":
            if position != 0:
                reasons.append(f"system message at position {position}; only the first message may be one")
            if not content_text(message).strip():
                reasons.append(f"message {position} (system) is empty")
        elif role == "user":
            if previous_role == "user":
                reasons.append(f"user message {position} follows a user message that got no answer")
            if not content_text(message).strip():
                reasons.append(f"message {position} (user) is empty")
            seen_user = True
        elif role == "assistant":
            if not seen_user:
                reasons.append(f"assistant message {position} comes before any user message")
            calls = message.get("tool_calls") or []
            if not isinstance(calls, list):
                reasons.append(f"message {position} has tool_calls that are not a list")
                calls = []
            if not calls and not content_text(message).strip():
                reasons.append(f"message {position} (assistant) is empty: no text and no calls")
            for entry in calls:
                call_id = entry.get("id") if isinstance(entry, dict) else None
                if not isinstance(call_id, str) or not call_id:
                    reasons.append(f"message {position} has a tool call without an id")
                    continue
                if entry.get("type", "function") != "function":
                    reasons.append(f"call {call_id} has type {entry.get('type')!r}, not 'function'")
                if call_id in seen_ids:
                    reasons.append(f"call id {call_id} is used twice")
                seen_ids.add(call_id)
                function = entry.get("function") if isinstance(entry.get("function"), dict) else {}
                pending[call_id] = str(function.get("name") or "")
        elif role == "tool":
            call_id = message.get("tool_call_id")
            if call_id not in pending:
                why = "was already answered" if call_id in seen_ids else "matches no open call"
                reasons.append(f"tool message {position} answers {call_id!r}, which {why}")
            else:
                name = pending.pop(call_id)
                if message.get("name") not in (None, name):
                    reasons.append(f"tool message {position} is named {message.get('name')!r} but answers a "
                                   f"call to {name!r}")
            if not content_text(message).strip():
                reasons.append(f"message {position} (tool) is empty")
        previous_role = role
    if pending:
        reasons.append(f"call(s) {', '.join(sorted(pending))} never answered by a tool message")
    last = messages[-1]
    if not (isinstance(last, dict) and last.get("role") == "assistant" and content_text(last).strip()
            and not last.get("tool_calls")):
        role = last.get("role") if isinstance(last, dict) else None
        reasons.append(f"the last message is {role!r}, not an assistant answer in text")
    if not seen_user:
        reasons.append("the dialogue has no user message")
    return capped(reasons)


# --------------------------------------------------------------------------------------------- schema

def check_schema(messages: list[Any], tools: list[Any]) -> list[str]:
    """Every call names an offered tool; its arguments are a JSON object that validates against the tool's
    parameter schema (the draft its `$schema` names, else 2020-12), required arguments included."""
    offered = offered_tools(tools)
    reasons: list[str] = []
    for position, call in enumerate(iter_calls(messages), start=1):
        label = f"call {position} {call.name or '<no name>'}"
        if call.name not in offered:
            reasons.append(f"{label}: not an offered tool (offered: {', '.join(sorted(offered)) or 'none'})")
            continue
        if call.arguments_error:
            reasons.append(f"{label}: {call.arguments_error}")
            continue
        parameters = offered[call.name].get("parameters") or {"type": "object", "properties": {}}
        try:
            errors = validation_errors(call.arguments, parameters)
        except UnusableSchema as problem:
            reasons.append(f"{label}: cannot check arguments, {problem}")
            continue
        reasons.extend(f"{label}: argument {error}" for error in errors)
    return capped(reasons)


# ------------------------------------------------------------------------------------------ grounding

def check_grounding(messages: list[Any], tools: list[Any]) -> tuple[list[str], list[str]]:
    """(reasons, hallucinated argument labels `tool.argument`) under the grounding rule (see grounding)."""
    found = find_hallucinations(messages, tools)
    labels = sorted({h.label for h in found})
    return capped([h.reason() for h in found]), labels


# ------------------------------------------------------------------------------------- tool responses

def check_tool_responses(messages: list[Any], returns_by_tool: dict[str, Any]) -> list[str]:
    """Each tool message answering a call to a tool with a declared return schema is JSON that validates
    against it. Tools without a declared schema may answer anything non-empty (structure checks that)."""
    calls = {call.call_id: call for call in iter_calls(messages)}
    names = {call_id: call.name for call_id, call in calls.items()}
    reasons: list[str] = []
    for position, message in enumerate(messages):
        if not (isinstance(message, dict) and message.get("role") == "tool"):
            continue
        name = names.get(str(message.get("tool_call_id"))) or str(message.get("name") or "")
        schema = returns_by_tool.get(name)
        if not isinstance(schema, dict) or not schema:
            continue
        text = content_text(message)
        try:
            output = json.loads(text)
        except json.JSONDecodeError:
            reasons.append(f"tool message {position} ({name}): not JSON, but the tool declares a return schema")
            continue
        if is_error_result(output):  # a tool error answers outside the success schema, as real APIs do
            continue
        try:
            errors = validation_errors(output, schema)
        except UnusableSchema as problem:
            reasons.append(f"tool message {position} ({name}): cannot check the response, {problem}")
            continue
        reasons.extend(f"tool message {position} ({name}): {error}" for error in errors)
        call = calls.get(str(message.get("tool_call_id")))
        if errors and call is not None and isinstance(call.arguments, dict):
            # the cause, where an operand lay outside its operation's domain (a logarithm of -7 is complex):
            # the planner's rule for a chained operand (values.domains)
            reasons.extend(f"tool message {position} ({name}): {why}" for key, value in call.arguments.items()
                           if (why := outside_domain(name, str(key), value)) is not None)
    return capped(reasons)


# ------------------------------------------------------------------------------------- plan adherence

def check_plan_adherence(messages: list[Any], plan: dict[str, Any] | None,
                         missing: str = "no usable plan for this dialogue") -> list[str]:
    """The dialogue has the plan's user turns; in each turn the assistant calls the plan's tools in the
    plan's order, with the plan's values: an argument the plan fixes (the user's value or a default) has
    that value, and one the plan feeds from an earlier call's output holds a value that output returned."""
    if plan is None:
        return [missing]
    planned_turns = plan.get("turns") or []
    planned = [[str(c.get("tool")) for c in (t.get("calls") or [])] for t in planned_turns]
    turns = split_turns(messages)
    reasons: list[str] = []
    if len(turns) != len(planned):
        reasons.append(f"{len(turns)} user turns, the plan has {len(planned)}")
    results = _results_by_call_id(messages)
    made_for: dict[str, Any] = {}  # planned call id -> the call made for it
    for index, (turn, expected, planned_turn) in enumerate(zip(turns, planned, planned_turns), start=1):
        calls = without_failed_attempts(turn.calls, results)  # a failed attempt made again counts once
        made = [call.name for call in calls]
        if made != expected:
            reasons.append(f"turn {index}: called [{', '.join(made)}], the plan says [{', '.join(expected)}]")
            continue
        for call, planned_call in zip(calls, planned_turn.get("calls") or []):
            made_for[str(planned_call.get("call_id"))] = call
            reasons.extend(_value_deviations(index, call, planned_call, made_for, results))
    return capped(reasons)


def _results_by_call_id(messages: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for message in messages:
        if isinstance(message, dict) and message.get("role") == "tool":
            try:
                found[str(message.get("tool_call_id"))] = json.loads(content_text(message))
            except json.JSONDecodeError:
                found[str(message.get("tool_call_id"))] = content_text(message)
    return found


def _value_deviations(turn: int, call: Any, planned_call: dict[str, Any], made_for: dict[str, Any],
                      results: dict[str, Any]) -> list[str]:
    arguments = call.arguments if isinstance(call.arguments, dict) else {}
    reasons: list[str] = []
    for name, source in (planned_call.get("arguments") or {}).items():
        if not isinstance(source, dict):
            continue
        label = f"turn {turn}: {call.name}.{name}"
        if name not in arguments:
            reasons.append(f"{label} is missing; the plan gives it")
            continue
        value = arguments[name]
        if source.get("kind") in ("user", "default"):
            if not same_json(value, source.get("value")):
                reasons.append(f"{label} = {shown(value)}, the plan says {shown(source.get('value'))}")
        elif source.get("kind") == "tool_output":
            producer = made_for.get(str(source.get("call_id")))
            output = results.get(producer.call_id) if producer is not None else None
            index = mention_index(values=[output])
            if producer is None or not all(index.states(leaf) or leaf is None or isinstance(leaf, bool)
                                           for _, leaf in leaves(value)):
                reasons.append(f"{label} = {shown(value)} is not what {source.get('call_id')} returned "
                               f"in {source.get('field')!r}")
    return reasons


def same_json(a: Any, b: Any) -> bool:
    """Two JSON values mean the same, leaf by leaf (`same_value` on scalars)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return same_value(a, b)




# ------------------------------------------------------------------------------------ all of them

CHECK_NAMES = ("structure", "schema", "undeclared_arguments", "grounding", "tool_responses", "result_consistency",
               "entity_state", "value_fit", "reasked_values", "stale_references", "assistant_claims", "plan_adherence",
               "not_duplicate")
"""Every deterministic check, cheapest first; `not_duplicate` runs over the batch (see dedup)."""


def run_safely(check: Callable[[], list[str]], name: str) -> list[str]:
    """A check that crashed is a failed check with the crash as its reason, never a failed batch."""
    try:
        return check()
    except Exception as problem:  # noqa: BLE001 - the row records it
        return [f"{name} check crashed: {type(problem).__name__}: {problem}"]
