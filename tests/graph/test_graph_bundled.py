"""The tool graph of the bundled corpus: it has real structure, and its strongest edges make sense."""

from __future__ import annotations

import polars as pl

from bundled_graph_fixture import bundled_graph, bundled_tools
from toolflow_assets.graph.report import component_summary, edge_counts, strongest_edges
from toolflow_assets.graph.text import split_identifier, stem


def test_bundled_graph_has_both_edge_kinds_and_a_large_component():
    graph = bundled_graph()
    assert graph.nodes.height == len(bundled_tools())
    counts = edge_counts(graph.edges)
    assert counts["data_flow"] > 400 and counts["shared_param"] > 4000  # at the calibrated thresholds (docs/graph.md)
    components = component_summary(graph.nodes)
    assert components["largest_share"] > 0.5
    # most tools declare no return schema: their outputs are inferred, and say so
    assert graph.nodes["outputs_inferred"].mean() > 0.8
    flows = graph.edges.filter(pl.col("kind") == "data_flow")
    assert flows["src_field_inferred"].any() and not flows["src_field_inferred"].all()


def test_strongest_data_flow_edges_match_fields_that_mean_the_same():
    """A proxy for the spot check in docs/graph.md: each of the 20 strongest data_flow edges links
    fields whose names share a word (user_id → userId, accessToken → accessToken)."""
    top = strongest_edges(bundled_graph().edges, "data_flow", 20)
    assert top.height == 20
    for row in top.to_dicts():
        src_words = {stem(w) for w in split_identifier(row["src_field"].split(".")[-1])}
        dst_words = {stem(w) for w in split_identifier(row["dst_field"].split(".")[-1])}
        assert src_words & dst_words, row
        assert row["src_tool"] != row["dst_tool"]


def test_top_k_keeps_hubs_small():
    """Each field keeps only its k best matches, so even tools with popular fields (`location`, `user_id`)
    touch a small part of the catalog; without top-k, `location` alone would link hundreds of tools."""
    nodes = bundled_graph().nodes
    assert nodes["degree"].max() <= 0.05 * nodes.height
    assert nodes["degree"].median() >= 2


def test_rebuilding_the_bundled_graph_gives_identical_tables():
    from toolflow_assets.graph.build import GraphConfig, build_tool_graph
    from toolflow_assets.graph.embeddings import make_embedder

    again = build_tool_graph(list(bundled_tools()), make_embedder("offline"), GraphConfig())
    assert again.edges.equals(bundled_graph().edges)
    assert again.nodes.equals(bundled_graph().nodes)
