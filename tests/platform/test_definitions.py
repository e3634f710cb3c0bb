"""The code location loads, and reads as the pipeline."""

import dagster as dg

from toolflow_assets.definitions import defs

PIPELINE = [
    ("tool_catalog", "ingestion"),
    ("tool_quarantine", "ingestion"),
    ("tool_graph", "graph"),
    ("tool_subgraphs", "sampling"),
    ("dialogue_plans", "planning"),
    ("dialogues", "dialogues"),
    ("dialogue_quality", "quality"),
    ("curated_dialogues", "dataset"),
    ("dataset_export", "dataset"),
    ("synthesis_report", "dataset"),
]


def test_definitions_load_with_every_stage():
    graph = defs.resolve_asset_graph()
    for key, group in PIPELINE:
        node = graph.get(dg.AssetKey(key))
        assert node.group_name == group, key
        assert node.code_version, f"{key} has no code_version"


def test_jobs_schedule_and_sensor():
    for job in ("full_pipeline", "refresh_tools", "generate_batch"):
        assert defs.resolve_job_def(job) is not None
    schedule = defs.resolve_schedule_def("scheduled_refresh")
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    assert defs.resolve_sensor_def("tool_sources_changed") is not None


def test_every_asset_has_a_description():
    for node in defs.resolve_asset_graph().asset_nodes:
        if node.is_materializable:
            assert node.description, node.key


def test_expensive_stages_run_per_batch_and_llm_stages_share_a_pool():
    graph = defs.resolve_asset_graph()
    partitioned = {node.key.to_user_string() for node in graph.asset_nodes
                   if node.is_materializable and node.partitions_def is not None}
    assert partitioned == {"tool_subgraphs", "dialogue_plans", "dialogues", "dialogue_quality"}
    for key in partitioned:
        assert graph.get(dg.AssetKey(key)).partitions_def.name == "batch"
    assert defs.resolve_job_def("full_pipeline").partitions_def.name == "batch"
    assert defs.resolve_job_def("refresh_tools").partitions_def is None
    pools = {key: defs.resolve_assets_def(key).op.pool
             for key in ("dialogue_plans", "dialogues", "tool_catalog")}
    assert pools == {"dialogue_plans": "llm", "dialogues": "llm", "tool_catalog": None}
