"""The bundled corpus: enough distinct valid tools from several formats, nothing real rejected, fast."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from ingestion_helpers import CORPUS, VALID_NAME, assert_valid_schema

from toolflow_assets.ingestion.ingest import IngestionResult, ingest_sources

# CPU seconds, not wall time: other processes on a shared CI machine must not fail this test. On an idle
# 2-core machine the corpus takes a few seconds; the limit only catches a return to quadratic work.
CPU_SECONDS_LIMIT = 40


@pytest.fixture(scope="module")
def corpus() -> tuple[IngestionResult, float]:
    started = time.process_time()
    result = ingest_sources([CORPUS], display_root=CORPUS)
    return result, time.process_time() - started


def test_at_least_1800_distinct_valid_tools_from_three_formats(corpus: tuple[IngestionResult, float]) -> None:
    result, _ = corpus
    tools = result.tools
    assert len(tools) >= 1800
    assert len({t.tool_id for t in tools}) == len(tools)
    assert len({t.name.lower() for t in tools}) == len(tools)
    by_format = Counter(t.source_format for t in tools)
    assert set(by_format) == {"bfcl", "openapi", "rapidapi"}
    assert by_format["openapi"] == 54  # ToolAlpaca: 10 APIs, 54 operations
    assert by_format["rapidapi"] == 26  # ToolBench: 26 distinct APIs
    assert all(VALID_NAME.match(t.name) for t in tools)
    assert all(t.parameters.get("type") == "object" for t in tools)


def test_nothing_in_the_bundled_corpus_is_quarantined(corpus: tuple[IngestionResult, float]) -> None:
    """Every spec in the corpus is a real, usable tool: BFCL's dialect (dict/float/tuple/any, `optional`
    flags and lists) must be normalized, never rejected."""
    result, _ = corpus
    assert [(q.source, q.position, q.reason) for q in result.quarantined] == []


def test_a_sample_of_schemas_passes_the_reference_validator(corpus: tuple[IngestionResult, float]) -> None:
    result, _ = corpus
    for tool in result.tools[::25]:  # the library's check is slow; a fixed sample across all sources
        assert_valid_schema(tool.parameters)
        if tool.returns is not None:
            assert_valid_schema(tool.returns)


def test_return_schemas_are_kept(corpus: tuple[IngestionResult, float]) -> None:
    result, _ = corpus
    with_returns = Counter(t.source_format for t in result.tools if t.returns is not None)
    assert with_returns["openapi"] >= 50 and with_returns["rapidapi"] >= 5 and with_returns["bfcl"] >= 60


def test_ingestion_is_fast(corpus: tuple[IngestionResult, float]) -> None:
    _, cpu_seconds = corpus
    assert cpu_seconds < CPU_SECONDS_LIMIT


def test_corpus_keeps_licenses_and_attribution() -> None:
    for folder in ("bfcl", "toolalpaca", "toolbench"):
        assert (CORPUS / folder / "LICENSE").is_file()
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for upstream in ("ShishirPatil/gorilla", "tangqiaoyu/ToolAlpaca", "OpenBMB/ToolBench", "Apache-2.0"):
        assert upstream in sources
