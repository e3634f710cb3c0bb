"""Values of a file-system API mean what its parameters say: files with fitting extensions, a copy's ends are
files or folders, a mode is one of the codes its description lists."""

from __future__ import annotations

import random
from pathlib import Path

from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.values import synthesize
from toolflow_assets.values import lexicons as L

FILE_SYSTEM = Path(__file__).resolve().parents[2] / "toolflow_assets/data/corpus/bfcl/multi_turn_func_doc/gorilla_file_system.json"
TOOLS = {tool.name: tool for tool in ingest_sources([str(FILE_SYSTEM)]).tools}
EXTENSIONS = dict(L.FILE_KINDS)


def drawn(tool: str, parameter: str, count: int = 40) -> list[str]:
    rng = random.Random(5)
    values = [synthesize(TOOLS[tool].parameters, rng).get(parameter) for _ in range(count)]
    return [v for v in values if v is not None]


def stem_and_extension(name: str) -> tuple[str, str]:
    stem, extension = name.rsplit(".", 1)
    return next(s for s in EXTENSIONS if stem == s or any(stem == s + q for q in L.FILE_QUALIFIERS)), extension


def test_a_file_a_shell_displays_or_searches_is_text_and_its_extension_suits_its_name():
    for tool in ("cat", "grep", "tail", "sort"):
        for name in drawn(tool, "file_name"):
            stem, extension = stem_and_extension(name)
            assert extension in L.TEXT_EXTENSIONS and extension in EXTENSIONS[stem], (tool, name)


def test_the_ends_of_a_copy_or_move_are_files_or_folders_never_places_or_databases():
    for tool in ("cp", "mv"):
        for parameter in ("source", "destination"):
            values = drawn(tool, parameter)
            assert values and all(v in L.FOLDERS or stem_and_extension(v) for v in values), (tool, parameter, values)
            assert any(v in L.FOLDERS for v in values) and any("." in v for v in values)


def test_a_mode_is_one_of_the_codes_its_description_explains():
    assert set(drawn("wc", "mode")) <= {"l", "w", "c"} and drawn("wc", "mode")


def test_where_a_search_starts_is_a_folder():
    assert all(v in L.FOLDERS for v in drawn("find", "path"))


def test_a_plural_in_es_is_said_in_the_singular_without_its_e():
    from toolflow_assets.mentions import singular

    assert [singular(w) for w in ("matches", "boxes", "searches", "caches", "lines", "status", "lunches",
                                  "branches", "niches")] == \
        ["match", "box", "search", "cache", "line", "status", "lunch", "branch", "niche"]


def test_a_plural_is_what_singular_undoes_and_a_listing_tool_is_said_with_it():
    from toolflow_assets.execution.result_nouns import described_object
    from toolflow_assets.mentions import plural, singular
    from toolflow_assets.planning.phrasing import action_phrase
    from toolflow_assets.tools import Tool

    words = ("city", "box", "lunch", "dish", "quote", "day", "match", "waltz")
    assert [plural(w) for w in words] == \
        ["cities", "boxes", "lunches", "dishes", "quotes", "days", "matches", "waltzes"]
    assert [singular(plural(w)) for w in words[:-1]] == list(words[:-1])  # `singular` reads no -zes yet
    assert [plural(w) for w in ("offices", "status")] == ["offices", "status"]  # a final s stays
    # the request a planner phrases and the result's noun a tool agent names say the same plural
    branches = Tool(tool_id="b", name="get_branches", description="List of branch for a bank.",
                    parameters={"type": "object", "properties": {"bank": {"type": "string"}}},
                    returns=None, source="t", source_format="rapidapi", category="t")
    assert action_phrase(branches) == "get the branches for a bank" and described_object(branches) == ["branches"]
