"""The `dataset_export` asset: the curated dataset written into the output folder (JSON lines in each
flavor, Parquet, ShareGPT, Hermes, the dataset card and manifest.json), switched into place whole."""

from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl
from pydantic import Field

from resources import ToolflowSettings
from resources.io_manager import value_version

from ..batches import combine_batches
from ..ingestion.ingest import corpus_fingerprint
from ..metadata import ran_with
from ..partitions import ALL_BATCHES
from ..quality.evaluate import check_pass_rates
from . import verdict_cache
from .assets_curated import combinations_in_both_splits
from .automation import AFTER_NEW_BATCHES
from .card import dataset_card
from .rendering import check_templates
from .report import parse_dialogues
from .writer import ExportManifest, ExportOptions, card_configs, records_for, write_export

EXPORT_CODE_VERSION = "export-v4"  # v4: record ids from the corpus content, not its location


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
        "tool_combinations_in_both_splits": combinations_in_both_splits(curated),
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
