"""Suite-wide test settings: keep tests from reading the developer's own ToolFlow environment."""

import os

import pytest

_TOOLFLOW_ENV = [
    "TOOLFLOW_SOURCES", "TOOLFLOW_OUTPUT_DIR", "TOOLFLOW_STORAGE_DIR", "TOOLFLOW_DIALOGUES", "TOOLFLOW_SEED",
    "TOOLFLOW_LLM_BACKEND", "TOOLFLOW_LLM_MODEL", "TOOLFLOW_EMBEDDING_BACKEND", "TOOLFLOW_EMBEDDING_MODEL",
    "OPENAI_BASE_URL", "OPENAI_API_KEY",
]


@pytest.fixture(autouse=True)
def _isolated_toolflow_env(monkeypatch):
    for name in _TOOLFLOW_ENV:
        monkeypatch.delenv(name, raising=False)
    yield
