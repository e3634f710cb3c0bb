"""Subgraph sampling on small hand-made graphs: sizes, connectivity, chains, determinism, mix."""

from __future__ import annotations

import json

import polars as pl
import pytest

from toolflow_assets.sampling.report import category_mix, chain_length_histogram, strategy_comparison
from toolflow_assets.sampling.sample import (
    SUBGRAPH_SCHEMA,
    GraphIndex,
    SamplingConfig,
    longest_data_flow_chain,
    sample_subgraphs,
    strategy_plan,
)

EDGE_COLUMNS = ["src_tool_id", "dst_tool_id", "src_tool", "dst_tool", "kind", "score", "src_field", "dst_field", "src_field_inferred"]


def make_graph(names: list[str], edges: list[tuple[str, str, str, float]]):
    nodes = pl.DataFrame({
        "tool_id": [f"id-{n}" for n in names],
        "name": names,
        "category": [n.split("_")[0] for n in names],
        "degree": [sum(n in (a, b) for a, b, _, _ in edges) for n in names],
    })
    rows = [(f"id-{a}", f"id-{b}", a, b, kind, score, f"{a}.out", f"{b}.in", False) for a, b, kind, score in edges]
    edge_frame = pl.DataFrame(rows, schema=EDGE_COLUMNS, orient="row")
    return nodes, edge_frame


# a chain a→b→c→d, a side branch, shared_param pairs, an isolated tool and a variant of b
NAMES = ["a_get", "b_use", "c_use", "d_use", "e_side", "f_shared", "g_shared", "h_alone", "b_use_2"]
EDGES = [
    ("a_get", "b_use", "data_flow", 0.95),
    ("b_use", "c_use", "data_flow", 0.9),
    ("c_use", "d_use", "data_flow", 0.85),
    ("a_get", "e_side", "data_flow", 0.8),
    ("f_shared", "g_shared", "shared_param", 0.9),
    ("e_side", "f_shared", "shared_param", 0.88),
    ("a_get", "b_use_2", "data_flow", 0.95),
]


@pytest.fixture
def small_graph():
    return make_graph(NAMES, EDGES)


def test_longest_chain_follows_data_flow_direction(small_graph):
    nodes, edges = small_graph
    index = GraphIndex.from_tables(nodes, edges)
    pos = {n: i for i, n in enumerate(NAMES)}
    chain = longest_data_flow_chain(index, [pos["d_use"], pos["c_use"], pos["a_get"], pos["b_use"], pos["f_shared"]])
    assert [NAMES[i] for i in chain] == ["a_get", "b_use", "c_use", "d_use"]
    assert longest_data_flow_chain(index, [pos["f_shared"], pos["g_shared"]]) == [pos["f_shared"]]


def test_samples_are_connected_sized_and_self_consistent(small_graph):
    nodes, edges = small_graph
    config = SamplingConfig(n_samples=60, seed=3, random_fraction=0.25, min_tools=2, max_tools=4)
    samples = sample_subgraphs(nodes, edges, config)
    assert samples.schema == pl.Schema(SUBGRAPH_SCHEMA)
    assert samples.height == 60 and samples["sample_id"].n_unique() == 60
    assert (samples["strategy"] == "random").sum() == 15
    for row in samples.to_dicts():
        names = row["tool_names"]
        assert 2 <= len(names) <= 4 and len(set(names)) == len(names)
        assert row["sample_id"].startswith(row["strategy"] + "-")
        assert [f"id-{n}" for n in names] == row["tool_ids"]
        sample_edges = json.loads(row["edges"])
        assert all(e["src"] in names and e["dst"] in names for e in sample_edges)
        assert {"src", "dst", "kind", "score", "src_field", "dst_field"} == set(sample_edges[0]) if sample_edges else True
        assert row["longest_chain"] == len(row["chain"]) >= 1
        if row["strategy"] == "graph":
            assert row["padded"] == 0
            assert not {"b_use", "b_use_2"} <= set(names)  # variants never together
            assert "h_alone" not in names  # no edge reaches it
            # connected: every tool but the first touches an edge inside the sample
            touched = {e["src"] for e in sample_edges} | {e["dst"] for e in sample_edges}
            assert set(names) <= touched


