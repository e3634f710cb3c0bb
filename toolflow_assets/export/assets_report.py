"""The `synthesis_report` asset: the run's report card (yield funnel, usage and cost, realism figures, graph
sampling vs the random baseline), as metadata and as JSON, Markdown and PNG plots in the output folder."""

import json
from typing import Any

import dagster as dg
import polars as pl
from pydantic import Field

from resources import EmbeddingResource, ToolflowSettings
from resources.io_manager import value_version

from ..batches import combine_batches
from ..metadata import png_markdown, ran_with
from ..partitions import ALL_BATCHES
from .automation import AFTER_NEW_BATCHES
from ..tools import tools_from_frame
from .coverage import coverage_lines, tool_coverage
from .funnel import build_funnel
from .report import build_report, comparison_table, parse_dialogues, report_markdown
from .writer import write_atomic

REPORT_CODE_VERSION = "report-v4"  # v4: catalog coverage of the training data; v3: yield funnel, usage and cost, realism figures


class ReportConfig(dg.Config):
    turn_similarity: bool | None = Field(
        default=None, description="Compute SS (consecutive-turn similarity) with the embedding backend. Empty: "
        "only when a model backend is configured (not the offline hashed n-grams).")
    price_per_million_prompt_tokens: float | None = Field(
        default=None, description="USD per million prompt tokens of the LLM used; with the completion price, the "
        "report gives the run's cost and the cost per kept dialogue.")
    price_per_million_completion_tokens: float | None = Field(
        default=None, description="USD per million completion tokens of the LLM used.")


@dg.asset(
    group_name="dataset",
    automation_condition=AFTER_NEW_BATCHES,
    code_version=REPORT_CODE_VERSION,
    kinds={"polars", "json"},
    ins={"dialogues": ALL_BATCHES, "dialogue_quality": ALL_BATCHES, "tool_subgraphs": ALL_BATCHES,
         "dialogue_plans": ALL_BATCHES},
    description="A report card of the run: the yield funnel (samples, plans, dialogues, checks, curated) with "
    "failure reasons, requests, tokens and cost per kept dialogue, the catalog tools and APIs the training data "
    "calls, realism figures, and ToolFlow's comparison measured on this run: graph sampling vs the random baseline (dialogues, "
    "mean turns and calls, chained and multi-tool shares, distinct tool combinations, pass rate, D-3, H, SS, "
    "pass rate per check, planning, judge scores). Also written as synthesis_report.json and .md (with PNG "
    "plots) into the output folder.",
)
def synthesis_report(context: dg.AssetExecutionContext, config: ReportConfig, settings: ToolflowSettings,
                     embeddings: EmbeddingResource, dialogues, dialogue_quality, tool_subgraphs, dialogue_plans,
                     curated_dialogues: pl.DataFrame, tool_catalog: pl.DataFrame) -> dg.Output:
    dialogues, dialogue_quality = combine_batches(dialogues), combine_batches(dialogue_quality)
    embed, note = _turn_embedder(config, embeddings)
    judge_on = bool(dialogue_quality.height) and "judge_naturalness" in dialogue_quality.columns and \
        dialogue_quality["judge_naturalness"].drop_nulls().len() > 0
    try:
        report = build_report(dialogues, dialogue_quality, seed=settings.run_seed(), embed=embed,
                              embedding_note=note, judge_on=judge_on)
    except Exception as problem:  # noqa: BLE001 - only the embedding service can fail here; SS is optional
        if embed is None:
            raise
        context.log.warning(f"SS not computed, the embedding backend failed: {problem}")
        report = build_report(dialogues, dialogue_quality, seed=settings.run_seed(), embed=None,
                              embedding_note=f"the embedding backend failed: {str(problem)[:200]}",
                              judge_on=judge_on)

    prices = None
    if config.price_per_million_prompt_tokens is not None or config.price_per_million_completion_tokens is not None:
        prices = {"prompt": config.price_per_million_prompt_tokens or 0.0,
                  "completion": config.price_per_million_completion_tokens or 0.0}
    report["funnel"] = build_funnel(combine_batches(tool_subgraphs), combine_batches(dialogue_plans), dialogues,
                                    dialogue_quality, curated_dialogues, prices)
    report["coverage"] = tool_coverage(tools_from_frame(tool_catalog), curated_dialogues["messages"].to_list())

    folder = settings.output_path()
    # matplotlib only here: importing it costs every run process ~0.4 s, and batch runs draw nothing.
    from . import plots

    figures = {
        "Graph sampling vs random baseline": plots.strategy_comparison(report),
        "Tool calls per dialogue": plots.calls_histogram(parse_dialogues(dialogues)),
        "Pass rate per check": plots.check_pass_rates(report),
    }
    inline: dict[str, dg.MetadataValue] = {}
    linked: dict[str, str] = {}
    for index, (caption, figure) in enumerate(figures.items(), start=1):
        name = f"synthesis_report_plot{index}.png"
        buffer = _png_bytes(figure)
        write_atomic(folder / name, buffer)
        linked[caption] = f"![{caption}]({name})"
        inline[caption] = png_markdown(figure, caption)
        plots.close(figure)

    text = json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False)
    write_atomic(folder / "synthesis_report.json", text.encode("utf-8"))
    write_atomic(folder / "synthesis_report.md", report_markdown(report, linked).encode("utf-8"))

    comparison = report["comparison"]
    return dg.Output(
        report,
        data_version=dg.DataVersion(value_version(report)),
        metadata={
            "comparison": dg.MetadataValue.md(comparison_table(report)),
            "report": dg.MetadataValue.md(report_markdown(report)),
            "tools_in_training_data": dg.MetadataValue.md("\n".join(coverage_lines(report["coverage"]))),
            "tool_coverage": dg.MetadataValue.float(float(report["coverage"]["share"] or 0.0)),
            "graph_ahead_on_chained": dg.MetadataValue.bool(bool(comparison["graph_ahead_on_chained"])),
            "graph_ahead_on_distinct_combinations": dg.MetadataValue.bool(
                bool(comparison["graph_ahead_on_distinct_combinations"])),
            "plot_comparison": inline["Graph sampling vs random baseline"],
            "plot_tool_calls": inline["Tool calls per dialogue"],
            "plot_checks": inline["Pass rate per check"],
            "output_files": dg.MetadataValue.json([str(folder / n) for n in
                                                   ("synthesis_report.json", "synthesis_report.md")]),
            **ran_with(config, embedding_backend=embeddings.backend_name()),
        },
    )


def _png_bytes(figure: Any) -> bytes:
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return buffer.getvalue()


def _turn_embedder(config: ReportConfig, embeddings: EmbeddingResource):
    """(embed function or None, why SS is null). Auto: only with a model backend, since the offline hashed
    n-grams measure shared characters, not meaning."""
    wanted = config.turn_similarity
    backend = embeddings.backend_name()
    if wanted is False:
        return None, "SS is off (ReportConfig.turn_similarity=false)."
    if wanted is None and backend == "offline":
        return None, "SS needs an embedding model; the embedding backend is offline (set TOOLFLOW_EMBEDDING_BACKEND)."
    embedder = embeddings.get_embedder()
    return embedder.embed, None
