"""Benchmark: batch runs through the daemon and the run queue, as a backfill runs them (issue 15).

For each `--concurrency` value C, in a fresh temporary DAGSTER_HOME (SQLite) whose dagster.yaml has the
QueuedRunCoordinator with `max_concurrent_runs: C` (and `--dequeue-interval`), it

1. materializes the tool catalog and graph once with `toolflow run --job refresh_tools` (untimed),
2. registers `--batches` batch partitions and starts `dagster-daemon run -m toolflow_assets.definitions`,
3. submits a backfill of `--job` (default `generate_batch`) over those batches with `dagster job backfill`,
   exactly as a person would, and waits until every run has finished,

then prints the wall time from the submission to the last run's end, runs/hour, the mean run duration
(start to end, from the run records), and how many runs succeeded. The daemon launches each run in its
own process (the DefaultRunLauncher), so every run pays a code-location import: this is the path that
the UI's backfills and a cluster take, not `toolflow run`'s in-process one.

    python benchmarks/batch_runs.py                                  # 2 batches x 60 dialogues, C=2
    python benchmarks/batch_runs.py --batches 6 --dialogues 300 --concurrency 1 2 4

Bounded by design (the defaults take about a minute on 2 cores); every child process is ended by its
process group when the benchmark ends, and `--timeout` caps each wait.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

DAGSTER_YAML = """\
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    dequeue_interval_seconds: {dequeue}
concurrency:
  runs:
    max_concurrent_runs: {runs}
  pools:
    default_limit: {runs}
    granularity: op
telemetry:
  enabled: false
"""


def _restore_sigint() -> None:
    # A non-interactive parent may leave SIGINT ignored; dagster's processes then ignore SIGTERM too.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _end_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _environment(folder: Path, dialogues: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DAGSTER_HOME": str(folder / "home"),
        "TOOLFLOW_STORAGE_DIR": str(folder / "storage"),
        "TOOLFLOW_OUTPUT_DIR": str(folder / "output"),
        "TOOLFLOW_DIALOGUES": str(dialogues),
        "TOOLFLOW_LLM_BACKEND": "offline",
        "PYTHONWARNINGS": "ignore",
        # This checkout's code, also for processes started from the venv's scripts (an editable install
        # elsewhere would otherwise win): lets the benchmark compare two checkouts with one venv.
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    })
    return env


def _python(code: str, env: dict[str, str], timeout: float) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"helper failed: {done.stderr[-2000:]}")
    return done.stdout


def _run_times(home: Path) -> list[dict]:
    """The backfill's runs and, after them, the dataset run that `dataset_after_batches` launches (its own
    asset selection, not a job): every run but the untimed refresh_tools. Read in this process, from an
    instance opened once: a poller that started Python and imported Dagster every second took about one
    CPU second per second from the runs it was timing (half of this machine)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        records = [r for r in instance.get_run_records() if r.dagster_run.job_name != "refresh_tools"]
        return [{"status": r.dagster_run.status.value, "start": r.start_time, "end": r.end_time,
                 "created": r.create_timestamp.timestamp(), "id": r.dagster_run.run_id,
                 "job": r.dagster_run.job_name} for r in records]


# Where a run's time goes: each step's seconds (STEP_START to its end) and the run's set-up (run start to
# the first step), from the event log.
STEP_TIMES = """
import json, dagster as dg
instance = dg.DagsterInstance.get()
kinds = {{dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE,
         dg.DagsterEventType.RUN_START, dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.RUN_FAILURE}}
out = {{}}
for run_id in {run_ids!r}:
    starts, steps, marks = {{}}, {{}}, {{}}
    for entry in instance.all_logs(run_id, of_type=kinds):
        event = entry.dagster_event
        if event.event_type == dg.DagsterEventType.STEP_START:
            starts[event.step_key] = entry.timestamp
        elif event.step_key:
            steps[event.step_key] = entry.timestamp - starts.get(event.step_key, entry.timestamp)
        else:
            marks[event.event_type.name] = entry.timestamp
    first = min(starts.values(), default=None)
    if first and "RUN_START" in marks:
        steps["(run start to first step)"] = first - marks["RUN_START"]
    out[run_id] = steps
print(json.dumps(out))
"""


