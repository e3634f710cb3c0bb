"""Turn configured source paths into a tool catalog and a quarantine, without ever failing on one bad spec.

`ingest_sources` is the stage's single entry point: it expands paths (files, folders, globs), reads and
detects each file's format, validates and normalizes every tool, quarantines the rest with a reason, and
finally merges duplicates and resolves name collisions deterministically (independent of file order).

The only error it raises is `SourceNotFound`, for a configured path that matches nothing: that is a
configuration mistake the run should stop on. Everything else (unreadable files, bad specs, symlinks out of
a source folder) becomes a quarantine row.

Which files the sources name: `source_files`; one spec's rules: `spec_validation`; each format's reader:
`formats` (with `rapidapi` and `openapi`); duplicates and name collisions: `dedupe`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..mcp_stdio import config_path, is_mcp_source
from ..tools import QuarantinedSpec, Tool
from .dedupe import merge_duplicates, resolve_collisions
from .formats import detect_format, parse_documents
from .mcp_servers import ingest_mcp_source
from .raw_specs import RawRejection, excerpt_of
from .reading import read_documents, read_regular_file

# The stage's public names, importable from here as before the split:
from .source_files import (  # noqa: F401
    MAX_FILE_BYTES,
    SOURCE_SUFFIXES,
    SourceFile,
    SourceNotFound,
    corpus_fingerprint,
    expand_sources,
    glob_root,
    hash_sources,
)
from .spec_validation import (  # noqa: F401
    MAX_DESCRIPTION_CHARS,
    MAX_SCHEMA_CHARS,
    clean_text,
    quarantine,
    sanitize_name,
    validate_tool,
)

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_FORMAT_HINT = "expected OpenAI tools, BFCL JSON lines, ToolBench/RapidAPI, OpenAPI 3.x or MCP tools/list"


@dataclass
class IngestionResult:
    tools: list[Tool]
    quarantined: list[QuarantinedSpec]
    files: list[str] = field(default_factory=list)
    formats_by_file: dict[str, str] = field(default_factory=dict)
    duplicates_merged: int = 0
    names_disambiguated: int = 0


# ---------------------------------------------------------------- entry point

def ingest_sources(sources: Iterable[str | Path], display_root: Path | None = None) -> IngestionResult:
    """Read every tool file behind `sources`; paths in the result are shown relative to `display_root`.

    Raises `SourceNotFound` for a configured path that matches nothing; never raises for bad content.
    """
    valid: list[Tool] = []
    quarantined: list[QuarantinedSpec] = []
    formats_by_file: dict[str, str] = {}
    cache: dict[Any, Any] = {}
    sources = [str(s) for s in sources]
    for source in filter(is_mcp_source, sources):  # live servers (mcp_servers.py): started, listed, stopped
        if not config_path(source).is_file():
            raise SourceNotFound(f"MCP server config does not exist: {config_path(source)}")
        tools, rejected = ingest_mcp_source(source, validate_tool, quarantine)
        valid.extend(tools)
        quarantined.extend(rejected)
        formats_by_file[source] = "mcp"
    for item in expand_sources([s for s in sources if not is_mcp_source(s)]):
        shown = _display(item.path, display_root)
        if item.refusal:
            quarantined.append(quarantine(shown, "(file)", item.refusal))
            continue
        file_quarantine: list[QuarantinedSpec] = []
        try:
            tools, fmt = _ingest_file(item, shown, file_quarantine, cache)
        except Exception as error:  # noqa: BLE001 - one file never takes the run down; its reason is kept
            # What the file yielded before the error is dropped: a half-read file is not a source of truth.
            detail = " ".join(str(error).split())[:300]
            quarantined.append(quarantine(shown, "(file)", f"file could not be ingested: {type(error).__name__}: "
                                          f"{detail}"))
            continue
        quarantined.extend(file_quarantine)
        if fmt is not None:
            formats_by_file[shown] = fmt
            valid.extend(tools)
    merged_tools, merged = merge_duplicates(valid)
    final, renamed = resolve_collisions(merged_tools)
    quarantined.sort(key=lambda q: (q.source, _position_key(q.position)))
    return IngestionResult(final, quarantined, list(formats_by_file), formats_by_file, merged, renamed)


def _ingest_file(item: SourceFile, shown: str, quarantined: list[QuarantinedSpec],
                 cache: dict[Any, Any]) -> tuple[list[Tool], str | None]:
    """One file's valid tools and its format (None: nothing read); rejections go to `quarantined`."""
    try:
        raw = read_regular_file(item.path, MAX_FILE_BYTES)
    except OSError as error:
        quarantined.append(quarantine(shown, "(file)", f"file cannot be read: {error.strerror or error}"))
        return [], None
    if isinstance(raw, str):
        quarantined.append(quarantine(shown, "(file)", raw))
        return [], None
    documents, is_jsonl, error, odd_numbers = read_documents(raw)
    if error:
        quarantined.append(quarantine(shown, "(file)", error))
        return [], None
    fmt = detect_format([d for d in documents if not isinstance(d, RawRejection)], is_jsonl)
    if fmt is None:
        quarantined.append(quarantine(shown, "(file)", f"unrecognized tool format ({_FORMAT_HINT})",
                                      excerpt=excerpt_of(documents[0] if documents else "")))
        return [], None
    check_bytes = _has_undecodable(raw) or bool(_SURROGATE_ESCAPE.search(raw))
    return _ingest_documents(fmt, documents, shown, item.path.stem, (check_bytes, odd_numbers), quarantined,
                             cache), fmt