def test_same_config_same_samples_and_seed_changes_them(small_graph):
    nodes, edges = small_graph
    config = SamplingConfig(n_samples=40, seed=11)
    first = sample_subgraphs(nodes, edges, config)
    assert first.equals(sample_subgraphs(nodes, edges, config))
    other = sample_subgraphs(nodes, edges, SamplingConfig(n_samples=40, seed=12))
    assert not first.equals(other)


def test_strategy_plan_mixes_by_fraction():
    plan = strategy_plan(SamplingConfig(n_samples=100, seed=1, random_fraction=0.2))
    assert plan.count("random") == 20 and plan.count("graph") == 80
    assert plan[:20] != ["random"] * 20 and plan != sorted(plan)  # interleaved, not blocks
    assert strategy_plan(SamplingConfig(n_samples=10, seed=1, random_fraction=0.0)) == ["graph"] * 10
    with pytest.raises(ValueError):
        SamplingConfig(min_tools=4, max_tools=3)


def test_data_flow_bias_makes_chains(small_graph):
    nodes, edges = small_graph
    biased = sample_subgraphs(nodes, edges, SamplingConfig(n_samples=80, seed=5, random_fraction=0.0, min_tools=3, max_tools=3))
    flat = sample_subgraphs(nodes, edges, SamplingConfig(n_samples=80, seed=5, random_fraction=0.0, min_tools=3, max_tools=3,
                                                          data_flow_bias=0.05, chain_bias=1.0))
    assert biased["longest_chain"].mean() > flat["longest_chain"].mean()


def test_reuse_penalty_spreads_coverage():
    names = [f"hub_{i}" for i in range(3)] + [f"leaf_{i}" for i in range(30)]
    edges = [(f"hub_{i % 3}", f"leaf_{i}", "data_flow", 0.9 if i < 3 else 0.5) for i in range(30)]
    nodes, edge_frame = make_graph(names, edges)
    spread = sample_subgraphs(nodes, edge_frame, SamplingConfig(n_samples=30, seed=2, random_fraction=0.0, max_tools=2))
    greedy = sample_subgraphs(nodes, edge_frame, SamplingConfig(n_samples=30, seed=2, random_fraction=0.0, max_tools=2, reuse_penalty=0.0))
    assert spread["tool_ids"].explode().n_unique() > greedy["tool_ids"].explode().n_unique()


def test_padding_is_reported_when_the_graph_has_no_edges():
    nodes, edges = make_graph(["x_a", "y_b", "z_c"], [])
    samples = sample_subgraphs(nodes, edges, SamplingConfig(n_samples=4, seed=1, random_fraction=0.0, min_tools=2, max_tools=2))
    assert samples.height == 4
    assert (samples["padded"] == 2).all()  # no seed tool at all: both tools drawn at random, and said so
    assert (samples["tool_names"].list.len() == 2).all()


def test_strategy_report(small_graph):
    nodes, edges = small_graph
    samples = sample_subgraphs(nodes, edges, SamplingConfig(n_samples=50, seed=9, random_fraction=0.4))
    report = strategy_comparison(samples, nodes).to_dicts()
    by = {r["strategy"]: r for r in report}
    assert by["graph"]["samples"] == 30 and by["random"]["samples"] == 20
    graph_rows = samples.filter(pl.col("strategy") == "graph")
    assert by["graph"]["share_chain_ge_2"] == round(float((graph_rows["longest_chain"] >= 2).mean()), 3)
    assert 0 < by["graph"]["tool_coverage"] <= 1
    mix = category_mix(samples, nodes)
    assert set(mix.columns) == {"category", "graph", "random"}
    assert abs(sum(mix["graph"]) - 1.0) < 0.02
    histogram = chain_length_histogram(samples)
    assert sum(histogram["graph"].values()) == 30


