"""Bounded graphs on dense catalogs (issue 14): edges grow linearly with the catalog, not as cliques of
every field shared by k tools (k²); a catalog past the edge budget or the memory limit fails at once with
an error naming that limit; pooling identical fields gives the field-level answer when texts differ."""

from __future__ import annotations

import random
import resource

import numpy as np
import pytest

from toolflow_assets.graph import budget
from toolflow_assets.graph.build import GraphConfig, build_tool_graph
from toolflow_assets.graph.embeddings import make_embedder
from toolflow_assets.graph.pooled import search_pooled
from toolflow_assets.graph.similarity import SearchConfig, search
from toolflow_assets.tools import Tool

# A shared vocabulary: every field of one name has the same text in every tool.
VOCAB = {"location": ("string", "The city and state, e.g. San Francisco, CA"), "user_id": ("string", "Identifier of the user"),
         "date": ("string", "Date in YYYY-MM-DD format"), "amount": ("number", "Amount of money"),
         "limit": ("integer", "Maximum number of results"), "email": ("string", "Email address of the contact")}


def dense_catalog(n: int, seed: int = 0) -> list[Tool]:
    rng = random.Random(seed)
    names = list(VOCAB)
    tools = []
    for i in range(n):
        params = rng.sample(names, 2)
        outs = rng.sample([x for x in names if x not in params], 2)
        schema = lambda keys: {"type": "object", "properties": {k: {"type": VOCAB[k][0], "description": VOCAB[k][1]} for k in keys}}  # noqa: E731
        name = f"do_thing_x{i:05d}"
        tools.append(Tool(tool_id=f"t{i:05d}", name=name, description=f"Does thing {i}.", parameters=schema(params),
                          returns=schema(outs), source="s.json", source_format="openai", category="c", original_name=name))
    return tools


@pytest.fixture(scope="module")
def graphs():
    embedder = make_embedder("offline")
    return {n: build_tool_graph(dense_catalog(n), embedder) for n in (300, 1200)}


def test_edges_grow_linearly_on_a_shared_vocabulary(graphs):
    small, large = graphs[300], graphs[1200]
    # every field of a name is shared by about a third of the catalog: cliques would give ~n²/9 pairs per field
    clique_pairs = 1200 * 1200 / 9
    assert large.edges.height < clique_pairs / 4, large.edges.height
    ratio = large.edges.height / small.edges.height
    assert 3.0 < ratio < 5.0, f"edges ×{ratio:.1f} for tools ×4: not linear"
    assert large.edges.height <= large.stats["max_field_pairs"]  # the bound checked before the build holds
    degree = large.nodes["degree"]
    assert degree.max() <= 4 * degree.mean(), "ties all went to the same few tools"
    assert (degree > 0).all()


def test_shared_fields_link_mutually(graphs):
    """Ring ties: when A takes B from a pool, B mostly takes A, so a shared field gives ~k/2 edges per
    tool per field rather than ~k (random tie-breaks) — the edge count that made 50k tools take gigabytes."""
    graph = graphs[1200]
    shared = graph.edges.filter(graph.edges["kind"] == "shared_param")
    picks = graph.stats["field_pairs_shared_param"]
    assert shared.height < 0.75 * picks, (shared.height, picks)


def test_over_the_edge_budget_fails_naming_the_limit():
    with pytest.raises(budget.GraphBudgetError, match=r"max_edges=1,000\b.*top_k_per_field"):
        build_tool_graph(dense_catalog(300), make_embedder("offline"), GraphConfig(max_edges=1_000))


def test_past_the_memory_limit_fails_before_allocating_naming_the_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    mapped = budget._status_kb("VmSize") * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mapped + 512 * 1024**2, hard))
    try:
        # 2,000 matches per field: a bound of about 3.6M field pairs × 300 bytes, past 512 MB of headroom
        with pytest.raises(budget.GraphBudgetError, match="RLIMIT_AS") as raised:
            build_tool_graph(dense_catalog(300), make_embedder("offline"),
                             GraphConfig(top_k_per_field=2_000, max_edges=None))
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    assert "GB" in str(raised.value) and "top_k_per_field" in str(raised.value)


def test_pooled_search_equals_the_field_level_search_when_texts_differ():
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((200, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    compat = np.array([[True, False], [False, True]])
    q_rows, t_rows = np.arange(120), np.arange(80, 200)  # distinct texts, some on both sides
    qt, tt = rng.integers(0, 2, 120), rng.integers(0, 2, 120)
    qg, tg = rng.integers(0, 30, 120), rng.integers(0, 30, 120)
    common = dict(k=4, threshold=0.05, query_types=qt, target_types=tt, compatible=compat, query_groups=qg,
                  target_groups=tg, config=SearchConfig(method="exact"))
    pooled, _ = search_pooled(vectors, q_rows, t_rows, query_tools=qg, target_tools=tg, **common)
    direct = search(vectors[q_rows], vectors[t_rows], **common)
    as_set = lambda m: {(int(q), int(t), round(float(s), 5)) for q, t, s in zip(m.query, m.target, m.score)}  # noqa: E731
    assert as_set(pooled) == as_set(direct)


def test_an_allocation_failure_later_on_is_named_too():
    """The estimate can be wrong and later steps allocate too: a MemoryError becomes an error naming the limit."""
    size = budget.bound(10, 30, 20, 5, True)
    with pytest.raises(budget.GraphBudgetError, match=r"out of memory while writing the GraphML \(400 field pairs"
                                                      r" at most\), under .*(RLIMIT_AS|cgroup|MemAvailable)"):
        with budget.memory_named("writing the GraphML", size):
            raise MemoryError()
