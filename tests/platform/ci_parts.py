"""Parts some tests need (PostgreSQL, Chromium, playwright, dagster-postgres): skip without them locally,
fail without them in CI. `.ci/run` installs them, so under CI a missing part is a broken CI, and a suite
that skips it would go green without testing what it claims."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def in_ci() -> bool:
    """`CI` is set (GitHub Actions, GitLab CI and most others set `CI=true`), and not to a false value."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_part(message: str) -> None:
    """Skip with `message`; under CI, fail with it instead."""
    if in_ci():
        pytest.fail(f"{message} [CI is set: .ci/run installs this part, so a missing one fails instead of skipping]",
                    pytrace=False)
    pytest.skip(message)


def import_part(module: str, message: str) -> ModuleType:
    """`pytest.importorskip` that fails under CI."""
    try:
        return importlib.import_module(module)
    except ImportError:
        missing_part(message)
        raise  # unreachable: missing_part always raises
