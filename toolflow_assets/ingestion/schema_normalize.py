"""Normalize the JSON Schema dialects found in tool corpora into standard JSON Schema (draft 2020-12).

Two steps, both pure:
- `normalize_schema` rewrites known dialects into the standard: BFCL's Python type names (`dict`, `float`,
  `tuple`, `any`), BFCL's `optional` flags and lists, draft-3 style `"required": true` on a property, type
  shorthands (`"x": "string"`), local `$ref`s (inlined, so every stored schema stands alone). What cannot
  be read as a schema raises `SchemaProblem` with the path of the offending node.
- `check_valid_schema` checks a schema against the draft 2020-12 meta-schema. It is a hand-written
  equivalent of `Draft202012Validator.check_schema` (a test compares the two on random schemas): the
  library's check resolves `$dynamicRef`s through the meta-schema for every node and costs ~20-150 ms per
  tool, which made the bundled corpus take minutes; this one costs microseconds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

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

_VALID_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})
_TRUTHY = frozenset({"true", "yes", "1"})
_MAX_REF_DEPTH = 32
# Nodes one schema (or one OpenAPI operation) may expand to once `$ref`s are inlined. A stored schema is
# capped at 200k characters of JSON (ingest.MAX_SCHEMA_CHARS), at least ~4 per node, so a schema past this
# is rejected anyway; the budget only stops building it first.
MAX_REF_NODES = 50_000

# Keywords whose value is a subschema, a map of subschemas, or a non-empty list of subschemas.
_SUBSCHEMA = frozenset({"items", "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else",
                        "unevaluatedItems", "unevaluatedProperties", "contentSchema"})
_SUBSCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
_SUBSCHEMA_LISTS = frozenset({"prefixItems", "allOf", "anyOf", "oneOf"})
_NON_NEGATIVE_INTS = frozenset({"maxLength", "minLength", "maxItems", "minItems", "maxContains", "minContains",
                                "maxProperties", "minProperties"})
_NUMBERS = frozenset({"maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"})
_STRINGS = frozenset({"title", "description", "format", "$comment", "contentEncoding", "contentMediaType",
                      "$schema", "$ref", "$dynamicRef", "$recursiveRef"})
_BOOLEANS = frozenset({"uniqueItems", "deprecated", "readOnly", "writeOnly"})
_ANCHORS = frozenset({"$anchor", "$dynamicAnchor", "$recursiveAnchor"})
_ANCHOR_PATTERN = re.compile(r"^[A-Za-z_][-A-Za-z0-9._]*$")
_ID_PATTERN = re.compile(r"^[^#]*#?$")
# Identity keywords that lose their meaning once local references are inlined.
_DROPPED_AFTER_INLINING = ("$schema", "$id", "$defs", "definitions", "$anchor", "$dynamicAnchor")


class SchemaProblem(ValueError):
    """A parameter schema that cannot be turned into valid JSON Schema."""


class UnresolvableRef(SchemaProblem):
    """A `$ref` that points nowhere (or outside the document)."""


# ---------------------------------------------------------------- $ref inlining

class RefExpansionTooLarge(SchemaProblem):
    """Inlining `$ref`s would build more schema nodes than the budget allows (e.g. 10 schemas that each
    reference the next 10 times: 10^10 nodes from a 4 KB file)."""


@dataclass
class RefBudget:
    """Schema nodes that inlining may still build. Counted as nodes are built, so an expansion stops at the
    limit instead of after exhausting memory; `scope` names what the limit is for in the reason."""

    limit: int = MAX_REF_NODES
    scope: str = "one schema"
    used: int = 0

    def spend(self) -> None:
        self.used += 1
        if self.used > self.limit:
            raise RefExpansionTooLarge(f"$refs expand past {self.limit:,} schema nodes for {self.scope} "
                                       "(references that fan out); not expanded")


def resolve_refs(node: Any, root: Any, seen: tuple[str, ...] = (), budget: RefBudget | None = None) -> Any:
    """Inline local `$ref`s (`#/...`) against `root`. A cycle is cut to an unconstrained schema. Every node
    built is charged to `budget` (a fresh `RefBudget()` when none is given)."""
    if budget is None:
        budget = RefBudget()
    budget.spend()
    if isinstance(node, list):
        return [resolve_refs(item, root, seen, budget) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in seen or len(seen) > _MAX_REF_DEPTH:
            return {"description": f"(recursive reference to {ref})"}
        target = lookup_ref(ref, root)
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return resolve_refs(merged, root, seen + (ref,), budget)
    return {key: resolve_refs(value, root, seen, budget) for key, value in node.items()}


def lookup_ref(ref: str, root: Any) -> dict[str, Any]:
    if ref == "#":
        target: Any = root
    elif ref.startswith("#/"):
        target = root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            elif isinstance(target, dict) and part in target:
                target = target[part]
            else:
                raise UnresolvableRef(f"$ref {ref!r} cannot be resolved: no {part!r} in the document")
    else:
        raise UnresolvableRef(f"$ref {ref!r} points outside the document (only local '#/...' references are read)")
    if not isinstance(target, dict):
        raise UnresolvableRef(f"$ref {ref!r} does not point at a schema object")
    return target


class _HasRefs(Exception):
    """Raised by `normalize_schema` on a `$ref`: the caller inlines references and normalizes again.
    (Most schemas have none, so looking for them up front would be wasted work.)"""


def normalize_schema(schema: Any, path: str = "parameters") -> dict[str, Any] | bool:
    """Return a standard JSON Schema for one (possibly dialectal) schema, local `$ref`s inlined."""
    try:
        return _normalize_node(schema, path)
    except _HasRefs:
        return _normalize_node(resolve_refs(schema, schema), path)


# ---------------------------------------------------------------- dialect normalization

def _normalize_node(schema: Any, path: str) -> dict[str, Any] | bool:
    """One (possibly dialectal) schema node in standard form; raises `_HasRefs` on a `$ref`."""
    if isinstance(schema, bool):
        return schema
    if isinstance(schema, str) and _type_name(schema) is not False:  # shorthand: "x": "string"
        schema = {"type": schema}
    if not isinstance(schema, dict):
        raise SchemaProblem(f"{path} must be a JSON object, got {_kind(schema)}")
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
                raise SchemaProblem(f"{path}.properties must be an object, got {_kind(value)}")
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
        elif key in _SUBSCHEMA:
            out[key] = _normalize_node(value, f"{path}.{key}")
        elif key in _SUBSCHEMA_LISTS:
            if not isinstance(value, list) or not value:
                raise SchemaProblem(f"{path}.{key} must be a non-empty list of schemas")
            out[key] = [_normalize_node(v, f"{path}.{key}[{i}]") for i, v in enumerate(value)]
        elif key in ("patternProperties", "dependentSchemas"):
            if not isinstance(value, dict):
                raise SchemaProblem(f"{path}.{key} must be an object, got {_kind(value)}")
            out[key] = {str(k): _normalize_node(v, f"{path}.{key}.{k}") for k, v in value.items()
                        if key != "patternProperties" or _compiles(str(k))}
        elif key == "required":
            if isinstance(value, bool):  # draft-3 style: the parent lifts it (see "properties")
                continue
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                out["required"] = list(dict.fromkeys(value))
            else:
                raise SchemaProblem(f"{path}.required must be a list of property names, got {_short(value)}")
        elif key == "optional":  # a flag is read by the parent (see "properties"); a list right here
            if isinstance(value, list):
                optional.update(str(v) for v in value)
        elif key in ("description", "title"):
            if value is not None:
                out[key] = value if isinstance(value, str) else str(value)
        elif key == "pattern":
            if isinstance(value, str) and _compiles(value):  # e.g. ECMA-only syntax; Python's re cannot use it
                out[key] = value
        elif key in _DROPPED_AFTER_INLINING:
            continue
        elif key == "$ref" and isinstance(value, str):
            raise _HasRefs()
        elif key in ("$dynamicRef", "$recursiveRef"):
            raise SchemaProblem(f"{path}.{key} is not supported (dynamic references cannot be inlined)")
        else:
            out[key] = value
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
    name = _type_name(value) if isinstance(value, str) else False
    if name is False:
        raise SchemaProblem(f"{path}.type {_short(value)} is not a JSON Schema type")
    return name


def _type_name(value: str) -> str | None | bool:
    """The standard type for a (dialect) type name; None for 'any'; False when it is not a type name."""
    lowered = value.strip().lower()
    if lowered in _VALID_TYPES:
        return lowered
    if lowered in _TYPE_ALIASES:
        return _TYPE_ALIASES[lowered]
    return False


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in _TRUTHY)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
        return True
    except (re.error, RecursionError, OverflowError):
        return False


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


# ---------------------------------------------------------------- meta-schema check

def check_valid_schema(schema: Any, what: str) -> None:
    """Raise `SchemaProblem` unless `schema` is valid against the draft 2020-12 meta-schema."""
    problem = _first_problem(schema, what)
    if problem is not None:
        raise SchemaProblem(problem)


def _first_problem(node: Any, path: str) -> str | None:
    if isinstance(node, bool):
        return None
    if not isinstance(node, dict):
        return f"{path} is not a valid JSON Schema: a schema must be an object or a boolean, got {_kind(node)}"
    for key, value in node.items():
        problem = _keyword_problem(key, value, f"{path}.{key}")
        if problem is not None:
            return problem
    return None


def _keyword_problem(key: str, value: Any, path: str) -> str | None:  # noqa: C901 - one branch per keyword family
    bad = f"{path} is not a valid JSON Schema:"
    if key == "type":
        if isinstance(value, str):
            return None if value in _VALID_TYPES else f"{bad} {_short(value)} is not a type"
        if isinstance(value, list) and value and all(isinstance(v, str) and v in _VALID_TYPES for v in value):
            return None if len(set(value)) == len(value) else f"{bad} repeated types"
        return f"{bad} {_short(value)} is not a type or a non-empty list of types"
    if key in _SUBSCHEMA:
        return _first_problem(value, path)
    if key in _SUBSCHEMA_MAPS:
        if not isinstance(value, dict):
            return f"{bad} must be an object"
        if key == "patternProperties":
            for pattern in value:
                if not _compiles(pattern):
                    return f"{bad} {_short(pattern)} is not a regular expression"
        for name, sub in value.items():
            problem = _first_problem(sub, f"{path}.{name}")
            if problem is not None:
                return problem
        return None
    if key in _SUBSCHEMA_LISTS:
        if not isinstance(value, list) or not value:
            return f"{bad} must be a non-empty list of schemas"
        for index, sub in enumerate(value):
            problem = _first_problem(sub, f"{path}[{index}]")
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
            if not _is_string_set(sub) and _first_problem(sub, f"{path}.{name}") is not None:
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
        return None if isinstance(value, str) and _compiles(value) else f"{bad} must be a regular expression"
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
