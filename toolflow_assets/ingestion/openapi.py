"""OpenAPI 3.x (and Swagger 2.0) → tools: one tool per operation, `$ref`s resolved, 2xx response as `returns`.

- Parameters (path-level and operation-level; the operation's win on a name clash) become properties;
  a JSON request body's properties are merged in (a non-object body becomes one `body` property).
- The first 2xx response with a schema becomes the return schema.
- Credentials (`Authorization`, API-key headers) are left out: they are the client's business, not the model's.
- A `$ref` that cannot be resolved rejects that operation only, with the reference named in the reason.
- Inlining is budgeted: an operation may expand to `MAX_REF_NODES` nodes and a whole document to
  `MAX_DOCUMENT_REF_NODES`; an operation past either is rejected with the limit named, before memory runs out.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ..json_schema.errors import SchemaProblem
from ..json_schema.refs import MAX_REF_NODES, RefBudget, resolve_refs
from .raw_specs import RawRejection, RawTool, excerpt_of

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# Far above real specs (the bundled corpus expands to ~12k nodes in all), and it bounds the work a small file
# of many operations that each reach MAX_REF_NODES can cause.
MAX_DOCUMENT_REF_NODES = 2_000_000
_CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key", "api-key", "apikey", "x-rapidapi-key", "cookie"})


def is_openapi_document(doc: Any) -> bool:
    return isinstance(doc, dict) and ("openapi" in doc or "swagger" in doc) and "paths" in doc


def operation_name(method: str, path: str, operation: dict[str, Any]) -> str:
    if isinstance(operation.get("operationId"), str) and operation["operationId"].strip():
        return operation["operationId"]
    words = [w for w in re.split(r"[^A-Za-z0-9]+", path) if w]
    return "_".join([method] + words)


def operations_from_openapi(spec: dict[str, Any], prefix: str, category: str, group: str) -> Iterator[Any]:
    """Yield a `RawTool` per operation, or a `RawRejection` for an operation that cannot be read."""
    paths = spec.get("paths")
    if not isinstance(paths, dict):
        yield RawRejection(f"{prefix}paths".strip(), "OpenAPI document has no `paths` object")
        return
    info = spec.get("info") if isinstance(spec.get("info"), dict) else {}
    api_title = str(info.get("title", "")).strip()
    document_used = 0
    for path, item in paths.items():
        if not isinstance(item, dict):
            yield RawRejection(f"{prefix}paths[{path}]", "path item is not an object", excerpt=excerpt_of(item))
            continue
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            position = f"{prefix}{method.upper()} {path}"
            if not isinstance(operation, dict):
                yield RawRejection(position, "operation is not an object", excerpt=excerpt_of(operation))
                continue
            name = operation_name(method, str(path), operation)
            left = MAX_DOCUMENT_REF_NODES - document_used
            budget = (RefBudget(MAX_REF_NODES, "one operation") if left >= MAX_REF_NODES
                      else RefBudget(max(left, 0), f"the whole document (limit {MAX_DOCUMENT_REF_NODES:,})"))
            try:
                resolved = resolve_refs(operation, spec, budget=budget)
                shared = resolve_refs(item.get("parameters") or [], spec, budget=budget)
                own = resolved.get("parameters") or []
                if not isinstance(shared, list) or not isinstance(own, list):
                    raise ValueError("`parameters` is not a list")
                parameters = _parameters_schema(shared + own, resolved.get("requestBody"))
                returns = _response_schema(resolved.get("responses"))
            except (SchemaProblem, ValueError, TypeError) as error:
                yield RawRejection(position, str(error), name=name, excerpt=excerpt_of(operation))
                continue
            except RecursionError:
                yield RawRejection(position, "operation is nested too deeply to read", name=name)
                continue
            finally:
                document_used += budget.used
            description = resolved.get("description") or resolved.get("summary") or ""
            if not isinstance(description, str):
                description = str(description)
            if api_title and description.strip():
                description = f"{description.strip()} (part of the {api_title} API)"
            yield RawTool(
                name=name,
                description=description,
                parameters=parameters,
                returns=returns,
                category=category or api_title,
                position=position,
                group=group,
            )


def _parameters_schema(params: list[Any], request_body: Any) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for param in params:
        if not isinstance(param, dict) or not isinstance(param.get("name"), str) or not param["name"]:
            raise ValueError("a parameter has no name")
        name, where = param["name"], param.get("in")
        if where == "header" and name.lower() in _CREDENTIAL_HEADERS:
            continue
        if where == "body":  # Swagger 2.0: the request body is a parameter
            _merge_body(properties, required, param.get("schema"), bool(param.get("required")))
            continue
        schema = param.get("schema")
        if schema is None:
            schema = _json_content_schema(param.get("content"))
        if schema is None:  # Swagger 2.0 puts type/format/enum/items on the parameter itself
            schema = {k: v for k, v in param.items() if k in ("type", "format", "enum", "items", "default",
                                                              "minimum", "maximum", "pattern")} or {"type": "string"}
        schema = dict(schema) if isinstance(schema, dict) else schema
        if isinstance(schema, dict) and param.get("description") and "description" not in schema:
            schema["description"] = param["description"]
        properties[name] = schema
        if param.get("required") is True or where == "path":
            required.append(name)
        elif name in required:
            required.remove(name)  # an operation-level parameter overrides a path-level one
    if isinstance(request_body, dict):
        _merge_body(properties, required, _json_content_schema(request_body.get("content")),
                    bool(request_body.get("required")))
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(dict.fromkeys(required))
    return schema


def _merge_body(properties: dict[str, Any], required: list[str], body: Any, body_required: bool) -> None:
    """An object body contributes its properties; any other body is one `body` property."""
    if not isinstance(body, dict):
        return
    body_props = body.get("properties")
    if isinstance(body_props, dict) and body.get("type", "object") == "object":
        properties.update(body_props)
        body_required_names = body.get("required")
        if isinstance(body_required_names, list):
            required.extend(r for r in body_required_names if isinstance(r, str) and r in body_props)
    else:
        properties["body"] = body
        if body_required:
            required.append("body")


def _json_content_schema(content: Any) -> Any:
    if not isinstance(content, dict):
        return None
    for media_type, body in content.items():
        if "json" in str(media_type) and isinstance(body, dict) and isinstance(body.get("schema"), dict):
            return body["schema"]
    for body in content.values():
        if isinstance(body, dict) and isinstance(body.get("schema"), dict):
            return body["schema"]
    return None


def _response_schema(responses: Any) -> dict[str, Any] | None:
    if not isinstance(responses, dict):
        return None
    for code in sorted(responses, key=str):
        response = responses[code]
        if not str(code).startswith("2") or not isinstance(response, dict):
            continue
        schema = _json_content_schema(response.get("content"))
        if schema is None and isinstance(response.get("schema"), dict):  # Swagger 2.0
            schema = response["schema"]
        if isinstance(schema, dict):
            return schema
    return None
