"""Checking a value against a schema, with one rule for schemas that cannot be used.

The rule (`schema_problem`): a schema is usable when it is a JSON object or boolean that is valid for the
draft it declares in `$schema` (Draft 2020-12 when it declares none; checked by `meta.check_valid_schema`,
the library's `check_schema` being ~3 ms a schema) and holds no `$ref` loop (`refs.ref_loop`). Ingestion
quarantines a tool whose schema breaks it, quality fails a call it cannot check, and the generators and
executors treat the schema as "cannot check" (any value); all three read the same reason.

Formats are checked (a `date` argument of "tomorrow" fails). Validators are cached: by object identity
for the hot loops of generation, and by the schema's canonical text, since the same tool's schema is
checked for many calls.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from .errors import SchemaProblem, UnusableSchema
from .meta import check_valid_schema
from .refs import ref_loop

_BY_IDENTITY: dict[int, tuple[Any, Any, str | None]] = {}  # id -> (schema kept alive, validator, problem)
_IDENTITY_LIMIT = 50_000


def schema_problem(schema: Any) -> str | None:
    """Why values cannot be checked against `schema` (see the module's rule), or None when they can."""
    return _compiled(schema)[1]


def validator_for(schema: Any) -> Any:
    """A validator (with format checks) of the draft the schema declares; `UnusableSchema` when the
    schema breaks the rule."""
    validator, problem = _compiled(schema)
    if problem is not None:
        raise UnusableSchema(problem)
    return validator


def validation_errors(value: Any, schema: Any, limit: int = 3) -> list[str]:
    """Readable errors, `<path>: <message>` (path `<root>` for the value itself), at most `limit`, in a
    stable order. `UnusableSchema` when the schema cannot be used or cannot be applied to this value."""
    validator = validator_for(schema)
    try:
        errors = sorted(validator.iter_errors(value), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    except Exception as problem:  # noqa: BLE001 - e.g. an unresolvable remote $ref inside the schema
        raise UnusableSchema(f"schema cannot be applied: {problem}") from None
    return [f"{_where(error)}: {_short(error.message)}" for error in errors[:limit]]


def first_error(value: Any, schema: Any) -> str | None:
    """The most relevant error (jsonschema's `best_match`), `<path>: <message>`, or None when valid.
    `UnusableSchema` as for `validation_errors`."""
    validator = validator_for(schema)
    try:
        if validator.is_valid(value):
            return None
        error = jsonschema.exceptions.best_match(validator.iter_errors(value))
    except Exception as problem:  # noqa: BLE001 - e.g. an unresolvable remote $ref inside the schema
        raise UnusableSchema(f"schema cannot be applied: {problem}") from None
    return None if error is None else f"{_where(error)}: {error.message}"


def _compiled(schema: Any) -> tuple[Any, str | None]:
    """(validator or None, problem or None), cached by identity in front of the canonical-text cache.
    The identity cache keeps each schema alive, so an id is never reused while cached."""
    key = id(schema)
    hit = _BY_IDENTITY.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1], hit[2]
    if not isinstance(schema, (dict, bool)):
        validator, problem = None, f"a schema must be an object, not {type(schema).__name__}"
    else:
        try:
            text = json.dumps(schema, sort_keys=True, allow_nan=True)
        except (TypeError, ValueError) as error:  # keys or values JSON cannot hold
            validator, problem = None, f"a schema must be JSON: {error}"
        else:
            validator, problem = _compiled_text(text)
    if len(_BY_IDENTITY) > _IDENTITY_LIMIT:
        _BY_IDENTITY.clear()
    _BY_IDENTITY[key] = (schema, validator, problem)
    return validator, problem


@lru_cache(maxsize=8192)
def _compiled_text(schema_text: str) -> tuple[Any, str | None]:
    schema = json.loads(schema_text)
    cls = jsonschema.validators.validator_for(schema, default=Draft202012Validator)
    if cls is Draft202012Validator:
        try:
            check_valid_schema(schema, "schema")
        except SchemaProblem as problem:
            return None, f"invalid {cls.__name__} schema: {problem}"
    else:  # another declared draft: its own meta-schema
        try:
            cls.check_schema(schema)
        except SchemaError as problem:
            return None, f"invalid {cls.__name__} schema: {problem.message}"
    if "$ref" in schema_text:
        loop = ref_loop(schema, schema)
        if loop is not None:
            return None, f"invalid {cls.__name__} schema: {loop}"
    return cls(schema, format_checker=cls.FORMAT_CHECKER), None


def _where(error: Any) -> str:
    return "/".join(str(p) for p in error.absolute_path) or "<root>"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
