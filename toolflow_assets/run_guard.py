"""Guards around one `toolflow run`: a lock per (DAGSTER_HOME, batch), one per home for the tool stage,
and runs left STARTED by a killed process marked failed.

Why a lock: two runs on one batch interleave their writes (plans from one, dialogues from the other) and
nothing warned. Different batches write different partitions and may run together, but the tool catalog
and graph are one per home: runs that rebuild them (refresh_tools, full_pipeline) also take the `tools`
lock, so two of them never rewrite those at once, whatever their batches. The lock is an
`flock` on `<home>/.toolflow-locks/<scope>.lock`: the kernel releases it when its process dies, however it
dies, so a killed run never leaves a stale lock behind. The file holds the holder's description (run id,
pid, start time) so that the refused run can name the one in its way.

Why reaping: a run whose process was killed (SIGKILL, OOM, a closed laptop) stays STARTED in the instance
forever, and the UI shows it running. Runs launched by `toolflow run` carry their host, pid and the pid's
start time as tags; on the next start, such a run on this host whose process is gone is reported failed
through Dagster's own `report_run_failed`. Runs launched otherwise (the UI, the daemon) are Dagster's run
monitoring's business and are left alone.
"""

from __future__ import annotations

import json
import os
import socket
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from .batches import validate_batch_key

LOCKS_FOLDER = ".toolflow-locks"
LAUNCHED_BY = "toolflow run"
TAG_LAUNCHED_BY = "toolflow/launched_by"
TAG_HOST = "toolflow/host"
TAG_PID = "toolflow/pid"
TAG_PID_START = "toolflow/pid_start"


class RunBusy(Exception):
    """Another live run holds the lock of this home and scope; `holder` describes it (may be empty when it
    has only just taken the lock)."""

    def __init__(self, scope: str, home: Path, holder: dict[str, Any], who: str | None = None) -> None:
        self.scope, self.home, self.holder = scope, home, holder
        super().__init__(f"{scope_label(scope)} on {home} is in use by {who or describe_holder(holder)}")


def describe_holder(holder: dict[str, Any]) -> str:
    if not holder:
        return "another toolflow run (starting)"
    started = holder.get("started")
    when = time.strftime("%H:%M:%S UTC", time.gmtime(started)) if isinstance(started, (int, float)) else "?"
    run = str(holder.get("run_id") or "?")[:8]
    return f"run {run} (pid {holder.get('pid', '?')} on {holder.get('host', '?')}, started {when})"


def lock_scope(batch: str | None, job: str) -> str:
    """What a run locks: its batch (`batch-0001`), or for a job without batches the job itself."""
    return f"batch {validate_batch_key(batch)}" if batch else f"job {validate_batch_key(job)}"


TOOLS_SCOPE = "tools"  # the tool catalog and graph: one home has one, whatever the batch


def scope_label(scope: str) -> str:
    return "the tool stage (catalog and graph)" if scope == TOOLS_SCOPE else scope


def tool_stage(defs: Any) -> tuple[set[Any], set[str]]:
    """(asset keys of the tool stage, names of the jobs that write any of them), read from the definitions
    so that a job added later is covered too."""
    from schedules.jobs import TOOL_GROUPS

    graph = defs.resolve_asset_graph()
    keys = {key for key in graph.materializable_asset_keys if graph.get(key).group_name in TOOL_GROUPS}
    jobs = {job.name for job in defs.resolve_all_job_defs() if keys & set(job.asset_layer.executable_asset_keys)}
    return keys, jobs


def lock_scopes(batch: str | None, job: str, writes_tools: bool) -> list[str]:
    """Every lock a run takes, always in this order (tools, then its batch) so two runs never wait on each
    other crosswise. A run that rebuilds the tool stage (refresh_tools, full_pipeline on any batch) takes
    the tools lock too: two of them rewrote one catalog and graph at once."""
    scopes = [TOOLS_SCOPE] if writes_tools else []
    if batch or not writes_tools:
        scopes.append(lock_scope(batch, job))
    return scopes


def _lock_path(home: Path, scope: str) -> Path:
    return home / LOCKS_FOLDER / (scope.replace(" ", "-") + ".lock")


def read_holder(home: Path, scope: str) -> dict[str, Any]:
    try:
        return json.loads(_lock_path(home, scope).read_text() or "{}")
    except (OSError, ValueError):
        return {}


