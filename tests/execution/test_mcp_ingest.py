"""Ingesting live MCP servers (mcp-server-time, mcp-server-git from PyPI) from an `mcpServers` config."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from toolflow_assets.ingestion.ingest import SourceNotFound, hash_sources, ingest_sources

from mcp_servers_helpers import server_entry, time_and_git_config, write_config

pytestmark = pytest.mark.slow


def test_servers_tools_enter_the_catalog_with_their_own_schemas(tmp_path: Path) -> None:
    config = time_and_git_config(tmp_path)
    result = ingest_sources([f"mcp:{config}"])
    by_server: dict[str, list[str]] = {}
    for tool in result.tools:
        by_server.setdefault(tool.category, []).append(tool.name)
        assert tool.source == f"mcp:{tool.category}" and tool.source_format == "mcp"
    assert {"get_current_time", "convert_time"} <= set(by_server["time"])
    assert {"git_status", "git_log", "git_add", "git_commit"} <= set(by_server["git"])
    assert result.quarantined == []
    current = next(t for t in result.tools if t.name == "get_current_time")
    # the server's own inputSchema and outputSchema, normalized, not a made-up shape
    assert current.parameters["required"] == ["timezone"]
    assert set(current.returns["properties"]) >= {"timezone", "datetime", "day_of_week", "is_dst"}
    # the config's examples become the arguments' `examples`; nothing else of the schema changes
    status = next(t for t in result.tools if t.name == "git_status")
    assert status.parameters["properties"]["repo_path"]["examples"] == [str(tmp_path / "repo")]
    assert "examples" not in json.dumps(next(t for t in result.tools if t.name == "git_commit").parameters)


def test_an_example_for_a_tool_or_argument_the_server_lacks_is_reported(tmp_path: Path) -> None:
    config = write_config(tmp_path / "servers.json", {"time": server_entry(
        "mcp_server_time", examples={"get_current_time": {"zone": "UTC", "timezone": "Asia/Tokyo"}})})
    result = ingest_sources([f"mcp:{config}"])
    current = next(t for t in result.tools if t.name == "get_current_time")
    assert current.parameters["properties"]["timezone"]["examples"] == ["Asia/Tokyo"]
    assert [(q.position, q.reason.split(":")[0]) for q in result.quarantined] == [
        ("(examples)", "config example for get_current_time.zone")]


def test_a_server_that_cannot_start_or_list_is_quarantined_and_the_others_still_count(tmp_path: Path) -> None:
    config = write_config(tmp_path / "servers.json", {
        "time": server_entry("mcp_server_time"),
        "missing": {"command": str(tmp_path / "no-such-server")},
        "mute": {"command": sys.executable, "args": ["-c", "import time; time.sleep(120)"], "start_timeout": 3},
        "broken": {"args": ["x"]},
    })
    result = ingest_sources([f"mcp:{config}"])
    assert {t.category for t in result.tools} == {"time"}
    reasons = {q.source: q.reason for q in result.quarantined}
    assert reasons["mcp:missing"].startswith("mcp_start_failed") and "No such file" in reasons["mcp:missing"]
    assert reasons["mcp:broken"].startswith("server not started: server entry has no command")
    assert reasons["mcp:mute"].startswith("mcp_start_timeout")
    assert set(reasons) == {"mcp:missing", "mcp:broken", "mcp:mute"}


def test_the_config_is_part_of_the_source_hash_and_a_missing_config_is_a_configuration_error(tmp_path: Path) -> None:
    config = write_config(tmp_path / "servers.json", {"time": server_entry("mcp_server_time")})
    before = hash_sources([f"mcp:{config}"])
    write_config(config, {"time": server_entry("mcp_server_time", "--local-timezone", "UTC")})
    assert hash_sources([f"mcp:{config}"]) != before
    with pytest.raises(SourceNotFound):
        ingest_sources([f"mcp:{tmp_path / 'nowhere.json'}"])
    assert json.loads(config.read_text())["mcpServers"]


def test_a_tool_list_in_pages_is_read_to_the_end(monkeypatch) -> None:
    from mcp.client.session import ClientSession

    from toolflow_assets.mcp_stdio import McpConnection, ServerConfig

    original = ClientSession.list_tools
    asked = []

    async def two_pages(self, *, params=None):  # the time server's list, announced as two pages
        asked.append(params.cursor if params else None)
        page = await original(self, params=params)
        return page.model_copy(update={"next_cursor": None if params else "page-2"})

    monkeypatch.setattr(ClientSession, "list_tools", two_pages)
    with McpConnection(ServerConfig(name="time", command=sys.executable, args=("-m", "mcp_server_time"))) as server:
        names = [tool.name for tool in server.list_tools()]
    assert asked == [None, "page-2"] and names == ["get_current_time", "convert_time"] * 2
