"""Suite-wide test settings: keep tests from reading the developer's own ToolFlow environment."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests are reproducible by default (the same examples on every run, so CI never flakes on a
# lucky draw); `HYPOTHESIS_PROFILE=explore` draws fresh random examples to hunt for new failures.
settings.register_profile("reproducible", derandomize=True, database=None)
settings.register_profile("explore", max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))

_TOOLFLOW_ENV = [
    "TOOLFLOW_SOURCES", "TOOLFLOW_OUTPUT_DIR", "TOOLFLOW_STORAGE_DIR", "TOOLFLOW_DIALOGUES", "TOOLFLOW_SEED",
    "TOOLFLOW_LLM_BACKEND", "TOOLFLOW_LLM_MODEL", "TOOLFLOW_LLM_CONCURRENCY", "TOOLFLOW_LLM_TIMEOUT",
    "TOOLFLOW_EXECUTOR", "TOOLFLOW_EXECUTOR_REFRESH", "TOOLFLOW_EMBEDDING_BACKEND", "TOOLFLOW_EMBEDDING_MODEL",
    "OPENAI_BASE_URL", "OPENAI_API_KEY",
]


@pytest.fixture(autouse=True)
def _isolated_toolflow_env(monkeypatch):
    for name in _TOOLFLOW_ENV:
        monkeypatch.delenv(name, raising=False)
    yield


# The frozen generation fixture (tools and tool_subgraphs rows), shared by the planner, ablation and
# offline generator tests; a test module may define its own `catalog` / `samples` instead.
GENERATION_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "generation"


@pytest.fixture(scope="session")
def catalog():
    from toolflow_assets.tools import Tool

    return {row["name"]: Tool.from_row(row) for row in json.loads((GENERATION_FIXTURES / "tools.json").read_text())}


@pytest.fixture(scope="session")
def samples() -> list[dict]:
    return json.loads((GENERATION_FIXTURES / "samples.json").read_text())
