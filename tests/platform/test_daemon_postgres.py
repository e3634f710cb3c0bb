"""The daemon path on PostgreSQL, as a platform team runs it: the shipped instance config (deploy/dagster.yaml:
QueuedRunCoordinator, run and pool limits), `dagster-daemon run` draining the queue, a webserver for the
UI's GraphQL, and run workers launched as their own processes.

- a 3-batch backfill of `generate_batch` with the `llm` pool set to 1: every run succeeds, and the event log
  shows no two LLM steps (dialogue_plans, dialogues) of any runs in flight at the same time; then the
  `dataset_after_batches` sensor launches one dataset run, after the last batch run has ended;
- a run whose LLM server is down fails in its LLM step; with the server back, "re-execute from failure"
  (the UI's button, through GraphQL and the queue) runs only the failed steps and what follows, and succeeds.

Small on purpose: 4 dialogues per batch against the test's OpenAI-compatible stub (tests/llm), which answers
after a short latency so that each run's LLM steps last long enough for the runs to contend for the pool.
Needs PostgreSQL and dagster-postgres like test_postgres.py (skips without them, fails under `CI`).
Every process started here runs in its own process group and is stopped by its PID, with bounded waits.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from subprocess_env import clean_env
from test_postgres import DEPLOY_YAML, _run_cli, postgres  # noqa: F401 - `postgres` is the server fixture
from webserver_helpers import (
    REPOSITORY_SELECTOR,
    Webserver,
    failure_summary,
    free_port,
    stop_process_group,
    wait_for_run,
    wait_until_ready,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))
from openai_stub_server import Faults, StubServer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BATCHES = ["batch-0001", "batch-0002", "batch-0003"]
RETRIED_BATCH = "batch-0004"
LLM_STEPS = {"dialogue_plans", "dialogues"}  # the assets in the `llm` pool
RUN_WAIT_S = 300

LAUNCH_RUN = """
mutation LaunchRun($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on Error { message }
  }
}
"""

BACKFILL = """
mutation Backfill($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on Error { message }
  }
}
"""

# The stub's canned answers make dialogues that the quality rules often reject: this test is about the
# platform, so the pass-rate floor (blocking) is off and the judge is not asked.
LENIENT = {"ops": {"dialogue_quality_pass_rate": {"config": {"min_pass_rate": 0.0}},
                   "dialogue_quality": {"config": {"judge": False}}}}

REEXECUTE = """
mutation Reexecute($params: ReexecutionParams!) {
  launchPipelineReexecution(reexecutionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on Error { message }
  }
}
"""


@dataclass
class Platform:
    env: dict[str, str]
    home: Path
    webserver: Webserver
    llm: StubServer


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=open(log, "wb"),  # noqa: SIM115
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=lambda: __import__("signal").signal(2, 0))  # SIGINT back to default


@pytest.fixture(scope="module")
def platform(postgres, tmp_path_factory) -> Iterator[Platform]:  # noqa: F811 - the imported fixture
    tmp = tmp_path_factory.mktemp("daemon")
    llm = StubServer(Faults(latency=0.4))
    llm.start()
    home = tmp / "dagster_home"
    home.mkdir()
    shutil.copyfile(DEPLOY_YAML, home / "dagster.yaml")  # the shipped file; only the environment differs
    env = clean_env()
    env.update(postgres.env, DAGSTER_HOME=str(home), TOOLFLOW_STORAGE_DIR=str(tmp / "storage"),
               TOOLFLOW_OUTPUT_DIR=str(tmp / "out"), TOOLFLOW_DIALOGUES="4", TOOLFLOW_LLM_BACKEND="openai",
               OPENAI_BASE_URL=llm.base_url, TOOLFLOW_LLM_MODEL="stub-model", TOOLFLOW_LLM_CONCURRENCY="1",
               OPENAI_API_KEY="test-key", PYTHONUNBUFFERED="1", PYTHONWARNINGS="ignore",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))

    # The documented way to size the pool (deploy/README.md): stored in PostgreSQL, over the file's default.
    limited = _run_cli([str(BIN / "dagster"), "instance", "concurrency", "set", "llm", "1"], env, tmp, 120)
    assert limited.returncode == 0, limited.stdout
    tools = _run_cli([str(BIN / "toolflow"), "run", "--job", "refresh_tools"], env, tmp, 300)
    assert tools.returncode == 0, tools.stdout[-4000:]
    added = _run_cli([sys.executable, "-c", "import dagster as dg; dg.DagsterInstance.get()"
                      f".add_dynamic_partitions('batch', {[*BATCHES, RETRIED_BATCH]!r})"], env, tmp, 120)
    assert added.returncode == 0, added.stdout

    daemon = _start([str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"], env, tmp / "daemon.log")
    port = free_port()
    web = _start([str(BIN / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
                 env, tmp / "webserver.log")
    server = Webserver(process=web, port=port, home=home, log_path=tmp / "webserver.log", tmp=tmp)
    try:
        wait_until_ready(server, 180)
        yield Platform(env=env, home=home, webserver=server, llm=llm)
    finally:
        for process in (web, daemon):  # each leads its own group: the run workers the daemon started too
            stop_process_group(process, grace=10)
        llm.stop()


@pytest.fixture(scope="module")
def instance(platform, postgres):  # noqa: F811
    import dagster as dg

    saved = {name: os.environ.get(name) for name in postgres.env}
    os.environ.update(postgres.env)
    instance = dg.DagsterInstance.from_config(str(platform.home))
    try:
        yield instance
    finally:
        instance.dispose()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _step_intervals(instance, run_id: str) -> dict[str, tuple[float, float | None, str]]:
    """step key → (start, end, how it ended) from the run's event log."""
    import dagster as dg

    starts, ends = {}, {}
    for entry in instance.all_logs(run_id, of_type={dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS,
                                                    dg.DagsterEventType.STEP_FAILURE}):
        event = entry.dagster_event
        if event.event_type == dg.DagsterEventType.STEP_START:
            starts[event.step_key] = entry.timestamp
        else:
            ends[event.step_key] = (entry.timestamp, event.event_type_value)
    return {key: (start, *ends.get(key, (None, "unfinished"))) for key, start in starts.items()}


