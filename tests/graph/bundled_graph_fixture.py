"""The bundled corpus's catalog and tool graph, built once per test process (graph and sampling tests
share them; ingestion and graph building take a few seconds each)."""

from __future__ import annotations

import functools

from resources.settings import BUNDLED_CORPUS
from toolflow_assets.graph.build import GraphConfig, ToolGraph, build_tool_graph
from toolflow_assets.graph.embeddings import make_embedder
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.tools import Tool


@functools.lru_cache(maxsize=1)
def bundled_tools() -> tuple[Tool, ...]:
    return tuple(ingest_sources([str(BUNDLED_CORPUS)]).tools)


@functools.lru_cache(maxsize=1)
def bundled_graph() -> ToolGraph:
    return build_tool_graph(list(bundled_tools()), make_embedder("offline"), GraphConfig())
