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

Here: the order of calls and their grouping into turns, and the no-planning ablation. The parts live
beside it: argument values (argument_values.py), which output feeds which argument (data_flow.py), the
turn layout and requests (turn_layout.py), the probabilities (planner_config.py).
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any, Iterable, Mapping, Sequence

from ..tools import Tool, derive_seed
from .argument_values import ArgumentFiller, vary
from .data_flow import FlowChooser, Readers, fit_reads
from .draft_calls import DraftCall, to_planned
from .models import MAX_TURNS, MIN_TURNS, DialoguePlan, PlannedTurn, PlanResult
from .planner_config import PlannerConfig
from .samples import CatalogIndex, Flow, SampleView, plan_id_for, sample_view  # noqa: F401 - importable here too
from .turn_layout import assemble, intent, make_plan

__all__ = ["PLANNER_VERSION", "MAX_CALLS", "CatalogIndex", "Flow", "OfflinePlanner", "PlannerConfig", "SampleView",
           "call_order", "derive_seed", "plan_id_for", "plan_many", "sample_view"]

PLANNER_VERSION = "offline-planner-v1"
MAX_CALLS = 7


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

class OfflinePlanner:
    def __init__(self, config: PlannerConfig | None = None) -> None:
        self.config = config or PlannerConfig()
        self.arguments = ArgumentFiller(self.config, FlowChooser())

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
        turns: list[list[DraftCall]] = []
        stated: dict[tuple[str, str], Any] = {}  # (tool, parameter) -> value the user already stated
        made: list[DraftCall] = []
        readers: Readers = {}  # (call, field) -> (parameter, schema)
        for group in call_groups:
            turn_calls: list[DraftCall] = []
            for tool in group:
                call = self.arguments.make_call(f"k{len(made) + 1}", tool, sample, made, stated, readers, rng)
                if call is None:
                    continue  # no valid arguments exist for this tool (an unsatisfiable schema)
                turn_calls.append(call)
                made.append(call)
                if len(made) < MAX_CALLS and rng.random() < cfg.parallel_call:
                    twin = vary(call, f"k{len(made) + 1}", rng, made)
                    if twin is not None:
                        turn_calls.append(twin)
                        made.append(twin)
            if turn_calls:
                turns.append(turn_calls)
        if not made:
            raise ValueError("no tool of the sample can be called with valid arguments")
        fit_reads(made, readers, rng)
        if len(made) < MAX_CALLS and (rng.random() < cfg.repeat_call or len(made) < 3):
            for candidate in rng.sample(made, len(made)):
                twin = vary(candidate, f"k{len(made) + 1}", rng, made)
                if twin is not None:
                    turns.append([twin])
                    made.append(twin)
                    break
        return assemble(cfg, sample, seed, turns, rng)

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
        made: list[DraftCall] = []
        stated: dict[tuple[str, str], Any] = {}
        turns: list[PlannedTurn] = []
        target = rng.randint(MIN_TURNS, 5)  # user turns, one call each
        for _ in range(target * 3):  # draws to spare for tools that cannot be called
            if len(turns) == target:
                break
            tool = rng.choice(sample.tools)
            call = self.arguments.make_call(f"t{len(turns) + 1}c1", tool, unlinked, made, stated, {}, rng, link=False)
            if call is None:
                continue
            made.append(call)
            turns.append(PlannedTurn(intent=intent([call], []), needs_tools=True, calls=[to_planned(call)]))
        if len(turns) < MIN_TURNS:
            raise ValueError("fewer than two tools of the sample can be called with valid arguments")
        return make_plan(sample, seed, turns, rng)

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


def plan_many(samples: Iterable[Mapping[str, Any]], tools: Mapping[str, Tool], seed: int,
              config: PlannerConfig | None = None) -> list[PlanResult]:
    """One `PlanResult` per sample, in order (a failed sample is a result with `error`)."""
    return OfflinePlanner(config).plan_many(list(samples), tools, seed)
