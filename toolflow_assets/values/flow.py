"""How a value moves from one tool's output into another tool's argument (parameter provenance).

A `data_flow` edge says "field `src_field` of tool A's result can fill parameter `dst_field` of tool B".
Both are paths (`hotels[].hotel_id`, `location.city`; `result` is the whole return value when it is not an
object, the graph stage's convention). The planner uses `flow_is_feasible` to keep only edges that can
really carry a value; the offline tool agent uses `joint_value` to pick one value that is valid for the
producing field and every consuming parameter, and `coerce_for` to pass it on (a number read into a
string parameter is passed as its text, which still appears verbatim in the tool's JSON output). An id
passes only into an id of the same thing (`id_thing`, `same_thing`: a tweet's id never fills `province_id`),
the rule the grounding check holds dialogues to as well.
"""

from __future__ import annotations

import random
from typing import Any, Sequence

from ..json_schema.paths import get_path, last_field, parse_path
from ..json_schema.refs import resolve_ref
from ..json_schema.walk import declared_types, schema_at
from ..meanings import rule_for, same_meaning
from ..mentions import field_key, name_tokens
from ..tools import Tool
from ..typed_values import is_placeholder
from . import is_valid, number_text, singular, synthesize
from .timed_values import time_misfit

JOINT_ATTEMPTS = 6


def output_path(tool: Tool, path: str) -> str:
    """The path inside the actual result: `result…` means the whole value for non-object returns."""
    text = str(path or "").strip()
    returns = tool.returns
    if text == "result" or text.startswith("result.") or text.startswith("result["):
        declared_object = isinstance(returns, dict) and (
            "object" in declared_types(returns) or isinstance(returns.get("properties"), dict))
        if isinstance(returns, dict) and returns and not declared_object:
            rest = text[len("result"):]
            return rest[1:] if rest.startswith(".") else rest
    return text


def output_schema(tool: Tool, path: str) -> tuple[bool, Any]:
    """(the field can exist, its schema or None when unknown). A tool without a return schema can
    return any field; a declared schema must have the field (or allow extra properties)."""
    if not isinstance(tool.returns, dict) or not tool.returns:
        return True, None
    inner = output_path(tool, path)
    if not parse_path(inner):
        return True, tool.returns
    schema = schema_at(tool.returns, inner)
    if schema is not None:
        return True, schema
    return False, None


def parameter_schema(tool: Tool, path: str) -> Any:
    """The schema of an input parameter path (`location`, `filter.city`, `ids[]`), or None if absent."""
    if not parse_path(path):
        return None
    return schema_at(tool.parameters or {}, path)


def top_parameter(path: str) -> str:
    parts = parse_path(path)
    return str(parts[0]) if parts else ""


def coerce_for(value: Any, schema: Any) -> tuple[bool, Any]:
    """(ok, the value as the consuming parameter takes it): as is, a number as its text, a numeric text
    as a number, or one element as a one-item array; the result must be valid for `schema`."""
    if schema is None or is_valid(value, schema):
        return True, value
    types = declared_types(resolve_ref(schema, schema)) if isinstance(schema, dict) else []
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "string" in types:
        text = number_text(value)
        if is_valid(text, schema):
            return True, text
    if isinstance(value, str) and ("integer" in types or "number" in types):
        try:
            number: Any = int(value) if value.strip().lstrip("-").isdigit() else float(value)
        except (ValueError, OverflowError):
            number = None
        if number is not None and number_text(number) == value.strip() and is_valid(number, schema):
            return True, number
    if "array" in types and not isinstance(value, list) and is_valid([value], schema):
        return True, [value]  # one element read into an array parameter (`ids[]`)
    return False, value


PLACEHOLDER = "a value that names something (a qualifier before its own name is a placeholder)"


