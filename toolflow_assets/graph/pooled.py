"""Top-k field matching over pools of identical fields: time and memory grow with the catalog, not its square.

A catalog with a shared field vocabulary repeats the same field text thousands of times (`location: The
city and state` in 5,000 tools). Matching every field with every other then makes each similarity block
one dense run of ties: 50k such tools took 204 s and 11.7 GB. Fields with the same text and type are one
*pool*: identical vectors, identical scores. So the similarity search runs over distinct pools only, and
each query field then takes its k targets from the best pools in score order.

Inside a pool every target scores the same, so which k of them a query takes is a tie-break. A small
pool (at most `EXHAUSTIVE_POOL` fields) is read whole and ranked by the field-level search's own
tie-break, a hash of the (query, target) pair, so catalogs without big pools get exactly the field-level
answer. Ranking a big pool whole would cost queries × pool size again, so there: every tool has a fixed
pseudo-random place on a ring (a hash of its catalog position), and a query takes the members whose tools
stand nearest its own tool's place. Places are spread, so a shared field links each tool to a few tools
spread over the catalog rather than all tools to the same first few; and nearness is mutual, so when A
takes B, B mostly takes A: a field shared by thousands of tools gives about k/2 edges per tool, not 2k. A
query's cost is its window, not the pool's size. Fields of the query's own tool family (`calculate_tax`,
`calculate_tax_5`) are skipped; the window is widened by the most fields one family has in that pool, so
skipping never leaves a query short.

When every text is distinct, every pool has one field and the result equals a field-level search.
"""

from __future__ import annotations

import numpy as np

from .similarity import TIE_SCALE, Matches, SearchConfig, resolve_method, search, tie_break

_MAX_PAIRS_PER_BLOCK = 4_000_000
EXHAUSTIVE_POOL = 64  # pools up to this size are ranked whole, by the field-level tie-break  # candidate (query field, target field) pairs expanded at once


