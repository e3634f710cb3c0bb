import json

import dagster as dg
import polars as pl
import pytest
from upath import UPath

from resources.io_manager import ParquetIOManager, frame_content_hash, value_version


def _materialize_and_load(tmp_path, value):
    @dg.asset(key_prefix=["stage"])
    def produced():
        return value

    manager = ParquetIOManager(base_path=UPath(tmp_path))
    result = dg.materialize([produced], resources={"io_manager": manager})
    assert result.success
    loader_defs = dg.Definitions(assets=[produced], resources={"io_manager": manager})
    return loader_defs.load_asset_value(dg.AssetKey(["stage", "produced"]))


def test_frame_round_trip_under_full_key_path(tmp_path):
    frame = pl.DataFrame({"a": [1, 2], "b": ["x", None], "c": [[1], [2, 3]]})
    loaded = _materialize_and_load(tmp_path, frame)
    assert loaded.equals(frame)
    assert (tmp_path / "stage" / "produced.parquet").exists()
    assert not list(tmp_path.rglob("*.tmp")), "temp files must be renamed into place"


def test_bundle_of_tables_round_trip(tmp_path):
    bundle = {"nodes": pl.DataFrame({"id": ["a"]}), "edges": pl.DataFrame({"src": ["a"], "dst": ["a"]})}
    loaded = _materialize_and_load(tmp_path, bundle)
    assert set(loaded) == {"nodes", "edges"}
    assert loaded["edges"].equals(bundle["edges"])


def test_json_value_round_trip(tmp_path):
    report = {"strategies": {"graph": {"dialogues": 3}}}
    assert _materialize_and_load(tmp_path, report) == report
    assert json.loads((tmp_path / "stage" / "produced.json").read_text()) == report


@pytest.mark.parametrize("value, written", [
    (pl.DataFrame({"a": [1]}), "produced.parquet"),
    ({"t": pl.DataFrame({"a": [1]})}, "produced"),
    ({"k": 1}, "produced.json"),
])
def test_path_metadata_names_what_was_written(tmp_path, value, written):
    @dg.asset(key_prefix=["stage"])
    def produced():
        return value

    result = dg.materialize([produced], resources={"io_manager": ParquetIOManager(base_path=UPath(tmp_path))})
    metadata = result.asset_materializations_for_node("stage__produced")[0].metadata
    assert metadata["path"].value == str(tmp_path / "stage" / written) == metadata["storage_path"].value


def test_missing_value_names_the_asset(tmp_path):
    manager = ParquetIOManager(base_path=UPath(tmp_path))

    @dg.asset
    def never_built():
        return pl.DataFrame()

    defs = dg.Definitions(assets=[never_built], resources={"io_manager": manager})
    with pytest.raises(Exception, match="never_built"):
        defs.load_asset_value("never_built")


def test_content_hash_is_stable_and_content_sensitive():
    a = pl.DataFrame({"x": [1, 2, 3]})
    assert frame_content_hash(a) == frame_content_hash(pl.DataFrame({"x": [1, 2, 3]}))
    assert frame_content_hash(a) != frame_content_hash(pl.DataFrame({"x": [1, 2, 4]}))


def test_every_version_stays_readable_by_its_data_version(tmp_path):
    manager = ParquetIOManager(base_path=UPath(tmp_path))
    first, second = pl.DataFrame({"x": [1]}), pl.DataFrame({"x": [2]})
    versions = []
    for value in (first, second, first):  # the third rematerialization repeats the first content
        @dg.asset(key_prefix=["stage"])
        def produced():
            return dg.Output(value, data_version=dg.DataVersion(value_version(value)))

        result = dg.materialize([produced], resources={"io_manager": manager})
        materialization = result.asset_materializations_for_node("stage__produced")[0]
        assert materialization.tags["dagster/data_version"] == materialization.metadata["storage_version"].value
        versions.append(materialization.tags["dagster/data_version"])

    assert versions[0] == versions[2] != versions[1]  # same content, same data version
    assert pl.read_parquet(tmp_path / "stage" / "produced.parquet").equals(first)  # the plain path: the latest
    assert manager.load_version(["stage", "produced"], versions[1]).equals(second)
    assert manager.load_version("stage/produced", versions[0]).equals(first)
    assert len(list((tmp_path / "_versions" / "stage" / "produced").iterdir())) == 2  # one file per version
    with pytest.raises(FileNotFoundError, match="known versions"):
        manager.load_version(["stage", "produced"], "nope")


def test_partitioned_values_and_bundles_are_versioned_too(tmp_path):
    manager = ParquetIOManager(base_path=UPath(tmp_path))
    batches = dg.StaticPartitionsDefinition(["b1", "b2"])
    bundle = {"nodes": pl.DataFrame({"id": ["a"]}), "edges": pl.DataFrame({"src": ["a"]})}

    @dg.asset(partitions_def=batches)
    def per_batch(context):
        return pl.DataFrame({"batch": [context.partition_key]})

    @dg.asset
    def tables():
        return bundle

    for key in ("b1", "b2"):
        dg.materialize([per_batch], partition_key=key, resources={"io_manager": manager})
    dg.materialize([tables], resources={"io_manager": manager})
    b2 = pl.DataFrame({"batch": ["b2"]})
    assert manager.load_version("per_batch", value_version(b2), partition="b2").equals(b2)
    loaded = manager.load_version("tables", value_version(bundle))
    assert set(loaded) == {"nodes", "edges"} and loaded["edges"].equals(bundle["edges"])


def test_versions_are_listed_and_read_through_the_public_helpers(tmp_path):
    from toolflow_assets.versions import asset_versions, load_asset_version

    manager = ParquetIOManager(base_path=UPath(tmp_path / "assets"))
    for rows in ([1], [1, 2]):
        @dg.asset
        def table():
            return pl.DataFrame({"x": rows})

        dg.materialize([table], resources={"io_manager": manager})
    versions = asset_versions("table", storage_dir=str(tmp_path))
    assert len(versions) == 2
    assert load_asset_version("table", versions[0], storage_dir=str(tmp_path))["x"].to_list() == [1]
    assert load_asset_version("table", versions[1], storage_dir=str(tmp_path))["x"].to_list() == [1, 2]
