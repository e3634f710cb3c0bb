"""`dialogue_quality`: every dialogue checked, one row each, with a verdict per check and the reasons.

Order of work, cheapest first: the per-dialogue checks (structure, schema, grounding, tool responses,
plan adherence), then near-duplicates over the batch (preferring to keep dialogues that passed the rest),
then — only when asked and only for dialogues that passed everything — the LLM judge. A dialogue whose
generation failed keeps its row: `passed` is false, its checks are null (not run), the reason is its error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import polars as pl

from .checks import (
    CHECK_NAMES,
    check_grounding,
    check_plan_adherence,
    check_schema,
    check_structure,
    check_tool_responses,
    run_safely,
    capped,
)
from .value_fit import check_value_fit
from .named_values import check_named_values
from .computed import check_computed_results
from .state import check_entity_state, check_record_identity
from .reasked import check_reasked_values
from .semantic import (
    check_assistant_claims,
    check_result_consistency,
    check_stale_references,
    check_undeclared_arguments,
)
from .conversation import load_json_list, user_texts
from .dedup import DedupConfig, near_duplicates
from .judge import JudgeScores

QUALITY_SCHEMA: dict[str, pl.DataType] = {
    "dialogue_id": pl.String,
    "plan_id": pl.String,
    "sample_id": pl.String,
    "strategy": pl.String,
    "status": pl.String,  # the dialogue's generation status: ok | failed
    "passed": pl.Boolean,  # every check passed (and the judge's floor, when one is set)
    **{name: pl.Boolean for name in CHECK_NAMES},  # null: the check did not run (generation failed)
    "duplicate_of": pl.String,  # the kept dialogue this one nearly duplicates
    "duplicate_similarity": pl.Float64,  # Jaccard of the users' word shingles
    "hallucinated_arguments": pl.List(pl.String),  # `tool.argument` labels the grounding check flagged
    "reasons": pl.List(pl.String),  # `<check>: <why>` for every failure
    "judge_naturalness": pl.Int64,  # 1–5, null when the judge is off or could not answer
    "judge_coherence": pl.Int64,
    "judge_helpfulness": pl.Int64,
    "judge_rationale": pl.String,
    "judge_error": pl.String,
}

SEMANTIC_CHECKS: dict[str, Callable[[list[Any], list[Any], dict[str, Any]], list[str]]] = {
    # a result agrees with its call: echoed arguments, the answer of a call compute.py can compute, the very
    # thing a lookup names and two different parties on a record's two sides
    "result_consistency": lambda messages, tools, returns: (check_result_consistency(messages, returns)
                                                            + check_computed_results(messages, tools)
                                                            + check_record_identity(messages, tools, returns)),
    # a "not found" error agrees with what the dialogue created and deleted
    "entity_state": lambda messages, tools, returns: check_entity_state(messages, tools, returns),
    # and no thing nobody names like a brand is given a brand-like name ("Tate Genetic Trait")
    "value_fit": lambda messages, tools, returns: check_value_fit(messages, tools) + check_named_values(messages),
    "reasked_values": lambda messages, tools, returns: check_reasked_values(messages, tools),
    "stale_references": lambda messages, tools, returns: check_stale_references(messages),
    "assistant_claims": lambda messages, tools, returns: check_assistant_claims(messages, tools),
}
"""The reader's checks (see semantic), in CHECK_NAMES order, each over (messages, tools, declared return
schemas by tool name)."""

JudgeBatch = Callable[[Sequence[tuple[list[Any], list[Any]]]], list[JudgeScores]]
"""(messages, tools) pairs in, one `JudgeScores` per pair out (see judge.judge_many)."""


@dataclass(frozen=True)
class QualitySettings:
    dedup: DedupConfig = field(default_factory=DedupConfig)
    judge_min_score: float | None = None  # when set and the judge runs, a mean score below it fails


@dataclass
class _Row:
    dialogue_id: str
    plan_id: str | None
    sample_id: str | None
    strategy: str | None
    status: str
    checks: dict[str, bool | None]
    reasons: list[str]
    hallucinated: list[str]
    messages: list[Any]
    tools: list[Any]
    duplicate_of: str | None = None
    duplicate_similarity: float | None = None
    judge: JudgeScores | None = None

    @property
    def deterministic_pass(self) -> bool:
        return self.status == "ok" and all(v is True for v in self.checks.values())


def plans_by_id(plans: pl.DataFrame) -> dict[str, dict[str, Any] | None]:
    """Usable plans by plan_id (None for a failed or unreadable plan row)."""
    found: dict[str, dict[str, Any] | None] = {}
    if plans.is_empty():
        return found
    for row in plans.select("plan_id", "status", "plan").iter_rows(named=True):
        plan = None
        if row["status"] == "ok" and row["plan"]:
            try:
                plan = json.loads(row["plan"])
            except json.JSONDecodeError:
                plan = None
        found[str(row["plan_id"])] = plan if isinstance(plan, dict) else None
    return found


def returns_by_tool(catalog: pl.DataFrame) -> dict[str, Any]:
    """Declared return schemas by tool name (tools without one are absent)."""
    declared: dict[str, Any] = {}
    if catalog.is_empty():
        return declared
    for name, returns in catalog.select("name", "returns").iter_rows():
        if returns:
            try:
                declared[name] = json.loads(returns)
            except json.JSONDecodeError:
                continue
    return declared


def check_dialogue(messages: list[Any], tools: list[Any], plan: dict[str, Any] | None,
                   returns: dict[str, Any], missing_plan: str = "no usable plan for this dialogue",
                   ) -> tuple[dict[str, bool], list[str], list[str]]:
    """The per-dialogue checks on one dialogue: (verdict per check, reasons, hallucinated argument labels)."""
    verdicts: dict[str, bool] = {}
    reasons: list[str] = []
    hallucinated: list[str] = []

    def record(name: str, found: list[str]) -> None:
        verdicts[name] = not found
        reasons.extend(f"{name}: {why}" for why in found)

    record("structure", run_safely(lambda: check_structure(messages), "structure"))
    record("schema", run_safely(lambda: check_schema(messages, tools), "schema"))
    record("undeclared_arguments", run_safely(lambda: check_undeclared_arguments(messages, tools),
                                              "undeclared_arguments"))
    try:
        grounding, hallucinated = check_grounding(messages, tools)
    except Exception as problem:  # noqa: BLE001 - the row records it
        grounding = [f"grounding check crashed: {type(problem).__name__}: {problem}"]
    record("grounding", grounding)
    record("tool_responses", run_safely(lambda: check_tool_responses(messages, returns), "tool_responses"))
    for name, check in SEMANTIC_CHECKS.items():
        record(name, run_safely(lambda: capped(check(messages, tools, returns)), name))
    record("plan_adherence", run_safely(lambda: check_plan_adherence(messages, plan, missing_plan),
                                         "plan_adherence"))
    return verdicts, reasons, hallucinated


def evaluate_dialogues(
    dialogues: pl.DataFrame,
    plans: pl.DataFrame,
    catalog: pl.DataFrame,
    settings: QualitySettings = QualitySettings(),
    judge: JudgeBatch | None = None,
) -> pl.DataFrame:
    """One `QUALITY_SCHEMA` row per dialogue row, in the dialogues' order."""
    plan_lookup = plans_by_id(plans)
    returns = returns_by_tool(catalog)
    rows: list[_Row] = []
    for record in dialogues.iter_rows(named=True):
        rows.append(_check_row(record, plan_lookup, returns))

    _flag_duplicates(rows, settings.dedup)
    if judge is not None:
        _judge(rows, judge)

    return pl.DataFrame([_to_dict(row, settings) for row in rows], schema=QUALITY_SCHEMA)


