"""Walking a schema: the sub-schema at a path, the types a schema allows, its branches and children.

Views follow local `$ref`s (`refs.resolve_ref`) and fold `allOf` parts into one schema (`merge_all_of`),
so the planner, the executors and the quality checks read the same fields from the same schema.
"""

from __future__ import annotations

from typing import Any

from .paths import parse_path
from .refs import resolve_ref

TYPE_ORDER = ("string", "integer", "number", "boolean", "object", "array", "null")
_JSON_TYPES = set(TYPE_ORDER)


def merge_all_of(schema: dict[str, Any], root: Any) -> dict[str, Any]:
    """Fold `allOf` parts into one schema (properties and required united, bounds tightened)."""
    parts = schema.get("allOf")
    if not isinstance(parts, list) or not parts:
        return schema
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in parts:
        part = resolve_ref(part, root)
        if not isinstance(part, dict):
            continue
        part = merge_all_of(part, root)
        for key, value in part.items():
            if key == "properties" and isinstance(value, dict):
                merged["properties"] = {**(merged.get("properties") or {}), **value}
            elif key == "required" and isinstance(value, list):
                merged["required"] = list(dict.fromkeys([*(merged.get("required") or []), *value]))
            elif key in ("minimum", "exclusiveMinimum", "minLength", "minItems") and key in merged:
                merged[key] = _max_number(merged[key], value)
            elif key in ("maximum", "exclusiveMaximum", "maxLength", "maxItems") and key in merged:
                merged[key] = _min_number(merged[key], value)
            elif key == "type" and "type" in merged:
                merged["type"] = _intersect_types(merged["type"], value)
            else:
                merged.setdefault(key, value)
    return merged


def _max_number(a: Any, b: Any) -> Any:
    try:
        return max(a, b)
    except TypeError:
        return a


def _min_number(a: Any, b: Any) -> Any:
    try:
        return min(a, b)
    except TypeError:
        return a


def _intersect_types(a: Any, b: Any) -> Any:
    left = set(a if isinstance(a, list) else [a])
    right = set(b if isinstance(b, list) else [b])
    if "number" in left:
        left.add("integer")
    if "number" in right:
        right.add("integer")
    both = [t for t in TYPE_ORDER if t in left and t in right]
    return both[0] if len(both) == 1 else (both or a)


def declared_types(schema: Any) -> list[str]:
    """The JSON types a schema allows, inferred from its keywords when `type` is absent."""
    if not isinstance(schema, dict):
        return []
    raw = schema.get("type")
    if isinstance(raw, str) and raw in _JSON_TYPES:
        return [raw]
    if isinstance(raw, list):
        found = [t for t in raw if isinstance(t, str) and t in _JSON_TYPES]
        if found:
            return found
    if "const" in schema:
        return [_type_of(schema["const"])]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return list(dict.fromkeys(_type_of(v) for v in schema["enum"]))
    if any(k in schema for k in ("properties", "additionalProperties", "patternProperties", "required")):
        return ["object"]
    if any(k in schema for k in ("items", "prefixItems", "minItems", "maxItems", "contains")):
        return ["array"]
    if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
        return ["string"]
    if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
        return ["number"]
    return []


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def schema_at(schema: Any, path: str, root: Any = None) -> Any:
    """The sub-schema at an output path (`a.b`, `items[].id`), or None when the schema has no such field.
    A string step into an array schema reads its items (`items.id` = the id of each item)."""
    root = schema if root is None else root
    current = schema
    for part in parse_path(path):
        current = view(current, root)
        if not isinstance(current, dict):
            return None
        if isinstance(part, int) or ("array" in declared_types(current) and "object" not in declared_types(current)):
            items = current.get("items")
            if isinstance(items, list):
                items = items[0] if items else {}
            if items is None and isinstance(current.get("prefixItems"), list) and current["prefixItems"]:
                items = current["prefixItems"][0]
            if items is None:
                return None
            current = items
            if isinstance(part, int):
                continue
            current = view(current, root)
            if not isinstance(current, dict):
                return None
        props = current.get("properties")
        if isinstance(props, dict) and part in props:
            current = props[part]
            continue
        for option_key in ("anyOf", "oneOf"):
            for option in current.get(option_key) or []:
                option = view(option, root)
                if isinstance(option, dict) and isinstance(option.get("properties"), dict) and part in option["properties"]:
                    current = option["properties"][part]
                    break
            else:
                continue
            break
        else:
            additional = current.get("additionalProperties")
            if isinstance(additional, dict):
                current = additional
            else:
                return None
    return view(current, root)


def view(schema: Any, root: Any) -> Any:
    """The schema with its `$ref`s followed and its `allOf` parts folded in: what a value must satisfy."""
    schema = resolve_ref(schema, root)
    if isinstance(schema, dict) and "allOf" in schema:
        schema = merge_all_of(schema, root)
    return schema


def object_parts(schema: Any, root: Any) -> tuple[dict[str, Any], Any, set[str]]:
    """(properties, items schema, required names) of a schema node, following `$ref` and `allOf`."""
    schema = view(schema, root)
    if not isinstance(schema, dict):
        return {}, None, set()
    props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    items = schema.get("items") if isinstance(schema.get("items"), dict) else None
    required = {r for r in schema.get("required") or [] if isinstance(r, str)}
    return props, items, required


def branches(schema: Any, root: Any) -> list[dict[str, Any]]:
    """The schema and its anyOf/oneOf/allOf branches, each with its `$ref` followed (a declared default or
    enum may sit in any of them)."""
    schema = resolve_ref(schema, root)
    if not isinstance(schema, dict):
        return []
    found = [schema]
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key) or []:
            found.extend(branches(branch, root))
    return found


def child_schemas(schemas: list[dict[str, Any]], step: Any, root: Any) -> list[dict[str, Any]]:
    """The branches of the schemas of a nested value: a property (`step` a name) of an object schema, an
    item (`step` an index) of an array schema."""
    children: list[dict[str, Any]] = []
    for schema in schemas:
        if isinstance(step, int):
            prefix = schema.get("prefixItems")
            if isinstance(prefix, list) and step < len(prefix):
                children.extend(branches(prefix[step], root))
            items = schema.get("items")
            if isinstance(items, dict):
                children.extend(branches(items, root))
            elif isinstance(items, list) and step < len(items):  # draft 4-7 tuple form
                children.extend(branches(items[step], root))
        else:
            properties = schema.get("properties")
            if isinstance(properties, dict) and step in properties:
                children.extend(branches(properties[step], root))
            elif isinstance(schema.get("additionalProperties"), dict):
                children.extend(branches(schema["additionalProperties"], root))
    return children
