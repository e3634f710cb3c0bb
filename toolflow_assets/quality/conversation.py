"""Reading a stored dialogue: its messages split into user turns, the calls made, and derived features.

Shared by the checks, the report and the export, so "a turn", "a call" and "a chained dialogue" mean the
same thing everywhere. Everything here is tolerant of malformed input (the structure check is what
reports malformations); it never raises on a bad message, it skips what it cannot read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..execution import is_error_result
from ..mentions import MentionIndex, number_text, same_value
from ..references import message_text


@dataclass(frozen=True)
class Call:
    """One `tool_calls` entry, as made by the assistant."""

    call_id: str
    name: str
    arguments_text: str
    arguments: Any  # parsed JSON, or None when `arguments_text` is not valid JSON
    arguments_error: str | None
    message_index: int
    turn_index: int  # 0-based index of the user turn it belongs to; -1 before the first user message


@dataclass
class Turn:
    """A user message and everything up to the next user message."""

    index: int
    user_index: int  # position of the user message in the dialogue
    user_text: str
    calls: list[Call] = field(default_factory=list)
    messages: list[int] = field(default_factory=list)  # positions of the messages after the user message


def load_json_list(text: Any) -> tuple[list[Any], str | None]:
    """A JSON list stored as text (messages, tools): (the list, None) or ([], why it is unreadable)."""
    if isinstance(text, list):
        return text, None
    if not isinstance(text, str) or not text.strip():
        return [], "empty"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as problem:
        return [], f"not valid JSON ({problem.msg} at {problem.pos})"
    if not isinstance(value, list):
        return [], f"JSON {type(value).__name__}, not a list"
    return value, None


content_text = message_text  # a message's text (references.message_text, shared with the generator)


def shown(value: Any, width: int = 40) -> str:
    """A value as JSON for a reason a person reads, cut to `width` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def iter_calls(messages: list[Any]) -> Iterator[Call]:
    """Every tool call the assistant makes, in order, with the user turn it belongs to."""
    turn = -1
    for position, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        if message.get("role") == "user":
            turn += 1
        if message.get("role") != "assistant":
            continue
        for entry in message.get("tool_calls") or []:
            if not isinstance(entry, dict):
                continue
            function = entry.get("function") if isinstance(entry.get("function"), dict) else {}
            raw = function.get("arguments")
            parsed, error = parse_arguments(raw)
            yield Call(
                call_id=str(entry.get("id") or ""),
                name=str(function.get("name") or ""),
                arguments_text=raw if isinstance(raw, str) else json.dumps(raw),
                arguments=parsed,
                arguments_error=error,
                message_index=position,
                turn_index=turn,
            )


def answered_calls(messages: list[Any]) -> Iterator[tuple[int, Call, Any]]:
    """(tool message position, the call it answers, the parsed result) for results that are JSON."""
    calls = {call.call_id: call for call in iter_calls(messages)}
    for position, message in enumerate(messages):
        if not (isinstance(message, dict) and message.get("role") == "tool"):
            continue
        call = calls.get(str(message.get("tool_call_id")))
        if call is None or not isinstance(call.arguments, dict):
            continue
        try:
            yield position, call, json.loads(content_text(message))
        except json.JSONDecodeError:
            continue


def tool_results(messages: list[Any]) -> Iterator[tuple[int, str, Any]]:
    """(position, tool name, parsed result) for each tool message whose content is JSON, the name read from
    the call it answers (else the message's own `name`)."""
    names = {call.call_id: call.name for call in iter_calls(messages)}
    for position, message in enumerate(messages):
        if not (isinstance(message, dict) and message.get("role") == "tool"):
            continue
        try:
            result = json.loads(content_text(message))
        except json.JSONDecodeError:
            continue
        yield position, names.get(str(message.get("tool_call_id"))) or str(message.get("name") or ""), result


def parse_arguments(raw: Any) -> tuple[Any, str | None]:
    """A call's `arguments`: the OpenAI format says a JSON string that decodes to an object."""
    if not isinstance(raw, str):
        return None, f"arguments are {type(raw).__name__}, not a JSON string"
    try:
        value = json.loads(raw) if raw.strip() else None
    except json.JSONDecodeError as problem:
        return None, f"arguments are not valid JSON ({problem.msg})"
    if not isinstance(value, dict):
        return None, f"arguments decode to {type(value).__name__}, not an object"
    return value, None


