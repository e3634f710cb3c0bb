"""Sampling assets: `tool_subgraphs`, one small set of composable tools per dialogue to synthesize."""


import dagster as dg
import polars as pl
from pydantic import Field

from resources import ToolflowSettings
from resources.io_manager import frame_content_hash

from ..metadata import markdown_table, png_markdown, ran_with, table_metadata
from ..partitions import batch_partitions, current_batch, seed_for
from .report import category_mix, chain_length_histogram, strategy_comparison
from ..tools import api_of, tools_from_frame
from .sample import SamplingConfig, drop_cross_domain_flows, sample_subgraphs

SAMPLING_CODE_VERSION = "sampling-v11"  # v11: flowless seeds only from known APIs; v10: the endpoints of an API take turns as one seed (seed_weights); v9: API-scaled reuse; v8: two endpoints of one API share its context (meanings.same_context); v7: a share of graph samples starts at tools without data flow, neighbourhoods go on within the API; v6: distractors from anywhere when the neighbourhood and category are all in the sample; v5: cross-domain data_flow edges dropped, distractors from the category when no neighbour; v4: distractor tools per sample


class ToolSubgraphsConfig(dg.Config):
    random_fraction: float = Field(
        default=0.2, description="Share of samples drawn uniformly at random (the baseline the report compares with)."
    )
    min_tools: int = Field(default=2, description="Tools per sample, at least.")
    max_tools: int = Field(default=5, description="Tools per sample, at most.")
    data_flow_bias: float = Field(default=4.0, description="Weight of data_flow edges relative to shared_param edges.")
    chain_bias: float = Field(default=3.0, description="Extra weight for continuing the chain from the newest tool.")
    reuse_penalty: float = Field(default=1.0, description="Weight / (1 + uses)^reuse_penalty: spreads coverage.")
    flowless_share: float = Field(default=0.15, description="Share of graph samples started at a tool no data_flow "
                                  "edge touches (with a neighbour or another endpoint of its API), so every API "
                                  "reaches the data, not only those whose outputs feed inputs.")
    avoid_variants: bool = Field(default=True, description="Never sample two variants of one tool together.")
    distractor_rate: float = Field(default=0.75, description="Share of samples offered with distractor tools: "
                                   "graph neighbours (random tools for random samples) the dialogue never calls.")
    max_distractors: int = Field(default=2, description="Distractor tools per sample, at most (0: none).")
    context_links: bool = Field(default=True, description="Draw chains only along data_flow edges whose two tools "
                                "work on the same things (meanings.same_context): no Bible verse's date into a "
                                "flight search. Measured in docs/graph.md (link precision).")
    samples: int | None = Field(default=None, description="Samples to draw. Empty: the run's dialogue count.")
    seed: int | None = Field(default=None, description="Seed. Empty: the run seed.")

    def to_sampling_config(self, settings: ToolflowSettings, context: dg.AssetExecutionContext) -> SamplingConfig:
        return SamplingConfig(
            n_samples=self.samples if self.samples is not None else settings.dialogue_count(),
            seed=seed_for(context, self.seed if self.seed is not None else settings.run_seed()),
            batch=current_batch(context) or "",
            random_fraction=self.random_fraction,
            min_tools=self.min_tools,
            max_tools=self.max_tools,
            data_flow_bias=self.data_flow_bias,
            chain_bias=self.chain_bias,
            reuse_penalty=self.reuse_penalty,
            flowless_share=self.flowless_share,
            avoid_variants=self.avoid_variants,
            distractor_rate=self.distractor_rate,
            max_distractors=self.max_distractors,
        )


@dg.asset(
    group_name="sampling",
    code_version=SAMPLING_CODE_VERSION,
    kinds={"polars"},
    partitions_def=batch_partitions,
    description="One row per dialogue to synthesize (per batch partition; each batch has its own seed): the sampled tools, the graph edges among them (with "
    "matched fields) and the longest data_flow chain. Strategy `graph` expands a neighbourhood biased to "
    "data_flow edges; strategy `random` is the uniform baseline, drawn in the same run for comparison.",
)
def tool_subgraphs(
    context: dg.AssetExecutionContext,
    config: ToolSubgraphsConfig,
    tool_catalog: pl.DataFrame,
    tool_graph: dict[str, pl.DataFrame],
    settings: ToolflowSettings,
) -> dg.Output[pl.DataFrame]:
    """Draw the samples, then compare the strategies."""
    nodes, edges = tool_graph["nodes"], tool_graph["edges"]
    dropped = 0
    tools = tools_from_frame(tool_catalog)
    if config.context_links:
        edges, dropped = drop_cross_domain_flows(edges, {t.tool_id: t for t in tools})
    missing = set(tool_catalog["tool_id"].to_list()) - set(nodes["tool_id"].to_list())
    if missing:
        context.log.warning(f"{len(missing)} catalog tools are not in the tool graph (stale graph?): they cannot be sampled")
    sampling = config.to_sampling_config(settings, context)
    samples = sample_subgraphs(nodes, edges, sampling, {t.tool_id: api_of(t) for t in tools})

    comparison = strategy_comparison(samples, nodes)
    metadata = {
        **table_metadata(samples, ["sample_id", "strategy", "tool_names", "longest_chain", "chain"]),
        "strategy_comparison": dg.MetadataValue.md(markdown_table(comparison, limit=10)),
        "category_mix": dg.MetadataValue.md(markdown_table(category_mix(samples, nodes), limit=20)),
        "chain_lengths": png_markdown(_chain_figure(chain_length_histogram(samples)), "longest chain per strategy"),
        "padded_samples": dg.MetadataValue.int(int((samples["padded"] > 0).sum())),
        "cross_domain_flows_dropped": dg.MetadataValue.int(dropped),
        "seed": dg.MetadataValue.int(sampling.seed),
        "batch": dg.MetadataValue.text(sampling.batch),
        **ran_with(config, samples=sampling.n_samples, seed=sampling.seed, batch=sampling.batch),
    }
    for row in comparison.iter_rows(named=True):
        for key in ("share_chain_ge_2", "share_with_data_flow_edge", "mean_longest_chain", "tool_coverage", "mean_tools"):
            metadata[f"{row['strategy']}/{key}"] = dg.MetadataValue.float(float(row[key]))
    return dg.Output(samples, data_version=dg.DataVersion(frame_content_hash(samples)), metadata=metadata)


def _chain_figure(histogram: dict[str, dict[int, int]]):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 3))
    strategies = sorted(histogram)
    lengths = sorted({length for h in histogram.values() for length in h})
    width = 0.8 / max(len(strategies), 1)
    for i, strategy in enumerate(strategies):
        total = sum(histogram[strategy].values()) or 1
        axis.bar([x + i * width for x in lengths], [histogram[strategy].get(x, 0) / total for x in lengths],
                 width=width, label=strategy)
    axis.set_xlabel("longest data_flow chain (tools)")
    axis.set_ylabel("share of samples")
    axis.set_xticks([x + width * (len(strategies) - 1) / 2 for x in lengths], [str(x) for x in lengths])
    axis.legend()
    figure.tight_layout()
    return figure
