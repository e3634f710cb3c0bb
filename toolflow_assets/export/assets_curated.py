"""The `curated_dialogues` asset: the dialogues of every batch that passed every quality check, from the
configured strategies, decontaminated against evaluation questions, with a train/validation split."""

import json
from typing import Any

import dagster as dg
import polars as pl
from pydantic import Field

from resources import ToolflowSettings
from resources.io_manager import frame_content_hash

from ..batches import combine_batches
from ..metadata import counts_markdown, ran_with, table_metadata
from ..partitions import ALL_BATCHES
from .automation import AFTER_NEW_BATCHES
from .curate import CurateSettings, batch_pass_rates, curate
from .decontaminate import build_eval_index, contaminated

CURATE_CODE_VERSION = "curate-v5"  # v5: made-up calculations left out; v4: decontaminated


class CurateConfig(dg.Config):
    include_strategies: list[str] = Field(
        default=["graph"], description="Sampling strategies whose dialogues go to the dataset (empty: all). The "
        "random baseline exists for the report's comparison, so it is left out by default.")
    validation_ratio: float = Field(default=0.1, description="Share of dialogues in the validation split.")
    split_by_tool_combination: bool = Field(
        default=True, description="Keep every tool combination on one side of the split (no leakage).")
    include_unplanned: bool = Field(
        default=False, description="Also export the no-planning ablation's dialogues (planned = false); they "
        "exist for the report's with/without-planning comparison.")
    include_uncomputed: bool = Field(
        default=False, description="Also export dialogues where the simulated executor made up the number of a "
        "calculation no formula answers (executions entry `calculation: uncomputed`): the answer is likely wrong.")
    min_batch_pass_rate: float = Field(
        default=0.5, description="Batches whose share of passing dialogues is below this are left out whole "
        "(keep it equal to the blocking pass_rate check's (dialogue_quality) min_pass_rate).")
    decontaminate: bool = Field(
        default=True, description="Drop dialogues whose user turns share a word n-gram with an evaluation "
        "question: BFCL's test questions (bundled corpus, and bfcl-eval when installed) and `eval_sets`.")
    eval_sets: list[str] = Field(
        default=[], description="More evaluation files to decontaminate against (JSON lines or JSON with "
        "question/messages/query/text fields, or plain text with one question per line).")
    decontamination_ngram: int = Field(default=13, description="Words per n-gram (numbers masked) for the overlap.")


@dg.asset(
    group_name="dataset",
    automation_condition=AFTER_NEW_BATCHES,
    code_version=CURATE_CODE_VERSION,
    kinds={"polars"},
    ins={"dialogues": ALL_BATCHES, "dialogue_quality": ALL_BATCHES},
    description="The dialogues of every batch that passed every quality check, from the configured strategies "
    "(graph by default), with a train/validation split (tool combinations kept on one side by default), the "
    "tool combination, whether an argument is chained from an earlier tool output, and the batch. Batches "
    "below the pass-rate floor are left out whole.",
)
def curated_dialogues(context: dg.AssetExecutionContext, config: CurateConfig, settings: ToolflowSettings,
                      dialogues, dialogue_quality) -> dg.Output:
    dialogues = _label_single_batch(context, "dialogues", combine_batches(dialogues))
    dialogue_quality = _label_single_batch(context, "dialogue_quality", combine_batches(dialogue_quality))
    if dialogue_quality.is_empty():
        raise dg.Failure("No batch has dialogue_quality yet: materialize a batch of the pipeline first "
                         "(toolflow run, or the generate_batch job with a batch partition).")
    rates = batch_pass_rates(dialogue_quality)
    curated = curate(dialogues, dialogue_quality, CurateSettings(
        include_strategies=tuple(config.include_strategies), validation_ratio=config.validation_ratio,
        split_by_tool_combination=config.split_by_tool_combination, seed=settings.run_seed(),
        min_batch_pass_rate=config.min_batch_pass_rate, include_unplanned=config.include_unplanned,
        include_uncomputed=config.include_uncomputed))
    curated, decontamination = _decontaminate(curated, config)
    excluded = {b: r for b, r in rates.items() if r < config.min_batch_pass_rate}
    if excluded:
        context.log.warning(f"Batches below the pass-rate floor {config.min_batch_pass_rate}, left out: {excluded}")
    splits = dict(curated.group_by("split").len().iter_rows())
    leaked = combinations_in_both_splits(curated)
    if curated.is_empty():
        context.log.warning("No dialogue passed every check in the included strategies: the dataset is empty")
    return dg.Output(
        curated,
        data_version=dg.DataVersion(frame_content_hash(curated)),
        metadata={
            **table_metadata(curated, ["dialogue_id", "strategy", "split", "n_user_turns", "n_tool_calls",
                                       "tool_combination", "chained"]),
            "splits": dg.MetadataValue.md(counts_markdown(splits, "split", "dialogues") if splits else "_(empty)_"),
            "strategies": dg.MetadataValue.json(config.include_strategies),
            "batches": dg.MetadataValue.md(_batches_markdown(rates, curated, config.min_batch_pass_rate)),
            "batches_included": dg.MetadataValue.int(len(rates) - len(excluded)),
            **ran_with(config, split_seed=settings.run_seed()),
            "tool_combinations_in_both_splits": dg.MetadataValue.int(leaked),
            "decontamination": dg.MetadataValue.json(decontamination),
            "dropped_contaminated": dg.MetadataValue.int(decontamination.get("dropped", 0)),
            "dropped_failing": dg.MetadataValue.int(int((~dialogue_quality["passed"]).sum())
                                                    if dialogue_quality.height else 0),
        },
    )


