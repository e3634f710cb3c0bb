"""`toolflow run` end to end, as a new user runs it: no DAGSTER_HOME, a fresh folder."""

import subprocess
import sys
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from subprocess_env import clean_env

from toolflow_assets.cli import build_parser
from toolflow_assets.definitions import defs

ROOT = Path(__file__).resolve().parents[2]


def test_run_help_explains_the_common_flags():
    help_text = build_parser()._subparsers._group_actions[0].choices["run"].format_help()
    for flag in ("--sources", "--output", "--dialogues", "--backend", "--seed", "--batch", "--new-batch"):
        assert flag in help_text


@pytest.mark.slow
def test_toolflow_run_records_every_stage_in_a_project_local_instance(tmp_path):
    env = clean_env()
    env["PYTHONPATH"] = str(ROOT)

    def toolflow_run(*flags):
        completed = subprocess.run(
            [sys.executable, "-m", "toolflow_assets.cli", "run", "--dialogues", "24", "--output",
             str(tmp_path / "out"), "--seed", "3", *flags],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed.stdout

    first = toolflow_run()
    home = tmp_path / ".toolflow" / "dagster_home"
    assert f"Dagster instance: {home}" in first
    assert "for batch batch-0001" in first and "succeeded" in first

    instance = dg.DagsterInstance.from_config(str(home))
    runs = instance.get_runs()
    assert len(runs) == 1 and runs[0].job_name == "full_pipeline"
    assert runs[0].tags["dagster/partition"] == "batch-0001"
    expected = set(defs.resolve_asset_graph().materializable_asset_keys)
    materialized = {key for key in expected if instance.get_latest_materialization_event(key) is not None}
    assert materialized == expected
    curated_one = pl.read_parquet(home / "storage" / "assets" / "curated_dialogues.parquet")

    # A second batch grows the dataset: the curated table combines both batches.
    second = toolflow_run("--new-batch")
    assert "Added batch partition batch-0002" in second
    assert sorted(instance.get_dynamic_partitions("batch")) == ["batch-0001", "batch-0002"]
    curated_both = pl.read_parquet(home / "storage" / "assets" / "curated_dialogues.parquet")
    assert set(curated_both["batch"]) == {"batch-0001", "batch-0002"}
    assert curated_both.filter(pl.col("batch") == "batch-0001")["dialogue_id"].sort().equals(
        curated_one["dialogue_id"].sort())
    assert curated_both["dialogue_id"].is_unique().all()

    # generate_batch stops at the batch's checks; build_dataset then takes every batch into the dataset.
    third = toolflow_run("--job", "generate_batch", "--new-batch")
    assert "for batch batch-0003" in third and "not rebuilt by generate_batch" in third
    curated = home / "storage" / "assets" / "curated_dialogues.parquet"
    assert set(pl.read_parquet(curated)["batch"]) == {"batch-0001", "batch-0002"}
    toolflow_run("--job", "build_dataset")
    assert set(pl.read_parquet(curated)["batch"]) == {"batch-0001", "batch-0002", "batch-0003"}
    assert [run.job_name for run in instance.get_runs(limit=2)] == ["build_dataset", "generate_batch"]
    instance.dispose()


@pytest.mark.parametrize("flags", [["--dialogues", "0"], ["--concurrency", "-1"], ["--timeout", "0"],
                                   ["--batch", "x", "--new-batch"]])
def test_bad_run_flags_are_refused_with_a_message(flags, capsys):
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["run", *flags])
    assert stopped.value.code == 2
    assert "error:" in capsys.readouterr().err
