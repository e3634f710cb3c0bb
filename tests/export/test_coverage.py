"""The catalog coverage of the training data: which tools and APIs curated dialogues call."""

from __future__ import annotations

import json

from toolflow_assets.export.coverage import coverage_lines, tool_coverage
from toolflow_assets.tools import Tool


def _tool(name: str, source: str, category: str) -> Tool:
    return Tool(tool_id=name, name=name, description="", parameters={}, returns=None, source=source,
                source_format="bfcl", category=category)


def _dialogue(*names: str) -> str:
    calls = [{"id": f"c{i}", "type": "function", "function": {"name": n, "arguments": "{}"}} for i, n in enumerate(names)]
    return json.dumps([{"role": "user", "content": "hi"}, {"role": "assistant", "content": None, "tool_calls": calls}])


def test_coverage_counts_called_tools_per_api_and_names_the_api_left_out():
    catalog = [_tool("add", "math_api.json", "math_api"), _tool("mean", "math_api.json", "math_api"),
               _tool("ls", "gorilla_file_system.json", "gorilla_file_system"),
               _tool("cat", "gorilla_file_system.json", "gorilla_file_system"),
               _tool("weather", "BFCL_v4_live_multiple.json", "live_multiple")]
    curated = [_dialogue("add", "add", "mean"), _dialogue("add"), _dialogue("weather")]
    coverage = tool_coverage(catalog, curated)
    assert (coverage["tools_called"], coverage["catalog_tools"], coverage["share"]) == (3, 5, 0.6)
    assert (coverage["apis_called"], coverage["apis"]) == (1, 2)
    rows = {row["api"]: row for row in coverage["per_api"]}
    assert rows["math_api.json"] == {"api": "math_api.json", "tools": 2, "called": 2, "dialogues": 2}
    assert rows["gorilla_file_system.json"]["called"] == 0  # the API no training record teaches
    assert rows["other"]["called"] == 1 and coverage["per_api"][-1]["api"] == "other"
    assert "| gorilla_file_system.json | 2 | 0 | 0 |" in coverage_lines(coverage)
