"""One rule for bad schemas, read the same way at ingestion, in the quality checks and by the executors.

Before the JSON Schema module, each stage had its own copy and they disagreed: a `$ref` loop was cut to
"any value" at ingestion, made quality's validator recurse until Python gave up ("cannot check"), and let
the executor accept anything; a draft-04 schema was quarantined at ingestion, checked with draft 4's rules
by quality, and called unusable by the executor (so a value quality rejects passed generation).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from toolflow_assets.values import schema_error, schema_is_usable
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.json_schema.validate import schema_problem, validation_errors
from toolflow_assets.quality.checks import check_schema, check_tool_responses

LOOP = {"type": "object", "properties": {"n": {"$ref": "#/$defs/a"}},
        "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}}
UNKNOWN_TYPE = {"type": "object", "properties": {"n": {"type": "strnig"}}}
NEGATIVE_LENGTH = {"type": "object", "properties": {"n": {"type": "string", "minLength": -1}}}
DRAFT4 = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
          "properties": {"n": {"type": "number", "maximum": 3, "exclusiveMaximum": True}}}
TREE = {"type": "object", "properties": {"name": {"type": "string"},
                                         "children": {"type": "array", "items": {"$ref": "#"}}}}


def _ingest(tmp_path: Path, schema: dict[str, Any]) -> tuple[list[Any], list[str]]:
    """(stored parameter schemas, quarantine reasons) for one OpenAI tool with these parameters."""
    path = tmp_path / "tools.json"
    path.write_text(json.dumps([{"type": "function", "function": {
        "name": "lookup", "description": "Look something up", "parameters": schema}}]))
    result = ingest_sources([path], display_root=tmp_path)
    return [tool.parameters for tool in result.tools], [q.reason for q in result.quarantined]


def _call(arguments: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"role": "user", "content": "look it up"},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
                "name": "lookup", "arguments": json.dumps(arguments)}}]},
            {"role": "tool", "tool_call_id": "c1", "name": "lookup", "content": json.dumps(arguments)},
            {"role": "assistant", "content": "Done."}]


@pytest.mark.parametrize("schema", [LOOP, UNKNOWN_TYPE, NEGATIVE_LENGTH], ids=["ref-loop", "unknown-type", "minLength"])
def test_a_bad_schema_is_refused_by_every_stage(tmp_path: Path, schema: dict[str, Any]) -> None:
    problem = schema_problem(schema)
    assert problem is not None
    stored, reasons = _ingest(tmp_path, schema)
    assert stored == [] and len(reasons) == 1  # ingestion: quarantined
    tool = {"type": "function", "function": {"name": "lookup", "parameters": schema}}
    # quality: neither the arguments nor a result can be checked, with the rule's reason
    assert check_schema(_call({"n": "x"}), [tool]) == [f"call 1 lookup: cannot check arguments, {problem}"]
    assert check_tool_responses(_call({"n": "x"}), {"lookup": schema}) == [
        f"tool message 2 (lookup): cannot check the response, {problem}"]
    # generation and the executors: "cannot check", so any value passes
    assert not schema_is_usable(schema)
    assert schema_error({"n": "x"}, schema) is None


def test_a_ref_loop_has_the_same_reason_at_ingestion_and_in_quality(tmp_path: Path) -> None:
    _, [reason] = _ingest(tmp_path, LOOP)
    assert "$ref loop #/$defs/a -> #/$defs/b -> #/$defs/a" in reason
    assert "$ref loop #/$defs/a -> #/$defs/b -> #/$defs/a" in str(schema_problem(LOOP))


def test_a_recursive_tree_is_a_usable_schema_everywhere(tmp_path: Path) -> None:
    """A `$ref` that recurses through an item is no loop: stored (cut at depth), checked, and generated for."""
    stored, reasons = _ingest(tmp_path, TREE)
    assert reasons == [] and len(stored) == 1
    bad = {"name": "root", "children": [{"name": 3}]}
    assert validation_errors(bad, TREE) == ["children/0/name: 3 is not of type 'string'"]
    assert schema_error(bad, TREE) == "children/0/name: 3 is not of type 'string'"


def test_a_draft4_schema_means_the_same_bound_everywhere(tmp_path: Path) -> None:
    """`maximum: 3, exclusiveMaximum: true` (draft 4) excludes 3: at ingestion (rewritten to 2020-12), in
    quality and in the executor alike."""
    assert schema_problem(DRAFT4) is None and schema_is_usable(DRAFT4)
    [stored], reasons = _ingest(tmp_path, DRAFT4)
    assert reasons == [] and stored["properties"]["n"] == {"type": "number", "exclusiveMaximum": 3}
    for schema in (DRAFT4, stored):
        assert validation_errors({"n": 3}, schema) and schema_error({"n": 3}, schema) is not None
        assert validation_errors({"n": 2.5}, schema) == [] and schema_error({"n": 2.5}, schema) is None


def test_a_format_is_checked_by_the_llm_planner_as_by_quality_and_the_executor() -> None:
    """The LLM planner's and writer's draft check had no format checker: a `date` of "tomorrow" passed there
    and failed quality."""
    from toolflow_assets.planning.llm_prompts import schema_error as llm_schema_error

    schema = {"type": "object", "properties": {"day": {"type": "string", "format": "date"}}}
    assert validation_errors({"day": "tomorrow"}, schema) == ["day: 'tomorrow' is not a 'date'"]
    assert llm_schema_error({"day": "tomorrow"}, schema) == schema_error({"day": "tomorrow"}, schema) \
        == "day: 'tomorrow' is not a 'date'"
    assert llm_schema_error({"day": "2026-11-29"}, schema) is None
