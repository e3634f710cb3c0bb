"""End to end: `toolflow run --sources mcp:servers.json --executor mcp` with mcp-server-time and mcp-server-git and
no LLM exports dialogues whose every tool message is what the server returns (replayed on fresh servers,
clock readings masked), and a second run executes nothing again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from toolflow_assets.mcp_stdio import McpConnection, read_servers, result_value

from mcp_servers_helpers import masked, time_and_git_config
from subprocess_env import clean_env

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def toolflow_run(folder: Path) -> str:
    env = clean_env()
    env["PYTHONPATH"] = str(ROOT)
    completed = subprocess.run(
        [sys.executable, "-m", "toolflow_assets.cli", "run", "--sources", "mcp:servers.json", "--executor", "mcp",
         "--dialogues", "6", "--output", "out", "--seed", "3"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return completed.stdout


def test_toolflow_run_with_the_mcp_executor_exports_what_the_servers_return(tmp_path: Path) -> None:
    config = time_and_git_config(tmp_path)
    toolflow_run(tmp_path)
    home = tmp_path / ".toolflow" / "dagster_home"
    dialogues = pl.read_parquet(home / "storage" / "assets" / "dialogues" / "batch-0001.parquet")
    assert dialogues.height == 6 and set(dialogues["executor"]) == {"mcp"}
    exported = [json.loads(line) for line in (tmp_path / "out" / "dataset" / "train.jsonl").read_text().splitlines()]
    assert exported, "no dialogue was exported"
    servers = {s.name: s for s in read_servers(config)[0]}
    by_id = {row["dialogue_id"]: row for row in dialogues.iter_rows(named=True)}
    compared = 0
    for record in exported:
        row = by_id[record["metadata"]["dialogue_id"]]
        # the export renames call ids; tool messages keep their order, which is the executions' order
        executed = [e["executor"] for e in json.loads(row["executions"])]
        calls = {c["id"]: c["function"] for m in record["messages"] if m["role"] == "assistant"
                 for c in m.get("tool_calls") or []}
        answers = [m for m in record["messages"] if m["role"] == "tool"]
        assert len(answers) == len(executed)
        connections: dict[str, McpConnection] = {}
        try:
            for message, producer in zip(answers, executed):
                server = producer.removeprefix("mcp:")
                function = calls[message["tool_call_id"]]
                if server not in connections:
                    connections[server] = McpConnection(servers[server])
                value, is_error = result_value(connections[server].call_tool(function["name"],
                                                                            json.loads(function["arguments"])))
                shown = json.loads(message["content"])
                assert (shown == {"error": {"message": value}}) if is_error else (masked(shown) == masked(value))
                compared += 1
        finally:
            for connection in connections.values():
                connection.close()
    assert compared > 0

    instance = dg.DagsterInstance.from_config(str(home))
    first = instance.get_latest_materialization_event(dg.AssetKey("dialogues")).asset_materialization.metadata
    assert first["executor"].value == "mcp" and first["executions"].value["executed"] > 0
    toolflow_run(tmp_path)  # the same batch again: every call replays from the record
    second = instance.get_latest_materialization_event(dg.AssetKey("dialogues")).asset_materialization.metadata
    assert second["executions"].value["executed"] == 0 and second["executions"].value["servers_started"] == 0
    assert second["executions"].value["replayed"] == first["executions"].value["executed"]
