"""Batches: the unit in which sampling, planning, generation and quality checks run (pure, no Dagster).

A batch is a dynamic partition key such as `batch-0001`. Each batch draws its own samples from a seed
derived from the run seed and the key, and its ids carry the key, so batches never collide and the
curated dataset can combine them all.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterable, Mapping

import polars as pl

from .export.combine import stack
from .tools import derive_seed

DEFAULT_BATCH = "batch-0001"
_NUMBERED = re.compile(r"^batch-(\d+)$")
_ALLOWED = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def validate_batch_key(key: str) -> str:
    """A batch key becomes a path segment and an id prefix: letters, digits, `_` and `-` only (no `.`: it
    would read as a file suffix; no separator, NUL or newline). Checked wherever a key is used (the CLI, the
    IO manager, the assets), since the Dagster API and the UI add keys without the CLI."""
    if not isinstance(key, str) or not _ALLOWED.fullmatch(key):
        raise ValueError(f"batch key {key!r} must be 1-64 letters, digits, '_' or '-' (e.g. batch-0002); "
                         "it names files under the storage folder")
    return key


def next_batch_key(existing: Iterable[str]) -> str:
    """The key after the highest `batch-NNNN` among `existing` (`batch-0001` when there is none)."""
    numbers = [int(m.group(1)) for key in existing if (m := _NUMBERED.match(key))]
    return f"batch-{max(numbers, default=0) + 1:04d}"


def scheduled_batch_key(tick: datetime | None) -> str:
    """The batch of a schedule tick, named by its time: `scheduled-20261127-0300`."""
    return f"scheduled-{(tick or datetime.now(timezone.utc)):%Y%m%d-%H%M}"


def batch_seed(run_seed: int, batch_key: str | None) -> int:
    """The seed of one batch: the run seed itself without a batch, else a stable 31-bit mix of both, so
    each batch draws different samples and the same (seed, key) always draws the same ones."""
    return derive_seed(run_seed, "batch", batch_key) if batch_key else run_seed


def combine_batches(value: pl.DataFrame | Mapping[str, pl.DataFrame | None] | None) -> pl.DataFrame:
    """One table from a partitioned asset's value as an unpartitioned asset receives it (a dict of
    batch key → table, missing batches as None), or from a plain table (tests, unpartitioned upstreams).
    A `batch` column (last) says where each row came from; batches are stacked in key order. The IO
    manager's lazy mapping combines incrementally (`combined()`, export/combine.py), with the same result."""
    if value is None:
        return pl.DataFrame()
    if isinstance(value, pl.DataFrame):
        return value
    if callable(getattr(value, "combined", None)):
        return value.combined()
    return stack(value)
