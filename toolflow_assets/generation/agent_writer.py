"""The `agent` writer: the paper's mode. The assistant model decides its own calls; they are compared with
the plan afterwards.

For each planned user turn the user's words are the template writer's (offline.py voices the plan: its
values, clarifications, chat turns), and the assistant model gets the dialogue so far and the offered
tools (the plan's tools and its distractors) as native `tools`, or in the prompt where the server refuses
that parameter (the client negotiates which, once per run: llm/negotiated.py). It is told nothing of the
plan. Its calls run on the run's executor (any `--executor`), their results go back to it, and it answers
the user in its own words. So the calls are the model's: afterwards the quality stage's plan-adherence
rule (`quality.checks.check_plan_adherence`, handed in as `plan_check` by the resource that wires the
stages, since generation does not import quality) says per turn whether they match the plan's, and the
quality stage fails a dialogue whose calls diverge, with that reason.

The dialogues of a batch advance in rounds: one model request per unfinished dialogue, all concurrent in
one client session, then the executor answers the calls of that round outside the session (a live or an
`llm` executor runs its own requests; one session per client at a time). A dialogue whose request fails
(a server error after the client's retries) or whose model keeps making invalid calls is one failed row.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable, Mapping, Sequence

from ..execution import Executor, SimulatedExecutor, SimulationError
from ..execution.protocol import ExecutorSession, begin_dialogue, dialogue_executor
from ..planning.models import DialoguePlan, PlanResult
from ..planning.offline_planner import CatalogIndex, PlannerConfig
from ..tools import Tool, stable_id
from ..llm.client import ChatResult, LLMCallError, LLMClient, LLMSettings, Usage
from .models import Dialogue, Provenance
from .offline import OfflineGenerator, planned_consumers, whole_numbers  # the template writer's rules for results
from .offline_templates import OFFLINE_PROMPT_VERSION
from .prompt_builders import call_problems, parse_prompted_tool_calls, prompt_tool_messages
from ..llm.templates import PromptTemplate, parse_template

WRITER = "agent"
EXTRA_STEPS = 3  # assistant messages with calls allowed beyond a turn's planned calls (retries, a model's detours)
MAX_RETRIES = 1  # a request answered with invalid calls or nothing is asked again once, with a note


def load_agent_prompt() -> PromptTemplate:
    text = resources.files("toolflow_assets.generation.prompts").joinpath("agent_writer.txt").read_text("utf-8")
    return parse_template("agent_writer", text)


PROMPT = load_agent_prompt()

PlanCheck = Callable[[list[Any], "dict[str, Any] | None"], list[str]]
"""(messages, plan dict) → reasons, `turn N: ...` for a turn's divergence: `quality.checks.check_plan_adherence`."""


