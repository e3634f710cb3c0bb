"""Measures of a set of dialogues: shape (turns, calls, chaining, tool combinations) and text diversity.

Diversity follows the ToolFlow paper's data-quality table: distinct-3 (D-3: distinct word trigrams over
all trigrams) and n-gram entropy (H: Shannon entropy, in bits, of the word-trigram distribution), over
the natural text (user and assistant messages; tool JSON excluded). Both grow with corpus size, so when
strategies are compared they are measured on equal-size samples. SS is the mean cosine similarity of
consecutive messages, when an embedding function is given.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Sequence

import numpy as np

from ..quality.conversation import called_tool_names, is_chained, natural_texts, user_texts

_WORD = re.compile(r"[\w']+", re.UNICODE)

Embed = Callable[[Sequence[str]], np.ndarray]
"""Texts → L2-normalized rows (the graph stage's Embedder.embed)."""


@dataclass(frozen=True)
class Parsed:
    """One generated dialogue, decoded."""

    dialogue_id: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]

    @cached_property
    def chained(self) -> bool:
        """Whether an argument comes from an earlier tool output; computed once, as the report asks it of a
        dialogue in several blocks (its strategy, overall, realism)."""
        return is_chained(self.messages)


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def distinct_n(texts: Sequence[str], n: int = 3) -> float | None:
    """Distinct n-grams / all n-grams (n-grams do not cross text boundaries); None without any n-gram."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(ngrams(words(text), n))
    total = sum(counts.values())
    return round(len(counts) / total, 4) if total else None


def ngram_entropy(texts: Sequence[str], n: int = 3) -> float | None:
    """Shannon entropy in bits of the n-gram frequency distribution; None without any n-gram."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(ngrams(words(text), n))
    total = sum(counts.values())
    if not total:
        return None
    entropy = -sum((c / total) * math.log2(c / total) for c in counts.values())
    return round(entropy, 4)


def sample_ids(ids: Sequence[str], size: int, seed: int) -> list[str]:
    """A deterministic sample of `size` ids (ordered by a keyed hash), so D-3 and H compare like with like."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{seed}\x1f{i}".encode()).hexdigest())
    return sorted(ranked[:size])


def turn_similarity(dialogues: Sequence[Parsed], embed: Embed) -> float | None:
    """SS: mean over dialogues of the mean cosine similarity between consecutive natural-text messages."""
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    for dialogue in dialogues:
        own = natural_texts(dialogue.messages)
        spans.append((len(texts), len(texts) + len(own)))
        texts.extend(own)
    if not texts:
        return None
    vectors = np.asarray(embed(texts), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1.0, norms)
    means = []
    for start, end in spans:
        if end - start >= 2:
            block = vectors[start:end]
            means.append(float(np.mean(np.sum(block[:-1] * block[1:], axis=1))))
    return round(float(np.mean(means)), 4) if means else None


def shape_measures(dialogues: Sequence[Parsed]) -> dict[str, Any]:
    """Turns, calls, chaining and tool combinations of generated dialogues."""
    n = len(dialogues)
    if not n:
        return {"mean_user_turns": None, "mean_tool_calls": None, "chained_share": None,
                "multi_tool_share": None, "distinct_tool_combinations": 0, "distinct_tools_called": 0}
    turns = [len(user_texts(d.messages)) for d in dialogues]
    calls = [called_tool_names(d.messages) for d in dialogues]
    combinations = {tuple(sorted(set(c))) for c in calls if c}
    return {
        "mean_user_turns": round(sum(turns) / n, 3),
        "mean_tool_calls": round(sum(len(c) for c in calls) / n, 3),
        "chained_share": round(sum(d.chained for d in dialogues) / n, 4),
        "multi_tool_share": round(sum(len(set(c)) >= 2 for c in calls) / n, 4),
        "distinct_tool_combinations": len(combinations),
        "distinct_tools_called": len({name for c in calls for name in c}),
    }


def diversity_measures(dialogues: Sequence[Parsed], n: int = 3) -> dict[str, Any]:
    texts = [text for d in dialogues for text in natural_texts(d.messages)]
    return {f"distinct_{n}": distinct_n(texts, n), f"entropy_{n}": ngram_entropy(texts, n)}