def misfit(value: Any, name: str, description: str = "") -> str | None:
    """The meaning a scalar `value` cannot have under `name` (and its description), else None: the rule the
    quality stage's value_fit holds every value to and value synthesis follows. `meanings.rule_for` (a year is
    no tax rate, 21.1 is no fraction of 0-1), then `timed_values.time_misfit` (opening hours are no number, a
    waiting time no time of day)."""
    if not name:
        return None
    rule = rule_for(name, description)
    if rule is not None and not rule.allows(value):
        return rule.meaning
    if is_placeholder(value, name):
        return PLACEHOLDER
    return time_misfit(name, value, description)


def takes(value: Any, name: str, schema: Any) -> bool:
    """The parameter `name` (`schema`) can take `value`: as the schema allows (`coerce_for`) and as its name
    and description mean (`misfit`)."""
    ok, coerced = coerce_for(value, schema)
    if not ok:
        return False
    description = schema.get("description", "") if isinstance(schema, dict) else ""
    return misfit(coerced, name, str(description or "")) is None


def joint_value(
    producer_schema: Any,
    consumers: Sequence[tuple[str, Any]],
    rng: random.Random,
    producer_name: str = "",
    producer_root: Any = None,
) -> tuple[bool, Any]:
    """A value for an output field that every consumer (parameter name, schema) can take (after
    `coerce_for`) and that is valid for the producing field's schema (None = unknown, anything goes)."""
    meaning = rule_for(last_field(producer_name)) if producer_name else None

    def fits(value: Any) -> bool:
        if value is None:
            return False
        if producer_schema is not None and not is_valid(value, producer_schema):
            return False
        if meaning is not None and not meaning.allows(value):
            return False  # an `event_year` holds a year, whatever a consumer named `event` would take
        return all(takes(value, name, schema) for name, schema in consumers)

    candidates: list[Any] = []
    for _, schema in consumers:
        if isinstance(schema, dict) and isinstance(schema.get("enum"), list):
            candidates.extend(v for v in schema["enum"] if v is not None)
    if isinstance(producer_schema, dict) and isinstance(producer_schema.get("enum"), list):
        candidates.extend(v for v in producer_schema["enum"] if v is not None)
    rng.shuffle(candidates)
    for value in candidates[:64]:  # enums are short; try them all, since their overlap may be one value
        if fits(value):
            return True, value
    for attempt in range(JOINT_ATTEMPTS):
        for name, schema in consumers:
            value = synthesize(schema, rng, name=name)
            if fits(value):
                return True, value
        if producer_schema is not None:
            value = synthesize(producer_schema, rng, name=producer_name,
                               root=producer_root if producer_root is not None else producer_schema)
            if fits(value):
                return True, value
    return False, None


def flow_is_feasible(src: Tool, src_field: str, dst: Tool, dst_field: str, seed: int = 0,
                     src_noun: Sequence[str] = (), dst_noun: Sequence[str] = ()) -> bool:
    """True when some value can be returned at `src_field` and passed to `dst_field`. The tools' nouns
    (`execution.verbs.verb_and_noun`: `get_tweet` → tweet) say which thing a bare `id` names (`same_thing`)."""
    if not same_meaning(last_field(src_field), last_field(dst_field)):
        return False  # a date does not fill a city, whatever the schema types allow (meanings.py)
    if not same_thing(id_thing(src_field, src_noun), id_thing(dst_field, dst_noun)):
        return False  # a tweet's id is no province's id, however alike two numbers look
    exists, producer = output_schema(src, src_field)
    if not exists:
        return False
    consumer = parameter_schema(dst, dst_field)
    if consumer is None:
        return False
    if not _echo_can_flow(src, src_field, producer, consumer, seed):
        return False
    ok, _ = joint_value(producer, [(dst_field, consumer)], random.Random(seed),
                        producer_name=src_field, producer_root=src.returns)
    return ok


# ------------------------------------------------------------------------------------ ids of one thing

