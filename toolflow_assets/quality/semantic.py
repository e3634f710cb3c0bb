"""Checks a reader would make after the structural ones: does the dialogue make sense?

Each is a pure validator over (messages, tools) that returns readable reasons ([] = pass):
- `check_undeclared_arguments`: a call passes a parameter the tool does not declare (BFCL's checker
  rejects these; JSON Schema accepts them unless `additionalProperties` is false);
- `check_reasked_values`: the assistant asks for a value the user had already given;
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
from ..planning.phrasing import spoken_label
from ..references import find_references, label_matches, most_recent_value
from .conversation import Call, content_text, iter_calls, leaves, offered_tools, shown, split_turns
from ..execution import is_error_result
from ..execution.echo import echoes, field_schema, stale_mention
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


# ---------------------------------------------------------------------------------- re-asked values

def _is_question(text: str) -> bool:
    return "?" in text


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


def _sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def _phrase(words: tuple[str, ...]) -> re.Pattern[str]:
    """A name's words as written in a sentence: "quantity 1", "quantity1", "quantity_1"."""
    return re.compile(r"(?<![\w.])" + r"[\s_-]?".join(map(re.escape, words)) + r"(?![\w.]|,\d)")


def _label_forms(name: str) -> tuple[tuple[str, ...], ...]:
    """The words a parameter is named by in conversation: its own ("post code src") and as a person says it
    (`spoken_label`: "origin postcode"), the words the generator's users and assistant use."""
    own = name_tokens(str(name))
    spoken = name_tokens(spoken_label(str(name)))
    return (own, spoken) if spoken and spoken != own else (own,)


def _said_as(sentences: list[str], words: tuple[str, ...], value: Any,
             numbered: frozenset[tuple[str, ...]] = frozenset(),
             spoken: tuple[tuple[str, ...], ...] = ()) -> bool:
    """The user stated this value for this label: one sentence names the label's words (or the words it is
    `spoken` by) and the value. A numbered label ("quantity1") is named by its words and number together
    ("quantity 1"), and the number of a numbered name (`numbered`: the calls' names with a number, "the
    temperature 1 13") is part of that name, not a value."""
    for sentence in sentences:
        text = normalize_text(sentence)
        said = set(name_tokens(text))
        if not any(set(form) <= said for form in (words, *spoken)):
            continue
        if words in numbered and not _phrase(words).search(text):
            continue
        for name in numbered:
            text = _phrase(name).sub(" ", text)
        if mention_index([text]).states(value):
            return True
    return False


def check_reasked_values(messages: list[Any], tools: list[Any]) -> list[str]:
    """The assistant asks for a value (its question names a parameter that a following call fills) that
    the user had already stated for it before the question (in a sentence naming the parameter)."""
    reasons: list[str] = []
    turns = split_turns(messages)
    user_sentences: list[str] = []
    turn_of_message = {}
    for turn in turns:
        for position in [turn.user_index, *turn.messages]:
            turn_of_message[position] = turn.index
    for position, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        role = message.get("role")
        if role == "user":
            user_sentences.extend(_sentences(content_text(message)))
            continue
        if role != "assistant" or message.get("tool_calls"):
            continue
        question = content_text(message)
        if not _is_question(question):
            continue
        asked_words = {word for sentence in _sentences(question) if sentence.rstrip().endswith("?")
                       for word in name_tokens(sentence)}
        turn_index = turn_of_message.get(position, -1)
        following = [call for turn in turns[turn_index + 1: turn_index + 2] for call in turn.calls]
        asked: dict[tuple[str, ...], list[Any]] = {}  # label words → the values the following calls use
        forms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}  # label words → the ways it is said
        numbered: set[tuple[str, ...]] = set()  # "quantity1", "temperature 1": a name, its number no value
        for call in following:
            if isinstance(call.arguments, dict):
                for name, value in call.arguments.items():
                    words, *spoken = _label_forms(str(name))
                    if any(word.isdigit() for word in words):
                        numbered.add(words)
                    if words and any(set(form) <= asked_words for form in (words, *spoken)):
                        asked.setdefault(words, []).append(value)
                        forms[words] = tuple(spoken)
        # "what time threshold?" asks for the time threshold, not for the threshold the user gave: of labels
        # whose words are all in the question, only the most specific ones count
        asked = {words: values for words, values in asked.items()
                 if not any(set(words) < set(other) for other in asked)}
        for words, values in asked.items():
            stated = [leaf for value in values for _, leaf in leaves(value)
                      if leaf is not None and not isinstance(leaf, bool)]
            # a re-ask when every value used for the label was already given for it: the question adds nothing
            if stated and all(_said_as(user_sentences, words, leaf, frozenset(numbered), forms[words])
                              for leaf in stated):
                reasons.append(f"message {position}: the assistant asks for the {' '.join(words)}, but the user "
                               f"had already given it ({shown(values[0])})")
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


def _answered_calls(messages: list[Any]) -> Iterator[tuple[int, Call, Any]]:
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


def check_result_consistency(messages: list[Any], returns: Mapping[str, Any] | None = None) -> list[str]:
    """No result field named like an argument contradicts it: top-level and nested object fields must
    agree; in a list of records, at least one record must (a search may also return near matches), except
    for a bare `id` argument, which usually names the parent of the records. A field whose declared schema
    (`returns`: return schemas by tool name) says it reports the call's outcome is no echo (execution/echo.py)."""
    reasons: list[str] = []
    earlier: list[Mapping[str, Any]] = []  # the arguments of the calls answered before, in order
    for position, call, result in _answered_calls(messages):
        declared = (returns or {}).get(call.name)
        before, earlier = earlier, [*earlier, call.arguments]
        if is_error_result(result):
            continue
        reasons.extend(f"tool message {position} ({call.name}): result text {shown(text)} states the "
                       f"{name} of an earlier call on the same record, not this call's {shown(call.arguments[name])}"
                       for text, name in _stale_texts(result, call.arguments, before))
        arguments = {_key(name): value for name, value in call.arguments.items()
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

