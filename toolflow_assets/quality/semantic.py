"""Checks a reader would make after the structural ones: does the dialogue make sense?

Each is a pure validator over (messages, tools) that returns readable reasons ([] = pass):
- `check_undeclared_arguments`: a call passes a parameter the tool does not declare (BFCL's checker
  rejects these; JSON Schema accepts them unless `additionalProperties` is false);
- `check_result_consistency`: a result field named like an argument carries another value than the call
  asked for (`getFruitByName(name="Vivid Forest")` answered with fruits named "Fresh River"), or a result
  text states the value an earlier call on the same record gave an argument this call changes (echo.stale_mention);
- `check_assistant_claims`: a number or id in the assistant's text that no earlier user or tool message
  holds (the assistant states what no result said);
- `check_stale_references`: "the X from before / you just found" resolves to another value than the call
  then uses, or to nothing (see `toolflow_assets.references`, shared with the generator).
Values are compared with `toolflow_assets.mentions` (whole tokens, normalized numbers and dates), the same
rule the generator follows.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, Iterator, Mapping

from ..mentions import (as_decimal, field_key, mention_index, name_tokens, normalize_text, same_value, scalar_leaves,
                        written_numbers)
from ..references import find_references, label_matches, most_recent_value
from .conversation import answered_calls, content_text, iter_calls, offered_tools, shown, split_turns
from ..execution import is_error_result
from ..execution.echo import echoes, field_schema, nested_arguments, stale_mention
from ..values.record_names import keys_asked
from ..execution.entities import is_id_name
from .grounding import contexts_before




# ------------------------------------------------------------------------------ undeclared arguments

def check_undeclared_arguments(messages: list[Any], tools: list[Any]) -> list[str]:
    """Every argument of a call is a parameter the tool declares (unless it allows additional ones)."""
    offered = offered_tools(tools)
    reasons: list[str] = []
    for position, call in enumerate(iter_calls(messages), start=1):
        if call.name not in offered or call.arguments_error or not isinstance(call.arguments, dict):
            continue  # the schema check reports these
        parameters = offered[call.name].get("parameters")
        parameters = parameters if isinstance(parameters, dict) else {}
        extra = parameters.get("additionalProperties")
        if extra is True or isinstance(extra, dict):
            continue
        properties = parameters.get("properties") if isinstance(parameters.get("properties"), dict) else {}
        for name in call.arguments:
            if name not in properties:
                declared = ", ".join(sorted(properties)) or "none"
                reasons.append(f"call {position} {call.name}: argument {name!r} is not a parameter of the tool "
                               f"(declared: {declared})")
    return reasons


# ------------------------------------------------------------------------------- result consistency

def _agrees(argument: Any, field_value: Any) -> bool:
    """A result field agrees with the argument of the same name: the same value, or (text) one states
    the other in whole words ("John" and "John Smith")."""
    if same_value(argument, field_value):
        return True
    if isinstance(argument, str) and isinstance(field_value, str) and argument.strip() and field_value.strip():
        return mention_index([field_value]).states(argument) or mention_index([argument]).states(field_value)
    return False


def check_result_consistency(messages: list[Any], returns: Mapping[str, Any] | None = None) -> list[str]:
    """No result field named like an argument contradicts it: top-level and nested object fields must
    agree; in a list of records, at least one record must (a search may also return near matches), except
    for a bare `id` argument, which usually names the parent of the records. A field whose declared schema
    (`returns`: return schemas by tool name) says it reports the call's outcome is no echo (execution/echo.py).
    A top-level `<thing>_key` holds the readable `<thing>` the call asked for (`sport_key` and `sport="tennis"`:
    values.record_names.keys_asked, the rule the simulated executor draws keys by)."""
    reasons: list[str] = []
    earlier: list[Mapping[str, Any]] = []  # the arguments of the calls answered before, in order
    for position, call, result in answered_calls(messages):
        declared = (returns or {}).get(call.name)
        before, earlier = earlier, [*earlier, call.arguments]
        if is_error_result(result):
            continue
        reasons.extend(f"tool message {position} ({call.name}): result text {shown(text)} states the "
                       f"{name} of an earlier call on the same record, not this call's {shown(call.arguments[name])}"
                       for text, name in _stale_texts(result, call.arguments, before))
        asked = {**_asked_keys(result, call.arguments), **nested_arguments(call.arguments), **call.arguments}
        arguments = {_key(name): value for name, value in asked.items()
                     if value is not None and not isinstance(value, (dict, list))}
        if not arguments:
            continue
        for field_name, argument_key, value in _object_fields(result, arguments, declared, declared):
            if not _agrees(arguments[argument_key], value):
                reasons.append(f"tool message {position} ({call.name}): result field {field_name!r} = {shown(value)} "
                               f"contradicts the call's {shown(arguments[argument_key])}")
        for list_name, argument_key, values in _record_fields(result, arguments, declared):
            if argument_key != "id" and values and not any(_agrees(arguments[argument_key], v) for v in values):
                reasons.append(f"tool message {position} ({call.name}): no record in {list_name!r} has the "
                               f"{argument_key} the call asked for ({shown(arguments[argument_key])}; got "
                               f"{shown(values[0])})")
    return reasons


_key = field_key  # the executor's echo rule, shared (toolflow_assets.mentions)


def _asked_keys(result: Any, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The result's top-level `<thing>_key` fields with the value the call asked `<thing>` for, by the
    executor's rule (values.record_names.keys_asked): a scores result for `sport="tennis"` has `sport_key`
    "tennis", not "hockey" (38% of the ToolBench part's records before)."""
    return keys_asked(result, arguments) if isinstance(result, dict) else {}


