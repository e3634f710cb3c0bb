"""The `mcp` executor: every call of a catalog tool that came from an MCP server runs on that live server.

- One session per dialogue: each server a dialogue calls is started for it (lazily, on its first call that
  is not replayed) and stopped when the next dialogue begins or the executor closes, so stateful servers
  (git, sqlite) never see another dialogue's changes. At most one process per server runs at a time. A
  server configured `"stateless": true` (a clock, a calculator) keeps one process for the whole run.
- Each call has the server's time limit (`timeout` in its config, default 20 s). A server that crashes,
  hangs or cannot start raises `McpExecutionError` with the reason: the writer turns it into that
  dialogue's failed row, and the next dialogue starts a fresh process.
- The result is what the server returned (`mcp_stdio.result_value`: structuredContent, else the text as
  JSON when it is JSON, else the text); a result the server flags `isError` becomes `{"error": {"message":
  <its text>}}` with status `error`, which the assistant then explains.
- Executions are recorded with their requests under `<cache root>/mcp/` (one JSON file per call, keyed by
  server, tool, canonical arguments, the dialogue seed and the call's position in the dialogue), so a
  rerun replays them without starting any server. When a dialogue's recorded calls run out part way (a
  run killed mid-dialogue), the calls replayed so far are run again on the fresh server first, so its
  state is the one the recorded results came from. `refresh=True` executes everything again.
- Tools that did not come from a server (any other source in the catalog) go to the `fallback` executor
  (simulated by default), so a mixed catalog still works; their provenance says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..llm.cache import ResponseCache
from ..mcp_stdio import McpConnection, McpFailure, ServerConfig, config_path, is_mcp_source, read_servers, result_value
from ..tools import Tool, canonical_json
from .protocol import Executor, Readers, ToolOutcome
from .simulated import SimulatedExecutor, SimulationError

NAME = "mcp"
SERVER_PREFIX = "mcp:"
RECORD_FORMAT = 1


class McpExecutionError(SimulationError):
    """A server could not answer one call (start failure, timeout, crash, unknown server). It extends
    `SimulationError` because that is what the writer turns into a failed dialogue row with this reason."""


@dataclass
class ExecutionCounts:
    executed: int = 0  # calls sent to a live server for a result
    replayed: int = 0  # results read back from the record
    restored: int = 0  # recorded calls run again to rebuild a server's state after a partial replay
    failed: int = 0  # calls that ended a dialogue (start failure, timeout, crash)
    servers_started: int = 0
    # "<server>.<tool>" -> results the server flagged as errors: a tool refusing every planned call (a path
    # or a query the planner cannot guess) shows here, and wants `examples` in the server's config
    refused: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "refused": dict(sorted(self.refused.items()))}

    def saw(self, server: str, tool: str, status: str) -> None:
        if status == "error":
            key = f"{server}.{tool}"
            self.refused[key] = self.refused.get(key, 0) + 1


@dataclass
class McpExecutor:
    servers: Mapping[str, ServerConfig]
    cache_dir: str | Path | None = None
    refresh: bool = False
    fallback: Executor = field(default_factory=SimulatedExecutor)
    name: str = NAME

    def __post_init__(self) -> None:
        self.counts = ExecutionCounts()
        self.record = ResponseCache(str(Path(self.cache_dir) / "mcp") if self.cache_dir else None)
        self._current: McpSession | None = None
        self.shared: dict[str, McpConnection] = {}  # servers configured `stateless`: one process for the run

    @classmethod
    def from_sources(cls, sources: Iterable[str], cache_dir: str | Path | None = None, refresh: bool = False,
                     **options: Any) -> "McpExecutor":
        """The servers of every `mcp:` source (a config that cannot be read adds none: ingestion has
        quarantined it and the catalog holds none of its tools)."""
        servers: dict[str, ServerConfig] = {}
        for source in sources:
            if is_mcp_source(source):
                try:
                    found, _ = read_servers(config_path(source))
                except (OSError, ValueError):
                    continue
                servers.update({server.name: server for server in found})
        return cls(servers=servers, cache_dir=cache_dir, refresh=refresh, **options)

    def session(self, seed: int) -> "McpSession":
        self.end_dialogue()  # the previous dialogue's servers stop: state never crosses dialogues
        self._current = McpSession(self, seed)
        return self._current

    def close(self) -> None:
        """Stop every server process (call it when the run's dialogues are done)."""
        self.end_dialogue()
        for server in list(self.shared):
            self.shared.pop(server).close()

    def end_dialogue(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None

    def server_of(self, tool: Tool) -> str | None:
        return tool.source[len(SERVER_PREFIX):] if tool.source.startswith(SERVER_PREFIX) else None


class McpSession:
    def __init__(self, executor: McpExecutor, seed: int) -> None:
        self.executor = executor
        self.seed = seed
        self.position = 0
        self.connections: dict[str, McpConnection] = {}
        self.replayed: dict[str, list[tuple[str, dict[str, Any]]]] = {}  # server -> calls read from the record
        self._fallback = None

    def execute(self, name: str, arguments: Mapping[str, Any], tool: Tool,
                needed: Mapping[str, Readers] | None = None) -> ToolOutcome:
        server = self.executor.server_of(tool)
        if server is None:
            if self._fallback is None:
                self._fallback = self.executor.fallback.session(self.seed)
            return self._fallback.execute(name, arguments, tool, needed)
        config = self.executor.servers.get(server)
        if config is None:
            raise self._failed(f"mcp_unknown_server: {name} comes from server {server!r}, which no configured "
                               f"mcp: source declares")
        call_name = tool.original_name or tool.name
        arguments = dict(arguments)
        key = execution_key(config, call_name, arguments, self.seed, self.position)
        self.position += 1
        recorded = None if self.executor.refresh else self.executor.record.get(key)
        if recorded is not None:
            self.executor.counts.replayed += 1
            self.replayed.setdefault(server, []).append((call_name, arguments))
            self.executor.counts.saw(server, call_name, recorded["status"])
            return ToolOutcome(result=recorded["result"], executor=f"{NAME}:{server}", status=recorded["status"])
        value, status = self._call(config, call_name, arguments)
        self.executor.record.put(key, {"format": RECORD_FORMAT, "server": server, "tool": call_name,
                                       "arguments": arguments, "seed": self.seed, "position": self.position - 1,
                                       "result": value, "status": status})
        self.executor.counts.saw(server, call_name, status)
        return ToolOutcome(result=value, executor=f"{NAME}:{server}", status=status)

    def _call(self, config: ServerConfig, name: str, arguments: dict[str, Any]) -> tuple[Any, str]:
        connection = self._connection(config)
        try:
            result = connection.call_tool(name, arguments)
        except McpFailure as failure:
            self._drop(config.name)
            raise self._failed(str(failure)) from None
        self.executor.counts.executed += 1
        return outcome_value(result)

    def _connection(self, config: ServerConfig) -> McpConnection:
        pool = self.executor.shared if config.stateless else self.connections
        connection = pool.get(config.name)
        if connection is not None:
            return connection
        try:
            connection = McpConnection(config)
        except McpFailure as failure:
            raise self._failed(str(failure)) from None
        self.executor.counts.servers_started += 1
        pool[config.name] = connection
        if config.stateless:  # nothing to rebuild: earlier calls left no state behind
            self.replayed.pop(config.name, None)
            return connection
        # calls of this dialogue that were replayed from the record changed the server's state when they
        # were first run: run them again so this call sees that state
        for name, arguments in self.replayed.pop(config.name, []):
            try:
                connection.call_tool(name, arguments)
            except McpFailure as failure:
                self._drop(config.name)
                raise self._failed(f"mcp_restore_failed: {failure}") from None
            self.executor.counts.restored += 1
        return connection

    def _drop(self, server: str) -> None:
        """Stop a failed server's process (a shared one too: the next call starts a fresh one)."""
        for pool in (self.connections, self.executor.shared):
            connection = pool.pop(server, None)
            if connection is not None:
                connection.close()

    def _failed(self, reason: str) -> McpExecutionError:
        self.executor.counts.failed += 1
        return McpExecutionError(reason)

    def close(self) -> None:
        for server in list(self.connections):
            self.connections.pop(server).close()


def outcome_value(result: Any) -> tuple[Any, str]:
    """(tool message value, status) for a server's CallToolResult: its own value; an `isError` result as
    an error object around its message (the one shape `is_error_result` reads)."""
    value, is_error = result_value(result)
    if is_error:
        message = value if isinstance(value, str) else canonical_json(value)
        return {"error": {"message": message or "the tool reported an error"}}, "error"
    return value, "ok"


def execution_key(config: ServerConfig, tool: str, arguments: Mapping[str, Any], seed: int, position: int) -> str:
    """The record's key: the server as configured, the call, and where it sits (dialogue seed, position),
    since a stateful server answers the same call differently later in a dialogue."""
    keyed = [RECORD_FORMAT, config.identity(), tool, canonical_json(dict(arguments)), seed, position]
    return hashlib.sha256(canonical_json(keyed).encode("utf-8")).hexdigest()
