"""Turn configured source paths into a tool catalog and a quarantine, without ever failing on one bad spec.

`ingest_sources` is the stage's single entry point: it expands paths (files, folders, globs), reads and
detects each file's format, validates and normalizes every tool, quarantines the rest with a reason, and
finally merges duplicates and resolves name collisions deterministically (independent of file order).

The only error it raises is `SourceNotFound`, for a configured path that matches nothing: that is a
configuration mistake the run should stop on. Everything else (unreadable files, bad specs, symlinks out of
a source folder) becomes a quarantine row.
"""

from __future__ import annotations

import glob
import hashlib
import marshal
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..tools import MAX_NAME_LENGTH, QuarantinedSpec, Tool, canonical_json, stable_id
from ..mcp_stdio import config_path, is_mcp_source
from .dedupe import merge_duplicates, resolve_collisions
from .formats import RawRejection, RawTool, detect_format, excerpt_of, parse_documents
from .mcp_servers import ingest_mcp_source
from .reading import number_problem, read_documents, read_regular_file
from .schema_normalize import SchemaProblem, normalize_parameters, normalize_returns

MAX_DESCRIPTION_CHARS = 20_000
MAX_SCHEMA_CHARS = 200_000  # parameters or returns, as canonical JSON
MAX_FILE_BYTES = 256 * 1024 * 1024
SOURCE_SUFFIXES = (".json", ".jsonl", ".yaml", ".yml")
_NOT_NAME_CHARS = re.compile(r"[^A-Za-z0-9_-]+")
# Lone surrogates: what `surrogateescape` turns undecodable bytes into (U+DC80-U+DCFF), and what a JSON
# escape such as "\ud800" without its pair decodes to. Neither can be stored as UTF-8.
_BAD_BYTE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_FORMAT_HINT = "expected OpenAI tools, BFCL JSON lines, ToolBench/RapidAPI, OpenAPI 3.x or MCP tools/list"


class SourceNotFound(FileNotFoundError):
    """A configured source path (file, folder or glob) matches nothing."""


@dataclass
class IngestionResult:
    tools: list[Tool]
    quarantined: list[QuarantinedSpec]
    files: list[str] = field(default_factory=list)
    formats_by_file: dict[str, str] = field(default_factory=dict)
    duplicates_merged: int = 0
    names_disambiguated: int = 0


@dataclass(frozen=True)
class SourceFile:
    """A file to read, the folder it must stay inside, and why it is refused (None: read it)."""

    path: Path
    root: Path
    refusal: str | None = None


# ---------------------------------------------------------------- paths

def expand_sources(sources: Iterable[str | Path]) -> list[SourceFile]:
    """Every file behind the configured paths (files, folders, globs), sorted, each with its root folder.

    A configured path is trusted as given (even a symlink). Inside a configured folder, or among a glob's
    matches, a symlink whose target lies outside that folder (the glob's fixed prefix) is refused.
    """
    found: dict[Path, SourceFile] = {}
    for source in sources:
        text = str(source).strip()
        if not text:
            continue
        if any(ch in text for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(os.path.expanduser(text), recursive=True))
            if not matches:
                raise SourceNotFound(f"tool source glob {text!r} matches no files")
            root = glob_root(os.path.expanduser(text))
            for match in matches:
                if not _inside(match, root):  # the match lies under `root`, so only a symlink can lead out
                    found.setdefault(match, SourceFile(match, root, _symlink_refusal(match)))
                elif match.is_dir():
                    for item in _walk(match, root):
                        found.setdefault(item.path, item)
                elif match.suffix.lower() in SOURCE_SUFFIXES:
                    found.setdefault(match, SourceFile(match, root))
            continue
        path = Path(text).expanduser()
        if not path.exists():
            raise SourceNotFound(f"tool source path does not exist: {path}")
        if path.is_dir():
            for item in _walk(path, path.resolve()):
                found.setdefault(item.path, item)
        else:
            found.setdefault(path, SourceFile(path, path.resolve().parent))
    return [found[key] for key in sorted(found)]


def _walk(folder: Path, root: Path) -> list[SourceFile]:
    """Tool files under `folder`, without following symlinks out of `root` (they are listed as refused)."""
    files: list[SourceFile] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        dirnames.sort()
        for name in list(dirnames):
            sub = here / name
            if sub.is_symlink():
                dirnames.remove(name)  # never descend through a link: inside targets are walked anyway
                if not _inside(sub, root):
                    files.append(SourceFile(sub, root, _symlink_refusal(sub)))
        for name in sorted(filenames):
            path = here / name
            if path.suffix.lower() not in SOURCE_SUFFIXES:
                continue
            if path.is_symlink() and not _inside(path, root):
                files.append(SourceFile(path, root, _symlink_refusal(path)))
            else:
                files.append(SourceFile(path, root))
    return files


