"""Train/validation split: by a ratio, seeded, optionally keeping each tool combination on one side.

Items (or, with grouping, whole groups) are ordered by a keyed hash of (seed, key) — the same order in
every run and process, never `hash()` of a str — and validation is filled in that order until it holds
`round(n · ratio)` dialogues. With grouping a group is never split, so a tool combination
seen in validation was never seen in training (no leakage); the ratio is then met as closely as whole
groups allow.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

TRAIN = "train"
VALIDATION = "validation"


def _rank(seed: int, key: str) -> str:
    return hashlib.sha256(f"{seed}\x1f{key}".encode("utf-8")).hexdigest()


def assign_splits(ids: Sequence[str], groups: Sequence[str] | None, validation_ratio: float,
                  seed: int) -> list[str]:
    """`train` or `validation` per item, in order. `groups`: one key per item (e.g. its tool combination)
    to keep together, or None to split item by item."""
    if not 0.0 <= validation_ratio < 1.0:
        raise ValueError(f"validation_ratio must be in [0, 1), got {validation_ratio}")
    n = len(ids)
    target = round(n * validation_ratio)
    if validation_ratio > 0 and n >= 2:
        target = max(1, min(target, n - 1))  # both sides non-empty when there is anything to split
    keys = list(groups) if groups is not None else list(ids)
    members: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        members.setdefault(key, []).append(index)

    splits = [TRAIN] * n
    filled = 0
    for key in sorted(members, key=lambda k: _rank(seed, k)):
        if filled >= target:
            break
        group = members[key]
        if groups is not None and filled + len(group) > target and (filled > 0 or len(group) >= n):
            continue  # the group would overshoot (or take everything): try a smaller one
        for index in group:
            splits[index] = VALIDATION
        filled += len(group)
    return splits