def _wait_for_runs(instance, count: int, tag: tuple[str, str], timeout: float):
    import dagster as dg

    deadline = time.monotonic() + timeout
    records = []
    while time.monotonic() < deadline:
        records = instance.get_run_records(dg.RunsFilter(tags={tag[0]: tag[1]}))
        if len(records) >= count and all(r.dagster_run.is_finished for r in records):
            return [r.dagster_run for r in records]
        time.sleep(1.0)
    raise AssertionError(f"{len(records)} of {count} runs, not all finished after {timeout:.0f} s: "
                         f"{[(r.dagster_run.run_id[:8], r.dagster_run.status.value) for r in records]}")


@pytest.mark.slow
def test_a_backfill_runs_through_the_queue_with_one_llm_step_at_a_time(platform, instance):
    import dagster as dg

    # The UI's "Launch backfill": the daemon's backfill loop submits one run per batch to the queue.
    submitted = platform.webserver.graphql(BACKFILL, {"params": {
        "selector": {"partitionSetName": "generate_batch_partition_set", "repositorySelector": REPOSITORY_SELECTOR},
        "partitionNames": BATCHES, "runConfigData": json.dumps(LENIENT)}})["launchPartitionBackfill"]
    assert submitted["__typename"] == "LaunchBackfillSuccess", submitted
    backfill_id = submitted["backfillId"]
    runs = _wait_for_runs(instance, len(BATCHES), ("dagster/backfill", backfill_id), RUN_WAIT_S)

    assert sorted(run.tags["dagster/partition"] for run in runs) == BATCHES
    assert all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs), [
        (run.run_id[:8], run.status.value, failure_summary(platform.webserver, run.run_id)) for run in runs]

    llm_steps = sorted((start, end, run.run_id[:8], key) for run in runs
                       for key, (start, end, _) in _step_intervals(instance, run.run_id).items() if key in LLM_STEPS)
    assert len(llm_steps) == 2 * len(BATCHES), llm_steps
    assert all(end is not None for _, end, _, _ in llm_steps)
    for (_, end, run_a, key_a), (start, _, run_b, key_b) in zip(llm_steps, llm_steps[1:]):
        assert end <= start, f"{run_a}:{key_a} ended at {end}, after {run_b}:{key_b} started at {start}"
    # ...and that was the pool's doing: LLM steps of other runs were ready and waited for the slot
    waits = [entry for run in runs for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
             if "blocked by limit for pool llm" in (entry.user_message or "")]
    assert waits, f"no LLM step waited for the pool; the runs did not contend: {llm_steps}"
    assert platform.llm.request_count > 0

    # The batch runs build no dataset; the dataset_after_batches sensor builds it once, after the last batch.
    [dataset_run] = _wait_for_runs(instance, 1, ("dagster/sensor_name", "dataset_after_batches"), RUN_WAIT_S)
    assert dataset_run.status == dg.DagsterRunStatus.SUCCESS, failure_summary(platform.webserver, dataset_run.run_id)
    assert dataset_run.asset_selection == {dg.AssetKey(n) for n in ("curated_dialogues", "dataset_export",
                                                                    "synthesis_report")}
    last_batch_end = max(instance.get_run_record_by_id(run.run_id).end_time for run in runs)
    assert instance.get_run_record_by_id(dataset_run.run_id).start_time >= last_batch_end


