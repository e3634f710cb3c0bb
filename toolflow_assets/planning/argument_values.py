"""The offline planner's argument values: for each parameter of a call, where its value comes from.

In order of preference: an earlier call's output (data_flow.FlowChooser), a value a stateful environment
fixes (its routes, its zipcodes), the value the user already stated for a `shared_param` partner, the
declared default (optional parameters, sometimes), else a value the user states (synthesized from the
schema: enums, formats, bounds, name hints). Values drawn one by one are then made to agree with each other
(`agree`: planning/agreement.py's relations). `vary` makes the same call with one stated value changed.
"""

from __future__ import annotations

import math
import random
from typing import Any, Mapping

from ..json_schema.paths import last_field
from ..values.flow import output_schema, top_parameter
from ..values import Synthesizer, is_valid, schema_is_usable, tool_setting
from ..meanings import same_both_ends
from ..execution.properties import property_answer
from ..tools import Tool
from .agreement import (Disagreement, chained_measures, cities_elsewhere, disagreements, home_subdivision, place_pairs,
                        shape_named, tool_words)
from .data_flow import FlowChooser, Readers, takes_away
from .draft_calls import DraftCall, earlier_values
from .environment import environment_values
from .models import ArgumentSource
from .planner_config import PlannerConfig
from .samples import Flow, SampleView

_UNSET = frozenset({"", "null", "none", "nil", "n/a", "na", "undefined"})


class ArgumentFiller:
    def __init__(self, config: PlannerConfig, flows: FlowChooser) -> None:
        self.config = config
        self.flows = flows

    def make_call(self, call_id: str, tool: Tool, sample: SampleView, made: list[DraftCall],
                  stated: dict[tuple[str, str], Any], readers: Readers,
                  rng: random.Random, link: bool = True) -> DraftCall | None:
        params = tool.parameters if isinstance(tool.parameters, dict) else {}
        if not schema_is_usable(params) or (tool.returns is not None and not schema_is_usable(tool.returns)):
            return None  # nothing could be checked against an invalid schema: the call would fail quality
        properties = params.get("properties") if isinstance(params.get("properties"), dict) else {}
        required = [r for r in params.get("required") or [] if isinstance(r, str)]
        synth = Synthesizer(rng, root=params, optional_rate=0.5, setting=tool_setting(tool))  # its country, sport
        arguments: dict[str, ArgumentSource] = {}
        fed = self.flows.fed_parameters(tool, sample, made, readers)
        # the values a stateful environment fixes (its routes, its zipcodes), kept consistent with shared ones
        pinned = {n: v for n in properties if n not in fed
                  and (v := shared_value(tool, n, properties[n], sample, stated)) is not None}
        provided, outputs = environment_values(tool, pinned, earlier_values(made), rng)
        provided = {n: v for n, v in provided.items() if n in properties and n not in fed and is_valid(v, properties[n])}
        for name, (position, path) in outputs.items() if link else ():  # the token the sign-in returned, the card
            if name in properties and name not in fed and output_schema(made[position].tool, path)[0]:
                fed[name] = (made[position], Flow(made[position].tool.name, path, tool.name, name))
        for name in list(properties) + [r for r in required if r not in properties]:
            schema = properties.get(name, {})
            if name in fed:
                producer, flow = fed[name]
                arguments[name] = ArgumentSource(kind="tool_output", call_id=producer.call_id, field=flow.src_field)
                readers.setdefault((producer.call_id, flow.src_field), []).append((name, schema))
                continue
            if name in provided:  # what the class needs is stated, optional or not (an invoice needs its booking)
                arguments[name] = ArgumentSource(kind="user", value=provided[name])
                continue
            shared = shared_value(tool, name, schema, sample, stated)
            if shared is not None:
                arguments[name] = ArgumentSource(kind="user", value=shared)
                continue
            has_default = isinstance(schema, dict) and "default" in schema and is_valid(schema["default"], schema)
            # a default of "null" or "" stands for "leave it out": passing it would state nonsense
            if has_default and isinstance(schema["default"], str) and schema["default"].strip().casefold() in _UNSET:
                continue
            if name not in required:
                roll = rng.random()
                if has_default and roll < self.config.optional_default:
                    arguments[name] = ArgumentSource(kind="default", value=schema["default"])
                elif not has_default and roll < self.config.optional_user:
                    value = synth.value(schema, name)
                    if stateable(value) and is_valid(value, schema):
                        arguments[name] = ArgumentSource(kind="user", value=value)
                continue
            value = synth.value(schema, name)
            for _ in range(3):
                if stateable(value) and is_valid(value, schema):
                    break
                value = synth.value(schema, name)
            else:
                return None
            arguments[name] = ArgumentSource(kind="user", value=value)
        if not ends_differ(arguments, properties, synth) or not agree(tool, arguments, properties, made, rng):
            return None
        for name, source in arguments.items():
            if source.kind == "user":
                stated[(tool.name, name)] = source.value
        return DraftCall(call_id, tool, arguments)


