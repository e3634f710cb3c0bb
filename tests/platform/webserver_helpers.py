"""Start, talk to and stop a real `dagster dev` for end-to-end tests (never autoloaded by Dagster).

`dagster dev` launched from a script inherits an ignored SIGINT and then ignores SIGTERM too, leaving its
webserver, daemon and code servers alive. So the server runs in a session of its own with SIGINT back at
its default, writes to a log file (never to the test process's pipes), and is stopped by signalling its
whole process group, then sweeping /proc for anything still carrying its private DAGSTER_HOME.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from subprocess_env import clean_env

ROOT = Path(__file__).resolve().parents[2]

LOCATION = "toolflow"
REPOSITORY = "__repository__"
REPOSITORY_SELECTOR = {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY}
TERMINAL_RUN_STATUSES = {"SUCCESS", "FAILURE", "CANCELED"}

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _dagster_executable() -> str:
    beside_python = Path(sys.executable).with_name("dagster")
    return str(beside_python) if beside_python.exists() else "dagster"


def _restore_default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log written)"


@dataclass
class Webserver:
    """A running `dagster dev` on 127.0.0.1: its URL, process, private DAGSTER_HOME and log file."""

    process: subprocess.Popen
    port: int
    home: Path
    log_path: Path
    tmp: Path
    _log_file: Any = field(repr=False, default=None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 60) -> str:
        return tail(self.log_path, lines)

    def graphql(self, query: str, variables: dict[str, Any] | None = None, timeout: float = 60.0) -> dict[str, Any]:
        """POST /graphql; returns `data`, failing with the server's errors (and the log tail) when there are any."""
        response = httpx.post(f"{self.url}/graphql", json={"query": query, "variables": variables or {}},
                              timeout=timeout)
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise AssertionError(f"GraphQL errors: {json.dumps(body['errors'], indent=1)[:4000]}")
        return body["data"]

    def stop(self, grace: float = 10.0) -> list[int]:
        """End the server's process group; returns the pids that had left the group and were killed after."""
        stop_process_group(self.process, grace)
        strays = kill_processes_with_env("DAGSTER_HOME", str(self.home))
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return strays


