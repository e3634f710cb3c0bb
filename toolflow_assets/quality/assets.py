"""Quality assets: `dialogue_quality` (every dialogue checked, with reasons) and the table-expectation asset
checks (great-expectations' expectations and meaning, evaluated with Polars: expectations.py) on the
`dialogues` and `dialogue_quality` tables (the pass-rate floor is blocking, so a bad batch
does not reach the curated dataset)."""


import asyncio
from typing import Any

import dagster as dg
import polars as pl
from pydantic import Field

from resources import LLMResource, ToolflowSettings
from resources.io_manager import frame_content_hash

from ..metadata import counts_markdown, png_markdown, ran_with, table_metadata
from ..partitions import batch_partitions, current_batch, seed_for
from .checks import CHECK_NAMES
from .dedup import DedupConfig
from .evaluate import QualitySettings, check_pass_rates, evaluate_dialogues, reason_counts
from .expectations import (
    CHECKED_WITH, Expectation, Outcome, between, not_null, share_true_at_least, unique, validate,
)
from .judge import JudgeScores, judge_enabled, judge_many, judge_prompt

QUALITY_CODE_VERSION = "quality-v5"  # v5: a failed tool response names an operand outside its domain (values.domains); v4: whole-token grounding and the reader's checks (semantic.py)
DIALOGUE_COLUMNS_NEVER_NULL = ("dialogue_id", "plan_id", "sample_id", "strategy", "status", "backend", "model")


class QualityConfig(dg.Config):
    near_duplicate_threshold: float = Field(
        default=0.85, description="Jaccard similarity of the users' word 3-grams at or above which two "
        "dialogues are near-duplicates (the later one is flagged).")
    shingle_size: int = Field(default=3, description="Words per shingle for near-duplicate detection.")
    judge: bool | None = Field(default=None, description="Score passing dialogues with the LLM judge "
                               "(naturalness, coherence, helpfulness on 1-5; one request per dialogue). Empty: on "
                               "whenever an LLM server is configured (the openai backend or the llm writer), off otherwise.")
    judge_min_score: float | None = Field(
        default=None, description="When set and the judge runs, dialogues whose mean judge score is below it fail.")
    judge_max_dialogues: int = Field(default=500, description="Judge at most this many passing dialogues.")


@dg.asset(
    group_name="quality",
    code_version=QUALITY_CODE_VERSION,
    kinds={"polars"},
    partitions_def=batch_partitions,
    ins={"dialogues": dg.AssetIn(), "dialogue_plans": dg.AssetIn(), "tool_catalog": dg.AssetIn()},
    description="One row per dialogue: passed, a verdict per check (structure, schema, grounding, "
    "tool_responses, plan_adherence, not_duplicate; null = not run), the reasons, flagged argument names, "
    "and optional LLM-judge scores. Failed generations keep their row with their error as the reason.",
)
def dialogue_quality(
    context: dg.AssetExecutionContext,
    config: QualityConfig,
    llm: LLMResource,
    settings: ToolflowSettings,
    dialogues: pl.DataFrame,
    dialogue_plans: pl.DataFrame,
    tool_catalog: pl.DataFrame,
) -> dg.Output:
    """Check every dialogue, cheapest checks first, then near-duplicates, then (optionally) the judge."""
    quality_settings = QualitySettings(
        dedup=DedupConfig(threshold=config.near_duplicate_threshold, shingle_size=config.shingle_size,
                          seed=seed_for(context, settings.run_seed())),
        judge_min_score=config.judge_min_score,
    )
    judge_on = judge_enabled(config.judge, llm.uses_server())
    judge = _judge_batch(context, config, llm, settings) if judge_on else None
    quality = evaluate_dialogues(dialogues, dialogue_plans, tool_catalog, quality_settings, judge)

    rates = check_pass_rates(quality)
    passed = int(quality["passed"].sum()) if quality.height else 0
    metadata: dict[str, Any] = {
        **table_metadata(quality, ["dialogue_id", "strategy", "passed", *CHECK_NAMES, "reasons"]),
        "passed": dg.MetadataValue.int(passed),
        "pass_rate": dg.MetadataValue.float(round(passed / quality.height, 4) if quality.height else 0.0),
        "pass_rate_per_check": dg.MetadataValue.json(rates),
        "failures_by_check": dg.MetadataValue.md(
            counts_markdown(reason_counts(quality), "check", "dialogues failing") if passed < quality.height
            else "_(every dialogue passed)_"),
        "judge": dg.MetadataValue.text("on" if judge_on else "off"),
        **({"judge_model": dg.MetadataValue.text(llm.model_name()),
            "judge_prompt_version": dg.MetadataValue.text(judge_prompt().version),
            "judge_min_score": dg.MetadataValue.text(str(config.judge_min_score))} if judge_on else {}),
        "batch": dg.MetadataValue.text(current_batch(context) or ""),
        **ran_with(config, dedup_seed=quality_settings.dedup.seed),
    }
    if quality.height:
        metadata["pass_rate_plot"] = _pass_rate_plot(rates)
    return dg.Output(quality, data_version=dg.DataVersion(frame_content_hash(quality)), metadata=metadata)


