"""The ingestion assets materialize through Dagster and the project's Parquet IO manager."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from ingestion_helpers import FIXTURES
from upath import UPath

from resources import ParquetIOManager, ToolflowSettings
from toolflow_assets.ingestion.assets import ingest_tools, tool_sources
from toolflow_assets.tools import CATALOG_SCHEMA, QUARANTINE_SCHEMA, tools_from_frame


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A small source folder: three good formats and one file with bad specs."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for name in ("openai_tools_list.json", "bfcl_sample.json", "mcp_tools_list.json"):
        shutil.copy(FIXTURES / "formats" / name, folder / name)
    shutil.copy(FIXTURES / "bad" / "mixed_openai.json", folder / "mixed_openai.json")
    return folder


def _materialize(sources: str, storage: Path, raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [ingest_tools, tool_sources],
        resources={"settings": ToolflowSettings(sources=sources),
                   "io_manager": ParquetIOManager(base_path=UPath(storage))},
        raise_on_error=raise_on_error,
    )


def test_materialize_stores_catalog_and_quarantine_with_metadata(sources: Path, tmp_path: Path) -> None:
    storage = tmp_path / "storage"
    result = _materialize(str(sources), storage)
    assert result.success

    catalog = result.output_for_node("ingest_tools", "tool_catalog")
    quarantine = result.output_for_node("ingest_tools", "tool_quarantine")
    assert catalog.schema == pl.Schema(CATALOG_SCHEMA) and quarantine.schema == pl.Schema(QUARANTINE_SCHEMA)
    assert catalog.height == 10 and quarantine.height == 5
    names = set(catalog["name"])
    assert {"get_weather", "ChaDri_change_drink", "read_file", "lookup_order", "cancel_order"} <= names
    assert set(quarantine["source"]) == {"mixed_openai.json"}  # shown relative to the source folder
    assert all(quarantine["reason"].str.len_chars() > 0)

    # the stored values are what the asset returned, keyed by asset key under the base path
    stored_catalog = pl.read_parquet(storage / "tool_catalog.parquet")
    stored_quarantine = pl.read_parquet(storage / "tool_quarantine.parquet")
    assert stored_catalog.equals(catalog) and stored_quarantine.equals(quarantine)
    assert {t.name for t in tools_from_frame(stored_catalog)} == names

    materializations = {m.asset_key.to_user_string(): m for m in result.asset_materializations_for_node("ingest_tools")}
    meta = materializations["tool_catalog"].metadata
    assert meta["dagster/row_count"].value == 10
    assert meta["tools_by_format"].value == {"bfcl": 4, "mcp": 2, "openai": 4}
    assert meta["formats"].value == 3
    assert meta["tools_by_source_json"].value == {"bfcl_sample.json": 4, "mcp_tools_list.json": 2,
                                                  "mixed_openai.json": 2, "openai_tools_list.json": 2}
    assert "| bfcl_sample.json | 4 |" in meta["tools_by_source"].value
    assert meta["quarantined"].value == 5 and meta["files_read"].value == 4
    assert meta["tools_with_return_schema"].value == 2
    preview = meta["preview"].value
    assert preview.startswith("| name | category | source_format | source | description |") and "get_weather" in preview
    assert "ingest_seconds" in meta and "storage_path" in meta
    assert [c.name for c in meta["dagster/column_schema"].schema.columns] == list(CATALOG_SCHEMA)
    # a data version from the content, so unchanged sources leave downstream fresh
    assert materializations["tool_catalog"].tags["dagster/data_version"]

    qmeta = materializations["tool_quarantine"].metadata
    assert qmeta["dagster/row_count"].value == 5
    assert qmeta["quarantined_by_source"].value == {"mixed_openai.json": 5}
    assert "tool has no name" in qmeta["reasons"].value
    assert "duplicate name … in the same tool list" in qmeta["reasons"].value


def test_same_sources_same_data_version(sources: Path, tmp_path: Path) -> None:
    first = _materialize(str(sources), tmp_path / "a")
    second = _materialize(str(sources), tmp_path / "b")

    def version(result: dg.ExecuteInProcessResult) -> str:
        [event] = [m for m in result.asset_materializations_for_node("ingest_tools")
                   if m.asset_key == dg.AssetKey("tool_catalog")]
        return event.tags["dagster/data_version"]

    assert version(first) == version(second)


def _observe(sources: Path) -> str:
    """Observe `tool_sources` through a job (how the UI and the sensor see it); return its data version."""
    defs = dg.Definitions(
        assets=[tool_sources, ingest_tools],
        jobs=[dg.define_asset_job("observe_sources", selection=[tool_sources])],
        resources={"settings": ToolflowSettings(sources=str(sources))},
    )
    result = defs.resolve_job_def("observe_sources").execute_in_process()
    [observation] = [e.asset_observation_data.asset_observation for e in result.all_events
                     if e.event_type_value == "ASSET_OBSERVATION"]
    return observation.tags["dagster/data_version"]


def test_observing_tool_sources_versions_them_by_content(sources: Path) -> None:
    first = _observe(sources)
    assert first == _observe(sources)
    (sources / "openai_tools_list.json").write_text("[]")
    assert _observe(sources) != first


def test_missing_source_fails_the_run_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "not-there"
    result = _materialize(str(missing), tmp_path / "storage", raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert f"tool source path does not exist: {missing}" in str(failure.event_specific_data.error)


def test_an_empty_source_folder_fails_ingestion_saying_so_and_keeps_the_last_catalog(sources: Path,
                                                                                     tmp_path: Path) -> None:
    """It used to store 0 tools and end much later on a generic failed check."""
    storage = tmp_path / "storage"
    assert _materialize(str(sources), storage).success
    stored = (storage / "tool_catalog.parquet").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _materialize(str(empty), storage, raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failure.event_specific_data.user_failure_data.description == (
        f"no tool files (.json, .jsonl, .yaml, .yml) found in the tool sources: {empty}")
    assert (storage / "tool_catalog.parquet").read_bytes() == stored  # the good catalog was not replaced
