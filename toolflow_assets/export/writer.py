"""Writing the dataset folder: every file of one run, switched into place together.

A run writes into a new hidden folder beside the target (`.dataset.<run id>.tmp`), ends it with
`manifest.json` (run id, and per file its bytes, records and sha256), then swaps it in for the old folder
with two renames. A run killed before the swap leaves the previous folder whole; a reader never sees
files from two runs side by side, and the manifest says which run wrote what it sees.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import polars as pl

from .curate import record_metadata, rows_with_payload
from .flavors import has_parallel_calls, record_id, renumber_call_ids, split_parallel_calls
from .formats import FORMATS

MANIFEST = "manifest.json"
STALE_STAGING_S = 3600.0  # a staging folder this old belongs to a killed run: removed by the next one


def write_atomic(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    temp.write_bytes(payload)
    os.replace(temp, path)


def jsonl_bytes(records: Iterable[dict[str, Any]]) -> bytes:
    # allow_nan=False: NaN/Infinity are not JSON, and strict parsers reject the whole line
    return "".join(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n" for r in records).encode("utf-8")


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


@dataclass
class ExportManifest:
    """The files of one export, staged until `publish` switches them into `folder`."""

    folder: str
    run_id: str = ""
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    staging: str = ""
    excluded: dict[str, str] = field(default_factory=dict)  # dialogue_id → why it is not in the files
    # The exported dialogues, decoded once (write_export): the card's checks build records from these.
    prepared: list["PreparedRecord"] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def begin(cls, folder: Path, run_id: str) -> "ExportManifest":
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(folder)
        staging = folder.with_name(f".{folder.name}.{run_id[:12]}.{uuid.uuid4().hex[:8]}.tmp")
        staging.mkdir()
        return cls(folder=str(folder), run_id=run_id, staging=str(staging))

    def add(self, name: str, payload: bytes, records: int | None = None) -> None:
        if not self.staging:
            raise RuntimeError("this export is already published")
        (Path(self.staging) / name).write_bytes(payload)
        self.files[name] = {"bytes": len(payload), "records": records,
                            "sha256": hashlib.sha256(payload).hexdigest()}

    def as_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "run_id": self.run_id, "files": self.files, "excluded": self.excluded}

    def publish(self) -> None:
        """Write the manifest, then swap the staged folder in for the old one (kept aside until the swap
        is done, then removed)."""
        staging, target = Path(self.staging), Path(self.folder)
        (staging / MANIFEST).write_text(json.dumps(self.as_dict(), indent=1, sort_keys=True), encoding="utf-8")
        retired: list[Path] = []
        for _ in range(5):  # another export may publish between our two renames: retire its folder too
            if target.exists():
                retired.append(target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.old"))
                try:
                    os.replace(target, retired[-1])
                except FileNotFoundError:
                    retired.pop()
            try:
                os.replace(staging, target)
                break
            except OSError:  # the target reappeared (not empty): retire it and try again
                continue
        else:
            raise RuntimeError(f"could not switch {staging} into place at {target}")
        self.staging = ""
        for folder in retired:
            shutil.rmtree(folder, ignore_errors=True)

    def discard(self) -> None:
        if self.staging:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = ""


def _remove_stale_staging(folder: Path) -> None:
    """Staging and retired folders of killed runs (older than an hour: a live run's are younger)."""
    now = time.time()
    for leftover in folder.parent.glob(f".{folder.name}.*"):
        stale = now - leftover.stat().st_mtime > STALE_STAGING_S
        if leftover.is_dir() and leftover.suffix in (".tmp", ".old") and stale:
            shutil.rmtree(leftover, ignore_errors=True)


@dataclass(frozen=True)
class ExportOptions:
    flavors: Sequence[str] = ("openai", "hf")  # the first is the card's default config, in <split>.jsonl
    extra_shapes: Sequence[str] = ("sharegpt",)  # more record shapes: sharegpt, hermes
    parquet: bool = True
    split_parallel_calls: bool = False  # one call per assistant turn (Llama 3.1's template refuses more)
    tools_as_json: bool = False  # `tools` as JSON text instead of the list
    sharegpt_text_with_calls: bool = True  # the words before a call inside its function_call value
    corpus_fingerprint: str = ""  # the tool sources' content hash: part of every record id


def file_name(split: str, shape: str, options: ExportOptions) -> str:
    return f"{split}.jsonl" if shape == options.flavors[0] else f"{split}.{shape}.jsonl"


@dataclass(frozen=True)
class PreparedRecord:
    """One curated dialogue, decoded once and ready for every record shape: its record id, its messages with
    the short call ids (and parallel calls split when asked), its tools and the shared metadata."""

    split: str
    identity: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    metadata: dict[str, Any]


def prepare_records(curated: pl.DataFrame, options: ExportOptions = ExportOptions()) -> list[PreparedRecord]:
    """Decode and renumber each curated dialogue once; `records_for` then builds any shape from these (the
    builders make new structures and never change what they are given)."""
    prepared = []
    for row, messages, tools in rows_with_payload(curated):
        identity = record_id(messages, tools, options.corpus_fingerprint)
        messages = renumber_call_ids(messages, identity)
        if options.split_parallel_calls:
            messages = split_parallel_calls(messages)
        metadata = {**record_metadata(row), "dialogue_id": row["dialogue_id"],
                    "parallel_calls": has_parallel_calls(messages)}
        prepared.append(PreparedRecord(row["split"], identity, messages, tools, metadata))
    return prepared


def records_for(curated: pl.DataFrame, shape: str, options: ExportOptions = ExportOptions(),
                prepared: Sequence[PreparedRecord] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Records of one shape (`openai`, `hf`, `sharegpt`, `hermes`) by split (from `prepared` when given, which
    must come from the same `curated` and options).

    Every shape shares the record id (content + corpus fingerprint) and the 9-character call ids, so a record
    can be followed from one file to another."""
    build = FORMATS[shape]
    extra = ({"tools_as_json": options.tools_as_json} if shape in ("openai", "hf") else
             {"text_with_calls": options.sharegpt_text_with_calls} if shape == "sharegpt" else {})
    by_split: dict[str, list[dict[str, Any]]] = {"train": [], "validation": []}
    for item in prepared if prepared is not None else prepare_records(curated, options):
        by_split.setdefault(item.split, []).append(
            build(item.identity, item.messages, item.tools, dict(item.metadata), **extra))
    return by_split


RECORD_FIELDS = ("id", "messages", "tools", "metadata")


def records_frame(records: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """The Parquet twin of the JSON lines: the same fields, nested values as JSON text (their shapes vary per
    tool, which a fixed Parquet struct type cannot hold)."""
    rows = [{key: record[key] if isinstance(record[key], str) else json.dumps(record[key], ensure_ascii=False)
             for key in RECORD_FIELDS} for record in records]
    return pl.DataFrame(rows, schema={key: pl.String for key in RECORD_FIELDS})


def non_finite_rows(curated: pl.DataFrame) -> dict[str, str]:
    """Dialogues whose messages or tools hold NaN or Infinity: not JSON, and strict parsers reject the line.
    Ingestion should have quarantined such tools; a row that still carries one is left out with its reason
    rather than failing the whole export."""
    excluded = {}
    for row, messages, tools in rows_with_payload(curated):
        try:
            json.dumps([messages, tools], allow_nan=False)
        except ValueError:
            excluded[row["dialogue_id"]] = "non_finite_number: NaN or Infinity in the messages or tools"
    return excluded


def write_export(curated: pl.DataFrame, folder: Path, run_id: str,
                 options: ExportOptions = ExportOptions()) -> ExportManifest:
    """Stage the records: `<split>.jsonl` (the first flavor), `<split>.<flavor>.jsonl` (the others), the
    Parquet twins of the first flavor, and `<split>.<shape>.jsonl` per extra shape. The caller adds the card,
    then `publish()`es (or `discard()`s on failure)."""
    manifest = ExportManifest.begin(folder, run_id)
    manifest.excluded = non_finite_rows(curated)
    curated = curated.filter(~pl.col("dialogue_id").is_in(list(manifest.excluded)))
    try:
        manifest.prepared = prepare_records(curated, options)
        for shape in [*options.flavors, *options.extra_shapes]:
            for split, records in records_for(curated, shape, options, manifest.prepared).items():
                if not records and shape != options.flavors[0]:
                    continue
                manifest.add(file_name(split, shape, options), jsonl_bytes(records), len(records))
                if options.parquet and shape == options.flavors[0]:
                    manifest.add(f"{split}.parquet", parquet_bytes(records_frame(records)), len(records))
        if "sharegpt" in options.extra_shapes:
            manifest.add("dataset_info.json", llamafactory_dataset_info(manifest).encode("utf-8"))
    except BaseException:
        manifest.discard()
        raise
    return manifest


CONFIG_SHAPES = ("openai", "hf", "sharegpt")  # the shapes the card declares as configs (with their features)


def card_configs(manifest: ExportManifest, options: ExportOptions) -> dict[str, dict[str, str]]:
    """Config name → split → file, for the card: each flavor and ShareGPT, splits that hold records."""
    configs: dict[str, dict[str, str]] = {}
    for shape in [*options.flavors, *options.extra_shapes]:
        if shape not in CONFIG_SHAPES:
            continue
        files = {split: file_name(split, shape, options) for split in ("train", "validation")}
        files = {split: name for split, name in files.items() if (manifest.files.get(name) or {}).get("records")}
        if files:
            configs[shape] = files
    return configs


def llamafactory_dataset_info(manifest: ExportManifest) -> str:
    """LLaMA-Factory's `dataset_info.json`: its ShareGPT format with tool roles, so `dataset:
    toolflow_train` with `dataset_dir` set to this folder trains on it as it is."""
    entries = {}
    for split in ("train", "validation"):
        name = f"{split}.sharegpt.jsonl"
        if (manifest.files.get(name) or {}).get("records"):
            entries[f"toolflow_{split}"] = {
                "file_name": name, "formatting": "sharegpt",
                "columns": {"messages": "conversations", "system": "system", "tools": "tools"},
                "tags": {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt",
                         "observation_tag": "observation", "function_tag": "function_call"}}
    return json.dumps(entries, indent=1)
