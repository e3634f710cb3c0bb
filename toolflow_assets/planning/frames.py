"""`dialogue_plans` as a table: one row per sample, a plan (as JSON) or the reason it failed.

Both backends return `PlanResult`s; these helpers turn them into the `PLAN_SCHEMA` frame and back, and
summarize a batch for asset metadata.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Iterable, Sequence

import polars as pl

from .models import PLAN_SCHEMA, DialoguePlan, PlanResult
from .samples import plan_id_for

POLARS_PLAN_SCHEMA: dict[str, pl.DataType] = {name: getattr(pl, kind) for name, kind in PLAN_SCHEMA.items()}


def plan_results_to_frame(results: Sequence[PlanResult], seed: int) -> pl.DataFrame:
    """One row per result, in order; a failed result keeps its row with status `failed`, error and raw output."""
    rows = []
    for result in results:
        plan = result.plan
        rows.append({
            "plan_id": plan.plan_id if plan is not None else plan_id_for(result.sample_id, seed),
            "sample_id": result.sample_id,
            "strategy": result.strategy,
            "status": "ok" if plan is not None else "failed",
            "error": None if plan is not None else (result.error or "no plan and no error reported"),
            "raw_output": result.raw_output,
            "plan": plan.model_dump_json() if plan is not None else None,
            "n_user_turns": len(plan.turns) if plan is not None else 0,
            "n_tool_calls": plan.n_tool_calls if plan is not None else 0,
            "chained": plan.is_chained if plan is not None else False,
            "planned": result.planned,
        })
    return pl.DataFrame(rows, schema=POLARS_PLAN_SCHEMA)


def plans_from_frame(frame: pl.DataFrame) -> list[DialoguePlan]:
    """The usable plans of a `dialogue_plans` frame (rows with status ok), in row order."""
    ok = frame.filter(pl.col("status") == "ok")
    return [DialoguePlan.model_validate_json(text) for text in ok["plan"].to_list()]


def failed_plans(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows of plans that failed (plan_id, sample_id, strategy, error), so later stages keep them visible."""
    return frame.filter(pl.col("status") != "ok").select("plan_id", "sample_id", "strategy", "error").to_dicts()


def plan_summary(frame: pl.DataFrame) -> dict[str, Any]:
    """Counts and means for metadata: rows, status counts, mean user turns and calls, chained share,
    chat-turn kinds, and how many plans have several calls in one turn."""
    ok = frame.filter(pl.col("status") == "ok")
    chat_kinds: Counter[str] = Counter()
    multi_call_plans = 0
    for text in ok["plan"].to_list():
        plan = json.loads(text)
        chat_kinds.update(t.get("chat_kind") or "tools" for t in plan["turns"])
        multi_call_plans += any(len(t.get("calls") or []) > 1 for t in plan["turns"])
    n_ok = ok.height
    return {
        "rows": frame.height,
        "status_counts": dict(Counter(frame["status"].to_list())),
        "mean_user_turns": round(float(ok["n_user_turns"].mean()), 3) if n_ok else 0.0,
        "mean_tool_calls": round(float(ok["n_tool_calls"].mean()), 3) if n_ok else 0.0,
        "chained_share": round(float(ok["chained"].mean()), 3) if n_ok else 0.0,
        "turn_kinds": dict(chat_kinds),
        "multi_call_turn_share": round(multi_call_plans / n_ok, 3) if n_ok else 0.0,
    }


def summed_usage(usages: Iterable[dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for usage in usages:
        total.update({k: int(v) for k, v in (usage or {}).items() if isinstance(v, (int, float))})
    return dict(total)
