"""A small batch for the export tests: graph dialogues (three tools, one chained argument) in several cities,
and random-baseline dialogues (one tool, then small talk), with their plans and the tool catalog."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import polars as pl

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


def _in_city(value: Any, city: str) -> Any:
    return json.loads(json.dumps(value).replace("Lisbon", city).replace("lisbon", city.lower()))


def graph_plan(index: int) -> dict[str, Any]:
    """The clean fixture's plan moved to the city of graph dialogue `index` (the dialogue follows its plan)."""
    city = CITIES[index % len(CITIES)]
    return {**_in_city(clean()["plan"], city), "plan_id": f"plan-{city.lower()}"}


def graph_dialogue(index: int) -> dict[str, Any]:
    """The clean fixture moved to another city (different enough words not to be a near-duplicate)."""
    city = CITIES[index % len(CITIES)]
    return dialogue_row(_in_city(clean()["messages"], city), clean()["tools"], dialogue_id=f"g-{index:03d}",
                        plan_id=f"plan-{city.lower()}", strategy="graph", sample_id=f"s-g-{index}")


def random_plan(index: int) -> dict[str, Any]:
    city = CITIES[(index + 3) % len(CITIES)]
    return {"plan_id": f"plan-r-{index}", "sample_id": f"s-r-{index}", "strategy": "random",
            "scenario": "Weather, then thanks.",
            "tools": ["get_weather", "book_table"],
            "turns": [{"intent": "ask the weather", "needs_tools": True, "chat_kind": None,
                       "calls": [{"call_id": "t1c1", "tool": "get_weather",
                                  "arguments": {"city": {"kind": "user", "value": city}}}]},
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
    return dialogue_row(messages, tools, dialogue_id=f"r-{index:03d}", plan_id=f"plan-r-{index}", strategy="random",
                        sample_id=f"s-r-{index}")


def batch(graph: int = 10, random: int = 4, failed: int = 1):
    """(dialogues, dialogue_plans, tool_catalog) frames."""
    fixture = clean()
    rows = [graph_dialogue(i) for i in range(graph)] + [random_dialogue(i) for i in range(random)]
    rows += [dialogue_row([], fixture["tools"], dialogue_id=f"f-{i:03d}", status="failed",
                          error="invalid_output: planner answer was not JSON") for i in range(failed)]
    plans = plans_frame([plan_row(graph_plan(i)) for i in range(min(graph, len(CITIES)))]
                        + [plan_row(random_plan(i)) for i in range(random)])
    return dialogues_frame(rows), plans, catalog_frame(fixture["tools"], fixture["returns"])


def parallel_dialogue(index: int) -> dict[str, Any]:
    """One assistant message with two calls (the weather in two cities) and the words before them."""
    first, second = CITIES[index % len(CITIES)], CITIES[(index + 5) % len(CITIES)]
    calls = [{"id": f"call_{n}", "type": "function",
              "function": {"name": "get_weather", "arguments": json.dumps({"city": city})}}
             for n, city in enumerate((first, second), start=1)]
    messages = [
        {"role": "user", "content": f"Compare the weather in {first} and {second} for trip {index}, please."},
        {"role": "assistant", "content": "Checking both cities at once.", "tool_calls": calls},
        {"role": "tool", "tool_call_id": "call_1", "name": "get_weather",
         "content": json.dumps({"city": first, "temperature": 18, "condition": "cloudy"})},
        {"role": "tool", "tool_call_id": "call_2", "name": "get_weather",
         "content": json.dumps({"city": second, "temperature": 24, "condition": "sunny"})},
        {"role": "assistant", "content": f"{second} is warmer: 24 and sunny, against 18 and cloudy in {first}."},
    ]
    tools = [t for t in clean()["tools"] if t["function"]["name"] == "get_weather"]
    return dialogue_row(messages, tools, dialogue_id=f"p-{index:03d}", plan_id="plan-p", strategy="graph",
                        sample_id=f"s-p-{index}")


def passing_batch(graph: int = 6, parallel: int = 3, city_shift: int = 0):
    """(dialogues, quality) with every dialogue passing: for tests of the export alone, whatever the quality
    rules are. `city_shift` moves every city, standing in for another corpus with the same dialogue ids."""
    rows = [graph_dialogue(i + city_shift) for i in range(graph)] + \
        [parallel_dialogue(i + city_shift) for i in range(parallel)]
    for row, index in zip(rows, [*range(graph), *range(parallel)]):  # the pipeline's ids repeat across runs
        row["dialogue_id"] = f"{row['dialogue_id'][0]}-{index:03d}"
    frame = dialogues_frame(rows)
    quality = pl.DataFrame({"dialogue_id": frame["dialogue_id"], "passed": [True] * frame.height})
    return frame, quality


def llamafactory_function_call(value: str) -> tuple[str, Any]:
    """(text, calls) as LLaMA-Factory's function formatter reads a function_call value: JSON inside the first
    <tool_call>…</tool_call> with the rest as text said before the call, else the whole value as JSON."""
    match = re.search(r"<tool_call>(.*?)</tool_call>", value, re.DOTALL)
    if match is None:
        return "", json.loads(value)
    return value.replace(match.group(0), ""), json.loads(match.group(1))
