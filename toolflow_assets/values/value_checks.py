"""Validation as value synthesis reads it: one rule, json_schema.validate's.

The JSON Schema module decides when a schema is usable and how a value is checked; generation reads an
unusable schema as "cannot check": any value passes, so synthesis never raises.
"""

from __future__ import annotations

from typing import Any

from ..json_schema.errors import UnusableSchema
from ..json_schema.validate import first_error, schema_problem


def schema_is_usable(schema: Any) -> bool:
    """True when values can be checked against the schema (json_schema.validate's rule)."""
    return schema_problem(schema) is None


def schema_error(value: Any, schema: Any) -> str | None:
    """The first validation error's message, or None when valid (or the schema cannot be checked)."""
    try:
        return first_error(value, schema)
    except UnusableSchema:
        return None


def is_valid(value: Any, schema: Any) -> bool:
    return schema_error(value, schema) is None
