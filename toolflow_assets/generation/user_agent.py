"""The offline generator's user agent: each request voiced from the tools' descriptions (never their names),
every value the plan says the user gives stated verbatim, earlier values and results referred back to only
where the reference resolves to what the call uses (`references.py`, the rule the stale-reference check reads).
"""

from __future__ import annotations

import json
import re
import zlib
from typing import Any, Sequence

from ..json_schema.paths import is_element_path, last_field
from ..mentions import same_value
from ..planning.models import PlannedCall, PlannedTurn
from ..references import most_recent_value
from ..tools import Tool
from . import chat_turns as C
from . import language as L
from . import offline_templates as T
from .contexts import context_sentence, domain_topic
from ..values.flow import read_output
from .paraphrase import vary_words
from .offline_state import DialogueState, GenerationError, said_so_far
from ..planning.phrasing import label, mention, operand_names
from ..planning.weaving import weave_values
from .result_views import noun_phrase, spoken_verb_and_noun
from ..values import name_tokens

_NOT_NOUNS = frozenset("all any every each some the a an my".split())


def topic(state: DialogueState) -> str:
    """What the dialogue is about, in a few words: its domain's word for the matter ("shipping", `contexts`),
    else the noun of its first planned tool ("hotel room")."""
    planned = [state.tools[call.tool] for turn in state.plan.turns for call in turn.calls]
    said = domain_topic(planned, zlib.crc32(state.plan.plan_id.encode()))
    if said:
        return said
    for turn in state.plan.turns:
        for call in turn.calls:
            noun = noun_phrase(state.tools[call.tool])  # never "a all request" or "the volume sphere"
            if noun:
                return noun
    return ""


def _refers_back(state: DialogueState, name: str, value: Any) -> bool:
    """The user may say "the same <label> as before" for this value: the reference resolves, by the rule
    the stale-reference check verifies (references.most_recent_value), to exactly this value, and the
    dialogue has already made the value known (so the call stays grounded)."""
    if isinstance(value, (dict, list)) or value is None or isinstance(value, bool):
        return False
    found, latest = most_recent_value(state.messages, name_tokens(label(name)))
    return found and same_value(latest, value) and said_so_far(state).states(value)


def _flow_clause(state: DialogueState, call: PlannedCall, spoken: set[str]) -> str | None:
    """How the user points at the earlier result that feeds this call: "the <field> from that result" when
    that resolves to the value the call will read, else the value itself, named as coming from before."""
    for name, source in call.arguments.items():
        if source.kind != "tool_output" or source.call_id not in state.results:
            continue
        words = label(field_label(source.field))
        producer = state.tool_of[source.call_id]
        found, value = read_output(state.results[source.call_id], producer, source.field or "")
        if not found:
            return None
        key = f"flow:{words}={json.dumps(value, sort_keys=True, default=str)}"
        if key in spoken:  # another call of this request reads the same value: one mention covers both
            return None
        spoken.add(key)
        if is_element_path(source.field):  # the first of a list of names: "Take data.csv, the first one it listed."
            if state.rng.random() < T.LISTED_IMPLICIT_SHARE:
                return state.rng.choice(T.LISTED_FLOW_IMPLICIT)
            return state.rng.choice(T.LISTED_FLOW_CLAUSES).format(value=mention(value))
        latest_found, latest = most_recent_value(state.messages, name_tokens(words))
        if latest_found and not isinstance(value, (dict, list)) and same_value(latest, value):
            if source.call_id in state.last_calls and state.rng.random() < 0.3:
                return None  # the result just shown, and the only one: people leave "use the id from that" unsaid
            return T.flow_clause(state.rng, words)
        return state.rng.choice(T.FLOW_CLAUSES_EXPLICIT).format(label=words, value=mention(value))
    return None


FLOW_WEAVE_SHARE = 0.7


def _shown_flows(state: DialogueState, call: PlannedCall, in_turn: set[str]) -> list[tuple[str, Any]]:
    """The call's arguments read from an earlier round's result whose value an assistant answer has told
    the user ("I see baseball for the key"): a person says such a value ("the games for baseball") rather
    than "the key from that result"."""
    told = " ".join(str(m.get("content") or "") for m in state.messages if m.get("role") == "assistant")
    shown: list[tuple[str, Any]] = []
    for name, source in call.arguments.items():
        if source.kind != "tool_output" or source.call_id in in_turn or source.call_id not in state.results:
            continue
        found, value = read_output(state.results[source.call_id], state.tool_of[source.call_id], source.field or "")
        if found and isinstance(value, str) and value and re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", told):
            shown.append((name, value))
    return shown


