"""The offline generator's state for one dialogue, shared by its user agent (`user_agent.py`) and its
dialogue loop and assistant agent (`offline.py`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from ..mentions import MentionIndex
from ..planning.models import DialoguePlan
from ..references import add_said
from ..tools import Tool
from . import language as L
from .contexts import Situation


class GenerationError(Exception):
    """One dialogue cannot be completed; the message starts with a short reason code."""


@dataclass
class DialogueState:
    plan: DialoguePlan
    tools: dict[str, Tool]
    rng: random.Random
    messages: list[dict[str, Any]] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)  # call id -> tool result
    tool_of: dict[str, Tool] = field(default_factory=dict)  # call id -> tool
    arguments: dict[str, dict[str, Any]] = field(default_factory=dict)  # call id -> arguments sent
    consumers: dict[str, dict[str, list[tuple[str, Any]]]] = field(default_factory=dict)  # call -> field -> params
    call_ids: set[str] = field(default_factory=set)
    done_tool_turns: int = 0
    last_calls: list[str] = field(default_factory=list)
    persona: L.Persona = field(default_factory=lambda: L.Persona("direct", "normal"))
    session: Any = None  # the executor's per-dialogue session (execution/): produces every tool result
    executions: list[dict[str, Any]] = field(default_factory=list)  # per tool message: who produced it, status
    said: MentionIndex = field(default_factory=MentionIndex)  # what the user and tools said so far (see said_so_far)
    said_upto: int = 0  # messages already in `said`: messages are only ever appended
    actions: dict[str, str] = field(default_factory=dict)  # tool name -> its request, told apart (phrasing)
    told: list[tuple[tuple[str, str], ...]] = field(default_factory=list)  # the facts the last answer told, per call
    situation: Situation | None = None  # who the user is and why they ask (contexts.draw_situation)
    situation_said: bool = False  # told already (in a greeting or the first request)


def said_so_far(state: DialogueState) -> MentionIndex:
    """`references.said_index(state.messages)`, kept up to date by adding only the new messages."""
    for message in state.messages[state.said_upto:]:
        add_said(state.said, message)
    state.said_upto = len(state.messages)
    return state.said
