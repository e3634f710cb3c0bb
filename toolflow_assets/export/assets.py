"""Dataset assets: `curated_dialogues` (passing dialogues with a split), `dataset_export` (JSON lines,
Parquet and a dataset card in the output folder) and `synthesis_report` (graph vs random, as JSON, Markdown
and plots)."""


import json
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl
from pydantic import Field

from resources import EmbeddingResource, ToolflowSettings
from resources.io_manager import frame_content_hash, value_version

from ..batches import combine_batches
from ..metadata import counts_markdown, png_markdown, ran_with, table_metadata
from ..partitions import ALL_BATCHES
from ..quality.evaluate import check_pass_rates
from . import verdict_cache
from .automation import AFTER_NEW_BATCHES
from .card import dataset_card
from .decontaminate import build_eval_index, contaminated
from .funnel import build_funnel
from .curate import CurateSettings, batch_pass_rates, curate
from .report import build_report, comparison_table, parse_dialogues, report_markdown
from ..ingestion.ingest import corpus_fingerprint
from .rendering import check_templates
from .writer import ExportManifest, ExportOptions, card_configs, records_for, write_atomic, write_export

CURATE_CODE_VERSION = "curate-v4"  # v4: decontaminated against evaluation questions
EXPORT_CODE_VERSION = "export-v4"  # v4: record ids from the corpus content, not its location
REPORT_CODE_VERSION = "report-v3"  # v3: yield funnel, usage and cost, realism figures


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


class ExportConfig(dg.Config):
    folder: str = Field(default="dataset", description="The dataset folder inside the output folder; it is "
                        "written whole into a new folder and switched into place (manifest.json names the run).")
    sharegpt: bool = Field(default=True, description="Also write <split>.sharegpt.jsonl (LLaMA-Factory's ShareGPT: "
                           "human, gpt, function_call, observation, tools) and its dataset_info.json.")
    sharegpt_text_with_calls: bool = Field(
        default=True, description="In ShareGPT, write the words an assistant says before a call into the "
        "function_call value, before <tool_call>JSON</tool_call> (LLaMA-Factory keeps them); false: JSON only, "
        "for LLaMA-Factory versions without tool_call_words (the words stay in assistant_preambles).")
    hermes: bool = Field(default=False, description="Also write <split>.hermes.jsonl (<tools>, <tool_call>, "
                         "<tool_response> text).")
    parquet: bool = Field(default=True, description="Also write <split>.parquet beside the JSON lines.")
    tools_as_json: bool = Field(
        default=False, description="Write each record's `tools` as JSON text instead of the list of "
        "{type: function, function: {...}} (the card's Json features load the list with datasets).")
    check_templates: bool = Field(
        default=True, description="Render every hf record through the bundled chat templates (Qwen2.5, Hermes 3, "
        "Llama 3.1, Mistral Nemo) with transformers and report the round trips in the card (about 7 s per 1,000 "
        "records; skipped when transformers is not installed).")
    split_parallel_calls: bool = Field(
        default=False, description="Give each of an assistant's parallel calls its own turn (call, result, call, "
        "result), for chat templates that refuse parallel calls (Llama 3.1).")


class ReportConfig(dg.Config):
    turn_similarity: bool | None = Field(
        default=None, description="Compute SS (consecutive-turn similarity) with the embedding backend. Empty: "
        "only when a model backend is configured (not the offline hashed n-grams).")
    price_per_million_prompt_tokens: float | None = Field(
        default=None, description="USD per million prompt tokens of the LLM used; with the completion price, the "
        "report gives the run's cost and the cost per kept dialogue.")
    price_per_million_completion_tokens: float | None = Field(
        default=None, description="USD per million completion tokens of the LLM used.")


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
        min_batch_pass_rate=config.min_batch_pass_rate, include_unplanned=config.include_unplanned))
    curated, decontamination = _decontaminate(curated, config)
    excluded = {b: r for b, r in rates.items() if r < config.min_batch_pass_rate}
    if excluded:
        context.log.warning(f"Batches below the pass-rate floor {config.min_batch_pass_rate}, left out: {excluded}")
    splits = dict(curated.group_by("split").len().iter_rows())
    leaked = _combinations_in_both_splits(curated)
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


