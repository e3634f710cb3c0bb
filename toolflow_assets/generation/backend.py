"""One interface over the two generation backends: `offline` (deterministic, no model) and `openai`.

A generator works a batch at a time so the LLM backend can run requests concurrently; every item comes
back as a result (success or recorded failure), never an exception that would fail the batch.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence

from ..planning.models import DialoguePlan, PlanResult
from ..tools import Tool
from .models import Dialogue


class DialogueGenerator(Protocol):
    backend: str
    model: str
    prompt_version: str

    def plan_many(self, samples: Sequence[dict[str, Any]], tools: dict[str, Tool], seed: int) -> list[PlanResult]:
        """One `PlanResult` per sample row (a `tool_subgraphs` row as a dict), in the same order."""
        ...

    def generate_many(self, plans: Sequence[DialoguePlan], tools: dict[str, Tool], seed: int) -> list[Dialogue]:
        """One `Dialogue` per plan (status `failed` with `error` when it could not be generated), in order."""
        ...

    def usage(self) -> dict[str, int]:
        """Tokens and requests spent so far (zeros for offline)."""
        ...

    def capabilities(self) -> dict[str, str]:
        """What the server accepted (structured-output mode, rejected modes, prose seen); empty offline."""
        ...


def make_generator(backend: str, model: str, **options: Any) -> DialogueGenerator:
    if backend == "offline":
        from .offline import OfflineGenerator

        return OfflineGenerator()
    if backend == "openai":
        from .llm_generator import LLMGenerator

        return LLMGenerator(model=model, **options)
    raise ValueError(f"unknown LLM backend {backend!r}: use 'offline' or 'openai' (TOOLFLOW_LLM_BACKEND)")
