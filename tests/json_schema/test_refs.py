"""The `$ref` loop rule: a loop through `$ref`s and in-place applicators only is refused; recursion through
a property or an item is not a loop."""

from __future__ import annotations

from typing import Any

import pytest

from toolflow_assets.json_schema.errors import SchemaProblem
from toolflow_assets.json_schema.refs import ref_loop, resolve_refs

DEFS_LOOP = {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}
ALL_OF_LOOP = {"$defs": {"a": {"allOf": [{"type": "object"}, {"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}
NOT_LOOP = {"not": {"$ref": "#"}}
TREE = {"type": "object", "properties": {"child": {"$ref": "#"}}}
LIST_ITEMS = {"type": "array", "items": {"anyOf": [{"type": "string"}, {"$ref": "#"}]}}


@pytest.mark.parametrize("schema", [DEFS_LOOP, ALL_OF_LOOP, NOT_LOOP], ids=["defs", "allOf", "not"])
def test_a_loop_without_a_property_or_item_step_is_refused(schema: dict[str, Any]) -> None:
    assert "$ref loop" in str(ref_loop(schema, schema))
    with pytest.raises(SchemaProblem, match=r"\$ref loop"):
        resolve_refs(schema, schema)


@pytest.mark.parametrize("schema", [TREE, LIST_ITEMS], ids=["property", "items"])
def test_recursion_through_a_property_or_an_item_is_no_loop(schema: dict[str, Any]) -> None:
    assert ref_loop(schema, schema) is None
    assert "recursive reference to #" in str(resolve_refs(schema, schema))


def test_an_openapi_operation_loop_is_found_where_its_schemas_sit() -> None:
    """An operation is no schema: its schemas sit under `parameters[].schema`, which inlining reads."""
    spec = {"components": {"schemas": {"A": {"$ref": "#/components/schemas/B"},
                                       "B": {"allOf": [{"$ref": "#/components/schemas/A"}]}}}}
    operation = {"parameters": [{"name": "q", "in": "query", "schema": {"$ref": "#/components/schemas/A"}}]}
    with pytest.raises(SchemaProblem, match="#/components/schemas/A -> #/components/schemas/B"):
        resolve_refs(operation, spec)
    assert ref_loop(operation, spec) is None  # read as a schema, `parameters` is an unknown keyword


def test_the_loop_check_is_linear_in_a_document_whose_references_fan_out() -> None:
    """Ten schemas that each use the next ten times: 10^10 nodes inlined, 10 objects visited."""
    defs = {f"s{i}": {"type": "object", "properties": {f"p{j}": {"$ref": f"#/$defs/s{i + 1}"} for j in range(10)}}
            for i in range(10)}
    defs["s10"] = {"type": "string"}
    schema = {"$defs": defs, "$ref": "#/$defs/s0"}
    assert ref_loop(schema, schema) is None
