"""The whole pipeline on the `openai` backend, switched by configuration alone, as a user runs it:
`toolflow run --backend openai --base-url ...` against a real OpenAI-compatible server on 127.0.0.1.
A second run of the same batch finds every answer in the cache and makes zero HTTP requests, and the
API key never lands in any file the run writes (asset storage, caches, exports, the Dagster instance)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from openai_stub_server import StubServer

ROOT = Path(__file__).resolve().parents[2]
# A real part of the bundled corpus (BFCL's multi-turn APIs: file system, messages, posting, math...):
# tools that compose, small enough that two runs stay quick.
SOURCES = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"
PLANTED_KEY = "sk-planted-pipeline-0123456789abcdef"


@pytest.mark.slow
def test_toolflow_run_on_an_openai_compatible_server_then_a_warm_rerun_asks_nothing(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "TOOLFLOW_", "OPENAI_"))}
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
        cold = server.request_count
        assert cold > 0 and server.auth_headers == {f"Bearer {PLANTED_KEY}"}
        toolflow_run()
        assert server.request_count == cold  # the warm rerun was answered from the cache alone

    storage = tmp_path / ".toolflow" / "dagster_home" / "storage" / "assets"
    dialogues = pl.read_parquet(storage / "dialogues" / "batch-0001.parquet")
    assert set(dialogues["backend"]) == {"openai"} and set(dialogues["model"]) == {"stub-model"}
    assert (dialogues["status"] == "ok").sum() >= 6
    records = [json.loads(line) for line in (tmp_path / "out" / "train.jsonl").read_text().splitlines()]
    assert records and all(r["metadata"]["backend"] == "openai" for r in records)

    leaked = [str(p) for p in tmp_path.rglob("*") if p.is_file() and PLANTED_KEY.encode() in p.read_bytes()]
    assert not leaked, f"the API key was written to {leaked}"
