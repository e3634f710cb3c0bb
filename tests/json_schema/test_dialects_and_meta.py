"""Dialect normalization and the fast meta-schema check (compared with the jsonschema library)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from toolflow_assets.json_schema.dialects import normalize_parameters, normalize_returns, normalize_schema
from toolflow_assets.json_schema.errors import SchemaProblem, UnresolvableRef
from toolflow_assets.json_schema.meta import check_valid_schema


@pytest.mark.parametrize(
    ("dialect", "standard"),
    [
        ({"type": "dict", "properties": {}}, {"type": "object", "properties": {}}),
        ({"type": "float"}, {"type": "number"}),
        ({"type": "tuple", "items": {"type": "int"}}, {"type": "array", "items": {"type": "integer"}}),
        ({"type": "any", "description": "x"}, {"description": "x"}),
        ({"type": ["String", "none"]}, {"type": ["string", "null"]}),
        ({"type": ["string", "any"]}, {}),
        ({"items": [{"type": "str"}, {"type": "bool"}]}, {"prefixItems": [{"type": "string"}, {"type": "boolean"}]}),
        ({"properties": {"a": "string"}}, {"properties": {"a": {"type": "string"}}, "type": "object"}),
        ({"description": None, "title": 3}, {"title": "3"}),
        ({"type": "string", "pattern": "\\p{L}+"}, {"type": "string"}),  # ECMA-only regex: dropped
        ({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}, {"type": "object"}),
        ({"type": "object", "nullable": True, "example": {"a": 1}},
         {"type": "object", "nullable": True, "example": {"a": 1}}),
    ],
)
def test_dialects_become_standard(dialect: dict[str, Any], standard: dict[str, Any]) -> None:
    assert normalize_schema(dialect) == standard


def test_optional_flags_and_lists_drop_names_from_required() -> None:
    schema = {"type": "dict", "properties": {
        "a": {"type": "string"}, "b": {"type": "string", "optional": True}, "c": {"type": "string", "optional": "yes"},
        "d": {"type": "string", "optional": False}, "e": {"type": "string"}},
        "required": ["a", "b", "c", "d", "e"], "optional": ["e"]}
    normalized = normalize_parameters(schema)
    assert normalized["required"] == ["a", "d"]
    assert "optional" not in str(normalized)


def test_draft3_required_booleans_are_lifted() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string", "required": True},
                                               "b": {"type": "string", "required": False}}}
    assert normalize_parameters(schema) == {"type": "object", "properties": {
        "a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a"]}


def test_required_names_without_a_property_are_dropped() -> None:
    assert normalize_parameters({"type": "object", "properties": {"a": {}}, "required": ["a", "ghost", "a"]}) == {
        "type": "object", "properties": {"a": {}}, "required": ["a"]}


def test_local_refs_are_inlined_and_cycles_cut() -> None:
    schema = {"type": "object", "properties": {"node": {"$ref": "#/$defs/Node"}},
              "$defs": {"Node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/Node"}}}}}
    normalized = normalize_parameters(schema)
    node = normalized["properties"]["node"]
    assert node["type"] == "object"
    assert node["properties"]["child"] == {"description": "(recursive reference to #/$defs/Node)"}
    assert "$defs" not in normalized


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": "object", "properties": {"x": {"$ref": "#/$defs/Missing"}}}, "cannot be resolved"),
        ({"type": "object", "properties": {"x": {"$ref": "other.json#/X"}}}, "points outside the document"),
    ],
)
def test_unresolvable_refs(schema: dict[str, Any], message: str) -> None:
    with pytest.raises(UnresolvableRef, match=message):
        normalize_parameters(schema)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ("a string", "parameters must be a JSON object, got str"),
        ({"type": "array", "items": {}}, "parameters must be an object schema, got type 'array'"),
        ({"properties": []}, "parameters.properties must be an object, got list"),
        ({"properties": {"x": {"type": "strng"}}}, "parameters.properties.x.type 'strng' is not a JSON Schema type"),
        ({"properties": {"x": {"type": 5}}}, "parameters.properties.x.type 5 is not a JSON Schema type"),
        ({"required": "x"}, "parameters.required must be a list of property names, got 'x'"),
        ({"properties": {"x": {"maxLength": -1}}}, "parameters.properties.x.maxLength is not a valid JSON Schema"),
        ({"properties": {"x": {"enum": "a"}}}, "parameters.properties.x.enum is not a valid JSON Schema: must be a list"),
        ({"anyOf": []}, "parameters.anyOf must be a non-empty list of schemas"),
        ({"properties": {"x": {"$dynamicRef": "#meta"}}}, "is not supported"),
    ],
)
def test_invalid_parameter_schemas_say_where(schema: Any, message: str) -> None:
    with pytest.raises(SchemaProblem) as error:
        normalize_parameters(schema)
    assert message in str(error.value)


def test_returns_may_be_any_schema() -> None:
    assert normalize_returns(None) is None and normalize_returns({}) is None
    assert normalize_returns({"type": "list", "items": {"type": "dict"}}) == {
        "type": "array", "items": {"type": "object"}}
    assert normalize_returns(True) is None


# ---------------------------------------------------------------- the fast check agrees with jsonschema

_KEYWORDS = ["type", "properties", "items", "prefixItems", "required", "enum", "const", "minimum", "maxLength",
             "minItems", "pattern", "format", "anyOf", "allOf", "not", "additionalProperties", "patternProperties",
             "multipleOf", "uniqueItems", "$defs", "description", "title", "examples", "dependentRequired",
             "dependencies", "$id", "$anchor", "deprecated", "propertyNames", "if", "exclusiveMaximum", "x-extra"]
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.sampled_from(["string", "object", "integer", "number", "array", "boolean", "null", "strng", "a", "^a+$",
                     "[", "x#", "x##", "#frag", "", "abc", "_a.b"]),
)


def _schemas(depth: int = 2) -> st.SearchStrategy[Any]:
    child = _schemas(depth - 1) if depth > 0 else st.one_of(st.booleans(), st.just({}))
    value = st.one_of(
        _scalars,
        child,
        st.lists(st.one_of(_scalars, child), max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "^x", "("]), st.one_of(child, st.lists(_scalars, max_size=2)),
                        max_size=2),
    )
    return st.one_of(st.booleans(), st.dictionaries(st.sampled_from(_KEYWORDS), value, max_size=4))


def _library_says_valid(schema: Any) -> bool:
    try:
        Draft202012Validator.check_schema(schema)
        return True
    except SchemaError:
        return False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_schemas())
def test_fast_check_agrees_with_the_jsonschema_library(schema: Any) -> None:
    try:
        check_valid_schema(schema, "s")
        ours = True
    except SchemaProblem:
        ours = False
    assert ours == _library_says_valid(schema), schema
