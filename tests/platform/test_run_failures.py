"""Clear failures: a stage that failed wholesale keeps the batch's last good version, and `toolflow run`
ends with the root cause and top reasons in a line or two (stack traces only with --verbose), listing
only the output files this run wrote.

Failures reproduced: a dead LLM server replaced a good batch with 5 failed rows and the run ended with
"1 blocking asset check failed" (the cause only in a stored table); a missing source path was buried in
86 lines with two stack traces; the output list named files an earlier run had left."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from upath import UPath

from batch_helpers import batch_instance, materialize_batch
from resources import LLMResource, ParquetIOManager, ToolflowSettings
from toolflow_assets import cli
from toolflow_assets.failures import reason_chain, top_reasons, wholesale_failure
from toolflow_assets.generation.assets import dialogues
from toolflow_assets.partitions import batch_partitions
from toolflow_assets.planning.assets import dialogue_plans
from toolflow_assets.run_summary import files_written_since, root_cause, step_failure_text
from toolflow_assets.tools import CATALOG_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "generation"


@dg.asset(name="tool_catalog")
def stub_tool_catalog() -> pl.DataFrame:
    return pl.DataFrame(json.loads((FIXTURES / "tools.json").read_text()), schema=CATALOG_SCHEMA)


@dg.asset(name="tool_subgraphs", partitions_def=batch_partitions)
def stub_tool_subgraphs() -> pl.DataFrame:
    return pl.DataFrame(json.loads((FIXTURES / "samples.json").read_text())[:6])


ASSETS = [stub_tool_catalog, stub_tool_subgraphs, dialogue_plans, dialogues]


@pytest.fixture
def dead_server():
    """An LLM resource aimed at a port that refuses connections, retries off (each request fails at once)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield LLMResource(backend="openai", model="m", max_retries=0,
                      base_url=f"http://127.0.0.1:{sock.getsockname()[1]}/v1")
    sock.close()


def _resources(tmp_path: Path, llm: LLMResource) -> dict:
    return {"llm": llm, "settings": ToolflowSettings(seed=5, storage_dir=str(tmp_path)),
            "io_manager": ParquetIOManager(base_path=UPath(tmp_path / "assets"))}


def _stored(tmp_path: Path) -> dict[str, bytes]:
    return {name: (tmp_path / "assets" / name / "batch-0001.parquet").read_bytes()
            for name in ("dialogue_plans", "dialogues")}


# ------------------------------------------------------------------ a wholesale failure keeps the batch


def test_a_dead_server_never_replaces_the_last_good_version_of_a_batch(tmp_path, dead_server):
    instance = batch_instance()
    assert materialize_batch(ASSETS, instance=instance, resources=_resources(tmp_path, LLMResource())).success
    good = _stored(tmp_path)
    good_plans = pl.read_parquet(tmp_path / "assets" / "dialogue_plans" / "batch-0001.parquet")

    # Planning against the dead server: every plan fails, the step raises before anything is written.
    result = materialize_batch(ASSETS, instance=instance, resources=_resources(tmp_path, dead_server),
                               raise_on_error=False)
    assert not result.success
    assert _stored(tmp_path) == good
    [cause] = root_cause(instance.all_logs(result.run_id))
    planned = good_plans.filter(pl.col("planned")).height  # the ablation's improvised plans need no server
    assert 0 < planned < 6
    assert cause.startswith(f"dialogue_plans: all {planned} plans failed, so the batch's stored plans are kept")
    assert f"top reasons: connection_error ×{planned}" in cause and "127.0.0.1" in cause
    # what the server was found to accept travels with the failure (the UI shows it on the failed step)
    [failure] = [record.dagster_event for record in instance.all_logs(result.run_id)
                 if record.dagster_event and record.dagster_event.is_step_failure]
    assert "server_capabilities" in failure.event_specific_data.user_failure_data.metadata

    # Dialogues from the stored good plans, against the dead server: every dialogue fails, same rule.
    result = dg.materialize(ASSETS, selection=["dialogues"], partition_key="batch-0001", instance=instance,
                            resources=_resources(tmp_path, dead_server), raise_on_error=False)
    assert not result.success
    assert _stored(tmp_path) == good
    assert root_cause(instance.all_logs(result.run_id))[0].startswith("dialogues: all 6 dialogues failed")
    materialized = instance.fetch_materializations(dg.AssetKey("dialogues"), limit=10).records
    assert len(materialized) == 1  # only the good run's


@pytest.mark.parametrize("statuses, planned, wholesale", [
    (["failed", "failed"], [True, True], True),
    (["failed", "ok"], [True, True], False),
    (["failed", "ok"], [True, False], True),  # only an improvised plan (made offline) succeeded
    ([], [], False),
])
def test_wholesale_means_not_one_item_of_the_backend_succeeded(statuses, planned, wholesale):
    frame = pl.DataFrame({"status": statuses, "planned": planned,
                          "error": ["timeout: no answer" if s == "failed" else None for s in statuses]},
                         schema={"status": pl.String, "planned": pl.Boolean, "error": pl.String})
    assert (wholesale_failure(frame, "plans", among="planned") is not None) == wholesale