def split_turns(messages: list[Any]) -> list[Turn]:
    """The dialogue as user turns; calls are attached to the turn in which they were made."""
    turns: list[Turn] = []
    for position, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        if message.get("role") == "user":
            turns.append(Turn(index=len(turns), user_index=position, user_text=content_text(message)))
        elif turns:
            turns[-1].messages.append(position)
    for call in iter_calls(messages):
        if 0 <= call.turn_index < len(turns):
            turns[call.turn_index].calls.append(call)
    return turns


def without_failed_attempts(calls: list[Call], results: dict[str, Any]) -> list[Call]:
    """The turn's calls with each failed attempt replaced by its retry (same tool and arguments, later in
    the turn; after a rate limit or a timeout), in the failed attempt's place: the plan counts the call once,
    where it was first made."""
    kept: list[Call] = []
    used: set[str] = set()
    for position, call in enumerate(calls):
        if call.call_id in used:
            continue
        retry = next((later for later in calls[position + 1:] if later.call_id not in used and later.name == call.name
                      and later.arguments == call.arguments), None) if is_error_result(results.get(call.call_id)) else None
        if retry is not None:
            used.add(retry.call_id)
            kept.append(retry)
        else:
            kept.append(call)
    return kept


def user_texts(messages: list[Any]) -> list[str]:
    return [content_text(m) for m in messages if isinstance(m, dict) and m.get("role") == "user"]


def natural_texts(messages: list[Any]) -> list[str]:
    """What people read: user and assistant text (tool JSON and call arguments excluded)."""
    return [
        content_text(m)
        for m in messages
        if isinstance(m, dict) and m.get("role") in ("user", "assistant") and content_text(m).strip()
    ]


def offered_tools(tools: list[Any]) -> dict[str, dict[str, Any]]:
    """Offered OpenAI tool definitions by function name → the function object."""
    offered: dict[str, dict[str, Any]] = {}
    for entry in tools:
        if isinstance(entry, dict):
            function = entry.get("function") if isinstance(entry.get("function"), dict) else entry
            name = function.get("name")
            if isinstance(name, str) and name:
                offered[name] = function
    return offered


def called_tool_names(messages: list[Any]) -> list[str]:
    return [call.name for call in iter_calls(messages)]


def tool_combination(messages: list[Any], tools: list[Any]) -> str:
    """The set of tools a dialogue uses, as one key: the called tools, else the offered ones.

    Used for the no-leakage split and for "distinct tool combinations" in the report.
    """
    names = sorted(set(called_tool_names(messages))) or sorted(offered_tools(tools))
    return "|".join(names)


# ------------------------------------------------------------------------------------- value helpers

def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(path, scalar) for every leaf of a JSON value, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, path + (index,))
    else:
        yield path, value


def value_text(value: Any) -> str | None:
    """A scalar as comparable text: strings case-folded, numbers by `number_text`; None for null/bool."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value.strip().casefold()
    if isinstance(value, (int, float)):
        return number_text(value)
    return None


def chained_arguments(messages: list[Any]) -> list[tuple[str, str]]:
    """(tool, argument) pairs whose value comes from an earlier tool output.

    A leaf of a call's arguments counts when it equals (`mentions.same_value`) a leaf of an earlier tool
    response and the user had not stated it before the call (`mentions`: whole tokens, so an id is not
    "stated" by a word that contains it); then the tool, not the user, is its source. Null, booleans and
    empty strings carry no evidence and never count.
    """
    found: list[tuple[str, str]] = []
    tool_values: list[Any] = []
    said_by_user = MentionIndex()
    for message in messages:
        if not isinstance(message, dict):
            continue
        role = message.get("role")
        if role == "user":
            said_by_user.add_text(content_text(message))
        elif role == "tool":
            try:
                output = json.loads(content_text(message))
            except json.JSONDecodeError:
                continue
            tool_values.extend(leaf for _, leaf in leaves(output) if value_text(leaf))
        elif role == "assistant":
            for entry in message.get("tool_calls") or []:
                function = entry.get("function") if isinstance(entry, dict) else None
                if not isinstance(function, dict):
                    continue
                arguments, error = parse_arguments(function.get("arguments"))
                if error:
                    continue
                for name, value in arguments.items():
                    for _, leaf in leaves(value):
                        if value_text(leaf) and not said_by_user.states(leaf) \
                                and any(same_value(leaf, known) for known in tool_values):
                            found.append((str(function.get("name") or ""), str(name)))
                            break
    return found


def is_chained(messages: list[Any]) -> bool:
    return bool(chained_arguments(messages))
