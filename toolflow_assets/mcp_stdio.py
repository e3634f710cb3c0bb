"""MCP servers over stdio, for synchronous callers: the `mcpServers` config and one bounded connection.

Shared by ingestion (list a server's tools) and execution (call them while a dialogue is written), so both
read a config file the same way and start a server the same way:
- the config is the JSON MCP clients use, `{"mcpServers": {"<name>": {"command", "args", "env", "cwd"}}}`,
  plus ToolFlow's optional `examples` (`{tool: {argument: value}}`), `timeout` (seconds per call, default
  20), `start_timeout` (seconds to start and initialize, default 30) and `stateless` (true: the server
  keeps nothing between calls, so one process serves every dialogue instead of one per dialogue);
- each server process runs in its own temporary folder (its working folder unless `cwd` is given, and
  its `HOME`), with the environment its config lists over the SDK's short safe list (PATH, USER, SHELL,
  TERM, LOGNAME); nothing else of ours leaks in (no API keys);
- every wait is bounded: start, each call, shutdown. The official SDK runs the server in its own process
  group and kills the whole group on close, so a hung server never outlives its connection.
The SDK is asynchronous; a connection runs it on an event loop in a thread of its own, so that a
dialogue's calls (made one by one from synchronous code) share one server process.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

MCP_PREFIX = "mcp:"
DEFAULT_CALL_TIMEOUT = 20.0
START_TIMEOUT = 30.0
SHUTDOWN_TIMEOUT = 10.0  # the SDK's own shutdown: stdin closed, 2 s grace, SIGTERM, 2 s, SIGKILL


class McpFailure(Exception):
    """A server could not start, answer in time, or stay up. The message starts with a reason code."""


@dataclass(frozen=True)
class ServerConfig:
    name: str
    command: str
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    cwd: str | None = None
    timeout: float = DEFAULT_CALL_TIMEOUT
    start_timeout: float = START_TIMEOUT
    stateless: bool = False  # the server keeps nothing between calls: one process may serve every dialogue
    examples: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False, compare=False)

    def identity(self) -> str:
        """What a recorded execution is keyed by besides the call: the server as configured."""
        return json.dumps([self.name, self.command, list(self.args), list(self.env), self.cwd], sort_keys=True)


def is_mcp_source(source: str) -> bool:
    return str(source).strip().startswith(MCP_PREFIX)


def config_path(source: str) -> Path:
    return Path(str(source).strip()[len(MCP_PREFIX):]).expanduser()


def read_servers(path: Path) -> tuple[list[ServerConfig], list[tuple[str, str]]]:
    """The servers a config file declares, and (name, reason) for each entry that cannot be one.
    Raises OSError/ValueError when the file itself is unreadable or not a `mcpServers` object."""
    document = json.loads(path.read_text(encoding="utf-8"))
    servers = document.get("mcpServers") if isinstance(document, dict) else None
    if not isinstance(servers, dict):
        raise ValueError('not an MCP client config: expected {"mcpServers": {"<name>": {"command": ...}}}')
    good: list[ServerConfig] = []
    bad: list[tuple[str, str]] = []
    for name, entry in servers.items():
        problem = _entry_problem(entry)
        if problem:
            bad.append((str(name), problem))
            continue
        cwd = entry.get("cwd")
        good.append(ServerConfig(
            name=str(name), command=entry["command"], args=tuple(str(a) for a in entry.get("args") or []),
            env=tuple(sorted((str(k), str(v)) for k, v in (entry.get("env") or {}).items())),
            # a relative cwd is relative to the config file, as the command's relative paths would be
            cwd=str((path.parent / cwd).resolve()) if isinstance(cwd, str) and cwd else None,
            timeout=float(entry.get("timeout") or DEFAULT_CALL_TIMEOUT),
            start_timeout=float(entry.get("start_timeout") or START_TIMEOUT),
            stateless=entry.get("stateless") is True,
            examples={str(k): dict(v) for k, v in (entry.get("examples") or {}).items() if isinstance(v, dict)},
        ))
    return good, bad


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "server entry is not an object"
    if not isinstance(entry.get("command"), str) or not entry["command"].strip():
        return "server entry has no command (only stdio servers are supported)"
    if not isinstance(entry.get("args") or [], list):
        return "args is not a list"
    if not isinstance(entry.get("env") or {}, dict):
        return "env is not an object"
    if not isinstance(entry.get("examples") or {}, dict):
        return "examples is not an object"
    for key in ("timeout", "start_timeout"):
        seconds = entry.get(key)
        if seconds is not None and (not isinstance(seconds, (int, float)) or seconds <= 0):
            return f"{key} is not a positive number of seconds"
    return None


# ------------------------------------------------------------------------------------- connection

_Op = Callable[[Any], Awaitable[Any]]


class McpConnection:
    """One running server and an initialized session; `list_tools()` and `call_tool()` block, bounded by
    the server's timeout. After a timeout or a lost connection the server is stopped and every later call
    raises `McpFailure`: open a new connection for the next dialogue."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        start_timeout = config.start_timeout
        self.failure: str | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"mcp-{config.name}", daemon=True)
        self._thread.start()
        self._queue: asyncio.Queue[tuple[_Op | None, concurrent.futures.Future[Any]]] | None = None
        self._stderr: Path | None = None
        self._answering = False
        self._finished = threading.Event()
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._main = asyncio.run_coroutine_threadsafe(self._serve(ready), self._loop)
        try:
            ready.result(timeout=start_timeout)
        except concurrent.futures.TimeoutError:
            self.close()
            raise McpFailure(f"mcp_start_timeout: server {config.name!r} did not initialize within "
                             f"{start_timeout:g} s{self._stderr_tail()}") from None
        except Exception as error:  # noqa: BLE001 - whatever the SDK or the OS raised, one reason
            self.close()
            raise McpFailure(f"mcp_start_failed: server {config.name!r}: {_describe(error)}"
                             f"{self._stderr_tail()}") from None

    async def _serve(self, ready: concurrent.futures.Future[None]) -> None:
        from mcp import ClientSession
        from mcp.client.stdio import StdioServerParameters, stdio_client

        self._queue = asyncio.Queue()
        folder = Path(tempfile.mkdtemp(prefix=f"toolflow-mcp-{_safe(self.config.name)}-"))
        self._stderr = folder / ".stderr.log"
        env = dict(self.config.env)
        env.setdefault("HOME", str(folder))
        params = StdioServerParameters(command=self.config.command, args=list(self.config.args), env=env,
                                       cwd=self.config.cwd or str(folder))
        try:
            with self._stderr.open("w", encoding="utf-8") as errlog:
                async with stdio_client(params, errlog=errlog) as (read, write):
                    async with ClientSession(read, write) as session:
                        await session.initialize()
                        ready.set_result(None)
                        self._answering = True
                        await self._answer(session)
        except BaseException as error:  # noqa: BLE001 - reported to the waiting caller, never lost
            if not ready.done():
                ready.set_exception(error if isinstance(error, Exception) else RuntimeError(repr(error)))
            elif self.failure is None:
                self.failure = f"mcp_connection_lost: server {self.config.name!r}: {_describe(error)}"
        finally:
            self._drain(f"mcp_connection_lost: server {self.config.name!r} stopped")
            self._stderr_text = self._read_stderr()
            shutil.rmtree(folder, ignore_errors=True)
            self._answering = False
            self._finished.set()

    async def _answer(self, session: Any) -> None:
        assert self._queue is not None
        while True:
            operation, future = await self._queue.get()
            if operation is None:
                future.set_result(None)
                return
            try:
                result = await asyncio.wait_for(operation(session), timeout=self.config.timeout)
            except asyncio.TimeoutError:
                self.failure = (f"mcp_timeout: server {self.config.name!r} gave no answer within "
                                f"{self.config.timeout:g} s; it was stopped")
                future.set_exception(McpFailure(self.failure))
                return  # leaving the contexts stops the server (its whole process group)
            except Exception as error:  # noqa: BLE001 - a protocol error or a dead server: that call's reason
                self.failure = f"mcp_connection_lost: server {self.config.name!r}: {_describe(error)}"
                future.set_exception(McpFailure(self.failure))
                return
            future.set_result(result)

    def _drain(self, reason: str) -> None:
        while self._queue is not None and not self._queue.empty():
            _, future = self._queue.get_nowait()
            if not future.done():
                future.set_exception(McpFailure(self.failure or reason))

    def _submit(self, operation: _Op | None, wait: float) -> Any:
        if self._main.done():
            raise McpFailure((self.failure or f"mcp_connection_lost: server {self.config.name!r} is not running")
                             + self._stderr_tail())
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        assert self._queue is not None
        self._loop.call_soon_threadsafe(self._queue.put_nowait, (operation, future))
        try:
            return future.result(timeout=wait)
        except concurrent.futures.TimeoutError:
            raise McpFailure(f"mcp_timeout: server {self.config.name!r} gave no answer within {wait:g} s") from None

    def list_tools(self) -> list[Any]:
        from mcp import types

        async def run(session: Any) -> list[Any]:
            tools: list[Any] = []
            cursor = None
            for _ in range(100):  # pages; a server that never stops paging is cut off
                page = await session.list_tools(params=types.PaginatedRequestParams(cursor=cursor) if cursor else None)
                tools.extend(page.tools)
                cursor = getattr(page, "next_cursor", None)
                if not cursor:
                    break
            return tools
        return self._submit(run, self.config.timeout + SHUTDOWN_TIMEOUT)

    def call_tool(self, name: str, arguments: dict[str, Any]) -> Any:
        async def run(session: Any) -> Any:
            return await session.call_tool(name, arguments)
        return self._submit(run, self.config.timeout + SHUTDOWN_TIMEOUT)

    def close(self) -> None:
        """Stop the server (bounded) and the loop's thread. Safe to call twice."""
        if self._answering and not self._main.done():
            try:
                self._submit(None, SHUTDOWN_TIMEOUT)
            except McpFailure:
                pass
        elif not self._finished.is_set():
            self._main.cancel()  # still starting: cancelling unwinds the SDK, which stops the process group
        if not self._finished.wait(timeout=SHUTDOWN_TIMEOUT):
            self._main.cancel()
            self._finished.wait(timeout=SHUTDOWN_TIMEOUT)
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=SHUTDOWN_TIMEOUT)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()

    def __enter__(self) -> "McpConnection":
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()

    def _read_stderr(self) -> str:
        try:
            return self._stderr.read_text(encoding="utf-8", errors="replace") if self._stderr else ""
        except OSError:
            return ""

    def _stderr_tail(self) -> str:
        text = getattr(self, "_stderr_text", None)
        text = self._read_stderr() if text is None else text
        lines = [line for line in text.strip().splitlines() if line.strip()]
        return f" (stderr: {' | '.join(lines[-3:])[-300:]})" if lines else ""


def _describe(error: BaseException) -> str:
    """One line for an error; an SDK task-group error is unwrapped to its first cause."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    text = " ".join(str(error).split())[:300]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name)[:40]


def result_value(result: Any) -> tuple[Any, bool]:
    """(what the server returned, whether it says it is an error): `structuredContent` when present, else
    the text content (parsed as JSON when it is JSON; several blocks as a list), else the blocks as JSON."""
    is_error = bool(getattr(result, "is_error", False))
    structured = getattr(result, "structured_content", None)
    if structured is not None:
        return structured, is_error
    texts: list[Any] = []
    for block in getattr(result, "content", None) or []:
        text = getattr(block, "text", None)
        if isinstance(text, str):
            try:
                texts.append(json.loads(text))
            except ValueError:
                texts.append(text)
        else:
            texts.append(block.model_dump(mode="json", by_alias=True, exclude_none=True))
    return (texts[0] if len(texts) == 1 else texts), is_error
