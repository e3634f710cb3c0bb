"""One interface over the two generation backends: `offline` (deterministic, no model) and `openai`.

A generator writes dialogues for plans, whichever planner made them: the planner is a role of its own
(planning/planner.py, `toolflow run --planner`). `plan_many` stays on a generator as its backend's default
planner (offline: the offline planner; openai: the llm planner over the same client), for callers that
run one backend alone (tests, benchmarks); the pipeline's `dialogue_plans` asset uses the planner role.

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
        """One `PlanResult` per sample row (a `tool_subgraphs` row as a dict), in the same order: the
        backend's default planner (the pipeline plans with the planner role instead)."""
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


OPENAI_EXECUTORS = ("llm", "simulated", "auto")  # executors the openai backend's dialogues run on (auto: llm)


def make_generator(backend: str, model: str, writer: str = "template", **options: Any) -> DialogueGenerator:
    """`writer`: who writes the user and assistant texts: `template` (the backend's own writer), `llm`
    (the offline plan and template dialogue, its texts rewritten by the model; see llm_writer) or `agent`
    (the model decides its own calls, compared with the plan afterwards; see agent_writer). `executor`
    (an `Executor`, execution/): who produces tool results; None is the simulated one (the openai backend's:
    the llm executor over its client)."""
    executor = options.pop("executor", None)
    if writer == "llm":
        if backend != "offline":
            raise ValueError("the llm writer rewrites the offline planner's dialogues: use it with backend "
                             "offline (the openai backend writes with its own user and assistant agents)")
        from .llm_writer import LLMWriterGenerator

        return LLMWriterGenerator(model=model, executor=executor, **options)
    if writer == "agent":
        # the paper's mode: the model picks its own calls on any planner's plans, run by any executor, and
        # they are compared with the plan afterwards (`plan_check`, handed in by the resource)
        from .agent_writer import AgentWriterGenerator

        return AgentWriterGenerator(model=model, backend=backend, executor=executor, **options)
    if writer != "template":
        raise ValueError(f"unknown writer {writer!r}: use 'template', 'llm' or 'agent' (TOOLFLOW_WRITER)")
    if backend == "offline":
        from .offline import OfflineGenerator

        return OfflineGenerator(executor=executor)
    if backend == "openai":
        # Its results come from the executor role: the llm executor (`--executor llm`, and `auto`, the default,
        # names no other) over the generator's client, or `simulated`; executors that run real tools (mcp,
        # python) need the offline writer's dialogue loop, which the openai backend's agents do not go through.
        if executor is not None and executor.name not in OPENAI_EXECUTORS:
            raise ValueError(f"the {executor.name} executor runs the offline planner's calls: use it with backend "
                             "offline (the openai backend's results come from the llm or simulated executor)")
        if executor is not None and executor.name == "auto":
            executor = None  # the generator's own llm executor
        if getattr(executor, "client", None) is not None:
            options.setdefault("client", executor.client)  # one client: the executor asks inside its session
        from .llm_generator import LLMGenerator

        return LLMGenerator(model=model, executor=executor, **options)
    raise ValueError(f"unknown LLM backend {backend!r}: use 'offline' or 'openai' (TOOLFLOW_LLM_BACKEND)")
