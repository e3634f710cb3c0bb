"""Partition keys are checked where they become paths (the IO manager), not only in the CLI.

The failure reproduced: a batch added through the Dagster API (or the UI's "Add a partition") with a key
such as `../../../../x/pwn` made the IO manager write Parquet outside the storage folder."""

import dagster as dg
import polars as pl
import pytest
from upath import UPath

from resources.io_manager import ParquetIOManager
from toolflow_assets.partitions import BATCH_PARTITIONS_NAME, batch_partitions, current_batch

HOSTILE_KEYS = ["../../../../x/pwn", "..", "/tmp/abs", "a/b", "a\\b", "nul\x00byte", "batch-1\n", ".hidden"]


def _files_outside(root, storage):
    """Every file under `root` that is not inside `storage` (the sandbox both live in)."""
    return [p for p in root.rglob("*") if p.is_file() and storage not in p.parents]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_a_key_added_through_the_dagster_api_cannot_write_outside_storage(tmp_path, key):
    storage = tmp_path / "a" / "b" / "c" / "d" / "storage"
    storage.mkdir(parents=True)

    @dg.asset(partitions_def=batch_partitions)
    def per_batch(context):
        return pl.DataFrame({"batch": [context.partition_key]})

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(BATCH_PARTITIONS_NAME, [key])  # what the API and the UI allow
    result = dg.materialize([per_batch], partition_key=key, instance=instance, raise_on_error=False,
                            resources={"io_manager": ParquetIOManager(base_path=UPath(storage))})
    assert not result.success
    assert _files_outside(tmp_path, storage) == [] and not list(storage.rglob("*.parquet"))
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    error = failure.event_specific_data.error.to_string()
    assert f"batch key {key!r} must be" in error  # the key is named, with the rule it breaks


def test_the_assets_refuse_the_key_before_their_body_uses_it():
    @dg.asset(partitions_def=batch_partitions)
    def uses_batch(context):
        return current_batch(context)

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(BATCH_PARTITIONS_NAME, ["../up"])
    result = dg.materialize([uses_batch], partition_key="../up", instance=instance, raise_on_error=False,
                            resources={"io_manager": dg.mem_io_manager})
    assert not result.success


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_the_io_manager_refuses_hostile_keys_for_reads_too(tmp_path, key):
    manager = ParquetIOManager(base_path=UPath(tmp_path / "storage"))
    with pytest.raises(ValueError, match="batch key"):
        manager.get_path_for_partition(None, UPath(tmp_path / "storage" / "per_batch"), key)
    with pytest.raises(ValueError, match="batch key"):
        manager.versions("per_batch", partition=key)
    with pytest.raises(ValueError, match="batch key"):
        manager.load_version("per_batch", "abc", partition=key)


def test_good_keys_still_store_one_file_per_batch(tmp_path):
    @dg.asset(partitions_def=batch_partitions)
    def per_batch(context):
        return pl.DataFrame({"batch": [context.partition_key]})

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(BATCH_PARTITIONS_NAME, ["batch-0001", "scheduled-20261127-0300"])
    manager = ParquetIOManager(base_path=UPath(tmp_path))
    for key in ("batch-0001", "scheduled-20261127-0300"):
        assert dg.materialize([per_batch], partition_key=key, instance=instance,
                              resources={"io_manager": manager}).success
    assert sorted(p.name for p in (tmp_path / "per_batch").iterdir()) == [
        "batch-0001.parquet", "scheduled-20261127-0300.parquet"]
