"""Issue 15, item 1: a batch run launched the way the daemon launches it runs every step in one process.

Before, the per-batch job used the multiprocess executor: a process per step (4 assets, 4 checks, the
dataset assets), each re-importing the code location and each great-expectations check re-importing
great-expectations, so a run was mostly start-up. Here the jobs are executed as a run worker executes
them (`execute_job` on a reconstructable job, with the job's own executor, in a fresh process and a
fresh DAGSTER_HOME), and the process ids recorded on the steps' events are compared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WORKER = textwrap.dedent("""
    import json
    import dagster as dg
    from dagster import DagsterEventType

    def refresh_tools():
        from toolflow_assets.definitions import defs
        return defs.resolve_job_def("refresh_tools")

    def generate_batch():
        from toolflow_assets.definitions import defs
        return defs.resolve_job_def("generate_batch")

    if __name__ == "__main__":
        instance = dg.DagsterInstance.get()
        instance.add_dynamic_partitions("batch", ["batch-0001"])
        report = {}
        for name, job, tags in [("refresh_tools", refresh_tools, {}),
                                ("generate_batch", generate_batch, {"dagster/partition": "batch-0001"})]:
            with dg.execute_job(dg.reconstructable(job), instance=instance, tags=tags) as result:
                steps = {r.step_key: r.dagster_event.pid for r in instance.all_logs(result.run_id)
                         if r.dagster_event and r.dagster_event.event_type == DagsterEventType.STEP_START}
                report[name] = {"success": result.success, "steps": steps}
        print("REPORT " + json.dumps(report))
""")


@pytest.mark.slow
def test_batch_job_runs_every_step_in_the_run_process(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER)
    env = {**os.environ, "DAGSTER_HOME": str(home), "TOOLFLOW_STORAGE_DIR": str(tmp_path / "storage"),
           "TOOLFLOW_OUTPUT_DIR": str(tmp_path / "output"), "TOOLFLOW_DIALOGUES": "6",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(worker)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    report = json.loads(lines[-1][len("REPORT "):])

    batch = report["generate_batch"]
    assert batch["success"]
    # the batch assets and their great-expectations checks are all among the steps...
    assert {"tool_subgraphs", "dialogue_plans", "dialogues", "dialogue_quality"} <= set(batch["steps"])
    assert any(key.endswith("_integrity") for key in batch["steps"]), batch["steps"]
    # ...and all ran in one process: no per-step interpreter, no per-check great-expectations import.
    assert len(set(batch["steps"].values())) == 1, batch["steps"]
    assert report["refresh_tools"]["success"] and len(set(report["refresh_tools"]["steps"].values())) == 1