def test_chains_are_drawn_only_along_links_between_tools_of_one_domain():
    from toolflow_assets.sampling.sample import drop_cross_domain_flows
    from toolflow_assets.tools import Tool

    def tool(name: str, description: str) -> Tool:
        # one file whose category defaulted to its name, as a user's catalog of unrelated functions has: no API
        # (whose endpoints would share its context whatever their words)
        return Tool(tool_id=f"id-{name}", name=name, description=description, parameters={}, returns=None,
                    source="t", source_format="openai", category="t")

    tools = {t.tool_id: t for t in (
        tool("get_verse", "Retrieve a verse of the Bible with its metadata."),
        tool("search_flights", "Search flights from an origin to a destination on a date."),
        tool("book_flight", "Book a seat on one of the flights found."),
    )}
    rows = [("id-get_verse", "id-search_flights", "get_verse", "search_flights", "data_flow", 0.9, "metadata.date", "date", False),
            ("id-search_flights", "id-book_flight", "search_flights", "book_flight", "data_flow", 0.9, "flights[].flight_id",
             "flight_id", False),
            ("id-get_verse", "id-book_flight", "get_verse", "book_flight", "shared_param", 0.9, "x", "x", False)]
    edges = pl.DataFrame(rows, schema=EDGE_COLUMNS, orient="row")
    kept, dropped = drop_cross_domain_flows(edges, tools)
    assert dropped == 1
    assert kept.select("src_tool", "dst_tool", "kind").rows() == [("search_flights", "book_flight", "data_flow"),
                                                                   ("get_verse", "book_flight", "shared_param")]


def test_without_graph_neighbours_distractors_come_from_the_members_category_else_from_anywhere():
    from toolflow_assets.sampling.sample import pick_distractors

    names = ["finance_quote", "finance_history", "finance_news", "weather_now"]
    nodes, edges = make_graph(names, [("finance_quote", "finance_history", "shared_param", 0.9)])
    graph = GraphIndex(nodes, edges)
    config = SamplingConfig(distractor_rate=1.0, max_distractors=2)
    picked = {graph.names[v] for seed in range(20)
              for v in pick_distractors(graph, [0, 1], "graph", config, seed)}
    assert picked == {"finance_news"}  # same category, not a member; never the weather tool
    # a sample that is its whole neighbourhood and category (the Odds API's three sports tools, all called):
    # tools from elsewhere, or the assistant has nothing to choose between
    whole = {graph.names[v] for seed in range(20) for v in pick_distractors(graph, [0, 1, 2], "graph", config, seed)}
    assert whole == {"weather_now"}



def test_a_share_of_graph_samples_starts_where_no_data_flows():
    # a→b chains; f and g only share a parameter; x and y are two endpoints of one API with no edge at all
    # (h and i share a parameter too, but belong to no known API: two test functions that both take a `location`)
    names = ["a_get", "b_use", "f_shared", "g_shared", "x_quote", "y_quote", "z_alone", "h_test", "i_test"]
    nodes, edges = make_graph(names, [("a_get", "b_use", "data_flow", 0.9), ("f_shared", "g_shared", "shared_param", 0.9),
                                      ("h_test", "i_test", "shared_param", 0.9)])
    apis = {"id-x_quote": "rapidapi:Quotes", "id-y_quote": "rapidapi:Quotes", "id-f_shared": "fs.json",
            "id-g_shared": "fs.json"}

    def graph_samples(share: float) -> list[set[str]]:
        config = SamplingConfig(n_samples=200, seed=3, random_fraction=0.0, min_tools=2, max_tools=2,
                                flowless_share=share, distractor_rate=0.0)
        frame = sample_subgraphs(nodes, edges, config, apis)
        assert frame["padded"].sum() == 0  # the API's other endpoint is its neighbourhood: nothing padded in
        return [set(row) for row in frame["tool_names"].to_list()]

    assert all(s == {"a_get", "b_use"} for s in graph_samples(0.0))
    samples = graph_samples(0.25)
    flowless = [s for s in samples if s != {"a_get", "b_use"}]
    assert {frozenset(s) for s in flowless} == {frozenset({"f_shared", "g_shared"}), frozenset({"x_quote", "y_quote"})}
    assert 0.15 <= len(flowless) / len(samples) <= 0.35
    assert not any("z_alone" in s or "h_test" in s for s in samples)  # no API: left to the chains


def test_a_neighbourhood_that_runs_out_goes_on_within_the_api():
    names = ["a_get", "b_use", "c_other"]
    nodes, edges = make_graph(names, [("a_get", "b_use", "data_flow", 0.9)])
    config = SamplingConfig(n_samples=20, seed=5, random_fraction=0.0, min_tools=2, max_tools=3, distractor_rate=0.0,
                            flowless_share=0.0)
    with_api = sample_subgraphs(nodes, edges, config, {f"id-{n}": "shop.json" for n in names})
    without = sample_subgraphs(nodes, edges, config)
    assert with_api["padded"].sum() == 0 and without["padded"].sum() == 0
    # the edge a→b is the whole neighbourhood; the shop's third endpoint joins only when the API is known
    assert any(set(row) == set(names) for row in with_api["tool_names"].to_list())
    assert all(set(row) == {"a_get", "b_use"} for row in without["tool_names"].to_list())


