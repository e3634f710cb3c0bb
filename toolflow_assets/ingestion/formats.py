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
from dataclasses import dataclass
from typing import Any, Iterator

from .json_numbers import checking_loads
from .openapi import is_openapi_document, operations_from_openapi


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

FORMATS = ("openai", "bfcl", "rapidapi", "openapi", "mcp")


def excerpt_of(value: Any, limit: int = 200) -> str:
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text[:limit]


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


# ---------------------------------------------------------------- ToolBench / RapidAPI

def _read_rapidapi(documents: list[Any], default_category: str) -> Iterator[Parsed]:
    doc = documents[0]
    entries = doc if isinstance(doc, list) else [doc]
    for q_index, entry in enumerate(entries):
        apis = entry.get("api_list") if isinstance(entry, dict) else None
        if not isinstance(apis, list):
            yield RawRejection(f"[{q_index}]", "entry has no `api_list` list", excerpt=excerpt_of(entry))
            continue
        for a_index, api in enumerate(apis):
            position = f"[{q_index}].api_list[{a_index}]"
            if not isinstance(api, dict):
                yield RawRejection(position, "api entry is not an object", excerpt=excerpt_of(api))
                continue
            # Query files carry tool_name/api_name per api; ToolBench tool documents carry tool_name once.
            tool_name = _text(api.get("tool_name")) or _text(entry.get("tool_name")) or _text(entry.get("title"))
            api_name = _text(api.get("api_name")) or _text(api.get("name"))
            try:
                parameters = _rapidapi_parameters(api)
            except ValueError as error:
                yield RawRejection(position, str(error), name=f"{tool_name}_{api_name}", excerpt=excerpt_of(api))
                continue
            name = f"{tool_name}_{api_name}" if tool_name and api_name else (api_name or None)
            description = _text(api.get("api_description")) or _text(api.get("description"))
            if not description and api_name:
                description = f"{api_name} endpoint of the {tool_name or 'RapidAPI'} API."
            category = _text(api.get("category_name")) or _text(entry.get("category_name")) or default_category
            yield RawTool(
                name=name,
                description=description,
                parameters=parameters,
                returns=template_schema(success_template(api.get("template_response"))),
                category=category,
                position=position,
                group=f"[{q_index}]",
            )


_RAPIDAPI_TYPES = {"STRING": "string", "NUMBER": "number", "INTEGER": "integer", "BOOLEAN": "boolean",
                   "ENUM": "string", "ARRAY": "array", "OBJECT": "object", "FILE": "string", "CREDENTIALS": "string",
                   "DATE (YYYY-MM-DD)": "string", "TIME (24-HOUR HH:MM)": "string",
                   "GEOPOINT (LATITUDE, LONGITUDE)": "string"}


def _rapidapi_parameters(api: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for group, is_required in (("required_parameters", True), ("optional_parameters", False)):
        params = api.get(group) or []
        if not isinstance(params, list):
            raise ValueError(f"`{group}` is not a list")
        for param in params:
            if not isinstance(param, dict) or not _text(param.get("name")):
                raise ValueError(f"a parameter in `{group}` has no name")
            name = _text(param["name"])
            kind = str(param.get("type") or "STRING").strip().upper()
            json_type = _RAPIDAPI_TYPES.get(kind, "string")
            prop: dict[str, Any] = {"type": json_type}
            if _text(param.get("description")):
                prop["description"] = _text(param["description"])
            if kind.startswith("DATE"):
                prop["format"] = "date"
            default = _coerce_default(param.get("default"), json_type)
            if default is not None:
                prop["default"] = default
            properties[name] = prop
            if is_required and name not in required:
                required.append(name)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _coerce_default(value: Any, json_type: str) -> Any:
    """RapidAPI writes every default as a string ("10", "true"); give it the parameter's type, or drop it."""
    if value is None or value == "":
        return None
    if json_type == "string":
        return value if isinstance(value, str) else str(value)
    if json_type in ("number", "integer"):
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return value
        try:
            number = float(str(value).strip())
        except ValueError:
            return None
        if json_type == "integer" or number.is_integer():
            return int(number) if number.is_integer() else None
        return number
    if json_type == "boolean":
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        return True if lowered == "true" else False if lowered == "false" else None
    return value


_TEMPLATE_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "dict": "object",
                   "list": "array"}


# Keys of an error or status envelope: ToolBench recorded one real response per endpoint, and for many it
# was a failure (`{"statusCode": 404, "message": "…", "error": "Not Found"}`). Such a sample says nothing
# about what the endpoint returns when it works; read as a schema it made every result an error message
# and left the graph nothing to link (`create_task` "returned" a message, never its task id).
_ENVELOPE_KEYS = frozenset("statuscode status_code status code message msg error errors detail details success ok "
                           "timestamp path".split())


def success_template(template: Any) -> Any:
    """The template, or None when it is only an error/status envelope (every key one of `_ENVELOPE_KEYS`):
    then the tool has no known result schema, and the graph infers its outputs from its name and
    description (marked `inferred`) as for any tool without one."""
    if isinstance(template, dict):
        keys = {str(key).strip().lower() for key in template if key != "_list_length"}
        if keys and keys <= _ENVELOPE_KEYS:
            return None
    return template


def template_schema(template: Any, depth: int = 0) -> dict[str, Any] | None:
    """A ToolBench `template_response` (`{"id": "str", "items": [{"name": "str", "_list_length": 3}]}`) as
    a JSON Schema; None when there is no template."""
    if depth > 12:
        return {}
    if isinstance(template, dict):
        if not template and depth == 0:
            return None
        properties = {str(k): template_schema(v, depth + 1) or {} for k, v in template.items() if k != "_list_length"}
        return {"type": "object", "properties": properties}
    if isinstance(template, list):
        schema: dict[str, Any] = {"type": "array"}
        if template:
            item = template_schema(template[0], depth + 1)
            if item:
                schema["items"] = item
        return schema
    if isinstance(template, str):
        text = template.strip()
        if text.startswith("list of "):  # "list of str with length 5"
            item_type = _TEMPLATE_TYPES.get(text.split()[2], None) if len(text.split()) > 2 else None
            return {"type": "array", "items": {"type": item_type}} if item_type else {"type": "array"}
        json_type = _TEMPLATE_TYPES.get(text)
        return {"type": json_type} if json_type else {}  # "NoneType" and the like: the sample was null
    if depth == 0:
        return None
    return {}


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


# ---------------------------------------------------------------- helpers

def _text(value: Any) -> str:
    """A trimmed string for name-like fields; anything else (None, numbers, objects) becomes '' or its str."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def _first_present(mapping: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if mapping.get(key) not in (None, {}, ""):
            return mapping[key]
    return None


_READERS = {
    "openai": _read_openai,
    "bfcl": _read_bfcl,
    "rapidapi": _read_rapidapi,
    "openapi": _read_openapi,
    "mcp": _read_mcp,
}