def _check_row(record: dict[str, Any], plan_lookup: dict[str, dict[str, Any] | None],
               returns: dict[str, Any]) -> _Row:
    status = str(record.get("status") or "failed")
    base = dict(
        dialogue_id=str(record["dialogue_id"]),
        plan_id=record.get("plan_id"),
        sample_id=record.get("sample_id"),
        strategy=record.get("strategy"),
        status=status,
    )
    unchecked = {name: None for name in CHECK_NAMES}
    if status != "ok":
        why = record.get("error") or "no error recorded"
        return _Row(**base, checks=unchecked, reasons=[f"generation failed: {why}"], hallucinated=[],
                    messages=[], tools=[])
    messages, messages_error = load_json_list(record.get("messages"))
    tools, tools_error = load_json_list(record.get("tools"))
    if messages_error:
        # Nothing can be verified, so every per-dialogue check fails; near-duplicates are still decided.
        failed = {name: False for name in CHECK_NAMES if name != "not_duplicate"}
        return _Row(**base, checks={**failed, "not_duplicate": None},
                    reasons=[f"structure: messages are {messages_error}"], hallucinated=[],
                    messages=[], tools=tools)
    plan_id = str(record.get("plan_id"))
    plan = plan_lookup.get(plan_id)
    missing = f"plan {plan_id} not found" if plan_id not in plan_lookup else f"plan {plan_id} failed or is unreadable"
    verdicts, reasons, hallucinated = check_dialogue(messages, tools, plan, returns, missing)
    if tools_error and tools_error != "empty":
        verdicts["schema"] = False
        reasons.append(f"schema: the offered tools are {tools_error}")
    return _Row(**base, checks={**verdicts, "not_duplicate": None}, reasons=reasons,
                hallucinated=hallucinated, messages=messages, tools=tools)


