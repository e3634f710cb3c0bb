"""A call while the offline planner is still arranging it: its working id, tool and argument sources.
Ids become final (`t{turn}c{n}`) only when the turns are laid out (turn_layout.renumber)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..tools import Tool
from .models import ArgumentSource, PlannedCall


@dataclass
class DraftCall:
    call_id: str
    tool: Tool
    arguments: dict[str, ArgumentSource]


def to_planned(call: DraftCall) -> PlannedCall:
    return PlannedCall(call_id=call.call_id, tool=call.tool.name, arguments=call.arguments)


def earlier_values(made: list[DraftCall]) -> list[tuple[Tool, dict[str, Any]]]:
    """Each earlier call's tool with the values it was given (the user's and defaults)."""
    return [(c.tool, {n: s.value for n, s in c.arguments.items() if s.kind in ("user", "default")}) for c in made]


def user_values(turns: list[list[DraftCall]]) -> list[Any]:
    """Every value the user states for these calls."""
    return [source.value for calls in turns for call in calls for source in call.arguments.values()
            if source.kind == "user"]