def test_top_reasons_count_the_innermost_code_with_one_detail():
    errors = ["no_plan: connection_error: Connection error. (http://127.0.0.1:9/v1) (gave up after 5 attempts)"] * 3
    errors += ["timeout: no answer from http://h/v1 within 60 s", "plain text failure"]
    assert reason_chain(errors[0]) == ("connection_error", "Connection error. (http://127.0.0.1:9/v1)")
    assert top_reasons(errors, limit=2) == ("connection_error ×3 (Connection error. (http://127.0.0.1:9/v1)), "
                                            "timeout ×1 (no answer from http://h/v1 within 60 s), and 1 other reason")


# ------------------------------------------------------------------ the root cause, read from real events


@dg.asset
def dialogue_quality() -> int:
    return 4


@dg.asset_check(asset=dialogue_quality, name="pass_rate", blocking=True)  # named as the product's check
def dialogue_quality_pass_rate() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=False, metadata={
        "pass_rate": 0.0, "min_pass_rate": 0.5, "failures_by_check": {"grounding": 3, "schema": 1, "structure": 4}})


@dg.asset(deps=[dialogue_quality])
def curated() -> int:
    return 1


@dg.asset
def broken_source() -> int:
    try:
        raise KeyError("inner")
    except KeyError as error:
        raise ValueError("tool source path does not exist: /x") from error


def test_a_failed_blocking_check_is_named_with_its_measure_and_top_reasons():
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize_to_memory([dialogue_quality, curated, dialogue_quality_pass_rate], instance=instance,
                                      raise_on_error=False)
    assert not result.success
    records = instance.all_logs(result.run_id)
    assert root_cause(records) == [
        "pass_rate on dialogue_quality: pass rate 0.00 < 0.50; top reasons: structure ×4, "
        "grounding ×3, schema ×1"]
    # the step's own progress line names the check, not Dagster's "1 blocking asset check failed ..." wrapper
    [failure] = [r.dagster_event for r in records if r.dagster_event and r.dagster_event.is_step_failure]
    assert step_failure_text(failure.event_specific_data) == \
        "blocking check failed: dialogue_quality: pass_rate"


def test_a_step_error_is_named_by_its_own_class_and_message_not_dagsters_wrapper():
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize_to_memory([broken_source], instance=instance, raise_on_error=False)
    assert root_cause(instance.all_logs(result.run_id)) == [
        "broken_source: ValueError: tool source path does not exist: /x"]


@dg.asset
def never_made() -> pl.DataFrame:
    return pl.DataFrame({"x": [1]})


@dg.asset
def reads_it(never_made: pl.DataFrame) -> pl.DataFrame:
    return never_made


def test_an_input_never_materialized_is_named_not_dagsters_load_wrapper(tmp_path):
    """`toolflow run --job generate_batch` on a fresh home ended with 'DagsterExecutionLoadInputError: Error
    occurred while loading input "tool_catalog"...': the IO manager's own message says what to do."""
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([never_made, reads_it], selection=[reads_it], instance=instance, raise_on_error=False,
                            resources={"io_manager": ParquetIOManager(base_path=UPath(tmp_path))})
    [cause] = root_cause(instance.all_logs(result.run_id))
    assert cause.startswith("reads_it: FileNotFoundError: No stored value for asset never_made at ")
    assert cause.endswith(": materialize it first")


def test_only_files_written_since_the_start_are_listed(tmp_path):
    (tmp_path / "dataset").mkdir()
    old = [tmp_path / "old_report.md", tmp_path / "dataset" / "train.jsonl"]
    for path in old:
        path.write_text("earlier run")
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    started = time.time()
    new = [tmp_path / "synthesis_report.md", tmp_path / "dataset" / "manifest.json"]
    for path in new:
        path.write_text("this run")
    (tmp_path / ".hidden.tmp").write_text("x")
    assert files_written_since(tmp_path, started) == sorted(new)


# ------------------------------------------------------------------ through the CLI's main function


@pytest.fixture
def restored_environ(monkeypatch, tmp_path):
    """`toolflow run` writes its flags into the environment (for the run's resources): undone afterwards."""
    saved = dict(os.environ)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    yield
    os.environ.clear()
    os.environ.update(saved)


def _toolflow(tmp_path: Path, capfd, *flags: str) -> tuple[int, str, str]:
    code = cli.main(["run", "--sources", "/no/such/tools.json", "--output", str(tmp_path / "out"), *flags])
    out, err = capfd.readouterr()
    return code, out, err


def test_toolflow_run_ends_with_the_root_cause_and_no_stack_trace(tmp_path, capfd, restored_environ):
    (tmp_path / "out").mkdir()
    stale = tmp_path / "out" / "synthesis_report.md"
    stale.write_text("an earlier run's report")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    code, out, err = _toolflow(tmp_path, capfd)
    assert code == 1
    assert "  failed: ingest_tools: SourceNotFound: tool source path does not exist: /no/such/tools.json" in out
    assert "Stack Trace" not in out + err and "Traceback" not in out + err
    assert len((out + err).splitlines()) <= 12  # was 86 lines with two stack traces
    assert "synthesis_report.md" not in out and "(this run wrote none)" in out

    code, out, err = _toolflow(tmp_path, capfd, "--verbose")
    assert code == 1 and "Stack Trace" in err