@contextmanager
def run_lock(home: Path, scope: str, holder: dict[str, Any], *, wait: bool = False,
             on_wait: Callable[[dict[str, Any]], None] | None = None) -> Iterator[None]:
    """Hold the lock of `scope` on `home` for the block. Busy: raise `RunBusy` at once, or with `wait`
    call `on_wait(holder)` once and block until the holder ends (its process exiting ends it too)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock on Windows: runs there are not serialized
        yield
        return
    path = _lock_path(home, scope)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The file is never deleted: removing a lock file while another process waits on it splits the lock.
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = read_holder(home, scope)
            if not wait:
                raise RunBusy(scope, home, other) from None
            if on_wait is not None:
                on_wait(other)
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(holder))
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def run_locks(home: Path, scopes: list[str], holder: dict[str, Any], *, wait: bool = False,
              on_wait: Callable[[str, dict[str, Any]], None] | None = None) -> Iterator[None]:
    """`run_lock` of each scope in turn (see `lock_scopes` for the order); `on_wait(scope, holder)`."""
    with ExitStack() as held:
        for scope in scopes:
            held.enter_context(run_lock(home, scope, holder, wait=wait, on_wait=None if on_wait is None else
                                        (lambda other, scope=scope: on_wait(scope, other))))
        yield


# ------------------------------------------------------------------------------------ killed runs


def process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux `/proc/<pid>/stat` field 22), which tells
    a recycled pid from the original; None where /proc is missing or the process is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # after the command name, which may hold spaces


def process_alive(pid: int, started: str | None) -> bool:
    """The process `pid` exists and, when its start time was recorded and can be read, is the same one."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by another user
    now = process_start(pid)
    return not (started and now and now != started)


def launch_tags() -> dict[str, str]:
    """Tags that let a later run tell whether this one's process is still alive."""
    pid = os.getpid()
    return {TAG_LAUNCHED_BY: LAUNCHED_BY, TAG_HOST: socket.gethostname(), TAG_PID: str(pid),
            TAG_PID_START: process_start(pid) or ""}


def reap_dead_runs(instance: Any, alive: Callable[[int, str | None], bool] = process_alive) -> list[str]:
    """Report failed every run `toolflow run` launched on this host that is still STARTING/STARTED while
    its process is gone. Returns the ids marked failed."""
    import dagster as dg

    host = socket.gethostname()
    runs = instance.get_runs(filters=dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING],
        tags={TAG_LAUNCHED_BY: LAUNCHED_BY, TAG_HOST: host}))
    reaped = []
    for run in runs:
        try:
            pid = int(run.tags.get(TAG_PID, ""))
        except ValueError:
            continue  # no pid recorded: nothing to judge by
        if alive(pid, run.tags.get(TAG_PID_START) or None):
            continue
        instance.report_run_failed(run, message=f"The process of this run (pid {pid} on {host}) ended without "
                                   "finishing it (killed?); marked failed by the next `toolflow run`.")
        reaped.append(run.run_id)
    return reaped


# ------------------------------------------------------------------ runs launched elsewhere (UI, daemon)


def batch_runs_in_progress(instance: Any, batch: str) -> list[Any]:
    """Run records of `batch` that are starting or running on the instance, whoever launched them: the
    lock serializes `toolflow run`s on one machine only, and a run launched from the UI or the daemon (or a
    `toolflow run` on another machine sharing a PostgreSQL instance) writes the same partition."""
    import dagster as dg

    return list(instance.get_run_records(filters=dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED],
        tags={"dagster/partition": batch})))


def describe_run_record(record: Any) -> str:
    run = record.dagster_run
    started = record.start_time or record.create_timestamp.timestamp()
    launched = ("toolflow run, pid " + run.tags[TAG_PID] + " on " + run.tags.get(TAG_HOST, "?")
                if TAG_PID in run.tags else "launched from the UI or the daemon")
    return (f"run {run.run_id[:8]} ({run.job_name}, {launched}, started "
            f"{time.strftime('%H:%M:%S UTC', time.gmtime(started))}; if its process is gone, terminate it on its "
            "run page in the UI)")


def tool_runs_in_progress(instance: Any, tool_keys: set[Any], tool_jobs: set[str]) -> list[Any]:
    """Run records starting or running on the instance that write the tool stage: a run of a job that
    rebuilds it, or a run whose asset selection (a materialization from the UI) holds a tool asset."""
    import dagster as dg

    def writes_tools(run: Any) -> bool:
        if run.asset_selection:  # a subset of a job (the UI's "Materialize selected"): what it selected
            return bool(set(run.asset_selection) & tool_keys)
        return run.job_name in tool_jobs

    records = instance.get_run_records(filters=dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]))
    return [record for record in records if writes_tools(record.dagster_run)]


def wait_for_batch(instance: Any, batch: str, home: Path, *, wait: bool,
                   on_wait: Callable[[str], None] | None = None, poll_seconds: float = 2.0) -> None:
    """Return once no other run is generating `batch` on the instance. Busy: raise `RunBusy` naming the
    run, or with `wait` call `on_wait(description)` once and poll until it ends."""
    wait_for_runs(lambda: batch_runs_in_progress(instance, batch), f"batch {batch}", home, wait=wait,
                  on_wait=on_wait, poll_seconds=poll_seconds)


def wait_for_runs(find: Callable[[], list[Any]], scope: str, home: Path, *, wait: bool,
                  on_wait: Callable[[str], None] | None = None, poll_seconds: float = 2.0) -> None:
    """Return once `find()` finds no run in progress. Busy: raise `RunBusy` naming the first, or with
    `wait` call `on_wait(description)` once and poll until none is left."""
    told = False
    while records := find():
        who = describe_run_record(records[0])
        if not wait:
            raise RunBusy(scope, home, {}, who)
        if not told and on_wait is not None:
            on_wait(who)
            told = True
        time.sleep(poll_seconds)
