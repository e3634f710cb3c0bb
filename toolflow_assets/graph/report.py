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


_NODE_KEYS = (("name", "string"), ("category", "string"), ("n_input_fields", "long"), ("n_output_fields", "long"),
              ("outputs_inferred", "boolean"), ("degree", "long"))
_EDGE_KEYS = (("kind", "string"), ("score", "double"), ("src_field", "string"), ("dst_field", "string"),
              ("src_field_inferred", "boolean"), ("n_matches", "long"))


def _xml_text(column: pl.Expr, kind: str) -> pl.Expr:
    """A column as GraphML text: booleans `true`/`false`, numbers as written, strings XML-escaped."""
    if kind == "boolean":
        return pl.when(column).then(pl.lit("true")).otherwise(pl.lit("false"))
    text = column.cast(pl.String).fill_null("")
    if kind == "string":
        for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
            text = text.str.replace_all(raw, escaped, literal=True)
    return text


def _write_rows(out, frame: pl.DataFrame, head: list[pl.Expr], keys: tuple[tuple[str, str], ...], prefix: str,
                element: str) -> None:
    """Each row's XML is built by vectorized string expressions, in slices: a million edges are neither a
    million Python objects nor one giant string at once."""
    parts: list[pl.Expr] = [pl.lit(f"    <{element} "), *head, pl.lit(">\n")]
    for i, (name, kind) in enumerate(keys):
        parts += [pl.lit(f'      <data key="{prefix}{i}">'), _xml_text(pl.col(name), kind), pl.lit("</data>\n")]
    parts.append(pl.lit(f"    </{element}>\n"))
    for chunk in frame.iter_slices(100_000):
        out.write("".join(chunk.select(pl.concat_str(parts).alias("xml"))["xml"].to_list()))


def write_graphml(nodes: pl.DataFrame, edges: pl.DataFrame, path: Path) -> Path:
    """Write the graph as GraphML (Gephi, Cytoscape, yEd, networkx read it), atomically. The temp name is
    unique per process and write: two runs on one home writing at once each rename a whole file into place
    (a fixed name let one rename the other's half-written file, or find it gone).

    Streamed row by row, not through networkx: building the networkx graph of 2M edges first took
    gigabytes. The file is what `networkx.write_graphml(to_networkx(...))` writes (a multigraph whose
    edge keys are the kinds), so `networkx.read_graphml` reads it back the same."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temp, "w", encoding="utf-8") as out:
            out.write("<?xml version='1.0' encoding='utf-8'?>\n"
                      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.'
                      'graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
            for prefix, target, keys in (("n", "node", _NODE_KEYS), ("e", "edge", _EDGE_KEYS)):
                for i, (name, kind) in enumerate(keys):
                    out.write(f'  <key id="{prefix}{i}" for="{target}" attr.name="{name}" attr.type="{kind}" />\n')
            out.write('  <graph edgedefault="directed">\n')
            def attribute(name: str, column: str) -> list[pl.Expr]:
                return [pl.lit(f'{name}="'), _xml_text(pl.col(column), "string"), pl.lit('" ')]

            _write_rows(out, nodes, attribute("id", "tool_id"), _NODE_KEYS, "n", "node")
            _write_rows(out, edges, [*attribute("source", "src_tool_id"), *attribute("target", "dst_tool_id"),
                                     *attribute("id", "kind")], _EDGE_KEYS, "e", "edge")
            out.write("  </graph>\n</graphml>\n")
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)
    return path
