"""Realism figures (export/realism.py) on small dialogue sets whose answers a reader can count."""

from __future__ import annotations

import json

from toolflow_assets.export.measures import Parsed
from toolflow_assets.export.realism import (
    duplicate_share,
    has_clarification,
    has_tool_error,
    masked,
    offers_distractor,
    realism_measures,
    top_opening_share,
)

TOOLS = [{"type": "function", "function": {"name": n, "parameters": {"type": "object", "properties": {}}}}
         for n in ("get_weather", "book_table")]


def call(name: str, call_id: str = "c1") -> dict:
    return {"role": "assistant", "content": None,
            "tool_calls": [{"id": call_id, "type": "function", "function": {"name": name, "arguments": "{}"}}]}


def test_masking_hides_values_but_keeps_the_words() -> None:
    assert masked("Book ORD-1234 for $2,500 on 2026-03-05, mail ana@example.com") == \
        "book <id> for <num> on <date> , mail <email>"
    # a timestamp is one date, a time of day one time: neither is an id and numbers
    assert masked("Updated 2026-02-22T11:00:00Z, kick-off at 13:30.") == "updated <date> , kick-off at <time> ."
    assert masked("at 2025-09-28 21:15:00+02:00 or 4:30:15 pm") == "at <date> or <time> pm"


def test_templated_openings_and_duplicates_are_measured() -> None:
    same = ["Can you check the weather in Paris?"] * 3 + ["Can you check the weather in Rome?"]
    assert top_opening_share(same, top=1) == 1.0  # one five-word opening covers every turn
    varied = [f"{w} please look into this" for w in ("alpha", "beta", "gamma", "delta")]
    assert top_opening_share(varied, top=1) == 0.25
    assert duplicate_share(same) == 0.5  # two of four repeat an earlier message
    assert duplicate_share(varied) == 0.0


def test_structure_features() -> None:
    asked = [{"role": "user", "content": "Book a table."},
             {"role": "assistant", "content": "For how many people?"},
             {"role": "user", "content": "Four."}, call("book_table"),
             {"role": "tool", "tool_call_id": "c1", "content": json.dumps({"error": {"message": "full"}})},
             {"role": "assistant", "content": "Sorry, it is full."}]
    assert has_clarification(asked) and has_tool_error(asked)
    assert offers_distractor(asked, TOOLS)  # get_weather offered, never called
    plain = [{"role": "user", "content": "Weather?"}, call("get_weather"),
             {"role": "tool", "tool_call_id": "c1", "content": json.dumps({"error": "", "temp": 3})},
             {"role": "assistant", "content": "3 degrees."}]
    assert not has_clarification(plain) and not has_tool_error(plain)  # an empty error field is no error


def test_measures_use_a_fixed_sample() -> None:
    dialogues = [Parsed(f"d{i}", [{"role": "user", "content": f"Message number {i} here"}], TOOLS) for i in range(50)]
    figures = realism_measures(dialogues, seed=7, sample_size=20)
    assert figures["sample_size"] == 20
    assert figures == realism_measures(list(reversed(dialogues)), seed=7, sample_size=20)
    assert figures["duplicate_user_share"] == 0.0 and figures["structure"]["distractor_offered"] == 1.0
