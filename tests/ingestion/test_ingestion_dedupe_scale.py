"""Same-name merging in near-linear time, with exactly the clusters of the pairwise scan it replaced.

The failure reproduced: 10k tools with one name and one signature but different descriptions were compared
pairwise (quadratic): 95-140 s. An inverted word index with prefix filtering then made it 2.5 s, but a
small shared vocabulary (200 words) still took 38 s: 6.4M candidate comparisons, one by one in Python.
Now the candidates and their exact shared-word counts come from sparse matrix products, block by block."""

from __future__ import annotations

import random
import time

import pytest

from toolflow_assets.ingestion.dedupe import _clusters, _content_words, _near_same, merge_duplicates
from toolflow_assets.tools import Tool


def _pairwise_clusters(words):
    """The original greedy scan: each set joins the first cluster whose first member it resembles."""
    clusters: list[list[int]] = []
    for item, ws in enumerate(words):
        for cluster in clusters:
            if _near_same(words[cluster[0]], ws):
                cluster.append(item)
                break
        else:
            clusters.append([item])
    return clusters


@pytest.mark.parametrize("seed", range(40))
def test_clusters_equal_the_pairwise_scan(seed):
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(rng.choice([4, 8, 20, 60]))]
    words = [frozenset(rng.sample(vocab, rng.randint(0, min(7, len(vocab))))) for _ in range(rng.randint(1, 120))]
    assert _clusters(words) == _pairwise_clusters(words)


@pytest.mark.parametrize("seed", range(3))
def test_clusters_equal_the_pairwise_scan_across_blocks(seed):
    """More sets than one block (512), on a small vocabulary: merges reach representatives of earlier
    blocks and of the same block."""
    rng = random.Random(100 + seed)
    vocab = [f"w{i}" for i in range(12)]
    words = [frozenset(rng.sample(vocab, rng.randint(0, 6))) for _ in range(1300)]
    assert _clusters(words) == _pairwise_clusters(words)


def _same_name_tools(n: int, seed: int = 1, vocabulary: int = 50_000) -> list[Tool]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(vocabulary)]
    return [Tool(tool_id=f"id{i:05d}", name="same_name", description="returns data " + " ".join(rng.sample(vocab, 8)),
                 parameters={"type": "object", "properties": {"q": {"type": "string"}}}, returns=None,
                 source="s.json", source_format="openai", category="c", original_name="same_name", position=f"[{i}]")
            for i in range(n)]


@pytest.mark.parametrize(("vocabulary", "expected_kept"), [(50_000, 10_000), (200, 7_574)])
def test_ten_thousand_same_name_tools_merge_in_seconds(vocabulary, expected_kept):
    """A large vocabulary (nothing merges) and a small shared one (many candidate pairs, some merges)."""
    tools = _same_name_tools(10_000, vocabulary=vocabulary)
    started = time.process_time()
    kept, merged = merge_duplicates(tools)
    seconds = time.process_time() - started
    assert (len(kept), merged) == (expected_kept, 10_000 - expected_kept)
    # CPU seconds, not wall: the shared test machine is often loaded many times over
    assert seconds < 15, f"{seconds:.1f} CPU s (pairwise: 95-140 s; one by one over a 200-word vocabulary: 38 s)"


def test_rewordings_of_one_tool_still_merge_into_the_fullest_copy():
    base = _same_name_tools(1)[0]
    short = base.__class__(**{**base.__dict__, "tool_id": "a", "description": "Current weather for a city"})
    long = base.__class__(**{**base.__dict__, "tool_id": "b",
                             "description": "Retrieve the current weather conditions for a city. Use short names."})
    other = base.__class__(**{**base.__dict__, "tool_id": "c", "description": "Book a flight between airports"})
    kept, merged = merge_duplicates([short, other, long])
    assert merged == 1
    assert sorted((t.tool_id, t.merged_count) for t in kept) == [("b", 2), ("c", 1)]
    assert _content_words("the of for") == frozenset()
