"""ToolBench / RapidAPI files: query entries (or tool documents) with an `api_list`, one tool per API.

Parameters come from `required_parameters`/`optional_parameters` (RapidAPI's type names, defaults written
as strings); the return schema from the one response ToolBench recorded (`template_response`), unless that
sample was only an error or status envelope.
"""

from __future__ import annotations

from typing import Any, Iterator

from .raw_specs import Parsed, RawRejection, RawTool, excerpt_of
from .raw_specs import text_of as _text


def read_rapidapi(documents: list[Any], default_category: str) -> Iterator[Parsed]:
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
