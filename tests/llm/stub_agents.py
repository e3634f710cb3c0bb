"""The scripted agents behind the stub server (openai_stub_server.py): which agent a request is for, and
a schema-valid answer for each (planner, user agent, assistant agent, the llm executor's tool agent).
Deterministic for a given request body, so tests can count and compare requests.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

from toolflow_assets.execution.llm import load_executor_prompt
from toolflow_assets.generation.agent_writer import load_agent_prompt
from toolflow_assets.generation.llm_writer import load_writer_prompt
from toolflow_assets.generation.prompts import load_prompt
from toolflow_assets.planning.llm_prompts import planner_prompt
from toolflow_assets.quality.judge import judge_prompt


def _prefix(text: str) -> str:
    return text.split("$", 1)[0][:120]


_ROLE_PREFIXES = {
    "planner": _prefix(planner_prompt().sections["system"]),
    "user": _prefix(load_prompt("user_agent").sections["system"]),
    "writer": _prefix(load_writer_prompt().sections["system"]),
    "executor": _prefix(load_executor_prompt().sections["system"]),
    "judge": _prefix(judge_prompt().sections["system"]),
}


_AGENT_PREFIX = _prefix(load_agent_prompt().sections["system"])


def classify(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    if messages and messages[0].get("role") == "system" and messages[0].get("content", "").startswith(_AGENT_PREFIX):
        return "agent"  # the agent writer: it sees the tools and no plan (a test scripts its answers)
    if body.get("tools"):
        return "assistant"
    messages = body.get("messages") or []
    system = messages[0].get("content", "") if messages and messages[0].get("role") == "system" else ""
    if "\n<turn_plan>\n" in system:
        return "assistant"  # tools in the prompt, for a server that refuses the tools parameter
    for role, prefix in _ROLE_PREFIXES.items():
        if system.startswith(prefix):
            return role
    return "unknown"


def _block(tag: str, text: str) -> Any:
    match = re.search(rf"^<{tag}>$(.*?)^</{tag}>$", text, re.DOTALL | re.MULTILINE)
    if not match:
        raise ValueError(f"no <{tag}> block")
    return json.loads(match.group(1))


# ---------------------------------------------------------------------------------- value synthesis


def synth(schema: Any, name: str = "value", rng: random.Random | None = None) -> Any:
    """A value that satisfies a simple JSON Schema (the kinds our fixtures and corpora use)."""
    rng = rng or random.Random(0)
    if not isinstance(schema, dict):
        return f"{name}-value"
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            options = [s for s in schema[key] if isinstance(s, dict) and s.get("type") != "null"]
            return synth(options[0] if options else schema[key][0], name, rng)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind is None and "properties" in schema:
        kind = "object"
    if kind == "object":
        props = schema.get("properties") or {}
        return {key: synth(sub, key, rng) for key, sub in props.items()}
    if kind == "array":
        return [synth(schema.get("items") or {"type": "string"}, name, rng)]
    if kind == "integer":
        low = int(schema.get("minimum", 1))
        return low + rng.randint(0, 5)
    if kind == "number":
        return float(schema.get("minimum", 1)) + 0.5
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "date":
        return "2025-03-14"
    if fmt == "email":
        return "ana@example.com"
    return f"{name}-{rng.randint(10, 99)}"


def _set_path(target: dict[str, Any], path: str, value: Any) -> None:
    parts = [p for p in path.split(".") if p]
    current: Any = target
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(current, list):
            current = current[0] if current else current
            if not isinstance(current, dict):
                return
        if last:
            current.setdefault(part, value)
        else:
            current = current.setdefault(part, {})


# ------------------------------------------------------------------------------------ role answers


def plan_answer(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    sample = _block("sample", body["messages"][1]["content"])
    tools = {t["name"]: t for t in sample["tools"]}
    order = [n for n in sample.get("suggested_order") or [] if n in tools] or list(tools)
    for name in tools:
        if name not in order:
            order.append(name)
    flows = sample.get("data_flows") or []
    made: list[tuple[str, str]] = []  # (call id, tool)

    def call(turn: int, number: int, tool_name: str) -> dict[str, Any]:
        tool = tools[tool_name]
        arguments = []
        params = (tool.get("parameters") or {}).get("properties") or {}
        for param in (tool.get("parameters") or {}).get("required") or []:
            flow = next((f for f in flows if f["to_tool"] == tool_name and f["input_param"] == param
                         and any(t == f["from_tool"] for _, t in made)), None)
            if flow:
                source_id = next(cid for cid, t in made if t == flow["from_tool"])
                arguments.append({"name": param, "source": "tool_output", "value": None,
                                  "call_id": source_id, "field": flow["output_field"]})
            else:
                arguments.append({"name": param, "source": "user", "value": synth(params.get(param), param, rng),
                                  "call_id": None, "field": None})
        call_id = f"t{turn}c{number}"
        made.append((call_id, tool_name))
        return {"call_id": call_id, "tool": tool_name, "arguments": arguments}

    turns = [{"intent": "Say hello and explain the trip they are planning", "needs_tools": False,
              "chat_kind": "greeting", "calls": []}]
    turns.append({"intent": "Ask for the first piece of information", "needs_tools": True, "chat_kind": None,
                  "calls": [call(2, 1, order[0])]})
    if len(order) > 1:
        turns.append({"intent": "Follow up on that result and ask for the next step", "needs_tools": True,
                      "chat_kind": None, "calls": [call(3, n, name) for n, name in enumerate(order[1:3], start=1)]})
    turns.append({"intent": "Thank the assistant", "needs_tools": False, "chat_kind": "thanks", "calls": []})
    return {"scenario": "A traveller organising a short trip.", "turns": turns}


def user_answer(body: dict[str, Any]) -> str:
    data = _block("conversation", body["messages"][1]["content"])
    step = data["next_message"]
    values = step.get("values_to_mention") or {}
    text = ("Hi! " if step.get("is_first_message") else "") + step["intent"].rstrip(".") + "."
    if values:
        text += " " + ", ".join(f"the {k} is {v}" for k, v in values.items()) + "."
    return text


def assistant_answer(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    plan = _block("turn_plan", body["messages"][0]["content"])
    if plan["step"] != "call_tools":
        return {"role": "assistant", "content": "Here is what I found for you." if plan["step"] == "answer"
                else "Happy to help with that!"}
    if body.get("tools"):
        offered = {t["function"]["name"]: t["function"] for t in body["tools"]}
    else:
        offered = {f["name"]: f for f in _block("functions", body["messages"][0]["content"])}
    calls = []
    for index, planned in enumerate(plan["calls"]):
        function = offered[planned["function"]]
        params = function.get("parameters") or {}
        arguments = dict(planned.get("arguments") or {})
        for required in params.get("required") or []:
            arguments.setdefault(required, synth((params.get("properties") or {}).get(required), required, rng))
        calls.append({"id": f"call_{rng.randint(1000, 9999)}_{index}", "type": "function",
                      "function": {"name": planned["function"], "arguments": json.dumps(arguments)}})
    return {"role": "assistant", "content": None, "tool_calls": calls}


def _schema_of(body: dict[str, Any]) -> dict[str, Any] | None:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["schema"]
    if fmt.get("type") == "json_object":
        return fmt.get("schema")
    return None


def tool_answer(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A tool result for the request's `<tool_call>` block: schema-valid, echoing the call's arguments, holding
    the fields later calls read (a model that reads its call)."""
    data = _block("tool_call", body["messages"][1]["content"])
    schema = _schema_of(body) or data["function"].get("returns") or {"type": "object"}
    value = synth(schema, "result", rng)
    if not isinstance(value, dict):
        value = {"result": value}
    target = value["result"] if "result" in value and isinstance(value["result"], dict) else value
    for key, arg in (data.get("arguments") or {}).items():
        if key in target and type(target[key]) is type(arg):
            target[key] = arg  # consistent with the call
        # the thing the call names is the thing returned: get_tweet(tweet_id=5) answers id 5
        if key.endswith("_id") and key[:-3] in data["function"].get("name", "") and \
                type(target.get("id")) is type(arg):
            target["id"] = arg
    for path in data.get("fields_needed_later") or []:
        _set_path(target, path, f"{path.replace('.', '-')}-{rng.randint(100, 999)}")
    if not value:
        value = {"status": "ok"}
    return value


