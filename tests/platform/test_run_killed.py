"""Runs killed mid-way (STARTED in the instance, their process gone) are marked failed on the next
`toolflow run` start, through Dagster's own `report_run_failed`.

Failure reproduced: a killed `toolflow run` stayed STARTED forever; the UI showed it running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import dagster as dg
from subprocess_env import clean_env

from toolflow_assets import cli
from toolflow_assets.run_guard import (LAUNCHED_BY, TAG_HOST, TAG_LAUNCHED_BY, TAG_PID, TAG_PID_START, launch_tags,
                                       process_start, reap_dead_runs)

ROOT = Path(__file__).resolve().parents[2]
SMALL_SOURCES = str(ROOT / "tests" / "fixtures" / "ingestion" / "formats")


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _started_run(instance: dg.DagsterInstance, tags: dict[str, str]) -> str:
    run_id = str(uuid.uuid4())
    instance.add_run(dg.DagsterRun(job_name="full_pipeline", run_id=run_id, status=dg.DagsterRunStatus.STARTED,
                                   tags=tags))
    return run_id


def test_only_toolflow_runs_of_this_host_whose_process_is_gone_are_marked_failed():
    instance = dg.DagsterInstance.ephemeral()
    mine = launch_tags()
    dead = _started_run(instance, {**mine, TAG_PID: str(_dead_pid()), TAG_PID_START: ""})
    recycled = _started_run(instance, {**mine, TAG_PID_START: str(int(process_start(os.getpid())) + 1)})
    alive = _started_run(instance, mine)  # this very process
    elsewhere = _started_run(instance, {**mine, TAG_HOST: "another-host", TAG_PID: str(_dead_pid())})
    from_the_ui = _started_run(instance, {})  # not ours to judge: Dagster's run monitoring's
    assert sorted(reap_dead_runs(instance)) == sorted([dead, recycled])
    status = {run_id: instance.get_run_by_id(run_id).status for run_id in (dead, recycled, alive, elsewhere,
                                                                             from_the_ui)}
    assert status == {dead: dg.DagsterRunStatus.FAILURE, recycled: dg.DagsterRunStatus.FAILURE,
                      alive: dg.DagsterRunStatus.STARTED, elsewhere: dg.DagsterRunStatus.STARTED,
                      from_the_ui: dg.DagsterRunStatus.STARTED}
    assert mine[TAG_LAUNCHED_BY] == LAUNCHED_BY


def test_a_killed_toolflow_run_is_marked_failed_by_the_next_one(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    env = clean_env()
    env.update(DAGSTER_HOME=str(home), PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "toolflow_assets.cli", "run", "--sources", SMALL_SOURCES, "--dialogues", "3",
               "--output", str(tmp_path / "out")]
    first = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True)
    line = ""
    while "ingest_tools ..." not in line:  # the run is recorded and a step is under way
        line = first.stdout.readline()
        assert line, "the first run ended before its first step"
    first.send_signal(signal.SIGKILL)
    first.wait()
    instance = dg.DagsterInstance.from_config(str(home))
    [killed] = instance.get_runs()
    assert killed.status == dg.DagsterRunStatus.STARTED  # what was left behind

    # The next run (its main function, here) marks it failed at its start, then goes on (it stops at a
    # missing source: fast). Its flags land in the environment: monkeypatch undoes them.
    for name in ("DAGSTER_HOME", "TOOLFLOW_SOURCES", "TOOLFLOW_OUTPUT_DIR", "TOOLFLOW_DIALOGUES"):
        monkeypatch.setenv(name, env.get(name, ""))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    cli.main(["run", "--sources", "/no/such/tools.json", "--output", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert f"Marked 1 run(s) failed whose process was gone (killed mid-way): {killed.run_id[:8]}" in out
    after = instance.get_run_by_id(killed.run_id)
    assert after.status == dg.DagsterRunStatus.FAILURE
    failure = instance.all_logs(killed.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    assert f"pid {first.pid}" in failure[-1].message
    instance.dispose()