def _flag_duplicates(rows: list[_Row], config: DedupConfig) -> None:
    """Near-duplicate users' text among readable dialogues; of a group, the best one is kept: the first
    by (passed the other checks, dialogue_id)."""
    candidates = [row for row in rows if row.status == "ok"]
    candidates.sort(key=lambda r: (not _passes_except_dedup(r), r.dialogue_id))
    texts = ["\n".join(user_texts(row.messages)) for row in candidates]
    duplicates = near_duplicates(texts, config)
    for index, row in enumerate(candidates):
        if index in duplicates:
            kept, score = duplicates[index]
            row.checks["not_duplicate"] = False
            row.duplicate_of = candidates[kept].dialogue_id
            row.duplicate_similarity = round(score, 4)
            row.reasons.append(f"not_duplicate: users' turns are {score:.0%} the same as dialogue "
                               f"{row.duplicate_of}")
        else:
            row.checks["not_duplicate"] = True


def _passes_except_dedup(row: _Row) -> bool:
    return row.status == "ok" and all(v is True for k, v in row.checks.items() if k != "not_duplicate")


def _judge(rows: list[_Row], judge: JudgeBatch) -> None:
    """Only dialogues that passed every deterministic check are worth a judge request."""
    chosen = [row for row in rows if row.deterministic_pass]
    if not chosen:
        return
    for row, scores in zip(chosen, judge([(row.messages, row.tools) for row in chosen])):
        row.judge = scores


def _to_dict(row: _Row, settings: QualitySettings) -> dict[str, Any]:
    judge = row.judge or JudgeScores()
    passed = row.deterministic_pass
    reasons = list(row.reasons)
    if passed and settings.judge_min_score is not None and judge.mean is not None \
            and judge.mean < settings.judge_min_score:
        passed = False
        reasons.append(f"judge: mean score {judge.mean:.2f} is below {settings.judge_min_score}")
    return {
        "dialogue_id": row.dialogue_id,
        "plan_id": row.plan_id,
        "sample_id": row.sample_id,
        "strategy": row.strategy,
        "status": row.status,
        "passed": passed,
        **row.checks,
        "duplicate_of": row.duplicate_of,
        "duplicate_similarity": row.duplicate_similarity,
        "hallucinated_arguments": row.hallucinated,
        "reasons": reasons,
        "judge_naturalness": judge.naturalness,
        "judge_coherence": judge.coherence,
        "judge_helpfulness": judge.helpfulness,
        "judge_rationale": judge.rationale,
        "judge_error": judge.error,
    }


def check_pass_rates(quality: pl.DataFrame) -> dict[str, float | None]:
    """Share of dialogues passing each check, over the dialogues the check ran on (null: never ran)."""
    rates: dict[str, float | None] = {}
    for name in CHECK_NAMES:
        ran = quality[name].drop_nulls() if name in quality.columns else pl.Series([], dtype=pl.Boolean)
        rates[name] = round(float(ran.mean()), 4) if len(ran) else None
    return rates


def reason_counts(quality: pl.DataFrame) -> dict[str, int]:
    """How many dialogues fail for each kind of reason (the check name before the colon)."""
    counts: dict[str, int] = {}
    for reasons in quality["reasons"].to_list() if "reasons" in quality.columns else []:
        for kind in sorted({str(r).split(":", 1)[0] for r in reasons or []}):
            counts[kind] = counts.get(kind, 0) + 1
    return counts
