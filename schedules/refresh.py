"""The scheduled refresh and the tool-source sensor.

The schedule (cron from $TOOLFLOW_REFRESH_CRON, default 03:00 daily) is stopped by default: turn it on in
the UI. The sensor hashes the configured tool sources; when the hash changes it requests a full refresh,
and when it has not it does nothing.
"""

from __future__ import annotations

import os

import dagster as dg

from resources import ToolflowSettings
from toolflow_assets.ingestion.ingest import SourceNotFound, hash_sources

from .jobs import full_pipeline

DEFAULT_REFRESH_CRON = "0 3 * * *"

scheduled_refresh = dg.ScheduleDefinition(
    name="scheduled_refresh",
    job=full_pipeline,
    cron_schedule=os.environ.get("TOOLFLOW_REFRESH_CRON", DEFAULT_REFRESH_CRON),
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Ingest new tools and generate a new batch of dialogues on a cron ($TOOLFLOW_REFRESH_CRON).",
)


@dg.sensor(
    name="tool_sources_changed",
    job=full_pipeline,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Re-ingest and refresh downstream when the tool source files change (content hash).",
)
def tool_sources_changed(context: dg.SensorEvaluationContext, settings: ToolflowSettings):
    try:
        current = hash_sources(settings.source_paths())
    except SourceNotFound as error:
        return dg.SkipReason(str(error))
    if context.cursor == current:
        return dg.SkipReason("tool sources unchanged")
    context.update_cursor(current)
    return dg.RunRequest(run_key=f"tool-sources-{current}", tags={"toolflow/trigger": "tool_sources_changed"})


ALL_SCHEDULES = [scheduled_refresh]
ALL_SENSORS = [tool_sources_changed]
