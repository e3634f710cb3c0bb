"""One run per (DAGSTER_HOME, batch): a second `toolflow run` on the same batch refuses at once naming the
run in its way, or waits with `--wait`; other batches run side by side; a killed holder frees the lock. A run
of the batch launched from the UI or the daemon counts too, and the instance `toolflow` writes queues UI runs
one per batch.

Failure reproduced: overlapping runs on one batch left plans from one and dialogues from the other, with
no warning."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import dagster as dg
import pytest

from toolflow_assets import cli
from toolflow_assets.run_guard import RunBusy, run_lock
from environ_fixture import restored_environ  # noqa: F401 - a pytest fixture
from subprocess_env import clean_env

ROOT = Path(__file__).resolve().parents[2]
SMALL_SOURCES = str(ROOT / "tests" / "fixtures" / "ingestion" / "formats")

_HOLD = """import os, select, sys, time
from pathlib import Path
from toolflow_assets.run_guard import run_lock
home, scope, seconds = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
holder = {"run_id": "feedbeef-0000-holder", "pid": os.getpid(), "host": "here", "started": time.time()}
with run_lock(home, scope, holder):
    print("locked", flush=True)
    select.select([sys.stdin], [], [], seconds)  # until told to release (a line or EOF), at most `seconds`
"""


def _env(home: Path) -> dict[str, str]:
    env = clean_env()
    return {**env, "DAGSTER_HOME": str(home), "PYTHONPATH": str(ROOT)}


def _hold(home: Path, scope: str, seconds: float) -> subprocess.Popen:
    """Another process holding the lock of `scope` (through the same run_guard the CLI uses)."""
    process = subprocess.Popen([sys.executable, "-c", _HOLD, str(home), scope, str(seconds)], env=_env(home),
                               cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "locked"
    return process


def _toolflow(home: Path, tmp_path: Path, *flags: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "toolflow_assets.cli", "run", "--sources", SMALL_SOURCES,
                             "--dialogues", "3", "--output", str(tmp_path / "out"), *flags],
                            env=_env(home), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_run_on_a_busy_batch_refuses_at_once_naming_the_other(tmp_path):
    home = tmp_path / "home"
    holder = _hold(home, "batch batch-0001", 120)
    try:
        second = _toolflow(home, tmp_path, "--batch", "batch-0001")
        out, err = second.communicate(timeout=120)
        assert second.returncode == 3, out + err
        assert "batch batch-0001" in err and "run feedbeef" in err and f"pid {holder.pid}" in err
        assert "--wait" in err  # says how to queue instead
        assert "Running job" not in out  # refused before any stage
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_is_per_batch_and_a_killed_holder_frees_it(tmp_path):
    home = tmp_path / "home"
    holder = _hold(home, "batch batch-0001", 120)
    try:
        with run_lock(home, "batch batch-0002", {"run_id": "other"}):  # another batch: no wait
            pass
        with pytest.raises(RunBusy) as busy:
            with run_lock(home, "batch batch-0001", {"run_id": "mine"}):
                pass
        assert busy.value.holder["pid"] == holder.pid
    finally:
        holder.send_signal(signal.SIGKILL)  # no cleanup runs: the kernel drops the flock with the process
        holder.wait()
    with run_lock(home, "batch batch-0001", {"run_id": "mine"}):
        lock_file = home / ".toolflow-locks" / "batch-batch-0001.lock"
        assert json.loads(lock_file.read_text())["run_id"] == "mine"


def test_wait_queues_behind_the_holder_then_runs(tmp_path):
    home = tmp_path / "home"
    holder = _hold(home, "tools", 120)  # the tool stage's lock, which refresh_tools takes
    waiting = _toolflow(home, tmp_path, "--job", "refresh_tools", "--wait")
    seen = []
    while not any("Waiting for" in line for line in seen):
        seen.append(waiting.stdout.readline())
        assert seen[-1], waiting.stderr.read()
    assert "Waiting for run feedbeef" in seen[-1]
    time.sleep(1)
    assert waiting.poll() is None  # still queued while the holder lives
    holder.stdin.close()  # the holder ends, and with it its lock
    holder.wait(timeout=30)
    out, err = waiting.communicate(timeout=180)
    assert waiting.returncode == 0, out + err
    assert "Running job refresh_tools" in out and "succeeded" in out


@pytest.mark.slow
def test_two_real_runs_on_one_batch_and_one_on_another(tmp_path):
    home = tmp_path / "home"
    first = _toolflow(home, tmp_path, "--batch", "batch-0001")
    line = ""
    while "Running job" not in line:  # the first run holds its lock from here to its end
        line = first.stdout.readline()
        assert line, first.stderr.read()
    run_id = line.rsplit("run ", 1)[1].strip()
    same = _toolflow(home, tmp_path, "--batch", "batch-0001")
    # full_pipeline on another batch: its batch is free, but the tool stage is the first run's until it ends
    # (test_tools_lock.py), so it waits for that and no longer (a run of generate_batch would not wait at all)
    other = _toolflow(home, tmp_path, "--batch", "batch-0002", "--wait")
    same_out, same_err = same.communicate(timeout=300)
    other_out, other_err = other.communicate(timeout=300)
    first_out, first_err = first.communicate(timeout=300)
    assert same.returncode == 3 and f"run {run_id}" in same_err and f"pid {first.pid}" in same_err
    assert first.returncode == 0, first_out + first_err
    assert other.returncode == 0, other_out + other_err  # a different batch was never refused
    assert "to finish batch" not in other_out


# ------------------------------------------------------------------ runs launched from the UI or the daemon


def _ui_run_on(home: Path, batch: str, job: str = "generate_batch") -> tuple[dg.DagsterInstance, str]:
    """A run of `batch` STARTED on the instance by someone else (no toolflow tags: the UI, the daemon). A
    generate_batch run by default: a full_pipeline run also holds the tool stage, whatever the batch
    (test_tools_lock.py)."""
    home.mkdir(parents=True, exist_ok=True)
    instance = dg.DagsterInstance.from_config(str(home))
    run_id = str(uuid.uuid4())
    instance.add_run(dg.DagsterRun(job_name=job, run_id=run_id, status=dg.DagsterRunStatus.STARTED,
                                   tags={"dagster/partition": batch}))
    return instance, run_id


def _main(tmp_path: Path, *flags: str) -> int:
    # a missing source stops a run that did start at its first step: fast, and distinct from a refusal (3)
    return cli.main(["run", "--sources", "/no/such/tools.json", "--output", str(tmp_path / "out"), *flags])


def test_a_run_launched_from_the_ui_on_the_batch_is_waited_for_or_refused(tmp_path, restored_environ, capsys):
    home = tmp_path / "home"
    os.environ["DAGSTER_HOME"] = str(home)
    instance, run_id = _ui_run_on(home, "batch-0001")

    assert _main(tmp_path, "--batch", "batch-0001") == 3
    err = capsys.readouterr().err
    assert f"run {run_id[:8]} (generate_batch, launched from the UI or the daemon" in err and "--wait" in err
    assert _main(tmp_path, "--batch", "batch-0002") == 1  # another batch starts (and stops at the source)

    ended = threading.Timer(2.0, lambda: instance.report_run_failed(instance.get_run_by_id(run_id)))
    ended.start()
    started = time.monotonic()
    assert _main(tmp_path, "--batch", "batch-0001", "--wait") == 1  # it ran once the other run had ended
    assert time.monotonic() - started >= 2.0
    assert f"Waiting for run {run_id[:8]}" in capsys.readouterr().out
    instance.dispose()


def test_the_instance_toolflow_writes_queues_ui_runs_one_per_batch(tmp_path, restored_environ):
    os.environ["DAGSTER_HOME"] = str(tmp_path / "home")
    home, _ = cli.ensure_dagster_home()
    limits = dg.DagsterInstance.from_config(str(home)).get_concurrency_config().run_queue_config.tag_concurrency_limits
    assert limits == [{"key": "dagster/partition", "value": {"applyLimitPerUniqueValue": True}, "limit": 1},
                      {"key": "toolflow/writes", "value": "tools", "limit": 1}]
