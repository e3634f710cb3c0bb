"""Realism figures of a set of dialogues: does the text read like many people, and does the assistant
behave like an agent worth learning from? Measured on a fixed-size sample so that runs compare.

- `masked_distinct_3`: D-3 with numbers, ids, dates and times masked. Raw D-3 rewards random values ("ID-55508",
  "4187.26"), so a generator that fills one template with fresh numbers looks diverse; masked, it does not.
- `top20_opening_share`: share of user turns whose first five words (masked) are one of the 20 most common
  openings. Templated text concentrates here.
- `duplicate_user_share`: share of user messages that repeat an earlier user message word for word.
- the structure mix: dialogues with a chained argument, with parallel calls (one assistant message with
  several calls), with a clarification (the assistant asks, the user answers, then the calls), with a user
  turn answered without any tool call, offering a tool they never call (a distractor), with a tool error
  that the assistant then answers.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any, Sequence

from ..execution import is_error_result
from ..mentions import normalize_text
from ..quality.conversation import content_text, natural_texts, offered_tools, split_turns, user_texts
from .measures import Parsed, distinct_n, sample_ids

REALISM_SAMPLE_SIZE = 200
OPENING_WORDS = 5
TOP_OPENINGS = 20

_MASKS = (
    # a timestamp is one date ("2026-02-22T11:00:00Z" read as an id and two numbers, five tokens, before)
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z\b|[+-]\d{2}:?\d{2}\b)?"),
     " <date> "),
    (re.compile(r"\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b"), " <date> "),
    # and a time of day one value ("13:30" was "<num> : <num>")
    (re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b"), " <time> "),
    (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), " <email> "),
    (re.compile(r"(?<![\w-])(?=[\w-]*\d)[a-z0-9]+(?:[-_][a-z0-9]+)+(?![\w-])"), " <id> "),
    (re.compile(r"[$€£¥]?\d[\d,]*(?:\.\d+)?%?"), " <num> "),
)


def masked(text: str) -> str:
    """Text with dates, emails, ids and numbers replaced by placeholders (case-folded, spaces collapsed)."""
    text = normalize_text(text)
    for pattern, placeholder in _MASKS:
        text = pattern.sub(placeholder, text)
    return " ".join(text.split())


def opening(text: str, words: int = OPENING_WORDS) -> str:
    return " ".join(re.findall(r"[\w<>']+", masked(text))[:words])


def top_opening_share(texts: Sequence[str], top: int = TOP_OPENINGS) -> float | None:
    openings = Counter(opening(text) for text in texts if text.strip())
    total = sum(openings.values())
    return round(sum(count for _, count in openings.most_common(top)) / total, 4) if total else None


def duplicate_share(texts: Sequence[str]) -> float | None:
    normalized = [normalize_text(text) for text in texts if text.strip()]
    return round(1 - len(set(normalized)) / len(normalized), 4) if normalized else None


def has_tool_error(messages: list[Any]) -> bool:
    """A tool answered with an error and the assistant spoke after it."""
    for position, message in enumerate(messages):
        if isinstance(message, dict) and message.get("role") == "tool":
            try:
                result = json.loads(content_text(message))
            except json.JSONDecodeError:
                continue
            if is_error_result(result):
                return any(isinstance(m, dict) and m.get("role") == "assistant" for m in messages[position + 1:])
    return False


def has_parallel_calls(messages: list[Any]) -> bool:
    return any(isinstance(m, dict) and len(m.get("tool_calls") or []) >= 2 for m in messages)


def has_clarification(messages: list[Any]) -> bool:
    """A user turn ends with an assistant question and no call, and the next user turn has calls."""
    turns = split_turns(messages)
    for turn, following in zip(turns, turns[1:]):
        last = messages[turn.messages[-1]] if turn.messages else None
        if (not turn.calls and following.calls and isinstance(last, dict) and last.get("role") == "assistant"
                and "?" in content_text(last)):
            return True
    return False


def has_no_tool_turn(messages: list[Any]) -> bool:
    return any(not turn.calls for turn in split_turns(messages))


def offers_distractor(messages: list[Any], tools: list[Any]) -> bool:
    called = {call.get("function", {}).get("name") for m in messages if isinstance(m, dict)
              for call in m.get("tool_calls") or [] if isinstance(call, dict)}
    return bool(set(offered_tools(tools)) - called)


STRUCTURE = {
    "chained": lambda d: d.chained,
    "parallel_calls": lambda d: has_parallel_calls(d.messages),
    "clarification": lambda d: has_clarification(d.messages),
    "no_tool_turn": lambda d: has_no_tool_turn(d.messages),
    "distractor_offered": lambda d: offers_distractor(d.messages, d.tools),
    "tool_error_handled": lambda d: has_tool_error(d.messages),
}


def realism_measures(dialogues: Sequence[Parsed], seed: int = 7,
                     sample_size: int = REALISM_SAMPLE_SIZE) -> dict[str, Any]:
    """The figures of the module docstring, on a seeded sample of `sample_size` dialogues (or all, if fewer)."""
    chosen = set(sample_ids([d.dialogue_id for d in dialogues], sample_size, seed))
    sample = [d for d in dialogues if d.dialogue_id in chosen]
    users = [text for d in sample for text in user_texts(d.messages)]
    natural = [masked(text) for d in sample for text in natural_texts(d.messages)]
    n = len(sample)
    return {
        "sample_size": n,
        "masked_distinct_3": distinct_n(natural, 3),
        "top20_opening_share": top_opening_share(users),
        "duplicate_user_share": duplicate_share(users),
        "structure": {name: (round(sum(test(d) for d in sample) / n, 4) if n else None)
                      for name, test in STRUCTURE.items()},
        "most_common_openings": [[text, count] for text, count in
                                 Counter(opening(t) for t in users if t.strip()).most_common(5)],
    }


REALISM_DEFINITIONS = {
    "masked_distinct_3": "D-3 over user and assistant text with numbers, ids, emails, dates and times masked",
    "top20_opening_share": "share of user turns whose first five (masked) words are one of the 20 most common",
    "duplicate_user_share": "share of user messages that repeat an earlier one word for word",
    "structure": "share of dialogues with: a chained argument, parallel calls, a clarification, a user turn "
                 "without a tool call, an offered tool never called (distractor), a tool error answered",
}
