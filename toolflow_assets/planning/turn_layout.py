"""The offline planner's turn layout: tool turns placed among chat turns, with their requests.

A greeting, a clarification (the user leaves out a required value, the assistant asks for it, and the
next turn supplies it), a follow-up question answered from an earlier result, small talk, an
out-of-scope request, thanks; at most MAX_TURNS user turns. The layout is fixed first, so call ids can
be numbered by their final position (`t{turn}c{n}`). Requests (intents) describe what the user wants
from the tools' descriptions, never their names.
"""

from __future__ import annotations

import random
from typing import Any

from .phrasing import action_phrase, label, mention
from ..mentions import same_value
from .draft_calls import DraftCall, to_planned, user_values
from .models import MAX_TURNS, MIN_TURNS, ArgumentSource, DialoguePlan, PlannedTurn
from .planner_config import PlannerConfig
from .samples import SampleView, plan_id_for

CHAT_INTENTS = {
    "greeting": "Greets the assistant before asking for anything.",
    "follow_up": "Asks a follow-up question about the last result, answered without tools.",
    "small_talk": "Makes a friendly remark.",
    "out_of_scope": "Asks for something none of the offered tools can do; the assistant declines and says why.",
    "thanks": "Thanks the assistant and wraps up.",
}


def assemble(config: PlannerConfig, sample: SampleView, seed: int, tool_turns: list[list[DraftCall]],
             rng: random.Random) -> DialoguePlan:
    cfg = config
    clarify_at = -1
    if rng.random() < cfg.clarification:
        options = [i for i, calls in enumerate(tool_turns) if clarifiable(calls, user_values(tool_turns[:i]))]
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
    layout, tool_turns = fit_layout(layout, tool_turns)

    turns: list[PlannedTurn] = []
    final_ids: dict[str, str] = {}
    previous_actions: list[str] = []
    pending_intent = ""
    for position, (kind, i) in enumerate(layout, 1):
        if kind == "clarification":
            calls = renumber(tool_turns[i], position + 1, final_ids)
            tool_turns[i] = calls
            call, param = clarifiable(calls, user_values(tool_turns[:i]))[0]
            turns.append(PlannedTurn(
                intent=f"{intent(calls, previous_actions)} The user leaves out the {label(param)}, "
                "so the assistant asks for it.",
                needs_tools=False,
                chat_kind="clarification",
                asks_for=[f"{call.call_id}.{param}"],
            ))
            pending_intent = f"Gives the {label(param)} the assistant asked for."
        elif kind == "tools":
            calls = tool_turns[i] if pending_intent else renumber(tool_turns[i], position, final_ids)
            turns.append(PlannedTurn(intent=pending_intent or intent(calls, previous_actions), needs_tools=True,
                                     calls=[to_planned(c) for c in calls]))
            pending_intent = ""
            previous_actions.extend(action_phrase(c.tool) for c in calls)
        else:
            turns.append(chat_turn(kind, CHAT_INTENTS[kind]))
    return make_plan(sample, seed, turns, rng)


def fit_layout(layout: list[tuple[str, int]], tool_turns: list[list[DraftCall]]) -> tuple[list[tuple[str, int]], list[list[DraftCall]]]:
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


def make_plan(sample: SampleView, seed: int, turns: list[PlannedTurn], rng: random.Random) -> DialoguePlan:
    return DialoguePlan(plan_id=plan_id_for(sample.sample_id, seed), sample_id=sample.sample_id,
                        strategy=sample.strategy, scenario=scenario(sample, rng),
                        tools=[t.name for t in sample.tools] + [t.name for t in sample.distractors], turns=turns)


def chat_turn(kind: str, intent: str) -> PlannedTurn:
    return PlannedTurn(intent=intent, needs_tools=False, chat_kind=kind)  # type: ignore[arg-type]


def renumber(calls: list[DraftCall], turn_number: int, final_ids: dict[str, str]) -> list[DraftCall]:
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
        renamed.append(DraftCall(final_ids[call.call_id], call.tool, arguments))
    return renamed


def clarifiable(calls: list[DraftCall], earlier: list[Any]) -> list[tuple[DraftCall, str]]:
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


def intent(calls: list[DraftCall], previous: list[str]) -> str:
    parts = []
    for call in calls:
        values = [f"{label(n)} {mention(s.value)}" for n, s in call.arguments.items() if s.kind == "user"]
        flows = [f"the {label(s.field or '')} from the earlier result" for s in call.arguments.values() if s.kind == "tool_output"]
        detail = ", ".join(values + flows)
        parts.append(action_phrase(call.tool) + (f" ({detail})" if detail else ""))
    text = "; then ".join(parts)
    lead = "Wants to " if not previous else "Building on the previous answer, wants to "
    return (lead + text)[:600] + "."


def scenario(sample: SampleView, rng: random.Random) -> str:
    actions = [action_phrase(t) for t in sample.tools[:3]]
    who = rng.choice(("A busy professional", "A student", "A traveller", "A small-business owner",
                      "A curious user", "A developer", "A project manager", "A researcher"))
    return f"{who} who needs to " + ", ".join(actions[:-1]) + (" and " if len(actions) > 1 else "") + actions[-1] + "."
