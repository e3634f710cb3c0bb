"""The `llm` writer: the offline plan and the template dialogue, with the user's and the assistant's words
rewritten by a model in one request per dialogue.

Why this shape: tool calls, argument values and tool results come from the offline planner and the
executor, so they are valid by construction; the model only writes language, which a small local model
can do in one structured answer (`{"m<index>": text, ...}`) instead of a dozen agent requests. Each text
is a slot whose JSON Schema `pattern` writes in the values it must keep and forbids other digits, so on
a server that decodes under a grammar (llama.cpp, llama-cpp-python) even a 135M model cannot drop a value
or invent a figure: it writes the words around them.

Each rewritten message is accepted only when (1) it still states every call or result value its template
text stated (the project's own mention rule, `mentions.mention_index`) and (2) the dialogue with it still
passes every check the template dialogue passed (`dialogue_check`: the quality stage's `check_dialogue`,
handed in by the resource that builds the writer, since generation does not import quality). The
messages that fail get one repair request listing the problems; a message that fails again keeps its
template text. Every text message records its writer: `llm`, or `template-fallback` with the reason.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from importlib import resources
from typing import Any, Callable, Mapping, Sequence

from ..mentions import mention_index, scalar_leaves
from ..planning.models import DialoguePlan, PlanResult
from ..planning.offline_planner import PlannerConfig
from ..tools import Tool, stable_id
from ..llm.client import LLMCallError, LLMClient, LLMSettings, Usage
from .models import Dialogue
from .offline import OfflineGenerator
from .offline_templates import OFFLINE_PROMPT_VERSION
from .text_patterns import TextSlot, cut_by_pattern, ordered_keep, text_pattern
from .text_sense import degenerate, repeated_sentences, written_form
from ..llm.templates import PromptTemplate, parse_template

WRITER = "llm"
MAX_REQUESTS = 2  # the rewrite and at most one repair of the messages that failed validation


def load_writer_prompt() -> PromptTemplate:
    text = resources.files("toolflow_assets.generation.prompts").joinpath("llm_writer.txt").read_text("utf-8")
    return parse_template("llm_writer", text)


PROMPT = load_writer_prompt()

# ------------------------------------------------------------------------------------- pure parts

def dialogue_values(messages: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The scalar values of every tool call's arguments and every tool result, first occurrence first."""
    found: list[Any] = []
    seen: set[str] = set()

    def add(value: Any) -> None:
        for leaf in scalar_leaves(value):
            key = json.dumps(leaf, sort_keys=True, default=str)
            if leaf is not None and not isinstance(leaf, bool) and key not in seen:
                seen.add(key)
                found.append(leaf)

    for message in messages:
        for call in message.get("tool_calls") or []:
            add(_loads((call.get("function") or {}).get("arguments")))
        if message.get("role") == "tool":
            add(_loads(message.get("content")))
    return found


def text_slots(messages: Sequence[Mapping[str, Any]]) -> list[TextSlot]:
    """Every user and assistant message with text (an assistant text beside tool calls included)."""
    values = dialogue_values(messages)
    slots = []
    for index, message in enumerate(messages):
        text = message.get("content")
        if message.get("role") in ("user", "assistant") and isinstance(text, str) and text.strip():
            stated = mention_index([text])
            slots.append(TextSlot(index, message["role"], text, tuple(v for v in values if stated.states(v))))
    return slots


def lost_values(text: str, keep: Sequence[Any]) -> list[Any]:
    stated = mention_index([text])
    return [value for value in keep if not stated.states(value)]


def slot_key(index: int) -> str:
    return f"m{index}"


