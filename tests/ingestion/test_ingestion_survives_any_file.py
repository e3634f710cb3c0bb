"""One file never takes ingestion down: each failure reproduced here stopped or hung the whole stage.

- a 4 KB OpenAPI spec whose `$ref`s fan out (10 schemas x 10 refs) expanded past 7 GB (MemoryError);
- a 5,000-digit integer, or a YAML date `2024-13-45`, raised an uncaught ValueError;
- NaN and Infinity were accepted into schemas that are then not valid JSON;
- a named pipe in a source folder blocked forever;
- any other exception inside one file failed `ingest_tools`.
Each now becomes a quarantine row with its reason, and the good file beside it is still read."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from toolflow_assets.ingestion import ingest
from toolflow_assets.ingestion.ingest import empty_source_problem, ingest_sources
from toolflow_assets.json_schema.refs import MAX_REF_NODES

GOOD = [{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city",
                                          "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]


def _with_good_file(folder: Path) -> Path:
    (folder / "good.json").write_text(json.dumps(GOOD))
    return folder


def _reasons(result) -> dict[str, str]:
    return {q.source: q.reason for q in result.quarantined}


def _fan_out_schemas(prefix: str, levels: int = 10, fan: int = 10) -> dict:
    """Schema i has `fan` properties that all reference schema i+1: fan**levels nodes once inlined."""
    schemas = {f"s{i}": {"type": "object", "properties": {f"p{j}": {"$ref": f"{prefix}s{i + 1}"} for j in range(fan)}}
               for i in range(levels - 1)}
    schemas[f"s{levels - 1}"] = {"type": "string"}
    return schemas


def test_a_small_openapi_spec_whose_refs_fan_out_is_quarantined_within_the_budget(tmp_path):
    spec = {"openapi": "3.0.0", "info": {"title": "bomb", "version": "1"},
            "components": {"schemas": _fan_out_schemas("#/components/schemas/")},
            "paths": {f"/op{k}": {"post": {"operationId": f"boom{k}", "requestBody": {"content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/s0"}}}}}} for k in range(3)}}
    text = json.dumps(spec)
    assert 3_000 <= len(text) <= 5_000  # the size of the file that exhausted memory
    (_with_good_file(tmp_path) / "bomb.json").write_text(text)
    started = time.perf_counter()
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert time.perf_counter() - started < 20  # 3 operations x the node budget, not 10^10 nodes
    assert [t.name for t in result.tools] == ["get_weather"]
    bomb = [q for q in result.quarantined if q.source == "bomb.json"]
    assert len(bomb) == 3
    assert all(f"$refs expand past {MAX_REF_NODES:,} schema nodes" in q.reason for q in bomb)


def test_a_tool_schema_whose_defs_fan_out_is_quarantined(tmp_path):
    parameters = {"type": "object", "properties": {"x": {"$ref": "#/$defs/s0"}}, "$defs": _fan_out_schemas("#/$defs/")}
    tool = {"type": "function", "function": {"name": "boom", "description": "d", "parameters": parameters}}
    (_with_good_file(tmp_path) / "bomb.json").write_text(json.dumps([tool]))
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert [t.name for t in result.tools] == ["get_weather"]
    assert "$refs expand past" in _reasons(result)["bomb.json"]


@pytest.mark.parametrize("file_name, text, reason", [
    ("huge_int.json", '[{"name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "integer", '
                      '"maximum": ' + "9" * 5000 + '}}}}]',
     "parameters.properties.a.maximum is an integer of 5,000 digits, beyond 64 bits"),
    ("int65.json", '[{"name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "integer", '
                   '"minimum": -' + "9" * 20 + '}}}}]',
     "parameters.properties.a.minimum is an integer of 20 digits, beyond 64 bits"),
    ("nan.json", '[{"name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "number", '
                 '"maximum": NaN}}}}]', "parameters.properties.a.maximum is a non-finite number (NaN)"),
    ("inf.jsonl", '{"name": "f", "parameters": {"type": "object", "properties": {"a": {"default": -Infinity}}}}\n'
                  '{"name": "g", "parameters": {"type": "object", "properties": {"a": {"default": 1e400}}}}\n',
     "is a non-finite number (-Infinity)"),
    ("huge_int.yaml", "- name: f\n  parameters:\n    type: object\n    properties:\n      a: {type: integer, "
                      "maximum: " + "9" * 5000 + "}\n",
     "parameters.properties.a.maximum is an integer of 5,000 digits, beyond 64 bits"),
    ("nan.yaml", "- name: f\n  parameters:\n    type: object\n    properties:\n      a: {type: number, maximum: .nan}\n",
     "is a non-finite number (NaN)"),
])
def test_numbers_json_cannot_carry_reject_their_tool_with_the_path(tmp_path, file_name, text, reason):
    (_with_good_file(tmp_path) / file_name).write_text(text)
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert [t.name for t in result.tools] == ["get_weather"]
    rows = [q for q in result.quarantined if q.source == file_name]
    assert rows and all(q.position != "(file)" for q in rows)  # the tool is rejected, not the file
    assert reason in rows[0].reason


def test_a_huge_integer_inside_an_embedded_toolalpaca_document_rejects_that_operation(tmp_path):
    def api(name, maximum):
        spec = ('{"openapi": "3.0.0", "info": {"title": "%s", "version": "1"}, "paths": {"/n": {"get": {'
                '"operationId": "%s", "parameters": [{"name": "n", "in": "query", "schema": {"type": "integer", '
                '"maximum": %s}}]}}}}' % (name, name, maximum))
        return {"Name": name, "Description": "d", "Documentation": spec}

    (tmp_path / "alpaca.json").write_text(json.dumps([api("huge", "9" * 5000), api("fine", "10")]))
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert [t.name for t in result.tools] == ["fine"]
    [row] = result.quarantined
    assert row.position == "[0] GET /n"
    assert row.reason == "parameters.properties.n.maximum is an integer of 5,000 digits, beyond 64 bits"


def test_a_yaml_date_that_is_no_date_is_kept_as_text(tmp_path):
    (_with_good_file(tmp_path) / "dated.yaml").write_text(
        "- name: since\n  description: 2024-13-45\n  parameters:\n    type: object\n"
        "    properties:\n      day: {type: string, default: 2024-01-05}\n")
    result = ingest_sources([tmp_path], display_root=tmp_path)
    since = next(t for t in result.tools if t.name == "since")
    assert since.description == "2024-13-45"
    assert since.parameters["properties"]["day"]["default"] == "2024-01-05"


def test_a_named_pipe_in_a_source_folder_is_refused_without_blocking(tmp_path):
    os.mkfifo(_with_good_file(tmp_path) / "pipe.json")
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(result=ingest_sources([tmp_path], display_root=tmp_path)),
                              daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # unblock the reader so the test process can end, then fail
        with open(tmp_path / "pipe.json", "wb"):
            pass
        pytest.fail("ingestion blocked on a named pipe")
    result = outcome["result"]
    assert [t.name for t in result.tools] == ["get_weather"]
    assert _reasons(result)["pipe.json"] == "a named pipe, not a regular file; not read"


def test_a_named_pipe_configured_directly_is_refused_too(tmp_path):
    os.mkfifo(tmp_path / "pipe.json")
    result = ingest_sources([tmp_path / "pipe.json", _with_good_file(tmp_path) / "good.json"], display_root=tmp_path)
    assert _reasons(result)["pipe.json"].startswith("a named pipe")


def test_any_exception_inside_one_file_is_quarantined_with_its_reason(tmp_path, monkeypatch):
    (_with_good_file(tmp_path) / "cursed.json").write_text(json.dumps([{"name": "cursed", "description": "x"}]))
    real = ingest.parse_documents

    def fragile(fmt, documents, default_category):
        if default_category == "cursed":
            raise KeyError("an unforeseen bug")
        return real(fmt, documents, default_category=default_category)

    monkeypatch.setattr(ingest, "parse_documents", fragile)
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert [t.name for t in result.tools] == ["get_weather"]
    assert _reasons(result)["cursed.json"] == "file could not be ingested: KeyError: 'an unforeseen bug'"


def test_an_empty_source_is_an_error_that_says_so(tmp_path):
    (tmp_path / "notes.txt").write_text("not a tool file")
    empty = ingest_sources([tmp_path], display_root=tmp_path)
    problem = empty_source_problem(empty, [str(tmp_path)])
    assert problem == f"no tool files (.json, .jsonl, .yaml, .yml) found in the tool sources: {tmp_path}"

    (tmp_path / "bad.json").write_text(json.dumps([{"type": "function", "function": {"description": "no name"}},
                                                   {"type": "function", "function": {"name": "!!"}}]))
    rejected = ingest_sources([tmp_path], display_root=tmp_path)
    problem = empty_source_problem(rejected, [str(tmp_path)])
    assert problem.startswith(f"no valid tools in the tool sources ({tmp_path}): 2 spec(s) or file(s) quarantined; "
                              "top reasons: ")
    assert "tool has no name (1x)" in problem and "has no letter or digit" in problem
    assert empty_source_problem(ingest_sources([_with_good_file(tmp_path)]), [str(tmp_path)]) is None


def test_the_source_hash_does_not_block_on_a_pipe_either(tmp_path):
    from toolflow_assets.ingestion.ingest import hash_sources

    _with_good_file(tmp_path)
    before = hash_sources([tmp_path])
    os.mkfifo(tmp_path / "pipe.json")
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(digest=hash_sources([tmp_path])), daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():
        with open(tmp_path / "pipe.json", "wb"):
            pass
        pytest.fail("hashing the sources blocked on a named pipe")
    assert outcome["digest"] != before  # the pipe is part of the sources' state, by its reason
