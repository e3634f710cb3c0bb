"""Property test: random and malformed tool specs in every format never crash ingestion.

Every rejection has a reason; every accepted tool has a valid function name and valid JSON Schema
(checked with the jsonschema library itself, not with ingestion's own fast check); both tables store.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingestion_helpers import VALID_NAME, assert_valid_schema

from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.tools import quarantine_to_frame, tools_to_frame

# ---------------------------------------------------------------- strategies

_names = st.one_of(
    st.sampled_from(["get_weather", "ChaDri.change_drink", "send email!", "获取天气", "...", "", "x" * 80,
                     "search", "Search", "a-b_c"]),
    st.text(max_size=12),
    st.none(),
    st.integers(),
)
_types = st.sampled_from(["object", "dict", "string", "str", "integer", "int", "float", "number", "boolean",
                          "array", "tuple", "list", "any", "null", "strng", "", "Object"])
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, width=32),
                     st.text(max_size=8))


def _schema(depth: int = 2) -> st.SearchStrategy[Any]:
    child = _schema(depth - 1) if depth > 0 else st.one_of(st.just({}), st.just({"type": "string"}), _scalars)
    keyword_values = {
        "type": st.one_of(_types, st.lists(_types, max_size=3), st.integers()),
        "description": st.one_of(st.text(max_size=20), st.none(), st.integers()),
        "properties": st.one_of(st.dictionaries(st.text(max_size=6), child, max_size=3), st.lists(child, max_size=2)),
        "required": st.one_of(st.lists(st.text(max_size=6), max_size=3), st.booleans(), st.text(max_size=4)),
        "optional": st.one_of(st.booleans(), st.sampled_from(["True", "yes", "no"]),
                              st.lists(st.text(max_size=4), max_size=2)),
        "items": st.one_of(child, st.lists(child, max_size=2)),
        "enum": st.one_of(st.lists(_scalars, max_size=3), _scalars),
        "default": _scalars,
        "minimum": _scalars,
        "maxLength": _scalars,
        "pattern": st.sampled_from(["^a+$", "[", "\\p{L}", "(?P<x>a)"]),
        "anyOf": st.lists(child, max_size=2),
        "additionalProperties": st.one_of(st.booleans(), child),
        "$ref": st.sampled_from(["#/$defs/A", "#/$defs/Missing", "#", "other.json#/x", "#/properties"]),
        "$defs": st.dictionaries(st.sampled_from(["A", "B"]), child, max_size=2),
        "format": st.one_of(st.text(max_size=6), st.integers()),
    }
    keyword_and_value = st.sampled_from(sorted(keyword_values)).flatmap(
        lambda key: st.tuples(st.just(key), keyword_values[key]))
    return st.one_of(st.lists(keyword_and_value, max_size=5).map(dict), _scalars)


_schemas = _schema()


@st.composite
def _function(draw: st.DrawFn) -> dict[str, Any]:
    fn: dict[str, Any] = {}
    if draw(st.booleans()) or draw(st.booleans()):
        fn["name"] = draw(_names)
    if draw(st.booleans()):
        fn["description"] = draw(st.one_of(st.text(max_size=40), st.none(), st.integers()))
    if draw(st.booleans()):
        fn["parameters"] = draw(_schemas)
    if draw(st.integers(0, 3)) == 0:
        fn["response"] = draw(_schemas)
    return fn


def _openai(functions: list[Any], style: int) -> Any:
    entries = [{"type": "function", "function": f} if style % 2 == 0 else f for f in functions]
    return {"tools": entries} if style >= 2 else entries


def _bfcl_lines(functions: list[Any]) -> str:
    lines = [json.dumps({"id": f"multiple_{i}", "function": functions[i:i + 2]}) for i in range(0, len(functions), 2)]
    return "\n".join(lines + [json.dumps(f) for f in functions[:1]] + ["{broken"])


def _rapidapi(functions: list[Any], params: list[Any]) -> Any:
    apis = [{"tool_name": f.get("name") if isinstance(f, dict) else f, "api_name": "call",
             "api_description": f.get("description") if isinstance(f, dict) else None,
             "required_parameters": params, "optional_parameters": [{"name": "limit", "type": "NUMBER", "default": "x"}],
             "template_response": f.get("response") if isinstance(f, dict) else None} for f in functions]
    return [{"query": "q", "api_list": apis}, {"no": "api_list"}]


def _openapi(functions: list[Any]) -> Any:
    paths: dict[str, Any] = {}
    for index, fn in enumerate(functions):
        fn = fn if isinstance(fn, dict) else {}
        paths[f"/p{index}/{{id}}"] = {
            "get": {"operationId": fn.get("name"), "description": fn.get("description"),
                    "parameters": [{"name": "id", "in": "path", "schema": fn.get("parameters")},
                                   {"$ref": "#/components/parameters/Q"}],
                    "responses": {"200": {"content": {"application/json": {"schema": fn.get("response")}}}}},
            "post": {"requestBody": {"content": {"application/json": {"schema": fn.get("parameters")}}}},
        }
    components = {"parameters": {"Q": {"name": "q", "in": "query", "schema": {"type": "string"}}},
                  "schemas": {"A": {"type": "object"}}}
    return {"openapi": "3.0.0", "info": {"title": "Fuzz"}, "paths": paths, "components": components}


def _mcp(functions: list[Any], wrapped: bool) -> Any:
    tools = [{"name": f.get("name"), "description": f.get("description"), "inputSchema": f.get("parameters"),
              "outputSchema": f.get("response")} if isinstance(f, dict) else f for f in functions]
    return {"jsonrpc": "2.0", "id": 1, "result": {"tools": tools}} if wrapped else {"tools": tools}


@st.composite
def _tool_file(draw: st.DrawFn) -> tuple[str, bytes]:
    functions = draw(st.lists(st.one_of(_function(), _scalars), min_size=1, max_size=5))
    kind = draw(st.sampled_from(["openai", "bfcl", "rapidapi", "openapi", "mcp", "yaml", "json", "bytes"]))
    if kind == "openai":
        name, text = "tools.json", json.dumps(_openai(functions, draw(st.integers(0, 3))))
    elif kind == "bfcl":
        name, text = "bfcl.json", _bfcl_lines(functions)
    elif kind == "rapidapi":
        params = draw(st.lists(st.one_of(st.fixed_dictionaries({"name": _names, "type": st.text(max_size=8),
                                                                "default": _scalars}), _scalars), max_size=3))
        name, text = "rapid.json", json.dumps(_rapidapi(functions, params))
    elif kind == "openapi":
        name, text = "api.json", json.dumps(_openapi(functions))
    elif kind == "mcp":
        name, text = "mcp.json", json.dumps(_mcp(functions, draw(st.booleans())))
    elif kind == "yaml":
        import yaml

        name, text = "api.yaml", yaml.safe_dump(_openapi(functions), allow_unicode=True)
    elif kind == "json":
        name, text = "any.json", json.dumps(draw(st.recursive(_scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(
            st.text(max_size=5), c, max_size=3), max_leaves=10)))
    else:
        return "raw.json", draw(st.binary(max_size=200))
    data = text.encode("utf-8")
    mutation = draw(st.sampled_from(["none", "none", "bad_byte", "truncate"]))
    if mutation == "bad_byte" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x80\x81", b"\xed\xa0\x80"])) + data[at:]
    elif mutation == "truncate" and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    return name, data


# ---------------------------------------------------------------- the property

@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_tool_file(), min_size=1, max_size=3))
def test_random_specs_never_crash_and_every_outcome_is_explained(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for index, (name, data) in enumerate(files):
            (root / f"{index}_{name}").write_bytes(data)
        result = ingest_sources([root], display_root=root)

    for row in result.quarantined:
        assert isinstance(row.reason, str) and row.reason.strip()
        assert row.source and row.position
    names = [t.name for t in result.tools]
    assert len({n.lower() for n in names}) == len(names)
    for tool in result.tools:
        assert VALID_NAME.match(tool.name), tool.name
        assert tool.parameters.get("type") == "object" and isinstance(tool.parameters.get("properties"), dict)
        assert_valid_schema(tool.parameters)
        if tool.returns is not None:
            assert_valid_schema(tool.returns)
    # both tables can be stored (Parquet needs valid UTF-8 everywhere)
    tools_to_frame(result.tools).write_parquet(io.BytesIO())
    quarantine_to_frame(result.quarantined).write_parquet(io.BytesIO())
