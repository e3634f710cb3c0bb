"""Failures real services give for reasons outside the call: the rule the simulated and the Python environment
sessions inject them by (the llm executor and live MCP servers give only their own).

About a tenth of dialogues get one failed call, so the data teaches an assistant to retry or explain. Only on a
call no later call reads (its output never feeds anything), and only transient kinds where the call itself
was fine (unavailable, rate-limited, timed out); a session may add a "not found" where its own state allows it.
A Python environment's session injects them too, on a call that changes nothing (a failed `cd` would leave the
calls after it in the wrong folder), without calling the class, and shares one budget with its fallback: the
BFCL file system and calculator had no failed call in their data otherwise.
"""

from __future__ import annotations

import random
from typing import Sequence

from ..tools import Tool
from ..values import humanize
from .protocol import error_result
from .verbs import noun_of

ERROR_RATE = 0.14  # share of dialogues that get one: calls whose output feeds a later call never fail


def fault_budget(rng: random.Random, rate: float = ERROR_RATE) -> int:
    """How many failures a dialogue's session will inject (0 or 1), drawn once per session."""
    return 1 if rng.random() < rate else 0


def transient_failures(tool: Tool) -> list[tuple[int, str, str, bool]]:
    """(code, type, message, retryable) of the failures outside the call that `tool` may give."""
    return [(503, "service_unavailable", "The service is temporarily unavailable. Please try again shortly.", True),
            (429, "rate_limited", "Too many requests in a short time. Wait a few seconds and retry.", True),
            (504, "timeout", f"The {humanize(noun_of(tool) or 'service')} service did not answer in time.", True)]


def failure_result(choices: Sequence[tuple[int, str, str, bool]], rng: random.Random) -> dict:
    code, kind, message, retryable = rng.choice(list(choices))
    return error_result(code, kind, message, retryable)
