"""Normalize the JSON Schema dialects found in tool corpora into standard JSON Schema (draft 2020-12).

`normalize_schema` rewrites known dialects into the standard: BFCL's Python type names (`dict`, `float`,
`tuple`, `any`), BFCL's `optional` flags and lists, draft-3 style `"required": true` on a property, draft-4
boolean `exclusiveMaximum`/`exclusiveMinimum` flags, tuple-style `items`, type shorthands (`"x": "string"`),
local `$ref`s (inlined, so every stored schema stands alone). What cannot be read as a schema raises
`SchemaProblem` with the path of the offending node. `normalize_parameters` and
`normalize_returns` then check the result against the meta-schema (`meta.check_valid_schema`).
"""

from __future__ import annotations

from typing import Any

from .errors import SchemaProblem
from .meta import SUBSCHEMA, SUBSCHEMA_LISTS, VALID_TYPES, check_valid_schema, compiles, kind, short
from .refs import resolve_refs

# BFCL and Python-flavoured corpora use Python type names.
_TYPE_ALIASES: dict[str, str | None] = {
    "dict": "object",
    "float": "number",
    "double": "number",
    "int": "integer",
    "long": "integer",
    "tuple": "array",
    "list": "array",
    "str": "string",
    "bool": "boolean",
    "any": None,  # no constraint
    "none": "null",
}

_TRUTHY = frozenset({"true", "yes", "1"})
# Draft 4 marks a bound exclusive with a flag beside it; 2020-12 puts the bound in the exclusive keyword.
_DRAFT4_BOUNDS = {"exclusiveMaximum": "maximum", "exclusiveMinimum": "minimum"}
# Identity keywords that lose their meaning once local references are inlined.
_DROPPED_AFTER_INLINING = ("$schema", "$id", "$defs", "definitions", "$anchor", "$dynamicAnchor")


class _HasRefs(Exception):
    """Raised by `normalize_schema` on a `$ref`: the caller inlines references and normalizes again.
    (Most schemas have none, so looking for them up front would be wasted work.)"""


def normalize_schema(schema: Any, path: str = "parameters") -> dict[str, Any] | bool:
    """Return a standard JSON Schema for one (possibly dialectal) schema, local `$ref`s inlined."""
    try:
        return _normalize_node(schema, path)
    except _HasRefs:
        return _normalize_node(resolve_refs(schema, schema), path)


def normalize_parameters(schema: Any) -> dict[str, Any]:
    """Normalize a tool's parameter schema: always an object schema with `properties`, valid JSON Schema."""
    if schema is None:
        schema = {}
    normalized = normalize_schema(schema, "parameters")
    if not isinstance(normalized, dict):
        raise SchemaProblem("parameters must be a JSON object schema, got a boolean")
    declared = normalized.get("type", "object")
    if declared != "object" and not (isinstance(declared, list) and "object" in declared):
        raise SchemaProblem(f"parameters must be an object schema, got type {declared!r}")
    normalized["type"] = "object"
    normalized.setdefault("properties", {})
    check_valid_schema(normalized, "parameters")
    return normalized


def normalize_returns(schema: Any) -> dict[str, Any] | None:
    """Normalize a return schema; empty means 'not declared' (None)."""
    if schema in (None, {}, "", []):
        return None
    normalized = normalize_schema(schema, "returns")
    if isinstance(normalized, bool):
        return None if normalized else {"not": {}}
    check_valid_schema(normalized, "returns")
    return normalized


def dialect_type(value: str) -> str | None | bool:
    """The standard type for a (dialect) type name; None for 'any'; False when it is not a type name."""
    lowered = value.strip().lower()
    if lowered in VALID_TYPES:
        return lowered
    if lowered in _TYPE_ALIASES:
        return _TYPE_ALIASES[lowered]
    return False


