"""The canonical tool: one validated shape for every tool inside the pipeline.

Every source format normalizes into `Tool`; provider formats (OpenAI tools, Hermes, ShareGPT) are
produced from it only at the edges (`to_openai`, the export stage).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

import polars as pl

# OpenAI-style function names: ^[a-zA-Z0-9_-]{1,64}$
MAX_NAME_LENGTH = 64

CATALOG_SCHEMA: dict[str, pl.DataType] = {
    "tool_id": pl.String,
    "name": pl.String,
    "original_name": pl.String,
    "description": pl.String,
    "parameters": pl.String,  # JSON Schema object, as JSON text
    "returns": pl.String,  # JSON Schema or null, as JSON text
    "source": pl.String,
    "source_format": pl.String,
    "category": pl.String,
    "position": pl.String,
    "merged_count": pl.Int64,
}

QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String,
    "source_format": pl.String,
    "position": pl.String,
    "name": pl.String,
    "reason": pl.String,
    "excerpt": pl.String,
}


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: the form every hash and stored schema uses."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def stable_id(*parts: str, length: int = 16) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def derive_seed(*parts: Any) -> int:
    """A 31-bit seed from any parts, stable across processes (sha256, never the salted `hash()`)."""
    return int(stable_id(*(str(p) for p in parts), length=8), 16) & 0x7FFFFFFF


@dataclass(frozen=True)
class Tool:
    tool_id: str
    name: str
    description: str
    parameters: dict[str, Any]
    returns: dict[str, Any] | None
    source: str
    source_format: str
    category: str
    original_name: str = ""
    position: str = ""
    merged_count: int = 1

    def to_openai(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }

    def to_row(self) -> dict[str, Any]:
        row = asdict(self)
        row["parameters"] = canonical_json(self.parameters)
        row["returns"] = None if self.returns is None else canonical_json(self.returns)
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Tool":
        values = dict(row)
        values["parameters"] = json.loads(values["parameters"])
        values["returns"] = None if values.get("returns") is None else json.loads(values["returns"])
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in values.items() if k in known})


@dataclass(frozen=True)
class QuarantinedSpec:
    source: str
    position: str
    reason: str
    source_format: str | None = None
    name: str | None = None
    excerpt: str = field(default="")

    def to_row(self) -> dict[str, Any]:
        return asdict(self)


def api_of(tool: Tool) -> str:
    """The API a tool is one endpoint of, where the catalog says so; "" where it does not.

    A RapidAPI endpoint is named `<API>_<endpoint>` (`Investors Exchange (IEX) Trading_OHLC`); a BFCL file with
    no test ids is one API's docs (the multi-turn `math_api.json`: its category defaults to the file's name);
    an MCP server is one. A BFCL test set (`live_multiple`, 246 unrelated functions, its category from its ids),
    a ToolAlpaca category, or a file of any other format whose category defaulted to its name (a user's
    `tools.json` of unrelated functions) names no API: same_context trusts every link inside one API."""
    return _api(tool.source_format, tool.original_name, tool.source, tool.category)


@lru_cache(maxsize=65536)  # read once per data_flow edge by meanings.same_context: millions on a big catalog
def _api(source_format: str, original_name: str, source: str, category: str) -> str:
    if source_format == "rapidapi" and "_" in original_name:
        return "rapidapi:" + original_name.split("_", 1)[0]  # one hub: G1 and G2 list the same API
    if source.startswith("mcp:"):
        return source
    stem = PurePosixPath(source).name.split(".", 1)[0]
    return source if source_format == "bfcl" and category and stem == category else ""


def same_api(a: Tool, b: Tool) -> bool:
    api = api_of(a)
    return bool(api) and api == api_of(b)


def tools_to_frame(tools: list[Tool]) -> pl.DataFrame:
    return pl.DataFrame([t.to_row() for t in tools], schema=CATALOG_SCHEMA)


def tools_from_frame(frame: pl.DataFrame) -> list[Tool]:
    return [Tool.from_row(row) for row in frame.iter_rows(named=True)]


def quarantine_to_frame(rejected: list[QuarantinedSpec]) -> pl.DataFrame:
    return pl.DataFrame([r.to_row() for r in rejected], schema=QUARANTINE_SCHEMA)