def _stale_texts(result: Any, arguments: Mapping[str, Any], before: list[Mapping[str, Any]]) -> list[tuple[Any, str]]:
    """(text, argument name) for each text of the result that states the value an earlier call
    on the same record (the same id argument and value) gave an argument this call gives otherwise
    (echo.stale_mention, the rule the executor's entity store follows): "Case info for CAS-97290 and 2017" for
    `case_year="2018"`."""
    ids = {(_key(k), str(v)) for k, v in arguments.items() if is_id_name(k) and isinstance(v, (str, int))}
    earlier: dict[str, list[Any]] = {}
    for other in before:
        if ids & {(_key(k), str(v)) for k, v in other.items() if is_id_name(k) and isinstance(v, (str, int))}:
            for name, value in other.items():
                earlier.setdefault(name, []).append(value)
    if not earlier:
        return []
    by_key = {_key(name): name for name in arguments}
    found = []
    for text in scalar_leaves(result):
        stale = stale_mention(text, arguments, earlier)
        if stale is not None:
            found.append((text, by_key[stale]))
    return found


def _object_fields(result: Any, arguments: dict[str, Any], schema: Any, root: Any,
                   depth: int = 0) -> Iterator[tuple[str, str, Any]]:
    """Echoing scalar fields of the result object and of objects nested in it (not inside lists)."""
    if not isinstance(result, dict) or depth > 3:
        return
    for name, value in result.items():
        sub = field_schema(schema, str(name), root)
        if isinstance(value, dict):
            yield from _object_fields(value, arguments, sub, root, depth + 1)
        elif not isinstance(value, list) and value is not None and _key(name) in arguments and echoes(sub, value):
            yield str(name), _key(name), value


def _record_fields(result: Any, arguments: dict[str, Any], root: Any) -> Iterator[tuple[str, str, list[Any]]]:
    """For each list of records in the result (top level or one object down): the values of each echoing
    field named like an argument, across the records."""
    lists: list[tuple[str, list[Any], Any]] = []  # (name, records, the records' declared schema)
    if isinstance(result, list):
        lists.append(("result", result, field_schema(root, None, root)))
    elif isinstance(result, dict):
        for name, value in result.items():
            sub = field_schema(root, str(name), root)
            if isinstance(value, list):
                lists.append((str(name), value, field_schema(sub, None, root)))
            elif isinstance(value, dict):
                lists.extend((f"{name}.{k}", v, field_schema(field_schema(sub, str(k), root), None, root))
                             for k, v in value.items() if isinstance(v, list))
    for list_name, records, record_schema in lists:
        by_key: dict[str, list[Any]] = {}
        for record in records:
            if isinstance(record, dict):
                for name, value in record.items():
                    if _key(name) in arguments and value is not None and not isinstance(value, (dict, list)) \
                            and echoes(field_schema(record_schema, str(name), root), value):
                        by_key.setdefault(_key(name), []).append(value)
        for key, values in by_key.items():
            yield list_name, key, values


# ---------------------------------------------------------------------------------- assistant claims

_ID_TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[a-z])[a-z0-9]+(?:[-_][a-z0-9]+)+(?![\w-])")
_LIST_MARKER = re.compile(r"(?:^|\n)\s*(\d{1,2})[.)]\s")