def _decontaminate(curated: pl.DataFrame, config: CurateConfig) -> tuple[pl.DataFrame, dict[str, Any]]:
    """The curated dialogues without those overlapping an evaluation set, and what was checked and dropped."""
    if not config.decontaminate:
        return curated, {"on": False}
    try:
        index = build_eval_index(config.eval_sets, n=config.decontamination_ngram)
    except (OSError, ValueError) as problem:
        raise dg.Failure(f"Decontamination: {problem}") from problem
    found = contaminated(((row["dialogue_id"], json.loads(row["messages"])) for row in
                          curated.select("dialogue_id", "messages").iter_rows(named=True)), index)
    kept = curated.filter(~pl.col("dialogue_id").is_in(list(found)))
    return kept, {"on": True, "ngram": index.n, "eval_texts": index.texts, "sources": index.sources,
                  "checked": curated.height, "dropped": len(found),
                  "examples": [{"dialogue_id": k, "ngram": v} for k, v in list(found.items())[:5]]}


def _label_single_batch(context: dg.AssetExecutionContext, name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """With a single batch the IO manager hands over its table itself, not a dict keyed by batch, so the
    `batch` column is missing: add the one key (records then name their batch in a one-batch quickstart)."""
    if frame.is_empty() or "batch" in frame.columns:
        return frame
    try:
        keys = context.asset_partition_keys_for_input(name)
    except Exception:  # noqa: BLE001 - an unpartitioned upstream (tests) has no keys: nothing to label
        return frame
    return frame.with_columns(pl.lit(keys[0], dtype=pl.String).alias("batch")) if len(keys) == 1 else frame


def _batches_markdown(rates: dict[str, float], curated: pl.DataFrame, floor: float) -> str:
    counts = dict(curated.group_by("batch").len().iter_rows()) if curated.height else {}
    lines = ["| batch | pass rate | curated dialogues | included |", "| --- | ---: | ---: | --- |"]
    for key, rate in rates.items():
        lines.append(f"| {key or '(unpartitioned)'} | {rate:.1%} | {counts.get(key or None, 0):,} | "
                     f"{'yes' if rate >= floor else 'no: below ' + format(floor, '.0%')} |")
    return "\n".join(lines)


def combinations_in_both_splits(curated: pl.DataFrame) -> int:
    sides = curated.group_by("tool_combination").agg(pl.col("split").n_unique().alias("sides"))
    return int((sides["sides"] > 1).sum()) if sides.height else 0