def start_webserver(tmp: Path, extra_env: dict[str, str] | None = None, ready_timeout: float = 90.0) -> Webserver:
    """`dagster dev -w workspace.yaml` for this project on a free port, with a fresh DAGSTER_HOME under `tmp`.

    Returns once /server_info answers and the `toolflow` code location has loaded; on failure the server is
    stopped and the error shows the log's tail.
    """
    home = tmp / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = clean_env()
    env.update({"DAGSTER_HOME": str(home), "PYTHONUNBUFFERED": "1", **(extra_env or {})})
    port = free_port()
    log_path = tmp / "dagster_dev.log"
    log_file = open(log_path, "wb")  # noqa: SIM115 - closed in Webserver.stop
    process = subprocess.Popen(
        [_dagster_executable(), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
        # Only async-signal-safe work in the child (one signal() call), so preexec_fn is safe here.
        start_new_session=True, preexec_fn=_restore_default_sigint,  # noqa: PLW1509
    )
    server = Webserver(process=process, port=port, home=home, log_path=log_path, tmp=tmp, _log_file=log_file)
    try:
        wait_until_ready(server, ready_timeout)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_ready(server: Webserver, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_problem = "no answer yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"dagster dev exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            if httpx.get(f"{server.url}/server_info", timeout=5).status_code == 200:
                status, problem = code_location_status(server)
                if status == "RepositoryLocation":
                    return
                if status == "PythonError":
                    raise RuntimeError(f"code location {LOCATION!r} failed to load: {problem}\n{server.log_tail()}")
                last_problem = problem
        except httpx.HTTPError as error:
            last_problem = repr(error)
        time.sleep(0.5)
    raise TimeoutError(f"dagster dev not ready within {timeout:.0f} s ({last_problem}):\n{server.log_tail()}")


WORKSPACE_QUERY = """
query Workspace {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
    ... on PythonError { message }
  }
}
"""


def code_location_status(server: Webserver) -> tuple[str | None, str]:
    """(`RepositoryLocation` | `PythonError` | None while loading, a description) for the toolflow location."""
    workspace = server.graphql(WORKSPACE_QUERY, timeout=10)["workspaceOrError"]
    if workspace["__typename"] != "Workspace":
        return None, workspace.get("message", workspace["__typename"])
    for entry in workspace["locationEntries"]:
        if entry["name"] == LOCATION:
            loaded = entry["locationOrLoadError"]
            if entry["loadStatus"] != "LOADED" or loaded is None:
                return None, f"location {entry['loadStatus']}"
            return loaded["__typename"], loaded.get("message", "")
    return None, f"no {LOCATION!r} location yet"


def stop_process_group(process: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM the process's group (it leads its own session), SIGKILL what is left after `grace` seconds."""
    pgid = process.pid
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.poll()
        if not _group_alive(pgid):
            break
        time.sleep(0.2)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie leader still counts as "alive" for killpg; ignore the group if only zombies remain.
    return any(state != "Z" for state in _group_states(pgid))


def _group_states(pgid: int) -> list[str]:
    states = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:
            states.append(fields[0])
    return states


def processes_with_env(name: str, value: str) -> list[int]:
    """Pids of live (non-zombie) processes whose environment has `name=value` (this user's only)."""
    needle = f"{name}={value}".encode()
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (proc / "environ").read_bytes().split(b"\0"):
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    pids.append(int(proc.name))
        except (OSError, IndexError, ValueError):
            continue
    return [pid for pid in pids if pid != os.getpid()]


def kill_processes_with_env(name: str, value: str) -> list[int]:
    """SIGKILL every process still carrying `name=value` (a run worker that left the group, say)."""
    survivors = processes_with_env(name, value)
    for pid in survivors:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return survivors


def wait_for_run(server: Webserver, run_id: str, timeout: float) -> dict[str, Any]:
    """Poll runOrError until the run reaches a terminal status; returns the run."""
    deadline = time.monotonic() + timeout
    run: dict[str, Any] = {}
    while time.monotonic() < deadline:
        run = server.graphql(RUN_STATUS_QUERY, {"runId": run_id})["runOrError"]
        assert run["__typename"] == "Run", run
        if run["status"] in TERMINAL_RUN_STATUSES:
            return run
        time.sleep(1.0)
    raise TimeoutError(f"run {run_id} still {run.get('status')} after {timeout:.0f} s:\n{server.log_tail()}")


RUN_STATUS_QUERY = """
query RunStatus($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run { runId status jobName tags { key value } }
    ... on RunNotFoundError { message }
    ... on PythonError { message }
  }
}
"""


def run_events(server: Webserver, run_id: str, fragment: str) -> list[dict[str, Any]]:
    """Every event of a run through logsForRun (paged), each selected with `fragment`."""
    query = f"""
    query RunEvents($runId: ID!, $cursor: String) {{
      logsForRun(runId: $runId, afterCursor: $cursor, limit: 500) {{
        __typename
        ... on EventConnection {{ cursor hasMore events {{ __typename {fragment} }} }}
        ... on RunNotFoundError {{ message }}
        ... on PythonError {{ message }}
      }}
    }}
    """
    events: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = server.graphql(query, {"runId": run_id, "cursor": cursor})["logsForRun"]
        assert page["__typename"] == "EventConnection", page
        events += page["events"]
        if not page["hasMore"] or not page["events"]:
            return events
        cursor = page["cursor"]


def failure_summary(server: Webserver, run_id: str) -> str:
    """The run's step failures and error messages, for an assertion message."""
    events = run_events(server, run_id, "... on MessageEvent { message stepKey } "
                                        "... on ExecutionStepFailureEvent { error { message } } "
                                        "... on RunFailureEvent { pipelineFailureError: error { message } }")
    lines = []
    for event in events:
        engine_error = event["__typename"] == "EngineEvent" and "rror" in event.get("message", "")
        if "Failure" in event["__typename"] or engine_error:
            error = event.get("error") or event.get("pipelineFailureError") or {}
            lines.append(f"{event['__typename']} [{event.get('stepKey')}]: {event.get('message')} "
                         f"{(error.get('message') or '')[:1500]}")
    return "\n".join(lines) or "(no failure events)"
