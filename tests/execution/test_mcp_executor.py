"""The `mcp` executor on real servers (mcp-server-time, mcp-server-git) and on a fake one that hangs or crashes:
every tool message is what the server returns, a failing server fails one dialogue with its reason, and a
rerun replays the recorded executions without starting any server."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from toolflow_assets.execution.mcp import McpExecutor
from toolflow_assets.generation.offline import OfflineGenerator
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.mcp_stdio import McpConnection, read_servers, result_value

from mcp_servers_helpers import masked, time_and_git_config, write_config

pytestmark = pytest.mark.slow
SEED = 7
FAKE = str(Path(__file__).with_name("fake_mcp_server.py"))
SAMPLES = [["get_current_time"], ["convert_time"], ["get_current_time", "convert_time"], ["git_status"],
           ["git_log", "git_branch"]]


def samples(groups: list[list[str]]) -> list[dict[str, Any]]:
    return [{"sample_id": f"s{i}", "strategy": "random", "tool_names": names, "edges": []}
            for i, names in enumerate(groups)]


def generate(config: Path, cache: Path, groups: list[list[str]], refresh: bool = False):
    tools = {t.name: t for t in ingest_sources([f"mcp:{config}"]).tools}
    executor = McpExecutor.from_sources([f"mcp:{config}"], cache_dir=cache, refresh=refresh)
    generator = OfflineGenerator(executor=executor)
    plans = [r.plan for r in generator.plan_many(samples(groups), tools, SEED) if r.plan is not None]
    try:
        return generator.generate_many(plans, tools, SEED), executor
    finally:
        executor.close()


def tool_calls(dialogue) -> list[tuple[str, dict[str, Any], Any]]:
    """(tool, arguments, tool message value) of every call, in order."""
    asked = {c["id"]: (c["function"]["name"], json.loads(c["function"]["arguments"]))
             for m in dialogue.messages if m["role"] == "assistant" for c in m.get("tool_calls") or []}
    return [(*asked[m["tool_call_id"]], json.loads(m["content"])) for m in dialogue.messages if m["role"] == "tool"]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mcp")
    config = time_and_git_config(folder)
    dialogues, executor = generate(config, folder / "cache", SAMPLES)
    return config, folder, dialogues, executor


def test_every_tool_message_is_what_a_fresh_server_returns_for_the_same_calls(first_run) -> None:
    config, _, dialogues, executor = first_run
    assert [d.status for d in dialogues] == ["ok"] * len(SAMPLES), [d.error for d in dialogues]
    servers = {s.name: s for s in read_servers(config)[0]}
    compared = 0
    for dialogue in dialogues:
        assert dialogue.provenance.executor == "mcp"
        connections: dict[str, McpConnection] = {}
        try:
            for (name, arguments, shown), execution in zip(tool_calls(dialogue), dialogue.executions):
                server = "git" if name.startswith("git_") else "time"
                assert execution["executor"] == f"mcp:{server}"
                if server not in connections:  # one fresh process per server per dialogue, as the executor
                    connections[server] = McpConnection(servers[server])
                value, is_error = result_value(connections[server].call_tool(name, arguments))
                if is_error:  # the server's error text, carried as the error's message
                    assert shown == {"error": {"message": value}} and execution["status"] == "error"
                else:
                    assert masked(shown) == masked(value) and execution["status"] == "ok"
                compared += 1
        finally:
            for connection in connections.values():
                connection.close()
    assert compared == executor.counts.executed >= len(SAMPLES)
    refused = [f"{e['executor'].removeprefix('mcp:')}.{e['name']}" for d in dialogues for e in d.executions
               if e["status"] == "error"]
    assert executor.counts.refused == {key: refused.count(key) for key in refused}
    # with the config's examples the git server answers for real (a status, a log), not only with refusals
    assert {e["name"] for d in dialogues for e in d.executions
            if e["executor"] == "mcp:git" and e["status"] == "ok"} >= {"git_status", "git_log"}


def test_a_rerun_replays_the_record_and_starts_no_server(first_run) -> None:
    config, folder, dialogues, executor = first_run
    again, replaying = generate(config, folder / "cache", SAMPLES)
    assert replaying.counts.executed == 0 and replaying.counts.servers_started == 0
    assert replaying.counts.replayed == executor.counts.executed
    assert [d.messages for d in again] == [d.messages for d in dialogues]  # clock readings included
    refreshed, refreshing = generate(config, folder / "cache", SAMPLES[:1], refresh=True)
    assert refreshing.counts.executed == len(tool_calls(refreshed[0])) > 0


def test_a_hung_or_crashed_server_fails_only_its_dialogue_and_the_next_one_gets_a_fresh_process(tmp_path: Path) -> None:
    config = write_config(tmp_path / "servers.json", {
        "fake": {"command": sys.executable, "args": [FAKE], "timeout": 2}})
    tools = {t.name: t for t in ingest_sources([f"mcp:{config}"]).tools}
    executor = McpExecutor.from_sources([f"mcp:{config}"], cache_dir=tmp_path / "cache")
    outcomes = []
    try:
        for seed, name in enumerate(["echo", "stall", "echo", "crash", "echo"]):
            session = executor.session(seed)
            try:
                outcome = session.execute(name, {"text": "hello"}, tools[name])
                outcomes.append(("ok", outcome.result))
            except Exception as failure:  # noqa: BLE001 - the writer turns this into the dialogue's failed row
                outcomes.append(("failed", str(failure)))
    finally:
        executor.close()
    assert outcomes[0] == ("ok", {"text": "hello", "count": 1})
    assert outcomes[1][0] == "failed" and outcomes[1][1].startswith("mcp_timeout")
    assert outcomes[2] == ("ok", {"text": "hello", "count": 1})  # a fresh process: its counter starts again
    assert outcomes[3][0] == "failed" and outcomes[3][1].startswith("mcp_connection_lost")
    assert outcomes[4] == ("ok", {"text": "hello", "count": 1})
    assert executor.counts.failed == 2 and executor.counts.servers_started == 5


def test_a_failing_server_is_a_failed_dialogue_row_with_its_reason(tmp_path: Path) -> None:
    config = write_config(tmp_path / "servers.json", {
        "fake": {"command": sys.executable, "args": [FAKE], "timeout": 2}})
    dialogues, executor = generate(config, tmp_path / "cache", [["stall"], ["echo"]])
    assert [d.status for d in dialogues] == ["failed", "ok"]
    assert dialogues[0].error.startswith("mcp_timeout: server 'fake'")
    assert executor.counts.failed == 1


def test_a_dialogue_recorded_part_way_rebuilds_the_servers_state_before_executing_the_rest(tmp_path: Path) -> None:
    config = write_config(tmp_path / "servers.json", {"fake": {"command": sys.executable, "args": [FAKE]}})
    tools = {t.name: t for t in ingest_sources([f"mcp:{config}"]).tools}

    def dialogue() -> tuple[list[Any], McpExecutor]:
        executor = McpExecutor.from_sources([f"mcp:{config}"], cache_dir=tmp_path / "cache")
        try:
            session = executor.session(11)
            return [session.execute("echo", {"text": t}, tools["echo"]).result for t in ("a", "b", "c")], executor
        finally:
            executor.close()

    first, _ = dialogue()
    assert [r["count"] for r in first] == [1, 2, 3]  # the server's state: calls answered so far
    records = sorted((tmp_path / "cache" / "mcp").glob("*/*.json"), key=lambda p: json.loads(p.read_text())[
        "response"]["position"])
    records[-1].unlink()  # as if the run had been killed before the third call was recorded
    second, executor = dialogue()
    assert second == first  # the third call saw the state the first two left, on a fresh process
    assert executor.counts.as_dict() == {"executed": 1, "replayed": 2, "restored": 2, "failed": 0,
                                         "servers_started": 1, "refused": {}}


def test_each_server_process_gets_its_own_folder_and_only_the_environment_its_config_lists(tmp_path: Path,
                                                                                           monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    monkeypatch.setenv("TOOLFLOW_PRIVATE", "x")
    config = write_config(tmp_path / "servers.json", {
        "fake": {"command": sys.executable, "args": [FAKE], "env": {"GREETING": "hi"}}})
    tools = {t.name: t for t in ingest_sources([f"mcp:{config}"]).tools}
    executor = McpExecutor.from_sources([f"mcp:{config}"])
    seen = []
    try:
        for seed in (1, 2):
            seen.append(executor.session(seed).execute("environment", {}, tools["environment"]).result)
    finally:
        executor.close()
    for given in seen:
        assert "GREETING" in given["names"] and "PATH" in given["names"]
        assert not {"OPENAI_API_KEY", "TOOLFLOW_PRIVATE"} & set(given["names"])
        assert given["cwd"] == given["home"] and Path(given["cwd"]).name.startswith("toolflow-mcp-fake-")
        assert not Path(given["cwd"]).exists()  # removed when its dialogue ended
    assert seen[0]["cwd"] != seen[1]["cwd"]


def test_a_stateless_server_keeps_one_process_for_the_run_and_a_failed_one_is_replaced(tmp_path: Path) -> None:
    config = write_config(tmp_path / "servers.json", {
        "fake": {"command": sys.executable, "args": [FAKE], "stateless": True, "timeout": 2}})
    tools = {t.name: t for t in ingest_sources([f"mcp:{config}"]).tools}
    executor = McpExecutor.from_sources([f"mcp:{config}"])
    counts = []
    try:
        for seed, name in enumerate(["echo", "echo", "crash", "echo"]):
            try:
                counts.append(executor.session(seed).execute(name, {"text": "x"}, tools[name]).result["count"])
            except Exception as failure:  # noqa: BLE001 - the failed dialogue's reason
                counts.append(str(failure).split(":")[0])
    finally:
        executor.close()
    # one process answered the first two dialogues (its counter went on); after the crash, a fresh one
    assert counts == [1, 2, "mcp_connection_lost", 1]
    assert executor.counts.servers_started == 2 and executor.shared == {}
