"""The Helm values queue one run per batch, as deploy/dagster.yaml does (issue 14).

Failure reproduced: deploy/dagster.yaml limited the run queue to one run per batch (a tag limit on
`dagster/partition`, per value), but the Helm values had no such limit, so on Kubernetes two runs of one
batch ran at once and mixed their plans and dialogues.

The chart (dagster/dagster 1.13, templates/helpers/instance/_concurrency.tpl) reads
`concurrency.runs.tagConcurrencyLimits`, a list of {key, value, limit} (its schema forbids other fields;
`value` is a string or a mapping, passed through as written), and renders it as the instance's
`concurrency: runs: tag_concurrency_limits`. It fails when the queued run coordinator's
`tagConcurrencyLimits` is set as well. `_render_runs` below does what that template does, and Dagster
itself then reads the rendered instance config.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _values() -> dict:
    return yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())


def _render_runs(runs: dict) -> dict:
    """The chart's `runs:` block of the instance's `concurrency:` section, from the values' `runs`."""
    rendered: dict = {}
    if runs.get("maxConcurrentRuns") is not None:
        rendered["max_concurrent_runs"] = runs["maxConcurrentRuns"]
    limits = runs.get("tagConcurrencyLimits") or []
    if limits:
        rendered["tag_concurrency_limits"] = [
            {"key": str(item["key"]), **({"value": item["value"]} if item.get("value") else {}),
             "limit": item["limit"]} for item in limits]
    return rendered


def test_the_helm_values_limit_runs_per_batch_like_the_instance_file():
    values = _values()
    limits = values["concurrency"]["runs"]["tagConcurrencyLimits"]
    for item in limits:  # the chart's schema: these fields only, an int limit
        assert set(item) <= {"key", "value", "limit"} and isinstance(item["limit"], int), item
    instance_runs = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())["concurrency"]["runs"]
    assert _render_runs(values["concurrency"]["runs"]) == instance_runs, \
        "deploy/dagster.yaml and helm/values.yaml disagree on the run queue's limits"
    assert {"key": "dagster/partition", "value": {"applyLimitPerUniqueValue": True}, "limit": 1} in \
        instance_runs["tag_concurrency_limits"]
    queued = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert not queued.get("tagConcurrencyLimits") and queued.get("maxConcurrentRuns") is None  # the chart fails


def test_dagster_reads_the_rendered_limit_as_one_run_per_batch(tmp_path):
    values = _values()
    queued = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    instance_yaml = {
        "run_coordinator": {"module": "dagster.core.run_coordinator", "class": "QueuedRunCoordinator",
                            "config": {"dequeue_interval_seconds": queued["dequeueIntervalSeconds"]}},
        "concurrency": {"runs": _render_runs(values["concurrency"]["runs"])},
        "telemetry": {"enabled": False},
    }
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(instance_yaml))
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    try:
        queue = instance.get_concurrency_config().run_queue_config
        assert queue.max_concurrent_runs == values["concurrency"]["runs"]["maxConcurrentRuns"]
        assert queue.tag_concurrency_limits == [
            {"key": "dagster/partition", "value": {"applyLimitPerUniqueValue": True}, "limit": 1},
            {"key": "toolflow/writes", "value": "tools", "limit": 1}]
    finally:
        instance.dispose()
