"""The synthesis report says who produced the tool messages (issue 11): by executor (and environment or
server) and status, over every dialogue of the run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export"))

from export_fixtures import batch  # noqa: E402

from toolflow_assets.export.report import build_report, report_markdown  # noqa: E402
from toolflow_assets.quality.evaluate import evaluate_dialogues  # noqa: E402


def test_the_report_counts_tool_messages_by_executor_and_status() -> None:
    dialogues, plans, catalog = batch(graph=4, random=2, failed=0)
    quality = evaluate_dialogues(dialogues, plans, catalog)
    executed = [{"tool_call_id": "a", "name": "cat", "executor": "python:GorillaFileSystem", "status": "ok"},
                {"tool_call_id": "b", "name": "mv", "executor": "python:GorillaFileSystem", "status": "error"}]
    simulated = [{"tool_call_id": "c", "name": "search", "executor": "simulated", "status": "ok"}]
    marked = dialogues.with_columns(
        pl.Series("executions", [json.dumps(executed if i % 2 else simulated) for i in range(dialogues.height)]),
        pl.lit("auto").alias("executor"))
    generation = build_report(marked, quality)["generation"]
    odd = dialogues.height // 2
    assert generation["executors"] == ["auto"]
    assert generation["tool_messages"] == {"python:GorillaFileSystem/error": odd, "python:GorillaFileSystem/ok": odd,
                                           "simulated/ok": dialogues.height - odd}
    page = report_markdown(build_report(marked, quality))
    assert f"python:GorillaFileSystem/ok {odd}" in page and "- executor(s): auto; " in page
