"""Graph assets: `tool_graph`, the tools as nodes and the ways they compose as edges."""



import dagster as dg
import polars as pl
from pydantic import Field

from resources import EmbeddingResource, ToolflowSettings
from resources.io_manager import value_version

from ..metadata import counts_markdown, markdown_table, png_markdown, ran_with, table_metadata
from ..tools import tools_from_frame
from .budget import memory_named
from .build import DATA_FLOW, SHARED_PARAM, GraphConfig, build_tool_graph
from .report import (
    component_summary,
    degree_histogram_figure,
    degree_summary,
    edge_counts,
    strongest_edges,
    write_graphml,
)
from .similarity import SearchConfig

GRAPH_CODE_VERSION = "graph-v5"  # v5: elements of returned lists of plain values are output fields, API rule links (calculator, listing); v4: fields inside allOf parts; v3: pools of identical fields, ring ties, edge budget


class ToolGraphConfig(dg.Config):
    data_flow_threshold: float | None = Field(
        default=None, description="Cosine threshold for P-R (output → parameter) matches. Empty: the backend's default "
        "(0.82 for model embeddings, the calibrated offline threshold otherwise)."
    )
    shared_param_threshold: float | None = Field(
        default=None, description="Cosine threshold for P-P (parameter ~ parameter) matches. Empty: the backend's default."
    )
    top_k_per_field: int = Field(default=5, description="Matches kept per field (per direction for data_flow).")
    infer_outputs: bool = Field(default=True, description="Infer output fields of tools without a return schema.")
    max_inferred_outputs: int = Field(default=3, description="Inferred output fields per tool at most.")
    include_shared_param: bool = Field(default=True, description="Build shared_param (P-P) edges too.")
    search_method: str = Field(default="auto", description="auto | exact | ivf (approximate, for very large catalogs).")
    ivf_cluster_size: int = Field(default=384, description="ivf: target fields per cluster.")
    ivf_n_probe: int = Field(default=8, description="ivf: clusters searched per field.")
    max_edges: int | None = Field(
        default=25_000_000, description="Edge budget: the most field pairs (each at most one edge) the build may keep. "
        "Checked before the search from the fields × top_k_per_field bound, with the memory the run may use; a "
        "catalog past either fails at once with an error naming the limit. Empty: memory is the only limit.",
    )
    write_graphml: bool = Field(default=True, description="Also write <output_dir>/tool_graph.graphml.")

    def to_graph_config(self) -> GraphConfig:
        return GraphConfig(
            data_flow_threshold=self.data_flow_threshold,
            shared_param_threshold=self.shared_param_threshold,
            top_k_per_field=self.top_k_per_field,
            infer_outputs=self.infer_outputs,
            max_inferred_outputs=self.max_inferred_outputs,
            include_shared_param=self.include_shared_param,
            max_edges=self.max_edges,
            search=SearchConfig(method=self.search_method, cluster_size=self.ivf_cluster_size, n_probe=self.ivf_n_probe),
        )


@dg.asset(
    group_name="graph",
    code_version=GRAPH_CODE_VERSION,
    kinds={"polars", "networkx"},
    description="The tool graph: one node per tool (with its flattened input and output fields, inferred "
    "outputs marked) and edges `data_flow` (an output of src fills a parameter of dst) and `shared_param` "
    "(src and dst take a similar parameter), each with its score and the matched fields. Stored as two "
    "tables, `nodes` and `edges`; also exported as GraphML.",
)
def tool_graph(
    context: dg.AssetExecutionContext,
    config: ToolGraphConfig,
    tool_catalog: pl.DataFrame,
    embeddings: EmbeddingResource,
    settings: ToolflowSettings,
) -> dg.Output[dict[str, pl.DataFrame]]:
    """Flatten every tool into fields, embed them, match them, and keep the edges."""
    tools = tools_from_frame(tool_catalog)
    embedder = embeddings.get_embedder(cache_root=settings.cache_root())
    context.log.info(f"Building the tool graph of {len(tools)} tools with embedder {embedder.name}")
    with memory_named(f"building the tool graph of {len(tools):,} tools"):
        graph = build_tool_graph(tools, embedder, config.to_graph_config())
    nodes, edges = graph.nodes, graph.edges

    metadata = {
        **table_metadata(edges, ["src_tool", "src_field", "kind", "dst_tool", "dst_field", "score"]),
        "nodes": dg.MetadataValue.int(nodes.height),
        "edges_by_kind": dg.MetadataValue.md(counts_markdown(edge_counts(edges), "kind", "edges")),
        "degree": dg.MetadataValue.json(degree_summary(nodes)),
        "degree_distribution": png_markdown(degree_histogram_figure(nodes), "degree distribution"),
        "components": dg.MetadataValue.json(component_summary(nodes)),
        "strongest_data_flow_edges": dg.MetadataValue.md(markdown_table(strongest_edges(edges, DATA_FLOW, 20), limit=20)),
        "strongest_shared_param_edges": dg.MetadataValue.md(markdown_table(strongest_edges(edges, SHARED_PARAM, 10), limit=10)),
        "tools_with_inferred_outputs": dg.MetadataValue.int(int(nodes["outputs_inferred"].sum())),
        "build": dg.MetadataValue.json(graph.stats),
        **ran_with(config, embedder=embedder.name),
    }
    if config.write_graphml:
        with memory_named(f"writing the GraphML of {edges.height:,} edges (tool_graph's `write_graphml: false` skips it)"):
            path = write_graphml(nodes, edges, settings.output_path() / "tool_graph.graphml")
        metadata["graphml"] = dg.MetadataValue.path(str(path))

    tables = graph.as_tables()
    return dg.Output(tables, data_version=dg.DataVersion(value_version(tables)), metadata=metadata)
