"""The project's Parquet IO manager, on Dagster's `UPathIOManager` (local paths, S3 and GCS alike).

Why not dagster-polars: its IO manager is broken with polars 2.x (see STACK.md). Files are keyed by the
full asset key path plus the partition key, and written atomically (temp file, then rename).

Values it stores:
- a `pl.DataFrame` → `<key>[/<partition>].parquet`
- a `dict[str, pl.DataFrame]` (a bundle of tables, e.g. a graph's nodes and edges) → `<key>/<name>.parquet`
- any other JSON-serializable value (a report) → `<key>.json`

Partition keys: a key becomes a path segment, so it is checked where it is joined (`get_path_for_partition`,
`versions`, `load_version`) with the batch key rule, not only in the CLI: a key added through the Dagster API
or the UI's "Add a partition" (`../../x`, `/etc`, `a/b`) is refused with an error naming it, before anything
is written.

Many partitions (an unpartitioned asset taking every batch) load lazily: `Batches`, a mapping whose
tables are read when asked for. `Batches.combined()` is the one table of all of them, kept incrementally
under `_combined/<key>.parquet` (see toolflow_assets/export/combine.py): only new or re-run batches are read.

Versions: every value is also kept, immutable, under `_versions/<key>[/<partition>]/<data version>…`, where
the data version is `value_version(value)`, the content hash the assets report as their Dagster data
version. The plain path always holds the latest value (readable by any Parquet tool); `load_version` reads
back any older one by the data version the UI shows.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
from typing import Any, Callable, Iterator, Mapping

import dagster as dg
import polars as pl
from upath import UPath

from toolflow_assets.batches import validate_batch_key
from toolflow_assets.export import combine

_BUNDLE_MARKER = "_tables.json"
VERSIONS_FOLDER = "_versions"
COMBINED_FOLDER = "_combined/v1"  # the format of the stored combinations (combine.py); bump to rebuild them


def frame_content_hash(frame: pl.DataFrame) -> str:
    """Content hash of a frame: same rows, columns and order → same hash (used as the data version)."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    return hashlib.sha256(buffer.getvalue()).hexdigest()[:24]


def value_version(value: Any) -> str:
    """The data version of any value the IO manager stores: a content hash, equal for equal content."""
    if isinstance(value, pl.DataFrame):
        return frame_content_hash(value)
    if _is_bundle(value):
        joined = "".join(f"{name}={frame_content_hash(value[name])};" for name in sorted(value))
        return hashlib.sha256(joined.encode()).hexdigest()[:24]
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _is_bundle(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(v, pl.DataFrame) for v in value.values())


def _write_atomic(path: UPath, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    temp.write_bytes(payload)
    temp.rename(path)


def _checked_partition(partition: str) -> str:
    """`partition` if it is safe as one path segment (the batch key rule), else a ValueError naming it."""
    return validate_batch_key(partition)


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=True)
    return buffer.getvalue()


