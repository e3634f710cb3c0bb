"""The stored combination's bookkeeping (export/combine.py), without Dagster."""

import polars as pl

from toolflow_assets.export.combine import MARK, combine, stack


def _frames():
    return {"b1": pl.DataFrame({"x": [1, 2]}), "b2": pl.DataFrame({"x": [3]}), "b3": pl.DataFrame({"x": [4, 5]})}


def test_only_unknown_or_remarked_batches_are_loaded_and_the_result_is_the_stack():
    frames, reads = _frames(), []

    def load(key):
        reads.append(key)
        return frames[key]

    _, stored, loaded = combine(None, {"b1": 10, "b2": 11}, ["b1", "b2"], load)
    assert loaded == ["b1", "b2"] and stored[MARK].to_list() == [10, 10, 11]

    frames["b2"] = pl.DataFrame({"x": [30, 31], "y": ["new", "column"]})  # b2 re-run: new mark, new rows
    reads.clear()
    result, stored, loaded = combine(stored, {"b1": 10, "b2": 12, "b3": 13}, ["b1", "b2", "b3"], load)
    assert reads == loaded == ["b2", "b3"]
    assert result.equals(stack(frames))
    assert result.columns[-1] == "batch" and MARK not in result.columns


def test_a_batch_no_longer_wanted_drops_out_and_an_unmarked_batch_is_never_trusted():
    frames = _frames()
    _, stored, _ = combine(None, {"b1": 1, "b2": None}, ["b1", "b2"], frames.get)
    result, _, loaded = combine(stored, {"b1": 1, "b2": None}, ["b2"], frames.get)
    assert loaded == ["b2"]  # no mark: read again, whatever is stored
    assert result["batch"].to_list() == ["b2"]