def _combinations_in_both_splits(curated: pl.DataFrame) -> int:
    sides = curated.group_by("tool_combination").agg(pl.col("split").n_unique().alias("sides"))
    return int((sides["sides"] > 1).sum()) if sides.height else 0


@dg.asset(
    group_name="dataset",
    automation_condition=AFTER_NEW_BATCHES,
    code_version=EXPORT_CODE_VERSION,
    kinds={"polars", "json"},
    ins={"curated_dialogues": dg.AssetIn(), "dialogue_quality": ALL_BATCHES},
    description="Writes the curated dataset into <output folder>/dataset, switched into place whole: the `openai` "
    "flavor (train.jsonl, validation.jsonl: {id, messages, tools, metadata}, arguments as JSON strings) and its "
    "Parquet twins, the `hf` flavor (<split>.hf.jsonl: arguments as objects, for chat templates and TRL), "
    "LLaMA-Factory ShareGPT (<split>.sharegpt.jsonl), optional Hermes text, the dataset card (README.md, one "
    "config per flavor, the chat templates every record was rendered through) and manifest.json.",
)
def dataset_export(context: dg.AssetExecutionContext, config: ExportConfig, settings: ToolflowSettings,
                   curated_dialogues: pl.DataFrame, dialogue_quality) -> dg.Output:
    dialogue_quality = combine_batches(dialogue_quality)
    if config.folder in ("", ".", "..") or Path(config.folder).name != config.folder:
        raise dg.Failure(f"ExportConfig.folder must be a plain folder name inside the output folder, got "
                         f"{config.folder!r}")
    folder = settings.output_path() / config.folder
    options = ExportOptions(
        extra_shapes=tuple(n for n, on in (("sharegpt", config.sharegpt), ("hermes", config.hermes)) if on),
        parquet=config.parquet, split_parallel_calls=config.split_parallel_calls,
        sharegpt_text_with_calls=config.sharegpt_text_with_calls,
        tools_as_json=config.tools_as_json, corpus_fingerprint=corpus_fingerprint(settings.source_paths()))
    manifest = write_export(curated_dialogues, folder, context.run_id, options)
    try:
        hf_records = [r for records in records_for(curated_dialogues, "hf", options, manifest.prepared).values()
                      for r in records]
        checks = _checked_templates(hf_records, settings) if config.check_templates else None
        parsed = [d for group in parse_dialogues(curated_dialogues).values() for d in group]
        card = dataset_card(
            curated_dialogues, parsed, _file_descriptions(manifest),
            generation=_generation_config(curated_dialogues, settings),
            quality={**_quality_summary(dialogue_quality, curated_dialogues),
                     "excluded_at_export": manifest.excluded},
            source_paths=settings.source_paths(), tools_as_json=config.tools_as_json,
            configs=card_configs(manifest, options),
            parallel_records=sum(r["metadata"]["parallel_calls"] for r in hf_records),
            split_parallel=config.split_parallel_calls, template_checks=checks,
        )
        manifest.add("README.md", card.encode("utf-8"))
        manifest.publish()
    except BaseException:
        manifest.discard()
        raise
    summary = manifest.as_dict()
    if manifest.excluded:
        context.log.warning(f"{len(manifest.excluded)} dialogues left out of the export: {manifest.excluded}")
    context.log.info(f"Wrote {len(summary['files'])} files to {folder} (run {context.run_id[:8]})")
    return dg.Output(
        summary,
        data_version=dg.DataVersion(value_version({k: v for k, v in summary.items() if k != "run_id"})),
        metadata={
            "output_dir": dg.MetadataValue.path(str(folder)),
            "files": dg.MetadataValue.md(_files_markdown(summary)),
            "train_records": dg.MetadataValue.int(summary["files"].get("train.jsonl", {}).get("records") or 0),
            "validation_records": dg.MetadataValue.int(
                summary["files"].get("validation.jsonl", {}).get("records") or 0),
            "excluded_at_export": dg.MetadataValue.int(len(manifest.excluded)),
            "templates_round_trip": dg.MetadataValue.json(
                {n: f"{r['round_trip']}/{r['records']}" for n, r in checks.items()} if checks is not None
                else "not checked: transformers is not installed"),
            "dataset_card": dg.MetadataValue.md(card),
            **ran_with(config),
        },
    )


