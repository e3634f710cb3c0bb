"""The whole pipeline on the `openai` backend, switched by configuration alone, as a user runs it:
`toolflow run --backend openai --base-url ...` against a real OpenAI-compatible server on 127.0.0.1.
A second run of the same batch finds every final answer in the cache and asks again only for the items
that ended as failures (their answers are not cached as final, issue 14), and the API key never lands in any file the run writes (asset storage, caches, exports, the Dagster instance)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from openai_stub_server import StubServer
from subprocess_env import clean_env

ROOT = Path(__file__).resolve().parents[2]
# A real part of the bundled corpus (BFCL's multi-turn APIs: file system, messages, posting, math...):
# tools that compose, small enough that two runs stay quick.
SOURCES = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"
PLANTED_KEY = "sk-planted-pipeline-0123456789abcdef"


@pytest.mark.slow
def test_toolflow_run_on_an_openai_compatible_server_then_a_warm_rerun_asks_only_for_failures(tmp_path):
    env = clean_env()
    env.update(PYTHONPATH=str(ROOT), OPENAI_API_KEY=PLANTED_KEY)

    with StubServer() as server:
        def toolflow_run():
            completed = subprocess.run(
                [sys.executable, "-m", "toolflow_assets.cli", "run", "--backend", "openai", "--model", "stub-model",
                 "--base-url", server.base_url, "--sources", str(SOURCES), "--dialogues", "8", "--output", str(tmp_path / "out")],
                cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
            )
            assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
            return completed.stdout

        toolflow_run()
        cold = list(server.records)
        assert cold and server.auth_headers == {f"Bearer {PLANTED_KEY}"}
        toolflow_run()
        rerun = server.records[len(cold):]

    storage = tmp_path / ".toolflow" / "dagster_home" / "storage" / "assets"
    plans = pl.read_parquet(storage / "dialogue_plans" / "batch-0001.parquet")
    failed_plans = plans.filter(pl.col("status") != "ok").height
    # The stub's planner answers some samples with fields the tools do not return: those plans fail after
    # the first answer and two repairs. Only those three requests per failed plan are asked again (the
    # stub answers them the same way); everything that succeeded came from the cache.
    assert len(rerun) == 3 * failed_plans
    assert {r.body_hash for r in rerun} <= {r.body_hash for r in cold}
    dialogues = pl.read_parquet(storage / "dialogues" / "batch-0001.parquet")
    assert set(dialogues["backend"]) == {"openai"} and set(dialogues["model"]) == {"stub-model"}
    assert (dialogues["status"] == "ok").sum() >= 6
    # the tool results are the llm executor's (the openai backend's default), labelled per tool message, and
    # the dialogues asset's metadata counts its work as for `--executor llm` (the rerun's: from the cache)
    ok = dialogues.filter(pl.col("status") == "ok")
    assert set(ok["executor"]) == {"llm"}
    entries = [e for row in ok["executions"].to_list() for e in json.loads(row)]
    assert entries and all(e["executor"] == "llm:stub-model" or "fallback" in e for e in entries)
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(tmp_path / ".toolflow" / "dagster_home"))
    metadata = instance.get_latest_materialization_event(dg.AssetKey("dialogues")).asset_materialization.metadata
    counts = metadata["executions"].value
    assert metadata["executor"].value == "llm" and counts["failed"] == 0
    assert counts["answered"] + counts["filled"] + counts["simulated"] >= len(entries)
    assert counts["requests"] == len([r for r in cold if r.role == "executor" and r.outcome == "ok"])
    records = [json.loads(line) for line in (tmp_path / "out" / "dataset" / "train.jsonl").read_text().splitlines()]
    assert records and all(r["metadata"]["backend"] == "openai" for r in records)

    leaked = [str(p) for p in tmp_path.rglob("*") if p.is_file() and PLANTED_KEY.encode() in p.read_bytes()]
    assert not leaked, f"the API key was written to {leaked}"


URL_KEY = "PLANTED-url-key-9876543210fedcba"


@pytest.mark.slow
def test_toolflow_run_against_a_llama_cpp_python_like_server_with_a_key_in_the_url(tmp_path):
    """Issue 10's acceptance run, on the stub: a server that answers json_schema with HTTP 500 (as
    llama-cpp-python does) fails no plan with server_error and costs one refused probe for the whole run;
    the negotiated mode is in the asset metadata; and the key in the base URL (userinfo and query)
    is written nowhere: not in the Dagster instance, asset storage, caches, exports or the output."""
    import dagster as dg
    from openai_stub_server import llama_cpp_python_faults

    env = clean_env()
    env.update(PYTHONPATH=str(ROOT), OPENAI_API_KEY=PLANTED_KEY)
    with StubServer(llama_cpp_python_faults()) as server:
        host = server.base_url.split("//", 1)[1]
        url = f"http://svc:{URL_KEY}@{host}?api-key={URL_KEY}"
        completed = subprocess.run(
            [sys.executable, "-m", "toolflow_assets.cli", "run", "--backend", "openai", "--model", "stub-model",
             "--base-url", url, "--sources", str(SOURCES), "--dialogues", "6", "--output", str(tmp_path / "out")],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
        )
        outcomes, paths = server.outcomes(), set(server.paths)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert any(URL_KEY in path for path in paths)  # the key was really used, so its absence below counts

    home = tmp_path / ".toolflow" / "dagster_home"
    plans = pl.read_parquet(home / "storage" / "assets" / "dialogue_plans" / "batch-0001.parquet")
    errors = [e for e in plans["error"].to_list() if e]
    assert plans.height > 0 and not any("server_error" in e for e in errors), errors
    # One refused json_schema probe for the whole run (its steps share what was learned); nothing retried.
    assert set(outcomes) <= {"ok", "rejected"} and outcomes["rejected"] == 1, outcomes

    instance = dg.DagsterInstance.from_config(str(home))
    event = instance.get_latest_materialization_event(dg.AssetKey("dialogue_plans"))
    capabilities = event.asset_materialization.metadata["server_capabilities"].value
    assert capabilities["structured_output"] == "json_object"
    assert capabilities["response_format.json_schema"] == "rejected"

    output = completed.stdout + completed.stderr
    leaked = [str(p) for p in tmp_path.rglob("*") if p.is_file() and URL_KEY.encode() in p.read_bytes()]
    assert URL_KEY not in output and not leaked, f"the URL's key was written to {leaked or 'the output'}"