def _symlink_refusal(path: Path) -> str:
    if not path.exists():
        return "broken symlink; not read"
    return "symlink points outside the configured source folder; not read"


def glob_root(pattern: str) -> Path:
    """The fixed folder a glob starts from (`data/**/*.json` → `data`)."""
    parts: list[str] = []
    for part in Path(os.path.expanduser(pattern)).parts:
        if any(ch in part for ch in "*?["):
            break
        parts.append(part)
    return Path(*parts).resolve() if parts else Path.cwd().resolve()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return False


# ---------------------------------------------------------------- validation

def sanitize_name(name: str) -> str:
    """A valid function name (`^[a-zA-Z0-9_-]{1,64}$`): other characters become `_`, runs collapse, cut to 64.

    A name with letters but none of them ASCII (e.g. `获取天气`) gets `tool_<hash>`; a name with no letter or
    digit at all gives '' (rejected by the caller).
    """
    cleaned = _NOT_NAME_CHARS.sub("_", name.strip())
    cleaned = re.sub(r"_+", "_", cleaned).strip("_")
    if not cleaned.strip("-"):
        if any(ch.isalnum() for ch in name):
            return f"tool_{stable_id(name, length=12)}"
        return ""
    return cleaned[:MAX_NAME_LENGTH].rstrip("_") or cleaned[:MAX_NAME_LENGTH]


