"""`toolflow check` on JSONL that ToolFlow did not write: other shapes, a malformed line, a report file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from quality_fixtures import clean

from toolflow_assets.cli import main


def _foreign_record(d: dict) -> dict:
    """The fixture as another generator might write it: `tools` as a list of bare functions, arguments as
    objects, no ToolFlow fields."""
    messages = []
    for message in d["messages"]:
        message = dict(message)
        if message.get("tool_calls"):
            message["tool_calls"] = [{**c, "function": {**c["function"], "arguments": json.loads(c["function"]["arguments"])}}
                                     for c in message["tool_calls"]]
        messages.append(message)
    return {"conversation_id": "x", "messages": messages, "tools": [t["function"] for t in d["tools"]]}


def test_check_reads_foreign_jsonl_names_the_bad_line_and_writes_a_report(tmp_path: Path, capsys) -> None:
    good = _foreign_record(clean())
    bad = _foreign_record(clean())
    bad["messages"][-1]["content"] += " The bill will be 120 euros."
    stringly = {**clean(), "tools": json.dumps(clean()["tools"])}  # ToolFlow's older shape: tools as a JSON string
    data = tmp_path / "other.jsonl"
    data.write_text("\n".join([json.dumps(good), json.dumps(bad), "{not json", json.dumps(stringly), ""]) + "\n")
    report = tmp_path / "out" / "report.json"

    status = main(["check", str(data), "--report", str(report)])

    printed = capsys.readouterr().out
    assert status == 1
    assert "4 records in 1 file(s): 2 passed every check (50.0%); 1 unreadable" in printed
    assert "line 3 is not valid JSON" in printed
    entries = json.loads(report.read_text())
    assert [e["passed"] for e in entries] == [True, False, False, True]
    assert any("120" in reason and reason.startswith("assistant_claims") for reason in entries[1]["reasons"])
    assert entries[2]["source"].endswith("other.jsonl:3") and entries[2]["checks"] == {}


def test_check_refuses_a_missing_path_with_a_clear_message(tmp_path: Path, capsys) -> None:
    assert main(["check", str(tmp_path / "nope.jsonl")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_an_unwritable_report_is_a_clear_error(tmp_path: Path, capsys) -> None:
    data = tmp_path / "clean.jsonl"
    data.write_text(json.dumps(clean()) + "\n")
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["check", str(data), "--report", str(blocker / "report.json")]) == 2
    assert "cannot write the report" in capsys.readouterr().err


def test_check_runs_as_a_command(tmp_path: Path) -> None:
    data = tmp_path / "clean.jsonl"
    data.write_text(json.dumps(clean()) + "\n")
    toolflow = Path(sys.executable).with_name("toolflow")
    done = subprocess.run([str(toolflow), "check", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 passed every check (100.0%)" in done.stdout
