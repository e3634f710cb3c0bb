"""Builders of small dialogue, plan and catalog tables for the quality and export tests.

The clean dialogue lives in tests/fixtures/quality/clean_dialogue.json: three tools (weather, restaurants,
booking), two user turns, three calls, one chained argument (the booked restaurant comes from the search).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import polars as pl

from toolflow_assets.generation.models import DIALOGUE_SCHEMA
from toolflow_assets.planning.models import PLAN_SCHEMA, DialoguePlan
from toolflow_assets.tools import CATALOG_SCHEMA, Tool, stable_id

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "quality" / "clean_dialogue.json"


def clean() -> dict[str, Any]:
    """A fresh deep copy of the fixture: {"tools", "returns", "messages", "plan"}."""
    return copy.deepcopy(json.loads(FIXTURE.read_text()))


def dialogue_row(messages: list[dict[str, Any]], tools: list[dict[str, Any]], dialogue_id: str = "d-1",
                 plan_id: str = "plan-1", strategy: str = "graph", status: str = "ok",
                 error: str | None = None, sample_id: str = "sample-1") -> dict[str, Any]:
    n_user = sum(1 for m in messages if m.get("role") == "user")
    n_calls = sum(len(m.get("tool_calls") or []) for m in messages if m.get("role") == "assistant")
    return {
        "dialogue_id": dialogue_id, "plan_id": plan_id, "sample_id": sample_id, "strategy": strategy,
        "status": status, "error": error,
        "messages": None if status != "ok" else json.dumps(messages),
        "tools": json.dumps(tools), "backend": "offline", "model": "toolflow-offline",
        "prompt_version": "test-v1", "seed": 7, "n_user_turns": n_user, "n_tool_calls": n_calls,
        "prompt_tokens": 0, "completion_tokens": 0, "requests": 0,
    }


def dialogues_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=DIALOGUE_SCHEMA)


def plan_row(plan: dict[str, Any], status: str = "ok") -> dict[str, Any]:
    model = DialoguePlan.model_validate(plan)  # the fixture plan is a valid plan
    return {
        "plan_id": model.plan_id, "sample_id": model.sample_id, "strategy": model.strategy, "status": status,
        "error": None, "raw_output": None, "plan": model.model_dump_json(), "n_user_turns": len(model.turns),
        "n_tool_calls": model.n_tool_calls, "chained": model.is_chained,
    }


def plans_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={k: getattr(pl, v) for k, v in PLAN_SCHEMA.items()})


def catalog_frame(tools: list[dict[str, Any]], returns: dict[str, Any]) -> pl.DataFrame:
    rows = []
    for entry in tools:
        function = entry["function"]
        tool = Tool(tool_id=stable_id(function["name"]), name=function["name"],
                    description=function.get("description", ""), parameters=function["parameters"],
                    returns=returns.get(function["name"]), source="fixture.json", source_format="openai",
                    category="test")
        rows.append(tool.to_row())
    return pl.DataFrame(rows, schema=CATALOG_SCHEMA)


def frames(dialogues: list[dict[str, Any]], fixture: dict[str, Any] | None = None):
    """(dialogues, dialogue_plans, tool_catalog) frames around the fixture's plan and tools."""
    fixture = fixture or clean()
    return (dialogues_frame(dialogues), plans_frame([plan_row(fixture["plan"])]),
            catalog_frame(fixture["tools"], fixture["returns"]))


def variant(dialogue_id: str, user_texts: list[str], city: str = "Lisbon") -> dict[str, Any]:
    """A different, clean dialogue with the fixture's shape: other user words and another city."""
    fixture = clean()
    messages = fixture["messages"]
    text = json.dumps(messages).replace("Lisbon", city).replace("lisbon", city.lower())
    messages = json.loads(text)
    users = [m for m in messages if m["role"] == "user"]
    for message, words in zip(users, user_texts):
        message["content"] = words
    return dialogue_row(messages, fixture["tools"], dialogue_id=dialogue_id)
