"""JSON Schema validation with the right draft: the schema's `$schema`, else Draft 2020-12.

Formats are checked (as the generation stage does), so a `date` argument of "tomorrow" fails. Validators
are cached by the schema's canonical text, since the same tool's schema is checked for many calls.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from ..ingestion.schema_normalize import SchemaProblem, check_valid_schema


class UnusableSchema(ValueError):
    """The declared schema itself is invalid, so values cannot be checked against it."""


@lru_cache(maxsize=8192)
def _validator_for_text(schema_text: str) -> Any:
    schema = json.loads(schema_text)
    cls = jsonschema.validators.validator_for(schema, default=Draft202012Validator)
    if cls is Draft202012Validator:
        # The ingestion stage's structural 2020-12 meta-schema check (the one generation uses too): jsonschema's
        # check_schema walks the meta-schema's $dynamicRefs, ~3 ms a schema, 2 s of every batch's checks.
        try:
            check_valid_schema(schema, "schema")
        except SchemaProblem as problem:
            raise UnusableSchema(f"invalid {cls.__name__} schema: {problem}") from None
    else:  # another declared draft: its own meta-schema
        try:
            cls.check_schema(schema)
        except SchemaError as problem:
            raise UnusableSchema(f"invalid {cls.__name__} schema: {problem.message}") from None
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validator_for(schema: dict[str, Any]) -> Any:
    """A validator of the draft the schema declares (Draft 2020-12 when it declares none)."""
    if not isinstance(schema, (dict, bool)):
        raise UnusableSchema(f"a schema must be an object, not {type(schema).__name__}")
    return _validator_for_text(json.dumps(schema, sort_keys=True))


def validation_errors(value: Any, schema: dict[str, Any], limit: int = 3) -> list[str]:
    """Readable errors, `<path>: <message>` (path `<root>` for the value itself), at most `limit`."""
    validator = validator_for(schema)
    try:
        errors = sorted(validator.iter_errors(value), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    except Exception as problem:  # noqa: BLE001 - e.g. an unresolvable remote $ref inside the schema
        raise UnusableSchema(f"schema cannot be applied: {problem}") from None
    messages = []
    for error in errors[:limit]:
        where = "/".join(str(p) for p in error.absolute_path) or "<root>"
        messages.append(f"{where}: {_short(error.message)}")
    return messages


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