def writer_messages(messages: Sequence[Mapping[str, Any]], pending: Sequence[TextSlot],
                    problems: Mapping[int, str] | None = None) -> list[dict[str, str]]:
    """The request: one line per pending text (`m<index> (<role>): <text>`, then `keep:` and its values).
    Only the texts to write: the calls and results stay out, so the prompt fits a small model's context
    (a 13-text dialogue is about 600 prompt tokens). With `problems`, the repair note for those texts."""
    lines = []
    for slot in pending:
        lines.append(f"{slot_key(slot.index)} ({slot.role}): {' '.join(slot.text.split())}")
        if slot.keep:
            lines.append("  keep: " + " | ".join(ordered_keep(slot)))
    user = _request(lines, [slot_key(slot.index) for slot in pending])
    if problems:
        wanted = {slot.index for slot in pending}
        notes = "\n".join(f"- {slot_key(i)}: {why}" for i, why in sorted(problems.items()) if i in wanted)
        user += "\n\n" + PROMPT.render("repair", problems=notes)
    # A worked example first: SmolLM2-135M kept 9 of 68 texts with it and 3 without (2026-11-30, 8 BFCL
    # dialogues, the same checks); a small model imitates an answer far better than it follows a rule.
    return [{"role": "system", "content": PROMPT.render("system")},
            {"role": "user", "content": example_request()},
            {"role": "assistant", "content": PROMPT.render("example_answer")},
            {"role": "user", "content": user}]


def example_request() -> str:
    """The prompt's worked example, asked the way a real dialogue is."""
    keys = list(json.loads(PROMPT.render("example_answer")))
    return _request(PROMPT.render("example_dialogue").splitlines(), keys)


def _request(lines: Sequence[str], keys: Sequence[str]) -> str:
    return PROMPT.render("user", dialogue="\n".join(lines), keys=", ".join(f'"{key}": "..."' for key in keys))


def rewrite_schema(pending: Sequence[TextSlot]) -> dict[str, Any]:
    """One string property per pending text (`m<index>`), in dialogue order, each with its pattern."""
    properties: dict[str, Any] = {}
    for slot in pending:
        pattern = text_pattern(slot)
        properties[slot_key(slot.index)] = {"type": "string", **({"pattern": pattern} if pattern else {})}
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def parse_rewrites(value: Any, wanted: set[int]) -> dict[int, str]:
    """The model's texts by index (`{"m<index>": text}`; unknown keys ignored). Raises ValueError, which
    the client feeds back to the model, only when the answer holds no usable text at all."""
    if not isinstance(value, dict):
        raise ValueError('expected a JSON object {"m<index>": "<text>", ...}')
    texts: dict[int, str] = {}
    for key, text in value.items():
        match = re.fullmatch(r"m?(\d+)", str(key).strip())
        if match and int(match.group(1)) in wanted and isinstance(text, str) and clean_text(text):
            texts[int(match.group(1))] = clean_text(text)
    if not texts:
        raise ValueError(f"no text for any of the messages to rewrite ({', '.join(slot_key(i) for i in sorted(wanted))})")
    return texts


def clean_text(text: str) -> str:
    """Small models often label the speaker or quote the message: `User: "Hi"` → `Hi`."""
    text = _SPEAKER.sub("", text.strip()).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


_SPEAKER = re.compile(r"^(user|assistant|me|customer)\s*:\s*", re.IGNORECASE)

Checks = Callable[[list[dict[str, Any]]], dict[str, list[str]]]
"""Messages in, the failing quality checks out (check name → reasons)."""

DialogueCheck = Callable[..., tuple[Mapping[str, bool | None], list[str], Any]]
"""(messages, tools, plan dict, returns by tool) → (verdict per check, `<check>: <why>` reasons, extra):
the signature of `quality.evaluate.check_dialogue`."""


def no_dialogue_check(messages: Any, tools: Any, plan: Any, returns: Any) -> tuple[dict[str, bool], list[str], None]:
    """Without a dialogue check only the values-kept rule guards a rewrite (unit use; the resource always
    hands in the quality stage's checks)."""
    return {}, [], None


def dialogue_checks(tools: list[dict[str, Any]], plan: DialoguePlan, returns: Mapping[str, Any],
                    check_dialogue: DialogueCheck = no_dialogue_check) -> Checks:
    plan_dict = plan.model_dump()

    def failing(messages: list[dict[str, Any]]) -> dict[str, list[str]]:
        verdicts, reasons, _ = check_dialogue(messages, tools, plan_dict, dict(returns))
        return {name: [r for r in reasons if r.startswith(f"{name}:")] for name, ok in verdicts.items() if ok is False}

    return failing


