"""Simulated results of a shell-like API mean what their fields say, and the folder remembers what calls did."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolflow_assets.execution.simulated import SimulatedExecutor
from toolflow_assets.ingestion.ingest import ingest_sources

FILE_SYSTEM = Path(__file__).resolve().parents[2] / "toolflow_assets/data/corpus/bfcl/multi_turn_func_doc/gorilla_file_system.json"
TOOLS = {tool.name: tool for tool in ingest_sources([str(FILE_SYSTEM)]).tools}


def session(seed: int):
    simulated = SimulatedExecutor(error_rate=0.0, empty_rate=0.0).session(seed)
    return lambda tool, **arguments: simulated.execute(tool, arguments, TOOLS[tool]).result


@pytest.mark.parametrize("seed", range(6))
def test_reads_of_a_file_agree_and_a_grep_finds_lines_with_its_pattern(seed):
    run = session(seed)
    text = run("cat", file_name="notes.md")["file_content"].split("\n")
    assert len(text) >= 3 and all(line.endswith(".") for line in text)  # lines of text, not a file name
    assert run("tail", file_name="notes.md", lines=2)["last_lines"].split("\n") == text[-2:]
    assert run("sort", file_name="notes.md")["sorted_content"].split("\n") == sorted(text)
    assert run("wc", file_name="notes.md", mode="l") == {"count": len(text), "type": "lines"}
    assert run("wc", file_name="notes.md", mode="w")["type"] == "words"
    found = run("grep", file_name="notes.md", pattern="budget review")["matching_lines"]
    assert found and all("budget review" in line for line in found)
    assert set(found) <= set(run("cat", file_name="notes.md")["file_content"].split("\n"))  # the file holds them


@pytest.mark.parametrize("seed", range(6))
def test_the_folder_holds_what_calls_made_and_not_what_they_removed(seed):
    run = session(seed)
    assert run("touch", file_name="plan.md") == {} and run("mkdir", dir_name="drafts") == {}
    listed = run("ls")["current_directory_content"]
    assert {"plan.md", "drafts"} <= set(listed) and len(listed) == len(set(listed))
    run("echo", content="Ship the release on Friday", file_name="plan.md")
    assert run("cat", file_name="plan.md") == {"file_content": "Ship the release on Friday"}
    assert run("mv", source="plan.md", destination="release.md") == {"result": "'plan.md' moved to 'release.md'"}
    assert run("rm", file_name="drafts") == {"result": "'drafts' removed"}
    listed = run("ls")["current_directory_content"]
    assert "release.md" in listed and "plan.md" not in listed and "drafts" not in listed


def test_paths_sizes_and_searches_read_as_a_shells():
    run = session(3)
    assert run("cd", folder="reports")["current_working_directory"].endswith("/reports")
    assert run("pwd")["current_working_directory"].endswith("/reports")
    assert run("du", human_readable=True)["disk_usage"].split()[-1] in ("KB", "MB")
    assert run("du", human_readable=False)["disk_usage"].endswith(" bytes")
    matches = run("find", path="reports", name="budget")["matches"]
    assert matches and all(m.startswith("reports/") and "budget" in m.rsplit("/", 1)[-1] for m in matches)
    assert run("echo", content="hello there") == {"terminal_output": "hello there"}


def test_a_leagues_matches_are_no_file_paths():
    # the shell rule reads `matches` as a find's paths only where the call searched for a name
    import random

    from toolflow_assets.execution.shell import Folder, shell_result

    games = {"matches": [{"home_team": "Arsenal", "away_team": "Chelsea"}]}
    assert shell_result(dict(games), None, {"league": "EPL"}, Folder(), random.Random(1)) == games
    found = shell_result({"matches": ["x"]}, None, {"name": "report", "path": "."}, Folder(), random.Random(1))
    assert all("report" in path for path in found["matches"]), found


@pytest.mark.parametrize("seed", range(4))
def test_a_find_for_a_files_name_finds_it_and_for_a_stem_finds_what_the_check_calls_files(seed):
    from toolflow_assets.meanings import rule_for

    run = session(seed)
    assert {m.rsplit("/", 1)[-1] for m in run("find", path=".", name="budget.csv")["matches"]} == {"budget.csv"}
    for match in run("find", path=".", name="budget")["matches"]:
        leaf = match.rsplit("/", 1)[-1]
        assert leaf == "budget" or (leaf.startswith("budget") and rule_for("file_name").allows(leaf)), match
