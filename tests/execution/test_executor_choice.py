"""Choosing the executor: names, the flag, and the configuration mistakes it refuses."""

from __future__ import annotations

import pytest

from resources.llm import LLMResource
from toolflow_assets.cli import FLAG_ENV, build_parser
from toolflow_assets.execution.choice import make_executor
from toolflow_assets.execution.mcp import McpExecutor
from toolflow_assets.generation.backend import make_generator


def test_the_mcp_executor_needs_an_mcp_source_and_unknown_names_are_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="mcp:PATH/servers.json"):
        make_executor("mcp", [str(tmp_path)])
    with pytest.raises(ValueError, match="unknown executor 'live'"):
        make_executor("live")
    config = tmp_path / "servers.json"
    config.write_text('{"mcpServers": {"time": {"command": "mcp-server-time"}}}')
    executor = make_executor("mcp", [str(tmp_path), f"mcp:{config}"], str(tmp_path / "cache"))
    assert isinstance(executor, McpExecutor) and set(executor.servers) == {"time"}  # built, nothing started yet
    assert executor.counts.servers_started == 0


def test_the_flag_and_the_environment_choose_it(monkeypatch) -> None:
    args = build_parser().parse_args(["run", "--executor", "mcp"])
    assert args.executor == "mcp" and FLAG_ENV["executor"] == "TOOLFLOW_EXECUTOR"
    assert LLMResource().executor_name() == "simulated"
    monkeypatch.setenv("TOOLFLOW_EXECUTOR", "mcp")
    assert LLMResource().executor_name() == "mcp" and LLMResource().describe()["executor"] == "mcp"
    with pytest.raises(ValueError, match="use it with backend offline"):  # the openai tool agent writes results
        make_generator("openai", "m", executor=McpExecutor(servers={}))
