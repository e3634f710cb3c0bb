"""What a person wants to see about a tool graph: counts, degrees, components, the strongest edges.

Also the networkx view of the graph (for algorithms and the GraphML export other tools read).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import networkx as nx
import polars as pl

from .build import DATA_FLOW, SHARED_PARAM


def edge_counts(edges: pl.DataFrame) -> dict[str, int]:
    counts = {DATA_FLOW: 0, SHARED_PARAM: 0}
    for kind, n in edges.group_by("kind").len().iter_rows():
        counts[kind] = int(n)
    return counts


def degree_summary(nodes: pl.DataFrame) -> dict[str, float]:
    degree = nodes["degree"]
    return {
        "mean": round(float(degree.mean() or 0.0), 2),
        "median": float(degree.median() or 0.0),
        "p90": float(degree.quantile(0.9) or 0.0) if nodes.height else 0.0,
        "max": int(degree.max() or 0) if nodes.height else 0,
        "isolated": int((degree == 0).sum()),
        "with_data_flow_out": int((nodes["data_flow_out"] > 0).sum()),
        "with_data_flow_in": int((nodes["data_flow_in"] > 0).sum()),
    }


def component_summary(nodes: pl.DataFrame) -> dict[str, Any]:
    """Number of connected components (direction ignored) and their sizes, largest first."""
    sizes = nodes.group_by("component").len()["len"].sort(descending=True).to_list()
    singletons = sum(1 for s in sizes if s == 1)
    return {
        "components": len(sizes),
        "largest": sizes[:10],
        "singletons": singletons,
        "largest_share": round(sizes[0] / max(nodes.height, 1), 3) if sizes else 0.0,
    }


def strongest_edges(edges: pl.DataFrame, kind: str, limit: int = 20) -> pl.DataFrame:
    """The top edges of a kind with the fields that matched (ties broken by names, so stable)."""
    return (
        edges.filter(pl.col("kind") == kind)
        .sort(["score", "src_tool", "dst_tool"], descending=[True, False, False])
        .head(limit)
        .select("src_tool", "src_field", "dst_tool", "dst_field", "score", "src_field_inferred")
    )


def degree_histogram_figure(nodes: pl.DataFrame):
    """Matplotlib figure: tools per degree, per edge kind (log scale: degree distributions are skewed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 3.2))
    for column, label in (("degree", "all edges"), ("data_flow_out", "data_flow out"), ("data_flow_in", "data_flow in")):
        values = nodes[column].to_list()
        if values:
            top = max(values)
            axis.hist(values, bins=range(0, top + 2), histtype="step", label=label, linewidth=1.4)
    axis.set_yscale("log")
    axis.set_xlabel("degree (edges per tool)")
    axis.set_ylabel("tools")
    axis.set_title("Tool graph degree distribution")
    axis.legend()
    figure.tight_layout()
    return figure


def to_networkx(nodes: pl.DataFrame, edges: pl.DataFrame) -> nx.MultiDiGraph:
    """Nodes keyed by tool_id; one edge per row (shared_param kept once, src → dst as stored)."""
    graph = nx.MultiDiGraph()
    for row in nodes.select("tool_id", "name", "category", "n_input_fields", "n_output_fields", "outputs_inferred", "degree").iter_rows(named=True):
        graph.add_node(row["tool_id"], **{k: ("" if v is None else v) for k, v in row.items() if k != "tool_id"})
    columns = ["src_tool_id", "dst_tool_id", "kind", "score", "src_field", "dst_field", "src_field_inferred", "n_matches"]
    for src, dst, kind, score, src_field, dst_field, inferred, n_matches in edges.select(columns).iter_rows():
        graph.add_edge(src, dst, key=kind, kind=kind, score=float(score), src_field=src_field, dst_field=dst_field,
                       src_field_inferred=bool(inferred), n_matches=int(n_matches))
    return graph


def write_graphml(nodes: pl.DataFrame, edges: pl.DataFrame, path: Path) -> Path:
    """Write the graph as GraphML (Gephi, Cytoscape, yEd, networkx read it), atomically. The temp name is
    unique per process and write: two runs on one home writing at once each rename a whole file into place
    (a fixed name let one rename the other's half-written file, or find it gone)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        nx.write_graphml(to_networkx(nodes, edges), temp)
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)
    return path
