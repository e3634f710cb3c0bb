"""The `batch` partitions of the expensive stages (sampling → plans → dialogues → quality).

Batches are dynamic partitions: `toolflow run`, the schedule and the UI add them. A backfill of N batches
runs them in parallel, and a failed batch is retried alone; the curated dataset combines every batch
that passed its quality floor.
"""

import dagster as dg

from .batches import DEFAULT_BATCH, batch_seed, validate_batch_key

BATCH_PARTITIONS_NAME = "batch"
batch_partitions = dg.DynamicPartitionsDefinition(name=BATCH_PARTITIONS_NAME)

# Unpartitioned assets downstream of the batches read every batch; one that was registered but never
# materialized (it failed, or is still running) is skipped with a warning instead of failing the read.
ALL_BATCHES = dg.AssetIn(metadata={"allow_missing_partitions": True})


def current_batch(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> str | None:
    """The batch key, checked: it prefixes ids and names files, and a key added through the Dagster API or
    the UI never passed the CLI's check."""
    return validate_batch_key(context.partition_key) if context.has_partition_key else None


def seed_for(context, run_seed: int) -> int:
    """The batch's seed (the run seed mixed with the partition key)."""
    return batch_seed(run_seed, current_batch(context))


__all__ = ["ALL_BATCHES", "BATCH_PARTITIONS_NAME", "DEFAULT_BATCH", "batch_partitions", "current_batch", "seed_for"]
