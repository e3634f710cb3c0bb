"""The yield funnel of a run: how many items each stage kept, why the rest were lost, and what the kept
dialogues cost (requests, tokens and, with a price table, money).

samples → plans (ok) → dialogues (ok) → passed every check → curated (the training set). Each lost item
is counted under its reason: the error code of a failed plan or dialogue (`server_error`, `bad_plan`…), the
check a dialogue failed, or why a passing dialogue stayed out of the dataset (another strategy, the
no-planning ablation, decontamination or the batch floor).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import polars as pl

from ..quality.evaluate import reason_counts
from .curate import invents_a_calculation

TOP_REASONS = 5
USAGE_COLUMNS = ("requests", "prompt_tokens", "completion_tokens")


def _code(error: Any) -> str:
    """`server_error: HTTP 500 …` → `server_error`; errors without a code keep their first words."""
    text = str(error or "unknown").strip()
    head = text.split(":", 1)[0].strip()
    return head if head and " " not in head else " ".join(text.split()[:6])


def _failures(frame: pl.DataFrame) -> dict[str, int]:
    if frame.is_empty() or "status" not in frame.columns:
        return {}
    failed = frame.filter(pl.col("status") != "ok")
    errors = failed["error"].to_list() if "error" in failed.columns else [None] * failed.height
    return dict(Counter(_code(e) for e in errors).most_common(TOP_REASONS))


def _usage(*frames: pl.DataFrame) -> dict[str, int]:
    totals = {column: 0 for column in USAGE_COLUMNS}
    for frame in frames:
        for column in USAGE_COLUMNS:
            if column in frame.columns:
                totals[column] += int(frame[column].fill_null(0).sum())
    return totals


def _ok(frame: pl.DataFrame) -> int:
    return int((frame["status"] == "ok").sum()) if frame.height and "status" in frame.columns else 0


def build_funnel(samples: pl.DataFrame, plans: pl.DataFrame, dialogues: pl.DataFrame, quality: pl.DataFrame,
                 curated: pl.DataFrame, prices: dict[str, float] | None = None) -> dict[str, Any]:
    """The funnel as plain data (see the module docstring); `prices`: USD per million prompt and completion
    tokens (`{"prompt": 0.15, "completion": 0.6}`), when known."""
    passed = quality.filter(pl.col("passed")) if quality.height else quality
    checks = reason_counts(quality) if quality.height else {}
    stages = [
        {"stage": "samples", "kept": samples.height, "lost": 0, "reasons": {}},
        {"stage": "plans", "kept": _ok(plans), "lost": plans.height - _ok(plans), "reasons": _failures(plans)},
        {"stage": "dialogues", "kept": _ok(dialogues), "lost": dialogues.height - _ok(dialogues),
         "reasons": _failures(dialogues)},
        {"stage": "passed every check", "kept": passed.height, "lost": _ok(dialogues) - passed.height
         if dialogues.height else 0,
         "reasons": dict(Counter({k: v for k, v in checks.items() if k != "generation failed"}).most_common(TOP_REASONS))},
        {"stage": "curated (training set)", "kept": curated.height, "lost": passed.height - curated.height,
         "reasons": _left_out(passed, dialogues, curated)},
    ]
    usage = _usage(plans, dialogues)
    kept = curated.height
    per_kept = {f"{column}_per_kept_dialogue": (round(value / kept, 2) if kept else None)
                for column, value in usage.items()}
    result: dict[str, Any] = {"stages": stages, "usage": usage, **per_kept}
    if prices:
        cost = (usage["prompt_tokens"] * prices.get("prompt", 0.0)
                + usage["completion_tokens"] * prices.get("completion", 0.0)) / 1_000_000
        result["cost_usd"] = round(cost, 4)
        result["cost_usd_per_kept_dialogue"] = round(cost / kept, 6) if kept else None
    return result


def _left_out(passed: pl.DataFrame, dialogues: pl.DataFrame, curated: pl.DataFrame) -> dict[str, int]:
    """Why passing dialogues are not in the training set."""
    if passed.is_empty():
        return {}
    out = passed.select("dialogue_id").join(curated.select("dialogue_id"), on="dialogue_id", how="anti")
    if out.is_empty():
        return {}
    columns = [c for c in ("dialogue_id", "strategy", "planned", "executions") if c in dialogues.columns]
    info = out.join(dialogues.select(columns), on="dialogue_id", how="left")
    strategies = set(curated["strategy"].unique().to_list()) if curated.height and "strategy" in curated.columns \
        else {"graph"}
    reasons: Counter = Counter()
    for row in info.iter_rows(named=True):
        if row.get("strategy") not in strategies:
            reasons[f"strategy {row.get('strategy')} (kept for the comparison)"] += 1
        elif row.get("planned") is False:
            reasons["no-planning ablation (kept for the comparison)"] += 1
        elif invents_a_calculation(row.get("executions")):
            reasons["a made-up number for a calculation (uncomputed)"] += 1
        else:
            reasons["decontamination or batch floor"] += 1
    return dict(reasons.most_common(TOP_REASONS))


def funnel_lines(funnel: dict[str, Any]) -> list[str]:
    """The funnel as a Markdown table plus usage lines."""
    lines = ["| stage | kept | lost | top reasons |", "| --- | ---: | ---: | --- |"]
    for stage in funnel["stages"]:
        reasons = "; ".join(f"{k} ({v})" for k, v in stage["reasons"].items()) or "–"
        lines.append(f"| {stage['stage']} | {stage['kept']:,} | {stage['lost']:,} | {reasons} |")
    usage = funnel["usage"]
    lines += ["", f"Requests {usage['requests']:,}, prompt tokens {usage['prompt_tokens']:,}, completion tokens "
              f"{usage['completion_tokens']:,} (plans and dialogues); per kept dialogue: "
              f"{funnel['requests_per_kept_dialogue']} requests, {funnel['prompt_tokens_per_kept_dialogue']} prompt and "
              f"{funnel['completion_tokens_per_kept_dialogue']} completion tokens."]
    if "cost_usd" in funnel:
        lines.append(f"Cost: ${funnel['cost_usd']} in all, ${funnel['cost_usd_per_kept_dialogue']} per kept dialogue "
                     "(ReportConfig prices).")
    return lines
