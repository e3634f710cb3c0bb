"""Every column of every table ToolFlow writes has a description in the UI (issue 14 item 7: they were empty)."""

from __future__ import annotations

import polars as pl

from toolflow_assets.columns import column_description
from toolflow_assets.export.curate import CURATED_SCHEMA
from toolflow_assets.generation.models import DIALOGUE_SCHEMA
from toolflow_assets.graph.build import EDGE_SCHEMA, NODE_SCHEMA
from toolflow_assets.metadata import column_schema
from toolflow_assets.planning.frames import POLARS_PLAN_SCHEMA
from toolflow_assets.quality.evaluate import QUALITY_SCHEMA
from toolflow_assets.sampling.sample import SUBGRAPH_SCHEMA
from toolflow_assets.tools import CATALOG_SCHEMA, QUARANTINE_SCHEMA

TABLES = {"tool_catalog": CATALOG_SCHEMA, "tool_quarantine": QUARANTINE_SCHEMA, "tool_graph nodes": NODE_SCHEMA,
          "tool_graph edges": EDGE_SCHEMA, "tool_subgraphs": SUBGRAPH_SCHEMA, "dialogue_plans": POLARS_PLAN_SCHEMA,
          "dialogues": DIALOGUE_SCHEMA, "dialogue_quality": QUALITY_SCHEMA, "curated_dialogues": CURATED_SCHEMA}


def test_every_column_of_every_table_is_described():
    missing = {table: [c for c in schema if not column_description(c)] for table, schema in TABLES.items()}
    assert not {t: cols for t, cols in missing.items() if cols}, missing


def test_the_ui_column_schema_carries_the_descriptions():
    frame = pl.DataFrame(schema=QUALITY_SCHEMA)
    columns = {c.name: c.description for c in column_schema(frame).columns}
    assert columns["passed"] == "true when the dialogue passed every check"
    assert "grounding check" in columns["grounding"]
