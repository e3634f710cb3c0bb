"""Choosing the executor: names, the flag, and the configuration mistakes it refuses."""

from __future__ import annotations

import pytest

from resources.llm import LLMResource
from toolflow_assets.cli import build_parser
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


def test_the_flag_and_the_environment_choose_it_and_auto_is_the_default(monkeypatch) -> None:
    assert build_parser().parse_args(["run", "--executor", "llm"]).executor == "llm"
    assert build_parser().parse_args(["run"]).executor is None  # no flag: the resource's default decides
    assert LLMResource().executor_name() == "auto" and not LLMResource().uses_server()
    assert LLMResource(executor="llm").uses_server()  # the llm executor needs a server like the llm writer
    monkeypatch.setenv("TOOLFLOW_EXECUTOR", "mcp")
    assert LLMResource().executor_name() == "mcp" and LLMResource().describe()["executor"] == "mcp"
    with pytest.raises(ValueError, match="use it with backend offline"):  # the openai tool agent writes results
        make_generator("openai", "m", executor=McpExecutor(servers={}))


def test_auto_simulates_every_dialogue_where_no_environment_is_installed(monkeypatch) -> None:
    # what a machine without bfcl-eval gets (the default install): `auto` still runs, offline
    from toolflow_assets.execution import python_env
    from toolflow_assets.generation.offline import generate_dialogue
    from toolflow_assets.planning.models import DialoguePlan
    from toolflow_assets.planning.offline_planner import CatalogIndex
    from toolflow_assets.tools import Tool

    monkeypatch.setattr(python_env, "available", lambda: False)
    executor = make_executor("auto")
    assert executor.name == "auto" and executor.environments is None
    ls = Tool(tool_id="ls", name="ls", description="List the files of the current folder.", source="gorilla_file_system.json",
              source_format="bfcl", category="", parameters={"type": "object", "properties": {}}, returns=None)
    plan = DialoguePlan.model_validate({
        "plan_id": "p", "sample_id": "s", "strategy": "graph", "scenario": "test", "tools": ["ls"],
        "turns": [{"intent": "list the files", "needs_tools": True,
                   "calls": [{"call_id": "c1", "tool": "ls", "arguments": {}}]},
                  {"intent": "list them again", "needs_tools": True,
                   "calls": [{"call_id": "c2", "tool": "ls", "arguments": {}}]}]})
    dialogue = generate_dialogue(plan, CatalogIndex({"ls": ls}), 3, executor)
    assert [e["executor"] for e in dialogue.executions] == ["simulated", "simulated"]
    assert dialogue.provenance.executor == "simulated"  # who ran it: the same row as --executor simulated gives
    assert dialogue == generate_dialogue(plan, CatalogIndex({"ls": ls}), 3, make_executor("simulated"))
    assert executor.counts.as_dict() == {"executed_dialogues": 0, "simulated_dialogues": 1}
