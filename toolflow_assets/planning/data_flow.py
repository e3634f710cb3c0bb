"""Which earlier output feeds which argument: the offline planner's data-flow choice.

A parameter reads an earlier call's output field (`tool_output`) when the sample has a `data_flow` edge
to it whose values can really flow (types, formats and meanings fit, and an id names the same thing as the id
it fills: `flow_is_feasible`), the producer's
environment can answer that field, the producer's computed answer fits the parameter, and a field that
other calls read already has one value that suits every reader.
"""

from __future__ import annotations

import random
from typing import Any, Mapping, Sequence

from ..execution.compute import answer_for, computed_all  # the executor's arithmetic: a fed value must agree
from ..execution.verbs import action_of, verb_and_noun  # the thing a tool is about, which a bare `id` of it names
from ..json_schema.paths import is_element_path, is_top_level
from ..meanings import rule_for
from ..mentions import name_tokens
from ..tools import Tool
from ..values import parse_path
from ..values.domains import has_domain, outside_domain
from ..values.flow import coerce_for, flow_is_feasible, joint_value, output_schema, parameter_schema, top_parameter
from .draft_calls import DraftCall
from .environment import environment_readable, values_for_reads
from .models import ArgumentSource
from .samples import Flow, SampleView

Readers = dict[tuple[str, str], list[tuple[str, Any]]]  # (call id, output field) -> (parameter, schema) reading it


def computed_answer_passes(producer: Tool, known: Mapping[str, Any], unknown: Sequence[str], src_field: str,
                           consumer: Any) -> bool:
    """False when the producer plainly computes `src_field` (execution.compute: speed = distance / time) and
    the consumer cannot take that answer (0.953 into an integer parameter): the executor would have to
    contradict the arithmetic. `known` are the producer's arguments stated in the plan; with some `unknown`
    (read from earlier results), any answer is possible, so a consumer that takes only integers is refused."""
    field = _answered_field(src_field)
    if field is None:
        return True
    if unknown:
        probe = answer_for(computed_all(producer, {**known, **{name: 1.37 for name in unknown}}), field)
        return probe is None or coerce_for(0.5, consumer)[0]
    answer = answer_for(computed_all(producer, known), field)
    if answer is None:
        return True
    value = int(answer.value) if float(answer.value).is_integer() else answer.value
    return coerce_for(value, consumer)[0]


def _answered_field(src_field: str) -> str | None:
    """The one field of a result an answer can be (`result`, or `result[]` of a list), else None."""
    leaf = [p for p in str(src_field).replace("[]", "").split(".") if p]
    return leaf[0] if len(leaf) == 1 else None


def answer_in_domain(producer: Tool, known: Mapping[str, Any], unknown: Sequence[str], src_field: str,
                     consumer: Tool, parameter: str) -> bool:
    """False when the consumer's operand has a domain (values.domains: a logarithm's value is positive) and
    the producer's answer lies outside it (subtract 3 - 10 = -7 into `logarithm.value`: BFCL's Math API
    answers a complex number), or cannot be known (read from earlier results: any sign is possible). The
    planner then draws a fresh value for the operand instead of chaining."""
    schema = parameter_schema(consumer, parameter)
    if not has_domain(consumer.name, parameter, schema):
        return True
    field = _answered_field(src_field)
    if unknown or field is None:
        return False
    answer = answer_for(computed_all(producer, known), field)
    return answer is not None and outside_domain(consumer.name, parameter, answer.value, schema) is None


