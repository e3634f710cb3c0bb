"""`toolflow run --writer llm` end to end against the stub server: the offline plans, the texts rewritten
by the model (one or two requests per dialogue), every text labelled with its writer, the dataset
exported, requests and tokens per kept dialogue in the dialogues asset's metadata; a rerun of the batch
asks the server nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from openai_stub_server import Faults, StubServer
from subprocess_env import clean_env

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"


@pytest.mark.slow
def test_toolflow_run_with_the_llm_writer_exports_model_written_dialogues(tmp_path):
    import dagster as dg

    env = clean_env()
    env.update(PYTHONPATH=str(ROOT))
    # One text per dialogue loses its values in every answer: it must come back as its template.
    with StubServer(Faults(writer_fault="lose_always")) as server:
        def toolflow_run() -> None:
            completed = subprocess.run(
                [sys.executable, "-m", "toolflow_assets.cli", "run", "--writer", "llm", "--model", "stub-model",
                 "--base-url", server.base_url, "--sources", str(SOURCES), "--dialogues", "6",
                 "--output", str(tmp_path / "out")],
                cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
            )
            assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]

        toolflow_run()
        roles, requests = server.roles(), server.request_count
        toolflow_run()  # the same batch again: every answer, repairs included, comes from the LLM cache
        assert server.request_count == requests
    assert set(roles) == {"writer", "judge"}  # the planner and the executor asked nothing; the judge is on

    home = tmp_path / ".toolflow" / "dagster_home"
    dialogues = pl.read_parquet(home / "storage" / "assets" / "dialogues" / "batch-0001.parquet")
    ok = dialogues.filter(pl.col("status") == "ok")
    assert ok.height >= 5 and set(ok["writer"]) == {"llm"} and set(ok["backend"]) == {"offline"}
    writer_requests = roles["writer"]
    assert writer_requests / ok.height <= 2  # the judge adds one request per dialogue that passed
    labels = [w["writer"] for text in ok["writers"].to_list() for w in json.loads(text)]
    assert labels.count("template-fallback") == ok.height and labels.count("llm") > labels.count("template-fallback")

    quality = pl.read_parquet(home / "storage" / "assets" / "dialogue_quality" / "batch-0001.parquet")
    failing = [r for reasons in quality.filter(pl.col("status") == "ok")["reasons"].to_list() for r in reasons
               if not r.startswith("not_duplicate")]
    assert not failing, failing  # the rewritten dialogues pass every per-dialogue check

    instance = dg.DagsterInstance.from_config(str(home))
    metadata = instance.get_latest_materialization_event(dg.AssetKey("dialogues")).asset_materialization.metadata
    per_kept = metadata["per_kept_dialogue"].value
    assert per_kept["kept"] == ok.height and 1 <= per_kept["requests"] <= 2 and per_kept["prompt_tokens"] > 0
    assert metadata["writer"].value == "llm" and metadata["texts_by_writer"].value["template-fallback"] == ok.height
    print("figures:", json.dumps({"dialogues_ok": ok.height, "http_requests": requests, "per_kept": per_kept,
                                  "texts_by_writer": metadata["texts_by_writer"].value}))

    records = (tmp_path / "out" / "dataset" / "train.jsonl").read_text().splitlines()
    assert records
    exported = " ".join(m.get("content") or "" for r in records for m in json.loads(r)["messages"])
    assert any(opener in exported for opener in ("So, ", "Okay, ", "Right, "))  # the stub writer's words