class ParquetIOManager(dg.UPathIOManager):
    extension: str = ".parquet"

    def __init__(self, base_path: UPath):
        super().__init__(base_path=base_path)
        self._written: dict[int, dict[str, Any]] = {}

    def load_partitions(self, context: dg.InputContext) -> Any:
        """One partition: its value. Several: a lazy `Batches` mapping (each read on first access)."""
        keys = list(context.asset_partition_keys)
        if len(keys) == 1:
            return super().load_partitions(context)
        paths = self._get_paths_for_partitions(context)
        try:
            # the event-log id of each partition's latest materialization: a re-run batch gets a new one
            marks = dict(context.instance.get_latest_storage_id_by_partition(
                context.asset_key, dg.DagsterEventType.ASSET_MATERIALIZATION, set(keys)))
        except Exception:  # noqa: BLE001 - no instance (a bare load): no marks, so nothing stored is trusted
            marks = {}
        store = self._base_path / COMBINED_FOLDER / UPath(*context.asset_key.path)
        return Batches(keys, lambda key: self._load_partition_from_path(context, key, paths[key]), marks,
                       store.with_suffix(".parquet"))

    def get_path_for_partition(self, context: dg.InputContext | dg.OutputContext, path: UPath,
                               partition: str) -> UPath:
        return path / _checked_partition(partition)

    def _version_path(self, path: UPath, version: str) -> UPath:
        """Where `path`'s value of data version `version` is kept: `_versions/<key>[/<partition>]/<version>`."""
        relative = path.with_suffix("").relative_to(self._base_path)
        return self._base_path / VERSIONS_FOLDER / relative / version

    def dump_to_path(self, context: dg.OutputContext, obj: Any, path: UPath) -> None:
        version = value_version(obj)
        kept = self._version_path(path, version)
        if isinstance(obj, pl.DataFrame):
            payload = _parquet_bytes(obj)
            current, kept = path, kept.with_suffix(".parquet")
            _write_atomic(path, payload)
            if not kept.exists():  # same version, same bytes: an unchanged rematerialization writes nothing
                _write_atomic(kept, payload)
        elif _is_bundle(obj):
            current = path.with_suffix("")
            tables = {f"{name}.parquet": _parquet_bytes(frame) for name, frame in obj.items()}
            tables[_BUNDLE_MARKER] = json.dumps(sorted(obj)).encode()  # last: a bundle is whole once it exists
            for folder in (current, kept):
                if folder == kept and (kept / _BUNDLE_MARKER).exists():
                    continue
                for name, payload in tables.items():
                    _write_atomic(folder / name, payload)
        else:
            payload = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
            current, kept = path.with_suffix(".json"), kept.with_suffix(".json")
            _write_atomic(current, payload)
            if not kept.exists():
                _write_atomic(kept, payload)
        # Reported by get_metadata, which runs right after this in handle_output: its "path" replaces the
        # base class's, which always names `<key>.parquet` even where a bundle folder or JSON file was written.
        self._written[id(context)] = {
            "path": dg.MetadataValue.path(str(current)),
            "storage_path": dg.MetadataValue.path(str(current)),
            "version_path": dg.MetadataValue.path(str(kept)),
            "storage_version": dg.MetadataValue.text(version),
        }

    def get_metadata(self, context: dg.OutputContext, obj: Any) -> dict[str, Any]:
        return self._written.pop(id(context), {})

    def versions(self, asset_key: dg.AssetKey | str | list[str], partition: str | None = None) -> list[str]:
        """Data versions kept for an asset (or one of its partitions), oldest first."""
        folder = self._versions_folder(asset_key, partition)
        if not folder.exists():
            return []
        entries = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)
        return [p.name.split(".")[0] for p in entries if not p.name.startswith(".")]

    def _versions_folder(self, asset_key: dg.AssetKey | str | list[str], partition: str | None) -> UPath:
        key = dg.AssetKey.from_coercible(asset_key)
        folder = self._base_path / VERSIONS_FOLDER / UPath(*key.path)
        return folder / _checked_partition(partition) if partition is not None else folder

    def load_version(self, asset_key: dg.AssetKey | str | list[str], data_version: str,
                     partition: str | None = None) -> Any:
        """The value an asset had at `data_version` (the data version shown in the UI), from `_versions/`."""
        key = dg.AssetKey.from_coercible(asset_key)
        folder = self._versions_folder(key, partition)
        for candidate in (folder / f"{data_version}.parquet", folder / data_version, folder / f"{data_version}.json"):
            if candidate.exists():
                return self._read(candidate, key)
        known = self.versions(key, partition)
        raise FileNotFoundError(f"No stored version {data_version} of {key.to_user_string()}"
                                f"{f' partition {partition}' if partition else ''}; known versions: {known}")

    def _read(self, path: UPath, key: dg.AssetKey) -> Any:
        if path.suffix == ".parquet" and path.is_file():
            return pl.read_parquet(io.BytesIO(path.read_bytes()))
        if path.suffix == ".json" and path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
        if (path / _BUNDLE_MARKER).exists():
            names = json.loads((path / _BUNDLE_MARKER).read_text())
            return {name: pl.read_parquet(io.BytesIO((path / f"{name}.parquet").read_bytes())) for name in names}
        raise FileNotFoundError(f"No stored value for asset {key.to_user_string()} at {path}")

    def load_from_path(self, context: dg.InputContext, path: UPath) -> Any:
        for candidate in (path, path.with_suffix(""), path.with_suffix(".json")):
            if candidate.exists():
                return self._read(candidate, context.asset_key)
        raise FileNotFoundError(
            f"No stored value for asset {context.asset_key.to_user_string()} at {path}: materialize it first"
        )


class Batches(Mapping[str, Any]):
    """Partition key → table, read on first access (None for a missing partition), and the combination of
    all of them from the stored one plus the batches it lacks (`combined`). `loaded` lists what was read."""

    def __init__(self, keys: list[str], load: Callable[[str], Any], marks: Mapping[str, int],
                 store: UPath):
        self._keys, self._load, self._marks, self._store = keys, load, marks, store
        self._values: dict[str, Any] = {}
        self.loaded: list[str] = []

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        if key not in self._values:
            self._values[key] = self._load(key)
            self.loaded.append(key)
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def combined(self) -> pl.DataFrame:
        """Every batch's rows in one table, equal to stacking them all, reading only the batches whose
        stored rows are missing or out of date; the stored combination is then brought up to date."""
        stored = None
        try:
            if self._store.exists():
                stored = pl.read_parquet(io.BytesIO(self._store.read_bytes()))
        except (OSError, pl.exceptions.PolarsError):  # unreadable: a cache, so rebuild it from the batches
            stored = None
        result, keep, loaded = combine.combine(stored, self._marks, self._keys, self.__getitem__)
        if loaded:
            _write_atomic(self._store, _parquet_bytes(keep))
        return result