def _has_bad_bytes(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_BAD_BYTE.search(value))
    if isinstance(value, dict):
        return any(_has_bad_bytes(k) or _has_bad_bytes(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_bad_bytes(v) for v in value)
    return False


def clean_text(text: str) -> str:
    """Text safe to store (valid UTF-8): an undecodable byte shows as `\\xNN`, a lone surrogate as `\\uDNNN`."""
    if not _BAD_BYTE.search(text):
        return text
    return _BAD_BYTE.sub(_escape_surrogate, text)


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def quarantine(source: str, position: str, reason: str, source_format: str | None = None,
               name: Any = None, excerpt: str = "") -> QuarantinedSpec:
    """A quarantine row whose text fields are all storable, whatever bytes the input held."""
    shown_name = clean_text(name)[:200] if isinstance(name, str) else None
    return QuarantinedSpec(source=clean_text(source), position=clean_text(position)[:200], reason=clean_text(reason),
                           source_format=source_format, name=shown_name, excerpt=clean_text(excerpt)[:200])


@dataclass(frozen=True)
class _Normalized:
    """The source-independent part of a valid tool (what the per-run cache keeps)."""

    tool_id: str
    name: str
    description: str
    parameters: dict[str, Any]
    returns: dict[str, Any] | None


def validate_tool(raw: RawTool, source: str, fmt: str, check_bytes: bool = True,
                  cache: dict[Any, _Normalized | str] | None = None, check_numbers: bool = True) -> Tool | QuarantinedSpec:
    """Normalize one raw spec into a `Tool`, or say why it cannot be one. `check_bytes` and `check_numbers`
    may be False when the file is known to hold no bad bytes or odd numbers (the checks walk every value).

    `cache` (one dict per ingestion run) skips re-validating a spec seen before: BFCL repeats the same
    function docs thousands of times across its files.
    """
    key = _cache_key(raw) if cache is not None else None
    outcome = cache.get(key) if key is not None else None  # type: ignore[union-attr]
    if outcome is None:
        outcome = _normalize(raw, check_bytes, check_numbers)
        if key is not None:
            cache[key] = outcome  # type: ignore[index]
    if isinstance(outcome, str):
        description = raw.description[:120] if isinstance(raw.description, str) else raw.description
        return quarantine(source, raw.position, outcome, fmt, raw.name,
                          excerpt_of({"name": raw.name, "description": description}))
    return Tool(tool_id=outcome.tool_id, name=outcome.name, description=outcome.description,
                parameters=outcome.parameters, returns=outcome.returns, source=source, source_format=fmt,
                category=" ".join(clean_text(raw.category).split())[:200] or fmt, original_name=raw.name,
                position=raw.position)


def _cache_key(raw: RawTool) -> Any:
    """Equal keys mean equal specs. `marshal` is the cheapest exact serialization of JSON values (5x faster
    than `json.dumps`); it may serialize equal values differently, which costs a cache miss, never a wrong hit."""
    try:
        return (marshal.dumps(raw.name), marshal.dumps(raw.description), marshal.dumps(raw.parameters),
                marshal.dumps(raw.returns))
    except (ValueError, RecursionError):
        return None


def _normalize(raw: RawTool, check_bytes: bool, check_numbers: bool) -> _Normalized | str:
    """The normalized tool, or the reason it is rejected."""
    try:
        return _normalize_unguarded(raw, check_bytes, check_numbers)
    except RecursionError:
        return "tool is nested too deeply to read"


def _normalize_unguarded(raw: RawTool, check_bytes: bool, check_numbers: bool) -> _Normalized | str:
    if not isinstance(raw.name, str) or not raw.name.strip():
        return ("tool has no name" if raw.name in (None, "") or isinstance(raw.name, str)
                else f"tool name is a {type(raw.name).__name__}, not a string")
    if check_bytes and any(_has_bad_bytes(v) for v in (raw.name, raw.description, raw.parameters, raw.returns,
                                                        raw.category)):
        return "tool contains text that is not valid UTF-8 (undecodable bytes or lone surrogates)"
    if check_numbers:
        for what, value in (("description", raw.description), ("parameters", raw.parameters), ("returns", raw.returns)):
            if problem := number_problem(value, what):
                return problem
    name = sanitize_name(raw.name)
    if not name:
        return f"tool name {raw.name[:80]!r} has no letter or digit to make a function name from"
    if raw.description is None:
        description = ""
    elif isinstance(raw.description, str):
        description = raw.description
    else:
        return f"description is a {type(raw.description).__name__}, not a string"
    if len(description) > MAX_DESCRIPTION_CHARS:
        return f"description is {len(description):,} characters long (limit {MAX_DESCRIPTION_CHARS:,})"
    try:
        parameters = normalize_parameters(raw.parameters)
        returns = normalize_returns(raw.returns)
    except SchemaProblem as error:
        return str(error)
    except RecursionError:
        return "schema is nested too deeply"
    parameters_json = canonical_json(parameters)
    returns_json = canonical_json(returns)
    for what, text in (("parameters", parameters_json), ("returns", returns_json)):
        if len(text) > MAX_SCHEMA_CHARS:
            return f"{what} schema is {len(text):,} characters long (limit {MAX_SCHEMA_CHARS:,})"
    description = " ".join(description.split())
    tool_id = stable_id(name, description, parameters_json, returns_json)
    return _Normalized(tool_id, name, description, parameters, returns)


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


def _source_parts(sources: Iterable[str | Path]) -> Iterator[tuple[str, bytes]]:
    """(where, what) for every source in a stable order: an MCP config, a regular file's content hash, or
    why a file could not be read. Only regular files are read, and one bad file never stops it."""
    sources = [str(s) for s in sources]
    for source in filter(is_mcp_source, sources):  # a server's tools change with its config (never started here)
        try:
            yield source, config_path(source).read_bytes()
        except OSError as error:
            yield source, f"cannot be read: {error.strerror or error}".encode()
    for item in expand_sources([s for s in sources if not is_mcp_source(s)]):
        if item.refusal is not None:
            yield str(item.path), item.refusal.encode()
            continue
        try:
            content = read_regular_file(item.path, MAX_FILE_BYTES)
        except OSError as error:
            content = f"cannot be read: {error.strerror or error}"
        yield str(item.path), (content.encode("utf-8", "surrogateescape") if isinstance(content, str)
                               else hashlib.sha256(content).digest())


def hash_sources(sources: Iterable[str | Path]) -> str:
    """Content hash over every source (path and bytes), in a stable order: the `tool_sources` data version,
    so moving or renaming a file counts as a change."""
    digest = hashlib.sha256()
    for where, what in _source_parts(sources):
        digest.update(where.encode("utf-8", "surrogateescape"))
        digest.update(what)
    return digest.hexdigest()[:24]


def corpus_fingerprint(sources: Iterable[str | Path]) -> str:
    """What the sources hold, wherever they are: a hash of their contents alone (sorted), so one corpus
    gives the same exported record ids in any checkout or on any machine."""
    digest = hashlib.sha256()
    for what in sorted(hashlib.sha256(what).digest() for _, what in _source_parts(sources)):
        digest.update(what)
    return digest.hexdigest()[:24]


def summarize(result: IngestionResult) -> dict[str, Any]:
    return {
        "tools": len(result.tools),
        "quarantined": len(result.quarantined),
        "files": len(result.files),
        "by_format": dict(Counter(t.source_format for t in result.tools)),
        "duplicates_merged": result.duplicates_merged,
        "names_disambiguated": result.names_disambiguated,
    }
