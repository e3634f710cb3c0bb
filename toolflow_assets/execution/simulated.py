"""The `simulated` executor, the offline default: results made up, but never at odds with the calls.

Each result validates against the tool's return schema (or is a small object shaped by the tool's name
when none is declared: undeclared_results.py), and:
- a field named like an argument holds the argument's value (a weather result names the city asked for;
  stamping.py, the rule the llm executor applies too);
- a plainly computable answer is computed (`compute.py`: shape formulas, arithmetic, unit conversions);
- the dialogue's entity store (`entities.py`) is read and written: a lookup by an id an earlier call
  returned gives that object's fields back, updates persist, a deleted thing is not found afterwards;
- typed strings come from `typed_values` (through the schema synthesizer's name hints);
- a small, configurable share of dialogues gets one tool error or one empty result, never on a call
  whose output a later call reads (the plan needs it).
All randomness comes from the session's seed, so the same dialogue seed gives the same results.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Any, Mapping

from ..json_schema.paths import last_field, set_path
from ..json_schema.refs import resolve_ref
from ..json_schema.walk import declared_types, object_parts
from ..mentions import field_key
from ..tools import Tool, derive_seed
from ..values import humanize, in_setting, is_valid, name_tokens, schema_error, synthesize, tool_setting
from ..values.known_records import known_record
from ..values.flow import joint_value, output_path, output_schema, takes
from ..values.record_names import agree_names, asked_key
from .compute import Computed, answer_for, computed_all, is_calculation
from .echo import echoes, implied_defaults, named_result_id, nested_arguments, outcome_flag, reports_outcome
from .entities import EntityStore, entry_key, lists_entries
from .protocol import UNCOMPUTED, Readers, ToolOutcome, error_result
from .queries import about_query
from .sides import distinct_sides
from .shell import Folder, shell_result
from .stamping import stamp, stamp_answer
from .undeclared_results import plausible_result
from .faults import ERROR_RATE, failure_result, fault_budget, transient_failures
from .verbs import action_of, collection_of, noun_of, outcome_text, verb_and_noun

NAME = "simulated"
ATTEMPTS = 4


class SimulationError(Exception):
    """The call cannot be answered consistently (a later call needs a field no value can fill)."""


@dataclass(frozen=True)
class SimulatedExecutor:
    """`error_rate`: share of dialogues that get one tool error; `empty_rate`: share that get one empty
    search result (both on calls no later call reads)."""

    error_rate: float = ERROR_RATE  # faults.py: about a tenth of dialogues end up with one
    empty_rate: float = 0.05
    name: str = NAME

    def session(self, seed: int) -> "SimulatedSession":
        return SimulatedSession(self, seed)


class SimulatedSession:
    def __init__(self, executor: SimulatedExecutor, seed: int) -> None:
        self.rng = random.Random(derive_seed(seed, "simulated-executor"))
        self.store = EntityStore()
        self.folder = Folder()  # the files and folders a shell-like API showed (shell.py)
        self.name = executor.name
        self.errors_left = fault_budget(self.rng, executor.error_rate)
        self.empties_left = 1 if self.rng.random() < executor.empty_rate else 0

    def begin_dialogue(self, calls: Any, tools: Mapping[str, Tool]) -> None:
        """A key-value store holds from the start the entries the planned calls read, replace or remove
        before any call adds them (as BFCL's environment is loaded with them), so a listing of the store
        shows them and no call acts on a key the listing just left out (protocol.begin_dialogue)."""
        added: set[tuple[str, str]] = set()  # (store, key) of the entries a planned call adds
        stores = {collection_of(t) for t in tools.values() if _takes_entries(t)}  # an API `key` is no entry
        for planned in calls:
            tool = tools.get(planned.tool)
            collection = collection_of(tool) if tool is not None else ""
            key = entry_key(planned.arguments)
            if not collection or collection not in stores or key is None:
                continue
            if action_of(tool) == "create":
                added.add((collection, key))
            elif (collection, key) not in added:
                self.store.hold(collection, planned.arguments, self.rng)

    # ------------------------------------------------------------------------------------------ call

    def execute(self, name: str, arguments: Mapping[str, Any], tool: Tool,
                needed: Mapping[str, Readers] | None = None) -> ToolOutcome:
        needed = needed or {}
        arguments = dict(arguments)
        action = action_of(tool)
        noun = frozenset(verb_and_noun(tool)[1])
        target = self.store.gone(action, arguments, noun)
        if not needed and target is not None:
            what = " ".join(sorted(noun)) or "record"
            return self._error(404, "not_found", f"No {what} with {humanize(target.id_field)} {target.id_value} "
                               f"exists: it was deleted.", retryable=False)
        if not needed and self.errors_left:
            self.errors_left -= 1
            return self._injected_error(tool, arguments, self.store.may_be_missing(action, arguments, noun))
        result = self._result(tool, arguments, needed, noun)
        status = "ok"
        if not needed and self.empties_left and action == "search":
            emptied = _emptied(result, tool.returns if isinstance(tool.returns, dict) and tool.returns else None)
            if emptied is not None:
                self.empties_left -= 1
                result, status = emptied, "empty"
        self.store.record(action, arguments, result, noun, collection_of(tool))
        return ToolOutcome(result=result, executor=self.name, status=status, details=calculation(tool, arguments))

    def _error(self, code: int, kind: str, message: str, retryable: bool) -> ToolOutcome:
        return ToolOutcome(result=error_result(code, kind, message, retryable), executor=self.name, status="error")

    def _injected_error(self, tool: Tool, arguments: Mapping[str, Any], may_be_missing: bool) -> ToolOutcome:
        """A failure real APIs give for reasons outside the call: the assistant may retry or explain. "Not
        found" only where the dialogue allows it (`EntityStore.may_be_missing`): never for a thing an earlier
        result returned and no call deleted (the entity_state check's rule)."""
        ids = [(k, v) for k, v in arguments.items() if name_tokens(k)[-1:] == ("id",) and isinstance(v, (str, int))] \
            if may_be_missing else []
        choices = transient_failures(tool)
        if ids:
            key, value = ids[0]
            choices.append((404, "not_found", f"No record with {humanize(key)} {value} was found.", False))
        return ToolOutcome(result=failure_result(choices, self.rng), executor=self.name, status="error")

    # --------------------------------------------------------------------------------------- results

    def _result(self, tool: Tool, arguments: dict[str, Any], needed: Mapping[str, Readers], noun: frozenset[str]) -> Any:
        returns = tool.returns if isinstance(tool.returns, dict) and tool.returns else None
        answers = computed_all(tool, arguments)
        answer = answers[0] if answers else None
        known = {**self.store.known(arguments, noun), **self.store.entry(collection_of(tool), arguments)}
        shape = lists_entries(returns, arguments) if returns is not None and not needed else None
        if shape is not None and collection_of(tool):
            # a retrieve-all of a key-value store returns its entries, the way the real one returns its dict
            listing: Any = self.store.listing(collection_of(tool), self.rng)
            listing = listing if shape == "entries" else {next(iter(returns["properties"])): list(listing)}
            if schema_error(listing, returns) is None:
                return listing
        last_problem = ""
        for _ in range(ATTEMPTS):
            with in_setting(tool_setting(tool, arguments)):  # the country and sport of the call (values.settings)
                if returns is None:
                    result = plausible_result(tool, arguments, self.rng, answer)
                else:
                    result = synthesize(returns, self.rng, name=noun_of(tool) or "result", optional_rate=0.7)
                result = self._agree(result, tool, arguments, needed, answers, known)
            if returns is None:
                return result
            problem = schema_error(result, returns)
            if problem is None:
                return result
            last_problem = problem
        raise SimulationError(f"invalid_tool_response: {tool.name}: {last_problem}")

    def _agree(self, result: Any, tool: Tool, arguments: Mapping[str, Any], needed: Mapping[str, Readers],
               answers: list[Computed], known: Mapping[str, Any]) -> Any:
        """Make a drafted result agree with its call: the entity's stored fields, then the computed answer,
        then the arguments (the call has the last word: a field named like an argument always equals it),
        the outcome fields, and a value every reader takes where a later call reads."""
        returns = tool.returns if isinstance(tool.returns, dict) and tool.returns else None
        result = stamp(result, returns, known, add_missing=True)
        for each in answers:
            result = stamp_answer(result, returns, each, arguments)
        result = stamp(result, returns, arguments, add_missing=True)
        result = stamp(result, returns, nested_arguments(arguments))  # `project_data.name` renames the project
        if action_of(tool) == "create":  # the thing made has what the call gave it, defaults included
            result = stamp(result, returns, implied_defaults(tool.parameters, arguments))
        names, value = named_result_id(tool, arguments, returns)
        if names and isinstance(result, dict) and "id" in result:  # the thing the call names
            result["id"] = value
        result = distinct_sides(result, returns, arguments, self.rng)
        if action_of(tool) == "search":  # its records are about what was searched for (queries.py)
            about = about_query(copy.deepcopy(result), arguments, self.rng)
            result = about if returns is None or schema_error(about, returns) is None else result
        result = _report_outcomes(result, returns, tool, arguments)
        result = shell_result(result, returns, arguments, self.folder, self.rng,  # a file's lines, a grep's finds
                              verb_and_noun(tool)[0])
        for path, readers in needed.items():
            value = self._needed_value(tool, path, readers, arguments, answers)
            result = set_path(result, output_path(tool, path), value)
        # a `sport_title` names the sport of the record's `sport_key` (or of the call's `sport`), unless a
        # later call reads it or the call gave it (record_names)
        fixed = {field_key(k) for k in arguments} | {field_key(last_field(p)) for p in needed}
        declared = returns.get("properties") if returns is not None and isinstance(returns.get("properties"), dict) else None
        result = known_record(result, str(tool.original_name or tool.name), self.rng, fixed, declared)  # one cocktail's
        return agree_names(result, arguments, fixed)

    def fill(self, draft: Any, tool: Tool, arguments: Mapping[str, Any],
             needed: Mapping[str, Readers] | None = None) -> Any | None:
        """Another producer's draft result (the llm executor's model answer) made to agree with its call by
        the rules this executor's own results follow; None when it still breaks the return schema (or a
        later call's needs cannot be met). The dialogue's state records it like a result of its own."""
        arguments = dict(arguments)
        noun = frozenset(verb_and_noun(tool)[1])
        returns = tool.returns if isinstance(tool.returns, dict) and tool.returns else None
        try:
            result = self._agree(copy.deepcopy(draft), tool, arguments, needed or {}, computed_all(tool, arguments),
                                 {**self.store.known(arguments, noun), **self.store.entry(collection_of(tool), arguments)})
        except SimulationError:
            return None
        if returns is not None and schema_error(result, returns) is not None:
            return None
        self.store.record(action_of(tool), arguments, result, noun, collection_of(tool))
        return result

    def _needed_value(self, tool: Tool, path: str, readers: Readers, arguments: Mapping[str, Any],
                      answers: list[Computed]) -> Any:
        """A value for a field a later call reads: the argument of the same name when every reader takes
        it (so the echo holds), the computed answer for a field that holds it, else one valid for the
        field and all its readers."""
        _, producer_schema = output_schema(tool, path)
        leaf = [p for p in str(path).replace("[]", "").split(".") if p]
        field = last_field(path) or "result"
        fits = lambda value: (producer_schema is None or is_valid(value, producer_schema)) and all(  # noqa: E731
            takes(value, name, schema or None) for name, schema in readers)
        answer = answer_for(answers, field)
        if answer is not None and len(leaf) <= 1:
            for value in ([int(answer.value)] if float(answer.value).is_integer() else []) + [answer.value]:
                if fits(value):
                    return value
            # another value would contradict the arithmetic the call plainly asks for (speed 248 for 46 m
            # in 97 s); the plan's link cannot be honoured
            raise SimulationError(f"incompatible_output: {tool.name}.{path} computes {answer.value}, "
                                  f"which a later call cannot take")
        if field == "id" and len(leaf) <= 1:  # a lookup's id is the thing the call names, a later reader or not
            names, named = named_result_id(tool, arguments, tool.returns if isinstance(tool.returns, dict) else None)
            if names:
                if fits(named):
                    return named
                raise SimulationError(f"inconsistent_plan: {tool.name}.id is the {named!r} the call names, "
                                      f"which a later call cannot take")
        same = [v for k, v in arguments.items() if field_key(k) == field_key(field)] if echoes(producer_schema) else []
        if same:
            value = same[0]
            if fits(value):
                return value
            # any other value would contradict the call; the plan's link cannot be honoured
            raise SimulationError(f"inconsistent_plan: {tool.name}.{path} echoes the argument {value!r}, "
                                  f"which a later call cannot take")
        asked = asked_key(field, arguments)  # a `sport_key` read later is the sport the call asked for
        if asked is not None and len(leaf) <= 1 and fits(asked):
            return asked
        ok, value = joint_value(producer_schema, readers, self.rng, producer_name=field,
                                producer_root=tool.returns if isinstance(tool.returns, dict) else None)
        if not ok:
            raise SimulationError(f"incompatible_output: no value of {tool.name}.{path} fits its readers")
        return value


def _takes_entries(tool: Tool) -> bool:
    """The tool writes a key-value store's entries: it takes a `key` and a `value`."""
    properties = tool.parameters.get("properties") if isinstance(tool.parameters, dict) else None
    return isinstance(properties, dict) and {"key", "value"} <= {field_key(k) for k in properties}


def calculation(tool: Tool, arguments: Mapping[str, Any]) -> dict[str, str] | None:
    """The `executions` entry's note on a calculation: `computed` (a formula of compute.py gave the answer)
    or `uncomputed` (plainly a calculation, compute.is_calculation, but no formula matched: its number is
    made up, and the dialogues metadata counts these so the share is visible). None for other tools."""
    if computed_all(tool, arguments):
        return {"calculation": "computed"}
    return {"calculation": UNCOMPUTED} if is_calculation(tool, arguments) else None


def _emptied(result: Any, returns: dict[str, Any] | None) -> Any | None:
    """The result with its lists emptied and counts zeroed, if the schema allows that (else None)."""
    if not isinstance(result, dict) or not any(isinstance(v, list) and v for v in result.values()):
        return None
    emptied = {k: ([] if isinstance(v, list) else v) for k, v in result.items()}
    for key in emptied:
        if name_tokens(key)[-1:] in (("total",), ("count",)) and isinstance(emptied[key], int):
            emptied[key] = 0
    if returns is not None and not is_valid(emptied, returns):
        return None
    return emptied


def _report_outcomes(result: Any, returns: Any, tool: Tool, arguments: Mapping[str, Any]) -> Any:
    """The result of a call that went through says so everywhere it states its outcome: a text field the
    return schema declares as a report on the call ("A message describing the result of the send attempt",
    echo.reports_outcome) says how it went ("Message sent successfully.", as a real environment's does, not a
    made-up text of its kind), and a yes/no outcome field (echo.outcome_flag: `sent_status`, `success`) is
    true. A drawn `"sent_status": false` beside "Message sent successfully." was read by the writer as a
    failure ("the sent status came back as no") of a call recorded as `ok`. A failed call is an error
    result (protocol.error_result), which has neither field. A flag named like an argument echoes it."""
    if not isinstance(result, dict):
        return result
    argued = {field_key(k) for k in arguments}
    props, _, _ = object_parts(returns, returns) if returns is not None else ({}, None, set())
    for name, value in result.items():
        if isinstance(value, bool) and outcome_flag(name) and field_key(name) not in argued and (
                name not in props or is_valid(True, resolve_ref(props[name], returns))):
            result[name] = True
    if returns is None:
        return result
    text = outcome_text(tool, arguments)
    for name, schema in props.items():
        schema = resolve_ref(schema, returns)
        if name in result and reports_outcome(schema) and "string" in declared_types(schema):
            result[name] = text
    return result
