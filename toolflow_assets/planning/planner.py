"""The planner role: who turns a tool subgraph into a `DialoguePlan`, chosen independently of who writes
the dialogue's text (generation/) and who produces its tool results (execution/).

`offline` (deterministic from the seed, no model: offline_planner.py) and `llm` (a model over any
OpenAI-compatible server: llm_planner.py). Both read samples with the one parser of samples.py, give
plans the ids of samples.plan_id_for and keep to the turn range of models.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Protocol, Sequence

from ..tools import Tool
from .models import PlanResult
from .offline_planner import OfflinePlanner, PlannerConfig

PLANNERS = ("offline", "llm")
OFFLINE_MODEL = "toolflow-offline"


class Planner(Protocol):
    name: str  # offline | llm: shown in the plans asset's metadata
    model: str

    def plan_many(self, samples: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], seed: int) -> list[PlanResult]:
        """One `PlanResult` per sample row (a `tool_subgraphs` row as a dict), in the same order; a sample
        that yields no plan is a result with `error` (and the raw model output, where there is one)."""
        ...

    def usage(self) -> dict[str, int]:
        """Requests and tokens spent so far (empty offline)."""
        ...

    def capabilities(self) -> dict[str, str]:
        """What the server accepted (structured-output mode, refusals); empty offline."""
        ...


class OfflinePlanning:
    """The offline planner as a `Planner`."""

    name = "offline"
    model = OFFLINE_MODEL

    def __init__(self, config: PlannerConfig | None = None) -> None:
        self.planner = OfflinePlanner(config)

    def plan_many(self, samples: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], seed: int) -> list[PlanResult]:
        return self.planner.plan_many(samples, tools, seed)

    def usage(self) -> dict[str, int]:
        return {}

    def capabilities(self) -> dict[str, str]:
        return {}


def make_planner(name: str, client: Any = None, config: PlannerConfig | None = None) -> Planner:
    """The named planner; `llm` needs `client` (an `LLMClient`, which the LLM resource builds)."""
    if name == "offline":
        return OfflinePlanning(config)
    if name == "llm":
        if client is None:
            raise ValueError("the llm planner needs an LLM client (a server: --base-url or $OPENAI_BASE_URL)")
        from .llm_planner import LLMPlanner

        return LLMPlanner(client)
    raise ValueError(f"unknown planner {name!r}: use one of {', '.join(PLANNERS)} (TOOLFLOW_PLANNER)")
