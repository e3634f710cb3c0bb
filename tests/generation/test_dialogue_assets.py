"""`dialogue_plans` and `dialogues` materialized through Dagster with the offline backend and the Parquet IO
manager, from stand-in `tool_subgraphs` / `tool_catalog` assets built from the frozen fixture."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import polars as pl
from upath import UPath

from batch_helpers import materialize_batch
from resources import LLMResource, ParquetIOManager, ToolflowSettings
from toolflow_assets.generation.assets import dialogues
from toolflow_assets.generation.models import DIALOGUE_SCHEMA
from toolflow_assets.partitions import batch_partitions
from toolflow_assets.planning.assets import dialogue_plans
from toolflow_assets.planning.models import PLAN_SCHEMA
from toolflow_assets.tools import CATALOG_SCHEMA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generation"
SAMPLES = 30


@dg.asset(name="tool_catalog")
def stub_tool_catalog() -> pl.DataFrame:
    return pl.DataFrame(json.loads((FIXTURES / "tools.json").read_text()), schema=CATALOG_SCHEMA)


def stub_tool_subgraphs(samples: int) -> dg.AssetsDefinition:
    @dg.asset(name="tool_subgraphs", partitions_def=batch_partitions)
    def tool_subgraphs() -> pl.DataFrame:
        rows = json.loads((FIXTURES / "samples.json").read_text())[:samples]
        rows.append({**rows[0], "sample_id": "broken", "tool_names": ["missing_tool"], "tool_ids": ["nope"]})
        return pl.DataFrame(rows)

    return tool_subgraphs


def materialize(tmp_path: Path, seed: int, samples: int = SAMPLES) -> dg.ExecuteInProcessResult:
    return materialize_batch(
        [stub_tool_catalog, stub_tool_subgraphs(samples), dialogue_plans, dialogues],
        resources={
            "llm": LLMResource(backend="offline"),
            "settings": ToolflowSettings(seed=seed, storage_dir=str(tmp_path)),
            "io_manager": ParquetIOManager(base_path=UPath(tmp_path / "assets")),
        },
    )


def metadata_of(result: dg.ExecuteInProcessResult, key: str) -> dict:
    event = next(e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey(key))
    return {k: v.value for k, v in event.materialization.metadata.items()}


def test_plans_and_dialogues_materialize_with_metadata(tmp_path):
    result = materialize(tmp_path, seed=5)
    assert result.success
    plans = result.output_for_node("dialogue_plans")
    frame = result.output_for_node("dialogues")
    assert plans.columns == list(PLAN_SCHEMA) and plans.height == SAMPLES + 1
    assert frame.schema == pl.Schema(DIALOGUE_SCHEMA) and frame.height == SAMPLES + 1
    assert plans.filter(pl.col("status") == "failed")["sample_id"].to_list() == ["broken"]
    failed = frame.filter(pl.col("status") == "failed")
    assert failed["sample_id"].to_list() == ["broken"] and failed["error"].item().startswith("no_plan")

    meta = metadata_of(result, "dialogues")
    assert meta["dialogues_ok"] == SAMPLES and meta["dialogues_failed"] == 1
    assert meta["backend"] == "offline" and meta["model"] == "toolflow-offline"
    assert meta["mean_user_turns"] >= 2.5 and meta["mean_tool_calls"] >= 2
    assert meta["token_usage"] == {"prompt_tokens": 0, "completion_tokens": 0, "requests": 0}
    assert "**User:**" in meta["example_dialogue"] and "```json" in meta["example_dialogue"]
    assert meta["config"]["backend"] == "offline" and meta["config"]["seed"] == meta["seed"]
    assert meta["batch"] == "batch-0001" and "broken" in meta["failures"] and "no_plan" in meta["failures"]
    plan_meta = metadata_of(result, "dialogue_plans")
    assert plan_meta["plans_ok"] == SAMPLES and 0 <= plan_meta["chained_share"] <= 1

    stored = pl.read_parquet(tmp_path / "assets" / "dialogues" / "batch-0001.parquet")
    assert stored.equals(frame)
    first = json.loads(frame["messages"][0])
    assert first[0]["role"] == "system" and first[-1]["role"] == "assistant"


def test_same_seed_same_data_version(tmp_path):
    first = materialize(tmp_path / "a", seed=5, samples=6)
    second = materialize(tmp_path / "b", seed=5, samples=6)

    def version(result):
        event = next(e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey("dialogues"))
        return event.materialization.tags["dagster/data_version"]

    assert version(first) == version(second)
    assert first.output_for_node("dialogues").equals(second.output_for_node("dialogues"))