def _pass_rate_plot(rates: dict[str, float | None]) -> dg.MetadataValue:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [n for n in CHECK_NAMES if rates.get(n) is not None]
    figure, axis = plt.subplots(figsize=(6, 2.8))
    axis.barh(names, [rates[n] for n in names], color="#4c72b0")
    axis.set_xlim(0, 1)
    axis.set_xlabel("share of dialogues passing")
    axis.invert_yaxis()
    figure.tight_layout()
    try:
        return png_markdown(figure, "pass rate per check")
    finally:
        plt.close(figure)


# ------------------------------------------------------------------------------------------ LLM judge

def _judge_batch(context: dg.AssetExecutionContext, config: QualityConfig, llm: LLMResource,
                 settings: ToolflowSettings):
    """A batch judge over the LLM resource's OpenAI-compatible server (cached like every LLM request);
    with no LLM server configured there is no model to ask, so every score stays null with that reason."""
    # No role talks to a server, or one should but none is set (the resource's own reason; the client would
    # refuse to be built): no model to ask.
    missing = "no LLM server is configured" if not llm.uses_server() else llm.missing_server()
    if missing:
        context.log.warning(f"judge=True but {missing}: no judge scores" + (
            " (set OPENAI_BASE_URL with --backend openai or --writer llm to use a judge)" if not llm.uses_server() else ""))

        def unavailable(items):
            return [JudgeScores(error=f"no judge: {missing}") for _ in items]

        return unavailable

    # The resource's client (its cache, concurrency and rate limits, shared with every LLM role of the run);
    # a judge should not be creative and says little, so each request carries its own temperature and length.
    client = llm.client(settings.cache_root())
    judge_params = {"temperature": 0.0, "max_tokens": 300}

    def complete_many(prompts: list[list[dict[str, Any]]]) -> list[str | Exception]:
        async def ask_all():
            return await asyncio.gather(*(client.chat({"messages": p, **judge_params}) for p in prompts),
                                        return_exceptions=True)

        answers = client.run(ask_all)
        return [a if isinstance(a, Exception) else a.content for a in answers]

    def judge(items):
        chosen = list(items)[: config.judge_max_dialogues]
        scores = judge_many(chosen, complete_many)
        skipped = [JudgeScores(error=f"not judged: judge_max_dialogues={config.judge_max_dialogues}")
                   for _ in range(len(items) - len(chosen))]
        context.log.info(f"judge usage: {client.usage()}")
        return scores + skipped

    return judge


# -------------------------------------------------------------------------------------- asset checks

class PassRateConfig(dg.Config):
    min_pass_rate: float = Field(default=0.5, description="The lowest acceptable share of dialogues that pass "
                                 "every check; below it the batch does not flow on to the curated dataset.")


class CountRangeConfig(dg.Config):
    min_user_turns: int = Field(default=2, description="A plan has 2–6 user turns (DialoguePlan).")
    max_user_turns: int = 6
    min_tool_calls: int = 0
    max_tool_calls: int = 30