def _value_sentences(state: DialogueState, values: list[tuple[str, Any]], spoken: set[str], scope: str = "",
                     tool: Tool | None = None) -> list[str]:
    """The values of one call, each once per message: a value said in an earlier turn may be referred to
    ("the same city as before"), the rest are woven into sentences as the persona writes (a one-letter
    operand by what its description says it is: "the numerator 56.21")."""
    out: list[str] = []
    fresh: list[tuple[str, Any]] = []
    for name, value in values:
        key = f"{label(name)}={json.dumps(value, sort_keys=True)}"
        if key in spoken:
            continue
        spoken.add(key)
        if _refers_back(state, name, value) and state.rng.random() < 0.7:
            out.append(state.rng.choice(T.SAME_AS_BEFORE).format(label=label(name)))
        else:
            fresh.append((name, value))
    said = operand_names(tool) if tool is not None else {}
    return L.value_clause(state.rng, state.persona, [(said.get(n, n), v) for n, v in fresh], scope) + out


def _stated_values(call: PlannedCall, omitted: set[tuple[str, str]]) -> list[tuple[str, Any]]:
    return [(n, s.value) for n, s in call.arguments.items()
            if s.kind == "user" and (call.call_id, n) not in omitted]


def _earlier_twin(state: DialogueState, call: PlannedCall) -> PlannedCall | None:
    """An earlier call of the same tool (in the dialogue or this turn) that this call repeats."""
    for turn in state.plan.turns:
        for other in turn.calls:
            if other.call_id == call.call_id:
                return None
            if other.tool == call.tool:
                return other
    return None


def _changed_clause(call: PlannedCall, twin: PlannedCall, omitted: set[tuple[str, str]], tool: Tool | None = None) -> str:
    said = operand_names(tool) if tool is not None else {}
    changed = [(said.get(n, n), s.value) for n, s in call.arguments.items()
               if s.kind == "user" and (call.call_id, n) not in omitted
               and (n not in twin.arguments or twin.arguments[n].value != s.value)]
    if not changed:
        return ""
    return " and ".join(f"{L.said_labels([n for n, _ in changed])[n]} {mention(v)}" for n, v in changed)


def request_text(state: DialogueState, calls: Sequence[PlannedCall], omitted: set[tuple[str, str]],
                  previous: PlannedTurn | None) -> str:
    rng = state.rng
    heads: list[str] = []
    details: list[str] = []
    spoken: set[str] = set()
    woven_said: list[str] = []  # the values said inside the actions, kept whole by the head's frame
    in_turn = {c.call_id for c in calls}
    ambiguous = _labels_with_two_values(calls, omitted)
    for index, call in enumerate(calls):
        tool = state.tools[call.tool]
        twin = _earlier_twin(state, call)
        values = _stated_values(call, omitted)
        if twin is not None:
            clause = _changed_clause(call, twin, omitted, tool)
            if clause:
                # "do it again" points at the call just before (the last round, if it called only this tool);
                # an earlier call, or one among other tools, must be named
                if index:
                    unambiguous = calls[index - 1].call_id == twin.call_id
                else:
                    unambiguous = bool(state.last_calls) and state.last_calls[-1] == twin.call_id and all(
                        state.tool_of[c].name == call.tool for c in state.last_calls)
                named = "" if unambiguous else _again_reference(state, tool)
                details.append(L.repeat_request(rng, state.persona, clause, action=named))
                unchanged = {n for n, s in twin.arguments.items()}
                details.extend(_value_sentences(state, [(n, v) for n, v in values if n not in unchanged], spoken,
                                                tool=tool))
                continue
        # a value woven into its own action is tied to it, even where the request gives its label two values
        first = _first_action(state, tool)
        said = vary_words(rng, first, _parameter_words(tool))
        # not into the short form: "the sport odds" would become "sport tennis odds"
        full = first == state.actions[tool.name]
        shown = _shown_flows(state, call, in_turn) if full and rng.random() < FLOW_WEAVE_SHARE else []
        action, woven = weave_values(rng, L.shorthand(rng, state.persona, said), values + shown)
        for name, value in shown:
            if name in woven:  # "the games for baseball": the value the answer just told, said where it goes
                spoken.add(f"flow:{label(field_label(call.arguments[name].field))}="
                           f"{json.dumps(value, sort_keys=True, default=str)}")
                woven_said.append(mention(value))
        for name, value in values:
            if name in woven:
                spoken.add(f"{label(name)}={json.dumps(value, sort_keys=True)}")
                woven_said.append(mention(value))
        values = [(n, v) for n, v in values if n not in woven]
        same_turn_flows = [s for s in call.arguments.values() if s.kind == "tool_output" and s.call_id in in_turn]
        if same_turn_flows and heads:
            source = same_turn_flows[0]
            heads.append(rng.choice(T.SAME_TURN_LISTED).format(action=action) if is_element_path(source.field) else
                         rng.choice(T.SAME_TURN_FLOW).format(label=label(field_label(source.field)), action=action))
        else:
            heads.append(action)
            clause = _flow_clause(state, call, spoken)
            if clause:
                details.append(clause)
        # a label this request gives two values (two calls, two countries) is tied to its part of the request
        scope = rng.choice(_ORDINALS[min(len(heads), len(_ORDINALS)) - 1]) \
            if any(label(n) in ambiguous for n, _ in values) else ""
        details.extend(_value_sentences(state, values, spoken, scope, tool))
    if not heads:  # every call repeats an earlier one: the repeat clauses are the request
        return " ".join(details)
    head = L.request_head(rng, state.persona, heads, first_turn=state.done_tool_turns == 0, topic=topic(state),
                          values=woven_said)
    why = None
    if state.situation is not None and not state.situation_said:
        why, state.situation_said = state.situation.sentence, True
    elif state.situation is not None and rng.random() < PURPOSE_SHARE:  # a later request tied to the same goal
        why = rng.choice(_PURPOSE_TIES).format(purpose=state.situation.purpose)
    elif state.done_tool_turns == 0 and state.situation is None:
        why = context_sentence(rng, state.persona.verbosity, topic(state))
    return " ".join([head, *([why] if why else []), *details])