_ID_WORDS = frozenset({"id", "ids", "uuid", "guid", "identifier"})
# words that name no thing of their own, before `id` (`item_id`, `parent_id`), as a container field
# (`results[].id`) or in a tool's noun (`get_tweet_details`): the thing is read further out
_NO_THING = frozenset({"item", "items", "object", "entity", "resource", "record", "records", "entry", "entries",
                       "unique", "external", "internal", "ref", "reference", "primary", "parent", "target", "result",
                       "results", "data", "response", "output", "info", "information", "detail", "details", "list",
                       "summary", "metadata", "status", "all", "new", "my"}) | _ID_WORDS
# a person's account under the role they play: a message's receiver is a user (BFCL's `get_user_id` feeds
# `send_message(receiver_id)`), a tweet's author too, and `get_user_profile`'s bare id is the user's
_PERSON_ROLES = frozenset({"user", "receiver", "recipient", "sender", "owner", "author", "member", "creator",
                           "assignee", "participant", "contact", "follower", "profile"})


# how a thing is made or served, after the thing it is of: a `cocktail recipe`'s id is the cocktail's (The
# Cocktail DB's `List of Cocktails` ids are what `Detailed Cocktail Recipe by ID` takes); alone, a recipe is one
_ASPECTS = frozenset({"recipe", "recipes"})


def _thing_of(words: Sequence[str]) -> str:
    """The last word that names a thing, singular ("" when none does); a person's role is a user."""
    named = [w for w in words if not w.isdigit()]
    for position in range(len(named) - 1, -1, -1):
        word = named[position]
        if word in _ASPECTS and any(w not in _NO_THING for w in named[:position]):
            continue
        if word not in _NO_THING:
            thing = singular(word)
            return "user" if thing in _PERSON_ROLES else thing
    return ""


def id_thing(path: str, tool_noun: Sequence[str] = ()) -> str | None:
    """The thing an identifier names: `tweet_id` → "tweet", `customDashboardId` → "dashboard", `receiver_id` →
    "user"; a bare `id` (or `item_id`) that of its nearest parent field that names one (`matching_tweets[].id` →
    "tweet"), else of the tool's noun (`get_tweet`'s `id` → "tweet"). None when the field is no identifier, ""
    when nothing says which thing it names. The planner's links and the grounding check read this one rule."""
    steps = [str(p) for p in parse_path(str(path or "").replace("[]", "")) if isinstance(p, str)]
    words = name_tokens(steps[-1]) if steps else ()
    if not words or words[-1] not in _ID_WORDS:
        return None
    for candidate in (words[:-1], *(name_tokens(step) for step in reversed(steps[:-1])), tuple(tool_noun)):
        thing = _thing_of(candidate)
        if thing:
            return thing
    return ""


def same_thing(producer: str | None, consumer: str | None) -> bool:
    """An id read into an id names the same thing (`id_thing` of both): a tweet id never fills a
    `province_id`. Anything else (a field that is no id, an id of an unknown thing) is not this rule's business."""
    return not producer or not consumer or producer == consumer


ECHO_SAMPLES = 8


def _echo_can_flow(src: Tool, src_field: str, producer: Any, consumer: Any, seed: int) -> bool:
    """A result field named like one of the tool's own parameters echoes the argument (the executor never
    contradicts a call), so whatever the user gives for that parameter must be able to pass on: every
    one of a few sample values of the parameter fits the field and the consuming parameter."""
    leaf = [p for p in parse_path(output_path(src, src_field)) if isinstance(p, str)]
    if not leaf:
        return True
    key = field_key(leaf[-1])
    properties = (src.parameters or {}).get("properties") if isinstance(src.parameters, dict) else None
    if not isinstance(properties, dict):
        return True
    own = next((schema for name, schema in properties.items() if field_key(name) == key), None)
    if own is None:
        return True
    rng = random.Random(seed)
    for _ in range(ECHO_SAMPLES):
        value = synthesize(own, rng, name=leaf[-1], root=src.parameters)
        if producer is not None and not is_valid(value, producer):
            return False
        if not coerce_for(value, consumer)[0]:
            return False
    return True


def read_output(result: Any, tool: Tool, path: str) -> tuple[bool, Any]:
    """(found, value) of a field in an actual tool result."""
    return get_path(result, output_path(tool, path))
