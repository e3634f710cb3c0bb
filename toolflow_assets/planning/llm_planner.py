"""The `llm` planner: one structured-output request per sample to any OpenAI-compatible chat server.

The request carries the sample as data and asks for the plan draft schema (llm_prompts); the answer is
validated into a `DialoguePlan`, and an invalid one goes back to the model with what is wrong, up to the
client's repair budget. A sample that still yields no plan is a failed `PlanResult` with the reason and
the raw output: one bad item never fails the batch.

Each sample runs as its own coroutine; all share the client's concurrency limit, rate limit and cache,
so a rerun after a crash asks only for what it has not been answered yet.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Mapping, Sequence

from ..llm.client import LLMCallError, LLMClient, Usage  # the transport all LLM roles share
from ..tools import Tool, derive_seed
from .llm_prompts import plan_draft_schema, plan_from_draft, planner_messages, target_turns
from .models import PlanResult
from .samples import CatalogIndex, plan_id_for, sample_view

log = logging.getLogger("toolflow.llm")


class LLMPlanner:
    """`Planner` over an `LLMClient` (llm/client.py); the client may be shared with the
    dialogue writer, so one run negotiates the server's dialect once and counts all its requests."""

    name = "llm"

    def __init__(self, client: LLMClient) -> None:
        self.client = client
        self.model = client.settings.model

    def plan_many(self, samples: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], seed: int) -> list[PlanResult]:
        index = CatalogIndex(tools)

        async def all_plans() -> list[PlanResult]:
            return list(await asyncio.gather(*(self.plan_one(row, index, seed) for row in samples)))

        results = self.client.run(all_plans)
        good = sum(r.plan is not None for r in results)
        usage = self.client.usage()
        log.info("llm planner: %d/%d plans ok; %d HTTP requests, %d cache hits, %d retries, %d repairs; %s",
                 good, len(results), usage["http_requests"], usage["cache_hits"], usage["retries"],
                 usage["repairs"], self.client.capabilities().get("structured_output"))
        return results

    async def plan_one(self, row: Mapping[str, Any], index: CatalogIndex, seed: int) -> PlanResult:
        sample_id, strategy = str(row.get("sample_id") or ""), str(row.get("strategy") or "")
        usage = Usage()
        try:
            sample = sample_view(row, index)
            item_seed = derive_seed(seed, sample.sample_id, sample.seed)
            plan_id = plan_id_for(sample.sample_id, seed)
            plan = await self.client.structured(
                planner_messages(sample, target_turns(item_seed)),
                plan_draft_schema(sample.tool_names),
                "dialogue_plan",
                lambda draft: plan_from_draft(draft, sample, plan_id),
                usage,
                strict=True,
                extra={"seed": item_seed},
            )
            return PlanResult(sample_id=sample_id, strategy=strategy, plan=plan, usage=usage.as_dict())
        except LLMCallError as error:
            return PlanResult(sample_id=sample_id, strategy=strategy, error=self.client.redact(str(error)),
                              raw_output=error.raw_output, usage=usage.as_dict())
        except Exception as error:  # noqa: BLE001 - one bad item never fails the batch
            reason = "bad_sample" if isinstance(error, ValueError) else "internal_error"
            return PlanResult(sample_id=sample_id, strategy=strategy, usage=usage.as_dict(),
                              error=self.client.redact(f"{reason}: {type(error).__name__}: {error}"))

    def usage(self) -> dict[str, int]:
        return self.client.usage()

    def capabilities(self) -> dict[str, str]:
        return self.client.capabilities()
