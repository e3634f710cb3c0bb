"""What bad input gets: a quarantine row with a clear reason, while the rest of the same file still loads."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from ingestion_helpers import FIXTURES, VALID_NAME

from toolflow_assets.ingestion.ingest import (
    MAX_DESCRIPTION_CHARS,
    IngestionResult,
    SourceNotFound,
    expand_sources,
    hash_sources,
    ingest_sources,
)
from toolflow_assets.tools import quarantine_to_frame, tools_to_frame


@pytest.fixture(scope="module")
def bad() -> IngestionResult:
    return ingest_sources([FIXTURES / "bad"], display_root=FIXTURES)


def _rows(result: IngestionResult, source: str) -> dict[str, str]:
    """position → reason for one source file."""
    return {q.position: q.reason for q in result.quarantined if q.source == source}


def _names(result: IngestionResult, source: str) -> set[str]:
    return {t.name for t in result.tools if t.source == source}


def test_a_file_that_is_not_json_or_yaml(bad: IngestionResult) -> None:
    rows = _rows(bad, "bad/not_json_or_yaml.json")
    assert list(rows) == ["(file)"]
    assert rows["(file)"].startswith("file is neither JSON, JSON lines nor YAML: JSON says Expecting value at line 1")
    assert "YAML says" in rows["(file)"]
    # the other files of the same folder still load
    assert {"cancel_order", "listItems", "ping", "first_tool", "clean_tool"} <= {t.name for t in bad.tools}


def test_bad_specs_in_one_openai_list(bad: IngestionResult) -> None:
    rows = _rows(bad, "bad/mixed_openai.json")
    assert rows == {
        "[1]": "tool has no name",
        "[2]": "parameters.properties.x.type 'strng' is not a JSON Schema type",
        "[3]": "parameters.properties.n.minimum is not a valid JSON Schema: must be a number",
        "[4]": "duplicate name 'lookup_order' in the same tool list (first defined at [0])",
        "[5]": "$ref '#/$defs/Item' cannot be resolved: no '$defs' in the document",
    }
    assert _names(bad, "bad/mixed_openai.json") == {"lookup_order", "cancel_order"}
    first = next(t for t in bad.tools if t.name == "lookup_order")
    assert first.position == "[0]"  # the first definition wins; the second is the ambiguous one


def test_unresolvable_ref_in_openapi_rejects_only_that_operation(bad: IngestionResult) -> None:
    rows = _rows(bad, "bad/openapi_bad_ref.yaml")
    assert rows == {"GET /items/{id}": "$ref '#/components/schemas/NoSuchSchema' cannot be resolved: "
                                        "no 'NoSuchSchema' in the document"}
    assert _names(bad, "bad/openapi_bad_ref.yaml") == {"listItems"}


def test_mcp_tool_without_name_or_with_non_object_input(bad: IngestionResult) -> None:
    rows = _rows(bad, "bad/mcp_mixed.json")
    assert rows == {"tools[0]": "tool has no name",
                    "tools[1]": "parameters must be an object schema, got type 'string'"}
    assert _names(bad, "bad/mcp_mixed.json") == {"ping"}


def test_non_utf8_bytes_in_a_json_lines_file(bad: IngestionResult) -> None:
    rows = _rows(bad, "bad/bytes_in_line.jsonl")
    assert rows == {"line 2": "tool contains text that is not valid UTF-8 (undecodable bytes or lone surrogates)"}
    assert _names(bad, "bad/bytes_in_line.jsonl") == {"first_tool", "third_tool"}
    row = next(q for q in bad.quarantined if q.source == "bad/bytes_in_line.jsonl")
    assert row.name == "broken_bytes" and "\\xff\\xfe" in row.excerpt  # shown, not dropped


def test_non_utf8_bytes_inside_one_tool_of_a_json_file(bad: IngestionResult) -> None:
    rows = _rows(bad, "bad/bytes_in_tool.json")
    assert rows == {"[1]": "tool contains text that is not valid UTF-8 (undecodable bytes or lone surrogates)"}
    assert _names(bad, "bad/bytes_in_tool.json") == {"clean_tool"}


def test_quarantine_and_catalog_are_storable(bad: IngestionResult) -> None:
    """Undecodable bytes must not reach Parquet (it needs valid UTF-8)."""
    for frame in (quarantine_to_frame(bad.quarantined), tools_to_frame(bad.tools)):
        frame.write_parquet(io.BytesIO())
    assert all(q.reason for q in bad.quarantined)


def test_a_5mb_description(tmp_path: Path) -> None:
    huge = "word " * (1024 * 1024)  # 5 MB
    tools = [
        {"type": "function", "function": {"name": "verbose", "description": huge, "parameters": {"type": "object"}}},
        {"type": "function", "function": {"name": "terse", "description": "Short.", "parameters": {"type": "object"}}},
    ]
    (tmp_path / "tools.json").write_text(json.dumps(tools))
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert [t.name for t in result.tools] == ["terse"]
    [row] = result.quarantined
    assert (row.position, row.name) == ("[0]", "verbose")
    assert row.reason == f"description is {len(huge):,} characters long (limit {MAX_DESCRIPTION_CHARS:,})"
    assert len(row.excerpt) <= 200


def test_a_5mb_description_inside_a_parameter(tmp_path: Path) -> None:
    huge = "x" * (5 * 1024 * 1024)
    tools = [{"name": "padded", "description": "ok", "parameters": {"type": "object", "properties": {
        "q": {"type": "string", "description": huge}}}}, {"name": "plain", "description": "ok", "parameters": {}}]
    (tmp_path / "tools.json").write_text(json.dumps(tools))
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert [t.name for t in result.tools] == ["plain"]
    assert result.quarantined[0].reason.startswith("parameters schema is 5,2")


def test_yaml_with_bad_bytes_in_one_operation(tmp_path: Path) -> None:
    spec = (b"openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n"
            b"  /a:\n    get: {operationId: good_op, description: fine, responses: {}}\n"
            b"  /b:\n    get: {operationId: bad_op, description: \"caf\xe9\", responses: {}}\n")
    (tmp_path / "api.yaml").write_bytes(spec)
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert [t.name for t in result.tools] == ["good_op"]
    assert [(q.position, q.name) for q in result.quarantined] == [("GET /b", "bad_op")]
    assert "not valid UTF-8" in result.quarantined[0].reason


def test_lone_surrogate_escape_in_json(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text('[{"name": "odd", "description": "\\ud800 alone", "parameters": {}},'
                                     ' {"name": "emoji", "description": "fine \\ud83d\\ude00", "parameters": {}}]')
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert [t.name for t in result.tools] == ["emoji"]
    assert result.quarantined[0].name == "odd" and "lone surrogates" in result.quarantined[0].reason
    quarantine_to_frame(result.quarantined).write_parquet(io.BytesIO())


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "file is empty"),
        (b'{"hello": "world"}', "unrecognized tool format (expected OpenAI tools, BFCL JSON lines, "
                                "ToolBench/RapidAPI, OpenAPI 3.x or MCP tools/list)"),
        (b'{"jsonrpc": "2.0", "id": 1, "error": {"code": -32601, "message": "Method not found"}}',
         'JSON-RPC error response: {"code": -32601, "message": "Method not found"}'),
        (b'{"tools": {"name": "x"}}', "`tools` is a dict, not a list"),
        (b"just a sentence", "file is neither JSON, JSON lines nor a YAML mapping or list: "
                             "JSON says Expecting value at line 1 column 1"),
    ],
)
def test_whole_file_problems(tmp_path: Path, content: bytes, reason: str) -> None:
    (tmp_path / "f.json").write_bytes(content)
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert result.tools == []
    assert [(q.source, q.reason) for q in result.quarantined] == [("f.json", reason)]


def test_line_that_is_not_json_in_json_lines(tmp_path: Path) -> None:
    good = json.dumps({"name": "ok_tool", "description": "", "parameters": {"type": "dict", "properties": {}}})
    (tmp_path / "t.jsonl").write_text(f"{good}\n{{not json\n\n[1, 2]\n")
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert [t.name for t in result.tools] == ["ok_tool"]
    assert {q.position: q.reason for q in result.quarantined} == {
        "line 2": "line is not valid JSON: Expecting property name enclosed in double quotes at column 2",
        "line 4": "line is a list, not an object",
    }


def test_source_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "tools.json"
    with pytest.raises(SourceNotFound, match="tool source path does not exist: .*no/such/tools.json"):
        ingest_sources([FIXTURES / "formats", missing])
    with pytest.raises(SourceNotFound, match="matches no files"):
        ingest_sources([str(tmp_path / "*.nothing")])
    with pytest.raises(SourceNotFound):
        hash_sources([missing])


def test_symlinks_out_of_a_source_folder_are_refused(tmp_path: Path) -> None:
    source, outside = tmp_path / "source", tmp_path / "outside"
    (source / "nested").mkdir(parents=True)
    (outside / "dir").mkdir(parents=True)
    shutil.copy(FIXTURES / "formats" / "openai_tools_list.json", source / "tools.json")
    shutil.copy(FIXTURES / "formats" / "mcp_tools_list.json", outside / "secret.json")
    shutil.copy(FIXTURES / "formats" / "mcp_jsonrpc_response.json", outside / "dir" / "more.json")
    os.symlink(outside / "secret.json", source / "link_out.json")
    os.symlink(outside / "dir", source / "nested" / "dir_out")
    os.symlink(source / "tools.json", source / "nested" / "link_in.json")  # stays inside: read
    os.symlink(tmp_path / "gone.json", source / "broken.json")

    result = ingest_sources([source], display_root=source)
    refused = {q.source: q.reason for q in result.quarantined}
    assert refused == {
        "link_out.json": "symlink points outside the configured source folder; not read",
        "nested/dir_out": "symlink points outside the configured source folder; not read",
        "broken.json": "broken symlink; not read",
    }
    assert {t.name for t in result.tools} == {"get_weather", "convert_currency"}  # nothing from outside
    assert result.duplicates_merged == 2  # the inside link is read (and merged with its target)

    # a glob is held to its fixed folder the same way
    globbed = ingest_sources([str(source / "*.json")], display_root=source)
    assert "link_out.json" in {q.source for q in globbed.quarantined}
    assert {t.name for t in globbed.tools} == {"get_weather", "convert_currency"}
    # a path configured explicitly is trusted, even when it is a link
    direct = ingest_sources([source / "link_out.json"])
    assert {t.name for t in direct.tools} == {"read_file", "list_directory"}
    assert expand_sources([source / "link_out.json"])[0].refusal is None


def test_unreadable_file_is_quarantined() -> None:
    """Root reads every file, so under root (containers, CI) the ingestion runs as `nobody` (uid 65534, via `setpriv`): the
    test always reproduces a file its reader may not open, never skips."""
    folder = Path(tempfile.mkdtemp(prefix="toolflow-unreadable-"))  # not under pytest's root-only tmp folder
    try:
        folder.chmod(0o755)
        (folder / "locked.json").write_text("[]")
        (folder / "locked.json").chmod(0)
        (folder / "open.json").write_text('[{"name": "ping", "description": "Ping a host"}]')
        (folder / "open.json").chmod(0o644)
        reasons = _ingest_unprivileged(folder) if os.geteuid() == 0 else _ingest_here(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert reasons == {"tools": ["ping"], "locked.json": "file cannot be read: Permission denied"}


def _ingest_here(folder: Path) -> dict[str, object]:
    result = ingest_sources([folder], display_root=folder)
    return {"tools": [t.name for t in result.tools], **{q.source: q.reason for q in result.quarantined}}


_PROBE = """import json, sys
from pathlib import Path
from toolflow_assets.ingestion.ingest import ingest_sources
folder = Path(sys.argv[1])
result = ingest_sources([folder], display_root=folder)
print(json.dumps({"tools": [t.name for t in result.tools], **{q.source: q.reason for q in result.quarantined}}))
"""


def _ingest_unprivileged(folder: Path) -> dict[str, object]:
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("running as root and `setpriv` (util-linux) is missing to run the ingestion as `nobody`")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                           _PROBE, str(folder)], capture_output=True, text=True, timeout=120, cwd=folder,
                          env={**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_accepted_bad_fixture_tool_is_valid(bad: IngestionResult) -> None:
    assert all(VALID_NAME.match(t.name) for t in bad.tools)
    assert len(bad.quarantined) == 11


def test_deeply_nested_parameters(tmp_path: Path) -> None:
    """Deep enough to strain the recursive normalizer, shallow enough for the JSON parser: never a crash."""
    depth = 350
    deep = '{"type": "object", "properties": {"x": ' * depth + "{}" + "}}" * depth
    (tmp_path / "t.json").write_text(f'[{{"name": "deep", "parameters": {deep}}}, {{"name": "flat"}}]')
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert "flat" in {t.name for t in result.tools}
    for row in result.quarantined:
        assert (row.name, row.reason) == ("deep", "tool is nested too deeply to read")
    assert len(result.tools) + len(result.quarantined) == 2


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    text = "\n".join(lines) + "\n"  # 10**9 values once expanded
    (tmp_path / "bomb.yaml").write_text(text)
    result = ingest_sources([tmp_path], display_root=tmp_path)
    [row] = result.quarantined
    assert row.reason == (f"YAML expands to more than {2 * len(text) + 10_000:,} values from {len(text):,} characters "
                          "(aliases repeated too often)")
