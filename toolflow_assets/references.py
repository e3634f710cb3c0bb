"""Implicit references in user messages ("the same city as before", "the order id you just found"), and
what they resolve to. Shared by the generator (it refers back only when the reference resolves to the
value it means) and the stale-reference check (which verifies exactly that), so both agree.

A reference names a label (words such as "order id"); it resolves to the **most recent** value with that
label before the message: the latest earlier call argument or tool-result field whose name has the same
words ("order_id", "orderId" and "order id" are one label). A reference that resolves to nothing, or to
another value than the one the call then uses, misleads a model trained on it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterator

from .mentions import MentionIndex, name_tokens, normalize_text

_LABEL = r"(?P<label>[a-z0-9][a-z0-9 ]{0,40}?)"
REFERENCE_PATTERNS = tuple(re.compile(pattern) for pattern in (
    rf"\bsame {_LABEL} as (?:before|earlier|last time|the last one)\b",
    rf"\b(?:the|that|this) {_LABEL} (?:from|of) (?:before|earlier|that result|the previous step|the last result"
    rf"|the previous result|the last step)\b",
    rf"\b(?:the|that|this) {_LABEL} (?:you|we) (?:just )?(?:found|got|retrieved|returned|looked up|created|added)\b",
    rf"\b(?:the|that|this) {_LABEL} i (?:just )?(?:added|created|registered|gave you|mentioned)\b",
))
_LEADING = ("use ", "take ", "keep ", "same ", "the ", "that ", "this ", "its ", "with ")


@dataclass(frozen=True)
class Reference:
    label: tuple[str, ...]  # the referred label's words, e.g. ('order', 'id')
    text: str  # the phrase as written (normalized)


def find_references(text: str) -> list[Reference]:
    """The implicit references in one user message, in order of appearance."""
    found: list[Reference] = []
    normalized = normalize_text(text)
    for pattern in REFERENCE_PATTERNS:
        for match in pattern.finditer(normalized):
            label = match.group("label")
            changed = True
            while changed:
                changed = False
                for word in _LEADING:
                    if label.startswith(word) and len(label) > len(word):
                        label, changed = label[len(word):], True
            words = name_tokens(label)
            if words:
                found.append(Reference(words, match.group(0)))
    return found


def labelled_values(messages: list[Any]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(label words, scalar value) for every call argument and tool-result field, in dialogue order.

    Nested result fields count by their own name (`order.id` → 'id'; records in a list by their fields)."""
    for message in messages:
        if not isinstance(message, dict):
            continue
        if message.get("role") == "assistant":
            for entry in message.get("tool_calls") or []:
                function = entry.get("function") if isinstance(entry, dict) else None
                arguments = function.get("arguments") if isinstance(function, dict) else None
                if isinstance(arguments, str):
                    try:
                        arguments = json.loads(arguments)
                    except json.JSONDecodeError:
                        continue
                if isinstance(arguments, dict):
                    yield from _fields(arguments, depth=0)
        elif message.get("role") == "tool":
            try:
                result = json.loads(message.get("content") or "")
            except (json.JSONDecodeError, TypeError):
                continue
            yield from _fields(result, depth=0)


def _fields(value: Any, depth: int) -> Iterator[tuple[tuple[str, ...], Any]]:
    if depth > 4:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                yield from _fields(item, depth + 1)
            else:
                yield name_tokens(str(key)), item
    elif isinstance(value, list):
        for item in value:
            yield from _fields(item, depth + 1)


def label_matches(label: tuple[str, ...], name: str | tuple[str, ...]) -> bool:
    """A reference label names this parameter or field: the same words ("user id" = user_id = userId)."""
    words = name if isinstance(name, tuple) else name_tokens(name)
    return bool(words) and tuple(label) == tuple(words)


def most_recent_value(messages: list[Any], label: tuple[str, ...]) -> tuple[bool, Any]:
    """(found, value): the latest argument or result field with this label in these messages."""
    found, latest = False, None
    for words, value in labelled_values(messages):
        if label_matches(label, words):
            found, latest = True, value
    return found, latest


def message_text(message: dict[str, Any]) -> str:
    """A message's text: a string content, or the text parts of a content list (the one reader; the
    quality stage's `conversation.content_text` is this function)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
        return "\n".join(parts)
    return ""


def add_said(index: MentionIndex, message: Any) -> None:
    """What a message makes known: a user message its text, a tool message its result's values (or its
    text, when it is not JSON). Assistant and system text never count: they cannot ground a value."""
    if not isinstance(message, dict) or message.get("role") not in ("user", "tool"):
        return
    text = message_text(message)
    if message.get("role") == "tool":
        try:
            index.add_value(json.loads(text))
            return
        except (json.JSONDecodeError, TypeError):
            pass
    index.add_text(text)


def said_index(messages: list[Any]) -> MentionIndex:
    """Everything the user and the tools said in these messages (see `add_said`)."""
    index = MentionIndex()
    for message in messages:
        add_said(index, message)
    return index
