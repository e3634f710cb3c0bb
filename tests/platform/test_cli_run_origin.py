"""A `toolflow run` belongs to the job of workspace.yaml's code location, as a run launched in the UI does.

Failure reproduced (issue 14, item 7): the CLI executed the job with `execute_in_process`, whose run record
has no remote origin; the UI (which files a run under a job by its `<repository>@<location>` label) left
CLI runs out of the Overview timeline and the job's run history, and linked their target to
`/guess/full_pipeline`. Checked through Dagster itself: the origin the workspace file loads, and the
webserver's GraphQL schema (dagster_graphql) over a workspace loaded from workspace.yaml.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
from subprocess_env import clean_env
from webserver_helpers import LOCATION, REPOSITORY, REPOSITORY_SELECTOR

from toolflow_assets.definitions import defs

ROOT = Path(__file__).resolve().parents[2]
SMALL_SOURCES = str(ROOT / "tests" / "fixtures" / "ingestion" / "formats")

JOB_RUNS = """
query JobRuns($selector: PipelineSelector!) {
  pipelineOrError(params: $selector) {
    __typename
    ... on Pipeline { runs { runId } }
  }
}
"""

# What the Overview timeline asks for and how it places a run: by its repository origin and job name.
RUNS = """
query Runs($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    ... on Runs { results { runId pipelineName repositoryOrigin { repositoryLocationName repositoryName } } }
  }
}
"""


def _toolflow_run(home: Path, tmp_path: Path) -> str:
    env = clean_env()
    env.update(DAGSTER_HOME=str(home), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "toolflow_assets.cli", "run", "--sources", SMALL_SOURCES,
                           "--dialogues", "3", "--output", str(tmp_path / "out")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.slow
def test_a_cli_run_is_in_the_job_history_of_the_workspace_location(tmp_path, monkeypatch):
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import WorkspaceFileTarget
    from dagster_graphql.test.utils import execute_dagster_graphql

    home = tmp_path / "home"
    out = _toolflow_run(home, tmp_path)
    assert "succeeded" in out and "for batch batch-0001" in out

    instance = dg.DagsterInstance.from_config(str(home))
    try:
        (run,) = instance.get_runs()
        (workspace_origin,) = WorkspaceFileTarget(paths=[str(ROOT / "workspace.yaml")]).create_origins()
        assert run.remote_job_origin is not None
        assert run.remote_job_origin.repository_origin.code_location_origin == workspace_origin
        assert run.remote_job_origin.location_name == LOCATION == workspace_origin.location_name
        assert run.remote_job_origin.repository_origin.repository_name == REPOSITORY
        assert run.tags["dagster/partition"] == "batch-0001"  # what execute_in_process added is kept
        # A run without an origin, as the CLI used to record, for contrast: the UI cannot place it.
        stray = instance.create_run_for_job(defs.resolve_job_def("full_pipeline"))

        monkeypatch.chdir(ROOT)  # workspace.yaml's working_directory is relative to the current folder
        with WorkspaceProcessContext(instance, WorkspaceFileTarget(paths=["workspace.yaml"])) as process:
            context = process.create_request_context()
            history = execute_dagster_graphql(context, JOB_RUNS, {
                "selector": {**REPOSITORY_SELECTOR, "pipelineName": "full_pipeline"}})
            listed = execute_dagster_graphql(context, RUNS, {"filter": {"pipelineName": "full_pipeline"}})
        assert history.errors is None, history.errors
        assert [r["runId"] for r in history.data["pipelineOrError"]["runs"]] == [run.run_id]
        by_id = {r["runId"]: r for r in listed.data["runsOrError"]["results"]}
        assert by_id[run.run_id]["repositoryOrigin"] == REPOSITORY_SELECTOR
        assert by_id[stray.run_id]["repositoryOrigin"] is None  # the `/guess/...` link
    finally:
        instance.dispose()