def shared_value(tool: Tool, name: str, schema: Any, sample: SampleView, stated: dict[tuple[str, str], Any]) -> Any:
    """The value the user already gave for a parameter that a shared_param edge pairs with this one."""
    for edge in sample.shared:
        if edge.dst == tool.name and top_parameter(edge.dst_field) == name:
            other = (edge.src, top_parameter(edge.src_field))
        elif edge.src == tool.name and top_parameter(edge.src_field) == name:
            other = (edge.dst, top_parameter(edge.dst_field))
        else:
            continue
        if other in stated and other != (tool.name, name) and is_valid(stated[other], schema):
            return stated[other]
    return None


def vary(call: DraftCall, call_id: str, rng: random.Random, made: list[DraftCall] | None = None) -> DraftCall | None:
    """The same call with one user-stated value changed (for "and the same for …" requests), still agreeing with
    its other values (`made`, the calls before it, tells which rectangle an earlier call fed it)."""
    params = call.tool.parameters if isinstance(call.tool.parameters, dict) else {}
    properties = params.get("properties") if isinstance(params.get("properties"), dict) else {}
    users = [n for n, s in call.arguments.items() if s.kind == "user" and n in properties]
    if not users or takes_away(call.tool) and len(call.arguments) > 1:
        return None  # "move it to reports, and the same to archive": after the first, there is nothing to move
    name = rng.choice(users)
    old = call.arguments[name].value
    synth = Synthesizer(rng, root=params, setting=tool_setting(call.tool))
    others = {n: s.value for n, s in call.arguments.items() if s.kind == "user" and n != name}
    for _ in range(4):
        # another route from the same airport; the session's token and the named card stay (earlier: this call)
        provided = environment_values(call.tool, others, [(call.tool, {**others, name: old})], rng)[0]
        value = provided[name] if name in provided else synth.value(properties[name], name)
        if value != old and stateable(value) and is_valid(value, properties[name]):
            arguments = dict(call.arguments)
            arguments[name] = ArgumentSource(kind="user", value=value)
            if same_both_ends({n: s.value for n, s in arguments.items() if s.kind == "user"}):
                continue  # "the same, but to USD" when it comes from USD
            if _disagreements(call.tool, arguments, made or []):
                continue  # "the same, but from May" after an end in April: one value changed, drawn again
            return DraftCall(call_id, call.tool, arguments)
    return None


def ends_differ(arguments: dict[str, ArgumentSource], properties: Mapping[str, Any], synth: Synthesizer) -> bool:
    """The two ends of one thing (`from_account` / `to_account`, `base_currency` / `target_currency`) get
    different values: the second end is drawn again (in place) until it differs; False when it cannot."""
    for first, second in same_both_ends({n: s.value for n, s in arguments.items() if s.kind == "user"}):
        schema = properties.get(second, {})
        for _ in range(6):
            value = synth.value(schema, second)
            if stateable(value) and is_valid(value, schema) and not same_both_ends(
                    {first: arguments[first].value, second: value}):
                arguments[second] = ArgumentSource(kind="user", value=value)
                break
        else:
            return False
    return True


