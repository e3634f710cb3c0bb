"""`toolflow run --planner llm --writer template` end to end against the stub server: the roles are chosen
independently, so the model plans every dialogue (one structured request per sample) and the template
writer voices those plans offline; the assets' metadata names each role, and the run's config (not the
environment) carries the choices."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from llm_fixtures import generator, make_samples, make_tools
from openai_stub_server import StubServer
from subprocess_env import clean_env

from toolflow_assets.planning.planner import make_planner

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"


@pytest.mark.slow
def test_toolflow_run_with_the_llm_planner_and_the_template_writer(tmp_path):
    import dagster as dg

    env = clean_env()
    env.update(PYTHONPATH=str(ROOT))
    with StubServer() as server:
        completed = subprocess.run(
            [sys.executable, "-m", "toolflow_assets.cli", "run", "--planner", "llm", "--writer", "template",
             "--model", "stub-model", "--base-url", server.base_url, "--sources", str(SOURCES),
             "--dialogues", "6", "--output", str(tmp_path / "out")],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
        )
        roles = server.roles()
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    # the model planned; the template writer and the simulated executor asked it nothing (the judge is on
    # whenever a role uses a server)
    assert roles["planner"] >= 1 and set(roles) <= {"planner", "judge"}, roles

    storage = tmp_path / ".toolflow" / "dagster_home" / "storage" / "assets"
    plans = pl.read_parquet(storage / "dialogue_plans" / "batch-0001.parquet")
    dialogues = pl.read_parquet(storage / "dialogues" / "batch-0001.parquet")
    planned = plans.filter((pl.col("status") == "ok") & pl.col("planned"))
    assert planned.height >= 1
    # the stub planner opens every plan with this greeting intent: the plans are the server's
    assert all("Say hello and explain the trip" in text for text in planned["plan"].to_list())
    ok = dialogues.filter(pl.col("status") == "ok")
    assert set(planned["plan_id"]) <= set(ok["plan_id"])  # each of the server's plans was voiced
    assert set(ok["backend"]) == {"offline"} and set(ok["writer"]) == {"template"}

    home = tmp_path / ".toolflow" / "dagster_home"
    instance = dg.DagsterInstance.from_config(str(home))
    plan_meta = instance.get_latest_materialization_event(dg.AssetKey("dialogue_plans")).asset_materialization.metadata
    dialogue_meta = instance.get_latest_materialization_event(dg.AssetKey("dialogues")).asset_materialization.metadata
    assert plan_meta["planner"].value == "llm" and plan_meta["model"].value == "stub-model"
    assert plan_meta["server_capabilities"].value["structured_output"] == "json_schema"
    assert dialogue_meta["writer"].value == "template" and dialogue_meta["executor"].value in ("simulated", "auto")
    run = instance.get_run_records()[0].dagster_run
    assert run.run_config["resources"]["llm"]["config"]["planner"] == "llm"  # recorded with the run


def test_the_openai_agents_write_the_offline_planners_plans(tmp_path):
    """The other way round (`--planner offline --backend openai`): plans with the offline planner's
    features (distractors offered, clarifications, chat turns) are voiced by the model's agents."""
    tools = make_tools()
    plans = [r.plan for r in make_planner("offline").plan_many(make_samples(tools, 6), tools, 7)]
    assert all(plans)
    with StubServer() as server:
        dialogues = generator(server, tmp_path).generate_many(plans, tools, 7)
        roles = server.roles()
    assert "planner" not in roles and roles["user"] >= len(plans)  # nothing was planned by the model
    assert [d.plan_id for d in dialogues] == [p.plan_id for p in plans]
    assert all(d.status == "ok" for d in dialogues), [d.error for d in dialogues]
    assert {d.provenance.backend for d in dialogues} == {"openai"}
