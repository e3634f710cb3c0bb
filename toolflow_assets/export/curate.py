"""`curated_dialogues`: the dialogues that passed every check, from the chosen strategies, with a split.

Only graph-sampled dialogues go to the training data unless configured otherwise: the random-sampling
baseline exists for the report's comparison, not for training.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

import polars as pl

from ..execution.protocol import invented_calculations
from ..generation.models import DIALOGUE_SCHEMA
from ..quality.conversation import is_chained, load_json_list, tool_combination
from .split import assign_splits

CURATED_SCHEMA: dict[str, pl.DataType] = {
    **DIALOGUE_SCHEMA,
    "split": pl.String,  # train | validation
    "tool_combination": pl.String,  # sorted names of the tools called (else offered), joined by |
    "chained": pl.Boolean,  # an argument value comes from an earlier tool output
    "batch": pl.String,  # the batch partition the dialogue was generated in (null outside partitions)
}


UNPARTITIONED = "unpartitioned"


@dataclass(frozen=True)
class CurateSettings:
    include_strategies: Sequence[str] = ("graph",)  # empty: every strategy
    validation_ratio: float = 0.1
    split_by_tool_combination: bool = True  # keep each tool combination on one side (no leakage)
    seed: int = 7
    min_batch_pass_rate: float = 0.0  # a batch whose pass rate is below this contributes nothing
    include_unplanned: bool = False  # the no-planning ablation's dialogues exist for the report, not training
    # a dialogue where the simulated executor made up the number of a calculation no formula answers
    # (execution.invented_calculations) would teach a model to relay a wrong answer
    include_uncomputed: bool = False


def batch_pass_rates(quality: pl.DataFrame) -> dict[str, float]:
    """Share of dialogues passing every check, per batch (one pseudo-batch "" without a batch column)."""
    if quality.is_empty():
        return {}
    keyed = quality.with_columns(_batch_column(quality))
    rates = keyed.group_by("batch").agg(pl.col("passed").cast(pl.Float64).mean().alias("rate")).sort("batch")
    return {str(key): round(float(rate), 4) for key, rate in rates.iter_rows()}


def _batch_column(frame: pl.DataFrame) -> pl.Expr:
    if "batch" in frame.columns:
        return pl.col("batch").cast(pl.String).fill_null("")
    return pl.lit("", dtype=pl.String).alias("batch")


def curate(dialogues: pl.DataFrame, quality: pl.DataFrame, settings: CurateSettings) -> pl.DataFrame:
    """Passing dialogues of the included strategies, in dialogue_id order, with split and features.
    Batches whose pass rate is below `min_batch_pass_rate` (the blocking check's floor) are left out whole:
    a bad batch is suspect even in its passing dialogues."""
    kept_batches = [b for b, rate in batch_pass_rates(quality).items() if rate >= settings.min_batch_pass_rate]
    quality = quality.with_columns(_batch_column(quality)).filter(pl.col("batch").is_in(kept_batches))
    passed = quality.filter(pl.col("passed")).select("dialogue_id", "batch")
    chosen = (dialogues.drop("batch", strict=False).join(passed, on="dialogue_id", how="inner")
              .filter(pl.col("status") == "ok"))
    if settings.include_strategies:
        chosen = chosen.filter(pl.col("strategy").is_in(list(settings.include_strategies)))
    if not settings.include_unplanned and "planned" in chosen.columns:
        chosen = chosen.filter(pl.col("planned").fill_null(True))
    if not settings.include_uncomputed and "executions" in chosen.columns:
        invents = pl.col("executions").map_elements(invents_a_calculation, return_dtype=pl.Boolean)
        chosen = chosen.filter(~invents.fill_null(False))  # no executions recorded: nothing was made up
    chosen = chosen.select(*DIALOGUE_SCHEMA, pl.col("batch").replace("", None)).sort("dialogue_id")

    combinations: list[str] = []
    chained: list[bool] = []
    for messages_text, tools_text in chosen.select("messages", "tools").iter_rows():
        messages, _ = load_json_list(messages_text)
        tools, _ = load_json_list(tools_text)
        combinations.append(tool_combination(messages, tools))
        chained.append(is_chained(messages))
    ids = chosen["dialogue_id"].to_list()
    splits = assign_splits(ids, combinations if settings.split_by_tool_combination else None,
                           settings.validation_ratio, settings.seed)
    return chosen.with_columns(
        pl.Series("split", splits, dtype=pl.String),
        pl.Series("tool_combination", combinations, dtype=pl.String),
        pl.Series("chained", chained, dtype=pl.Boolean),
    ).select(list(CURATED_SCHEMA))


def invents_a_calculation(executions: str | None) -> bool:
    """The dialogue's `executions` (JSON) record a made-up number for a calculation."""
    entries, _ = load_json_list(executions or "[]")
    return invented_calculations(entries) > 0


def record_metadata(row: dict) -> dict:
    """The `metadata` of an exported record: where the dialogue came from and what it contains."""
    return {
        "sampling_strategy": row["strategy"],
        "plan_id": row["plan_id"],
        "sample_id": row["sample_id"],
        "backend": row["backend"],
        "model": row["model"],
        "prompt_version": row["prompt_version"],
        "seed": row["seed"],
        "n_user_turns": row["n_user_turns"],
        "n_tool_calls": row["n_tool_calls"],
        "tool_combination": row["tool_combination"].split("|") if row["tool_combination"] else [],
        "chained": row["chained"],
        "split": row["split"],
        # a dialogue made outside batch partitions (tests, a plain materialize) still names where it came from
        "batch": row.get("batch") or UNPARTITIONED,
        # who produced the tool results, per tool message (executor, server or environment class, status; the
        # python executor's initial states, so anyone can replay). A JSON string: its shape differs by executor,
        # and a column of one type is what `datasets` and Parquet readers need.
        "executor": row.get("executor") or "simulated",
        "executions": row.get("executions") or "[]",
        "writer": row.get("writer") or "template",
    }


def rows_with_payload(curated: pl.DataFrame):
    """(row, messages, tools) for each curated dialogue, JSON decoded."""
    for row in curated.iter_rows(named=True):
        yield row, json.loads(row["messages"]), json.loads(row["tools"])
