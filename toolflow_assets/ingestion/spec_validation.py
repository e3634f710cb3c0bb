"""One raw spec to a `Tool`, or the reason it is quarantined: the same rules and reasons for every format.

A name becomes a valid function name (`sanitize_name`), text must be storable UTF-8, numbers readable,
schemas normalized to draft 2020-12 (`json_schema.dialects`) and not too large.
"""

from __future__ import annotations

import marshal
import re
from dataclasses import dataclass
from typing import Any

from ..json_schema.dialects import normalize_parameters, normalize_returns
from ..json_schema.errors import SchemaProblem
from ..tools import MAX_NAME_LENGTH, QuarantinedSpec, Tool, canonical_json, stable_id
from .raw_specs import RawTool, excerpt_of
from .reading import number_problem

MAX_DESCRIPTION_CHARS = 20_000
MAX_SCHEMA_CHARS = 200_000  # parameters or returns, as canonical JSON
_NOT_NAME_CHARS = re.compile(r"[^A-Za-z0-9_-]+")
# Lone surrogates: what `surrogateescape` turns undecodable bytes into (U+DC80-U+DCFF), and what a JSON
# escape such as "\ud800" without its pair decodes to. Neither can be stored as UTF-8.
_BAD_BYTE = re.compile("[\ud800-\udfff]")


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