def accept_rewrites(messages: list[dict[str, Any]], pending: Sequence[TextSlot], rewrites: Mapping[int, str],
                    checks: Checks, baseline: set[str]) -> tuple[set[int], dict[int, str]]:
    """Apply each rewrite in order when it keeps its values and breaks no check that passed before
    (`baseline`: the checks the template dialogue already failed). Mutates `messages`; returns (accepted
    indexes, reason per rejected index)."""
    accepted: set[int] = set()
    problems: dict[int, str] = {}
    for slot in pending:
        text = rewrites.get(slot.index)
        if text is None:
            problems[slot.index] = "no text was given for this message"
            continue
        lost = lost_values(text, slot.keep)
        if lost:
            problems[slot.index] = f"it must state these values exactly: {', '.join(written_form(v) for v in lost)}"
            continue
        # the template's own wording given back is judged as the template (labelled so), not as the model's
        garbled = None if text.split() == slot.text.split() else \
            degenerate(text, slot.keep, slot.text) or (cut_by_pattern(text, slot) and "the grammar cut it off")
        if garbled:
            problems[slot.index] = garbled
            continue
        others = [m.get("content") for i, m in enumerate(messages)
                  if i != slot.index and m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str)]
        echoed = repeated_sentences(text, others, slot.text)
        if echoed:
            problems[slot.index] = f'it repeats another message: "{echoed[0]}"'
            continue
        original = messages[slot.index]["content"]
        messages[slot.index]["content"] = text
        broken = {name: why for name, why in checks(messages).items() if name not in baseline}
        if broken:
            messages[slot.index]["content"] = original
            problems[slot.index] = "; ".join(r for why in broken.values() for r in why)[:400] or \
                f"it breaks the check(s) {', '.join(sorted(broken))}"
            continue
        accepted.add(slot.index)
    return accepted, problems


