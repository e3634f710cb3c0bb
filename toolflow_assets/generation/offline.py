"""The `offline` generation backend: plans and dialogues with no model, deterministic from the seed.

Three agents work each plan turn by turn:
- the user agent (`user_agent.py`) voices the turn's request from the tools' descriptions (never their
  names), states every value the plan says the user gives verbatim, and refers back to earlier turns;
- the assistant agent calls the planned tools with JSON-string arguments (values the user stated,
  declared defaults, or the actual values of earlier tool results), asks for a value the user left out,
  and answers from the results;
- the executor (execution/, `simulated` by default) returns each tool result: valid for the return
  schema, never at odds with the call, stateful across the dialogue, and holding every output field a
  later call reads, with a value that call can take.
Every argument and result is validated; a dialogue that cannot be made valid is a `failed` row with the
reason, never an exception.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from typing import Any, Mapping, Sequence

from ..execution import Executor, SimulatedExecutor, SimulationError, ToolOutcome, is_error_result
from ..execution.protocol import begin_dialogue, dialogue_executor
from ..planning.models import DialoguePlan, PlannedCall, PlannedTurn, PlanResult
from ..planning.offline_planner import CatalogIndex, OfflinePlanner, PlannerConfig, derive_seed
from ..planning.samples import dialogue_id_for
from ..tools import Tool
from . import offline_templates as T
from . import chat_turns as C
from . import answers as A
from .call_notes import before_calls, retry_note
from . import language as L
from ..values.flow import coerce_for, parameter_schema, read_output
from .contexts import draw_situation
from .models import Dialogue, Provenance
from ..planning.phrasing import distinct_actions, mention, operand_names
from .offline_state import DialogueState, GenerationError, said_so_far
from .result_views import result_view, spoken_verb_and_noun
from .user_agent import clarification_answer, field_label, request_text, topic
from ..values import humanize, schema_error

BACKEND = "offline"
MODEL = "toolflow-offline"
PROMPT_VERSION = T.OFFLINE_PROMPT_VERSION

class OfflineGenerator:
    """`DialogueGenerator` without a model (see toolflow_assets.generation.backend)."""

    backend = BACKEND
    model = MODEL
    prompt_version = PROMPT_VERSION

    def __init__(self, planner_config: PlannerConfig | None = None, executor: Executor | None = None,
                 **_options: Any) -> None:
        # LLM options (base_url, temperature, cache_dir…) mean nothing here and are accepted and ignored
        self.planner = OfflinePlanner(planner_config)
        self.executor = executor or SimulatedExecutor()

    def plan_many(self, samples: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], seed: int) -> list[PlanResult]:
        return self.planner.plan_many(samples, tools, seed)

    def generate_many(self, plans: Sequence[DialoguePlan], tools: Mapping[str, Tool], seed: int) -> list[Dialogue]:
        index = CatalogIndex(tools)
        return [generate_dialogue(plan, index, seed, self.executor) for plan in plans]

    def usage(self) -> dict[str, int]:
        return {"prompt_tokens": 0, "completion_tokens": 0, "requests": 0}

    def capabilities(self) -> dict[str, str]:
        return {}  # no server to negotiate with


# ------------------------------------------------------------------------------------------- dialogue

def generate_dialogue(plan: DialoguePlan, index: CatalogIndex, seed: int, executor: Executor | None = None) -> Dialogue:
    item_seed = derive_seed(seed, plan.plan_id, PROMPT_VERSION)
    rng = random.Random(item_seed)
    offered = {name: index.get(name) for name in plan.tools}
    error: str | None = None
    executor = executor or SimulatedExecutor()
    state = DialogueState(plan=plan, tools={n: t for n, t in offered.items() if t is not None}, rng=rng,
                   session=executor.session(item_seed))
    try:
        missing = [name for name, tool in offered.items() if tool is None]
        if missing:
            raise GenerationError(f"unknown_tool: the plan offers tools missing from the catalog: {missing}")
        state.consumers = planned_consumers(plan, state.tools)
        state.actions = distinct_actions(list(state.tools.values()))
        begin_dialogue(state.session, plan, state.tools, state.messages)  # an environment's state made for the plan
        state.persona = L.draw_persona(rng)
        planned = {call.tool for turn in plan.turns for call in turn.calls}
        state.situation = draw_situation(rng, [t for n, t in state.tools.items() if n in planned], state.persona.verbosity)
        state.messages.append({"role": "system", "content": L.system_prompt(rng)})
        for position, turn in enumerate(plan.turns):
            _play_turn(state, position, turn)
    except GenerationError as failure:
        error = str(failure)
    except Exception as failure:  # noqa: BLE001 - one bad plan is a failed row, never a failed batch
        error = f"internal_error: {type(failure).__name__}: {failure}"
    return Dialogue(
        dialogue_id=dialogue_id_for(plan.plan_id, BACKEND, MODEL, seed),
        plan_id=plan.plan_id,
        sample_id=plan.sample_id,
        strategy=plan.strategy,
        messages=state.messages,
        tools=[tool.to_openai() for tool in state.tools.values()],
        provenance=Provenance(backend=BACKEND, model=MODEL, prompt_version=PROMPT_VERSION, seed=item_seed,
                              executor=dialogue_executor(state.session, executor)),
        executions=state.executions,
        status="ok" if error is None else "failed",
        error=error,
    )


def planned_consumers(plan: DialoguePlan, tools: dict[str, Tool]) -> dict[str, dict[str, list[tuple[str, Any]]]]:
    """For each call: the output fields later calls read, with each reader's (parameter, schema)."""
    found: dict[str, dict[str, list[tuple[str, Any]]]] = {}
    for turn in plan.turns:
        for call in turn.calls:
            for name, source in call.arguments.items():
                if source.kind == "tool_output" and source.call_id and source.field is not None:
                    schema = parameter_schema(tools[call.tool], name)
                    found.setdefault(source.call_id, {}).setdefault(source.field, []).append(
                        (name, schema if schema is not None else {}))
    return found