class FlowChooser:
    """The data-flow choice, with a cache of edge feasibility (the same edge recurs across samples)."""

    def __init__(self) -> None:
        self._feasible: dict[tuple[str, str, str, str], bool] = {}

    def fed_parameters(self, tool: Tool, sample: SampleView, made: list[DraftCall],
                       readers: Readers) -> dict[str, tuple[DraftCall, Flow]]:
        """For each top-level parameter, the best feasible incoming data_flow from an earlier call; a field
        that other calls read already must have one value that suits every reader."""
        chosen: dict[str, tuple[DraftCall, Flow]] = {}
        for flow in sorted((f for f in sample.flows if f.dst == tool.name), key=lambda f: (-f.score, f.src_field, f.dst_field)):
            name = top_parameter(flow.dst_field)
            if not name or name in chosen or not top_level_or_element(flow.dst_field):
                continue
            producer = next((c for c in reversed(made) if c.tool.name == flow.src), None)
            if producer is None or not self.is_feasible(producer.tool, flow, tool) \
                    or not environment_readable(producer.tool, flow.src_field):
                continue
            after = made[next(i for i, c in enumerate(made) if c is producer) + 1:]
            listed = is_element_path(flow.src_field)  # one name of a listing: the name of the thing itself
            if listed and any(enters_folder(c.tool) for c in after):
                continue  # a listing names what was in the folder it listed, not in the one entered since
            if listed and any(takes_away(c.tool) and reads(c, producer.call_id, flow.src_field) for c in after):
                continue  # what an earlier call removed or moved away is gone: "delete drafts, then count its lines"
            known = {n: a.value for n, a in producer.arguments.items() if a.kind in ("user", "default")}
            unknown = [n for n, a in producer.arguments.items() if a.kind not in ("user", "default")]
            if not computed_answer_passes(producer.tool, known, unknown, flow.src_field, parameter_schema(tool, name)):
                continue  # speed 0.953 cannot go into an integer parameter without contradicting the arithmetic
            if not answer_in_domain(producer.tool, known, unknown, flow.src_field, tool, name):
                continue  # a negative difference is no logarithm's value: a fresh value is drawn instead
            if any(c.call_id == producer.call_id and f.src_field == flow.src_field for c, f in chosen.values()):
                continue  # one value into two parameters of one call: a diff of a file with itself
            earlier = readers.get((producer.call_id, flow.src_field), [])
            if earlier and not jointly_feasible(producer.tool, flow.src_field, [*earlier, (name, parameter_schema(tool, name))]):
                continue
            chosen[name] = (producer, flow)
        return chosen

    def is_feasible(self, src: Tool, flow: Flow, dst: Tool) -> bool:
        key = (src.tool_id, flow.src_field, dst.tool_id, flow.dst_field)
        if key not in self._feasible:
            self._feasible[key] = flow_is_feasible(src, flow.src_field, dst, flow.dst_field,
                                                   src_noun=verb_and_noun(src)[1], dst_noun=verb_and_noun(dst)[1])
        return self._feasible[key]


def jointly_feasible(producer: Tool, field_path: str, consumers: list[tuple[str, Any]]) -> bool:
    exists, schema = output_schema(producer, field_path)
    if not exists:
        return False
    ok, _ = joint_value(schema, consumers, random.Random(0), producer_name=field_path, producer_root=producer.returns)
    return ok


def fit_reads(made: list[DraftCall], readers: Readers, rng: random.Random) -> None:
    """A call whose environment answers only part of its fields for a given argument (`displayCarStatus` shows
    `status.fanSpeed` only for the `climate` option) takes the argument that answers what later calls read."""
    for call in made:
        fields = [path for (call_id, path) in readers if call_id == call.call_id]
        if not fields:
            continue
        known = {n: s.value for n, s in call.arguments.items() if s.kind in ("user", "default")}
        for name, value in values_for_reads(call.tool, known, fields, rng).items():
            if name in known:
                call.arguments[name] = ArgumentSource(kind="user", value=value)


def takes_away(tool: Tool) -> bool:
    """After the call the thing it names is no longer where it was: removed, or moved elsewhere."""
    return action_of(tool) == "delete" or verb_and_noun(tool)[0] == "move"


def reads(call: DraftCall, call_id: str, field: str) -> bool:
    """The call takes the output field `field` of the call `call_id` as one of its arguments."""
    return any(a.kind == "tool_output" and a.call_id == call_id and a.field == field for a in call.arguments.values())


def enters_folder(tool: Tool) -> bool:
    """The call moves the session into another folder (`cd(folder)`, which returns the new working
    directory): a parameter that is a folder's name (meanings) and a result about the working directory."""
    properties = (tool.parameters or {}).get("properties") if isinstance(tool.parameters, dict) else None
    returns = (tool.returns or {}).get("properties") if isinstance(tool.returns, dict) else None
    rules = [rule_for(name, str(schema.get("description") or "")) for name, schema in (properties or {}).items()
             if isinstance(schema, dict)]
    takes_folder = any(rule is not None and rule.meaning == "a folder name" for rule in rules)
    return takes_folder and any({"working", "directory"} <= set(name_tokens(name)) for name in (returns or {}))


def top_level_or_element(path: str) -> bool:
    """`param` or `param[]` (an element of an array parameter); deeper input paths are not planned. Wider than
    json_schema.paths.is_top_level by the element of a top-level list."""
    parts = parse_path(path)
    return is_top_level(path) or (len(parts) == 2 and parts[1] == 0)
