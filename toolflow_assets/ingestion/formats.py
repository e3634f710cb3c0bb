"""Readers for each tool-corpus format. Each yields `RawTool`s or `RawRejection`s; none raises on a bad spec.

Formats, detected per file (`detect_format`):
- `openai`: a list (or `{"tools": [...]}`) of `{"type": "function", "function": {...}}` or bare function
  objects (`{"name", "description", "parameters"}`), or one bare function object
- `bfcl`: JSON lines, each with a `function` list (BFCL's dialect of JSON Schema), or one function per line
- `rapidapi`: ToolBench/RapidAPI files: query entries (or tool documents) with an `api_list`
- `openapi`: an OpenAPI 3.x (or Swagger 2.0) document, JSON or YAML (each operation becomes a tool); also
  ToolAlpaca's list of APIs whose `Documentation` field holds an OpenAPI document as a string
- `mcp`: an MCP `tools/list` result (`{"tools": [{"name", "inputSchema", "outputSchema"}]}`), bare or
  wrapped in a JSON-RPC response (`{"jsonrpc": "2.0", "id": 1, "result": {"tools": [...]}}`)

A reader only reshapes; names, schemas and sizes are validated later (`ingest.validate_tool`), so every
format gets the same rules and the same reasons.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from .json_numbers import checking_loads
from .openapi import is_openapi_document, operations_from_openapi
from .rapidapi import read_rapidapi
from .raw_specs import Line, Parsed, RawRejection, RawTool, excerpt_of
from .raw_specs import first_present as _first_present
from .raw_specs import text_of as _text

FORMATS = ("openai", "bfcl", "rapidapi", "openapi", "mcp")


# ---------------------------------------------------------------- detection

def detect_format(documents: list[Any], is_jsonl: bool) -> str | None:
    """Name the format of a file's parsed documents (one for JSON/YAML, one per line for JSON lines)."""
    if is_jsonl:
        return "bfcl" if any(isinstance(d, Line) and isinstance(d.value, dict) for d in documents) else None
    if not documents:
        return None
    doc = documents[0]
    if isinstance(doc, dict):
        if is_openapi_document(doc):
            return "openapi"
        if "jsonrpc" in doc:  # a JSON-RPC response: MCP's tools/list (or its error)
            return "mcp"
        result = doc.get("result") if isinstance(doc.get("result"), dict) else doc
        if "tools" in result:
            tools = result["tools"]
            return "mcp" if isinstance(tools, list) and _looks_like_mcp(tools) else "openai"
        if "api_list" in doc:
            return "rapidapi"
        if isinstance(doc.get("function"), list):
            return "bfcl"
        if "inputSchema" in doc:
            return "mcp"
        if "function" in doc or ("name" in doc and ("parameters" in doc or "input_schema" in doc)):
            return "openai"
        return None
    if isinstance(doc, list):
        sample = [t for t in doc if isinstance(t, dict)]
        if not sample:
            return None
        if any("api_list" in t for t in sample):
            return "rapidapi"
        if any("Documentation" in t for t in sample):
            return "openapi"
        if _looks_like_mcp(sample):
            return "mcp"
        if any("function" in t or "parameters" in t or ("name" in t and "description" in t) for t in sample):
            return "openai"
    return None


def _looks_like_mcp(tools: list[Any]) -> bool:
    return any(isinstance(t, dict) and ("inputSchema" in t or "outputSchema" in t) for t in tools)


def parse_documents(fmt: str, documents: list[Any], default_category: str = "") -> Iterator[Parsed]:
    """Reshape a file's documents into raw tools and rejections. `default_category`: usually the file stem."""
    yield from _READERS[fmt](documents, default_category)


# ---------------------------------------------------------------- OpenAI

def _read_openai(documents: list[Any], default_category: str) -> Iterator[Parsed]:
    doc = documents[0]
    if isinstance(doc, dict) and "tools" in doc:
        items, prefix = doc["tools"], "tools"
    else:
        items, prefix = ([doc] if isinstance(doc, dict) else doc), ""  # a dict: one bare function object
    if not isinstance(items, list):
        yield RawRejection(prefix or "(file)", f"`tools` is a {type(items).__name__}, not a list", excerpt=excerpt_of(items))
        return
    for index, item in enumerate(items):
        position = f"{prefix}[{index}]"
        if not isinstance(item, dict):
            yield RawRejection(position, f"tool entry is a {type(item).__name__}, not an object", excerpt=excerpt_of(item))
            continue
        kind = item.get("type", "function")
        if kind != "function":
            yield RawRejection(position, f"tool type {str(kind)[:40]!r} is not a function", excerpt=excerpt_of(item))
            continue
        fn = item["function"] if "function" in item else item  # chat-completions nesting or a flat function
        if not isinstance(fn, dict):
            yield RawRejection(position, "`function` is not an object", excerpt=excerpt_of(item))
            continue
        parameters = fn["parameters"] if "parameters" in fn else fn.get("input_schema")
        yield RawTool(
            name=fn.get("name"),
            description=fn.get("description", ""),
            parameters=parameters,
            returns=_first_present(fn, ("returns", "response", "output_schema", "outputSchema")),
            category=_text(fn.get("category")) or default_category,
            position=position,
            group="tools",
        )


# ---------------------------------------------------------------- BFCL

