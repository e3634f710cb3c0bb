"""Dagster round trips with fake upstream frames: dialogue_quality and its great-expectations checks, then
curated_dialogues, dataset_export and synthesis_report through the Parquet IO manager; and a bad batch
that the blocking pass-rate check stops before the curated dataset."""

from __future__ import annotations

import json

import dagster as dg
import polars as pl
import pytest
from upath import UPath

from batch_helpers import materialize_batch
from export_fixtures import batch
from resources import EmbeddingResource, LLMResource, ParquetIOManager, ToolflowSettings
from resources.settings import BUNDLED_CORPUS
from toolflow_assets.export import assets as export_assets
from toolflow_assets.partitions import batch_partitions
from toolflow_assets.quality import assets as quality_assets


def upstream(dialogues, plans, catalog):
    @dg.asset(name="dialogues", partitions_def=batch_partitions)
    def fake_dialogues():
        return dialogues

    @dg.asset(name="dialogue_plans", partitions_def=batch_partitions)
    def fake_plans():
        return plans

    @dg.asset(name="tool_catalog")
    def fake_catalog():
        return catalog

    @dg.asset(name="tool_subgraphs", partitions_def=batch_partitions)
    def fake_samples():  # the report's funnel counts samples
        return pl.DataFrame({"sample_id": plans["sample_id"].to_list()})

    return [fake_dialogues, fake_plans, fake_catalog, fake_samples]


def resources(tmp_path):
    return {
        "settings": ToolflowSettings(output_dir=str(tmp_path / "out"), sources=str(BUNDLED_CORPUS), seed=7),
        "llm": LLMResource(backend="offline"),
        "embeddings": EmbeddingResource(backend="offline"),
        "io_manager": ParquetIOManager(base_path=UPath(tmp_path / "store")),
    }


def run(tmp_path, frames, run_config=None, definitions=None):
    """Materialize the fake upstream and `definitions` (default: every quality and dataset asset and check)."""
    definitions = definitions if definitions is not None else [
        *dg.load_assets_from_modules([quality_assets, export_assets]),
        *dg.load_asset_checks_from_modules([quality_assets, export_assets]),
    ]
    return materialize_batch([*upstream(*frames), *definitions], resources=resources(tmp_path),
                             raise_on_error=False, run_config=run_config or {})


