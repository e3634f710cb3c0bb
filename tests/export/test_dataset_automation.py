"""The dataset assets rebuild once after new batches, never while a batch is still queued or running (issue 15).

Evaluated with Dagster's own evaluator (`evaluate_automation_conditions`, what the `dataset_after_batches`
sensor runs each tick) on the project's definitions and a real instance. Batch tables are recorded as
materialization events, and a batch run "in flight" is a real run record of `generate_batch` (its planned
materializations are what Dagster reads as in progress).
"""

from __future__ import annotations

import dagster as dg
import pytest

from toolflow_assets.definitions import defs
from toolflow_assets.export.automation import AFTER_NEW_BATCHES

DATASET = {dg.AssetKey(name) for name in ("curated_dialogues", "dataset_export", "synthesis_report")}
BATCH_TABLES = ("tool_subgraphs", "dialogue_plans", "dialogues", "dialogue_quality")


class Ticks:
    """Successive sensor ticks, each continuing from the last one's cursor."""

    def __init__(self, instance: dg.DagsterInstance):
        self.instance, self.cursor = instance, None

    def requested(self) -> set[dg.AssetKey]:
        result = dg.evaluate_automation_conditions(defs=defs, instance=self.instance, cursor=self.cursor)
        self.cursor = result.cursor
        return {key for key in DATASET if result.get_num_requested(key)}


def _batch_written(instance: dg.DagsterInstance, batch: str) -> None:
    for name in BATCH_TABLES:
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=name, partition=batch))


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("batch", ["batch-0001", "batch-0002", "batch-0003"])
        yield instance


def test_every_dataset_asset_carries_the_condition_and_nothing_else_does():
    graph = defs.resolve_asset_graph()
    automated = {key for key in graph.get_all_asset_keys()
                 if graph.get(key).automation_condition is not None}
    assert automated == DATASET
    assert all(graph.get(key).automation_condition == AFTER_NEW_BATCHES for key in DATASET)
    sensor = defs.resolve_sensor_def("dataset_after_batches")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_a_new_batch_requests_the_whole_dataset_once(instance):
    ticks = Ticks(instance)
    assert ticks.requested() == set()  # no batch yet: nothing to build

    _batch_written(instance, "batch-0001")
    assert ticks.requested() == DATASET  # all three, in one tick (one run)
    assert ticks.requested() == set()  # handled: not asked again on the next tick


def test_the_dataset_waits_while_a_batch_run_is_in_flight(instance):
    ticks = Ticks(instance)
    assert ticks.requested() == set()
    job = defs.resolve_job_def("generate_batch")
    in_flight = instance.create_run_for_job(job, tags={"dagster/partition": "batch-0002"},
                                            status=dg.DagsterRunStatus.STARTED)
    _batch_written(instance, "batch-0001")
    assert ticks.requested() == set()  # batch-0002 is running: one dataset run later, not two

    _batch_written(instance, "batch-0002")
    instance.report_run_failed(in_flight)  # (the run's end; its tables were recorded just above)
    assert ticks.requested() == DATASET


def test_a_batch_that_never_ran_does_not_hold_the_dataset_back(instance):
    """batch-0003 is registered but has no tables (eager() would wait for it forever)."""
    ticks = Ticks(instance)
    assert ticks.requested() == set()  # the sensor's first tick: what it compares later ticks with
    _batch_written(instance, "batch-0001")
    _batch_written(instance, "batch-0002")
    assert ticks.requested() == DATASET
