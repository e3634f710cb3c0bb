"""The executor role: who produces each tool result of a dialogue.

An `Executor` opens one `ExecutorSession` per dialogue (state lives there: created entities, a server
connection, an environment instance), and the session answers each call with a `ToolOutcome`: the result
(or a tool error shaped like a real API's, `{"error": {...}}`) and which executor produced it. The
outcome says whether it is an error or an empty result, so the writer can make the assistant react and
the quality stage can tell a tool error from a result that breaks its schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping, Protocol, Sequence

from ..tools import Tool

OUTCOME_STATUS = Literal["ok", "error", "empty"]

# a reader of an output field: (parameter name, parameter schema) of a later call that reads it
Readers = Sequence[tuple[str, Any]]


@dataclass(frozen=True)
class ToolOutcome:
    result: Any
    executor: str
    status: OUTCOME_STATUS = "ok"
    # more for the dialogue's record of this call (a Python environment's class, method and initial state)
    details: Mapping[str, Any] | None = None

    @property
    def is_error(self) -> bool:
        return self.status == "error"

    def provenance(self, tool_call_id: str, name: str) -> dict[str, Any]:
        """What the dialogue's metadata records for the tool message answering `tool_call_id`."""
        return {"tool_call_id": tool_call_id, "name": name, "executor": self.executor, "status": self.status,
                **(self.details or {})}


class ExecutorSession(Protocol):
    def execute(self, name: str, arguments: Mapping[str, Any], tool: Tool,
                needed: Mapping[str, Readers] | None = None) -> ToolOutcome:
        """Run one call. `needed`: output paths later calls of the dialogue read, each with its readers;
        the result must hold a value at each that every reader accepts (so it never fails with an error)."""
        ...


class Executor(Protocol):
    name: str

    def session(self, seed: int) -> ExecutorSession:
        """Per-dialogue state, seeded from the dialogue's seed."""
        ...


@dataclass(frozen=True)
class PlannedCallView:
    """A planned call as an executor sees it before the dialogue: the tool, the arguments whose values are
    known then (the user's words, defaults), and the ones read from an earlier call's output, as (index of
    that call in the dialogue's list, output field)."""

    tool: str
    arguments: Mapping[str, Any]
    reads: Mapping[str, tuple[int, str]]


def begin_dialogue(session: ExecutorSession, plan: Any, tools: Mapping[str, Tool],
                   messages: Sequence[Mapping[str, Any]] | None = None) -> None:
    """Show a session the dialogue's planned calls, in order, before the first one runs, when it wants them
    (an optional `begin_dialogue(calls, tools)` method taking `PlannedCallView`s: the `python` executor builds
    each environment's initial state so that the planned calls find their files and ids), and the dialogue's
    messages as they are written (an optional `follow_conversation(messages)`: the writer's own list, read at
    each call, so the `llm` executor's tool agent sees what was said so far)."""
    follow = getattr(session, "follow_conversation", None)
    if follow is not None and messages is not None:
        follow(messages)
    hook = getattr(session, "begin_dialogue", None)
    if hook is None:
        return
    calls = [call for turn in plan.turns for call in turn.calls]
    position = {call.call_id: i for i, call in enumerate(calls)}
    hook([PlannedCallView(call.tool,
                          {name: s.value for name, s in call.arguments.items() if s.kind != "tool_output"},
                          {name: (position[s.call_id], s.field) for name, s in call.arguments.items()
                           if s.kind == "tool_output" and s.call_id in position and s.field})
          for call in calls], tools)


def dialogue_executor(session: ExecutorSession, executor: Executor) -> str:
    """Who produced a dialogue's results, for its `executor` column: the executor, or the one a choosing
    executor handed the dialogue to (`auto` runs each dialogue whole on `python` or `simulated`; an optional
    `executor_name` on the session says which)."""
    return getattr(session, "executor_name", None) or executor.name


def error_result(code: int, kind: str, message: str, retryable: bool) -> dict[str, Any]:
    """A tool error as real APIs send it: an `error` object with an HTTP-like code, a machine-readable
    type, a sentence for people, and whether trying again may help."""
    return {"error": {"code": code, "type": kind, "message": message, "retryable": retryable}}


def is_error_result(result: Any) -> bool:
    """The one rule for "this tool message is an error" (the executors, the writer, the checks and the
    report all use it): a JSON object whose only key is `error` (or `errors`), holding an object, a list
    or a non-empty message. A success result that merely has an `error` field among others is not one."""
    if not isinstance(result, dict) or len(result) != 1:
        return False
    key, value = next(iter(result.items()))
    return key in ("error", "errors") and (isinstance(value, (dict, list)) or (isinstance(value, str) and bool(value.strip())))


# An `executions` entry's `calculation` when a call is plainly a calculation that no formula answered: the
# simulated executor made its number up (compute.is_calculation; the entry says `computed` otherwise).
UNCOMPUTED = "uncomputed"


def invented_calculations(executions: Sequence[Any]) -> int:
    """Calls of a dialogue whose result is a made-up number for a calculation (see UNCOMPUTED): a model
    trained on them learns to relay a wrong answer, so curation leaves such dialogues out by default."""
    return sum(1 for entry in executions if isinstance(entry, Mapping) and entry.get("calculation") == UNCOMPUTED)
