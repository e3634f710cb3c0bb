"""The `openai` generation backend: dialogues written by LLM agents on any OpenAI-compatible chat server.

Its plans come from the llm planner (planning/llm_planner.py) over the same client: `plan_many` is kept
here so that the backend still plans and writes alone, but the planner is a role of its own
(`toolflow run --planner`), and any planner's plans can be written here.

Dialogue, turn by turn, for each plan turn:
  1. user agent: voices the turn's intent, stating the values the plan says the user gives;
  2. assistant agent: the `tools` parameter carries the offered tools; it is told (in its system message,
     as data) which calls are due now and with which values, including values read from earlier tool
     results; a prose answer where calls are due, an unknown tool or invalid arguments get a retry
     with a note, then fail that one item;
  3. the executor role (execution/) answers each call, one session per dialogue: by default the llm
     executor over this client (execution/llm.py: its tool agent sees the conversation and every earlier
     result; the answer is held to the return schema, the call's arguments and the fields later calls read,
     repaired once, else made to agree by the simulated executor and labelled `fallback`). The calls of one
     assistant message run in order, so each sees the results before it;
  4. the assistant's final answer from the results (or its reply to a chat turn).

Each item runs as its own coroutine; requests of all items share the client's concurrency limit,
rate limit and cache. Any failure of one item becomes that item's row (a tool result whose request failed
too: `llm_request_failed`); the batch always completes.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..execution import SimulationError
from ..execution.llm import LLMExecutor
from ..execution.protocol import Executor, ToolOutcome, begin_dialogue, dialogue_executor
from ..planning.llm_planner import LLMPlanner
from ..planning.models import DialoguePlan, PlannedCall, PlanResult
from ..planning.samples import dialogue_id_for
from ..tools import Tool, canonical_json, derive_seed
from ..llm.client import ChatResult, LLMCallError, LLMClient, LLMSettings, Usage
from .models import Dialogue, Provenance
from .offline import planned_consumers
from .prompt_builders import (
    PendingCall,
    assistant_agent_messages,
    call_problems,
    clean_user_text,
    dialogue_system_prompt,
    missing_values,
    parse_prompted_tool_calls,
    prompt_tool_messages,
    resolve_call,
    tool_message,
    tools_by_name,
    user_agent_messages,
    values_to_mention,
)
from .prompts import prompt_set_version

log = logging.getLogger("toolflow.llm")

BACKEND = "openai"


class ItemFailure(Exception):
    """One item cannot be completed; `reason` is a short code for the failure summary."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass
class _DialogueState:
    plan: DialoguePlan
    tools: dict[str, Tool]  # offered tools by name
    openai_tools: list[dict[str, Any]]
    seed: int
    session: Any  # the executor's session for this dialogue (execution/protocol.py)
    usage: Usage = field(default_factory=Usage)
    messages: list[dict[str, Any]] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)  # call id -> tool result
    called: dict[str, str] = field(default_factory=dict)  # call id -> tool name
    # call id -> output field -> (parameter, schema) of each later call that reads it
    consumers: dict[str, dict[str, list[tuple[str, Any]]]] = field(default_factory=dict)
    executions: list[dict[str, Any]] = field(default_factory=list)  # per tool message: who produced it, status


