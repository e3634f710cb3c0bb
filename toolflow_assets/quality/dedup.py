"""Near-duplicate dialogues: MinHash signatures of word-shingle sets, banded LSH, then an exact check.

Two dialogues are near-duplicates when the Jaccard similarity of their users' word n-gram sets is at
least `threshold`. LSH (b bands of r rows) finds candidate pairs in roughly linear time; each candidate is
then confirmed with the exact Jaccard of the two shingle sets, so the answer never depends on a lucky
hash. Shingles are hashed with blake2b (`hash()` of a str is salted per process, so it is not used) and
the permutations come from a seeded generator: same texts, config and seed → same result.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

_MAX_HASH = (1 << 32) - 1
_WORD = re.compile(r"[\w']+", re.UNICODE)


@dataclass(frozen=True)
class DedupConfig:
    threshold: float = 0.85  # Jaccard at or above which two dialogues are near-duplicates
    shingle_size: int = 3  # words per shingle
    num_perm: int = 128
    # rows per band = num_perm // bands; (1/bands)^(1/rows) ≈ 0.71 is where LSH starts to pair items:
    # P(candidate) ≈ 0.99 at Jaccard 0.85, ≈ 0.06 at 0.5, so template-alike dialogues stay near-linear.
    bands: int = 16
    seed: int = 0


def shingles(text: str, size: int) -> set[str]:
    """Word n-grams of the lower-cased text (the whole text when it is shorter than n words)."""
    words = _WORD.findall(text.casefold())
    if not words:
        return set()
    if len(words) < size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _hash32(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest(), "little")


def minhash_signatures(sets: Sequence[set[str]], num_perm: int, seed: int, chunk: int = 2048) -> np.ndarray:
    """`len(sets) × num_perm` MinHash signatures (all-max rows for empty sets), vectorized over all shingles.

    Each permutation is Dietzfelbinger's multiply-add-shift hash of the 32-bit shingle hash x:
    h(x) = ((a·x + b) mod 2^64) >> 32 with a odd — universal, and free of slow 64-bit modulo. Work goes
    in chunks of shingles so temporaries stay small (large fresh arrays are costly to page in).
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64)
    signatures = np.full((len(sets), num_perm), _MAX_HASH, dtype=np.uint64)
    cache: dict[str, int] = {}
    hashes: list[int] = []
    owners: list[int] = []
    for row, items in enumerate(sets):
        for item in items:
            value = cache.get(item)
            if value is None:
                value = cache[item] = _hash32(item)
            hashes.append(value)
            owners.append(row)
    if not hashes:
        return signatures
    x_all = np.array(hashes, dtype=np.uint64)
    owner_all = np.array(owners, dtype=np.int64)
    shift = np.uint64(32)
    # One preallocated buffer, reused for every chunk: fresh large arrays are costly to page in.
    buffer = np.empty((min(chunk, len(x_all)), num_perm), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for start in range(0, len(x_all), chunk):
            x = x_all[start : start + chunk, None]
            owner = owner_all[start : start + chunk]
            hashed = buffer[: len(x)]
            np.multiply(x, a[None, :], out=hashed)
            np.add(hashed, b[None, :], out=hashed)
            np.right_shift(hashed, shift, out=hashed)
            # shingles are grouped by owner (sets were walked in order): reduce each owner's segment
            starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
            minima = np.minimum.reduceat(hashed, starts, axis=0)
            rows = owner[starts]
            signatures[rows] = np.minimum(signatures[rows], minima)
    return signatures


def _band_keys(signatures: np.ndarray, rows: int, seed: int) -> np.ndarray:
    """One uint64 key per (item, band): a random linear combination of the band's rows (mod 2^64).
    Different bands may collide by chance; every candidate is confirmed by exact Jaccard anyway."""
    bands = signatures.shape[1] // rows
    weights = np.random.default_rng(seed + 1).integers(1, 1 << 63, size=rows, dtype=np.uint64) | np.uint64(1)
    view = signatures[:, : bands * rows].reshape(len(signatures), bands, rows)
    with np.errstate(over="ignore"):
        return (view * weights[None, None, :]).sum(axis=2, dtype=np.uint64)


def jaccard(left: set[str], right: set[str]) -> float:
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


def near_duplicates(texts: Sequence[str], config: DedupConfig = DedupConfig(),
                    stats: dict[str, int] | None = None) -> dict[int, tuple[int, float]]:
    """Which items duplicate an earlier one: {index: (index of the earlier item kept, Jaccard)}.

    Items are considered in the given order; the first of a group is kept, the others point at it (the
    caller orders texts by preference). Items with no words are never flagged. `stats`, when given,
    receives `candidate_pairs` (pairs LSH proposed) and `comparisons` (exact Jaccard computations).
    """
    sets = [shingles(t, config.shingle_size) for t in texts]
    signatures = minhash_signatures(sets, config.num_perm, config.seed)
    rows = max(1, config.num_perm // max(1, config.bands))
    keys = _band_keys(signatures, rows, config.seed)
    has_words = np.array([bool(s) for s in sets])
    candidates: dict[int, set[int]] = {}
    for band in range(keys.shape[1]):
        _, inverse, counts = np.unique(keys[:, band], return_inverse=True, return_counts=True)
        if counts.max(initial=0) < 2:
            continue
        order = np.argsort(inverse, kind="stable")  # grouped by bucket, in index order within a bucket
        bounds = np.r_[0, np.cumsum(counts)]
        for bucket in np.flatnonzero(counts > 1):
            members = [int(i) for i in order[bounds[bucket] : bounds[bucket + 1]] if has_words[i]]
            for position, later in enumerate(members[1:], start=1):
                # a huge bucket means many copies of one text: its first members suffice as anchors
                candidates.setdefault(later, set()).update(members[: min(position, 64)])
    duplicates: dict[int, tuple[int, float]] = {}
    comparisons = 0
    for index in sorted(candidates):
        for other in sorted(candidates[index]):
            if other in duplicates:  # compare with kept items only, so a chain a~b~c keeps a alone
                continue
            comparisons += 1
            score = jaccard(sets[index], sets[other])
            if score >= config.threshold:
                duplicates[index] = (other, score)
                break
    if stats is not None:
        stats["candidate_pairs"] = sum(len(c) for c in candidates.values())
        stats["comparisons"] = comparisons
    return duplicates