PURPOSE_SHARE = 0.2
_PURPOSE_TIES = ("It's for {purpose} too.", "Still for {purpose}.", "That's also for {purpose}.",
                 "This one is for {purpose} as well.")

_ORDINALS = (("the first part", "the first step", "the first one", "step one"),
             ("the second part", "the second step", "the second one", "step two"),
             ("the third part", "the third step", "the third one", "step three"),
             ("the fourth part", "the fourth step"), ("the last part", "the last step"))


SHORT_SHARE = 0.3


def _first_action(state: DialogueState, tool: Tool) -> str:
    """How the user first asks for a tool: mostly its description's request, now and then the short form a
    person says ("get the sport odds" for "get list of live and upcoming games for a sport, showing bookmaker
    odds for the region"), when no other offered tool reads the same. Every request of a small catalog in
    its description's words is what made the BFCL and ToolBench parts read alike."""
    short = _unique_short_action(state, tool)
    return short if short and state.rng.random() < SHORT_SHARE else state.actions[tool.name]


def _parameter_words(tool: Tool) -> frozenset[str]:
    """The words of the tool's parameter names, singular and plural: the words a value is woven in at."""
    properties = (tool.parameters or {}).get("properties") or {}
    words = {word for name in properties for word in name_tokens(label(str(name)))}
    return frozenset(words | {f"{word}s" for word in words} | {word[:-1] for word in words if word.endswith("s")})


def _unique_short_action(state: DialogueState, tool: Tool) -> str:
    """`_short_action`, or "" when it has none or another offered tool reads the same."""
    short = _short_action(tool)
    if not short or any(_short_action(other) == short for other in state.tools.values() if other is not tool):
        return ""
    return short


def _again_reference(state: DialogueState, tool: Tool) -> str:
    """How the user names a tool asked for before, to run it again: now and then short ("get the sport
    odds") when no other tool of the dialogue would read the same, else its full request. Nobody repeats
    "get list of live and upcoming games for a sport, showing bookmaker odds for the region" word for word."""
    full = L.paraphrase_action(state.rng, state.actions[tool.name])
    if state.rng.random() < 0.4:
        return full
    return _unique_short_action(state, tool) or full


def _short_action(tool: Tool) -> str:
    verb, noun = spoken_verb_and_noun(tool)
    return f"{verb} the {noun}" if verb else ""


def _labels_with_two_values(calls: Sequence[PlannedCall], omitted: set[tuple[str, str]]) -> set[str]:
    """Labels that the user states with more than one value in this request."""
    seen: dict[str, set[str]] = {}
    for call in calls:
        for name, value in _stated_values(call, omitted):
            seen.setdefault(label(name), set()).add(json.dumps(value, sort_keys=True))
    return {words for words, values in seen.items() if len(values) > 1}


def field_label(path: str | None) -> str:
    return last_field(path) or "result"


def clarification_answer(state: DialogueState, turn: PlannedTurn, asked: set[tuple[str, str]]) -> str:
    sentences = [C.clarification_answer(state.rng, operand_names(state.tools[call.tool]).get(name, name), source.value)
                 for call in turn.calls for name, source in call.arguments.items()
                 if (call.call_id, name) in asked and source.kind == "user"]
    if not sentences:
        raise GenerationError("bad_plan: the clarification asks for no value the next turn supplies")
    return " ".join(sentences)
