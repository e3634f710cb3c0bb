"""Grounding: is every argument value something the assistant could know when it made the call?

The rule (agreed with the generation stage, which writes values so that it holds): a value is grounded if
- it equals the parameter's declared JSON Schema `default`; or
- it is a boolean; or
- it is one of the parameter's `enum` values; or
- it is *mentioned* in an earlier user message or tool result, by the whole-token rule of
  `toolflow_assets.mentions` (shared with the generator): words as whole tokens after normalization
  ("new york" states "New York", "search" never states "SEA"), numbers by value ("$2,500" states 2500,
  but `2` is not in "4.2"), dates in any common written form;
- arrays and objects: every leaf is grounded by these rules (defaults and enums of the nested schema
  count too).
Null is grounded: it states nothing the dialogue could have invented. "Earlier" means before the
assistant message that makes the call; the assistant's own text, the system prompt and the tool
descriptions (with their examples) never ground a value.

One exception: an id argument the user never stated, whose only earlier sources are ids of other things
(`get_tweet`'s `id` 5 read into `province_id`), is not grounded: it was read from the wrong thing. Which
thing an id names is the planner's rule for links (`values.flow.id_thing` / `same_thing`, with the tool's
noun from `execution.verbs`), so the planner never plans what this check fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..execution.verbs import verb_and_noun
from ..json_schema.walk import branches, child_schemas
from ..mentions import MentionIndex, same_value
from ..references import add_said
from ..tools import Tool
from ..values.flow import id_thing, same_thing
from .conversation import content_text, iter_calls, leaves, offered_tools


@dataclass(frozen=True)
class Hallucination:
    call_position: int  # 1-based, over all calls of the dialogue
    tool: str
    argument: str  # the top-level argument name
    path: str  # where inside the argument (`` for the value itself, `stops/0/city` for a leaf)
    value: Any
    misread_from: str = ""  # `tool.field`: an id of another thing, the value's only earlier source

    @property
    def label(self) -> str:
        return f"{self.tool}.{self.argument}"

    def reason(self) -> str:
        where = f"{self.argument}/{self.path}" if self.path else self.argument
        shown = json.dumps(self.value, ensure_ascii=False)
        if len(shown) > 60:
            shown = shown[:59] + "…"
        if self.misread_from:
            return (f"call {self.call_position} {self.tool}: argument {where!r} = {shown} is read from "
                    f"{self.misread_from}, an id of another thing")
        return (f"call {self.call_position} {self.tool}: argument {where!r} = {shown} appears in no earlier "
                "user or tool message and is not a declared default or enum value")


def _normalized(value: Any) -> str:
    """Canonical JSON where 1 and 1.0 compare equal but True and 1 do not."""

    def fix(item: Any) -> Any:
        if isinstance(item, bool) or item is None or isinstance(item, str):
            return item
        if isinstance(item, float) and item.is_integer():
            return int(item)
        if isinstance(item, dict):
            return {str(k): fix(v) for k, v in item.items()}
        if isinstance(item, list):
            return [fix(v) for v in item]
        return item

    return json.dumps(fix(value), sort_keys=True, ensure_ascii=False)


def _declared(value: Any, schemas: list[dict[str, Any]]) -> bool:
    """The value is the declared default or one of the enum values of any of these schemas."""
    target = _normalized(value)
    for schema in schemas:
        if "default" in schema and _normalized(schema["default"]) == target:
            return True
        if "const" in schema and _normalized(schema["const"]) == target:
            return True
        if isinstance(schema.get("enum"), list) and any(_normalized(v) == target for v in schema["enum"]):
            return True
    return False


def is_grounded_scalar(value: Any, schemas: list[dict[str, Any]], context: MentionIndex) -> bool:
    """One leaf by the rule; `context` indexes the earlier user and tool messages."""
    if value is None or isinstance(value, bool):
        return True
    if _declared(value, schemas):
        return True
    if isinstance(value, str) and not value.strip():
        return True  # an empty string states nothing the dialogue could have invented
    return context.states(value)


def ungrounded_leaves(value: Any, schema: Any, root: Any, context: MentionIndex) -> list[tuple[str, Any]]:
    """(path, leaf) for every leaf of `value` that is not grounded; [] when the value is grounded."""
    schemas = branches(schema, root)
    if _declared(value, schemas):
        return []
    missing: list[tuple[str, Any]] = []
    for path, leaf in leaves(value):
        leaf_schemas = schemas
        for step in path:
            leaf_schemas = child_schemas(leaf_schemas, step, root)
        if not is_grounded_scalar(leaf, leaf_schemas, context):
            missing.append(("/".join(str(p) for p in path), leaf))
    return missing


def find_hallucinations(messages: list[Any], tools: list[Any]) -> list[Hallucination]:
    """Every argument value (or leaf) of every call that the grounding rule does not accept.

    Calls whose arguments cannot be read are the schema check's business and are skipped here.
    """
    offered = offered_tools(tools)
    contexts = contexts_before(messages)
    found: list[Hallucination] = []
    for position, call in enumerate(iter_calls(messages), start=1):
        if call.arguments_error or not isinstance(call.arguments, dict):
            continue
        parameters = offered.get(call.name, {}).get("parameters")
        root = parameters if isinstance(parameters, dict) else {}
        properties = root.get("properties") if isinstance(root.get("properties"), dict) else {}
        context = contexts[call.message_index]
        for name, value in call.arguments.items():
            for path, leaf in ungrounded_leaves(value, properties.get(name, {}), root, context):
                found.append(Hallucination(position, call.name, str(name), path, leaf))
    return found + misread_ids(messages, tools)


def misread_ids(messages: list[Any], tools: list[Any]) -> list[Hallucination]:
    """Id arguments read from an id of another thing: the user never stated the value, not declared either,
    and every earlier result field that holds it is an id of a thing other than the one the argument names
    (`same_thing`). A source that is no id (`history`, `value`) or an id of an unknown thing clears it."""
    offered = offered_tools(tools)
    nouns: dict[str, tuple[str, ...]] = {}

    def noun(name: str) -> tuple[str, ...]:
        if name not in nouns:
            function = offered.get(name, {})
            nouns[name] = tuple(verb_and_noun(Tool(tool_id="", name=name, description=str(function.get("description")
                                                   or ""), parameters=function.get("parameters") or {}, returns=None,
                                                   source="", source_format="", category=""))[1])
        return nouns[name]

    calls = list(iter_calls(messages))
    names = {call.call_id: call.name for call in calls}
    by_message: dict[int, list[tuple[int, Any]]] = {}
    for position, call in enumerate(calls, start=1):
        by_message.setdefault(call.message_index, []).append((position, call))
    said_by_user = MentionIndex()
    produced: list[tuple[str, str, Any]] = []  # (tool, field path, value) of every earlier result leaf
    found: list[Hallucination] = []
    for index, message in enumerate(messages):
        role = message.get("role") if isinstance(message, dict) else None
        if role == "user":
            add_said(said_by_user, message)
        elif role == "tool":
            try:
                result = json.loads(content_text(message))
            except json.JSONDecodeError:
                continue
            tool = names.get(str(message.get("tool_call_id"))) or str(message.get("name") or "")
            produced.extend((tool, _field_path(path), leaf) for path, leaf in leaves(result))
        for position, call in by_message.get(index, []):
            if call.arguments_error or not isinstance(call.arguments, dict):
                continue
            parameters = offered.get(call.name, {}).get("parameters")
            properties = parameters.get("properties") if isinstance(parameters, dict) else None
            for name, value in call.arguments.items():
                schema = properties.get(name) if isinstance(properties, dict) else None
                if _declared(value, branches(schema or {}, parameters or {})):
                    continue
                for path, leaf in leaves(value):
                    source = _misread_source(leaf, _field_path((name, *path)), noun(call.name), said_by_user,
                                             produced, noun)
                    if source:
                        found.append(Hallucination(position, call.name, str(name), "/".join(map(str, path)), leaf,
                                                   misread_from=source))
    return found


def _misread_source(value: Any, field: str, tool_noun: tuple[str, ...], said_by_user: MentionIndex,
                    produced: list[tuple[str, str, Any]], noun: Any) -> str:
    """`tool.field` of the id of another thing this value was read from, else ""."""
    thing = id_thing(field, tool_noun)
    if not thing or value is None or isinstance(value, bool) or said_by_user.states(value):
        return ""
    sources = [(tool, path) for tool, path, known in produced if same_value(value, known)]
    if not sources or any(same_thing(id_thing(path, noun(tool)), thing) for tool, path in sources):
        return ""
    tool, path = sources[-1]
    return f"{tool}.{path}"


def _field_path(path: tuple[Any, ...]) -> str:
    """A leaf's named steps (`matching_tweets.id`): list positions say nothing of which thing an id names."""
    return ".".join(str(step) for step in path if isinstance(step, str))


def contexts_before(messages: list[Any]) -> list[MentionIndex]:
    """For each message position: what the user and the tools had said before it (an index of mentions)."""
    contexts: list[MentionIndex] = []
    index = MentionIndex()
    for message in messages:
        contexts.append(_snapshot(index))
        add_said(index, message)
    return contexts


def _snapshot(index: MentionIndex) -> MentionIndex:
    return MentionIndex(texts=list(index.texts), numbers=set(index.numbers), dates=set(index.dates))
