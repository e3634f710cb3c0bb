"""Names are sanitized; duplicates merge; collisions resolve the same way whatever the file order."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from ingestion_helpers import FIXTURES, VALID_NAME

from toolflow_assets.ingestion.ingest import (
    IngestionResult,
    ingest_sources,
    merge_duplicates,
    resolve_collisions,
    sanitize_name,
)
from toolflow_assets.tools import Tool, tools_to_frame

DEDUPE = FIXTURES / "dedupe"
FILES = [DEDUPE / "source_a.json", DEDUPE / "source_b.json", DEDUPE / "source_c.json"]


@pytest.fixture(scope="module")
def result() -> IngestionResult:
    return ingest_sources(FILES, display_root=DEDUPE)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("get_weather", "get_weather"),
        ("ChaDri.change_drink", "ChaDri_change_drink"),
        ("send email!", "send_email"),
        ("  /offices/search/:service  ", "offices_search_service"),
        ("a--b", "a--b"),
        ("x" * 100, "x" * 64),
        ("a" * 63 + ".b", "a" * 63),  # no trailing underscore after the cut
        ("...", ""),
        ("获取天气", "tool_" + sanitize_name("获取天气")[5:]),
    ],
)
def test_sanitize_name(raw: str, expected: str) -> None:
    name = sanitize_name(raw)
    assert name == expected
    if name:
        assert VALID_NAME.match(name)


def test_non_ascii_names_get_a_stable_hash_name() -> None:
    assert sanitize_name("获取天气") == sanitize_name("获取天气") != sanitize_name("查询天气")
    assert VALID_NAME.match(sanitize_name("获取天气"))


def test_exact_duplicates_across_sources_merge(result: IngestionResult) -> None:
    [stock] = [t for t in result.tools if t.original_name == "get_stock_price"]
    assert stock.name == "get_stock_price" and stock.merged_count == 2


def test_near_exact_duplicates_merge(result: IngestionResult) -> None:
    """`translate` and `Translate`: same parameters, reworded description → one tool, the fuller copy kept."""
    translate = [t for t in result.tools if t.name.lower().startswith("translate")]
    assert len(translate) == 1
    assert translate[0].merged_count == 2
    assert translate[0].description == "Translates the given text into another target language."
    assert result.duplicates_merged == 2


def test_collisions_get_numbered_names(result: IngestionResult) -> None:
    searches = sorted((t.name, t.description) for t in result.tools if t.original_name == "search")
    assert [name for name, _ in searches] == ["search", "search_2", "search_3"]
    assert len({d for _, d in searches}) == 3
    # "send email!" sanitizes to a name another source already uses for a different tool
    emails = {t.name: t.original_name for t in result.tools if t.name.startswith("send_email")}
    assert set(emails) == {"send_email", "send_email_2"}
    assert result.names_disambiguated == 3


def test_catalog_names_are_unique_and_valid(result: IngestionResult) -> None:
    names = [t.name for t in result.tools]
    assert len({n.lower() for n in names}) == len(names)
    assert all(VALID_NAME.match(n) for n in names)
    assert len({t.tool_id for t in result.tools}) == len(names)
    long = next(t for t in result.tools if t.original_name.startswith("a_very_long"))
    assert len(long.name) == 64


def test_collisions_do_not_depend_on_file_order(result: IngestionResult) -> None:
    reversed_result = ingest_sources(list(reversed(FILES)), display_root=DEDUPE)
    assert tools_to_frame(reversed_result.tools).equals(tools_to_frame(result.tools))
    shuffled = ingest_sources([FILES[1], FILES[2], FILES[0]], display_root=DEDUPE)
    assert shuffled.tools == result.tools


def test_collisions_do_not_depend_on_file_names(tmp_path: Path) -> None:
    """Renaming the files (so they sort the other way) must not change who keeps a name."""
    for index, path in enumerate(FILES):
        (tmp_path / f"{9 - index}_{path.name}").write_bytes(path.read_bytes())
    renamed = ingest_sources([tmp_path], display_root=tmp_path)
    original = ingest_sources(FILES, display_root=DEDUPE)
    assert [(t.name, t.tool_id) for t in renamed.tools] == [(t.name, t.tool_id) for t in original.tools]


def _tool(name: str, description: str, properties: dict, tool_id: str, source: str = "s.json") -> Tool:
    return Tool(tool_id=tool_id, name=name, description=description,
                parameters={"type": "object", "properties": properties}, returns=None, source=source,
                source_format="openai", category="c", original_name=name)


def test_same_name_different_parameters_is_not_a_duplicate() -> None:
    a = _tool("lookup", "Look up a user.", {"user_id": {"type": "string"}}, "a")
    b = _tool("lookup", "Look up a user.", {"user_id": {"type": "integer"}}, "b")
    kept, merged = merge_duplicates([a, b])
    assert merged == 0 and len(kept) == 2
    renamed, count = resolve_collisions(kept)
    assert count == 1 and [t.name for t in renamed] == ["lookup", "lookup_2"]


def test_same_name_and_parameters_but_a_different_purpose_is_not_a_duplicate() -> None:
    a = _tool("search", "Search recipes by ingredient.", {"q": {"type": "string"}}, "a")
    b = _tool("search", "Search flights by destination city.", {"q": {"type": "string"}}, "b")
    assert merge_duplicates([a, b])[1] == 0


def test_reworded_description_with_an_extra_sentence_is_a_duplicate() -> None:
    a = _tool("get_current_weather", "Retrieves the current weather conditions for a specified location.",
              {"location": {"type": "string"}}, "a")
    b = _tool("get_current_weather", "Retrieve the current weather conditions for a location. If using state, "
              "then use short form like CA.", {"location": {"type": "string"}}, "b")
    kept, merged = merge_duplicates([b, a])
    assert merged == 1 and kept[0].tool_id == "b" and kept[0].merged_count == 2  # the fuller description


def test_merge_keeps_the_copy_with_a_return_schema() -> None:
    a = _tool("get_user", "Get a user.", {"id": {"type": "string"}}, "a")
    b = replace(_tool("get_user", "Get a user.", {"id": {"type": "string"}}, "b"), returns={"type": "object"})
    for order in ([a, b], [b, a]):
        kept, _ = merge_duplicates(order)
        assert [t.tool_id for t in kept] == ["b"]


def test_renamed_tool_never_takes_an_existing_name() -> None:
    tools = [_tool("f", "one", {}, "1"), _tool("f", "two", {"x": {}}, "2"), _tool("f_2", "three", {"y": {}}, "3")]
    renamed, _ = resolve_collisions(tools)
    assert sorted(t.name for t in renamed) == ["f", "f_2", "f_3"]
    assert {t.name: t.tool_id for t in renamed}["f_2"] == "3"


def test_duplicate_names_in_different_tool_lists_of_one_file_are_not_quarantined(tmp_path: Path) -> None:
    """BFCL repeats a function on many lines: that is a duplicate across lists, merged, not an error."""
    fn = {"name": "f", "description": "Do f.", "parameters": {"type": "dict", "properties": {}}}
    lines = [json.dumps({"id": f"simple_{i}", "function": [fn]}) for i in range(3)]
    (tmp_path / "b.json").write_text("\n".join(lines))
    result = ingest_sources([tmp_path], display_root=tmp_path)
    assert result.quarantined == [] and [t.merged_count for t in result.tools] == [3]
