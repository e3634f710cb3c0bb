"""Merge duplicate tools and give distinct tools sharing a name distinct names (pure, order-independent).

Near-duplicates (same name up to case and separators, same parameter names and types, descriptions that say
the same thing) are clustered greedily: each tool, in preference order, joins the first cluster whose
representative it resembles. Comparing each tool with every cluster made 10k same-name tools with different
descriptions take minutes, so candidates come from an inverted word index with prefix filtering (the
set-similarity-join technique): only clusters that share one of the words a match would have to share are
compared, and the result is exactly the one of the pairwise scan.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

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


def _needed_overlap(size: int) -> int:
    """A lower bound of the shared words `_near_same` needs when the smaller set has `size` words (the
    epsilon keeps float rounding from overstating it; an understatement only widens the prefix)."""
    return max(1, math.ceil(NEAR_DUPLICATE_OVERLAP * size - 1e-9))


def _preference(tool: Tool) -> tuple[Any, ...]:
    """Which copy of a duplicate to keep: one with a return schema, then the fuller description, then a
    fixed order. Never the file order, so the result does not depend on how sources are listed."""
    return (tool.returns is None, -len(tool.description), tool.tool_id, tool.source, tool.position)


def _clusters(words: list[frozenset[str]]) -> list[list[int]]:
    """Greedy clusters of `words` (in order): each joins the first cluster whose first member it is
    `_near_same` to. Prefix filter: with words ranked rarest first, two sets sharing at least k words share
    one among the first |set| - k + 1 of either. So a tool of s words probes (a) its own prefix against
    every word of representatives with at least s words, and (b) all its words against the prefixes of
    smaller representatives. Common words sit at the end of every prefix, so their long posting lists are
    rarely read."""
    frequency = Counter(w for ws in words for w in ws)
    rank = {w: i for i, w in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    full_index: dict[str, list[int]] = defaultdict(list)  # word → clusters whose representative has it
    prefix_index: dict[str, list[int]] = defaultdict(list)  # word → clusters whose representative's prefix has it
    reps: list[frozenset[str]] = []
    members: list[list[int]] = []
    empty_cluster: int | None = None
    for item, ws in enumerate(words):
        if not ws:  # matches only another empty description
            if empty_cluster is None:
                empty_cluster = len(reps)
                reps.append(ws)
                members.append([item])
            else:
                members[empty_cluster].append(item)
            continue
        ordered = sorted(ws, key=rank.__getitem__)
        size = len(ordered)
        candidates = {c for w in ordered[: size - _needed_overlap(size) + 1] for c in full_index[w]
                      if len(reps[c]) >= size}
        candidates.update(c for w in ordered for c in prefix_index[w] if len(reps[c]) < size)
        found = next((c for c in sorted(candidates) if _near_same(reps[c], ws)), None)
        if found is not None:
            members[found].append(item)
            continue
        cluster = len(reps)
        reps.append(ws)
        members.append([item])
        for w in ordered:
            full_index[w].append(cluster)
        for w in ordered[: size - _needed_overlap(size) + 1]:
            prefix_index[w].append(cluster)
    return members


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
