"""The curated dataset combines batches, leaving out whole batches below the pass-rate floor."""

import polars as pl

from export_fixtures import batch
from toolflow_assets.export.curate import CurateSettings, batch_pass_rates, curate


def _two_batches():
    dialogues, _, _ = batch(graph=6, random=0, failed=0)
    ids = dialogues["dialogue_id"].to_list()
    keys = ["batch-0001"] * 3 + ["batch-0002"] * 3
    quality = pl.DataFrame({"dialogue_id": ids, "passed": [True, True, True, True, False, False], "batch": keys})
    return dialogues.with_columns(pl.Series("batch", keys)), quality, ids


def test_pass_rate_per_batch():
    _, quality, _ = _two_batches()
    assert batch_pass_rates(quality) == {"batch-0001": 1.0, "batch-0002": 0.3333}
    assert batch_pass_rates(quality.drop("batch")) == {"": 0.6667}  # outside partitions: one pseudo-batch


def test_a_batch_below_the_floor_is_left_out_whole():
    dialogues, quality, ids = _two_batches()
    curated = curate(dialogues, quality, CurateSettings(min_batch_pass_rate=0.5, validation_ratio=0.0))
    assert sorted(curated["dialogue_id"]) == sorted(ids[:3])
    assert set(curated["batch"]) == {"batch-0001"}


def test_without_a_floor_every_passing_dialogue_of_every_batch_is_kept():
    dialogues, quality, ids = _two_batches()
    curated = curate(dialogues, quality, CurateSettings(min_batch_pass_rate=0.0, validation_ratio=0.0))
    assert sorted(curated["dialogue_id"]) == sorted(ids[:4])
    assert dict(curated.group_by("batch").len().iter_rows()) == {"batch-0001": 3, "batch-0002": 1}
