"""Graph construction on a small hand-made catalog: which edges exist, through which fields, and why not."""

from __future__ import annotations

import json

import networkx as nx
import polars as pl
import pytest

from toolflow_assets.graph.build import EDGE_SCHEMA, GraphConfig, build_tool_graph
from toolflow_assets.graph.embeddings import make_embedder
from toolflow_assets.graph.report import component_summary, edge_counts, strongest_edges, write_graphml
from toolflow_assets.graph.similarity import SearchConfig
from toolflow_assets.tools import Tool


def tool(name, description, properties, returns=None, original=None):
    return Tool(
        tool_id=f"id-{name}",
        name=name,
        description=description,
        parameters={"type": "object", "properties": properties},
        returns=returns,
        source="test",
        source_format="openai",
        category=name.split("_")[0],
        original_name=original or name,
    )


CATALOG = [
    tool("get_user_id", "Look up the ID of a user by their user name.",
         {"user_name": {"type": "string", "description": "The user's name."}},
         returns={"type": "object", "properties": {"user_id": {"type": "string", "description": "The ID of the user."}}}),
    tool("send_message", "Send a message to a user.",
         {"user_id": {"type": "string", "description": "The ID of the user to message."},
          "text": {"type": "string", "description": "The message text."}}),
    tool("get_weather", "Get the current weather in a location.",
         {"location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA."},
          "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "description": "Temperature unit."}}),
    tool("book_flight", "Book a flight to a destination.",
         {"location": {"type": "string", "description": "The city and state of the destination."},
          "speed_unit": {"type": "string", "enum": ["mph", "kmh"], "description": "Temperature unit."}}),
    tool("count_users", "Count the users of a workspace.",
         {"workspace": {"type": "string", "description": "The workspace name."}},
         returns={"type": "object", "properties": {"user_id": {"type": "integer", "description": "The ID of the user."}}}),
    tool("send_message_2", "Send a message to a user.",
         {"user_id": {"type": "string", "description": "The ID of the user to message."}}, original="send_message"),
]


@pytest.fixture(scope="module")
def graph():
    return build_tool_graph(CATALOG, make_embedder("offline"), GraphConfig())


def edge(graph, src, dst, kind):
    rows = graph.edges.filter((pl.col("src_tool") == src) & (pl.col("dst_tool") == dst) & (pl.col("kind") == kind))
    return rows.to_dicts()[0] if rows.height else None


def test_data_flow_edge_records_the_matched_fields(graph):
    found = edge(graph, "get_user_id", "send_message", "data_flow")
    assert found is not None
    assert (found["src_field"], found["dst_field"], found["src_field_inferred"]) == ("user_id", "user_id", False)
    assert found["score"] >= graph.stats["data_flow_threshold"]
    assert found["src_tool_id"] == "id-get_user_id" and found["dst_tool_id"] == "id-send_message"
    matches = json.loads(found["matches"])
    assert matches[0]["src_field"] == "user_id" and matches[0]["dst_field"] == "user_id"
    assert found["n_matches"] == len(matches)


def test_shared_param_edge_is_stored_once_in_catalog_order(graph):
    found = edge(graph, "get_weather", "book_flight", "shared_param")
    assert found is not None and (found["src_field"], found["dst_field"]) == ("location", "location")
    assert edge(graph, "book_flight", "get_weather", "shared_param") is None


def test_types_enums_and_variants_block_edges(graph):
    # an integer user_id does not fill a string parameter
    assert edge(graph, "count_users", "send_message", "data_flow") is None
    # enums with no common value are not the same parameter, however similar the descriptions
    pairs = {(e["src_field"], e["dst_field"]) for e in graph.edges.filter(pl.col("kind") == "shared_param").to_dicts()}
    assert ("unit", "speed_unit") not in pairs
    # variants of one tool are never linked (they would crowd out real neighbours)
    names = {(e["src_tool"], e["dst_tool"]) for e in graph.edges.to_dicts()}
    assert ("send_message", "send_message_2") not in names and ("send_message_2", "send_message") not in names
    # but the variant gets its own edges
    assert edge(graph, "get_user_id", "send_message_2", "data_flow") is not None


def test_frames_have_the_contract_columns(graph):
    assert graph.edges.schema == pl.Schema(EDGE_SCHEMA)
    nodes = graph.nodes
    for column in ["tool_id", "name", "category", "n_input_fields", "n_output_fields", "outputs_inferred", "output_fields", "degree"]:
        assert column in nodes.columns
    weather = nodes.filter(pl.col("name") == "get_weather").to_dicts()[0]
    outputs = json.loads(weather["output_fields"])
    assert weather["outputs_inferred"] and outputs and all(o["inferred"] for o in outputs)
    assert {"path", "type", "description", "inferred"} <= set(outputs[0])
    degree = dict(zip(nodes["name"], nodes["degree"]))
    incident = {n: 0 for n in degree}
    for e in graph.edges.to_dicts():
        incident[e["src_tool"]] += 1
        incident[e["dst_tool"]] += 1
    assert degree == incident


def test_same_input_and_config_give_identical_graphs(graph):
    again = build_tool_graph(list(CATALOG), make_embedder("offline"), GraphConfig())
    assert again.edges.equals(graph.edges) and again.nodes.equals(graph.nodes)
    forced_ivf = build_tool_graph(list(CATALOG), make_embedder("offline"),
                                  GraphConfig(search=SearchConfig(method="ivf", cluster_size=4, n_probe=64)))
    # with every cluster probed, the approximate search is exact
    assert forced_ivf.edges.equals(graph.edges)


def test_thresholds_and_top_k_are_config():
    strict = build_tool_graph(CATALOG, make_embedder("offline"), GraphConfig(data_flow_threshold=0.999, shared_param_threshold=0.999))
    assert strict.edges.filter(pl.col("score") < 0.999).height == 0
    no_shared = build_tool_graph(CATALOG, make_embedder("offline"), GraphConfig(include_shared_param=False))
    assert edge_counts(no_shared.edges)["shared_param"] == 0
    one = build_tool_graph(CATALOG, make_embedder("offline"), GraphConfig(top_k_per_field=1))
    assert one.edges.height <= build_tool_graph(CATALOG, make_embedder("offline"), GraphConfig()).edges.height


def test_report_helpers_and_graphml(graph, tmp_path):
    counts = edge_counts(graph.edges)
    assert counts["data_flow"] >= 2 and counts["shared_param"] >= 1
    summary = component_summary(graph.nodes)
    assert summary["components"] == graph.nodes["component"].n_unique()
    assert sum(graph.nodes.group_by("component").len()["len"]) == len(CATALOG)
    top = strongest_edges(graph.edges, "data_flow", 3)
    assert top["score"].is_sorted(descending=True)

    path = write_graphml(graph.nodes, graph.edges, tmp_path / "out" / "g.graphml")
    loaded = nx.read_graphml(path)
    assert loaded.number_of_nodes() == len(CATALOG)
    assert loaded.number_of_edges() == graph.edges.height
    assert loaded.nodes["id-get_user_id"]["name"] == "get_user_id"
    kinds = {d["kind"] for _, _, d in loaded.edges(data=True)}
    assert kinds == {"data_flow", "shared_param"}


def test_empty_catalog_gives_empty_frames():
    empty = build_tool_graph([], make_embedder("offline"), GraphConfig())
    assert empty.nodes.height == 0 and empty.edges.height == 0
    assert empty.edges.schema == pl.Schema(EDGE_SCHEMA)
