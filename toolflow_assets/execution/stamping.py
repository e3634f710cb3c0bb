"""Results that agree with their calls: the stamping rule every executor that drafts a result applies.

`stamp` sets each field named like an argument (at any depth) to the argument's value, so a weather result
names the city asked for; `stamp_answer` puts a computed answer (compute.py) in the field that holds it.
The simulated executor applies both to its own drafts; the llm executor (execution/llm.py) holds the model's
answer to `stamp` (a field it would change contradicts the call) and, where the answer still disagrees after
its repairs, fills it by the simulated executor's rules, `stamp_answer` included. So the rule is one
implementation whichever executor drafted the result (a model's computed number is not checked against the
formula before that fallback: quality's result_consistency does).
"""

from __future__ import annotations

from typing import Any, Mapping

from ..json_schema.refs import resolve_ref
from ..json_schema.walk import declared_types, object_parts
from ..mentions import field_key
from ..values import is_valid
from .compute import Computed
from .echo import echoes


def is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def stamp(result: Any, returns: dict[str, Any] | None, values: Mapping[str, Any], add_missing: bool = False) -> Any:
    """Set every field named like a key of `values` (at any depth) to that value. Where the field's schema
    rejects the value, a coerced form (7.0 → 7, "12" → 12) is used, else an optional field is dropped:
    a result may leave a field out, never contradict the call. With `add_missing`, top-level fields the
    schema declares (any field, without a schema) are added."""
    by_key = {field_key(k): v for k, v in values.items() if is_scalar(v) or isinstance(v, list)}
    if not by_key:
        return result
    _stamp_node(result, returns, returns, by_key, depth=0, in_list=False)
    if add_missing and isinstance(result, dict):
        props, _, _ = object_parts(returns, returns) if returns is not None else ({}, None, set())
        present = {field_key(k) for k in result}
        for name, value in values.items():
            if field_key(name) in present or not (is_scalar(value) or isinstance(value, list)):
                continue
            if returns is None:
                if is_scalar(value) and len(result) < 6:
                    result[name] = value
            elif name in props and echoes(resolve_ref(props[name], returns)) \
                    and is_valid(value, resolve_ref(props[name], returns)):
                result[name] = value
    return result


def _fitted(value: Any, schema: Any) -> tuple[bool, Any]:
    """(fits, value) for a field's schema: the value itself, or an equal value of the declared type."""
    if schema is None or is_valid(value, schema):
        return True, value
    candidates: list[Any] = []
    if isinstance(value, float) and value.is_integer():
        candidates.append(int(value))
    if isinstance(value, str):
        try:
            number = float(value)
            candidates.extend([int(number)] if number.is_integer() else [])
            candidates.append(number)
        except ValueError:
            pass
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        candidates.append(str(value))
    for candidate in candidates:
        if is_valid(candidate, schema):
            return True, candidate
    return False, value


def _stamp_node(node: Any, schema: Any, root: Any, values: Mapping[str, Any], depth: int, in_list: bool) -> None:
    if depth > 6:
        return
    props, items, required = object_parts(schema, root) if schema is not None else ({}, None, set())
    if isinstance(node, dict):
        for key in list(node):
            sub = props.get(key) if schema is not None else None
            wanted = field_key(key)
            # a bare `id` argument names the parent of listed records, not each record; a field that reports
            # the call's outcome is not an echo (echo.py)
            if wanted in values and not (in_list and wanted == "id") and echoes(resolve_ref(sub, root)):
                fits, value = _fitted(values[wanted], resolve_ref(sub, root) if sub is not None else None)
                if fits:
                    node[key] = value
                elif key not in required:
                    del node[key]
                continue
            if isinstance(node[key], (dict, list)):
                _stamp_node(node[key], sub, root, values, depth + 1, in_list)
    elif isinstance(node, list):
        for item in node:
            _stamp_node(item, items, root, values, depth + 1, True)


def stamp_answer(result: Any, returns: dict[str, Any] | None, answer: Computed, arguments: Mapping[str, Any]) -> Any:
    """Put a computed answer in the top-level fields that hold it (never in one named like an argument);
    without such a field, in the only numeric field of the schema, or under the quantity's name."""
    if not isinstance(result, dict):
        if returns is not None and is_valid(answer.value, returns):
            return answer.value
        return result
    props, _, _ = object_parts(returns, returns) if returns is not None else ({}, None, set())
    argued = {field_key(k) for k in arguments}
    candidates = [k for k in (props or result) if answer.fits_field(k) and field_key(k) not in argued]
    if not candidates and returns is not None:
        numeric = [k for k, s in props.items()
                   if {"number", "integer"} & set(declared_types(resolve_ref(s, returns))) and field_key(k) not in argued]
        candidates = numeric if len(numeric) == 1 else []
    if not candidates and returns is None:
        candidates = [answer.quantity]
    for key in candidates:
        value: Any = answer.value
        schema = resolve_ref(props.get(key), returns) if returns is not None else None
        if schema is not None and "integer" in declared_types(schema) and "number" not in declared_types(schema):
            if float(value).is_integer():
                value = int(value)
        if schema is None or is_valid(value, schema):
            result[key] = value
    return result
