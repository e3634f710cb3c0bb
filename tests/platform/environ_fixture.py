"""The restored-environment fixture of the CLI tests (a module, not a conftest.py: test_ci_parts loads its own
conftest by that name from this folder's path)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def restored_environ():
    """`toolflow run` writes its flags into the environment (for the run's resources): undone afterwards."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)