def _play_turn(state: DialogueState, position: int, turn: PlannedTurn) -> None:
    rng = state.rng
    plan = state.plan
    previous = plan.turns[position - 1] if position > 0 else None
    if turn.chat_kind == "clarification":
        following = plan.turns[position + 1] if position + 1 < len(plan.turns) else None
        if following is None or not following.calls:
            raise GenerationError("bad_plan: a clarification turn must be followed by the tool turn it clarifies")
        omitted = _asked(turn)
        _user(state, request_text(state, following.calls, omitted, previous))
        # a one-letter operand by what it is ("the denominator", not "the b"): planning.phrasing.operand_names
        operands = {call.call_id: operand_names(state.tools[call.tool]) for call in following.calls}
        names = [operands.get(call_id, {}).get(arg, arg) for call_id, arg in sorted(omitted)]
        spoken = L.said_labels(names)  # as the user is asked: "what origin postcode", not "what post code src"
        _assistant(state, C.clarification_question(rng, [spoken[arg] for arg in names]))
        return
    if turn.needs_tools:
        if previous is not None and previous.chat_kind == "clarification":
            _user(state, clarification_answer(state, turn, _asked(previous)))
        else:
            _user(state, request_text(state, turn.calls, set(), previous))
        _tool_rounds(state, turn.calls)
        state.done_tool_turns += 1
        return
    kind = turn.chat_kind or "small_talk"
    if kind == "greeting":
        user_text, reply = C.greeting(rng, state.persona, topic(state), state.situation)
        state.situation_said = state.situation_said or (state.situation is not None and state.situation.sentence in user_text)
    elif kind == "thanks":
        fact = _follow_up_fact(state)
        purpose = state.situation.purpose if state.situation and state.situation_said else ""
        user_text, reply = C.thanks(rng, state.persona, fact[0] if fact else None, topic(state), purpose)
    elif kind == "follow_up":
        fact = _follow_up_fact(state)
        if fact is None:
            user_text, reply = C.small_talk(rng)
        else:
            user_text, reply = C.follow_up(rng, *fact)
    elif kind == "out_of_scope":
        user_text, reply = C.out_of_scope(rng, rng.choice(C.OUT_OF_SCOPE_TASKS))
    else:
        user_text, reply = C.small_talk(rng)
    _user(state, user_text)
    _assistant(state, reply)


def _asked(turn: PlannedTurn) -> set[tuple[str, str]]:
    asked = set()
    for item in turn.asks_for:
        call_id, _, argument = item.partition(".")
        if argument:
            asked.add((call_id, argument))
    return asked


def _user(state: DialogueState, text: str) -> None:
    text = " ".join(text.split())
    if not text:
        raise GenerationError("empty_turn: the user agent produced no text")
    state.messages.append({"role": "user", "content": text})


