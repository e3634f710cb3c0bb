"""Incremental combination of a partitioned table's batches (pure, no Dagster).

The dataset assets (curated_dialogues, dataset_export, synthesis_report) take every batch of the batch
tables. Re-reading every batch on each run made a run's cost grow with the dataset (issue 15), so the
combination is kept: one stored table of all batches' rows, each row marked with the batch it came from
and that batch's *mark* (the event-log id of the batch's latest materialization). A later combination
reuses the stored rows of every batch whose mark is unchanged and reads only the others: a new batch, or
a re-run batch, whose rows then replace that batch's old ones. A batch that is no longer wanted drops out.
The result is the full recombination's, row for row: batches in key order, each batch's rows in order,
the `batch` column last.

Runs at once (a backfill) may each write the stored combination; the last write wins and may lack a batch
another run added. Nothing is lost: that batch's mark is then missing, so the next combination reads it.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

import polars as pl

MARK = "_batch_mark"  # column of the stored combination only; never in what the assets receive


def stack(frames: Mapping[str, pl.DataFrame | None]) -> pl.DataFrame:
    """The full recombination: each batch's rows with a `batch` column, batches in key order."""
    parts = [frame.with_columns(pl.lit(key, dtype=pl.String).alias("batch"))
             for key, frame in sorted(frames.items()) if frame is not None]
    if not parts:
        return pl.DataFrame()
    return _batch_last(pl.concat(parts, how="diagonal_relaxed"))


def _batch_last(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.exclude("batch"), "batch") if "batch" in frame.columns else frame


def stale_batches(stored: pl.DataFrame | None, marks: Mapping[str, int | None],
                  wanted: Iterable[str]) -> list[str]:
    """The wanted batches the stored combination cannot supply: not in it, stored under another mark
    (re-materialized since), or without a mark (unknown provenance: never trusted)."""
    held = _held_marks(stored)
    return sorted(key for key in wanted if marks.get(key) is None or held.get(key) != marks.get(key))


def _held_marks(stored: pl.DataFrame | None) -> dict[str, int]:
    if stored is None or stored.is_empty() or MARK not in stored.columns:
        return {}
    pairs = stored.select("batch", MARK).unique()
    return {str(b): int(m) for b, m in pairs.iter_rows() if m is not None}


def combine(stored: pl.DataFrame | None, marks: Mapping[str, int | None], wanted: Iterable[str],
            load: Callable[[str], pl.DataFrame | None]) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """(the combination the assets receive, the one to store, the batches loaded).

    `load(key)` reads one batch (None: missing); it is called only for `stale_batches`."""
    wanted = sorted(set(wanted))
    loaded = stale_batches(stored, marks, wanted)
    reused = sorted(set(wanted) - set(loaded))
    parts: list[pl.DataFrame] = []
    if reused and stored is not None:
        parts.append(stored.filter(pl.col("batch").is_in(reused)))
    for key in loaded:
        frame = load(key)
        if frame is not None:
            mark = marks.get(key)
            parts.append(frame.with_columns(pl.lit(key, dtype=pl.String).alias("batch"),
                                            pl.lit(mark, dtype=pl.Int64).alias(MARK)))
    if not parts:
        return pl.DataFrame(), pl.DataFrame(), loaded
    # stable: each batch's rows keep their order, and batches come in key order as in `stack`
    keep = _batch_last(pl.concat(parts, how="diagonal_relaxed").sort("batch", maintain_order=True))
    return keep.drop(MARK), keep, loaded