class AgentFailure(Exception):
    """One dialogue cannot be completed; `reason` is a short code for the failure summary."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def turn_adherence(messages: Sequence[Mapping[str, Any]], plan: DialoguePlan, plan_check: PlanCheck) -> list[dict[str, Any]]:
    """Per planned turn: the tools the model called, the plan's, and whether they match by the quality
    stage's plan-adherence rule (same tools in order, the plan's values, outputs read where the plan
    reads them); `divergence` holds that rule's reasons for the turn. The rule lists a few reasons and
    counts the rest ("… and 3 more"): turns after the last one it names are then unknown (None), not
    matching."""
    per_turn: dict[int, list[str]] = {}
    overall: list[str] = []
    capped = False
    for reason in plan_check(list(messages), plan.model_dump()):
        found = re.match(r"turn (\d+): ", reason)
        capped = capped or reason.startswith("…")
        if found:
            per_turn.setdefault(int(found.group(1)), []).append(reason)
        elif not reason.startswith("…"):
            overall.append(reason)
    last_named = max(per_turn, default=0)
    made = _calls_per_turn(messages)
    records = []
    for number, turn in enumerate(plan.turns, 1):
        reasons = per_turn.get(number, []) + (overall if number == len(plan.turns) else [])
        matches = None if capped and number > last_named and not reasons else not reasons
        records.append({"turn": number, "calls": made[number - 1] if number <= len(made) else [],
                        "planned": [call.tool for call in turn.calls], "matches_plan": matches,
                        "divergence": "; ".join(reasons)})
    return records


def _calls_per_turn(messages: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    turns: list[list[str]] = []
    for message in messages:
        if message.get("role") == "user":
            turns.append([])
        elif message.get("role") == "assistant" and turns:
            turns[-1].extend(c["function"]["name"] for c in message.get("tool_calls") or [])
    return turns


@dataclass
class _Agent:
    """One dialogue on its way: the conversation so far and where it stands."""

    plan: DialoguePlan
    seed: int
    users: list[str]  # the user's words, one per planned turn
    tools: dict[str, Tool]  # offered, by name
    openai_tools: list[dict[str, Any]]
    session: ExecutorSession
    consumers: dict[str, Any]  # planned call id -> output fields later calls read (with their readers)
    messages: list[dict[str, Any]] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    executions: list[dict[str, Any]] = field(default_factory=list)
    turn: int = 0  # index of the turn under way
    pending: list[Any] = field(default_factory=list)  # the turn's planned calls not yet matched by a call
    steps: int = 0  # assistant messages with calls in this turn
    retry: int = 0
    nudge: str = ""
    failed_keys: list[str] = field(default_factory=list)
    calls_made: int = 0
    matched: dict[str, Any] = field(default_factory=dict)  # tool name -> the planned call last matched
    error: str | None = None
    done: bool = False

    def start_turn(self) -> None:
        self.messages.append({"role": "user", "content": self.users[self.turn]})
        self.pending, self.steps = list(self.plan.turns[self.turn].calls), 0


class AgentWriterGenerator:
    """`DialogueGenerator` (generation/backend.py): writer `agent`, any planner's plans, any executor."""

    writer = WRITER

    def __init__(self, model: str, backend: str = "offline", base_url: str = "", temperature: float = 0.7,
                 max_tokens: int = 1024, timeout_seconds: float = 60.0, max_retries: int = 4, concurrency: int = 16,
                 cache_dir: str | None = None, requests_per_minute: float = 0.0, tokens_per_minute: float = 0.0,
                 max_repairs: int = 2, backoff_base_seconds: float = 0.5, backoff_max_seconds: float = 30.0,
                 client: LLMClient | None = None, executor: Executor | None = None,
                 plan_check: PlanCheck | None = None, planner_config: PlannerConfig | None = None,
                 **_ignored: Any) -> None:
        self.backend = backend  # the dialogue's provenance; the planner is a role of its own
        self.model = model
        self.prompt_version = f"{OFFLINE_PROMPT_VERSION}+{PROMPT.name}@{PROMPT.version}"
        self.plan_check = plan_check
        # The user's words: the template writer's, with simulated results (nothing runs twice on a live executor).
        self.template = OfflineGenerator(planner_config)
        self.executor = executor or SimulatedExecutor()
        self.client = client or LLMClient(LLMSettings(
            model=model, base_url=base_url, temperature=temperature, max_tokens=max_tokens,
            timeout_seconds=timeout_seconds, max_retries=max_retries, concurrency=concurrency,
            requests_per_minute=requests_per_minute, tokens_per_minute=tokens_per_minute, max_repairs=max_repairs,
            backoff_base_seconds=backoff_base_seconds, backoff_max_seconds=backoff_max_seconds,
            cache_dir=cache_dir or None))

    def plan_many(self, samples: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], seed: int) -> list[PlanResult]:
        return self.template.plan_many(samples, tools, seed)

    def usage(self) -> dict[str, int]:
        return self.client.usage()

    def capabilities(self) -> dict[str, str]:
        return self.client.capabilities()

    def generate_many(self, plans: Sequence[DialoguePlan], tools: Mapping[str, Tool], seed: int) -> list[Dialogue]:
        drafts = self.template.generate_many(plans, tools, seed)
        index = CatalogIndex(tools)
        agents: list[_Agent | Dialogue] = [self._start(plan, draft, index, seed) for plan, draft in zip(plans, drafts)]
        while active := [a for a in agents if isinstance(a, _Agent) and not a.done]:
            async def round_of_requests(active: list[_Agent] = active) -> list[ChatResult | Exception]:
                return list(await asyncio.gather(*(self._ask(a) for a in active), return_exceptions=True))

            for agent, answer in zip(active, self.client.run(round_of_requests)):
                self._take(agent, answer)  # the executor runs here, outside the client's session
        return [a if isinstance(a, Dialogue) else self._dialogue(a, seed) for a in agents]

    # ------------------------------------------------------------------------------------ one dialogue

    def _start(self, plan: DialoguePlan, draft: Dialogue, index: CatalogIndex, seed: int) -> _Agent | Dialogue:
        item_seed = draft.provenance.seed
        users = [m["content"] for m in draft.messages if m.get("role") == "user"]
        offered = {name: index.get(name) for name in plan.tools}
        problem = (f"unknown_tool: the plan offers tools missing from the catalog: {[n for n, t in offered.items() if t is None]}"
                   if None in offered.values() else
                   f"no_user_text: the template writer could not voice the plan: {draft.error}" if draft.status != "ok"
                   else f"no_user_text: {len(users)} user messages for {len(plan.turns)} planned turns"
                   if len(users) != len(plan.turns) else None)
        if problem:
            return draft.model_copy(update={
                "dialogue_id": self._dialogue_id(plan, seed), "messages": [], "status": "failed", "error": problem,
                "executions": [], "provenance": draft.provenance.model_copy(update={
                    "backend": self.backend, "model": self.model, "prompt_version": self.prompt_version,
                    "writer": WRITER})})
        tools = {name: tool for name, tool in offered.items() if tool is not None}
        agent = _Agent(plan=plan, seed=item_seed, users=users, tools=tools,
                       openai_tools=[tool.to_openai() for tool in tools.values()],
                       session=self.executor.session(item_seed), consumers=planned_consumers(plan, tools),
                       messages=[{"role": "system", "content": PROMPT.render("system")}])
        try:
            begin_dialogue(agent.session, plan, tools, agent.messages)  # an environment's state made for the plan
        except Exception as error:  # noqa: BLE001 - one dialogue's trouble is its row
            agent.error, agent.done = f"execution_failed: {type(error).__name__}: {error}", True
        agent.start_turn()
        return agent

    async def _ask(self, agent: _Agent) -> ChatResult:
        messages = [dict(m) for m in agent.messages]
        if agent.nudge:
            messages[0]["content"] += "\n\n" + agent.nudge
        native = {"messages": messages, "tools": agent.openai_tools, "seed": agent.seed}
        prompted = {"messages": prompt_tool_messages(messages, agent.openai_tools), "seed": agent.seed}
        return await self.client.chat_with_tools(native, prompted, parse_prompted_tool_calls)

    def _take(self, agent: _Agent, answer: ChatResult | Exception) -> None:
        """Apply one answer: run its calls, or take its text as the turn's reply and start the next turn."""
        try:
            if isinstance(answer, Exception):
                raise answer
            agent.usage.add(answer.usage)
            agent.failed_keys.append(answer.key)
            if answer.tool_calls:
                if not self._calls(agent, answer):
                    return  # asked again with a note
            elif answer.content.strip():
                agent.messages.append({"role": "assistant", "content": answer.content.strip()})
                agent.turn += 1
                agent.done = agent.turn == len(agent.plan.turns)
                if not agent.done:
                    agent.start_turn()
            else:
                self._retry(agent, "empty_reply", f"turn {agent.turn + 1}: the assistant's reply was empty",
                            PROMPT.render("nudge_empty", attempt=agent.retry + 1))
                return
            agent.retry, agent.nudge, agent.failed_keys = 0, "", []
        except (AgentFailure, LLMCallError) as failure:
            agent.error, agent.done = self.client.redact(str(failure)), True
        except Exception as failure:  # noqa: BLE001 - one bad item never fails the batch
            agent.error, agent.done = self.client.redact(f"internal_error: {type(failure).__name__}: {failure}"), True

    def _retry(self, agent: _Agent, reason: str, detail: str, nudge: str) -> None:
        if agent.retry >= MAX_RETRIES:
            self.client.forget(agent.failed_keys)  # not final: a rerun asks again
            raise AgentFailure(reason, f"{detail} (after {agent.retry + 1} attempts)")
        agent.retry += 1
        agent.nudge = nudge

    def _calls(self, agent: _Agent, answer: ChatResult) -> bool:
        """Run a message's calls and add them and their results to the dialogue; False when they cannot be
        made (an unknown function, arguments against the schema): the request is asked again with a note."""
        made, problems = call_problems(answer.tool_calls, agent.tools)
        if problems:
            self._retry(agent, "invalid_tool_call", f"turn {agent.turn + 1}: {'; '.join(problems)[:400]}",
                        PROMPT.render("nudge_fix", problems="; ".join(problems)[:600], attempt=agent.retry + 1))
            return False
        agent.steps += 1
        if agent.steps > len(agent.plan.turns[agent.turn].calls) + EXTRA_STEPS:
            raise AgentFailure("unfinished_turn", f"turn {agent.turn + 1}: the assistant kept calling functions "
                               f"({agent.steps - 1} rounds of calls) without answering")
        calls = []
        for call in made:
            agent.calls_made += 1
            calls.append((f"call_{agent.calls_made:03d}", call["name"], call["arguments"]))
        agent.messages.append({
            "role": "assistant", "content": answer.content.strip() or None,
            "tool_calls": [{"id": cid, "type": "function",
                            "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)}}
                           for cid, name, args in calls]})
        for cid, name, arguments in calls:
            # The plan's call this one stands for (same tool, first due; else the last one matched, as when a
            # failed call is made again) says which fields later calls read.
            planned = next((c for c in agent.pending if c.tool == name), None)
            if planned is not None:
                agent.pending.remove(planned)
                agent.matched[name] = planned
            planned = planned or agent.matched.get(name)
            try:
                outcome = agent.session.execute(name, arguments, agent.tools[name],
                                                needed=agent.consumers.get(planned.call_id, {}) if planned else {})
            except SimulationError as failure:
                raise AgentFailure("execution_failed", f"{name}: {failure}") from failure
            result = whole_numbers(outcome.result)
            agent.messages.append({"role": "tool", "tool_call_id": cid, "name": name,
                                   "content": json.dumps(result, ensure_ascii=False, separators=(", ", ": "))})
            agent.executions.append(outcome.provenance(cid, name))
        return True

    def _dialogue(self, agent: _Agent, seed: int) -> Dialogue:
        plan = agent.plan
        writers = [{"index": i, "role": m["role"], "writer": "template" if m["role"] == "user" else WRITER}
                   for i, m in enumerate(agent.messages)
                   if m["role"] in ("user", "assistant") and isinstance(m.get("content"), str) and m["content"].strip()]
        if agent.error is None and self.plan_check is not None:
            # the turn's reply (its last assistant text) carries whether the turn's calls were the plan's
            replies = {entry["index"]: entry for entry in writers if entry["role"] == "assistant"}
            starts = [i for i, m in enumerate(agent.messages) if m["role"] == "user"] + [len(agent.messages)]
            for record, start, end in zip(turn_adherence(agent.messages, plan, self.plan_check), starts, starts[1:]):
                last = max((i for i in replies if start < i < end), default=None)
                if last is not None:
                    replies[last].update(record)
        return Dialogue(
            dialogue_id=self._dialogue_id(plan, seed), plan_id=plan.plan_id, sample_id=plan.sample_id,
            strategy=plan.strategy, messages=agent.messages, tools=agent.openai_tools,
            provenance=Provenance(backend=self.backend, model=self.model, prompt_version=self.prompt_version,
                                  seed=agent.seed, executor=dialogue_executor(agent.session, self.executor),
                                  writer=WRITER, usage=agent.usage.as_dict()),
            status="ok" if agent.error is None else "failed", error=agent.error,
            executions=agent.executions, writers=writers)

    def _dialogue_id(self, plan: DialoguePlan, seed: int) -> str:
        return stable_id("dialogue", plan.plan_id, self.backend, WRITER, self.model, str(seed))
