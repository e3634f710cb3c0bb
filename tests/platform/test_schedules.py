import dagster as dg

from resources import ToolflowSettings
from schedules.refresh import tool_sources_changed


def _evaluate(cursor, sources):
    context = dg.build_sensor_context(cursor=cursor, resources={"settings": ToolflowSettings(sources=sources)})
    result = tool_sources_changed(context)
    return result, context.cursor


def test_sensor_requests_a_refresh_only_when_sources_change(tmp_path):
    tools = tmp_path / "tools.json"
    tools.write_text('[{"name": "get_weather", "parameters": {"type": "object", "properties": {}}}]')

    first, cursor = _evaluate(None, str(tmp_path))
    assert isinstance(first, dg.RunRequest)

    unchanged, same_cursor = _evaluate(cursor, str(tmp_path))
    assert isinstance(unchanged, dg.SkipReason) and same_cursor == cursor

    tools.write_text('[{"name": "get_forecast", "parameters": {"type": "object", "properties": {}}}]')
    changed, new_cursor = _evaluate(cursor, str(tmp_path))
    assert isinstance(changed, dg.RunRequest) and new_cursor != cursor


def test_sensor_skips_with_the_missing_path_named(tmp_path):
    result, _ = _evaluate(None, str(tmp_path / "nope"))
    assert isinstance(result, dg.SkipReason)
    assert "nope" in result.skip_message