def measure(concurrency: int, args: argparse.Namespace) -> dict[str, float | int]:
    folder = Path(tempfile.mkdtemp(prefix="toolflow-batch-runs-"))
    if args.keep:
        print(f"  instance and storage kept in {folder}", flush=True)
    try:
        return _measure_in(folder, concurrency, args)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def _measure_in(folder: Path, concurrency: int, args: argparse.Namespace) -> dict[str, float | int]:
    if True:
        (folder / "home").mkdir()
        (folder / "home" / "dagster.yaml").write_text(DAGSTER_YAML.format(dequeue=args.dequeue_interval,
                                                                           runs=concurrency))
        env = _environment(folder, args.dialogues)
        prepared = subprocess.run([str(BIN / "toolflow"), "run", "--job", "refresh_tools"], env=env, cwd=ROOT,
                                  capture_output=True, text=True, timeout=args.timeout)
        if prepared.returncode != 0:
            raise RuntimeError(f"refresh_tools failed: {prepared.stdout[-1500:]}{prepared.stderr[-1500:]}")
        batches = [f"batch-{i:04d}" for i in range(1, args.batches + 1)]
        _python("import dagster as dg; dg.DagsterInstance.get().add_dynamic_partitions('batch', "
                f"{batches!r})", env, args.timeout)

        import dagster  # noqa: F401 - the poller's import, before the clock starts

        cpu_before = _busy_cpu()
        daemon = subprocess.Popen([str(BIN / "dagster-daemon"), "run", "-m", "toolflow_assets.definitions"],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(folder / "daemon.log", "w"),
                                  start_new_session=True, preexec_fn=_restore_sigint)
        try:
            started = time.time()
            submitted = subprocess.run(
                [str(BIN / "dagster"), "job", "backfill", "-m", "toolflow_assets.definitions", "-j", args.job,
                 "--partitions", ",".join(batches), "--noprompt"],
                env=env, cwd=ROOT, capture_output=True, text=True, timeout=args.timeout)
            if submitted.returncode != 0:
                raise RuntimeError(f"backfill failed: {submitted.stderr[-2000:]}")
            deadline = started + args.timeout
            runs: list[dict] = []
            while time.time() < deadline:
                runs = _run_times(folder / "home")
                finished = [r for r in runs if r["status"] in ("SUCCESS", "FAILURE", "CANCELED")]
                dataset_runs = [r for r in runs if r["job"] != args.job]
                if len(runs) >= len(batches) + args.dataset_runs and len(finished) == len(runs) \
                        and len(dataset_runs) >= args.dataset_runs:
                    break
                time.sleep(1.0)
            else:
                raise RuntimeError(f"runs not finished within {args.timeout}s: {runs}")
        finally:
            _end_group(daemon)
        cpu = _busy_cpu() - cpu_before  # every process on the machine: the daemon, its code server, run workers
        if args.steps:
            _print_steps(json.loads(_python(STEP_TIMES.format(run_ids=[r["id"] for r in runs]), env, args.timeout)))
        last_end = max(r["end"] for r in runs)
        wall = last_end - started
        durations = [r["end"] - r["start"] for r in runs if r["start"] and r["end"]]
        return {
            "concurrency": concurrency,
            "runs": len(runs),
            "succeeded": sum(r["status"] == "SUCCESS" for r in runs),
            "seconds": round(wall, 1),
            "runs_per_hour": round(len(runs) * 3600 / wall, 1),
            "mean_run_seconds": round(sum(durations) / len(durations), 1) if durations else 0.0,
            "submit_seconds": round(min(r["created"] for r in runs) - started, 1),
            "cpu_seconds": round(cpu, 1),
        }


def _busy_cpu() -> float:
    """Busy CPU seconds of the whole machine so far (/proc/stat), so that run workers, which the daemon's
    code server starts and this process never reaps, are counted too; on an idle machine that is the
    backfill's cost. Elsewhere: this process's reaped children only."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        import resource

        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime


def _print_steps(per_run: dict[str, dict[str, float]]) -> None:
    steps: dict[str, list[float]] = {}
    for times in per_run.values():
        for step, seconds in times.items():
            steps.setdefault(step, []).append(seconds)
    print("    step seconds, mean (min-max) over runs:")
    for step, values in sorted(steps.items(), key=lambda item: -sum(item[1])):
        print(f"      {step:<46} {sum(values) / len(values):6.2f} ({min(values):.2f}-{max(values):.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=2, help="batch partitions to backfill (default 2)")
    parser.add_argument("--dialogues", type=int, default=60, help="dialogues per batch (default 60)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[2],
                        help="max_concurrent_runs values to measure, each in a fresh instance (default 2)")
    parser.add_argument("--job", default="generate_batch", help="the partitioned job to backfill")
    parser.add_argument("--dataset-runs", type=int, default=1,
                        help="dataset runs to wait for after the batch runs (default 1, the one that "
                        "dataset_after_batches launches; 0 for a job that builds the dataset itself)")
    parser.add_argument("--dequeue-interval", type=int, default=1,
                        help="seconds between the daemon's queue checks (dagster's default is 5)")
    parser.add_argument("--steps", action="store_true", help="also print where a run's time goes, per step")
    parser.add_argument("--keep", action="store_true", help="keep each temporary instance (to read its runs)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before giving up on one measurement")
    args = parser.parse_args(argv)

    print(f"{args.batches} batches x {args.dialogues} dialogues, job {args.job}, daemon + QueuedRunCoordinator "
          f"(dequeue every {args.dequeue_interval}s), {os.cpu_count()} CPUs")
    print(f"{'runs at once':>12} {'seconds':>8} {'runs/hour':>10} {'mean run s':>11} {'ok':>5} {'CPU s':>7} "
          f"{'load':>5}")
    failed = False
    for concurrency in args.concurrency:
        row = measure(concurrency, args)
        failed |= row["succeeded"] != row["runs"]
        print(f"{row['concurrency']:>12} {row['seconds']:>8} {row['runs_per_hour']:>10} "
              f"{row['mean_run_seconds']:>11} {row['succeeded']:>2}/{row['runs']} {row['cpu_seconds']:>7} "
              f"{os.getloadavg()[0]:>5.1f}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
