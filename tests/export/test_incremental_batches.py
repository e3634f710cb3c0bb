"""The dataset assets combine batches incrementally: a new (or re-run) batch is read, the others come from
the stored combination, and the result is the full recombination's.

Real assets (curated_dialogues, dataset_export, synthesis_report) over fake batch tables, through the
project's Parquet IO manager and a Dagster instance, counting which partitions the IO manager reads.
"""

import shutil

import dagster as dg
import polars as pl
import pytest
from upath import UPath

from batch_helpers import batch_instance
from export_fixtures import passing_batch
from resources import EmbeddingResource, LLMResource, ParquetIOManager, ToolflowSettings
from resources.io_manager import COMBINED_FOLDER
from resources.settings import BUNDLED_CORPUS
from toolflow_assets.export import assets as export_assets
from toolflow_assets.export.combine import stack
from toolflow_assets.partitions import batch_partitions
from toolflow_assets.tools import CATALOG_SCHEMA

CONTENT: dict[str, tuple[pl.DataFrame, pl.DataFrame]] = {}


def batch_tables(key: str, shift: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    dialogues, quality = passing_batch(graph=3, parallel=1, city_shift=shift)
    prefix = pl.lit(f"{key}-") + pl.col("dialogue_id")
    quality = quality.with_columns(prefix.alias("dialogue_id"), pl.lit("graph").alias("strategy"),
                                   pl.lit("ok").alias("status"))
    return dialogues.with_columns(prefix.alias("dialogue_id")), quality


@dg.asset(name="dialogues", partitions_def=batch_partitions)
def fake_dialogues(context: dg.AssetExecutionContext) -> pl.DataFrame:
    return CONTENT[context.partition_key][0]


@dg.asset(name="dialogue_quality", partitions_def=batch_partitions)
def fake_quality(context: dg.AssetExecutionContext) -> pl.DataFrame:
    return CONTENT[context.partition_key][1]


@dg.asset(name="tool_subgraphs", partitions_def=batch_partitions)
def fake_samples(context: dg.AssetExecutionContext) -> pl.DataFrame:
    return pl.DataFrame({"sample_id": CONTENT[context.partition_key][0]["sample_id"]})


@dg.asset(name="dialogue_plans", partitions_def=batch_partitions)
def fake_plans(context: dg.AssetExecutionContext) -> pl.DataFrame:
    frame = CONTENT[context.partition_key][0]
    return pl.DataFrame({"plan_id": frame["plan_id"], "sample_id": frame["sample_id"], "status": "ok"})


@dg.asset(name="tool_catalog")
def fake_catalog() -> pl.DataFrame:
    return pl.DataFrame(schema=CATALOG_SCHEMA)


UPSTREAM = [fake_dialogues, fake_quality, fake_samples, fake_plans, fake_catalog]
DATASET = [export_assets.curated_dialogues, export_assets.dataset_export, export_assets.synthesis_report]
CONFIG = {"ops": {"curated_dialogues": {"config": {"decontaminate": False, "validation_ratio": 0.25}},
                  "dataset_export": {"config": {"check_templates": False, "sharegpt": False}}}}


class CountingIOManager(ParquetIOManager):
    """Records every partition it reads (`<asset>/<partition>`)."""

    def __init__(self, base_path: UPath):
        super().__init__(base_path)
        self.partitions_read: list[str] = []

    def load_from_path(self, context: dg.InputContext, path: UPath):
        if context.has_asset_partitions:
            self.partitions_read.append(f"{context.asset_key.to_user_string()}/{path.stem}")
        return super().load_from_path(context, path)


class Pipeline:
    def __init__(self, folder):
        self.folder = folder
        self.manager = CountingIOManager(UPath(folder / "store"))
        self.instance = batch_instance("batch-0001")
        self.resources = {
            "settings": ToolflowSettings(output_dir=str(folder / "out"), sources=str(BUNDLED_CORPUS), seed=7),
            "llm": LLMResource(backend="offline"), "embeddings": EmbeddingResource(backend="offline"),
            "io_manager": self.manager}

    def run_batch(self, key: str, shift: int) -> list[str]:
        """generate_batch's shape: the batch's tables, then the dataset assets, in one run."""
        CONTENT[key] = batch_tables(key, shift)
        if not self.instance.has_dynamic_partition("batch", key):
            self.instance.add_dynamic_partitions("batch", [key])
        self.manager.partitions_read.clear()
        result = dg.materialize([*UPSTREAM, *DATASET], partition_key=key, instance=self.instance,
                                resources=self.resources, run_config=CONFIG)
        assert result.success
        return sorted(self.manager.partitions_read)

    def run_dataset_only(self) -> list[str]:
        self.manager.partitions_read.clear()
        result = dg.materialize([*UPSTREAM, *DATASET], selection=DATASET, instance=self.instance,
                                resources=self.resources, run_config=CONFIG)
        assert result.success
        return sorted(self.manager.partitions_read)

    def values(self) -> tuple[pl.DataFrame, dict, dict]:
        base = self.manager._base_path
        curated = pl.read_parquet((base / "curated_dialogues.parquet").read_bytes())
        report = (base / "synthesis_report.json").read_text()
        export = (base / "dataset_export.json").read_text()
        return curated, report, _without_run_id(export)


def _without_run_id(text: str) -> str:
    import json

    value = json.loads(text)
    value.pop("run_id", None)
    return json.dumps(value, sort_keys=True)


def _reads(key: str) -> list[str]:
    return sorted(f"{asset}/{key}" for asset in ("dialogues", "dialogue_quality", "tool_subgraphs", "dialogue_plans"))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    pipeline = Pipeline(tmp_path_factory.mktemp("incremental"))
    for index, key in enumerate(["batch-0001", "batch-0002", "batch-0003"]):
        pipeline.run_batch(key, shift=index)
    return pipeline


def test_a_new_batch_reads_only_itself_and_equals_a_full_recombination(pipeline):
    reads = pipeline.run_batch("batch-0004", shift=3)
    # each table's new batch once; the three stored batches come from the stored combinations
    assert reads == _reads("batch-0004")
    incremental = pipeline.values()
    assert set(incremental[0]["batch"]) == {"batch-0001", "batch-0002", "batch-0003", "batch-0004"}

    shutil.rmtree(pipeline.folder / "store" / COMBINED_FOLDER)  # no stored combination: read everything
    reads = pipeline.run_dataset_only()
    assert reads == sorted(r for k in ("batch-0001", "batch-0002", "batch-0003", "batch-0004") for r in _reads(k))
    full = pipeline.values()
    assert incremental[0].equals(full[0])
    assert incremental[1] == full[1] and incremental[2] == full[2]


def test_a_rerun_batch_replaces_its_rows(pipeline):
    before = pipeline.values()[0]
    reads = pipeline.run_batch("batch-0002", shift=9)  # same ids, other content
    assert reads == _reads("batch-0002")
    after = pipeline.values()[0]
    changed = after.filter(pl.col("batch") == "batch-0002")
    assert changed["messages"].to_list() == CONTENT["batch-0002"][0]["messages"].to_list()
    assert not changed["messages"].equals(before.filter(pl.col("batch") == "batch-0002")["messages"])
    assert after.filter(pl.col("batch") != "batch-0002").equals(before.filter(pl.col("batch") != "batch-0002"))

    # and it is still what reading every batch gives
    reads = pipeline.run_dataset_only()
    assert reads == []  # nothing changed since: every table comes from its stored combination
    assert pipeline.values()[0].equals(after)
    expected = stack({k: CONTENT[k][0] for k in CONTENT})
    assert sorted(after["dialogue_id"]) == sorted(expected["dialogue_id"])