def _checked_templates(records: list[dict[str, Any]], settings: ToolflowSettings) -> dict[str, Any] | None:
    """`check_templates`, rendering only records whose verdicts are not remembered (verdict_cache.py)."""
    verdicts = verdict_cache.load(settings.cache_root())
    known = len(verdicts)
    checks = check_templates(records, verdicts=verdicts)
    verdict_cache.save(settings.cache_root(), verdicts, known)
    return checks


def _file_descriptions(manifest: ExportManifest) -> dict[str, str]:
    described = {}
    for name, info in manifest.files.items():
        split = name.split(".")[0]
        if name == "dataset_info.json":
            described[name] = "LLaMA-Factory's dataset registry for the ShareGPT files"
            continue
        if name.endswith(".parquet"):
            what = f"the {split} records as Parquet (id, and messages, tools, metadata as JSON text)"
        elif ".hf." in name:
            what = f"the {split} records, `hf` flavor (arguments as objects)"
        elif ".sharegpt." in name:
            what = f"the {split} records in ShareGPT roles (human, gpt, function_call, observation)"
        elif ".hermes." in name:
            what = f"the {split} records as Hermes function-calling text (<tools>, <tool_call>, <tool_response>)"
        else:
            what = f"the {split} records, `openai` flavor (arguments as JSON strings)"
        described[name] = f"{what}; {info['records']:,} records"
    described["README.md"] = "this card"
    described["manifest.json"] = "every file's bytes, records and sha256, and the run that wrote the folder"
    return described


def _generation_config(curated: pl.DataFrame, settings: ToolflowSettings) -> dict[str, Any]:
    def values(column: str) -> list[Any]:
        return sorted(curated[column].drop_nulls().unique().to_list()) if curated.height else []

    validation = int((curated["split"] == "validation").sum()) if curated.height else 0
    return {
        "backends": values("backend"), "models": values("model"), "prompt_versions": values("prompt_version"),
        "distinct_dialogue_seeds": len(values("seed")), "strategies": values("strategy"),
        "batches": values("batch") if "batch" in curated.columns else [],
        "dialogues_requested": settings.dialogue_count(), "run_seed": settings.run_seed(),
        "tool_sources": [Path(p).name for p in settings.source_paths()],
        "validation_share": round(validation / curated.height, 4) if curated.height else None,
        "tool_combinations_in_both_splits": _combinations_in_both_splits(curated),
    }


def _quality_summary(quality: pl.DataFrame, curated: pl.DataFrame) -> dict[str, Any]:
    return {
        "dialogues_checked": quality.height,
        "dialogues_passed": int(quality["passed"].sum()) if quality.height else 0,
        "pass_rate_per_check": check_pass_rates(quality) if quality.height else {},
        "records_exported": curated.height,
    }


def _files_markdown(summary: dict[str, Any]) -> str:
    lines = ["| file | records | bytes |", "| --- | ---: | ---: |"]
    for name, info in sorted(summary["files"].items()):
        records = "" if info["records"] is None else f"{info['records']:,}"
        lines.append(f"| {name} | {records} | {info['bytes']:,} |")
    return "\n".join(lines)


