"""How much of the catalog the training data teaches: the tools called in curated dialogues, per API.

A sampler that only starts where data flows left the BFCL file-system and math APIs (35 of 76 multi-turn
tools) out of every training record while every figure looked fine; this is the figure that shows it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Sequence

from ..quality.conversation import called_tool_names, load_json_list
from ..tools import Tool, api_of

SHOWN_APIS = 25


def tool_coverage(catalog: Sequence[Tool], messages_json: Iterable[str]) -> dict[str, Any]:
    """Catalog tools, tools the training data calls, and per API (`tools.api_of`; tools of no known API
    together as "other") its tools, the ones called and the dialogues calling any of them."""
    api_by_name = {tool.name: api_of(tool) or "other" for tool in catalog}
    called_names: set[str] = set()
    dialogues_by_api: Counter[str] = Counter()
    for text in messages_json:
        messages, _ = load_json_list(text or "[]")
        names = set(called_tool_names(messages))
        called_names |= names
        dialogues_by_api.update({api_by_name[n] for n in names if n in api_by_name})
    tools_by_api = Counter(api_by_name.values())
    called_by_api = Counter(api_by_name[n] for n in called_names if n in api_by_name)
    apis = [{"api": api, "tools": count, "called": called_by_api[api], "dialogues": dialogues_by_api[api]}
            for api, count in tools_by_api.items()]
    apis.sort(key=lambda row: (row["api"] == "other", -row["tools"], row["api"]))
    called = sum(called_by_api.values())
    named = [row for row in apis if row["api"] != "other"]
    return {
        "catalog_tools": len(catalog),
        "tools_called": called,
        "share": round(called / len(catalog), 4) if catalog else None,
        "apis": len(named),
        "apis_called": sum(row["called"] > 0 for row in named),
        "per_api": apis,
    }


def coverage_lines(coverage: dict[str, Any]) -> list[str]:
    lines = [f"The training data calls {coverage['tools_called']} of the catalog's {coverage['catalog_tools']} "
             f"tools ({coverage['share']}), and {coverage['apis_called']} of its {coverage['apis']} APIs named "
             "by the catalog (a RapidAPI, a file per API, an MCP server).", "",
             "| API | tools | called | dialogues |", "| --- | ---: | ---: | ---: |"]
    for row in coverage["per_api"][:SHOWN_APIS]:
        lines.append(f"| {row['api']} | {row['tools']} | {row['called']} | {row['dialogues']} |")
    if len(coverage["per_api"]) > SHOWN_APIS:
        lines.append(f"| … {len(coverage['per_api']) - SHOWN_APIS} more | | | |")
    return lines
