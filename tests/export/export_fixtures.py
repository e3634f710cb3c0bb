"""A small batch for the export tests: graph dialogues (three tools, one chained argument) in several cities,
and random-baseline dialogues (one tool, then small talk), with their plans and the tool catalog."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "quality"))

from quality_fixtures import (  # noqa: E402
    catalog_frame,
    clean,
    dialogue_row,
    dialogues_frame,
    plan_row,
    plans_frame,
)

CITIES = ["Lisbon", "Oslo", "Rome", "Vienna", "Prague", "Madrid", "Dublin", "Athens", "Berlin", "Zagreb"]


def graph_dialogue(index: int) -> dict[str, Any]:
    """The clean fixture moved to another city (different enough words not to be a near-duplicate)."""
    city = CITIES[index % len(CITIES)]
    text = json.dumps(clean()["messages"]).replace("Lisbon", city).replace("lisbon", city.lower())
    return dialogue_row(json.loads(text), clean()["tools"], dialogue_id=f"g-{index:03d}", plan_id="plan-1",
                        strategy="graph", sample_id=f"s-g-{index}")


def random_plan() -> dict[str, Any]:
    return {"plan_id": "plan-r", "sample_id": "s-r", "strategy": "random", "scenario": "Weather, then thanks.",
            "tools": ["get_weather", "book_table"],
            "turns": [{"intent": "ask the weather", "needs_tools": True, "chat_kind": None,
                       "calls": [{"call_id": "t1c1", "tool": "get_weather",
                                  "arguments": {"city": {"kind": "user", "value": "x"}}}]},
                      {"intent": "say thanks", "needs_tools": False, "chat_kind": "thanks", "calls": []}]}


def random_dialogue(index: int) -> dict[str, Any]:
    city = CITIES[(index + 3) % len(CITIES)]
    fixture = clean()
    call = {"id": "call_1", "type": "function",
            "function": {"name": "get_weather", "arguments": json.dumps({"city": city})}}
    messages = [
        {"role": "user", "content": f"Quick question number {index}: how warm is it in {city} right now?"},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_1", "name": "get_weather",
         "content": json.dumps({"city": city, "temperature": 18, "condition": "cloudy"})},
        {"role": "assistant", "content": f"It is 18 degrees and cloudy in {city}."},
        {"role": "user", "content": f"Thanks a lot, that settles it for {city} on day {index}!"},
        {"role": "assistant", "content": "You are welcome. Enjoy your day!"},
    ]
    tools = [t for t in fixture["tools"] if t["function"]["name"] in ("get_weather", "book_table")]
    return dialogue_row(messages, tools, dialogue_id=f"r-{index:03d}", plan_id="plan-r", strategy="random",
                        sample_id=f"s-r-{index}")


def batch(graph: int = 10, random: int = 4, failed: int = 1):
    """(dialogues, dialogue_plans, tool_catalog) frames."""
    fixture = clean()
    rows = [graph_dialogue(i) for i in range(graph)] + [random_dialogue(i) for i in range(random)]
    rows += [dialogue_row([], fixture["tools"], dialogue_id=f"f-{i:03d}", status="failed",
                          error="invalid_output: planner answer was not JSON") for i in range(failed)]
    plans = plans_frame([plan_row(fixture["plan"]), plan_row(random_plan())])
    return dialogues_frame(rows), plans, catalog_frame(fixture["tools"], fixture["returns"])