def _normalize_node(schema: Any, path: str) -> dict[str, Any] | bool:
    """One (possibly dialectal) schema node in standard form; raises `_HasRefs` on a `$ref`."""
    if isinstance(schema, bool):
        return schema
    if isinstance(schema, str) and dialect_type(schema) is not False:  # shorthand: "x": "string"
        schema = {"type": schema}
    if not isinstance(schema, dict):
        raise SchemaProblem(f"{path} must be a JSON object, got {kind(schema)}")
    out: dict[str, Any] = {}
    optional: set[str] = set()  # BFCL: `"optional": true` on a property, or a list beside `required`
    lifted: list[str] = []  # draft 3: `"required": true` on a property
    for key, value in schema.items():
        if key == "type":
            out_type = _normalize_type(value, path)
            if out_type is not None:
                out["type"] = out_type
        elif key == "properties":
            if not isinstance(value, dict):
                raise SchemaProblem(f"{path}.properties must be an object, got {kind(value)}")
            out["properties"] = {str(name): _normalize_node(sub, f"{path}.properties.{name}")
                                 for name, sub in value.items()}
            for name, sub in value.items():  # flags on a property speak about the parent's `required`
                if isinstance(sub, dict):
                    if sub.get("required") is True:
                        lifted.append(str(name))
                    if _truthy(sub.get("optional")):
                        optional.add(str(name))
        elif key == "items":
            if isinstance(value, list):  # tuple-style items (draft 4-2019) are prefixItems in 2020-12
                if value:
                    out["prefixItems"] = [_normalize_node(v, f"{path}.items[{i}]") for i, v in enumerate(value)]
            else:
                out["items"] = _normalize_node(value, f"{path}.items")
        elif key in SUBSCHEMA:
            out[key] = _normalize_node(value, f"{path}.{key}")
        elif key in SUBSCHEMA_LISTS:
            if not isinstance(value, list) or not value:
                raise SchemaProblem(f"{path}.{key} must be a non-empty list of schemas")
            out[key] = [_normalize_node(v, f"{path}.{key}[{i}]") for i, v in enumerate(value)]
        elif key in ("patternProperties", "dependentSchemas"):
            if not isinstance(value, dict):
                raise SchemaProblem(f"{path}.{key} must be an object, got {kind(value)}")
            out[key] = {str(k): _normalize_node(v, f"{path}.{key}.{k}") for k, v in value.items()
                        if key != "patternProperties" or compiles(str(k))}
        elif key == "required":
            if isinstance(value, bool):  # draft-3 style: the parent lifts it (see "properties")
                continue
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                out["required"] = list(dict.fromkeys(value))
            else:
                raise SchemaProblem(f"{path}.required must be a list of property names, got {short(value)}")
        elif key == "optional":  # a flag is read by the parent (see "properties"); a list right here
            if isinstance(value, list):
                optional.update(str(v) for v in value)
        elif key in ("description", "title"):
            if value is not None:
                out[key] = value if isinstance(value, str) else str(value)
        elif key == "pattern":
            if isinstance(value, str) and compiles(value):  # e.g. ECMA-only syntax; Python's re cannot use it
                out[key] = value
        elif key in _DROPPED_AFTER_INLINING:
            continue
        elif key in _DRAFT4_BOUNDS and isinstance(value, bool):  # draft 4's flag on a bound: read below
            continue
        elif key == "$ref" and isinstance(value, str):
            raise _HasRefs()
        elif key in ("$dynamicRef", "$recursiveRef"):
            raise SchemaProblem(f"{path}.{key} is not supported (dynamic references cannot be inlined)")
        else:
            out[key] = value
    for exclusive, bound in _DRAFT4_BOUNDS.items():  # draft 4: `maximum: 3, exclusiveMaximum: true`
        if schema.get(exclusive) is True and bound in out:
            out[exclusive] = out.pop(bound)
    if "properties" in out and "type" not in out:
        out["type"] = "object"
    properties = out.get("properties")
    if isinstance(properties, dict):
        names = list(dict.fromkeys(list(out.get("required", [])) + lifted))
        required = [r for r in names if r in properties and r not in optional]
        if required:
            out["required"] = required
        else:
            out.pop("required", None)
    return out


def _normalize_type(value: Any, path: str) -> Any:
    if isinstance(value, list):
        types = [_normalize_type(v, path) for v in value]
        if any(t is None for t in types):  # "any" in a union: no constraint at all
            return None
        unique = list(dict.fromkeys(types))
        return unique if len(unique) > 1 else (unique[0] if unique else None)
    name = dialect_type(value) if isinstance(value, str) else False
    if name is False:
        raise SchemaProblem(f"{path}.type {short(value)} is not a JSON Schema type")
    return name


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in _TRUTHY)
