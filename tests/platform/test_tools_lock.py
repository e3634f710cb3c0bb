"""One rebuild of the tool stage at a time per DAGSTER_HOME: `refresh_tools` and `full_pipeline` (on any
batch) both rewrite the one tool catalog and graph, so they take a `tools` lock beside their batch lock; a
second one refuses at once naming the holder, or waits with `--wait`. A run launched from the UI or the
daemon that writes the tool stage counts too. `generate_batch` only reads the graph and is not held up.

Failure reproduced (issue 14): the lock was per batch only, so `refresh_tools` and `full_pipeline`, or two
`full_pipeline`s on different batches, rebuilt the catalog and graph at the same time."""

from __future__ import annotations

import os
import uuid

import dagster as dg
import pytest
from test_run_lock import _hold, _main, _toolflow, _ui_run_on

from environ_fixture import restored_environ  # noqa: F401 - a pytest fixture
from toolflow_assets.definitions import defs
from toolflow_assets.run_guard import TOOLS_SCOPE, tool_runs_in_progress, tool_stage


def test_a_tool_rebuild_on_another_batch_refuses_while_the_tool_stage_is_held(tmp_path, restored_environ, capsys):
    home = tmp_path / "home"
    os.environ["DAGSTER_HOME"] = str(home)
    holder = _hold(home, TOOLS_SCOPE, 120)  # e.g. a full_pipeline on batch-0001, in another process
    try:
        for flags in (["--batch", "batch-0002"], ["--job", "refresh_tools"]):
            assert _main(tmp_path, *flags) == 3, flags
            out, err = capsys.readouterr()
            assert "the tool stage" in err and "run feedbeef" in err and f"pid {holder.pid}" in err
            assert "--wait" in err and "another batch" not in err  # another batch would not help
            assert "Running job" not in out
        # generate_batch reads the graph only: it starts (and stops at its missing input), never refused
        assert _main(tmp_path, "--job", "generate_batch", "--batch", "batch-0003") == 1
        assert "Running job generate_batch" in capsys.readouterr().out
    finally:
        holder.kill()
        holder.wait()


def test_a_ui_run_that_writes_the_tool_stage_holds_it_too(tmp_path, restored_environ, capsys):
    home = tmp_path / "home"
    os.environ["DAGSTER_HOME"] = str(home)
    instance, run_id = _ui_run_on(home, "batch-0001", job="full_pipeline")
    try:
        assert _main(tmp_path, "--batch", "batch-0002") == 3
        err = capsys.readouterr().err
        assert f"run {run_id[:8]} (full_pipeline, launched from the UI or the daemon" in err
        assert "the tool stage" in err
        assert _main(tmp_path, "--job", "generate_batch", "--batch", "batch-0002") == 1  # not a tool writer
    finally:
        instance.dispose()


def test_which_runs_in_progress_write_the_tool_stage():
    tool_keys, tool_jobs = tool_stage(defs)
    assert {"refresh_tools", "full_pipeline"} <= tool_jobs and "generate_batch" not in tool_jobs
    with dg.instance_for_test() as instance:
        def started(job: str, selection: set[dg.AssetKey] | None = None) -> str:
            run_id = str(uuid.uuid4())
            instance.add_run(dg.DagsterRun(job_name=job, run_id=run_id, status=dg.DagsterRunStatus.STARTED,
                                           asset_selection=frozenset(selection) if selection else None))
            return run_id

        writers = {started("refresh_tools"), started("__ASSET_JOB", {dg.AssetKey("tool_graph")})}
        started("generate_batch")
        started("__ASSET_JOB", {dg.AssetKey("dialogues")})  # the UI materializing a later stage only
        instance.add_run(dg.DagsterRun(job_name="full_pipeline", run_id=str(uuid.uuid4()),
                                       status=dg.DagsterRunStatus.SUCCESS))  # over: holds nothing
        found = {record.dagster_run.run_id for record in tool_runs_in_progress(instance, tool_keys, tool_jobs)}
        assert found == writers


@pytest.mark.slow
def test_refresh_tools_and_a_full_pipeline_never_overlap(tmp_path):
    home = tmp_path / "home"
    refresh = _toolflow(home, tmp_path, "--job", "refresh_tools", "--wait")
    full = _toolflow(home, tmp_path, "--batch", "batch-0002", "--wait")
    for process in (refresh, full):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, out + err
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        records = sorted(instance.get_run_records(), key=lambda record: record.start_time)
        assert sorted(record.dagster_run.job_name for record in records) == ["full_pipeline", "refresh_tools"]
        first, second = records
        assert first.end_time <= second.start_time  # one after the other, whichever won the lock
    finally:
        instance.dispose()
