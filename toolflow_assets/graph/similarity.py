"""Blocked top-k cosine similarity between field vectors: exact for small catalogs, IVF for large ones.

Both methods only ever hold one block of the similarity matrix (`block_bytes`) and, per query, the k best
candidates seen so far, so memory stays bounded whatever the catalog size:

- `exact`: queries in row blocks against every type-compatible target (one matrix product per block).
  Cost grows with queries × targets, so it is the method for up to a few hundred million pairs.
- `ivf`: an inverted file. Spherical k-means (seeded) splits the targets into clusters of about
  `cluster_size` vectors; each query is compared only with the targets of its `n_probe` nearest clusters.
  Cost grows with queries × n_probe × cluster_size, i.e. linearly in catalog size (plus a small
  queries × clusters term). It is approximate: benchmarks/graph_build.py measures its recall against exact.

Ties (identical field texts are common: `location: The city and state` appears hundreds of times) are
broken by a deterministic hash of the (query, target) pair, so the k winners of each query spread over
the catalog instead of all queries picking the same first few targets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TIE_SCALE = np.float32(1e-5)


# Every embedding backend ends with this, so the searches below may take a dot product as the cosine.
def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


@dataclass(frozen=True)
class SearchConfig:
    method: str = "auto"  # "auto" | "exact" | "ivf"
    exact_max_pairs: int = 400_000_000  # auto: exact while queries × targets stays below this
    block_bytes: int = 64 * 1024 * 1024  # largest similarity block held at once
    cluster_size: int = 384  # ivf: targets per cluster
    n_probe: int = 8  # ivf: clusters searched per query
    kmeans_iterations: int = 8
    kmeans_sample: int = 50_000
    seed: int = 0


@dataclass(frozen=True)
class Matches:
    """Parallel arrays: query row, target row, cosine score (float32), sorted by (query, -score)."""

    query: np.ndarray
    target: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return int(self.query.shape[0])


def _empty() -> Matches:
    return Matches(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))


def tie_break(query: np.ndarray, target: np.ndarray) -> np.ndarray:
    """A deterministic pseudo-random number in [0, 1) per (query, target) pair (a 32-bit integer hash)."""
    h = (query.astype(np.uint64) * np.uint64(0x9E3779B1)) ^ (target.astype(np.uint64) * np.uint64(0x85EBCA77))
    h &= np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(15)
    h = (h * np.uint64(0x2C1B3C6D)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(12)
    return (h & np.uint64(0xFFFFFF)).astype(np.float32) / np.float32(0x1000000)


def top_k_per_query(query: np.ndarray, target: np.ndarray, score: np.ndarray, k: int) -> Matches:
    """Keep the k best (score, then tie-break hash) targets of every query; result sorted by query."""
    if query.size == 0:
        return _empty()
    rank = score + TIE_SCALE * tie_break(query, target)
    order = np.lexsort((-rank, query))
    q_sorted = query[order]
    starts = np.flatnonzero(np.r_[True, q_sorted[1:] != q_sorted[:-1]])
    counts = np.diff(np.r_[starts, q_sorted.size])
    position = np.arange(q_sorted.size) - np.repeat(starts, counts)
    keep = order[position < k]
    return Matches(query[keep], target[keep], score[keep])


def _candidates(
    sims: np.ndarray,
    q_rows: np.ndarray,
    t_rows: np.ndarray,
    threshold: float,
    query_groups: np.ndarray,
    target_groups: np.ndarray,
    compatible: np.ndarray | None,
    query_types: np.ndarray,
    target_types: np.ndarray,
    k: int,
) -> Matches:
    """Pairs of one similarity block above threshold, type-compatible, from different groups; k per query."""
    i, j = np.nonzero(sims >= threshold)
    if i.size == 0:
        return _empty()
    q, t = q_rows[i], t_rows[j]
    keep = query_groups[q] != target_groups[t]
    if compatible is not None:
        keep &= compatible[query_types[q], target_types[t]]
    if not keep.all():
        i, j, q, t = i[keep], j[keep], q[keep], t[keep]
    return top_k_per_query(q, t, sims[i, j].astype(np.float32), k)


def _concat(parts: list[Matches], k: int) -> Matches:
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty()
    query = np.concatenate([p.query for p in parts])
    target = np.concatenate([p.target for p in parts])
    score = np.concatenate([p.score for p in parts])
    # a target can reach a query through two probes (never in exact mode): drop repeated pairs first
    pair = query.astype(np.int64) * np.int64(1 << 31) + target.astype(np.int64)
    _, first = np.unique(pair, return_index=True)
    if first.size != pair.size:
        query, target, score = query[first], target[first], score[first]
    return top_k_per_query(query, target, score, k)


def search(
    queries: np.ndarray,
    targets: np.ndarray,
    *,
    k: int,
    threshold: float,
    query_types: np.ndarray,
    target_types: np.ndarray,
    compatible: np.ndarray,
    query_groups: np.ndarray,
    target_groups: np.ndarray,
    config: SearchConfig = SearchConfig(),
) -> Matches:
    """Top-k targets per query with cosine ≥ threshold, `compatible[query_type, target_type]` true and a
    different group (pairs of fields of the same tool, or of variants of one tool, never match).

    `queries` and `targets` are L2-normalized float32 rows; types are small ints indexing `compatible`.
    """
    n_q, n_t = queries.shape[0], targets.shape[0]
    if n_q == 0 or n_t == 0 or k <= 0:
        return _empty()
    method = resolve_method(n_q, n_t, config)
    args = (queries, targets, k, threshold, query_types, target_types, compatible, query_groups, target_groups, config)
    if method == "exact":
        return _search_exact(*args)
    if method == "ivf":
        return _search_ivf(*args)
    raise ValueError(f"unknown search method {config.method!r}: use auto, exact or ivf")


def resolve_method(n_queries: int, n_targets: int, config: SearchConfig) -> str:
    """The method `search` uses: `auto` means exact while queries × targets ≤ `exact_max_pairs`."""
    if config.method == "auto":
        return "exact" if n_queries * n_targets <= config.exact_max_pairs else "ivf"
    return config.method


def _search_exact(queries, targets, k, threshold, query_types, target_types, compatible, query_groups, target_groups, config):
    parts: list[Matches] = []
    for q_type in np.unique(query_types):
        q_rows = np.flatnonzero(query_types == q_type)
        t_rows = np.flatnonzero(compatible[q_type, target_types])
        if t_rows.size == 0:
            continue
        block_targets = np.ascontiguousarray(targets[t_rows])
        rows_per_block = max(16, config.block_bytes // (4 * t_rows.size))
        for start in range(0, q_rows.size, rows_per_block):
            rows = q_rows[start : start + rows_per_block]
            sims = queries[rows] @ block_targets.T
            parts.append(
                _candidates(sims, rows, t_rows, threshold, query_groups, target_groups, None, query_types, target_types, k)
            )
    return _concat(parts, k)


def spherical_kmeans(vectors: np.ndarray, n_clusters: int, iterations: int, sample: int, seed: int, block_bytes: int) -> np.ndarray:
    """Centroids (L2-normalized) of a seeded spherical k-means on a sample of the vectors."""
    rng = np.random.default_rng(seed)
    n = vectors.shape[0]
    train = vectors[np.sort(rng.choice(n, size=min(n, max(sample, n_clusters)), replace=False))]
    centroids = train[np.sort(rng.choice(train.shape[0], size=n_clusters, replace=False))].copy()
    for _ in range(iterations):
        labels = _nearest(train, centroids, 1, block_bytes)[:, 0]
        sums = np.zeros_like(centroids)
        np.add.at(sums, labels, train)
        empty = np.linalg.norm(sums, axis=1) == 0
        if empty.any():  # re-seed empty clusters with random training points, deterministically
            sums[empty] = train[rng.choice(train.shape[0], size=int(empty.sum()), replace=False)]
        centroids = sums / np.linalg.norm(sums, axis=1, keepdims=True)
    return centroids.astype(np.float32)


def _nearest(vectors: np.ndarray, centroids: np.ndarray, n: int, block_bytes: int) -> np.ndarray:
    """Indices of the n nearest centroids of every vector (blocked)."""
    out = np.empty((vectors.shape[0], n), dtype=np.int64)
    rows_per_block = max(16, block_bytes // (4 * centroids.shape[0]))
    for start in range(0, vectors.shape[0], rows_per_block):
        sims = vectors[start : start + rows_per_block] @ centroids.T
        if n == 1:
            out[start : start + rows_per_block, 0] = sims.argmax(axis=1)
        else:
            top = np.argpartition(-sims, n - 1, axis=1)[:, :n]
            out[start : start + rows_per_block] = top
    return out


def _search_ivf(queries, targets, k, threshold, query_types, target_types, compatible, query_groups, target_groups, config):
    n_t = targets.shape[0]
    n_clusters = max(1, min(n_t // max(1, config.cluster_size), 4096))
    centroids = spherical_kmeans(targets, n_clusters, config.kmeans_iterations, config.kmeans_sample, config.seed, config.block_bytes)
    target_cluster = _nearest(targets, centroids, 1, config.block_bytes)[:, 0]
    n_probe = min(config.n_probe, n_clusters)
    probes = _nearest(queries, centroids, n_probe, config.block_bytes)

    # inverted lists: targets by cluster, queries by probed cluster
    t_order = np.argsort(target_cluster, kind="stable")
    t_bounds = np.searchsorted(target_cluster[t_order], np.arange(n_clusters + 1))
    probe_cluster = probes.ravel()
    probe_query = np.repeat(np.arange(queries.shape[0]), n_probe)
    q_order = np.argsort(probe_cluster, kind="stable")
    q_bounds = np.searchsorted(probe_cluster[q_order], np.arange(n_clusters + 1))

    parts: list[Matches] = []
    pending = 0
    for cluster in range(n_clusters):
        t_rows = t_order[t_bounds[cluster] : t_bounds[cluster + 1]]
        q_rows = probe_query[q_order[q_bounds[cluster] : q_bounds[cluster + 1]]]
        if t_rows.size == 0 or q_rows.size == 0:
            continue
        block_targets = targets[t_rows]
        rows_per_block = max(16, config.block_bytes // (4 * t_rows.size))
        for start in range(0, q_rows.size, rows_per_block):
            rows = q_rows[start : start + rows_per_block]
            sims = queries[rows] @ block_targets.T
            part = _candidates(sims, rows, t_rows, threshold, query_groups, target_groups, compatible, query_types, target_types, k)
            parts.append(part)
            pending += len(part)
        if pending > 4 * k * queries.shape[0]:  # keep memory bounded: fold what we have into top-k
            parts = [_concat(parts, k)]
            pending = len(parts[0])
    return _concat(parts, k)
