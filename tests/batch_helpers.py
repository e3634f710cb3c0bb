"""Materializing the batch-partitioned stages in tests: an ephemeral instance that knows the batch."""

from __future__ import annotations

from typing import Any, Sequence

import dagster as dg

from toolflow_assets.batches import DEFAULT_BATCH
from toolflow_assets.partitions import BATCH_PARTITIONS_NAME


def batch_instance(*batches: str) -> dg.DagsterInstance:
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(BATCH_PARTITIONS_NAME, list(batches or [DEFAULT_BATCH]))
    return instance


def materialize_batch(assets: Sequence[Any], batch: str = DEFAULT_BATCH, instance: dg.DagsterInstance | None = None,
                      **kwargs: Any) -> dg.ExecuteInProcessResult:
    """`dg.materialize` for one batch partition (registered on the instance first)."""
    instance = instance or batch_instance(batch)
    if not instance.has_dynamic_partition(BATCH_PARTITIONS_NAME, batch):
        instance.add_dynamic_partitions(BATCH_PARTITIONS_NAME, [batch])
    return dg.materialize(assets, partition_key=batch, instance=instance, **kwargs)
