"""Answers about a shell's results say what a person would: the names a folder holds, what went where, a count
with its unit, an empty file as empty; requests never paste where the command works ("of any extension")."""

from __future__ import annotations

import random
from pathlib import Path

from toolflow_assets.generation.answers import answer
from toolflow_assets.generation.result_views import result_view
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.mentions import MentionIndex
from toolflow_assets.planning.phrasing import action_phrase

FILE_SYSTEM = Path(__file__).resolve().parents[2] / "toolflow_assets/data/corpus/bfcl/multi_turn_func_doc/gorilla_file_system.json"
TOOLS = {tool.name: tool for tool in ingest_sources([str(FILE_SYSTEM)]).tools}


def said(tool: str, result: dict, arguments: dict, user: str = "") -> list[str]:
    mentions = MentionIndex([])
    mentions.add_text(user)
    view = result_view(TOOLS[tool], result, arguments, (), mentions)
    return [answer(random.Random(seed), [view]) for seed in range(12)]


def test_a_listing_is_told_by_its_names():
    names = ["server.log", "invoices", "travel", "budget.csv", "research", "notes.md"]
    for text in said("ls", {"current_directory_content": names}, {}):
        assert "server.log" in text and "invoices" in text and "current directory content" not in text, text
        assert "notes.md" not in text or "others" not in text  # four names shown, the rest summed up in words


def test_a_copy_says_what_went_where_and_not_the_tools_report_again():
    for text in said("cp", {"result": "'notes.md' copied to 'reports'"}, {"source": "notes.md", "destination": "reports"},
                     user="Copy notes.md into reports."):
        assert "notes.md" in text and "reports" in text and "copied" in text.lower(), text
        assert "now holds" not in text and "'notes.md' copied to 'reports'" not in text, text


def test_a_count_is_said_with_its_unit_and_an_empty_file_as_empty():
    for text in said("wc", {"count": 6, "type": "lines"}, {"file_name": "notes.md", "mode": "l"}):
        assert "6 lines" in text and "the type" not in text, text
    for text in said("tail", {"last_lines": ""}, {"file_name": "draft.md"}):
        assert "empty" in text and not text.strip().startswith("are "), text


def test_a_grep_that_finds_nothing_names_the_pattern_not_the_file():
    for text in said("grep", {"matching_lines": []}, {"file_name": "draft.md", "pattern": "invoice total"},
                     user="Search draft.md for invoice total."):
        assert "draft.md" not in text, text


def test_requests_never_paste_where_a_shell_command_works():
    for name in ("cat", "grep", "diff", "rmdir", "wc", "tail"):
        phrase = action_phrase(TOOLS[name])
        assert not any(noise in phrase for noise in ("any extension", "current directory", "currrent", "line by line")), phrase


def test_an_act_is_not_reported_twice_by_the_tools_own_words():
    for text in said("rmdir", {"result": "'backups' removed"}, {"dir_name": "backups"}, user="Remove backups."):
        assert "'backups' removed" not in text, text