def agree(tool: Tool, arguments: dict[str, ArgumentSource], properties: Mapping[str, Any],
          made: list[DraftCall], rng: random.Random) -> bool:
    """The call's stated values agree with each other (planning/agreement.py's relations: years in order, a city
    in its province, one shape's measures): each disagreement's fix is applied in place to the user's values;
    False when one cannot be fixed (it involves an earlier output, or the fixed value breaks the schema)."""
    for city_name, region_name in place_pairs(arguments):
        city, region = arguments[city_name], arguments[region_name]
        # a state read from an earlier output is not known when the plan is made, so the city stated beside
        # it would name a province at random (24 of 300 ToolBench-part dialogues failed value_fit so): the
        # user states the city's own province instead
        own = home_subdivision(city.value, region_name) if city.kind == "user" and isinstance(city.value, str) \
            and region.kind == "tool_output" else None
        if own is None or not is_valid(own, properties.get(region_name, {})):
            continue
        arguments[region_name] = ArgumentSource(kind="user", value=own)
        if same_both_ends({n: s.value for n, s in arguments.items() if s.kind == "user"}):
            # both ends now in one province (Lujan and La Plata): the city is one of another province, where
            # the schema takes it and its province
            elsewhere = [other for other in cities_elsewhere(city.value)
                         if is_valid(other, properties.get(city_name, {}))
                         and is_valid(home_subdivision(other, region_name), properties.get(region_name, {}))]
            if elsewhere:
                other = rng.choice(elsewhere)
                arguments[city_name] = ArgumentSource(kind="user", value=other)
                arguments[region_name] = ArgumentSource(kind="user", value=home_subdivision(other, region_name))
    _one_shape(tool, arguments, properties, made)
    for _ in range(4):
        found = _disagreements(tool, arguments, made)
        if not found:
            break
        for disagreement in found:
            fix = dict(disagreement.fix)
            if not fix or any(not is_valid(v, properties.get(n, {})) for n, v in fix.items()):
                return False
            for name, value in fix.items():
                arguments[name] = ArgumentSource(kind="user", value=value)
    else:  # the last round's fixes are checked too
        if _disagreements(tool, arguments, made):
            return False
    # a fix must not make two ends one (both cities' province AR-B, which value_fit rejects as a parcel sent
    # from a state to itself): the call is left out, as ends_differ leaves one out
    return not same_both_ends({n: s.value for n, s in arguments.items() if s.kind == "user"})


def _disagreements(tool: Tool, arguments: Mapping[str, ArgumentSource], made: list[DraftCall]) -> list[Disagreement]:
    values = {n: s.value for n, s in arguments.items() if s.kind in ("user", "default")}
    return disagreements(values, tool_words(tool.name, tool.description or ""),
                         _shape_measures(tool, arguments, values, made),
                         changeable=[n for n in values if arguments[n].kind == "user"])


def _one_shape(tool: Tool, arguments: dict[str, ArgumentSource], properties: Mapping[str, Any],
               made: list[DraftCall]) -> None:
    """A call fed measures by two earlier calls on two different rectangles (the area of 36 by 31, the perimeter
    of 36 by 36) reads the first one's: the second measure is stated as that rectangle's, solved as the
    executor solves it. Where it cannot be solved, the call keeps its links and the check flags it."""
    shape = shape_named(tool_words(tool.name, tool.description or ""))
    calls = {c.call_id: c for c in made}
    fed = [(name, calls[s.call_id], s.field or "") for name, s in arguments.items()
           if s.kind == "tool_output" and s.call_id in calls
           and shape_named(tool_words(calls[s.call_id].tool.name, calls[s.call_id].tool.description or "")) == shape]
    if shape is None or len({producer.call_id for _, producer, _ in fed}) < 2:
        return
    first = _numbers(fed[0][1])
    for name, producer, field in fed[1:]:
        if _numbers(producer) == first:
            continue  # the same rectangle twice
        answer = property_answer({shape}, first, {"property": last_field(field)})
        if answer is None:
            continue
        value = round(answer[1]) if math.isclose(answer[1], round(answer[1]), abs_tol=1e-9) else round(answer[1], 2)
        if is_valid(value, properties.get(name, {})):
            arguments[name] = ArgumentSource(kind="user", value=value)


def _numbers(call: DraftCall) -> dict[str, float]:
    return {n: float(s.value) for n, s in call.arguments.items() if s.kind in ("user", "default")
            and isinstance(s.value, (int, float)) and not isinstance(s.value, bool)}


def _shape_measures(tool: Tool, arguments: Mapping[str, ArgumentSource], values: Mapping[str, Any],
                    made: list[DraftCall]) -> dict[str, Any]:
    """The call's measures, with those of the earlier call on the same shape that feeds it one."""
    shape = shape_named(tool_words(tool.name, tool.description or ""))
    if shape is None:
        return dict(values)
    for producer in made:
        fed = [n for n, s in arguments.items() if s.kind == "tool_output" and s.call_id == producer.call_id]
        if fed and shape_named(tool_words(producer.tool.name, producer.tool.description or "")) == shape:
            own = {n: s.value for n, s in producer.arguments.items() if s.kind in ("user", "default")}
            return chained_measures(values, fed, own)
    return dict(values)


def stateable(value: Any) -> bool:
    """A user can say it: no nulls anywhere (a null leaf could not be grounded in the user's words)."""
    if value is None:
        return False
    if isinstance(value, dict):
        return all(stateable(v) for v in value.values())
    if isinstance(value, list):
        return all(stateable(v) for v in value)
    return True
