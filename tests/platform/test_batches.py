"""Batch keys, seeds and the combination of batches (pure), and the curated floor per batch."""

import polars as pl
import pytest

from toolflow_assets.batches import (batch_seed, combine_batches, next_batch_key, scheduled_batch_key,
                                     validate_batch_key)


def test_next_batch_key_counts_past_the_highest_numbered_batch():
    assert next_batch_key([]) == "batch-0001"
    assert next_batch_key(["batch-0001", "batch-0007", "scheduled-20261127-0300", "batch-0002"]) == "batch-0008"
    assert next_batch_key(["mine"]) == "batch-0001"


def test_batch_keys_must_be_safe_as_file_names():
    assert validate_batch_key("batch-0002") == "batch-0002"
    for bad in ("", "has space", "../up", "a.b", "x" * 65):
        with pytest.raises(ValueError, match="batch key"):
            validate_batch_key(bad)


def test_each_batch_has_its_own_stable_seed():
    assert batch_seed(7, None) == 7
    assert batch_seed(7, "batch-0001") == batch_seed(7, "batch-0001")
    assert len({batch_seed(7, "batch-0001"), batch_seed(7, "batch-0002"), batch_seed(8, "batch-0001")}) == 3
    assert 0 <= batch_seed(7, "batch-0001") < 2**31


def test_scheduled_batches_are_named_by_their_tick():
    from datetime import datetime, timezone

    assert scheduled_batch_key(datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)) == "scheduled-20260102-0304"


def test_combine_batches_stacks_in_key_order_and_skips_missing_ones():
    value = {"b2": pl.DataFrame({"x": [2]}), "b1": pl.DataFrame({"x": [1], "y": ["a"]}), "b3": None}
    combined = combine_batches(value)
    assert combined["batch"].to_list() == ["b1", "b2"] and combined["x"].to_list() == [1, 2]
    assert combined["y"].to_list() == ["a", None]
    plain = pl.DataFrame({"x": [1]})
    assert combine_batches(plain) is plain
    assert combine_batches({}).is_empty() and combine_batches(None).is_empty()