def _counts(index_values: list[Any]) -> set[Decimal]:
    """Lengths of the lists in earlier results: "I found 3 flights" is backed by a list of three."""
    found: set[Decimal] = set()

    def walk(value: Any) -> None:
        if isinstance(value, list):
            found.add(Decimal(len(value)))
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for value in index_values:
        walk(value)
    return found


def _numbers_in_names(value: Any) -> set[Decimal]:
    """Numbers that are part of field names ("addressLine2", "userProfile_1"): an answer that names the
    field ("the address line 2 is …") does not claim the number."""
    found: set[Decimal] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.update(Decimal(t) for t in name_tokens(str(key)) if t.isdigit())
            found |= _numbers_in_names(item)
    elif isinstance(value, list):
        for item in value:
            found |= _numbers_in_names(item)
    return found


def _rounds_to(claim: Decimal, unit: Decimal, known: set[Decimal]) -> bool:
    """The claim is a known number, or a known number rounded to the claim's last written digit (`unit`,
    see `mentions.written_numbers`: 0.01 for "4.25", 1 for "800", 1e21 for "8.16e+23")."""
    if claim in known:
        return True
    quantum = unit.normalize()
    for number in known:
        try:
            if number.quantize(quantum) == claim:
                return True
        except ArithmeticError:
            continue
    return False


def check_assistant_claims(messages: list[Any], tools: list[Any] = ()) -> list[str]:
    """Every number and id the assistant writes was said by the user or returned by a tool before it
    (rounding a returned number, or counting a returned list, is fine; a number that is part of a tool's,
    parameter's or field's name, "location 2", is a name, not a claim)."""
    reasons: list[str] = []
    contexts = contexts_before(messages)
    results: list[Any] = []
    declared_names = _numbers_in_names({name: tool.get("parameters") for name, tool in offered_tools(list(tools)).items()})
    for position, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        if message.get("role") == "tool":
            try:
                results.append(json.loads(content_text(message)))
            except json.JSONDecodeError:
                pass
            continue
        if message.get("role") != "assistant":
            continue
        for call in message.get("tool_calls") or []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict):
                results.append({str(function.get("name") or ""): None})
                try:
                    results.append({name: None for name in json.loads(function.get("arguments") or "{}")})
                except (json.JSONDecodeError, TypeError):
                    pass
        text = normalize_text(content_text(message))
        if not text:
            continue
        context = contexts[position]
        known = context.numbers | _counts(results) | declared_names | set().union(*map(_numbers_in_names, results))
        markers = {Decimal(m) for m in _LIST_MARKER.findall(text)}
        unsupported = [format(n, "f") for n, unit in written_numbers(text)
                       if n not in markers and not _rounds_to(n, unit, known)]
        # a token that reads as a number ("5e-07", the tail of "1.5e-07") was judged as one above
        unsupported += [token for token in _ID_TOKEN.findall(text)
                        if as_decimal(token) is None and not context.states(token)]
        if unsupported:
            shown = ", ".join(dict.fromkeys(unsupported))
            reasons.append(f"message {position}: the assistant states {shown}, which no earlier user or tool "
                           "message holds")
    return reasons


# -------------------------------------------------------------------------------- stale references

def check_stale_references(messages: list[Any]) -> list[str]:
    """Each implicit reference in a user message ("the same city as before", "the id you just found")
    resolves to the most recent earlier value with that label, and a call of the turn uses exactly it
    (other calls of the turn may use other values for the same label, stated or found in the turn)."""
    reasons: list[str] = []
    for turn in split_turns(messages):
        references = find_references(turn.user_text)
        if not references:
            continue
        before = messages[: turn.user_index]
        for reference in references:
            used = [(call, name, value) for call in turn.calls if isinstance(call.arguments, dict)
                    for name, value in call.arguments.items() if label_matches(reference.label, str(name))]
            if not used:
                continue  # the reference names no argument of this turn: nothing to verify
            found, latest = most_recent_value(before, reference.label)
            words = " ".join(reference.label)
            if not found:
                reasons.append(f"turn {turn.index + 1}: {reference.text!r} refers to an earlier {words}, but none "
                               "was given or returned before")
                continue
            if not any(same_value(value, latest) for _, _, value in used if not isinstance(value, (dict, list))):
                call, name, value = used[0]
                reasons.append(f"turn {turn.index + 1}: {reference.text!r} means {shown(latest)} (the most "
                               f"recent {words}), but {call.name} uses {name} = {shown(value)}")
    return reasons

