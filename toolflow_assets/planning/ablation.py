"""The no-planning ablation: which samples are planned without a planner, and planning them.

ToolFlow measures what planning buys by generating some dialogues without a plan. Here a configurable
share of the *graph* samples (so the comparison holds the sampling strategy fixed) gets an improvised
plan (`OfflinePlanner.improvise`: turn by turn, no lookahead, no data flow) whatever the planner; the
chosen writer then voices it like any plan. Which samples: a stable hash of (seed, sample_id), so the
same batch always ablates the same samples. Pure: no Dagster.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from ..tools import Tool, derive_seed
from .models import PlanResult
from .offline_planner import OfflinePlanner
from .samples import CatalogIndex

ABLATION_STRATEGY = "graph"


def is_ablated(sample_id: str, seed: int, fraction: float) -> bool:
    if fraction <= 0:
        return False
    return derive_seed(seed, "no-planning", sample_id) / 0x7FFFFFFF < fraction


def plan_with_ablation(
    samples: Sequence[Mapping[str, Any]],
    tools: Mapping[str, Tool],
    seed: int,
    plan_many: Callable[[list[Mapping[str, Any]], Mapping[str, Tool], int], list[PlanResult]],
    no_planning_fraction: float,
) -> list[PlanResult]:
    """One result per sample, in sample order: the ablated graph samples improvised, the rest planned by
    `plan_many` (the run's planner: offline or llm)."""
    ablated = [is_ablated(str(row.get("sample_id")), seed, no_planning_fraction)
               and row.get("strategy") == ABLATION_STRATEGY for row in samples]
    planned_rows = [row for row, off in zip(samples, ablated) if not off]
    planned = iter(plan_many(planned_rows, tools, seed) if planned_rows else [])
    planner, index = OfflinePlanner(), CatalogIndex(tools)
    return [planner.improvise_result(row, index, seed) if off else next(planned) for row, off in zip(samples, ablated)]
