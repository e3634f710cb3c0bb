"""End to end: `toolflow run --sources <BFCL multi-turn docs> --executor python` with no LLM exports dialogues
whose every environment result equals a replay on fresh bfcl-eval environments built from the initial
states the dialogues record, and at least 90% of the planned calls of environment tools ran without an
environment error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from subprocess_env import clean_env

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
from ci_parts import import_part  # noqa: E402

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
BFCL_DOCS = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"
INSTALL = "bfcl-eval is not installed: .venv/bin/pip install --no-deps bfcl-eval==2026.3.23 mpmath"


def test_toolflow_run_with_the_python_executor_exports_results_that_replay(tmp_path: Path) -> None:
    import_part("bfcl_eval.eval_checker.multi_turn_eval.func_source_code.gorilla_file_system", INSTALL)
    from toolflow_assets.execution.python_env import environment_of
    from toolflow_assets.execution.python_replay import replay
    from toolflow_assets.tools import tools_from_frame

    env = clean_env()
    env["PYTHONPATH"] = str(ROOT)
    completed = subprocess.run(
        [sys.executable, "-m", "toolflow_assets.cli", "run", "--sources", str(BFCL_DOCS), "--executor", "python",
         "--dialogues", "60", "--output", "out", "--seed", "5"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=400)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]

    home = tmp_path / ".toolflow" / "dagster_home"
    assets = home / "storage" / "assets"
    dialogues = pl.read_parquet(assets / "dialogues" / "batch-0001.parquet")
    plans = pl.read_parquet(assets / "dialogue_plans" / "batch-0001.parquet")
    catalog = {tool.name: tool for tool in tools_from_frame(pl.read_parquet(assets / "tool_catalog.parquet"))}
    assert set(dialogues["executor"]) == {"python"}

    planned = sum(1 for text in plans.filter(pl.col("status") == "ok")["plan"].to_list()
                  for turn in json.loads(text)["turns"] for call in turn["calls"]
                  if environment_of(catalog[call["tool"]]) is not None)
    entries = [e for text in dialogues["executions"].to_list() for e in json.loads(text) if e.get("environment")]
    assert planned > 100 and sum(e["status"] == "ok" for e in entries) / planned >= 0.9

    by_id = {row["dialogue_id"]: row for row in dialogues.iter_rows(named=True)}
    exported = [json.loads(line) for name in ("train.jsonl", "validation.jsonl")
                for line in (tmp_path / "out" / "dataset" / name).read_text().splitlines()]
    compared = 0
    for record in exported:
        row = by_id[record["metadata"]["dialogue_id"]]
        executions = json.loads(row["executions"])
        replayed = replay(json.loads(row["messages"]), executions)
        # the export renames call ids; tool messages keep their order, which is the executions' order
        answers = [m for m in record["messages"] if m["role"] == "tool"]
        assert len(answers) == len(executions)
        for message, entry in zip(answers, executions):
            if entry.get("environment"):
                assert json.loads(message["content"]) == replayed[entry["tool_call_id"]], entry
                compared += 1
    assert compared > 50

    # real results are judged by what their docs declare: a status text in send_message's `message`, the
    # message id and MathAPI's numbers as the declared types (before, a fifth of these dialogues failed here)
    quality = pl.read_parquet(assets / "dialogue_quality" / "batch-0001.parquet")
    assert quality["result_consistency"].all() and quality["tool_responses"].all(), \
        [r for r in quality["reasons"].to_list() if r]
    # `toolflow check` reads the export without the return docs, and judges it as the pipeline did: every
    # exported dialogue passed dialogue_quality, so every exported record passes the linter
    from toolflow_assets.quality.lint import lint_files

    verdicts = lint_files([tmp_path / "out" / "dataset" / name for name in ("train.jsonl", "validation.jsonl")])
    assert len(verdicts) == len(exported) and all(v.passed for v in verdicts), \
        [v.reasons for v in verdicts if not v.passed][:5]
    # the report says who produced the tool messages, as the dialogues' executions do
    report = json.loads((tmp_path / "out" / "synthesis_report.json").read_text())
    by_executor = report["generation"]["tool_messages"]
    # (a failure outside the call is the python executor's too, though no class ran it: faults.py)
    injected = [e for text in dialogues["executions"].to_list() for e in json.loads(text) if e.get("injected")]
    assert injected and all(e["status"] == "error" and not e.get("environment") for e in injected)
    assert sum(n for key, n in by_executor.items() if key.startswith("python:")) == len(entries) + len(injected)

    instance = dg.DagsterInstance.from_config(str(home))
    metadata = instance.get_latest_materialization_event(dg.AssetKey("dialogues")).asset_materialization.metadata
    counts = metadata["executions"].value
    assert metadata["executor"].value == "python" and counts["executed"] == len(entries) and counts["fallback"] > 0
