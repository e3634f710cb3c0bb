"""Pure builders of the LLM backend's messages, schemas and checks: no I/O, no model, unit-tested.

Tool descriptions and schemas come from outside the project (corpora, scraped APIs) and may carry
text that reads like an instruction. They only ever reach a model as JSON data inside a delimited block
(`<sample>`, `<tool_call>`, ...) that the prompt declares to be data; the JSON is escaped so that no
value can close the block early.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import jsonschema
from pydantic import ValidationError

from ..planning.models import ArgumentSource, DialoguePlan, PlannedCall, PlannedTurn
from ..tools import Tool, canonical_json, stable_id
from .prompts import load_prompt

CHAT_KINDS = ["greeting", "clarification", "thanks", "follow_up", "small_talk"]
MIN_TURNS, MAX_TURNS = 3, 5  # the planner is asked for this many user turns (the plan model allows 2-6)


# ------------------------------------------------------------------------------------------ data blocks


def as_data(payload: Any) -> str:
    """JSON for a delimited data block (`<sample>...</sample>`: the tags are in the templates). `<` and
    `>` are escaped (\\u003c, \\u003e), so text in a tool description can never close the block or open
    another one; the JSON still decodes to the same values."""
    text = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e")
    return text


def parse_data_block(tag: str, text: str) -> Any:
    """The JSON inside `<tag>...</tag>` in a rendered prompt (the inverse of `as_data` inside a template)."""
    match = re.search(rf"^<{tag}>$(.*?)^</{tag}>$", text, re.DOTALL | re.MULTILINE)
    if match is None:
        raise ValueError(f"no <{tag}> block")
    return json.loads(match.group(1))


# -------------------------------------------------------------------------------------------- samples


@dataclass(frozen=True)
class DataFlow:
    from_tool: str
    output_field: str
    to_tool: str
    input_param: str


@dataclass(frozen=True)
class SampleView:
    """A `tool_subgraphs` row resolved against the catalog: the tools by name and their data flows."""

    sample_id: str
    strategy: str
    seed: int
    tools: tuple[Tool, ...]
    data_flows: tuple[DataFlow, ...] = ()
    shared_params: tuple[tuple[str, str, str], ...] = ()  # (tool a, tool b, parameter)
    chain: tuple[str, ...] = ()

    @property
    def tool_names(self) -> list[str]:
        return [t.name for t in self.tools]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return []
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        return parsed if isinstance(parsed, list) else [parsed]
    return list(value)


def tools_by_name(tools: dict[str, Tool]) -> dict[str, Tool]:
    """The catalog indexed by name (callers may key it by id or by name)."""
    return {tool.name: tool for tool in tools.values()}


def sample_from_row(row: dict[str, Any], tools: dict[str, Tool]) -> SampleView:
    """Resolve a `tool_subgraphs` row. Raises ValueError naming what it could not resolve."""
    by_name = tools_by_name(tools)
    by_id = {tool.tool_id: tool for tool in tools.values()}

    def resolve(ref: Any) -> Tool | None:
        return by_id.get(str(ref)) or by_name.get(str(ref))

    chosen: list[Tool] = []
    ids = _as_list(row.get("tool_ids"))
    names = _as_list(row.get("tool_names"))
    for ref in ids or names:
        tool = resolve(ref)
        if tool is None:
            raise ValueError(f"tool {ref!r} of sample {row.get('sample_id')!r} is not in the catalog")
        if tool not in chosen:
            chosen.append(tool)
    if not chosen:
        raise ValueError(f"sample {row.get('sample_id')!r} has no tools")
    flows: list[DataFlow] = []
    shared: list[tuple[str, str, str]] = []
    for edge in _as_list(row.get("edges")):
        if not isinstance(edge, dict):
            continue
        src, dst = resolve(edge.get("src")), resolve(edge.get("dst"))
        if src is None or dst is None:
            continue
        if edge.get("kind") == "data_flow":
            flows.append(DataFlow(src.name, str(edge.get("src_field") or ""), dst.name,
                                  str(edge.get("dst_field") or "")))
        elif edge.get("kind") == "shared_param":
            shared.append((src.name, dst.name, str(edge.get("src_field") or edge.get("dst_field") or "")))
    chain = []
    for ref in _as_list(row.get("chain")):
        tool = resolve(ref)
        if tool is not None:
            chain.append(tool.name)
    return SampleView(
        sample_id=str(row["sample_id"]),
        strategy=str(row.get("strategy") or ""),
        seed=int(row.get("seed") or 0),
        tools=tuple(chosen),
        data_flows=tuple(flows),
        shared_params=tuple(shared),
        chain=tuple(chain),
    )


def plan_id_for(sample_id: str, seed: int) -> str:
    return stable_id("plan", sample_id, str(seed))


def dialogue_id_for(plan_id: str, backend: str, model: str, seed: int) -> str:
    return stable_id("dialogue", plan_id, backend, model, str(seed))


# -------------------------------------------------------------------------------------------- planner


def target_turns(seed: int) -> int:
    return random.Random(seed).randint(MIN_TURNS, MAX_TURNS)


def planner_sample_payload(sample: SampleView) -> dict[str, Any]:
    return {
        "tools": [
            {"name": t.name, "description": t.description, "parameters": t.parameters, "returns": t.returns}
            for t in sample.tools
        ],
        "data_flows": [
            {"from_tool": f.from_tool, "output_field": f.output_field, "to_tool": f.to_tool,
             "input_param": f.input_param}
            for f in sample.data_flows
        ],
        "shared_parameters": [{"tools": [a, b], "parameter": p} for a, b, p in sample.shared_params],
        "suggested_order": list(sample.chain),
    }


def planner_messages(sample: SampleView, n_turns: int) -> list[dict[str, Any]]:
    prompt = load_prompt("planner")
    block = as_data(planner_sample_payload(sample))
    return [
        {"role": "system", "content": prompt.render("system", n_turns=n_turns)},
        {"role": "user", "content": prompt.render("user", n_turns=n_turns, sample=block)},
    ]


_VALUE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"},
        {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}},
    ]
}


def plan_draft_schema(tool_names: Sequence[str]) -> dict[str, Any]:
    """The planner's structured output: the plan without the ids the pipeline assigns itself.

    It differs from `DialoguePlan.model_json_schema()` where OpenAI's strict mode requires it: strict
    schemas cannot express maps (`arguments` is a list of named sources here), every property is
    required (nullable where optional), and every object forbids extra keys. `plan_from_draft` turns
    a draft into a validated `DialoguePlan`.
    """
    argument = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "source", "value", "call_id", "field"],
        "properties": {
            "name": {"type": "string", "description": "Parameter name from the tool's schema."},
            "source": {"type": "string", "enum": ["user", "tool_output", "default"]},
            "value": {**_VALUE_SCHEMA, "description": "For user/default: the concrete value. Else null."},
            "call_id": {"anyOf": [{"type": "string"}, {"type": "null"}],
                        "description": "For tool_output: the earlier call whose output feeds it."},
            "field": {"anyOf": [{"type": "string"}, {"type": "null"}],
                      "description": "For tool_output: dotted path of the output field."},
        },
    }
    call = {
        "type": "object",
        "additionalProperties": False,
        "required": ["call_id", "tool", "arguments"],
        "properties": {
            "call_id": {"type": "string", "description": "t<turn>c<call>, e.g. t2c1."},
            "tool": {"type": "string", "enum": list(tool_names)},
            "arguments": {"type": "array", "items": argument},
        },
    }
    turn = {
        "type": "object",
        "additionalProperties": False,
        "required": ["intent", "needs_tools", "chat_kind", "calls"],
        "properties": {
            "intent": {"type": "string", "description": "What the user wants, never naming a tool."},
            "needs_tools": {"type": "boolean"},
            "chat_kind": {"anyOf": [{"type": "string", "enum": CHAT_KINDS}, {"type": "null"}]},
            "calls": {"type": "array", "items": call},
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["scenario", "turns"],
        "properties": {"scenario": {"type": "string"}, "turns": {"type": "array", "items": turn}},
    }


def plan_from_draft(draft: Any, sample: SampleView, plan_id: str) -> DialoguePlan:
    """Validate a planner answer and build the `DialoguePlan`. Call ids are renumbered `t<turn>c<k>` (and
    references remapped), so ids are consistent whatever the model wrote. Raises ValueError listing every
    problem, in words the model can act on in a repair round."""
    if not isinstance(draft, dict):
        raise ValueError("the answer must be a JSON object with scenario and turns")
    raw_turns = draft.get("turns")
    if not isinstance(raw_turns, list) or not raw_turns:
        raise ValueError("turns must be a non-empty list")
    renamed: dict[str, str] = {}
    turns: list[PlannedTurn] = []
    problems: list[str] = []
    for turn_number, raw in enumerate(raw_turns, start=1):
        if not isinstance(raw, dict):
            raise ValueError(f"turn {turn_number} is not an object")
        calls: list[PlannedCall] = []
        for call_number, raw_call in enumerate(raw.get("calls") or [], start=1):
            if not isinstance(raw_call, dict):
                raise ValueError(f"turn {turn_number} call {call_number} is not an object")
            new_id = f"t{turn_number}c{call_number}"
            arguments: dict[str, ArgumentSource] = {}
            raw_args = raw_call.get("arguments") or []
            if isinstance(raw_args, dict):  # a model that wrote a map: accept it
                raw_args = [{"name": k, **(v if isinstance(v, dict) else {"source": "user", "value": v})}
                            for k, v in raw_args.items()]
            for raw_arg in raw_args:
                if not isinstance(raw_arg, dict) or not raw_arg.get("name"):
                    problems.append(f"{new_id}: every argument needs a name")
                    continue
                kind = raw_arg.get("source") or raw_arg.get("kind")
                ref = raw_arg.get("call_id")
                if kind == "tool_output":
                    if ref not in renamed:
                        problems.append(f"{new_id}: argument {raw_arg['name']!r} reads call {ref!r}, which is not "
                                        "an earlier call")
                        continue
                    ref = renamed[ref]
                try:
                    arguments[str(raw_arg["name"])] = ArgumentSource(
                        kind=kind, value=raw_arg.get("value") if kind != "tool_output" else None,
                        call_id=ref if kind == "tool_output" else None,
                        field=raw_arg.get("field") if kind == "tool_output" else None,
                    )
                except ValueError as error:
                    problems.append(f"{new_id}: argument {raw_arg['name']!r}: {_first_line(error)}")
            if raw_call.get("call_id"):
                renamed[str(raw_call["call_id"])] = new_id
            renamed[new_id] = new_id
            calls.append(PlannedCall(call_id=new_id, tool=str(raw_call.get("tool") or ""), arguments=arguments))
        needs_tools = bool(raw.get("needs_tools")) or bool(calls)
        try:
            turns.append(PlannedTurn(
                intent=str(raw.get("intent") or "").strip(),
                needs_tools=needs_tools,
                chat_kind=None if needs_tools else (raw.get("chat_kind") or "follow_up"),
                calls=calls,
            ))
        except ValueError as error:
            problems.append(f"turn {turn_number}: {_first_line(error)}")
    if problems:
        raise ValueError("; ".join(problems))
    try:
        plan = DialoguePlan(
            plan_id=plan_id, sample_id=sample.sample_id, strategy=sample.strategy,
            scenario=str(draft.get("scenario") or "").strip(), tools=sample.tool_names, turns=turns,
        )
    except ValueError as error:
        raise ValueError(_first_line(error)) from None
    problems = plan_problems(plan, {t.name: t for t in sample.tools})
    if problems:
        raise ValueError("; ".join(problems))
    return plan


def _first_line(error: Exception) -> str:
    """A pydantic error as `where: what` (no URLs, no input dumps), other errors as their text."""
    if isinstance(error, ValidationError):
        parts = []
        for item in error.errors():
            where = ".".join(str(p) for p in item.get("loc", ()))
            message = str(item.get("msg", "")).removeprefix("Value error, ")
            parts.append(f"{where}: {message}" if where else message)
        return "; ".join(parts)
    return str(error).strip() or type(error).__name__


def _properties(schema: dict[str, Any] | None) -> dict[str, Any]:
    if not isinstance(schema, dict):
        return {}
    props = schema.get("properties")
    return props if isinstance(props, dict) else {}


def plan_problems(plan: DialoguePlan, tools: dict[str, Tool]) -> list[str]:
    """What makes a plan unusable with these tools (empty when fine)."""
    problems: list[str] = []
    if not any(turn.needs_tools for turn in plan.turns):
        problems.append("at least one turn must need tools")
    outputs: dict[str, Tool] = {}
    names = sorted(tools, key=len, reverse=True)
    for number, turn in enumerate(plan.turns, start=1):
        if not turn.intent:
            problems.append(f"turn {number} has no intent")
        for name in names:
            if "_" in name and re.search(rf"\b{re.escape(name)}\b", turn.intent, re.IGNORECASE):
                problems.append(f"turn {number}'s intent names the tool {name!r}; say what the user wants instead")
                break
        for call in turn.calls:
            tool = tools[call.tool]
            params = _properties(tool.parameters)
            open_params = tool.parameters.get("additionalProperties") not in (False, None) or not params
            for arg_name, source in call.arguments.items():
                if arg_name not in params and not open_params:
                    problems.append(f"{call.call_id}: {call.tool} has no parameter {arg_name!r}")
                    continue
                if source.kind == "user":
                    if source.value is None:
                        problems.append(f"{call.call_id}: argument {arg_name!r} comes from the user but has no value")
                    elif arg_name in params and isinstance(params[arg_name], dict):
                        error = schema_error(source.value, params[arg_name])
                        if error:
                            problems.append(f"{call.call_id}: value of {arg_name!r} does not fit its schema: {error}")
                if source.kind == "tool_output":
                    producer = outputs[source.call_id]  # earlier call: the plan model checked the order
                    returned = _properties(producer.returns)
                    head = (source.field or "").split(".")[0]
                    if returned and head not in returned:
                        problems.append(f"{call.call_id}: argument {arg_name!r} reads field {source.field!r}, but "
                                        f"{producer.name} returns only {sorted(returned)}")
            required = tool.parameters.get("required") or []
            missing = [p for p in required if p not in call.arguments]
            if missing:
                problems.append(f"{call.call_id}: {call.tool} needs {', '.join(map(repr, missing))}")
            outputs[call.call_id] = tool
    return problems


def schema_error(value: Any, schema: dict[str, Any]) -> str | None:
    """The first JSON Schema violation of `value`, or None. A broken schema accepts anything."""
    try:
        validator_cls = jsonschema.validators.validator_for(schema)
        validator_cls.check_schema(schema)
        error = jsonschema.exceptions.best_match(validator_cls(schema).iter_errors(value))
    except (jsonschema.exceptions.SchemaError, TypeError, ValueError):
        return None
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where + ': ' if where else ''}{error.message}"[:300]


# ------------------------------------------------------------------------------------------ user agent


def values_to_mention(turn: PlannedTurn) -> dict[str, Any]:
    """The values this turn's user must state: the `user` arguments of its calls."""
    values: dict[str, Any] = {}
    for call in turn.calls:
        for name, source in call.arguments.items():
            if source.kind == "user" and source.value is not None:
                values[name] = source.value
    return values


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
    from .llm_client import extract_json  # local: keeps this module free of the client at import

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


