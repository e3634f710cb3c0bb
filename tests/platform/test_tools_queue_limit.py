"""Runs launched from the UI, schedules and sensors rebuild the tool stage one at a time (issue 14).

Failure reproduced: the run queue limited runs per batch only; refresh_tools has no batch, so a scheduled
refresh_tools and a sensor's full_pipeline could rebuild one catalog and graph at once (`toolflow run`
had its own tools lock, the queue had nothing). Every job that materializes a tool-stage asset now tags
its runs, and every instance config the project ships lets one run with that tag in at a time.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import yaml

from schedules.jobs import WRITES_TOOLS_TAG
from toolflow_assets import cli
from toolflow_assets.definitions import defs

ROOT = Path(__file__).resolve().parents[2]
TOOL_LIMIT = {"key": "toolflow/writes", "value": "tools", "limit": 1}


def test_exactly_the_jobs_that_write_the_tool_stage_carry_the_tag():
    tool_assets = {dg.AssetKey(name) for name in ("tool_catalog", "tool_quarantine", "tool_graph")}
    for job in defs.resolve_all_job_defs():
        if job.name.startswith("__"):
            continue
        writes_tools = bool(tool_assets & set(job.asset_layer.executable_asset_keys))
        tagged = job.run_tags.get("toolflow/writes") == WRITES_TOOLS_TAG["toolflow/writes"]
        assert tagged == writes_tools, job.name


def test_every_shipped_instance_config_queues_one_tool_rebuild_at_a_time(tmp_path):
    shipped = yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text())["concurrency"]["runs"]
    helm = yaml.safe_load((ROOT / "deploy" / "helm" / "values.yaml").read_text())["concurrency"]["runs"]
    local = yaml.safe_load(cli.DAGSTER_YAML)["concurrency"]["runs"]
    assert TOOL_LIMIT in shipped["tag_concurrency_limits"]
    assert TOOL_LIMIT in helm["tagConcurrencyLimits"]
    assert TOOL_LIMIT in local["tag_concurrency_limits"]
    (tmp_path / "dagster.yaml").write_text(cli.DAGSTER_YAML)
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    try:
        assert TOOL_LIMIT in instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
    finally:
        instance.dispose()
