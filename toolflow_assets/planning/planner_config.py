"""The probabilities that shape the offline planner's plans (planning/offline_planner.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlannerConfig:
    """Probabilities that shape plans; the defaults give ≈3–4 user turns and ≈3 calls per plan."""

    greeting: float = 0.25
    thanks: float = 0.45
    follow_up: float = 0.3
    small_talk: float = 0.05
    out_of_scope: float = 0.12  # the user asks for something no offered tool does; the assistant declines
    clarification: float = 0.25
    repeat_call: float = 0.35  # a later turn repeats a call with another value ("and for Berlin?")
    parallel_call: float = 0.15  # a turn calls the same tool twice with different values
    optional_user: float = 0.25  # an optional parameter without a default is stated by the user
    optional_default: float = 0.15  # an optional parameter with a default is passed explicitly
    turn_sizes: tuple[float, float, float] = (0.55, 0.33, 0.12)  # tool turns of 1, 2, 3 calls
