"""Shared helpers for the ingestion tests (kept out of the package: test helpers never ship)."""

from __future__ import annotations

import re
from pathlib import Path

from jsonschema import Draft202012Validator

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingestion"
CORPUS = Path(__file__).resolve().parent.parent.parent / "toolflow_assets" / "data" / "corpus"
VALID_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def assert_valid_schema(schema: object) -> None:
    """The authoritative check (the jsonschema library), slower than the one ingestion uses."""
    Draft202012Validator.check_schema(schema)
