"""Read back any stored version of any stage, by the data version the Dagster UI shows.

    from toolflow_assets.versions import asset_versions, load_asset_version
    asset_versions("dialogues", partition="batch-0001")          # ['3f0c…', 'a91b…'], oldest first
    load_asset_version("dialogues", "3f0c…", partition="batch-0001")  # that materialization's table

Storage is the one `toolflow run` and the UI use: $TOOLFLOW_STORAGE_DIR, else $DAGSTER_HOME/storage, else
./data (pass `storage_dir` to read another).
"""

from __future__ import annotations

from typing import Any

from upath import UPath

from resources.io_manager import ParquetIOManager
from resources.settings import default_storage_dir


def _manager(storage_dir: str | None) -> ParquetIOManager:
    return ParquetIOManager(base_path=UPath(default_storage_dir(storage_dir or "")) / "assets")


def asset_versions(asset: str, partition: str | None = None, storage_dir: str | None = None) -> list[str]:
    """The data versions kept for `asset` (slash-separated key), oldest first."""
    return _manager(storage_dir).versions(asset, partition)


def load_asset_version(asset: str, data_version: str, partition: str | None = None,
                       storage_dir: str | None = None) -> Any:
    """The value `asset` had at `data_version` (a Polars table, a bundle of tables, or a JSON value)."""
    return _manager(storage_dir).load_version(asset, data_version, partition)
