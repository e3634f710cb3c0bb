"""What a format reader yields: a raw tool spec (not validated yet) or a rejection with its reason."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RawTool:
    name: Any
    description: Any
    parameters: Any
    returns: Any
    category: str
    position: str
    # The tool list this spec was offered in (one BFCL line, one OpenAPI document, one MCP result...):
    # names must be unique inside it.
    group: str = ""


@dataclass(frozen=True)
class RawRejection:
    position: str
    reason: str
    name: str | None = None
    excerpt: str = ""


@dataclass(frozen=True)
class Line:
    """One parsed line of a JSON-lines file, with its 1-based line number (blank lines are skipped)."""

    number: int
    value: Any


Parsed = RawTool | RawRejection


def excerpt_of(value: Any, limit: int = 200) -> str:
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text[:limit]


def text_of(value: Any) -> str:
    """A trimmed string for name-like fields; anything else (None, numbers, objects) becomes '' or its str."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def first_present(mapping: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if mapping.get(key) not in (None, {}, ""):
            return mapping[key]
    return None