def test_the_api_of_a_tool_is_known_only_where_the_catalog_names_one():
    from toolflow_assets.tools import Tool, api_of, same_api

    def tool(name, source, fmt, category, original=""):
        return Tool(tool_id=name, name=name, description="", parameters={}, returns=None, source=source,
                    source_format=fmt, category=category, original_name=original or name)

    ohlc = tool("iex_ohlc", "toolbench/G3_query.json", "rapidapi", "Finance", "Investors Exchange (IEX) Trading_OHLC")
    short = tool("iex_short", "toolbench/G1_query.json", "rapidapi", "Finance", "Investors Exchange (IEX) Trading_Short")
    news = tool("news", "toolbench/G3_query.json", "rapidapi", "Finance", "Web Search_newsSearch")
    add = tool("add", "bfcl/multi_turn_func_doc/math_api.json", "bfcl", "math_api")
    ls = tool("ls", "bfcl/multi_turn_func_doc/gorilla_file_system.json", "bfcl", "gorilla_file_system")
    test_set = [tool(n, "bfcl/BFCL_v4_live_multiple.json", "bfcl", "live_multiple") for n in ("weather", "tax")]
    assert same_api(ohlc, short) and not same_api(ohlc, news)  # one RapidAPI across query files, not one category
    assert api_of(add) and not same_api(add, ls)
    assert api_of(test_set[0]) == "" and not same_api(*test_set)  # a test set of unrelated functions is no API
    user_file = [tool(n, "my_tools.json", "openai", "my_tools") for n in ("weather", "tax")]
    assert not same_api(*user_file)  # nor a user's file whose category defaulted to its name


def test_an_api_whose_every_endpoint_chains_does_not_crowd_out_the_others():
    # 16 calculators that all feed each other, and a 4-endpoint shop whose listing alone starts chains: drawn by
    # tool, the calculators started 16 samples in 17; an API counts by the root of its size, so about two thirds
    # (√16 : √4), whatever share of its endpoints can start a chain
    calculators = [f"calc{i}_op" for i in range(16)]
    shop = [f"shop{i}_op" for i in range(4)]
    flows = [(a, b, "data_flow", 0.9) for a, b in zip(calculators, calculators[1:] + calculators[:1])]
    flows += [("shop0_op", other, "data_flow", 0.9) for other in shop[1:]]
    nodes, edges = make_graph(calculators + shop, flows)
    apis = {f"id-{n}": "math.json" for n in calculators} | {f"id-{n}": "shop.json" for n in shop}
    config = SamplingConfig(n_samples=400, seed=11, random_fraction=0.0, min_tools=2, max_tools=2, distractor_rate=0.0)
    starts = [row[0] for row in sample_subgraphs(nodes, edges, config, apis)["tool_names"].to_list()]
    share = sum(name.startswith("calc") for name in starts) / len(starts)
    assert 0.6 <= share <= 0.72, share


def test_an_apis_endpoints_are_one_shared_list_and_a_huge_file_is_no_neighbourhood():
    from toolflow_assets.sampling.graph_index import MAX_API_NEIGHBOURHOOD

    small = [f"s{i}_op" for i in range(3)]
    huge = [f"h{i}_op" for i in range(MAX_API_NEIGHBOURHOOD + 1)]
    nodes, edges = make_graph(small + huge, [])
    apis = {f"id-{n}": "shop.json" for n in small} | {f"id-{n}": "functions.json" for n in huge}
    index = GraphIndex.from_tables(nodes, edges, apis)
    assert index.api_endpoints[0] is index.api_endpoints[2] and index.api_endpoints[0] == [0, 1, 2]
    # a file of hundreds of functions is no service whose endpoints compose; it still counts as one API when seeding
    assert index.api_endpoints[3] == [] and index.api_size[3] == MAX_API_NEIGHBOURHOOD + 1
