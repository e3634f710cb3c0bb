"""Compare sampling strategies on the same run: what the graph buys over uniform sampling."""

from __future__ import annotations

import json
from collections import Counter

import polars as pl


def strategy_comparison(samples: pl.DataFrame, nodes: pl.DataFrame) -> pl.DataFrame:
    """One row per strategy: sample count, mean tools, data_flow shares, mean longest chain, coverage."""
    catalog_size = max(nodes.height, 1)
    with_flags = samples.with_columns(
        n_tools=pl.col("tool_ids").list.len(),
        has_data_flow=pl.col("edges").map_elements(
            lambda text: any(e["kind"] == "data_flow" for e in json.loads(text)), return_dtype=pl.Boolean
        ),
        n_edges=pl.col("edges").map_elements(lambda text: len(json.loads(text)), return_dtype=pl.Int64),
    )
    rows = []
    for strategy in sorted(with_flags["strategy"].unique().to_list()):
        part = with_flags.filter(pl.col("strategy") == strategy)
        distinct = part["tool_ids"].explode().drop_nulls().n_unique()
        rows.append(
            {
                "strategy": strategy,
                "samples": part.height,
                "mean_tools": round(float(part["n_tools"].mean() or 0.0), 3),
                "mean_edges": round(float(part["n_edges"].mean() or 0.0), 3),
                "share_with_data_flow_edge": round(float(part["has_data_flow"].mean() or 0.0), 3),
                "share_chain_ge_2": round(float((part["longest_chain"] >= 2).mean() or 0.0), 3),
                "share_chain_ge_3": round(float((part["longest_chain"] >= 3).mean() or 0.0), 3),
                "mean_longest_chain": round(float(part["longest_chain"].mean() or 0.0), 3),
                "distinct_tools": distinct,
                "tool_coverage": round(distinct / catalog_size, 4),
            }
        )
    return pl.DataFrame(rows, schema={
        "strategy": pl.String, "samples": pl.Int64, "mean_tools": pl.Float64, "mean_edges": pl.Float64,
        "share_with_data_flow_edge": pl.Float64, "share_chain_ge_2": pl.Float64, "share_chain_ge_3": pl.Float64,
        "mean_longest_chain": pl.Float64, "distinct_tools": pl.Int64, "tool_coverage": pl.Float64,
    })


def category_mix(samples: pl.DataFrame, nodes: pl.DataFrame, top: int = 12) -> pl.DataFrame:
    """Share of sampled tool slots per category and strategy (top categories; the rest as `(other)`)."""
    category_of = dict(zip(nodes["tool_id"].to_list(), nodes["category"].to_list()))
    counts: dict[str, Counter] = {}
    for strategy, tool_ids in samples.select("strategy", "tool_ids").iter_rows():
        counts.setdefault(strategy, Counter()).update(category_of.get(t, "(unknown)") for t in tool_ids)
    overall = Counter()
    for counter in counts.values():
        overall.update(counter)
    leaders = [c for c, _ in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    rows = []
    for category in leaders + ["(other)"]:
        row: dict[str, object] = {"category": category}
        for strategy in sorted(counts):
            total = sum(counts[strategy].values()) or 1
            if category == "(other)":
                value = sum(v for c, v in counts[strategy].items() if c not in leaders)
            else:
                value = counts[strategy].get(category, 0)
            row[strategy] = round(value / total, 3)
        rows.append(row)
    return pl.DataFrame(rows)


def chain_length_histogram(samples: pl.DataFrame) -> dict[str, dict[int, int]]:
    """{strategy: {longest_chain: samples}} for the report plot."""
    result: dict[str, dict[int, int]] = {}
    for strategy, length in samples.select("strategy", "longest_chain").iter_rows():
        bucket = result.setdefault(strategy, {})
        bucket[length] = bucket.get(length, 0) + 1
    return {s: dict(sorted(h.items())) for s, h in sorted(result.items())}
