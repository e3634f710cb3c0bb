"""How much of the catalog the training data teaches: the tools called in curated dialogues, per API.

A sampler that only starts where data flows left the BFCL file-system and math APIs (35 of 76 multi-turn
tools) out of every training record while every figure looked fine; this is the figure that shows it.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from ..quality.conversation import load_json_list
from ..tools import Tool, api_of

SHOWN_APIS = 25


def called_tools(messages_json: Iterable[str]) -> list[set[str]]:
    """The names of the tools each dialogue calls."""
    called = []
    for text in messages_json:
        messages, _ = load_json_list(text or "[]")
        called.append({call.get("function", {}).get("name") for message in messages if isinstance(message, dict)
                       for call in message.get("tool_calls") or [] if isinstance(call, dict)} - {None})
    return called


def tool_coverage(catalog: Sequence[Tool], messages_json: Iterable[str]) -> dict[str, Any]:
    """Catalog tools, tools the training data calls, and per API (`tools.api_of`; tools of no known API
    together as "other") its tools, the ones called and the dialogues calling any of them."""
    per_dialogue = called_tools(messages_json)
    called_names = set().union(*per_dialogue)
    by_api: dict[str, set[str]] = {}
    for tool in catalog:
        by_api.setdefault(api_of(tool) or "other", set()).add(tool.name)
    apis = [{"api": api, "tools": len(names), "called": len(names & called_names),
             "dialogues": sum(bool(names & called) for called in per_dialogue)} for api, names in by_api.items()]
    apis.sort(key=lambda row: (row["api"] == "other", -row["tools"], row["api"]))
    called = sum(t.name in called_names for t in catalog)
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