def _check_result(outcomes: list[Outcome], severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
                  **extra: Any) -> dg.AssetCheckResult:
    failed = [o for o in outcomes if not o.success]
    lines = [f"- **{o.expectation.name}**: {o.summary().get('unexpected_count', o.error or 'failed')} unexpected; "
             f"e.g. {o.summary().get('partial_unexpected_list', [])[:5]}" for o in failed]
    return dg.AssetCheckResult(
        passed=not failed,
        severity=severity,
        metadata={
            "expectations": dg.MetadataValue.json([o.summary() for o in outcomes]),
            "failed_expectations": dg.MetadataValue.md("\n".join(lines) if lines else "_(none)_"),
            "checked_with": dg.MetadataValue.text(CHECKED_WITH),
            **extra,
        },
    )


def _empty_result(what: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=False, metadata={"failed_expectations": dg.MetadataValue.md(
        f"- **rows**: the {what} table is empty")})


@dg.asset_check(asset=dg.AssetKey("dialogues"), name="integrity", blocking=True, partitions_def=batch_partitions,
                description="table expectations: dialogue ids unique, no nulls in identity and provenance "
                "columns, status is ok or failed, ok dialogues carry their messages and tools.")
def dialogues_integrity(dialogues: pl.DataFrame) -> dg.AssetCheckResult:
    if dialogues.is_empty():
        return _empty_result("dialogues")
    ok = (("status", "ok"),)
    expectations: list[Expectation] = [unique("dialogue_id")]
    expectations += [not_null(c) for c in DIALOGUE_COLUMNS_NEVER_NULL]
    expectations += [Expectation("ExpectColumnValuesToBeInSet", "status", {"value_set": ["ok", "failed"]},
                                 label="status in {ok, failed}"),
                     not_null("messages", ok), not_null("tools", ok), not_null("n_user_turns", ok),
                     not_null("n_tool_calls", ok)]
    return _check_result(validate(dialogues, expectations, "dialogues"))


@dg.asset_check(asset=dg.AssetKey("dialogues"), name="counts_in_range", blocking=False, partitions_def=batch_partitions,
                description="table expectations: user turns and tool calls of ok dialogues within configured "
                "ranges (a warning: odd lengths are worth a look, not a stop).")
def dialogues_counts_in_range(config: CountRangeConfig, dialogues: pl.DataFrame) -> dg.AssetCheckResult:
    if dialogues.is_empty():
        return _empty_result("dialogues")
    ok = (("status", "ok"),)
    expectations = [between("n_user_turns", config.min_user_turns, config.max_user_turns, ok),
                    between("n_tool_calls", config.min_tool_calls, config.max_tool_calls, ok)]
    return _check_result(validate(dialogues, expectations, "dialogue_counts"), dg.AssetCheckSeverity.WARN)


@dg.asset_check(asset=dialogue_quality, name="integrity", blocking=True, partitions_def=batch_partitions,
                description="table expectations: one row per dialogue id, passed never null, every check "
                "verdict present for dialogues that were generated.")
def dialogue_quality_integrity(dialogue_quality: pl.DataFrame) -> dg.AssetCheckResult:
    if dialogue_quality.is_empty():
        return _empty_result("dialogue_quality")
    ok = (("status", "ok"),)
    expectations = [unique("dialogue_id"), not_null("passed"), not_null("strategy"), not_null("status")]
    expectations += [not_null(name, ok) for name in CHECK_NAMES if name != "structure"]
    expectations += [not_null("structure", ok)]
    return _check_result(validate(dialogue_quality, expectations, "dialogue_quality"))


@dg.asset_check(asset=dialogue_quality, name="pass_rate", blocking=True, partitions_def=batch_partitions,
                description="table expectations: the share of dialogues passing every check is at least "
                "min_pass_rate (blocking: a bad batch does not reach curated_dialogues).")
def dialogue_quality_pass_rate(config: PassRateConfig, dialogue_quality: pl.DataFrame) -> dg.AssetCheckResult:
    if dialogue_quality.is_empty():
        return _empty_result("dialogue_quality")
    outcomes = validate(dialogue_quality, [share_true_at_least("passed", config.min_pass_rate)], "pass_rate")
    rate = float(dialogue_quality["passed"].mean())
    return _check_result(
        outcomes,
        pass_rate=dg.MetadataValue.float(round(rate, 4)),
        min_pass_rate=dg.MetadataValue.float(config.min_pass_rate),
        pass_rate_per_check=dg.MetadataValue.json(check_pass_rates(dialogue_quality)),
        failures_by_check=dg.MetadataValue.json(reason_counts(dialogue_quality)),
    )
