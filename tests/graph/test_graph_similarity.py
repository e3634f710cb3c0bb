"""Blocked top-k search: exact agrees with a brute-force reference; IVF is close to exact; ties spread."""

from __future__ import annotations

import numpy as np
import pytest

from toolflow_assets.graph.similarity import SearchConfig, search, top_k_per_query

COMPAT = np.array([[True, False, True], [False, True, False], [True, False, True]])


def random_unit(rng, n, d=32):
    v = rng.standard_normal((n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def reference(queries, targets, k, threshold, qt, tt, qg, tg):
    """The brute-force answer: every pair, filtered, k best per query (scores only, ties aside)."""
    sims = queries @ targets.T
    result = {}
    for i in range(queries.shape[0]):
        ok = [(float(sims[i, j]), j) for j in range(targets.shape[0])
              if sims[i, j] >= threshold and COMPAT[qt[i], tt[j]] and qg[i] != tg[j]]
        result[i] = sorted(ok, reverse=True)[:k]
    return result


@pytest.mark.parametrize("block_bytes", [4 * 1024, 64 * 1024 * 1024])
def test_exact_search_matches_brute_force(block_bytes):
    rng = np.random.default_rng(1)
    queries, targets = random_unit(rng, 120), random_unit(rng, 90)
    qt, tt = rng.integers(0, 3, 120), rng.integers(0, 3, 90)
    qg, tg = rng.integers(0, 40, 120), rng.integers(0, 40, 90)
    found = search(queries, targets, k=4, threshold=0.1, query_types=qt, target_types=tt, compatible=COMPAT,
                   query_groups=qg, target_groups=tg, config=SearchConfig(method="exact", block_bytes=block_bytes))
    expected = reference(queries, targets, 4, 0.1, qt, tt, qg, tg)
    for i in range(120):
        got = sorted(((float(s), int(t)) for q, t, s in zip(found.query, found.target, found.score) if q == i), reverse=True)
        assert len(got) == len(expected[i])
        assert np.allclose([s for s, _ in got], [s for s, _ in expected[i]], atol=1e-5)
        assert all(COMPAT[qt[i], tt[t]] and qg[i] != tg[t] for _, t in got)
    assert len(found) == sum(len(v) for v in expected.values())


def test_ivf_finds_most_exact_matches_on_clustered_data():
    rng = np.random.default_rng(2)
    centers = random_unit(rng, 60, 64)
    labels = rng.integers(0, 60, 6000)
    points = centers[labels] + 0.35 * rng.standard_normal((6000, 64)).astype(np.float32) / 8
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    types = np.zeros(6000, dtype=np.int64)
    groups = np.arange(6000)
    args = dict(k=5, threshold=0.8, query_types=types, target_types=types, compatible=COMPAT, query_groups=groups, target_groups=groups)
    exact = search(points, points, config=SearchConfig(method="exact"), **args)
    ivf = search(points, points, config=SearchConfig(method="ivf", cluster_size=100, n_probe=6, seed=3), **args)
    exact_pairs = set(zip(exact.query.tolist(), exact.target.tolist()))
    ivf_pairs = set(zip(ivf.query.tolist(), ivf.target.tolist()))
    assert len(exact_pairs) > 20_000
    recall = len(exact_pairs & ivf_pairs) / len(exact_pairs)
    assert recall > 0.9, recall
    assert np.all(ivf.score >= 0.8) and not np.any(ivf.query == ivf.target)


def test_ivf_is_deterministic_for_a_seed():
    rng = np.random.default_rng(4)
    v = random_unit(rng, 2000, 16)
    types, groups = np.zeros(2000, dtype=np.int64), np.arange(2000)
    kwargs = dict(k=3, threshold=0.5, query_types=types, target_types=types, compatible=COMPAT, query_groups=groups,
                  target_groups=groups, config=SearchConfig(method="ivf", cluster_size=50, seed=9))
    a, b = search(v, v, **kwargs), search(v, v, **kwargs)
    assert np.array_equal(a.query, b.query) and np.array_equal(a.target, b.target) and np.array_equal(a.score, b.score)


def test_ties_spread_over_identical_targets():
    """200 identical targets: each query's 3 winners differ from query to query, deterministically."""
    base = np.ones((1, 8), dtype=np.float32) / np.sqrt(8)
    targets = np.repeat(base, 200, axis=0)
    queries = np.repeat(base, 50, axis=0)
    zeros_q, zeros_t = np.zeros(50, dtype=np.int64), np.zeros(200, dtype=np.int64)
    found = search(queries, targets, k=3, threshold=0.5, query_types=zeros_q, target_types=zeros_t, compatible=COMPAT,
                   query_groups=np.arange(50) + 1000, target_groups=np.arange(200))
    assert len(found) == 150
    assert len(set(found.target.tolist())) > 60  # not the same three targets for everyone


def test_top_k_per_query_orders_by_score():
    q = np.array([0, 0, 0, 1, 1])
    t = np.array([5, 6, 7, 8, 9])
    s = np.array([0.1, 0.9, 0.5, 0.3, 0.4], dtype=np.float32)
    kept = top_k_per_query(q, t, s, 2)
    assert kept.query.tolist() == [0, 0, 1, 1]
    assert kept.target.tolist() == [6, 7, 9, 8]
