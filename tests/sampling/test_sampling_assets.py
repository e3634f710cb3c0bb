"""`tool_graph` and `tool_subgraphs` as Dagster assets: materialized through the project's IO manager."""

from __future__ import annotations

import json

import dagster as dg
import networkx as nx
import polars as pl
from upath import UPath

from resources import EmbeddingResource, ParquetIOManager, ToolflowSettings
from toolflow_assets.graph.assets import tool_graph
from toolflow_assets.sampling.assets import tool_subgraphs
from toolflow_assets.tools import Tool, tools_to_frame


def _tool(name, description, properties, returns=None):
    return Tool(tool_id=f"id-{name}", name=name, description=description,
                parameters={"type": "object", "properties": properties}, returns=returns,
                source="test", source_format="openai", category=name.split("_")[0])


CATALOG = [
    _tool("search_hotels", "Search hotels in a city.", {"city": {"type": "string", "description": "The city name."}},
          returns={"type": "object", "properties": {"hotels": {"type": "array", "items": {"type": "object", "properties": {
              "hotel_id": {"type": "string", "description": "ID of the hotel."}}}}}}),
    _tool("book_hotel", "Book a hotel room.", {"hotel_id": {"type": "string", "description": "ID of the hotel to book."},
                                               "nights": {"type": "integer", "description": "Number of nights."}},
          returns={"type": "object", "properties": {"booking_id": {"type": "string", "description": "ID of the booking."}}}),
    _tool("cancel_booking", "Cancel a hotel booking.", {"booking_id": {"type": "string", "description": "ID of the booking to cancel."}}),
    _tool("get_weather", "Get the weather in a city.", {"city": {"type": "string", "description": "Name of the city."}}),
    _tool("find_restaurants", "Find restaurants in a city.", {"city": {"type": "string", "description": "The city to search."}}),
]


@dg.asset(name="tool_catalog")
def fake_tool_catalog() -> pl.DataFrame:
    return tools_to_frame(CATALOG)


def test_graph_and_subgraph_assets_materialize(tmp_path):
    resources = {
        "settings": ToolflowSettings(output_dir=str(tmp_path / "out"), storage_dir=str(tmp_path / "store"), dialogues=12, seed=5),
        "embeddings": EmbeddingResource(),
        "io_manager": ParquetIOManager(base_path=UPath(tmp_path / "store" / "assets")),
    }
    result = dg.materialize(
        [fake_tool_catalog, tool_graph, tool_subgraphs],
        resources=resources,
        run_config={"ops": {"tool_subgraphs": {"config": {"random_fraction": 0.25, "max_tools": 3}}}},
    )
    assert result.success

    graph = result.output_for_node("tool_graph")
    assert set(graph) == {"nodes", "edges"}
    edges = graph["edges"]
    flow = edges.filter((pl.col("src_tool") == "search_hotels") & (pl.col("dst_tool") == "book_hotel")).to_dicts()
    assert flow and flow[0]["kind"] == "data_flow"
    assert (flow[0]["src_field"], flow[0]["dst_field"]) == ("hotels[].hotel_id", "hotel_id")

    graph_meta = result.asset_materializations_for_node("tool_graph")[0].metadata
    for key in ["edges_by_kind", "degree", "degree_distribution", "components", "strongest_data_flow_edges", "graphml", "build"]:
        assert key in graph_meta, key
    assert "data:image/png;base64," in graph_meta["degree_distribution"].value
    assert "hotel_id" in graph_meta["strongest_data_flow_edges"].value
    graphml = nx.read_graphml(graph_meta["graphml"].value)
    assert graphml.number_of_nodes() == len(CATALOG) and graphml.number_of_edges() == edges.height
    assert str(tmp_path / "out") in graph_meta["graphml"].value

    samples = result.output_for_node("tool_subgraphs")
    assert samples.height == 12 and (samples["strategy"] == "random").sum() == 3
    assert samples["tool_names"].list.len().max() <= 3
    for row in samples.to_dicts():
        for e in json.loads(row["edges"]):
            assert e["src"] in row["tool_names"] and e["dst"] in row["tool_names"]
    sample_meta = result.asset_materializations_for_node("tool_subgraphs")[0].metadata
    for key in ["strategy_comparison", "category_mix", "chain_lengths", "graph/share_chain_ge_2", "random/share_chain_ge_2"]:
        assert key in sample_meta, key
    assert sample_meta["graph/share_chain_ge_2"].value >= sample_meta["random/share_chain_ge_2"].value

    # stored through the IO manager: the graph as a bundle of two tables
    assert (tmp_path / "store" / "assets" / "tool_graph" / "edges.parquet").exists()
    assert pl.read_parquet(tmp_path / "store" / "assets" / "tool_graph" / "edges.parquet").equals(edges)
    # the offline embedder cached its vectors under the run's cache root
    assert any((tmp_path / "store" / "cache" / "embeddings").rglob("*.npz"))