CONTRADICTION = "Somewhere Else Entirely"


def executor_answer(body: dict[str, Any], rng: random.Random, fault: str = "") -> dict[str, Any]:
    """The llm executor's answer (`tool_answer`), read from the request's first user message whatever came
    after (a repair). `fault`: "contradict_once" puts another value
    in each string field named like a string argument in first requests only (the repair fixes it);
    "contradict_always" does so in repairs too (the executor falls back)."""
    value = tool_answer(body, rng)
    repair = len(body["messages"]) > 2
    if fault == "contradict_always" or (fault == "contradict_once" and not repair):
        data = _block("tool_call", body["messages"][1]["content"])
        target = value["result"] if "result" in value and isinstance(value["result"], dict) else value
        for key, argument in (data.get("arguments") or {}).items():
            if isinstance(target.get(key), str) and isinstance(argument, str):
                target[key] = CONTRADICTION
    return value


_WRITER_OPENERS = {"user": ("So, ", "Okay, ", "Right, "), "assistant": ("Sure thing. ", "Alright. ", "Got it. ")}
LOST_VALUE_TEXT = "Let me put that more simply for you."


def writer_texts(request: str) -> list[dict[str, Any]]:
    """The texts a writer request asks for: `m<index> (<role>): <text>` lines, each maybe followed by a
    `keep:` line (llm_writer.writer_messages)."""
    block = re.search(r"^<dialogue>$(.*?)^</dialogue>$", request, re.DOTALL | re.MULTILINE)
    items: list[dict[str, Any]] = []
    for line in (block.group(1) if block else "").splitlines():
        text = re.match(r"^m(\d+) \((user|assistant)\): (.*)$", line)
        if text:
            items.append({"index": int(text.group(1)), "role": text.group(2), "text": text.group(3), "keep": []})
        elif line.strip().startswith("keep: ") and items:
            items[-1]["keep"] = line.strip()[len("keep: "):].split(" | ")
    return items


