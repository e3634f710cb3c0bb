"""The scheduled refresh and the sensors.

- `scheduled_refresh` (cron from $TOOLFLOW_REFRESH_CRON, default 03:00 daily; stopped by default, turn it
  on in the UI): each tick adds a batch partition named after the tick (`scheduled-20261127-0300`) and
  runs `full_pipeline` for it, so the tools are re-ingested and a new batch of dialogues joins the curated
  dataset. Named by the tick, a re-evaluated tick finds its batch and its run (run_key) already there.
- `tool_sources_changed`: hashes the configured tool sources; when the hash changes it re-runs
  `full_pipeline` for the latest batch (re-ingestion, a new graph, that batch regenerated on it, the
  dataset rebuilt); when it has not changed it does nothing.
- `dataset_after_batches` (running by default): builds the dataset assets once after new batches have
  landed, when no batch run is queued or running (their AFTER_NEW_BATCHES automation condition).
"""

from __future__ import annotations

import os

import dagster as dg

from resources import ToolflowSettings
from toolflow_assets.batches import DEFAULT_BATCH, scheduled_batch_key
from toolflow_assets.ingestion.ingest import SourceNotFound, hash_sources
from toolflow_assets.partitions import BATCH_PARTITIONS_NAME, batch_partitions

from .jobs import DATASET_GROUPS, full_pipeline

DATA_VERSION_TAG = "dagster/data_version"  # the tag Dagster reads an observation's data version from

DEFAULT_REFRESH_CRON = "0 3 * * *"


@dg.schedule(
    name="scheduled_refresh",
    job=full_pipeline,
    cron_schedule=os.environ.get("TOOLFLOW_REFRESH_CRON", DEFAULT_REFRESH_CRON),
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Ingest new tools and generate a new batch of dialogues on a cron ($TOOLFLOW_REFRESH_CRON): "
    "each tick adds the next batch partition and runs full_pipeline for it.",
)
def scheduled_refresh(context: dg.ScheduleEvaluationContext):
    batch = scheduled_batch_key(context.scheduled_execution_time)
    # A schedule cannot return partition requests (a sensor can), so the tick registers its batch itself.
    if not context.instance.has_dynamic_partition(BATCH_PARTITIONS_NAME, batch):
        context.instance.add_dynamic_partitions(BATCH_PARTITIONS_NAME, [batch])
    return dg.RunRequest(run_key=batch, partition_key=batch, tags={"toolflow/trigger": "scheduled_refresh"})


@dg.sensor(
    name="tool_sources_changed",
    job=full_pipeline,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Re-ingest and refresh downstream (the latest batch and the dataset) when the tool source "
    "files change (content hash); nothing when they have not.",
)
def tool_sources_changed(context: dg.SensorEvaluationContext, settings: ToolflowSettings):
    try:
        current = hash_sources(settings.source_paths())
    except SourceNotFound as error:
        return dg.SkipReason(str(error))
    if context.cursor == current:
        return dg.SkipReason("tool sources unchanged")
    context.update_cursor(current)
    existing = context.instance.get_dynamic_partitions(BATCH_PARTITIONS_NAME)
    batch = sorted(existing)[-1] if existing else DEFAULT_BATCH
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"tool-sources-{current}", partition_key=batch,
                                    tags={"toolflow/trigger": "tool_sources_changed"})],
        dynamic_partitions_requests=[] if existing else [batch_partitions.build_add_request([batch])],
        # Record the new version of the observable source too, as its Observe button would: the lineage
        # shows tool_catalog as Unsynced until the run has re-ingested, and its provenance stays exact.
        asset_events=[dg.AssetObservation(asset_key="tool_sources", tags={DATA_VERSION_TAG: current},
                                          metadata={"trigger": "tool_sources_changed"})],
    )


# Rebuilds the dataset once new batches have landed (the dataset assets' AFTER_NEW_BATCHES condition).
# Running by default, unlike the schedule: without it, batches generated from the UI or a backfill would
# never reach the exported dataset. Checked every 5 s (Dagster's default is 30) so a backfill's dataset
# follows its last batch closely.
dataset_after_batches = dg.AutomationConditionSensorDefinition(
    "dataset_after_batches",
    target=dg.AssetSelection.groups(*DATASET_GROUPS),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=5,
    description="Builds the dataset (curate, export, report) once after new batches, when no batch run is "
    "queued or in progress.",
)


ALL_SCHEDULES = [scheduled_refresh]
ALL_SENSORS = [tool_sources_changed, dataset_after_batches]
