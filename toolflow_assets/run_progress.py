"""How `toolflow run` runs a job and what it prints meanwhile: the run starts in a thread of this process,
and its Dagster events are read as they come, so each step is said when it starts and ends (with the rows
it wrote and its checks), then the outcome, the root cause of a failure (run_summary.py), the batch and the
files the run wrote.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from dagster import DagsterEventType

from resources.settings import default_storage_dir

from .partitions import BATCH_PARTITIONS_NAME
from .run_guard import launch_tags
from .run_origin import create_located_run, execute_located_run
from .run_summary import files_written_since, root_cause, step_failure_text


def run_and_report(instance: Any, job_name: str, steps: list[str], run_id: str, batch: str | None, *,
                   verbose: bool = False, resource_config: dict[str, Any] | None = None) -> int:
    """Run `job_name` (its `steps`, for the count) on `instance` as run `run_id`, print each step as it
    happens, then the outcome; the exit status: 0 when the run succeeded, else 1."""
    print(f"Running job {job_name} ({len(steps)} steps)" + (f" for batch {batch}" if batch else "")
          + f", run {run_id[:8]}")
    started = time.monotonic()
    started_wall = time.time()

    outcome: dict[str, Any] = {}

    def execute() -> None:
        try:
            # Created with workspace.yaml's code location as its origin (run_origin.py): the UI files it
            # under the job, in the Overview timeline and the job's runs, like a run launched there.
            recon_job, run = create_located_run(
                instance, job_name, run_id=run_id, partition_key=batch,
                # Dagster's console log prints every failure with its stack trace: --verbose only.
                run_config={"loggers": {"console": {"config": {
                    "log_level": "WARNING" if verbose else "CRITICAL"}}},
                    **({"resources": resource_config} if resource_config else {})},
                tags=launch_tags(),  # host and pid: a later run can tell that this one's process is gone
            )
            outcome["result"] = execute_located_run(instance, recon_job, run)
        except Exception as error:  # noqa: BLE001 - reported below, with the run's own failure events
            outcome["error"] = error

    worker = threading.Thread(target=execute, daemon=True)
    worker.start()
    seen = 0
    step_started: dict[str, float] = {}
    done_count = 0
    while True:
        finished = not worker.is_alive()
        records = instance.all_logs(run_id)
        new_records, seen = records[seen:], len(records)
        for record in new_records:
            event = record.dagster_event
            if event is None:
                continue
            step = record.step_key or ""
            if event.event_type == DagsterEventType.STEP_START:
                step_started[step] = record.timestamp
                print(f"  [{done_count + 1}/{len(steps)}] {step} ...", flush=True)
            elif event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
                mat = event.event_specific_data.materialization
                rows = mat.metadata.get("dagster/row_count")
                shown = f"{rows.value:,} rows" if rows is not None else "written"
                print(f"        {mat.asset_key.to_user_string()}: {shown}", flush=True)
            elif event.event_type == DagsterEventType.STEP_SUCCESS:
                done_count += 1
                took = record.timestamp - step_started.get(step, record.timestamp)
                print(f"  [{done_count}/{len(steps)}] {step} done in {took:.1f} s", flush=True)
            elif event.event_type == DagsterEventType.STEP_FAILURE:
                done_count += 1
                print(f"  [{done_count}/{len(steps)}] {step} FAILED: {step_failure_text(event.event_specific_data)}",
                      flush=True)
            elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
                check = event.event_specific_data
                status = "passed" if check.passed else "FAILED"
                print(f"        check {check.asset_check_key.name} on {check.asset_key.to_user_string()}: {status}")
        if finished:
            break
        time.sleep(0.5)

    elapsed = time.monotonic() - started
    if "error" in outcome:
        print(f"\nRun could not start or crashed: {outcome['error']}", file=sys.stderr)
        return 1
    result = outcome["result"]
    output_dir = Path(os.environ.get("TOOLFLOW_OUTPUT_DIR") or "output").resolve()
    print(f"\nRun {run_id[:8]} {'succeeded' if result.success else 'FAILED'} in {elapsed:.1f} s")
    if not result.success:
        for line in root_cause(instance.all_logs(run_id)) or ["see the run's logs (--verbose, or toolflow ui)"]:
            print(f"  failed: {line}")
    if batch:
        batches = instance.get_dynamic_partitions(BATCH_PARTITIONS_NAME)
        count = f"{len(batches)} batch" + ("es" if len(batches) != 1 else "")
        print(f"  batch:          {batch} ({count} in the dataset; `toolflow run --new-batch` adds one)")
        if result.success and job_name == "generate_batch":
            print("  dataset:        not rebuilt by generate_batch: `toolflow run --job build_dataset` (or the "
                  "daemon's dataset_after_batches sensor) builds it from every batch")
    print(f"  asset storage:  {Path(default_storage_dir()).resolve() / 'assets'}")
    written = files_written_since(output_dir, started_wall)  # never what an earlier run left there
    print(f"  outputs:        {output_dir}" + ("" if written else " (this run wrote none)"))
    for path in written:
        print(f"                  {path.relative_to(output_dir)} ({path.stat().st_size:,} bytes)")
    print("  see it in the UI: toolflow ui   (then open http://127.0.0.1:3000)")
    return 0 if result.success else 1
