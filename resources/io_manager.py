"""The project's Parquet IO manager, on Dagster's `UPathIOManager` (local paths, S3 and GCS alike).

Why not dagster-polars: its IO manager is broken with polars 2.x (see STACK.md). Files are keyed by the
full asset key path plus the partition key, and written atomically (temp file, then rename).

Values it stores:
- a `pl.DataFrame` → `<key>.parquet`
- a `dict[str, pl.DataFrame]` (a bundle of tables, e.g. a graph's nodes and edges) → `<key>/<name>.parquet`
- any other JSON-serializable value (a report) → `<key>.json`
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
from typing import Any

import dagster as dg
import polars as pl
from upath import UPath

_BUNDLE_MARKER = "_tables.json"


def frame_content_hash(frame: pl.DataFrame) -> str:
    """Content hash of a frame: same rows, columns and order → same hash (used as the data version)."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    return hashlib.sha256(buffer.getvalue()).hexdigest()[:24]


def _write_atomic(path: UPath, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    temp.write_bytes(payload)
    temp.rename(path)


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=True)
    return buffer.getvalue()


class ParquetIOManager(dg.UPathIOManager):
    extension: str = ".parquet"

    def __init__(self, base_path: UPath):
        super().__init__(base_path=base_path)

    def dump_to_path(self, context: dg.OutputContext, obj: Any, path: UPath) -> None:
        if isinstance(obj, pl.DataFrame):
            _write_atomic(path, _parquet_bytes(obj))
            context.add_output_metadata({"storage_path": dg.MetadataValue.path(str(path))})
        elif isinstance(obj, dict) and obj and all(isinstance(v, pl.DataFrame) for v in obj.values()):
            folder = path.with_suffix("")
            for name, frame in obj.items():
                _write_atomic(folder / f"{name}.parquet", _parquet_bytes(frame))
            _write_atomic(folder / _BUNDLE_MARKER, json.dumps(sorted(obj)).encode())
            context.add_output_metadata({"storage_path": dg.MetadataValue.path(str(folder))})
        else:
            target = path.with_suffix(".json")
            _write_atomic(target, json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
            context.add_output_metadata({"storage_path": dg.MetadataValue.path(str(target))})

    def load_from_path(self, context: dg.InputContext, path: UPath) -> Any:
        if path.exists():
            return pl.read_parquet(io.BytesIO(path.read_bytes()))
        folder = path.with_suffix("")
        if (folder / _BUNDLE_MARKER).exists():
            names = json.loads((folder / _BUNDLE_MARKER).read_text())
            return {name: pl.read_parquet(io.BytesIO((folder / f"{name}.parquet").read_bytes())) for name in names}
        target = path.with_suffix(".json")
        if target.exists():
            return json.loads(target.read_text(encoding="utf-8"))
        raise FileNotFoundError(
            f"No stored value for asset {context.asset_key.to_user_string()} at {path}: materialize it first"
        )
