"""The offline planner: a `DialoguePlan` from a `tool_subgraphs` sample, deterministic from the seed.

What a plan does with a sample:
1. Orders the sample's tools so that every `data_flow` edge points forward (the sample's `chain` first).
2. Makes one call per tool, sometimes a second call of a tool with another value (in the same turn, or
   as a follow-up request later), and groups the calls into tool turns of one to three calls.
3. Fills each call's arguments: a parameter fed by a feasible `data_flow` edge from an earlier call reads
   that call's output field (`tool_output`); other required parameters get a value the user states
   (`user`); optional ones are sometimes left out, set to their declared default, or stated by the user.
   A parameter that shares a `shared_param` edge with an earlier call reuses the value already stated.
4. Mixes in chat turns: a greeting, a clarification (the user leaves out a required value, the assistant
   asks for it, and the next turn supplies it), a follow-up question answered from an earlier result,
   thanks. Every plan has 2–6 user turns.
Requests (intents) describe what the user wants from the tools' descriptions, never their names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping, Sequence

from ..generation.flow import (computed_answer_passes, flow_is_feasible, joint_value, output_schema, parameter_schema,
                               top_parameter)
from ..generation.phrasing import action_phrase, label, mention
from ..generation.values import Synthesizer, is_valid, parse_path, schema_is_usable
from ..meanings import same_both_ends
from ..mentions import same_value
from ..tools import Tool, derive_seed
from .environment import environment_readable, environment_values, values_for_reads
from .models import MAX_TURNS, MIN_TURNS, ArgumentSource, DialoguePlan, PlannedCall, PlannedTurn, PlanResult
from .samples import CatalogIndex, Flow, SampleView, plan_id_for, sample_view  # noqa: F401 - importable here too

PLANNER_VERSION = "offline-planner-v1"
MAX_CALLS = 7


@dataclass(frozen=True)
class PlannerConfig:
    """Probabilities that shape plans; the defaults give ≈3–4 user turns and ≈3 calls per plan."""

    greeting: float = 0.25
    thanks: float = 0.45
    follow_up: float = 0.3
    small_talk: float = 0.05
    out_of_scope: float = 0.12  # the user asks for something no offered tool does; the assistant declines
    clarification: float = 0.25
    repeat_call: float = 0.35  # a later turn repeats a call with another value ("and for Berlin?")
    parallel_call: float = 0.15  # a turn calls the same tool twice with different values
    optional_user: float = 0.25  # an optional parameter without a default is stated by the user
    optional_default: float = 0.15  # an optional parameter with a default is passed explicitly
    turn_sizes: tuple[float, float, float] = (0.55, 0.33, 0.12)  # tool turns of 1, 2, 3 calls


# Samples (SampleView, CatalogIndex, sample_view) and ids (plan_id_for) are shared with the llm planner:
# planning/samples.py.


def call_order(sample: SampleView) -> list[Tool]:
    """Tools in call order: every data_flow source before its destination where the edges allow,
    ties broken by position in the chain, then in the sample."""
    by_name = {t.name: t for t in sample.tools}
    priority = {name: i for i, name in enumerate(sample.chain)}
    base = len(priority)
    for i, tool in enumerate(sample.tools):
        priority.setdefault(tool.name, base + i)
    incoming: dict[str, set[str]] = {t.name: set() for t in sample.tools}
    for flow in sample.flows:
        incoming[flow.dst].add(flow.src)
    order: list[str] = []
    remaining = set(by_name)
    while remaining:
        ready = [n for n in remaining if not (incoming[n] & remaining)]
        pick = min(ready or remaining, key=lambda n: priority[n])  # a cycle: break it by priority
        order.append(pick)
        remaining.discard(pick)
    return [by_name[n] for n in order]


# ------------------------------------------------------------------------------------------ planning

@dataclass
class _Call:
    call_id: str
    tool: Tool
    arguments: dict[str, ArgumentSource]


class OfflinePlanner:
    def __init__(self, config: PlannerConfig | None = None) -> None:
        self.config = config or PlannerConfig()
        self._feasible: dict[tuple[str, str, str, str], bool] = {}

    def plan_many(self, samples: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], seed: int) -> list[PlanResult]:
        index = CatalogIndex(tools)
        return [self.plan_result(row, index, seed) for row in samples]

    def plan_result(self, row: Mapping[str, Any], index: CatalogIndex, seed: int) -> PlanResult:
        sample_id, strategy = str(row.get("sample_id") or ""), str(row.get("strategy") or "")
        try:
            plan = self.plan(sample_view(row, index), seed)
            return PlanResult(sample_id=sample_id, strategy=strategy, plan=plan)
        except Exception as error:  # noqa: BLE001 - one bad sample is a failed row, never a failed batch
            return PlanResult(sample_id=sample_id, strategy=strategy, error=f"{type(error).__name__}: {error}")

    def plan(self, sample: SampleView, seed: int) -> DialoguePlan:
        rng = random.Random(derive_seed(seed, sample.sample_id, sample.seed, PLANNER_VERSION))
        cfg = self.config
        ordered = call_order(sample)[:MAX_CALLS]
        call_groups = self._group_calls(ordered, rng)
        turns: list[list[_Call]] = []
        stated: dict[tuple[str, str], Any] = {}  # (tool, parameter) -> value the user already stated
        made: list[_Call] = []
        readers: dict[tuple[str, str], list[tuple[str, Any]]] = {}  # (call, field) -> (parameter, schema)
        for group in call_groups:
            turn_calls: list[_Call] = []
            for tool in group:
                call = self._make_call(f"k{len(made) + 1}", tool, sample, made, stated, readers, rng)
                if call is None:
                    continue  # no valid arguments exist for this tool (an unsatisfiable schema)
                turn_calls.append(call)
                made.append(call)
                if len(made) < MAX_CALLS and rng.random() < cfg.parallel_call:
                    twin = self._vary(call, f"k{len(made) + 1}", rng)
                    if twin is not None:
                        turn_calls.append(twin)
                        made.append(twin)
            if turn_calls:
                turns.append(turn_calls)
        if not made:
            raise ValueError("no tool of the sample can be called with valid arguments")
        _fit_reads(made, readers, rng)
        if len(made) < MAX_CALLS and (rng.random() < cfg.repeat_call or len(made) < 3):
            for candidate in rng.sample(made, len(made)):
                twin = self._vary(candidate, f"k{len(made) + 1}", rng)
                if twin is not None:
                    turns.append([twin])
                    made.append(twin)
                    break
        return self._assemble(sample, seed, turns, rng)

    # ------------------------------------------------------------------------- the no-planning ablation

    def improvise_result(self, row: Mapping[str, Any], index: CatalogIndex, seed: int) -> PlanResult:
        sample_id, strategy = str(row.get("sample_id") or ""), str(row.get("strategy") or "")
        try:
            plan = self.improvise(sample_view(row, index), seed)
            return PlanResult(sample_id=sample_id, strategy=strategy, plan=plan, planned=False)
        except Exception as error:  # noqa: BLE001 - one bad sample is a failed row, never a failed batch
            return PlanResult(sample_id=sample_id, strategy=strategy, planned=False,
                              error=f"{type(error).__name__}: {error}")

    def improvise(self, sample: SampleView, seed: int) -> DialoguePlan:
        """What a dialogue looks like without planning (ToolFlow's ablation): each user turn is decided on
        its own, with no lookahead: one tool of the sample drawn at random per turn, in no data-flow order,
        every value stated by the user (without a plan nobody knows which output will feed which argument),
        no greeting, clarification, follow-up or thanks, and no turn building on the one before. Same
        tools, same value synthesis and the same generator afterwards: only the plan differs."""
        rng = random.Random(derive_seed(seed, sample.sample_id, sample.seed, PLANNER_VERSION, "improvised"))
        unlinked = replace(sample, flows=[])  # no data_flow is known turn by turn
        made: list[_Call] = []
        stated: dict[tuple[str, str], Any] = {}
        turns: list[PlannedTurn] = []
        target = rng.randint(MIN_TURNS, 5)  # user turns, one call each
        for _ in range(target * 3):  # draws to spare for tools that cannot be called
            if len(turns) == target:
                break
            tool = rng.choice(sample.tools)
            call = self._make_call(f"t{len(turns) + 1}c1", tool, unlinked, made, stated, {}, rng, link=False)
            if call is None:
                continue
            made.append(call)
            turns.append(PlannedTurn(intent=_intent([call], []), needs_tools=True, calls=[_planned(call)]))
        if len(turns) < MIN_TURNS:
            raise ValueError("fewer than two tools of the sample can be called with valid arguments")
        return _plan(sample, seed, turns, rng)

    # ------------------------------------------------------------------------------ calls and turns

    def _group_calls(self, ordered: list[Tool], rng: random.Random) -> list[list[Tool]]:
        groups: list[list[Tool]] = []
        i = 0
        while i < len(ordered):
            size = rng.choices((1, 2, 3), weights=self.config.turn_sizes)[0]
            groups.append(ordered[i:i + size])
            i += size
        while len(groups) > MAX_TURNS - 1:  # leave room for at least one chat turn
            a = min(range(len(groups) - 1), key=lambda k: len(groups[k]) + len(groups[k + 1]))
            groups[a:a + 2] = [groups[a] + groups[a + 1]]
        return groups

    def _make_call(self, call_id: str, tool: Tool, sample: SampleView, made: list[_Call],
                   stated: dict[tuple[str, str], Any], readers: dict[tuple[str, str], list[tuple[str, Any]]],
                   rng: random.Random, link: bool = True) -> _Call | None:
        params = tool.parameters if isinstance(tool.parameters, dict) else {}
        if not schema_is_usable(params) or (tool.returns is not None and not schema_is_usable(tool.returns)):
            return None  # nothing could be checked against an invalid schema: the call would fail quality
        properties = params.get("properties") if isinstance(params.get("properties"), dict) else {}
        required = [r for r in params.get("required") or [] if isinstance(r, str)]
        synth = Synthesizer(rng, root=params, optional_rate=0.5)
        arguments: dict[str, ArgumentSource] = {}
        fed = self._fed_parameters(tool, sample, made, readers)
        # the values a stateful environment fixes (its routes, its zipcodes), kept consistent with shared ones
        pinned = {n: v for n in properties if n not in fed
                  and (v := self._shared_value(tool, n, properties[n], sample, stated)) is not None}
        provided, outputs = environment_values(tool, pinned, _earlier(made), rng)
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
            shared = self._shared_value(tool, name, schema, sample, stated)
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
                    if _stateable(value) and is_valid(value, schema):
                        arguments[name] = ArgumentSource(kind="user", value=value)
                continue
            value = synth.value(schema, name)
            for _ in range(3):
                if _stateable(value) and is_valid(value, schema):
                    break
                value = synth.value(schema, name)
            else:
                return None
            arguments[name] = ArgumentSource(kind="user", value=value)
        if not _ends_differ(arguments, properties, synth):
            return None
        for name, source in arguments.items():
            if source.kind == "user":
                stated[(tool.name, name)] = source.value
        return _Call(call_id, tool, arguments)

    def _fed_parameters(self, tool: Tool, sample: SampleView, made: list[_Call],
                        readers: dict[tuple[str, str], list[tuple[str, Any]]]) -> dict[str, tuple[_Call, Flow]]:
        """For each top-level parameter, the best feasible incoming data_flow from an earlier call; a field
        that other calls read already must have one value that suits every reader."""
        chosen: dict[str, tuple[_Call, Flow]] = {}
        for flow in sorted((f for f in sample.flows if f.dst == tool.name), key=lambda f: (-f.score, f.src_field, f.dst_field)):
            name = top_parameter(flow.dst_field)
            if not name or name in chosen or not _top_level_or_element(flow.dst_field):
                continue
            producer = next((c for c in reversed(made) if c.tool.name == flow.src), None)
            if producer is None or not self._is_feasible(producer.tool, flow, tool) \
                    or not environment_readable(producer.tool, flow.src_field):
                continue
            known = {n: a.value for n, a in producer.arguments.items() if a.kind in ("user", "default")}
            unknown = [n for n, a in producer.arguments.items() if a.kind not in ("user", "default")]
            if not computed_answer_passes(producer.tool, known, unknown, flow.src_field, parameter_schema(tool, name)):
                continue  # speed 0.953 cannot go into an integer parameter without contradicting the arithmetic
            earlier = readers.get((producer.call_id, flow.src_field), [])
            if earlier and not _jointly_feasible(producer.tool, flow.src_field, [*earlier, (name, parameter_schema(tool, name))]):
                continue
            chosen[name] = (producer, flow)
        return chosen

    def _is_feasible(self, src: Tool, flow: Flow, dst: Tool) -> bool:
        key = (src.tool_id, flow.src_field, dst.tool_id, flow.dst_field)
        if key not in self._feasible:
            self._feasible[key] = flow_is_feasible(src, flow.src_field, dst, flow.dst_field)
        return self._feasible[key]

    def _shared_value(self, tool: Tool, name: str, schema: Any, sample: SampleView,
                      stated: dict[tuple[str, str], Any]) -> Any:
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

    def _vary(self, call: _Call, call_id: str, rng: random.Random) -> _Call | None:
        """The same call with one user-stated value changed (for "and the same for …" requests)."""
        params = call.tool.parameters if isinstance(call.tool.parameters, dict) else {}
        properties = params.get("properties") if isinstance(params.get("properties"), dict) else {}
        users = [n for n, s in call.arguments.items() if s.kind == "user" and n in properties]
        if not users:
            return None
        name = rng.choice(users)
        old = call.arguments[name].value
        synth = Synthesizer(rng, root=params)
        others = {n: s.value for n, s in call.arguments.items() if s.kind == "user" and n != name}
        for _ in range(4):
            # another route from the same airport; the session's token and the named card stay (earlier: this call)
            provided = environment_values(call.tool, others, [(call.tool, {**others, name: old})], rng)[0]
            value = provided[name] if name in provided else synth.value(properties[name], name)
            if value != old and _stateable(value) and is_valid(value, properties[name]):
                arguments = dict(call.arguments)
                arguments[name] = ArgumentSource(kind="user", value=value)
                if same_both_ends({n: s.value for n, s in arguments.items() if s.kind == "user"}):
                    continue  # "the same, but to USD" when it comes from USD
                return _Call(call_id, call.tool, arguments)
        return None

    # ---------------------------------------------------------------------------------- assembling

    def _assemble(self, sample: SampleView, seed: int, tool_turns: list[list[_Call]], rng: random.Random) -> DialoguePlan:
        cfg = self.config
        clarify_at = -1
        if rng.random() < cfg.clarification:
            options = [i for i, calls in enumerate(tool_turns) if _clarifiable(calls, _user_values(tool_turns[:i]))]
            if options:
                clarify_at = rng.choice(options)
        follow_after = rng.randrange(len(tool_turns)) if rng.random() < cfg.follow_up else -1
        # the layout first (kinds of turns in order), so call ids can be numbered by final position
        layout: list[tuple[str, int]] = []
        if rng.random() < cfg.greeting:
            layout.append(("greeting", -1))
        for i in range(len(tool_turns)):
            if i == clarify_at:
                layout.append(("clarification", i))
            layout.append(("tools", i))
            if i == follow_after:
                layout.append(("follow_up", i))
        if rng.random() < cfg.small_talk:
            spots = [p for p in range(1, len(layout) + 1) if layout[p - 1][0] != "clarification"]
            layout.insert(rng.choice(spots), ("small_talk", -1))
        if rng.random() < cfg.out_of_scope:
            spots = [p for p in range(1, len(layout) + 1) if layout[p - 1][0] != "clarification"]
            layout.insert(rng.choice(spots), ("out_of_scope", -1))
        if rng.random() < cfg.thanks or len(layout) < MIN_TURNS:
            layout.append(("thanks", -1))
        layout, tool_turns = _fit_layout(layout, tool_turns)

        turns: list[PlannedTurn] = []
        final_ids: dict[str, str] = {}
        previous_actions: list[str] = []
        pending_intent = ""
        for position, (kind, i) in enumerate(layout, 1):
            if kind == "clarification":
                calls = _renumber(tool_turns[i], position + 1, final_ids)
                tool_turns[i] = calls
                call, param = _clarifiable(calls, _user_values(tool_turns[:i]))[0]
                turns.append(PlannedTurn(
                    intent=f"{_intent(calls, previous_actions)} The user leaves out the {label(param)}, "
                    "so the assistant asks for it.",
                    needs_tools=False,
                    chat_kind="clarification",
                    asks_for=[f"{call.call_id}.{param}"],
                ))
                pending_intent = f"Gives the {label(param)} the assistant asked for."
            elif kind == "tools":
                calls = tool_turns[i] if pending_intent else _renumber(tool_turns[i], position, final_ids)
                turns.append(PlannedTurn(intent=pending_intent or _intent(calls, previous_actions), needs_tools=True,
                                         calls=[_planned(c) for c in calls]))
                pending_intent = ""
                previous_actions.extend(action_phrase(c.tool) for c in calls)
            else:
                turns.append(_chat(kind, _CHAT_INTENTS[kind]))
        return _plan(sample, seed, turns, rng)


_CHAT_INTENTS = {
    "greeting": "Greets the assistant before asking for anything.",
    "follow_up": "Asks a follow-up question about the last result, answered without tools.",
    "small_talk": "Makes a friendly remark.",
    "out_of_scope": "Asks for something none of the offered tools can do; the assistant declines and says why.",
    "thanks": "Thanks the assistant and wraps up.",
}


def _fit_layout(layout: list[tuple[str, int]], tool_turns: list[list[_Call]]) -> tuple[list[tuple[str, int]], list[list[_Call]]]:
    """At most MAX_TURNS user turns: drop optional chat turns first, then the clarification, then merge
    the last two tool turns."""
    layout = list(layout)
    for kind in ("small_talk", "out_of_scope", "greeting", "follow_up", "thanks", "clarification"):
        while len(layout) > MAX_TURNS and any(k == kind for k, _ in layout):
            layout.pop(next(i for i, (k, _) in enumerate(layout) if k == kind))
    tool_turns = [list(c) for c in tool_turns]
    while len(layout) > MAX_TURNS:
        tool_positions = [p for p, (k, _) in enumerate(layout) if k == "tools"]
        last, before = tool_positions[-1], tool_positions[-2]
        tool_turns[layout[before][1]].extend(tool_turns[layout[last][1]])
        layout.pop(last)
    return layout, tool_turns


def _jointly_feasible(producer: Tool, field_path: str, consumers: list[tuple[str, Any]]) -> bool:
    exists, schema = output_schema(producer, field_path)
    if not exists:
        return False
    ok, _ = joint_value(schema, consumers, random.Random(0), producer_name=field_path, producer_root=producer.returns)
    return ok


def _plan(sample: SampleView, seed: int, turns: list[PlannedTurn], rng: random.Random) -> DialoguePlan:
    return DialoguePlan(plan_id=plan_id_for(sample.sample_id, seed), sample_id=sample.sample_id,
                        strategy=sample.strategy, scenario=_scenario(sample, rng),
                        tools=[t.name for t in sample.tools] + [t.name for t in sample.distractors], turns=turns)


def _chat(kind: str, intent: str) -> PlannedTurn:
    return PlannedTurn(intent=intent, needs_tools=False, chat_kind=kind)  # type: ignore[arg-type]


def _planned(call: _Call) -> PlannedCall:
    return PlannedCall(call_id=call.call_id, tool=call.tool.name, arguments=call.arguments)


def _renumber(calls: list[_Call], turn_number: int, final_ids: dict[str, str]) -> list[_Call]:
    """Give calls their final ids (`t{turn}c{n}`) and point tool_output sources at final ids (producers
    always come earlier, so they are already in `final_ids`)."""
    renamed = []
    for k, call in enumerate(calls, 1):
        final_ids[call.call_id] = f"t{turn_number}c{k}"
        arguments = {
            name: (ArgumentSource(kind="tool_output", call_id=final_ids[s.call_id], field=s.field)
                   if s.kind == "tool_output" and s.call_id else s)
            for name, s in call.arguments.items()
        }
        renamed.append(_Call(final_ids[call.call_id], call.tool, arguments))
    return renamed


def _ends_differ(arguments: dict[str, ArgumentSource], properties: Mapping[str, Any], synth: Synthesizer) -> bool:
    """The two ends of one thing (`from_account` / `to_account`, `base_currency` / `target_currency`) get
    different values: the second end is drawn again (in place) until it differs; False when it cannot."""
    for first, second in same_both_ends({n: s.value for n, s in arguments.items() if s.kind == "user"}):
        schema = properties.get(second, {})
        for _ in range(6):
            value = synth.value(schema, second)
            if _stateable(value) and is_valid(value, schema) and not same_both_ends(
                    {first: arguments[first].value, second: value}):
                arguments[second] = ArgumentSource(kind="user", value=value)
                break
        else:
            return False
    return True


def _earlier(made: list[_Call]) -> list[tuple[Tool, dict[str, Any]]]:
    return [(c.tool, {n: s.value for n, s in c.arguments.items() if s.kind in ("user", "default")}) for c in made]


def _fit_reads(made: list[_Call], readers: dict[tuple[str, str], list[tuple[str, Any]]], rng: random.Random) -> None:
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


def _top_level_or_element(path: str) -> bool:
    """`param` or `param[]` (an element of an array parameter); deeper input paths are not planned."""
    parts = parse_path(path)
    return len(parts) == 1 or (len(parts) == 2 and parts[1] == 0)


def _stateable(value: Any) -> bool:
    """A user can say it: no nulls anywhere (a null leaf could not be grounded in the user's words)."""
    if value is None:
        return False
    if isinstance(value, dict):
        return all(_stateable(v) for v in value.values())
    if isinstance(value, list):
        return all(_stateable(v) for v in value)
    return True


_UNSET = frozenset({"", "null", "none", "nil", "n/a", "na", "undefined"})


def _user_values(turns: list[list[_Call]]) -> list[Any]:
    """Every value the user states for these calls."""
    return [source.value for calls in turns for call in calls for source in call.arguments.values()
            if source.kind == "user"]


def _clarifiable(calls: list[_Call], earlier: list[Any]) -> list[tuple[_Call, str]]:
    """Calls with a required, user-stated, simple value the user could leave out and give when asked.

    A value the user states anyway (for another argument of this turn, or in an earlier turn) is not really
    missing: asking for it would teach the assistant to re-ask what it was told."""
    found = []
    for call in calls:
        params = call.tool.parameters if isinstance(call.tool.parameters, dict) else {}
        required = set(params.get("required") or [])
        for name, source in call.arguments.items():
            if source.kind == "user" and name in required and isinstance(source.value, (str, int, float)) \
                    and not isinstance(source.value, bool) and str(source.value).strip():
                others = earlier + [s.value for c in calls for n, s in c.arguments.items()
                                    if s.kind == "user" and (c is not call or n != name)]
                if any(same_value(source.value, other) for other in others if not isinstance(other, (dict, list))):
                    continue
                found.append((call, name))
                break
    return found


def _intent(calls: list[_Call], previous: list[str]) -> str:
    parts = []
    for call in calls:
        values = [f"{label(n)} {mention(s.value)}" for n, s in call.arguments.items() if s.kind == "user"]
        flows = [f"the {label(s.field or '')} from the earlier result" for s in call.arguments.values() if s.kind == "tool_output"]
        detail = ", ".join(values + flows)
        parts.append(action_phrase(call.tool) + (f" ({detail})" if detail else ""))
    text = "; then ".join(parts)
    lead = "Wants to " if not previous else "Building on the previous answer, wants to "
    return (lead + text)[:600] + "."


def _scenario(sample: SampleView, rng: random.Random) -> str:
    actions = [action_phrase(t) for t in sample.tools[:3]]
    who = rng.choice(("A busy professional", "A student", "A traveller", "A small-business owner",
                      "A curious user", "A developer", "A project manager", "A researcher"))
    return f"{who} who needs to " + ", ".join(actions[:-1]) + (" and " if len(actions) > 1 else "") + actions[-1] + "."


def plan_many(samples: Iterable[Mapping[str, Any]], tools: Mapping[str, Tool], seed: int,
              config: PlannerConfig | None = None) -> list[PlanResult]:
    """One `PlanResult` per sample, in order (a failed sample is a result with `error`)."""
    return OfflinePlanner(config).plan_many(list(samples), tools, seed)