def empty_source_problem(result: IngestionResult, sources: Iterable[str | Path]) -> str | None:
    """Why the sources give nothing to build on (no tool file, or no valid tool), naming them and the most
    common rejection reasons; None when there is at least one tool. A run cannot go on from zero tools,
    and a generic failed check later would hide why."""
    if result.tools:
        return None
    named = ", ".join(str(s) for s in sources) or "(none configured)"
    if not result.files and not result.quarantined:
        return f"no tool files ({', '.join(SOURCE_SUFFIXES)}) found in the tool sources: {named}"
    reasons = Counter(q.reason for q in result.quarantined).most_common(3)
    top = "; ".join(f"{reason[:160]} ({count}x)" for reason, count in reasons)
    return (f"no valid tools in the tool sources ({named}): {len(result.quarantined)} spec(s) or file(s) "
            f"quarantined" + (f"; top reasons: {top}" if top else ""))


def _has_undecodable(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def _ingest_documents(fmt: str, documents: list[Any], shown: str, stem: str, checks: tuple[bool, bool],
                      quarantined: list[QuarantinedSpec], cache: dict[Any, Any]) -> list[Tool]:
    tools: list[Tool] = []
    # One tool list (a BFCL line, an OpenAI list, one MCP result, one OpenAPI document) cannot offer two
    # functions of the same name: the second is ambiguous, so it is quarantined, not merged.
    first_seen: dict[tuple[str, str], str] = {}
    for parsed in parse_documents(fmt, documents, default_category=clean_text(stem)):
        if isinstance(parsed, RawRejection):
            quarantined.append(quarantine(shown, parsed.position, parsed.reason, fmt, parsed.name, parsed.excerpt))
            continue
        result = validate_tool(parsed, shown, fmt, checks[0], cache, check_numbers=checks[1])
        if isinstance(result, QuarantinedSpec):
            quarantined.append(result)
            continue
        key = (parsed.group, result.name.lower())
        if key in first_seen:
            quarantined.append(quarantine(shown, parsed.position, f"duplicate name {result.name!r} in the same tool "
                                          f"list (first defined at {first_seen[key]})", fmt, parsed.name,
                                          excerpt_of({"name": parsed.name, "description": result.description[:120]})))
            continue
        first_seen[key] = parsed.position
        tools.append(result)
    return tools


def _position_key(position: str) -> tuple[Any, ...]:
    """Sort 'line 10' after 'line 9'."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", position))


def _display(path: Path, root: Path | None) -> str:
    shown = str(path)
    if root is not None:
        for candidate, base in ((path.absolute(), root.absolute()), (path.resolve(), root.resolve())):
            try:
                shown = str(candidate.relative_to(base))
                break
            except (ValueError, OSError, RuntimeError):
                continue
    return clean_text(shown)


def summarize(result: IngestionResult) -> dict[str, Any]:
    return {
        "tools": len(result.tools),
        "quarantined": len(result.quarantined),
        "files": len(result.files),
        "by_format": dict(Counter(t.source_format for t in result.tools)),
        "duplicates_merged": result.duplicates_merged,
        "names_disambiguated": result.names_disambiguated,
    }
