"""Is this a valid JSON Schema (draft 2020-12)? A structural check of a schema against the meta-schema.

`check_valid_schema` is a hand-written equivalent of `Draft202012Validator.check_schema` (a test compares
the two on random schemas): the library's check resolves `$dynamicRef`s through the meta-schema for every
node and costs ~3-150 ms per schema, which made the bundled corpus take minutes and every batch's quality
checks seconds; this one costs microseconds.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .errors import SchemaProblem

VALID_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})

# Keywords whose value is a subschema, a map of subschemas, or a non-empty list of subschemas.
SUBSCHEMA = frozenset({"items", "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else",
                       "unevaluatedItems", "unevaluatedProperties", "contentSchema"})
SUBSCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
SUBSCHEMA_LISTS = frozenset({"prefixItems", "allOf", "anyOf", "oneOf"})
_NON_NEGATIVE_INTS = frozenset({"maxLength", "minLength", "maxItems", "minItems", "maxContains", "minContains",
                                "maxProperties", "minProperties"})
_NUMBERS = frozenset({"maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"})
_STRINGS = frozenset({"title", "description", "format", "$comment", "contentEncoding", "contentMediaType",
                      "$schema", "$ref", "$dynamicRef", "$recursiveRef"})
_BOOLEANS = frozenset({"uniqueItems", "deprecated", "readOnly", "writeOnly"})
_ANCHORS = frozenset({"$anchor", "$dynamicAnchor", "$recursiveAnchor"})
_ANCHOR_PATTERN = re.compile(r"^[A-Za-z_][-A-Za-z0-9._]*$")
_ID_PATTERN = re.compile(r"^[^#]*#?$")


def check_valid_schema(schema: Any, what: str) -> None:
    """Raise `SchemaProblem` unless `schema` is valid against the draft 2020-12 meta-schema."""
    problem = meta_schema_problem(schema, what)
    if problem is not None:
        raise SchemaProblem(problem)


def meta_schema_problem(node: Any, path: str) -> str | None:
    """The first reason `node` is not a valid draft 2020-12 schema (`path` names where), or None."""
    if isinstance(node, bool):
        return None
    if not isinstance(node, dict):
        return f"{path} is not a valid JSON Schema: a schema must be an object or a boolean, got {kind(node)}"
    for key, value in node.items():
        problem = _keyword_problem(key, value, f"{path}.{key}")
        if problem is not None:
            return problem
    return None


def _keyword_problem(key: str, value: Any, path: str) -> str | None:  # noqa: C901 - one branch per keyword family
    bad = f"{path} is not a valid JSON Schema:"
    if key == "type":
        if isinstance(value, str):
            return None if value in VALID_TYPES else f"{bad} {short(value)} is not a type"
        if isinstance(value, list) and value and all(isinstance(v, str) and v in VALID_TYPES for v in value):
            return None if len(set(value)) == len(value) else f"{bad} repeated types"
        return f"{bad} {short(value)} is not a type or a non-empty list of types"
    if key in SUBSCHEMA:
        return meta_schema_problem(value, path)
    if key in SUBSCHEMA_MAPS:
        if not isinstance(value, dict):
            return f"{bad} must be an object"
        if key == "patternProperties":
            for pattern in value:
                if not compiles(pattern):
                    return f"{bad} {short(pattern)} is not a regular expression"
        for name, sub in value.items():
            problem = meta_schema_problem(sub, f"{path}.{name}")
            if problem is not None:
                return problem
        return None
    if key in SUBSCHEMA_LISTS:
        if not isinstance(value, list) or not value:
            return f"{bad} must be a non-empty list of schemas"
        for index, sub in enumerate(value):
            problem = meta_schema_problem(sub, f"{path}[{index}]")
            if problem is not None:
                return problem
        return None
    if key == "required":
        return None if _is_string_set(value) else f"{bad} must be a list of distinct strings"
    if key == "dependentRequired":
        if isinstance(value, dict) and all(_is_string_set(v) for v in value.values()):
            return None
        return f"{bad} must map names to lists of distinct strings"
    if key == "dependencies":
        if not isinstance(value, dict):
            return f"{bad} must be an object"
        for name, sub in value.items():
            if not _is_string_set(sub) and meta_schema_problem(sub, f"{path}.{name}") is not None:
                return f"{bad} {name!r} is neither a schema nor a list of distinct strings"
        return None
    if key == "enum":
        return None if isinstance(value, list) else f"{bad} must be a list"
    if key == "examples":
        return None if isinstance(value, list) else f"{bad} must be a list"
    if key in _NON_NEGATIVE_INTS:
        return None if _is_integer(value) and value >= 0 else f"{bad} must be a non-negative integer"
    if key in _NUMBERS:
        return None if _is_number(value) else f"{bad} must be a number"
    if key == "multipleOf":  # written as the meta-schema's `exclusiveMinimum: 0` is checked (NaN passes)
        return None if _is_number(value) and not value <= 0 else f"{bad} must be a number above 0"
    if key == "pattern":
        return None if isinstance(value, str) and compiles(value) else f"{bad} must be a regular expression"
    if key in _STRINGS:
        return None if isinstance(value, str) else f"{bad} must be a string"
    if key == "$id":
        return None if isinstance(value, str) and _ID_PATTERN.match(value) else f"{bad} must be a URI without fragment"
    if key in _ANCHORS:
        return None if isinstance(value, str) and _ANCHOR_PATTERN.match(value) else f"{bad} must be an anchor name"
    if key in _BOOLEANS:
        return None if isinstance(value, bool) else f"{bad} must be true or false"
    if key == "$vocabulary":
        if isinstance(value, dict) and all(isinstance(v, bool) for v in value.values()):
            return None
        return f"{bad} must map URIs to true or false"
    return None  # const, default and unknown keywords (annotations such as `example`, `nullable`) take anything


def compiles(pattern: str) -> bool:
    """The regular expression compiles with Python's `re` (what the validators use for `pattern`)."""
    try:
        re.compile(pattern)
        return True
    except (re.error, RecursionError, OverflowError):
        return False


def kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_string_set(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value) and len(set(value)) == len(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()