def _loads(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text




# ---------------------------------------------------------------------------------- the generator

class LLMWriterGenerator:
    """`DialogueGenerator` (generation/backend.py): planner `offline`, writer `llm`, the offline
    generator's executor (`simulated` unless another is given)."""

    backend = "offline"  # the planner; the writer is named by `writer`
    writer = WRITER

    def __init__(self, model: str, base_url: str = "", temperature: float = 0.7, max_tokens: int = 1024,
                 timeout_seconds: float = 60.0, max_retries: int = 4, concurrency: int = 16,
                 cache_dir: str | None = None, requests_per_minute: float = 0.0, tokens_per_minute: float = 0.0,
                 max_repairs: int = 1, backoff_base_seconds: float = 0.5, backoff_max_seconds: float = 30.0,
                 planner_config: PlannerConfig | None = None, executor: Any = None,
                 dialogue_check: DialogueCheck | None = None, client: LLMClient | None = None,
                 **_ignored: Any) -> None:
        self.model = model
        self.dialogue_check = dialogue_check or no_dialogue_check
        self.prompt_version = f"{OFFLINE_PROMPT_VERSION}+{PROMPT.name}@{PROMPT.version}"
        self.template = OfflineGenerator(planner_config, executor)
        # The client's repairs fix malformed JSON only (rare with schema-constrained output), so one is
        # enough: with this writer's own repair request, a dialogue costs at most 4 requests, usually 1 or 2.
        # The cap goes with each request, since the client (the LLM resource's) may be shared with other roles.
        self.max_repairs = min(max_repairs, 1)
        self.client = client or LLMClient(LLMSettings(
            model=model, base_url=base_url, temperature=temperature, max_tokens=max_tokens,
            timeout_seconds=timeout_seconds, max_retries=max_retries, concurrency=concurrency,
            requests_per_minute=requests_per_minute, tokens_per_minute=tokens_per_minute,
            max_repairs=self.max_repairs, backoff_base_seconds=backoff_base_seconds,
            backoff_max_seconds=backoff_max_seconds, cache_dir=cache_dir or None,
        ))

    def plan_many(self, samples: Sequence[Mapping[str, Any]], tools: Mapping[str, Tool], seed: int) -> list[PlanResult]:
        return self.template.plan_many(samples, tools, seed)

    def generate_many(self, plans: Sequence[DialoguePlan], tools: Mapping[str, Tool], seed: int) -> list[Dialogue]:
        drafts = self.template.generate_many(plans, tools, seed)
        returns = {tool.name: tool.returns for tool in tools.values() if tool.returns}

        async def all_dialogues() -> list[Dialogue]:
            return list(await asyncio.gather(*(self._rewrite(d, p, returns, seed) for d, p in zip(drafts, plans))))

        return self.client.run(all_dialogues)

    def usage(self) -> dict[str, int]:
        return self.client.usage()

    def capabilities(self) -> dict[str, str]:
        return self.client.capabilities()

    async def _rewrite(self, draft: Dialogue, plan: DialoguePlan, returns: Mapping[str, Any], seed: int) -> Dialogue:
        usage = Usage()
        messages = copy.deepcopy(draft.messages)
        writers: dict[int, dict[str, Any]] = {}
        if draft.status == "ok":
            slots = text_slots(messages)
            writers = {s.index: {"index": s.index, "role": s.role, "writer": "template-fallback"} for s in slots}
            try:
                await self._write(messages, slots, dialogue_checks(draft.tools, plan, returns, self.dialogue_check), usage,
                                  draft.provenance.seed, writers)
            except Exception as error:  # noqa: BLE001 - one item's trouble never fails the batch
                messages = copy.deepcopy(draft.messages)  # the template dialogue, whole
                reason = self.client.redact(f"internal_error: {type(error).__name__}: {error}")
                writers = {s.index: {"index": s.index, "role": s.role, "writer": "template-fallback",
                                     "reason": reason} for s in slots}
        return draft.model_copy(update={
            "dialogue_id": stable_id("dialogue", plan.plan_id, draft.provenance.backend, WRITER, self.model, str(seed)),
            "messages": messages,
            "provenance": draft.provenance.model_copy(update={
                "model": self.model, "prompt_version": self.prompt_version, "writer": WRITER,
                "usage": usage.as_dict()}),
            "writers": [writers[i] for i in sorted(writers)],
        })

    async def _write(self, messages: list[dict[str, Any]], slots: list[TextSlot], checks: Checks, usage: Usage,
                     item_seed: int, writers: dict[int, dict[str, Any]]) -> None:
        """Rewrite `slots` in `messages` (at most MAX_REQUESTS requests); record each text's writer."""
        baseline = set(checks(messages))
        texts = {slot.index: slot.text for slot in slots}
        pending, problems = list(slots), {}
        for _attempt in range(MAX_REQUESTS):
            if not pending:
                return
            wanted = {slot.index for slot in pending}
            try:
                rewrites = await self.client.structured(
                    writer_messages(messages, pending, problems), rewrite_schema(pending), "dialogue_rewrite",
                    lambda value: parse_rewrites(value, wanted), usage, strict=True, extra={"seed": item_seed},
                    max_repairs=self.max_repairs)
            except LLMCallError as error:
                for slot in pending:
                    writers[slot.index]["reason"] = self.client.redact(f"request_failed: {error}")
                return
            accepted, problems = accept_rewrites(messages, pending, rewrites, checks, baseline)
            for index in accepted:
                # A text given back word for word was not written by the model: it stays labelled template.
                unchanged = " ".join(rewrites[index].split()) == " ".join(texts[index].split())
                writers[index] = {"index": index, "role": writers[index]["role"], "writer": WRITER} if not unchanged \
                    else {"index": index, "role": writers[index]["role"], "writer": "template", "reason": "unchanged"}
            pending = [slot for slot in pending if slot.index in problems]
        for slot in pending:
            writers[slot.index]["reason"] = problems.get(slot.index, "")