@pytest.mark.slow
def test_a_failed_run_is_re_executed_from_failure_through_the_queue(platform, instance):
    import dagster as dg

    port = free_port()
    down = {"backend": "openai", "base_url": f"http://127.0.0.1:{port}/v1", "model": "stub-model",
            "max_retries": 0, "timeout_seconds": 10.0}
    launched = platform.webserver.graphql(LAUNCH_RUN, {"executionParams": {
        "selector": {**REPOSITORY_SELECTOR, "jobName": "generate_batch"},
        "runConfigData": json.dumps({**LENIENT, "resources": {"llm": {"config": down}}}),
        "executionMetadata": {"tags": [{"key": "dagster/partition", "value": RETRIED_BATCH}]},
    }})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    parent_id = launched["run"]["runId"]
    parent = wait_for_run(platform.webserver, parent_id, RUN_WAIT_S)
    assert parent["status"] == "FAILURE", parent  # nothing listens on the LLM server's port
    parent_steps = _step_intervals(instance, parent_id)
    assert parent_steps["tool_subgraphs"][2] == "STEP_SUCCESS"
    failed = {key for key, (_, _, how) in parent_steps.items() if how == "STEP_FAILURE"}
    assert failed & LLM_STEPS, parent_steps

    with StubServer(port=port) as stub:  # the LLM server is back
        again = platform.webserver.graphql(REEXECUTE, {"params": {"parentRunId": parent_id,
                                                                  "strategy": "FROM_FAILURE"}})
        again = again["launchPipelineReexecution"]
        assert again["__typename"] == "LaunchRunSuccess", again
        child_id = again["run"]["runId"]
        child = wait_for_run(platform.webserver, child_id, RUN_WAIT_S)
        assert child["status"] == "SUCCESS", failure_summary(platform.webserver, child_id)
        assert stub.request_count > 0

    child_run = instance.get_run_by_id(child_id)
    assert child_run.parent_run_id == parent_id and child_run.root_run_id == parent_id
    assert child_run.tags["dagster/partition"] == RETRIED_BATCH
    child_steps = _step_intervals(instance, child_id)
    assert "tool_subgraphs" not in child_steps  # it succeeded before: not run again
    assert failed <= set(child_steps)
    assert all(how == "STEP_SUCCESS" for _, _, how in child_steps.values()), child_steps
    materialized = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey("dialogues"), asset_partitions=[RETRIED_BATCH]), limit=1)
    assert materialized.records[0].run_id == child_id
