"""What the llm planner says to the model and how it reads the answer: pure, no I/O, unit-tested.

The request: the sample as data (`planner_messages`) and the draft schema (`plan_draft_schema`). The
answer: `plan_from_draft` validates a draft into a `DialoguePlan` (or says, in words the model can act on
in a repair round, what is wrong with it), with `plan_problems` checking it against the tools.

Tool descriptions and schemas come from outside the project (corpora, scraped APIs) and may carry text
that reads like an instruction. They only ever reach a model as JSON data inside a delimited block
(`<sample>`, `<tool_call>`, ...) that the prompt declares to be data; the JSON is escaped (`as_data`) so
that no value can close the block early. The writer's and agents' prompts (generation/prompt_builders)
use the same blocks.
"""

from __future__ import annotations

import json
import random
import re
from functools import lru_cache
from typing import Any, Sequence

from pydantic import ValidationError

from ..execution.verbs import verb_and_noun
from ..json_schema.errors import UnusableSchema
from ..json_schema.validate import first_error
from ..llm.templates import PromptTemplate, read_template
from ..tools import Tool
from ..values.flow import id_thing, same_thing, top_parameter
from .models import MAX_TURNS, MIN_TURNS, ArgumentSource, DialoguePlan, PlannedCall, PlannedTurn
from .samples import SampleView

CHAT_KINDS = ["greeting", "clarification", "thanks", "follow_up", "small_talk"]


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


# -------------------------------------------------------------------------------------------- planner


def target_turns(seed: int) -> int:
    """How many user turns to ask for: inside the plans' one range (models.MIN_TURNS..MAX_TURNS) with a
    turn of slack at each end, since models miscount by one and a plan outside the range is refused."""
    return random.Random(seed).randint(MIN_TURNS + 1, MAX_TURNS - 1)


def planner_sample_payload(sample: SampleView) -> dict[str, Any]:
    return {
        "tools": [
            {"name": t.name, "description": t.description, "parameters": t.parameters, "returns": t.returns}
            for t in sample.tools
        ],
        "data_flows": [
            {"from_tool": f.src, "output_field": f.src_field, "to_tool": f.dst, "input_param": f.dst_field}
            for f in sample.flows
        ],
        "shared_parameters": [{"tools": [f.src, f.dst], "parameter": f.src_field or f.dst_field}
                              for f in sample.shared],
        "suggested_order": list(sample.chain),
    }


@lru_cache(maxsize=1)
def planner_prompt() -> PromptTemplate:
    """The planner's versioned template (prompts/planner.txt beside this module)."""
    return read_template(__package__, "prompts/planner.txt", "planner")


def planner_messages(sample: SampleView, n_turns: int) -> list[dict[str, Any]]:
    prompt = planner_prompt()
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
            scenario=str(draft.get("scenario") or "").strip(), turns=turns,
            # the sample's distractors are offered as the offline planner offers them; the draft schema
            # lets the model call only the sample's own tools
            tools=[*sample.tool_names, *(t.name for t in sample.distractors)],
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
                    head = top_parameter(source.field or "")  # `keys[]`, `hotels[].hotel_id`: `keys`, `hotels`
                    if returned and head not in returned:
                        problems.append(f"{call.call_id}: argument {arg_name!r} reads field {source.field!r}, but "
                                        f"{producer.name} returns only {sorted(returned)}")
                    # the offline planner's rule for links (values.flow.same_thing): an id fills an id of its thing
                    read = id_thing(source.field or "", verb_and_noun(producer)[1])
                    fills = id_thing(arg_name, verb_and_noun(tool)[1])
                    if not same_thing(read, fills):
                        problems.append(f"{call.call_id}: argument {arg_name!r} (the id of a {fills}) reads field "
                                        f"{source.field!r} of {producer.name}, the id of a {read}")
            required = tool.parameters.get("required") or []
            missing = [p for p in required if p not in call.arguments]
            if missing:
                problems.append(f"{call.call_id}: {call.tool} needs {', '.join(map(repr, missing))}")
            outputs[call.call_id] = tool
    return problems


def schema_error(value: Any, schema: dict[str, Any]) -> str | None:
    """The first JSON Schema violation of `value` (formats included, as the quality checks read them), or
    None. A schema that cannot be used (json_schema.validate's rule) accepts anything."""
    try:
        error = first_error(value, schema)
    except UnusableSchema:
        return None
    return None if error is None else error.removeprefix("<root>: ")[:300]