def _hash(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A deterministic 32-bit hash per (a, b) pair, as uint64."""
    h = (a.astype(np.uint64) * np.uint64(0x9E3779B1)) ^ (b.astype(np.uint64) * np.uint64(0x85EBCA77) + np.uint64(0x165667B1))
    h &= np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(15)
    h = (h * np.uint64(0x2C1B3C6D)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(12)
    return h


def ring_place(tools: np.ndarray) -> np.ndarray:
    """Each tool's place on the ring, a 32-bit hash of its catalog position."""
    return _hash(tools, np.zeros_like(tools)).astype(np.int64)


class Pools:
    """Fields grouped by (text row, type): `pool[field]`, and per pool its text row, type and group.

    A pool's group is its members' tool family when they all share one, else a number no field has,
    so that the pool-level search excludes a pair of pools only when every pair of their fields would be.
    """

    def __init__(self, text_rows: np.ndarray, types: np.ndarray, groups: np.ndarray, tools: np.ndarray, mixed_base: int):
        key = text_rows.astype(np.int64) * np.int64(64) + types.astype(np.int64)
        keys, self.pool = np.unique(key, return_inverse=True)
        self.pool = self.pool.astype(np.int64)
        self.text_row, self.type = keys // 64, keys % 64
        n = keys.size
        self.size = np.bincount(self.pool, minlength=n)
        g_min = np.full(n, np.iinfo(np.int64).max)
        g_max = np.full(n, np.iinfo(np.int64).min)
        np.minimum.at(g_min, self.pool, groups)
        np.maximum.at(g_max, self.pool, groups)
        self.group = np.where(g_min == g_max, g_min, mixed_base + np.arange(n))
        # the most fields one family has in a pool: how far a window must reach past skipped own-family fields
        pair = np.unique(self.pool * np.int64(1 << 32) + groups.astype(np.int64), return_counts=True)
        self.max_own = np.zeros(n, dtype=np.int64)
        np.maximum.at(self.max_own, pair[0] // np.int64(1 << 32), pair[1])
        # members of each pool in ring order: by their tool's place, then field number
        fields = np.arange(self.pool.size, dtype=np.int64)
        place = ring_place(tools)
        order = np.lexsort((fields, place, self.pool))
        self.members = fields[order]
        self.ring_key = self.pool[order] * np.int64(1 << 32) + place[order]  # sorted: searchsorted finds a place
        self.start = np.concatenate([[0], np.cumsum(self.size)[:-1]]).astype(np.int64)

    def __len__(self) -> int:
        return int(self.size.size)


def search_pooled(
    vectors: np.ndarray,
    query_rows: np.ndarray,
    target_rows: np.ndarray,
    *,
    k: int,
    threshold: float,
    query_types: np.ndarray,
    target_types: np.ndarray,
    compatible: np.ndarray,
    query_groups: np.ndarray,
    target_groups: np.ndarray,
    query_tools: np.ndarray,
    target_tools: np.ndarray,
    config: SearchConfig = SearchConfig(),
) -> tuple[Matches, str]:
    """Top-k target fields per query field (cosine ≥ threshold, compatible types, another tool family).

    `vectors` holds one L2-normalized row per distinct text; `query_rows` / `target_rows` say which row
    each field's text is. Returns the matches (field numbers, sorted by query, best first) and the search
    method used on the pools.
    """
    empty = Matches(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    if query_rows.size == 0 or target_rows.size == 0 or k <= 0:
        return empty, "exact"
    big = int(max(query_groups.max(initial=0), target_groups.max(initial=0))) + 1
    qp = Pools(query_rows, query_types, query_groups, query_tools, mixed_base=big)
    tp = Pools(target_rows, target_types, target_groups, target_tools, mixed_base=big + len(query_rows))
    # a few pools more than k: a mixed pool may hold only the query's own family
    pool_k = 2 * k
    found = search(
        np.ascontiguousarray(vectors[qp.text_row]), np.ascontiguousarray(vectors[tp.text_row]),
        k=pool_k, threshold=threshold, query_types=qp.type, target_types=tp.type, compatible=compatible,
        query_groups=qp.group, target_groups=tp.group, config=config,
    )
    method = resolve_method(len(qp), len(tp), config)
    if len(found) == 0:
        return empty, method
    # pool-level matches as CSR rows per query pool (search returns them sorted by query, best first)
    ptr = np.concatenate([[0], np.cumsum(np.bincount(found.query, minlength=len(qp)))]).astype(np.int64)
    # a single-family pool holds either no field of the query's family or only such fields: k suffice
    window = np.where(tp.size <= EXHAUSTIVE_POOL, tp.size, np.minimum(tp.size, k + np.where(tp.group >= big, tp.max_own, 0)))
    pool_cost = np.bincount(found.query, weights=window[found.target], minlength=len(qp))
    cost = pool_cost[qp.pool]

    parts: list[Matches] = []
    bounds = _blocks(cost, _MAX_PAIRS_PER_BLOCK)
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        parts.append(_expand(np.arange(lo, hi, dtype=np.int64), qp, tp, found, ptr, window, query_groups, target_groups, ring_place(query_tools), k))
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty, method
    return Matches(*(np.concatenate([getattr(p, a) for p in parts]) for a in ("query", "target", "score"))), method


def _blocks(cost: np.ndarray, budget: int) -> list[int]:
    """Split query fields 0..n into consecutive ranges of about `budget` total cost."""
    total = np.cumsum(cost)
    if total.size == 0:
        return [0, 0]
    cuts = np.searchsorted(total, np.arange(budget, int(total[-1]) + budget, budget), side="right")
    return sorted({0, *cuts.tolist(), int(cost.size)})


def _expand(queries, qp: Pools, tp: Pools, found: Matches, ptr, window, query_groups, target_groups, query_place, k) -> Matches:
    """The candidate target fields of a block of query fields, in rank order; the first k per query kept."""
    qpool = qp.pool[queries]
    n_matches = ptr[qpool + 1] - ptr[qpool]
    q = np.repeat(queries, n_matches)
    # the pool-level match numbers of every query, in the search's order (best pool first)
    first = np.repeat(ptr[qpool] - np.concatenate([[0], np.cumsum(n_matches)[:-1]]), n_matches)
    m = first + np.arange(q.size)
    t_pool = found.target[m]
    w = window[t_pool]
    q, m, t_pool = np.repeat(q, w), np.repeat(m, w), np.repeat(t_pool, w)
    step = np.arange(q.size) - np.repeat(np.concatenate([[0], np.cumsum(w)[:-1]]), w)
    size = tp.size[t_pool]
    # the first member at or after the query's place, then alternately one further on and one back
    nearest = np.searchsorted(tp.ring_key, t_pool * np.int64(1 << 32) + query_place[q]) - tp.start[t_pool]
    small = size <= EXHAUSTIVE_POOL
    offset = np.where(small, step, np.where(step % 2 == 1, (step + 1) // 2, -(step // 2)))
    target = tp.members[tp.start[t_pool] + (np.where(small, 0, nearest) + offset) % size]
    keep = query_groups[q] != target_groups[target]
    q, target, m, small, step = q[keep], target[keep], m[keep], small[keep], step[keep]
    if q.size == 0:
        return Matches(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    if small.any():
        # the field-level rank, score + a hash tie-break below the score's resolution (as `top_k_per_query`);
        # in a big pool the tie-break is nearness on the ring instead
        near = np.float32(1) - (step.astype(np.float32) + np.float32(0.5)) / window[t_pool[keep]].astype(np.float32)
        rank = found.score[m] + TIE_SCALE * np.where(small, tie_break(q, target), near)
        order = np.lexsort((-rank, q))
        q, target, m = q[order], target[order], m[order]
    starts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]])
    position = np.arange(q.size) - np.repeat(starts, np.diff(np.r_[starts, q.size]))
    top = position < k
    return Matches(q[top], target[top], found.score[m[top]])