def _assistant(state: DialogueState, text: str) -> None:
    state.messages.append({"role": "assistant", "content": " ".join(text.split()) or "Done."})


# ------------------------------------------------------------------------------------ assistant agent

def _rounds(calls: Sequence[PlannedCall]) -> list[list[PlannedCall]]:
    """Calls that read a result of this same turn wait for it: they go in a later assistant message.
    Rounds never reorder the plan's calls (a call is never in an earlier round than the one before it)."""
    level: dict[str, int] = {}
    floor = 0
    for call in calls:
        deps = [level[s.call_id] for s in call.arguments.values() if s.kind == "tool_output" and s.call_id in level]
        floor = max(floor, 1 + max(deps) if deps else 0)
        level[call.call_id] = floor
    rounds: list[list[PlannedCall]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for call in calls:
        rounds[level[call.call_id]].append(call)
    return rounds


def _tool_rounds(state: DialogueState, calls: Sequence[PlannedCall]) -> None:
    rng = state.rng
    done: list[str] = []
    for number, batch in enumerate(_rounds(calls)):
        verb, noun = spoken_verb_and_noun(state.tools[batch[0].tool])
        text = before_calls(rng, later_round=number > 0, verb=verb, noun=noun if len(batch) == 1 else "")
        tool_calls = []
        for call in batch:
            arguments = _arguments(state, call)
            call_id = _new_call_id(state)
            state.arguments[call.call_id] = arguments
            tool_calls.append((call, call_id, arguments))
        state.messages.append({
            "role": "assistant",
            "content": text,
            "tool_calls": [
                {"id": cid, "type": "function",
                 "function": {"name": call.tool, "arguments": json.dumps(args, ensure_ascii=False)}}
                for call, cid, args in tool_calls
            ],
        })
        for call, cid, args in tool_calls:
            tool = state.tools[call.tool]
            outcome = _tool_result(state, call, tool, args)
            result = outcome.result
            state.results[call.call_id] = result
            state.tool_of[call.call_id] = tool
            state.messages.append({"role": "tool", "tool_call_id": cid, "name": call.tool,
                                   "content": json.dumps(result, ensure_ascii=False, separators=(", ", ": "))})
            state.executions.append(outcome.provenance(cid, call.tool))
            done.append(call.call_id)
        _retry_failures(state, [(call, args) for call, _, args in tool_calls])
    state.last_calls = done
    _assistant(state, _summary(state, done))


RETRY_SHARE = 0.65  # a rate limit or a timeout is tried once more, as an agent should; the rest are explained


def _retry_failures(state: DialogueState, made: Sequence[tuple[PlannedCall, dict[str, Any]]]) -> None:
    """Calls that failed for a passing reason (rate limit, timeout) are made once more, same arguments,
    after a word on why; the answer then reports the attempt that went through."""
    for call, arguments in made:
        result = state.results[call.call_id]
        if not (is_error_result(result) and isinstance(result.get("error"), dict) and result["error"].get("retryable")):
            continue
        if state.rng.random() >= RETRY_SHARE:
            continue
        cid = _new_call_id(state)
        state.messages.append({
            "role": "assistant", "content": retry_note(state.rng, str(result["error"].get("type") or "")),
            "tool_calls": [{"id": cid, "type": "function",
                            "function": {"name": call.tool, "arguments": json.dumps(arguments, ensure_ascii=False)}}],
        })
        outcome = _tool_result(state, call, state.tools[call.tool], arguments)
        state.results[call.call_id] = outcome.result
        state.messages.append({"role": "tool", "tool_call_id": cid, "name": call.tool,
                               "content": json.dumps(outcome.result, ensure_ascii=False, separators=(", ", ": "))})
        state.executions.append(outcome.provenance(cid, call.tool))


def _new_call_id(state: DialogueState) -> str:
    while True:
        candidate = f"call_{state.rng.getrandbits(64):016x}"
        if candidate not in state.call_ids:
            state.call_ids.add(candidate)
            return candidate


def _arguments(state: DialogueState, call: PlannedCall) -> dict[str, Any]:
    tool = state.tools[call.tool]
    params = tool.parameters if isinstance(tool.parameters, dict) else {}
    properties = params.get("properties") if isinstance(params.get("properties"), dict) else {}
    arguments: dict[str, Any] = {}
    order = {name: i for i, name in enumerate(properties)}
    for name in sorted(call.arguments, key=lambda n: (order.get(n, len(order)), n)):
        source = call.arguments[name]
        if source.kind == "tool_output":
            producer = state.tool_of.get(source.call_id or "")
            if producer is None:
                raise GenerationError(f"bad_plan: {call.call_id}.{name} reads {source.call_id}, which has no result yet")
            found, value = read_output(state.results[source.call_id], producer, source.field or "")
            if not found:
                raise GenerationError(f"missing_output: {source.call_id} returned no {source.field!r} for {call.call_id}.{name}")
            ok, value = coerce_for(value, properties.get(name))
            if not ok:
                raise GenerationError(f"incompatible_output: {source.call_id}.{source.field} cannot fill {call.call_id}.{name}")
            arguments[name] = value
        else:
            arguments[name] = source.value
    problem = schema_error(arguments, params)
    if problem:
        raise GenerationError(f"invalid_arguments: {call.call_id} ({call.tool}): {problem}")
    return arguments


def _summary(state: DialogueState, call_ids: list[str]) -> str:
    """The assistant's answer to a round of results: framed by what each tool does, errors explained; two
    results of one tool say which call each answers ("For distance 15, …; for distance 27, …")."""
    views = [_result_view(state, call_id) for call_id in call_ids]
    for index, call_id in enumerate(call_ids):
        twins = [c for c in call_ids if state.tool_of[c].name == state.tool_of[call_id].name]
        if len(twins) > 1:
            views[index] = replace(views[index], scope=_call_scope(state, call_id, twins))
    state.told = [view.facts for view in views if view.error is None and not view.refused]
    text = A.answer(state.rng, views)
    if state.situation is not None and state.situation_said:
        text = A.with_purpose(state.rng, text, state.situation.purpose, failed=len(state.told) < len(views))
    return text


def _call_scope(state: DialogueState, call_id: str, twins: list[str]) -> str:
    """What tells this call from the other calls of its tool: the arguments whose values differ."""
    own = state.arguments.get(call_id, {})
    differing = [(name, value) for name, value in own.items()
                 if not isinstance(value, (dict, list))
                 and any(state.arguments.get(other, {}).get(name) != value for other in twins if other != call_id)]
    operands = operand_names(state.tool_of[call_id])  # "denominator 3", never "b 3"
    differing = [(operands.get(name, name), value) for name, value in differing[:2]]
    said = L.said_labels([name for name, _ in differing])
    return " and ".join(f"{said[name]} {mention(value)}" for name, value in differing)


def _result_view(state: DialogueState, call_id: str) -> A.ResultView:
    return result_view(state.tool_of[call_id], state.results[call_id], state.arguments.get(call_id, {}),
                       _needed_facts(state, call_id), said_so_far(state))


def _needed_facts(state: DialogueState, call_id: str) -> list[tuple[str, str]]:
    """The fields later calls read from this result: the answer mentions them, so the user can refer
    to them ("use the booking id from that")."""
    tool = state.tool_of[call_id]
    facts = []
    for path in state.consumers.get(call_id, {}):
        found, value = read_output(state.results[call_id], tool, path)
        if found and not isinstance(value, (dict, list)):
            facts.append((humanize(field_label(path)), mention(value)))
    return facts


def _follow_up_fact(state: DialogueState) -> tuple[str, str] | None:
    """A fact the last answer told, for the user to ask again about ("what was the id again?"): never one it
    left out (a status the answer did not mention cannot be asked for "again")."""
    for facts in reversed(state.told):
        if facts:
            return facts[0]
    return None


# ----------------------------------------------------------------------------------------- tool agent

def _tool_result(state: DialogueState, call: PlannedCall, tool: Tool, arguments: dict[str, Any]) -> ToolOutcome:
    """The executor's answer (execution/), holding every field later calls read, valid for each reader."""
    try:
        outcome = state.session.execute(call.tool, arguments, tool, needed=state.consumers.get(call.call_id, {}))
    except SimulationError as failure:
        raise GenerationError(str(failure)) from failure
    return replace(outcome, result=whole_numbers(outcome.result))


def whole_numbers(value: Any) -> Any:
    """A result's 24.0 as 24: JSON knows one number, and the writer says it "24" (`number_text`), so a later
    call that passes it on must find "24" in the result, not "24.0" (strict grounding reads whole tokens)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    if isinstance(value, dict):
        return {key: whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_numbers(item) for item in value]
    return value