def _read_bfcl(documents: list[Any], default_category: str) -> Iterator[Parsed]:
    for entry in documents:
        if isinstance(entry, RawRejection):  # a line that is not JSON, found while reading the file
            yield entry
            continue
        # JSON lines come as `Line`s; a whole-file JSON document with a `function` list is one "line".
        doc, position = (entry.value, f"line {entry.number}") if isinstance(entry, Line) else (entry, "")
        if not isinstance(doc, dict):
            yield RawRejection(position or "(document)", f"line is a {type(doc).__name__}, not an object",
                               excerpt=excerpt_of(doc))
            continue
        nested = "function" in doc and not isinstance(doc.get("function"), dict)
        functions = doc["function"] if nested else [doc.get("function", doc)]
        if not isinstance(functions, list):
            yield RawRejection(position or "(document)", "`function` is not a list of function objects",
                               excerpt=excerpt_of(doc))
            continue
        test_category = _bfcl_category(doc.get("id")) or default_category
        for fn_index, fn in enumerate(functions):
            fn_position = f"{position} function[{fn_index}]".strip() if nested else (position or "(document)")
            if not isinstance(fn, dict):
                yield RawRejection(fn_position, "function entry is not an object", excerpt=excerpt_of(fn))
                continue
            yield RawTool(
                name=fn.get("name"),
                description=fn.get("description", ""),
                parameters=fn.get("parameters"),
                returns=_first_present(fn, ("response", "returns", "output_schema")),
                category=_namespace(fn.get("name")) or test_category,
                position=fn_position,
                group=(position or "document") if nested else "file",
            )


def _namespace(name: Any) -> str:
    """`math.factorial` → `math`, `ChaDri.change_drink` → `ChaDri`: BFCL's dotted names carry their domain."""
    if not isinstance(name, str) or "." not in name.strip(". "):
        return ""
    return name.strip(". ").rsplit(".", 1)[0]


def _bfcl_category(entry_id: Any) -> str:
    """BFCL ids look like `live_multiple_12-3-4` or `simple_python_0`: the test category is the prefix."""
    if not isinstance(entry_id, str) or "_" not in entry_id:
        return ""
    return entry_id.rsplit("_", 1)[0]


# ---------------------------------------------------------------- OpenAPI

def _read_openapi(documents: list[Any], default_category: str) -> Iterator[Parsed]:
    doc = documents[0]
    if isinstance(doc, dict):
        yield from operations_from_openapi(doc, prefix="", category=_openapi_category(doc) or default_category,
                                           group="document")
        return
    for index, entry in enumerate(doc):  # ToolAlpaca: a list of APIs with an embedded OpenAPI string
        position = f"[{index}]"
        if not isinstance(entry, dict):
            yield RawRejection(position, "entry is not an object", excerpt=excerpt_of(entry))
            continue
        api_name = _text(entry.get("Name")) or None
        spec = entry.get("Documentation")
        if isinstance(spec, str):
            try:
                spec = checking_loads(spec)  # a huge integer inside is rejected per tool, not the file
            except json.JSONDecodeError as error:
                yield RawRejection(position, f"`Documentation` is not valid JSON: {error.msg} at char {error.pos}",
                                   name=api_name, excerpt=excerpt_of(spec))
                continue
        if not isinstance(spec, dict):
            yield RawRejection(position, "`Documentation` is not an OpenAPI document", name=api_name,
                               excerpt=excerpt_of(entry))
            continue
        category = _text(entry.get("Category")) or _openapi_category(spec) or default_category
        yield from operations_from_openapi(spec, prefix=f"{position} ", category=category, group=position)


def _openapi_category(doc: dict[str, Any]) -> str:
    tags = doc.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], dict):
        return _text(tags[0].get("name"))
    info = doc.get("info")
    return _text(info.get("title")) if isinstance(info, dict) else ""


# ---------------------------------------------------------------- MCP

def _read_mcp(documents: list[Any], default_category: str) -> Iterator[Parsed]:
    doc = documents[0]
    if isinstance(doc, dict):
        if "error" in doc and "result" not in doc:
            yield RawRejection("(file)", f"JSON-RPC error response: {excerpt_of(doc['error'], 120)}")
            return
        result = doc.get("result") if isinstance(doc.get("result"), dict) else doc
        items = result.get("tools", [result] if "inputSchema" in result else [])
        prefix = "result.tools" if result is not doc else "tools"
    else:
        items, prefix = doc, ""
    if not isinstance(items, list):
        yield RawRejection(prefix or "(file)", "`tools` is not a list", excerpt=excerpt_of(items))
        return
    for index, item in enumerate(items):
        position = f"{prefix}[{index}]"
        if not isinstance(item, dict):
            yield RawRejection(position, "tool entry is not an object", excerpt=excerpt_of(item))
            continue
        annotations = item.get("annotations") if isinstance(item.get("annotations"), dict) else {}
        description = item.get("description")
        if description in (None, ""):
            description = item.get("title") or annotations.get("title") or ""
        yield RawTool(
            name=item.get("name"),
            description=description,
            parameters=item.get("inputSchema"),
            returns=item.get("outputSchema"),
            category=_text(item.get("category")) or default_category,
            position=position,
            group="tools",
        )


_READERS = {
    "openai": _read_openai,
    "bfcl": _read_bfcl,
    "rapidapi": read_rapidapi,
    "openapi": _read_openapi,
    "mcp": _read_mcp,
}