# ------------------------------------------------------------------------------------------ tool agent


def tool_response_schema(tool: Tool) -> tuple[dict[str, Any], bool]:
    """(schema of the tool agent's answer, wrapped). Structured output needs an object at the root, so a
    non-object return schema is wrapped as {"result": ...} and unwrapped after."""
    returns = tool.returns
    if not isinstance(returns, dict) or not returns:
        return {"type": "object"}, False
    if returns.get("type") == "object" or ("properties" in returns and "type" not in returns):
        return returns, False
    return {"type": "object", "properties": {"result": returns}, "required": ["result"]}, True


def fields_needed_later(plan: DialoguePlan) -> dict[str, list[str]]:
    """For each call, the output fields later calls read from it."""
    needed: dict[str, list[str]] = {}
    for turn in plan.turns:
        for call in turn.calls:
            for source in call.arguments.values():
                if source.kind == "tool_output" and source.call_id and source.field:
                    needed.setdefault(source.call_id, [])
                    if source.field not in needed[source.call_id]:
                        needed[source.call_id].append(source.field)
    return needed


def tool_agent_messages(tool: Tool, arguments: dict[str, Any], needed: Sequence[str] = ()) -> list[dict[str, Any]]:
    prompt = load_prompt("tool_agent")
    payload = {
        "function": {"name": tool.name, "description": tool.description, "returns": tool.returns},
        "arguments": arguments,
        "fields_needed_later": list(needed),
    }
    return [
        {"role": "system", "content": prompt.render("system")},
        {"role": "user", "content": prompt.render("user", tool_call=as_data(payload))},
    ]


def check_tool_response(value: Any, schema: dict[str, Any], wrapped: bool, needed: Sequence[str]) -> Any:
    """Validate a tool agent's answer; return the tool result (unwrapped). Raises ValueError."""
    if not isinstance(value, dict):
        raise ValueError("the answer must be a JSON object")
    error = schema_error(value, schema)
    if error:
        raise ValueError(f"the answer does not match the return schema: {error}")
    result = value["result"] if wrapped else value
    missing = [path for path in needed if not resolve_field(result, path)[0]]
    if missing:
        raise ValueError(f"the answer lacks the fields {', '.join(missing)}, which later steps need")
    return result


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
    from .llm_client import extract_json  # local: keeps this module free of the client at import

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
