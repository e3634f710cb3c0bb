"""On the bundled corpus, graph sampling finds data-flow chains far more often than random sampling."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "graph"))  # the shared bundled-graph fixture
from bundled_graph_fixture import bundled_graph  # noqa: E402

from toolflow_assets.sampling.report import strategy_comparison  # noqa: E402
from toolflow_assets.sampling.sample import SamplingConfig, sample_subgraphs  # noqa: E402


@pytest.fixture(scope="module")
def samples():
    graph = bundled_graph()
    started = time.perf_counter()
    drawn = sample_subgraphs(graph.nodes, graph.edges, SamplingConfig(n_samples=300, seed=7, random_fraction=0.5))
    print(f"sampled 300 in {time.perf_counter() - started:.2f}s")
    return drawn


def test_graph_sampling_beats_random_on_chains(samples):
    report = {r["strategy"]: r for r in strategy_comparison(samples, bundled_graph().nodes).to_dicts()}
    graph, rand = report["graph"], report["random"]
    assert graph["samples"] == rand["samples"] == 150
    assert graph["share_chain_ge_2"] >= 0.8
    assert graph["share_chain_ge_2"] >= rand["share_chain_ge_2"] + 0.5
    assert graph["mean_longest_chain"] > rand["mean_longest_chain"] + 0.5
    assert graph["tool_coverage"] > 0.1  # the reuse penalty keeps it from circling a few hubs


def test_bundled_samples_are_reproducible(samples):
    graph = bundled_graph()
    again = sample_subgraphs(graph.nodes, graph.edges, SamplingConfig(n_samples=300, seed=7, random_fraction=0.5))
    assert again.equals(samples)
