from datetime import datetime, timezone

import dagster as dg

from resources import ToolflowSettings
from schedules.refresh import scheduled_refresh, tool_sources_changed
from toolflow_assets.definitions import defs
from toolflow_assets.partitions import BATCH_PARTITIONS_NAME


def _evaluate(cursor, sources, instance=None):
    context = dg.build_sensor_context(cursor=cursor, resources={"settings": ToolflowSettings(sources=sources)},
                                      instance=instance or dg.DagsterInstance.ephemeral())
    result = tool_sources_changed(context)
    return result, context.cursor


def test_sensor_requests_a_refresh_only_when_sources_change(tmp_path):
    tools = tmp_path / "tools.json"
    tools.write_text('[{"name": "get_weather", "parameters": {"type": "object", "properties": {}}}]')

    first, cursor = _evaluate(None, str(tmp_path))
    assert isinstance(first, dg.SensorResult)
    [request] = first.run_requests
    assert request.partition_key == "batch-0001"  # no batch yet: the first one is added
    assert [r.partition_keys for r in first.dynamic_partitions_requests] == [["batch-0001"]]
    [observation] = first.asset_events  # the source's new version is recorded, as "Observe" would
    assert observation.asset_key == dg.AssetKey("tool_sources")
    assert observation.tags["dagster/data_version"] == cursor

    unchanged, same_cursor = _evaluate(cursor, str(tmp_path))
    assert isinstance(unchanged, dg.SkipReason) and same_cursor == cursor

    tools.write_text('[{"name": "get_forecast", "parameters": {"type": "object", "properties": {}}}]')
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(BATCH_PARTITIONS_NAME, ["batch-0001", "batch-0003", "batch-0002"])
    changed, new_cursor = _evaluate(cursor, str(tmp_path), instance)
    assert isinstance(changed, dg.SensorResult) and new_cursor != cursor
    assert [r.partition_key for r in changed.run_requests] == ["batch-0003"]  # the latest batch is refreshed
    assert not changed.dynamic_partitions_requests


def test_sensor_skips_with_the_missing_path_named(tmp_path):
    result, _ = _evaluate(None, str(tmp_path / "nope"))
    assert isinstance(result, dg.SkipReason)
    assert "nope" in result.skip_message


def test_a_schedule_tick_adds_its_own_batch_and_runs_the_pipeline_for_it():
    tick = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(instance=instance, scheduled_execution_time=tick,
                                            repository_def=defs.get_repository_def())
        data = scheduled_refresh.evaluate_tick(context)
        [request] = data.run_requests
        assert request.partition_key == "scheduled-20261127-0300" and request.run_key == "scheduled-20261127-0300"
        assert request.tags["dagster/partition"] == "scheduled-20261127-0300"
        assert instance.get_dynamic_partitions(BATCH_PARTITIONS_NAME) == ["scheduled-20261127-0300"]
        # the same tick evaluated again finds its batch: nothing new is added
        scheduled_refresh.evaluate_tick(context)
        assert instance.get_dynamic_partitions(BATCH_PARTITIONS_NAME) == ["scheduled-20261127-0300"]
    assert scheduled_refresh.default_status == dg.DefaultScheduleStatus.STOPPED
