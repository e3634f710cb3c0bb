"""When the dataset assets rebuild on their own: once after new batches, not once per batch.

Each dataset asset reads every batch (curate, export, report), so building them inside every batch run
made a backfill of N batches do O(N²) dataset work, about 60% of a batch run's steps (issue 15). The
batch job (`generate_batch`) therefore stops at the batch's tables, and this condition rebuilds the
dataset when a batch has been written since the dataset was last requested, and only while no batch is
still queued or running: a backfill of N batches ends with one dataset run.

It is Dagster's `eager()` without its "no dependency partition is missing" clause: the dataset reads all
batch partitions with `allow_missing_partitions`, and a batch registered but never generated (or whose run
failed) must not hold the dataset back forever. Batches under the pass-rate floor are left out by
curation itself (`CurateConfig.min_batch_pass_rate`). A run that materializes the dataset together with
its batch (`full_pipeline`, `toolflow run`) does not trigger a second build: `any_deps_updated` ignores
updates made by a run that also planned the dataset.
"""

from __future__ import annotations

import dagster as dg

AFTER_NEW_BATCHES = (
    dg.AutomationCondition.any_deps_updated().since_last_handled()
    & ~dg.AutomationCondition.any_deps_in_progress()
    & ~dg.AutomationCondition.in_progress()
).with_label("after_new_batches")