@dg.asset(
    group_name="dataset",
    automation_condition=AFTER_NEW_BATCHES,
    code_version=REPORT_CODE_VERSION,
    kinds={"polars", "json"},
    ins={"dialogues": ALL_BATCHES, "dialogue_quality": ALL_BATCHES, "tool_subgraphs": ALL_BATCHES,
         "dialogue_plans": ALL_BATCHES},
    description="A report card of the run: the yield funnel (samples, plans, dialogues, checks, curated) with "
    "failure reasons, requests, tokens and cost per kept dialogue, realism figures, and ToolFlow's comparison measured on this run: graph sampling vs the random baseline (dialogues, "
    "mean turns and calls, chained and multi-tool shares, distinct tool combinations, pass rate, D-3, H, SS, "
    "pass rate per check, planning, judge scores). Also written as synthesis_report.json and .md (with PNG "
    "plots) into the output folder.",
)
def synthesis_report(context: dg.AssetExecutionContext, config: ReportConfig, settings: ToolflowSettings,
                     embeddings: EmbeddingResource, dialogues, dialogue_quality, tool_subgraphs, dialogue_plans,
                     curated_dialogues: pl.DataFrame) -> dg.Output:
    dialogues, dialogue_quality = combine_batches(dialogues), combine_batches(dialogue_quality)
    embed, note = _turn_embedder(config, embeddings)
    judge_on = bool(dialogue_quality.height) and "judge_naturalness" in dialogue_quality.columns and \
        dialogue_quality["judge_naturalness"].drop_nulls().len() > 0
    try:
        report = build_report(dialogues, dialogue_quality, seed=settings.run_seed(), embed=embed,
                              embedding_note=note, judge_on=judge_on)
    except Exception as problem:  # noqa: BLE001 - only the embedding service can fail here; SS is optional
        if embed is None:
            raise
        context.log.warning(f"SS not computed, the embedding backend failed: {problem}")
        report = build_report(dialogues, dialogue_quality, seed=settings.run_seed(), embed=None,
                              embedding_note=f"the embedding backend failed: {str(problem)[:200]}",
                              judge_on=judge_on)

    prices = None
    if config.price_per_million_prompt_tokens is not None or config.price_per_million_completion_tokens is not None:
        prices = {"prompt": config.price_per_million_prompt_tokens or 0.0,
                  "completion": config.price_per_million_completion_tokens or 0.0}
    report["funnel"] = build_funnel(combine_batches(tool_subgraphs), combine_batches(dialogue_plans), dialogues,
                                    dialogue_quality, curated_dialogues, prices)

    folder = settings.output_path()
    # matplotlib only here: importing it costs every run process ~0.4 s, and batch runs draw nothing.
    from . import plots

    figures = {
        "Graph sampling vs random baseline": plots.strategy_comparison(report),
        "Tool calls per dialogue": plots.calls_histogram(parse_dialogues(dialogues)),
        "Pass rate per check": plots.check_pass_rates(report),
    }
    inline: dict[str, dg.MetadataValue] = {}
    linked: dict[str, str] = {}
    for index, (caption, figure) in enumerate(figures.items(), start=1):
        name = f"synthesis_report_plot{index}.png"
        buffer = _png_bytes(figure)
        write_atomic(folder / name, buffer)
        linked[caption] = f"![{caption}]({name})"
        inline[caption] = png_markdown(figure, caption)
        plots.close(figure)

    text = json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False)
    write_atomic(folder / "synthesis_report.json", text.encode("utf-8"))
    write_atomic(folder / "synthesis_report.md", report_markdown(report, linked).encode("utf-8"))

    comparison = report["comparison"]
    return dg.Output(
        report,
        data_version=dg.DataVersion(value_version(report)),
        metadata={
            "comparison": dg.MetadataValue.md(comparison_table(report)),
            "report": dg.MetadataValue.md(report_markdown(report)),
            "graph_ahead_on_chained": dg.MetadataValue.bool(bool(comparison["graph_ahead_on_chained"])),
            "graph_ahead_on_distinct_combinations": dg.MetadataValue.bool(
                bool(comparison["graph_ahead_on_distinct_combinations"])),
            "plot_comparison": inline["Graph sampling vs random baseline"],
            "plot_tool_calls": inline["Tool calls per dialogue"],
            "plot_checks": inline["Pass rate per check"],
            "output_files": dg.MetadataValue.json([str(folder / n) for n in
                                                   ("synthesis_report.json", "synthesis_report.md")]),
            **ran_with(config, embedding_backend=embeddings.backend_name()),
        },
    )


def _png_bytes(figure: Any) -> bytes:
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return buffer.getvalue()


def _turn_embedder(config: ReportConfig, embeddings: EmbeddingResource):
    """(embed function or None, why SS is null). Auto: only with a model backend, since the offline hashed
    n-grams measure shared characters, not meaning."""
    wanted = config.turn_similarity
    backend = embeddings.backend_name()
    if wanted is False:
        return None, "SS is off (ReportConfig.turn_similarity=false)."
    if wanted is None and backend == "offline":
        return None, "SS needs an embedding model; the embedding backend is offline (set TOOLFLOW_EMBEDDING_BACKEND)."
    embedder = embeddings.get_embedder()
    return embedder.embed, None