def writer_answer(body: dict[str, Any], fault: str = "") -> dict[str, Any]:
    """The llm writer's rewrite: each text asked for with a short opener in front, so every value stays.
    `fault`: "lose_once" replaces the first text that must keep values with one that keeps none, in first
    requests only (the repair then fixes it); "lose_always" does so in repairs too (it falls back); "echo"
    gives every text back unchanged (a model that rewrote nothing)."""
    # the dialogue to write: the last user message with a <dialogue> block (the first is the prompt's
    # worked example; a client's JSON repair may follow)
    request = [m["content"] for m in body["messages"] if m.get("role") == "user" and "<dialogue>" in m["content"]][-1]
    repair = "could not be used" in request
    dropped = False
    answers: dict[str, str] = {}
    for item in writer_texts(request):
        key, text = f"m{item['index']}", item["text"]
        if fault == "echo":
            answers[key] = text
            continue
        if item["keep"] and not dropped and (fault == "lose_always" or (fault == "lose_once" and not repair)):
            dropped = True
            answers[key] = LOST_VALUE_TEXT
            continue
        answers[key] = _WRITER_OPENERS[item["role"]][item["index"] % 3] + text
    return answers


def judge_answer(body: dict[str, Any]) -> str:
    """The LLM judge's scores on 1-5 (deterministic per transcript), in the JSON the judge prompt asks for."""
    seed = sum(map(ord, json.dumps(body.get("messages") or [])[-400:]))
    return json.dumps({"naturalness": 3 + seed % 3, "coherence": 4 + seed % 2, "helpfulness": 3 + (seed // 3) % 3,
                       "rationale": "Scripted judge: the dialogue follows its plan."})
