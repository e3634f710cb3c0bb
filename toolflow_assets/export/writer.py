"""Writing the export folder: JSON lines, Parquet, the card and the report, each file atomically.

A reader never sees a half-written file: each is written to a temporary name in the same folder, then
renamed. Every written file is listed in a manifest with its size, line count and sha256.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import polars as pl

from .curate import record_metadata, rows_with_payload
from .formats import FORMATS


def write_atomic(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    temp.write_bytes(payload)
    os.replace(temp, path)


def jsonl_bytes(records: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


@dataclass
class ExportManifest:
    folder: str
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, path: Path, payload: bytes, records: int | None = None) -> None:
        write_atomic(path, payload)
        self.files[path.name] = {"bytes": len(payload), "records": records,
                                 "sha256": hashlib.sha256(payload).hexdigest()}

    def as_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "files": self.files}


def records_for(curated: pl.DataFrame, shape: str, **options: Any) -> dict[str, list[dict[str, Any]]]:
    """Records of one shape (`openai`, `sharegpt`, `hermes`) by split; `options` go to the record builder."""
    build = FORMATS[shape]
    by_split: dict[str, list[dict[str, Any]]] = {"train": [], "validation": []}
    for row, messages, tools in rows_with_payload(curated):
        record = build(row["dialogue_id"], messages, tools, record_metadata(row), **options)
        by_split.setdefault(row["split"], []).append(record)
    return by_split


RECORD_FIELDS = ("id", "messages", "tools", "metadata")


def records_frame(records: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """The Parquet twin of the JSON lines: the same fields, nested values as JSON text (their shapes vary per
    tool, which a fixed Parquet struct type cannot hold)."""
    rows = [{key: record[key] if isinstance(record[key], str) else json.dumps(record[key], ensure_ascii=False)
             for key in RECORD_FIELDS} for record in records]
    return pl.DataFrame(rows, schema={key: pl.String for key in RECORD_FIELDS})


def write_export(curated: pl.DataFrame, folder: Path, extra_shapes: Sequence[str] = (),
                 parquet: bool = True, tools_as_json: bool = True) -> ExportManifest:
    """train.jsonl / validation.jsonl (OpenAI chat records), their Parquet twins, and the optional
    ShareGPT / Hermes JSON lines (`<split>.<shape>.jsonl`)."""
    manifest = ExportManifest(folder=str(folder))
    for split, records in records_for(curated, "openai", tools_as_json=tools_as_json).items():
        manifest.add(folder / f"{split}.jsonl", jsonl_bytes(records), len(records))
        if parquet:
            manifest.add(folder / f"{split}.parquet", parquet_bytes(records_frame(records)), len(records))
    for shape in extra_shapes:
        for split, records in records_for(curated, shape).items():
            manifest.add(folder / f"{split}.{shape}.jsonl", jsonl_bytes(records), len(records))
    return manifest
