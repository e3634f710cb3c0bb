"""Pure builders of the openai backend's agents' messages and checks (user and assistant agents; tool
results come from the executor role, execution/): no I/O, no model, unit-tested. The planner's prompts are
planning/llm_prompts.py; both put outside text into the model's view only as escaped JSON data blocks
(`as_data`, defined there).

Tool descriptions and schemas come from outside the project (corpora, scraped APIs) and may carry
text that reads like an instruction. They only ever reach a model as JSON data inside a delimited block
(`<sample>`, `<tool_call>`, ...) that the prompt declares to be data; the JSON is escaped so that no
value can close the block early.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from ..planning.llm_prompts import as_data, parse_data_block, schema_error  # noqa: F401 - shared data blocks
from ..planning.models import DialoguePlan, PlannedCall, PlannedTurn
from ..tools import Tool, canonical_json
from .prompts import load_prompt


def tools_by_name(tools: dict[str, Tool]) -> dict[str, Tool]:
    """The catalog indexed by name (callers may key it by id or by name)."""
    return {tool.name: tool for tool in tools.values()}


# ------------------------------------------------------------------------------------------ user agent


def values_to_mention(turn: PlannedTurn) -> dict[str, Any]:
    """The values this turn's user must state: the `user` arguments of its calls. Two calls that take other
    values under one name (`key` of two memory writes) both get theirs, the next one as "second key" (never
    by tool name, which the user would then say); keyed by name alone, the first was never said and its call
    failed grounding."""
    values: dict[str, Any] = {}
    said: dict[str, list[Any]] = {}  # argument name -> the values already listed under it
    for call in turn.calls:
        for name, source in call.arguments.items():
            earlier = said.setdefault(name, [])
            if source.kind != "user" or source.value is None or source.value in earlier:
                continue
            values[f"{_ORDINALS[min(len(earlier), len(_ORDINALS) - 1)]} {name}" if earlier else name] = source.value
            earlier.append(source.value)
    return values


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "next")


def transcript(messages: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """What a person in the conversation saw: user and assistant text, not calls or tool results."""
    lines = []
    for message in messages:
        if message.get("role") in ("user", "assistant") and message.get("content"):
            lines.append({"speaker": message["role"], "text": str(message["content"])})
    return lines


def user_agent_messages(plan: DialoguePlan, turn_index: int, messages: Sequence[dict[str, Any]],
                        missing: Sequence[str] = ()) -> list[dict[str, Any]]:
    prompt = load_prompt("user_agent")
    turn = plan.turns[turn_index]
    payload = {
        "scenario": plan.scenario,
        "conversation_so_far": transcript(messages),
        "next_message": {
            "intent": turn.intent,
            "kind": "a request the assistant needs its tools for" if turn.needs_tools else turn.chat_kind,
            "values_to_mention": values_to_mention(turn),
            "is_first_message": turn_index == 0,
        },
    }
    system = prompt.render("system")
    if missing:
        system += "\n\n" + prompt.render("feedback", missing=", ".join(missing))
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": prompt.render("user", conversation=as_data(payload))},
    ]


def _mention_forms(value: Any) -> list[list[str]]:
    """Each element: alternative spellings of one value the text must contain (any one of them)."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, list):
        return [form for item in value for form in _mention_forms(item)]
    if isinstance(value, float) and value.is_integer():
        return [[str(value), str(int(value))]]
    if isinstance(value, (dict,)):
        return []
    return [[str(value)]]


def missing_values(text: str, values: dict[str, Any]) -> list[str]:
    """Values a user message should state but does not (case-insensitive)."""
    lowered = text.lower()
    missing = []
    for value in values.values():
        for forms in _mention_forms(value):
            if not any(form.lower() in lowered for form in forms):
                missing.append(forms[0])
    return missing


def clean_user_text(text: str) -> str:
    text = (text or "").strip()
    text = re.sub(r"^(user|me|customer)\s*:\s*", "", text, flags=re.IGNORECASE).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


# ------------------------------------------------------------------------------------- assistant agent


def dialogue_system_prompt() -> str:
    return load_prompt("assistant_agent").render("dialogue_system")


def resolve_field(value: Any, path: str) -> tuple[bool, Any]:
    """Follow a dotted path (`a.b.0.c`) into a tool result; (found, value)."""
    current = value
    for part in [p for p in (path or "").split(".") if p]:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        elif isinstance(current, list) and current and isinstance(current[0], dict) and part in current[0]:
            current = current[0][part]  # "items.id" means the first item's id
        else:
            return False, None
    return True, current


@dataclass
class PendingCall:
    """A planned call with its arguments resolved as far as the results so far allow."""

    call: PlannedCall
    arguments: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def resolve_call(call: PlannedCall, results: dict[str, Any], tools_called: dict[str, str]) -> PendingCall:
    """Values for a planned call's arguments. `results` maps call ids to tool results; a `tool_output`
    argument takes the value at its field (or, when the result lacks it, is left to the model)."""
    pending = PendingCall(call)
    for name, source in call.arguments.items():
        if source.kind == "tool_output":
            found, value = resolve_field(results.get(source.call_id), source.field or "")
            producer = tools_called.get(source.call_id or "", "an earlier call")
            pending.sources[name] = f"from the result of {producer} (call {source.call_id}), field {source.field}"
            if found:
                pending.arguments[name] = value
        elif source.kind == "user":
            pending.sources[name] = "stated by the user"
            pending.arguments[name] = source.value
        elif source.value is not None:
            pending.sources[name] = "default"
            pending.arguments[name] = source.value
    return pending


