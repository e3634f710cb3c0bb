"""The `auto` executor: execute where an installed environment can, simulate where none can.

Decided per dialogue, from its plan (`begin_dialogue`): when every planned call is a tool that maps to an
installed Python environment (`python_env.environment_of`: BFCL's classes, with bfcl-eval installed), the
dialogue runs on the `python` executor; otherwise the whole dialogue is simulated. Whole dialogues, not
single calls: a simulated result that a later environment call reads (a file name, a user id) is one the
environment's initial state was never made for, and the call would fail. Without bfcl-eval every dialogue is
simulated, so `auto` works offline with nothing installed, and its dialogues are the simulated executor's,
byte for byte (which is why it can be the default). The dialogue's `executor` names the executor that ran it
(`python` or `simulated`), and each tool message's `executions` entry who produced it (`python:<Class>` or
`simulated`), as with the executors it delegates to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..tools import Tool
from . import python_env
from .protocol import Executor, ExecutorSession, PlannedCallView, Readers, ToolOutcome
from .simulated import SimulatedExecutor

NAME = "auto"


@dataclass
class AutoCounts:
    environments: Any = None  # the python executor, whose counts (calls executed, errors...) are added
    executed_dialogues: int = 0  # dialogues whose planned tools all run on an installed environment
    simulated_dialogues: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"executed_dialogues": self.executed_dialogues, "simulated_dialogues": self.simulated_dialogues,
                **(self.environments.counts.as_dict() if self.environments is not None else {})}


@dataclass
class AutoExecutor:
    simulated: Executor = field(default_factory=SimulatedExecutor)
    name: str = NAME

    def __post_init__(self) -> None:
        # None without bfcl-eval: then every dialogue is simulated
        self.environments = python_env.PythonEnvExecutor(fallback=self.simulated) if python_env.available() else None
        self.counts = AutoCounts(self.environments)

    def session(self, seed: int) -> "AutoSession":
        return AutoSession(self, seed)


class AutoSession:
    def __init__(self, executor: AutoExecutor, seed: int) -> None:
        self.executor = executor
        self.seed = seed
        self.inner: ExecutorSession | None = None

        self.executor_name: str | None = None  # who runs this dialogue: python or simulated (protocol.dialogue_executor)

    def _choose(self, tools: Sequence[Tool | None]) -> ExecutorSession:
        environments = self.executor.environments
        runs = environments is not None and bool(tools) and all(
            tool is not None and python_env.environment_of(tool) is not None for tool in tools)
        if runs:
            self.executor.counts.executed_dialogues += 1
            self.executor_name = environments.name
            return environments.session(self.seed)
        self.executor.counts.simulated_dialogues += 1
        self.executor_name = self.executor.simulated.name
        return self.executor.simulated.session(self.seed)

    def begin_dialogue(self, calls: Sequence[PlannedCallView], tools: Mapping[str, Tool]) -> None:
        """The plan decides: every planned tool has an environment, or the dialogue is simulated."""
        self.inner = self._choose([tools.get(call.tool) for call in calls])
        hook = getattr(self.inner, "begin_dialogue", None)
        if hook is not None:
            hook(calls, tools)

    def execute(self, name: str, arguments: Mapping[str, Any], tool: Tool,
                needed: Mapping[str, Readers] | None = None) -> ToolOutcome:
        if self.inner is None:  # no plan shown: the first call decides
            self.inner = self._choose([tool])
        return self.inner.execute(name, arguments, tool, needed)

