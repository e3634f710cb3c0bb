"""`toolflow run` end to end, as a new user runs it: no DAGSTER_HOME, a fresh folder."""

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from toolflow_assets.cli import build_parser
from toolflow_assets.definitions import defs

ROOT = Path(__file__).resolve().parents[2]


def test_run_help_explains_the_common_flags():
    help_text = build_parser()._subparsers._group_actions[0].choices["run"].format_help()
    for flag in ("--sources", "--output", "--dialogues", "--backend", "--seed"):
        assert flag in help_text


@pytest.mark.slow
def test_toolflow_run_records_every_stage_in_a_project_local_instance(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "TOOLFLOW_"))}
    env["PYTHONPATH"] = str(ROOT)
    completed = subprocess.run(
        [sys.executable, "-m", "toolflow_assets.cli", "run", "--dialogues", "24", "--output", str(tmp_path / "out"),
         "--seed", "3"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    home = tmp_path / ".toolflow" / "dagster_home"
    assert f"Dagster instance: {home}" in completed.stdout
    assert "succeeded" in completed.stdout

    instance = dg.DagsterInstance.from_config(str(home))
    runs = instance.get_runs()
    assert len(runs) == 1 and runs[0].job_name == "full_pipeline"
    expected = set(defs.resolve_asset_graph().materializable_asset_keys)
    materialized = {key for key in expected if instance.get_latest_materialization_event(key) is not None}
    assert materialized == expected
    instance.dispose()
