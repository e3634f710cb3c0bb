import json

import dagster as dg
import polars as pl
import pytest
from upath import UPath

from resources.io_manager import ParquetIOManager, frame_content_hash


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
