"""Fixtures shared by the platform tests."""

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