class LLMGenerator:
    """`DialogueGenerator` over an OpenAI-compatible server (see toolflow_assets.generation.backend)."""

    backend = BACKEND

    def __init__(
        self,
        model: str,
        base_url: str = "",
        temperature: float = 0.7,
        max_tokens: int = 1024,
        timeout_seconds: float = 60.0,
        max_retries: int = 4,
        concurrency: int = 16,
        cache_dir: str | None = None,
        requests_per_minute: float = 0.0,
        tokens_per_minute: float = 0.0,
        max_repairs: int = 2,
        max_turn_retries: int = 2,
        backoff_base_seconds: float = 0.5,
        backoff_max_seconds: float = 30.0,
        client: LLMClient | None = None,
        executor: Executor | None = None,
    ) -> None:
        self.model = model
        self.prompt_version = prompt_set_version()
        self.max_turn_retries = max_turn_retries
        # the LLM resource hands in its client (key and settings bound there); built here otherwise
        self.client = client or LLMClient(LLMSettings(
            model=model, base_url=base_url, temperature=temperature, max_tokens=max_tokens,
            timeout_seconds=timeout_seconds, max_retries=max_retries, concurrency=concurrency,
            requests_per_minute=requests_per_minute, tokens_per_minute=tokens_per_minute,
            max_repairs=max_repairs, backoff_base_seconds=backoff_base_seconds,
            backoff_max_seconds=backoff_max_seconds, cache_dir=cache_dir or None,
        ))
        # Tool results come from the executor role: the llm executor over this client by default (one
        # negotiation, one cache, one set of counters). An llm executor awaits its requests inside this
        # generator's client session, so it must be this client's.
        self.executor: Executor = executor or LLMExecutor(self.client)
        if getattr(self.executor, "client", self.client) is not self.client:
            raise ValueError("the openai backend's llm executor must use the generator's LLM client")
        self.items_failed = 0
        self.items_ok = 0

    @property
    def tools_mode(self) -> str:
        """How tools reach the model: `native` (the tools parameter) or `prompt` (negotiated by the client)."""
        return self.client.tools.in_use()

    # ------------------------------------------------------------------------------ the protocol

    def plan_many(self, samples: Sequence[dict[str, Any]], tools: dict[str, Tool], seed: int) -> list[PlanResult]:
        """The llm planner's plans, over this generator's client (one negotiation, one set of counters)."""
        results = LLMPlanner(self.client).plan_many(samples, tools, seed)
        good = sum(r.plan is not None for r in results)
        self.items_ok += good
        self.items_failed += len(results) - good
        return results

    def generate_many(self, plans: Sequence[DialoguePlan], tools: dict[str, Tool], seed: int) -> list[Dialogue]:
        async def all_dialogues() -> list[Dialogue]:
            return list(await asyncio.gather(*(self._dialogue_one(plan, tools, seed) for plan in plans)))

        dialogues = self.client.run(all_dialogues)
        self._log_batch("dialogues", [d.status == "ok" for d in dialogues])
        return dialogues

    def usage(self) -> dict[str, int]:
        return {**self.client.usage(), "items_ok": self.items_ok, "items_failed": self.items_failed}

    def capabilities(self) -> dict[str, str]:
        """What the server accepted (structured-output mode, rejected modes, prose answers seen)."""
        return self.client.capabilities()

    def _log_batch(self, what: str, ok: list[bool]) -> None:
        good = sum(ok)
        self.items_ok += good
        self.items_failed += len(ok) - good
        usage = self.client.usage()
        log.info("openai backend: %d/%d %s ok; %d HTTP requests, %d cache hits, %d retries, %d repairs; %s",
                 good, len(ok), what, usage["http_requests"], usage["cache_hits"], usage["retries"],
                 usage["repairs"], self.client.capabilities().get("structured_output"))

    # --------------------------------------------------------------------------------- dialogues

    async def _dialogue_one(self, plan: DialoguePlan, tools: dict[str, Tool], seed: int) -> Dialogue:
        item_seed = derive_seed(seed, plan.plan_id)
        catalog = tools_by_name(tools)
        offered = {name: catalog[name] for name in plan.tools if name in catalog}
        state = _DialogueState(
            plan=plan, tools=offered, openai_tools=[t.to_openai() for t in offered.values()], seed=item_seed,
            session=self.executor.session(item_seed),
            messages=[{"role": "system", "content": dialogue_system_prompt()}],
        )
        error: str | None = None
        try:
            missing = [name for name in plan.tools if name not in catalog]
            if missing:
                raise ItemFailure("unknown_tool", f"the plan offers tools missing from the catalog: {missing}")
            state.consumers = planned_consumers(plan, offered)
            begin_dialogue(state.session, plan, offered, state.messages)  # the llm executor reads the messages
            for index, turn in enumerate(plan.turns):
                await self._user_turn(state, index)
                if turn.needs_tools:
                    await self._tool_turn(state, index)
                else:
                    await self._chat_turn(state, index)
        except (ItemFailure, LLMCallError, SimulationError) as failure:  # an executor's failed call: its reason
            error = str(failure)
        except Exception as failure:  # noqa: BLE001 - one bad item never fails the batch
            error = f"internal_error: {type(failure).__name__}: {failure}"
        return Dialogue(
            dialogue_id=dialogue_id_for(plan.plan_id, BACKEND, self.model, seed),
            plan_id=plan.plan_id,
            sample_id=plan.sample_id,
            strategy=plan.strategy,
            messages=state.messages,
            tools=state.openai_tools,
            provenance=Provenance(backend=BACKEND, model=self.model, prompt_version=self.prompt_version,
                                  seed=item_seed, executor=dialogue_executor(state.session, self.executor),
                                  usage=_with_executor_usage(state.usage, state.session)),
            status="ok" if error is None else "failed",
            error=self.client.redact(error),
            executions=state.executions,
        )

    async def _user_turn(self, state: _DialogueState, index: int) -> None:
        values = values_to_mention(state.plan.turns[index])
        missing: list[str] = []
        text = ""
        keys: list[str] = []
        for attempt in range(self.max_turn_retries + 1):
            request = user_agent_messages(state.plan, index, state.messages, missing)
            # A new seed per attempt: an empty answer is not asked for again with the same request.
            result = await self.client.chat({"messages": request, "seed": state.seed + attempt})
            state.usage.add(result.usage)
            keys.append(result.key)
            text = clean_user_text(result.content)
            missing = missing_values(text, values) if text else []
            if text and not missing:
                break
        if not text:
            self.client.forget(keys)  # empty answers are not final: a rerun asks again
            raise ItemFailure("empty_reply", f"the user agent gave no message for turn {index + 1}")
        # Values still missing after the retries are left to the grounding check, which sees the text.
        state.messages.append({"role": "user", "content": text})

    async def _chat_turn(self, state: _DialogueState, index: int) -> None:
        message, _ = await self._assistant_step(state, index, "chat", [])
        state.messages.append({"role": "assistant", "content": message.get("content")})

    async def _tool_turn(self, state: _DialogueState, index: int) -> None:
        turn = state.plan.turns[index]
        pending: list[PlannedCall] = list(turn.calls)
        extra = 0
        for _step in range(len(turn.calls) + 2):
            if not pending:
                message, _ = await self._assistant_step(state, index, "answer", [])
                state.messages.append({"role": "assistant", "content": message.get("content")})
                return
            ready = [resolve_call(call, state.results, state.called) for call in pending
                     if all(s.kind != "tool_output" or s.call_id in state.results for s in call.arguments.values())]
            message, made = await self._assistant_step(state, index, "call_tools", ready)
            ready_ids = {p.call.call_id for p in ready}
            calls: list[tuple[str, str, dict[str, Any]]] = []  # (call id, tool, arguments)
            for call in made:
                planned = next((c for c in pending if c.tool == call["name"] and c.call_id in ready_ids), None) \
                    or next((c for c in pending if c.tool == call["name"]), None)
                if planned is not None:
                    pending.remove(planned)
                    call_id = planned.call_id
                else:
                    extra += 1
                    call_id = f"t{index + 1}x{extra}"
                calls.append((call_id, call["name"], call["arguments"]))
            state.messages.append({
                "role": "assistant",
                "content": message.get("content") or None,
                "tool_calls": [{"id": f"call_{cid}", "type": "function",
                                "function": {"name": name, "arguments": canonical_json(args)}}
                               for cid, name, args in calls],
            })
            # one call at a time: the executor's request for each shows the results before it
            for cid, name, args in calls:
                outcome = await self._tool_result(state, cid, name, args)
                state.results[cid] = outcome.result
                state.called[cid] = name
                state.messages.append(tool_message(f"call_{cid}", name, outcome.result))
                state.executions.append(outcome.provenance(f"call_{cid}", name))
        raise ItemFailure("unfinished_turn", f"turn {index + 1}: the assistant did not finish its planned calls "
                          f"({', '.join(c.tool for c in pending) or 'its answer'} still due)")

    async def _assistant_step(self, state: _DialogueState, index: int, step: str,
                              ready: list[PendingCall]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """One assistant message of the right kind (calls when calls are due, text otherwise), retried with
        a note when the model answers otherwise. Returns (message, parsed calls)."""
        intent = state.plan.turns[index].intent
        nudge: tuple[str, dict[str, Any]] | None = None
        failure = ("", "")
        failed_keys: list[str] = []  # every attempt below that returns nothing was a failed answer
        for attempt in range(self.max_turn_retries + 1):
            request = assistant_agent_messages(state.messages, step, intent, ready, nudge)
            result = await self._assistant_chat(state, request)
            state.usage.add(result.usage)
            failed_keys.append(result.key)
            retry = {"attempt": attempt + 1}
            if step == "call_tools":
                if not result.tool_calls:
                    self.client.note("prose_instead_of_tool_calls",
                                     "the model answered a tools request with prose; retrying such turns")
                    failure = ("prose_instead_of_tool_calls",
                               f"turn {index + 1}: the assistant answered with text instead of calling "
                               f"{', '.join(p.call.tool for p in ready)}: {result.content[:200]!r}")
                    nudge = ("nudge_call", retry)
                    continue
                made, problems = call_problems(result.tool_calls, state.tools)
                if problems:
                    failure = ("invalid_tool_call", f"turn {index + 1}: {'; '.join(problems)[:400]}")
                    nudge = ("nudge_fix", {**retry, "problems": "; ".join(problems)[:600]})
                    continue
                return result.message, made
            if result.tool_calls:
                failure = ("unexpected_tool_calls", f"turn {index + 1}: the assistant called "
                           f"{', '.join(c['function']['name'] for c in result.tool_calls)} where it should answer")
                nudge = ("nudge_text", retry)
                continue
            if not result.content.strip():
                failure = ("empty_reply", f"turn {index + 1}: the assistant's reply was empty")
                nudge = ("nudge_empty", retry)
                continue
            return result.message, []
        self.client.forget(failed_keys)  # not final: a rerun against a healthy server asks again
        raise ItemFailure(failure[0], f"{failure[1]} (after {self.max_turn_retries + 1} attempts)")

    async def _assistant_chat(self, state: _DialogueState, request: list[dict[str, Any]]) -> ChatResult:
        """The assistant agent's request through the `tools` parameter, or, where the server refuses that
        parameter, with the functions in the prompt and calls parsed from the JSON answer (the client
        negotiates which, once per run)."""
        native = {"messages": request, "tools": state.openai_tools, "seed": state.seed}
        prompted = {"messages": prompt_tool_messages(request, state.openai_tools), "seed": state.seed}
        return await self.client.chat_with_tools(native, prompted, parse_prompted_tool_calls)

    async def _tool_result(self, state: _DialogueState, call_id: str, name: str,
                           arguments: dict[str, Any]) -> ToolOutcome:
        """The session's outcome for one call; `needed`: the output fields later planned calls read."""
        needed = state.consumers.get(call_id, {})
        answer = getattr(state.session, "execute_async", None)
        if answer is not None:
            return await answer(name, arguments, state.tools[name], needed)
        return state.session.execute(name, arguments, state.tools[name], needed)  # simulated: no I/O to await


def _with_executor_usage(usage: Usage, session: Any) -> dict[str, int]:
    """The dialogue's requests and tokens: its agents' and its executor session's (the llm executor's)."""
    spent = Usage()
    spent.merge(usage)
    executor_usage = getattr(session, "usage", None)
    if isinstance(executor_usage, Usage):
        spent.merge(executor_usage)
    return spent.as_dict()