def assistant_agent_messages(
    dialogue: Sequence[dict[str, Any]],
    step: str,
    intent: str,
    pending: Sequence[PendingCall] = (),
    nudge: tuple[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The assistant agent's request: its instructions and this turn's plan (as data) in the system
    message, then the dialogue so far without the dialogue's own system message. `step` is
    `call_tools`, `answer` or `chat`; `nudge` is (section, values) of a retry note."""
    prompt = load_prompt("assistant_agent")
    plan = {
        "step": step,
        "user_request": intent,
        "calls": [
            {"function": p.call.tool, "arguments": p.arguments, "argument_sources": p.sources}
            for p in pending
        ],
    }
    system = prompt.render("system", dialogue_system=dialogue_system_prompt(),
                           turn_plan=as_data(plan))
    if nudge is not None:
        system += "\n\n" + prompt.render(nudge[0], **nudge[1])
    rest = [m for m in dialogue if m.get("role") != "system"]
    return [{"role": "system", "content": system}, *rest]


def call_problems(tool_calls: Sequence[dict[str, Any]],
                  tools: dict[str, Tool]) -> tuple[list[dict[str, Any]], list[str]]:
    """Check the calls a model made: offered tool, JSON arguments, valid against the tool's parameters.
    Returns the calls with parsed arguments, and the problems found."""
    from ..llm.client import extract_json  # local: keeps this module free of the client at import

    parsed: list[dict[str, Any]] = []
    problems: list[str] = []
    for call in tool_calls:
        name = call["function"]["name"]
        if name not in tools:
            problems.append(f"{name!r} is not an offered function")
            continue
        text = call["function"].get("arguments") or "{}"
        try:
            arguments = json.loads(text)
        except ValueError:
            try:
                arguments = extract_json(text)
            except ValueError:
                problems.append(f"the arguments of {name} are not JSON")
                continue
        if not isinstance(arguments, dict):
            problems.append(f"the arguments of {name} must be a JSON object")
            continue
        error = schema_error(arguments, tools[name].parameters)
        if error:
            problems.append(f"{name}: {error}")
            continue
        parsed.append({"name": name, "arguments": arguments})
    return parsed, problems


# ------------------------------------------------------------------------------------------ tool results
# Tool results come from the executor role (execution/; the openai backend's default is the llm executor,
# whose request, checks and repairs live in execution/llm.py): here is only their message.


def tool_message(call_id: str, name: str, result: Any) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": call_id, "name": name, "content": canonical_json(result)}


# ------------------------------------------------------------------- tool calls without a tools parameter


def prompt_tool_messages(messages: Sequence[dict[str, Any]],
                         openai_tools: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assistant agent's request for a server that refuses the `tools` parameter (llama.cpp without
    a tool-call template, vLLM without auto tool choice): the functions go into the system message as
    data, earlier calls become their JSON form, and tool results become plain messages, since such
    servers' chat templates often know no `tool` role."""
    prompt = load_prompt("assistant_agent")
    functions = [t.get("function", t) for t in openai_tools]
    out: list[dict[str, Any]] = []
    for message in messages:
        role = message.get("role")
        if role == "system" and not out:
            out.append({"role": "system", "content": message["content"] + "\n\n"
                        + prompt.render("prompt_tools", functions=as_data(functions))})
        elif role == "assistant" and message.get("tool_calls"):
            calls = [{"name": c["function"]["name"], "arguments": _loads_or_text(c["function"]["arguments"])}
                     for c in message["tool_calls"]]
            out.append({"role": "assistant", "content": json.dumps({"tool_calls": calls}, ensure_ascii=False)})
        elif role == "tool":
            out.append({"role": "user", "content": prompt.render(
                "prompt_tool_result", name=message.get("name", ""), call_id=message.get("tool_call_id", ""),
                content=message.get("content", ""))})
        else:
            out.append(dict(message))
    return out


def _loads_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def parse_prompted_tool_calls(content: str) -> list[dict[str, Any]] | None:
    """OpenAI-shaped tool calls from a text answer `{"tool_calls": [{"name", "arguments"}]}`; None when
    the answer is prose (or JSON of another shape)."""
    from ..llm.client import extract_json  # local: keeps this module free of the client at import

    if "tool_calls" not in (content or ""):
        return None
    try:
        value = extract_json(content)
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("tool_calls"), list):
        return None
    calls = []
    for index, call in enumerate(value["tool_calls"]):
        if not isinstance(call, dict):
            continue
        function = call.get("function") if isinstance(call.get("function"), dict) else call
        arguments = function.get("arguments", {})
        calls.append({"id": f"call_{index}", "type": "function",
                      "function": {"name": str(function.get("name") or ""),
                                   "arguments": arguments if isinstance(arguments, str)
                                   else json.dumps(arguments, ensure_ascii=False)}})
    return calls
