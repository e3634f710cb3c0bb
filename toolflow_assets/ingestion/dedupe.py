"""Merge duplicate tools and give distinct tools sharing a name distinct names (pure, order-independent).

Near-duplicates (same name up to case and separators, same parameter names and types, descriptions that say
the same thing) are clustered greedily: each tool, in preference order, joins the first cluster whose
representative it resembles. Comparing each tool with every cluster made 10k same-name tools with different
descriptions take minutes, so the shared-word counts come from sparse matrix products over blocks of tools
(see `_clusters`); the result is exactly the one of the pairwise scan.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..tools import MAX_NAME_LENGTH, Tool

NEAR_DUPLICATE_OVERLAP = 0.6
# Words that say nothing about what a tool does (incl. the "(part of the X API)" tail of OpenAPI tools).
_STOPWORDS = frozenset("a an the of for to and or in on by with from as is are be this that it its using use used "
                       "given specified specific provided based into at which will can part api".split())


def _signature(tool: Tool) -> tuple[tuple[str, str], ...]:
    """Parameter names and types: two tools with different signatures are never duplicates."""
    props = tool.parameters.get("properties", {})
    return tuple(sorted((k, repr(v.get("type")) if isinstance(v, dict) else repr(v)) for k, v in props.items()))


def _name_key(name: str) -> str:
    """`get_weather`, `getWeather` and `Get-Weather` are the same name for duplicate detection."""
    return re.sub(r"[^a-z0-9]", "", name.lower()) or name.lower()


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS)


def _near_same(wa: frozenset[str], wb: frozenset[str]) -> bool:
    """Descriptions that say the same thing: most content words of the shorter one are in the longer one.

    Word overlap of the shorter description (not Jaccard): BFCL documents one function many times, reworded
    and often with an extra sentence ("Retrieves the current weather for a city" vs "Retrieve the current
    weather conditions for a specified location. Use short state names."), and those are one tool.
    """
    if not wa or not wb:
        return wa == wb
    return len(wa & wb) / min(len(wa), len(wb)) >= NEAR_DUPLICATE_OVERLAP


def _preference(tool: Tool) -> tuple[Any, ...]:
    """Which copy of a duplicate to keep: one with a return schema, then the fuller description, then a
    fixed order. Never the file order, so the result does not depend on how sources are listed."""
    return (tool.returns is None, -len(tool.description), tool.tool_id, tool.source, tool.position)


_BLOCK = 512  # tools assigned per step: their overlaps with every earlier cluster come from one sparse product


def _clusters(words: list[frozenset[str]]) -> list[list[int]]:
    """Greedy clusters of `words` (in order): each joins the first cluster whose first member it is
    `_near_same` to: exactly the pairwise scan's clusters, without the pairwise scan.

    Prefix filter: with words ranked rarest first, two sets sharing at least `need` words share one among
    the first |set| - need + 1 words (the prefix) of either. So candidate pairs are the pairs where the
    prefix of one meets the other, found by sparse matrix products (sets × words) for a block of tools
    against every representative so far; their exact shared-word counts come from a row-wise product of
    the candidates only. Common words sit at the end of every prefix, so "returns data" in every
    description adds no candidates, and all of it runs in C: 10k same-name tools over a 200-word
    vocabulary took 38 s (6.4M comparisons made one by one in Python)."""
    vocabulary: dict[str, int] = {}
    for ws in words:
        for w in ws:
            vocabulary[w] = vocabulary.get(w, 0) + 1
    rank = {w: i for i, w in enumerate(sorted(vocabulary, key=lambda w: (vocabulary[w], w)))}
    columns = [sorted(rank[w] for w in ws) for ws in words]  # rarest first
    sizes = np.fromiter((len(ws) for ws in words), dtype=np.int64, count=len(words))
    pointer = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    flat = np.fromiter((c for row in columns for c in row), dtype=np.int64, count=int(pointer[-1]))
    shape = (len(words), max(len(rank), 1))
    matrix = sp.csr_matrix((np.ones(flat.size, dtype=np.int32), flat, pointer), shape=shape)
    position = np.arange(flat.size) - np.repeat(pointer[:-1], sizes)
    in_prefix = position < np.repeat(sizes - _needed_overlap(sizes) + 1, sizes)
    prefix = sp.csr_matrix((in_prefix.astype(np.int32), flat, pointer), shape=shape)
    prefix.eliminate_zeros()

    members: list[list[int]] = []
    cluster_of_rep = np.full(len(words), -1, dtype=np.int64)  # representative item → its cluster
    reps: list[int] = []  # non-empty representatives, in creation order
    empty_cluster: int | None = None
    for lo in range(0, len(words), _BLOCK):
        block = np.arange(lo, min(lo + _BLOCK, len(words)))
        prior = _first_near_rep(matrix, prefix, block, np.array(reps, dtype=np.int64), sizes, cluster_of_rep) if reps \
            else np.full(block.size, -1)
        inside = _near_pairs(matrix, prefix, block, sizes)  # offset → earlier offsets in the block it is near to
        for offset, item in enumerate(block.tolist()):
            if not sizes[item]:  # matches only another empty description
                if empty_cluster is None:
                    empty_cluster = len(members)
                    members.append([item])
                else:
                    members[empty_cluster].append(item)
                continue
            found = int(prior[offset])
            if found < 0:  # representatives made earlier in this block come after all earlier clusters
                found = next((int(cluster_of_rep[block[o]]) for o in inside.get(offset, ()) if cluster_of_rep[block[o]] >= 0), -1)
            if found >= 0:
                members[found].append(item)
                continue
            cluster_of_rep[item] = len(members)
            members.append([item])
        reps.extend(i for i in block.tolist() if cluster_of_rep[i] >= 0)
    return members


def _needed_overlap(size: np.ndarray) -> np.ndarray:
    """A lower bound of the shared words `_near_same` needs when the smaller set has `size` words (the
    epsilon keeps float rounding from overstating it; an understatement only widens the prefix)."""
    return np.maximum(1, np.ceil(NEAR_DUPLICATE_OVERLAP * size - 1e-9)).astype(np.int64)


def _near_candidates(matrix, prefix, rows: np.ndarray, cols: np.ndarray, sizes: np.ndarray):
    """(row item, col item, near?) for the pairs of `rows` × `cols` where a prefix meets the other set."""
    a, b = matrix[rows], matrix[cols]
    found = ((prefix[rows] @ b.T) + (a @ prefix[cols].T)).tocoo()
    r, c = rows[found.row], cols[found.col]
    shared = np.asarray(matrix[r].multiply(matrix[c]).sum(axis=1)).ravel()  # exact counts, candidates only
    return r, c, found.row, found.col, shared / np.minimum(sizes[r], sizes[c]) >= NEAR_DUPLICATE_OVERLAP


def _first_near_rep(matrix, prefix, block, reps, sizes, cluster_of_rep) -> np.ndarray:
    """Per item of `block`, the lowest cluster among the representatives it is near to, or -1."""
    _, c, row, _, near = _near_candidates(matrix, prefix, block, reps, sizes)
    first = np.full(block.size, np.iinfo(np.int64).max)
    np.minimum.at(first, row[near], cluster_of_rep[c[near]])
    return np.where(first == np.iinfo(np.int64).max, -1, first)


def _near_pairs(matrix, prefix, block, sizes) -> dict[int, list[int]]:
    """Within a block: for each offset, the earlier offsets it is near to, in order."""
    _, _, row, col, near = _near_candidates(matrix, prefix, block, block, sizes)
    keep = near & (col < row) & (sizes[block[row]] > 0)
    pairs: dict[int, list[int]] = defaultdict(list)
    for r, c in sorted(zip(row[keep].tolist(), col[keep].tolist())):
        pairs[r].append(c)
    return pairs


def merge_duplicates(tools: list[Tool]) -> tuple[list[Tool], int]:
    """Merge exact duplicates (same tool_id) and near-exact ones: same name up to case and separators, same
    parameter names and types, and descriptions that say the same thing (`_near_same`). The kept copy
    (`_preference`) counts the merged ones in `merged_count`."""
    copies: dict[str, list[Tool]] = defaultdict(list)
    for tool in tools:
        copies[tool.tool_id].append(tool)
    # Exact duplicates first (cheap, and most of BFCL): one representative per tool_id, copies counted.
    distinct = []
    for same in copies.values():
        first = min(same, key=_preference)
        distinct.append((first, sum(t.merged_count for t in same)))
    groups: dict[tuple[str, Any], list[tuple[Tool, int]]] = defaultdict(list)
    for tool, count in distinct:
        groups[(_name_key(tool.name), _signature(tool))].append((tool, count))
    kept: list[Tool] = []
    for group in groups.values():
        if len(group) == 1:
            tool, count = group[0]
            kept.append(tool if count == tool.merged_count else replace(tool, merged_count=count))
            continue
        group.sort(key=lambda pair: _preference(pair[0]))
        for cluster in _clusters([_content_words(tool.description) for tool, _ in group]):
            kept.append(replace(group[cluster[0]][0], merged_count=sum(group[i][1] for i in cluster)))
    return kept, len(tools) - len(kept)


def resolve_collisions(tools: list[Tool]) -> tuple[list[Tool], int]:
    """Distinct tools sharing a name (case-insensitively): the most-merged one (then the lowest tool_id) keeps
    it, the others get `name_2`, `name_3`, ... in that order. Independent of file order."""
    by_name: dict[str, list[Tool]] = defaultdict(list)
    for tool in tools:
        by_name[tool.name.lower()].append(tool)
    taken = set(by_name)
    out: list[Tool] = []
    renamed = 0
    for name in sorted(by_name):
        group = sorted(by_name[name], key=lambda t: (-t.merged_count, t.tool_id))
        out.append(group[0])
        suffix = 2
        for tool in group[1:]:
            while True:
                tail = f"_{suffix}"
                candidate = tool.name[: MAX_NAME_LENGTH - len(tail)] + tail
                suffix += 1
                if candidate.lower() not in taken:
                    break
            taken.add(candidate.lower())
            out.append(replace(tool, name=candidate))
            renamed += 1
    return sorted(out, key=lambda t: t.name.lower()), renamed