def checks_by_name(result):
    """Check evaluations by (asset, check name): each asset has its own `integrity` check."""
    return {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("good")
    config = {"ops": {"dataset_export": {"config": {"sharegpt": True, "hermes": True}}}}
    return tmp_path, run(tmp_path, batch(graph=10, random=4, failed=1), config)


def test_good_batch_passes_every_check_and_exports(good_run):
    tmp_path, result = good_run
    assert result.success
    checks = checks_by_name(result)
    assert set(checks) == {("dialogues", "integrity"), ("dialogues", "counts_in_range"), ("dialogue_quality", "integrity"),
                           ("dialogue_quality", "pass_rate")}
    assert all(c.passed for c in checks.values()), {k: c.metadata for k, c in checks.items() if not c.passed}
    rate = checks[("dialogue_quality", "pass_rate")].metadata
    assert rate["pass_rate"].value == round(14 / 15, 4)
    assert "great-expectations' semantics" in rate["checked_with"].value

    out = tmp_path / "out"
    assert {"synthesis_report.json", "synthesis_report.md", "synthesis_report_plot1.png"} <= {
        p.name for p in out.iterdir()}
    dataset = out / "dataset"  # the dataset folder, switched into place whole
    manifest = json.loads((dataset / "manifest.json").read_text())
    assert manifest["run_id"] == result.run_id
    # one tool combination: every record on the train side, and only the default flavor keeps an empty file
    assert set(manifest["files"]) == {"train.jsonl", "validation.jsonl", "train.parquet", "validation.parquet",
                                      "train.hf.jsonl", "train.sharegpt.jsonl", "train.hermes.jsonl",
                                      "dataset_info.json", "README.md"}
    records = [json.loads(line) for name in ("train.jsonl", "validation.jsonl")
               for line in (dataset / name).read_text().splitlines()]
    assert len(records) == 10  # graph only, failing rows dropped
    assert {r["metadata"]["batch"] for r in records} == {"batch-0001"}  # one batch, still named


def test_report_is_written_and_stored(good_run):
    tmp_path, result = good_run
    report = json.loads((tmp_path / "out" / "synthesis_report.json").read_text())
    assert report["strategies"]["graph"]["chained_share"] == 1.0
    assert report["strategies"]["random"]["chained_share"] == 0.0
    stored = result.output_for_node("synthesis_report")
    assert stored["comparison"]["graph_ahead_on_chained"] is True
    page = (tmp_path / "out" / "synthesis_report.md").read_text()
    assert "![Graph sampling vs random baseline](synthesis_report_plot1.png)" in page
    stages = {stage["stage"]: stage for stage in report["funnel"]["stages"]}
    assert stages["curated (training set)"]["kept"] == 10  # what dataset_export wrote
    lost = stages["passed every check"]["lost"]
    assert lost == sum(stages["passed every check"]["reasons"].values()) or lost > 0
    assert any(reason.startswith("strategy random") for reason in stages["curated (training set)"]["reasons"])
    assert "## Yield" in page and "## Realism" in page
    materialization = next(m for m in result.get_asset_materialization_events()
                           if m.asset_key == dg.AssetKey("synthesis_report"))
    metadata = materialization.step_materialization_data.materialization.metadata
    assert metadata["plot_comparison"].value.startswith("![Graph sampling vs random baseline](data:image/png;base64,")


def test_quality_table_round_trips_through_the_io_manager(good_run):
    tmp_path, result = good_run
    quality = result.output_for_node("dialogue_quality")
    assert quality.height == 15 and int(quality["passed"].sum()) == 14
    stored = pl.read_parquet(tmp_path / "store" / "dialogue_quality" / "batch-0001.parquet")  # per batch
    assert stored.equals(quality)


def test_bad_batch_is_stopped_by_the_blocking_pass_rate_check(tmp_path):
    dialogues, plans, catalog = batch(graph=2, random=0, failed=6)
    # only what the test needs: the quality asset, its checks, and the asset right after them
    definitions = [quality_assets.dialogue_quality, quality_assets.dialogue_quality_pass_rate,
                   export_assets.curated_dialogues]
    result = run(tmp_path, (dialogues, plans, catalog),
                 {"ops": {"dialogue_quality_pass_rate": {"config": {"min_pass_rate": 0.5}}}},
                 definitions)
    assert not result.success
    check = checks_by_name(result)[("dialogue_quality", "pass_rate")]
    assert not check.passed and check.metadata["pass_rate"].value == 0.25
    assert "share of passed >= 0.5" in check.metadata["failed_expectations"].value
    materialized = {m.asset_key.to_user_string() for m in result.get_asset_materialization_events()}
    assert "dialogue_quality" in materialized
    assert "curated_dialogues" not in materialized


def test_integrity_check_reports_duplicate_ids_and_nulls(tmp_path):
    dialogues, plans, catalog = batch(graph=3, random=0, failed=0)
    broken = dialogues.vstack(dialogues.head(1)).with_columns(
        dialogues.vstack(dialogues.head(1))["model"].scatter(0, None))
    result = run(tmp_path, (broken, plans, catalog), definitions=[quality_assets.dialogues_integrity])
    check = checks_by_name(result)[("dialogues", "integrity")]
    assert not check.passed
    failed = {e["expectation"]: e for e in check.metadata["expectations"].value if not e["success"]}
    assert set(failed) == {"dialogue_id unique", "model not null"}
    assert failed["dialogue_id unique"]["partial_unexpected_list"] == ["g-000", "g-000"]
