"""A strict, independent validator of generated dialogues (test helper; never imported by the package).

It restates the rules the quality stage enforces, written from the rule text rather than from either the
generator's or the quality stage's code, so a shared misunderstanding is less likely to hide:
structure, argument schemas, grounding of every argument leaf, tool responses against return schemas,
plan adherence, and that tool_output arguments carry the producer's actual value.
"""

from __future__ import annotations

import json
import re
import math
from functools import lru_cache
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator

from toolflow_assets.execution import is_error_result
from toolflow_assets.planning.models import DialoguePlan
from toolflow_assets.tools import Tool


def _num_text(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return repr(value)


def _leaves(value: Any, path: tuple = ()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, path + (i,))
    else:
        yield path, value


@lru_cache(maxsize=4096)
def _validator(schema_text: str):
    schema = json.loads(schema_text)
    cls = jsonschema.validators.validator_for(schema, default=Draft202012Validator)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _validate(value: Any, schema: dict) -> list[str]:
    return [e.message for e in _validator(json.dumps(schema, sort_keys=True)).iter_errors(value)]


def _sub_schemas(schema: Any, path: tuple) -> list[dict]:
    current = [schema] if isinstance(schema, dict) else []
    for step in path:
        nxt = []
        for s in current:
            if isinstance(step, int) and isinstance(s.get("items"), dict):
                nxt.append(s["items"])
            elif isinstance(step, str) and isinstance(s.get("properties"), dict) and step in s["properties"]:
                nxt.append(s["properties"][step])
            elif isinstance(step, str) and isinstance(s.get("additionalProperties"), dict):
                nxt.append(s["additionalProperties"])
        current = nxt
    return current


def _declared(value: Any, schemas: list[dict]) -> bool:
    for s in schemas:
        if "default" in s and s["default"] == value and type(s["default"]) is type(value):
            return True
        if isinstance(s.get("enum"), list) and any(v == value and type(v) is type(value) for v in s["enum"]):
            return True
    return False


def _grounded(value: Any, schemas: list[dict], context: str) -> bool:
    if isinstance(value, bool):
        return True
    if _declared(value, schemas):
        return True
    # Stricter than the product's rule on purpose, and written independently of it: the offline generator
    # writes values verbatim, so a value must stand as its own token (never inside a word or a longer
    # number: "sea" in "search", "2" in "4.2" do not count), with no paraphrase normalization at all.
    if isinstance(value, str):
        return bool(value.strip()) and re.search(r"(?<![\w.])" + re.escape(value.casefold()) + r"(?![\w]|\.\d)",
                                                 context) is not None
    if isinstance(value, (int, float)):
        return re.search(r"(?<![\w.-])" + re.escape(_num_text(value)) + r"(?![\w]|[.,]\d)", context) is not None
    return False  # null is never produced by the offline generator, so it is not accepted here


def _output_at(result: Any, path: str) -> tuple[bool, Any]:
    """Read `a.b`, `items[].id`, `result` (whole non-object value) from a tool result."""
    current = result
    parts = [p for p in path.replace("[]", ".0").split(".") if p]
    if parts[:1] == ["result"] and not (isinstance(result, dict) and "result" in result):
        parts = parts[1:]
    for part in parts:
        if isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        elif isinstance(current, list) and current and isinstance(current[0], dict) and part in current[0]:
            current = current[0][part]
        elif isinstance(current, dict) and part in current:
            current = current[part]
        else:
            return False, None
    return True, current


def dialogue_problems(messages: list[dict], offered: list[dict], plan: DialoguePlan, catalog: dict[str, Tool]) -> list[str]:
    problems: list[str] = []
    offered_names = {t["function"]["name"] for t in offered}
    if offered_names != set(plan.tools):
        problems.append(f"offered tools {sorted(offered_names)} differ from the plan's {plan.tools}")

    # ---- structure
    if not messages or messages[-1].get("role") != "assistant" or messages[-1].get("tool_calls") \
            or not str(messages[-1].get("content") or "").strip():
        problems.append("the last message is not an assistant answer in text")
    open_calls: dict[str, str] = {}
    previous = None
    for i, m in enumerate(messages):
        role = m.get("role")
        if role not in ("system", "user", "assistant", "tool"):
            problems.append(f"message {i}: bad role {role!r}")
        if role == "system" and i != 0:
            problems.append(f"message {i}: system message not first")
        if role != "tool" and open_calls:
            problems.append(f"message {i}: calls {sorted(open_calls)} unanswered")
            open_calls.clear()
        if role == "user" and previous == "user":
            problems.append(f"message {i}: two user messages in a row")
        if role in ("system", "user", "tool") and not str(m.get("content") or "").strip():
            problems.append(f"message {i}: empty {role} message")
        if role == "assistant":
            calls = m.get("tool_calls") or []
            if not calls and not str(m.get("content") or "").strip():
                problems.append(f"message {i}: empty assistant message")
            for c in calls:
                if c.get("type") != "function" or not isinstance(c.get("function", {}).get("arguments"), str):
                    problems.append(f"message {i}: malformed tool call {c}")
                open_calls[c["id"]] = c["function"]["name"]
        if role == "tool":
            if m.get("tool_call_id") not in open_calls:
                problems.append(f"message {i}: answers no open call")
            elif open_calls.pop(m["tool_call_id"]) != m.get("name"):
                problems.append(f"message {i}: tool name differs from the call's")
        previous = role
    if open_calls:
        problems.append("calls left unanswered at the end")

    # ---- per call: schema, grounding, tool responses, flows
    context_parts: list[str] = []
    results: dict[str, Any] = {}  # message call id -> parsed tool result
    call_of_message_id: dict[str, str] = {}  # message call id -> plan call id
    planned_calls = [c for t in plan.turns for c in t.calls]
    planned_index = 0
    user_turn_calls: list[list[str]] = []
    for m in messages:
        role = m.get("role")
        if role == "user":
            context_parts.append(m["content"].casefold())
            user_turn_calls.append([])
            turn_calls: list[tuple[str, str, str]] = []  # (message call id, name, arguments) made in this turn
        elif role == "tool":
            context_parts.append(m["content"].casefold())
            try:
                results[m["tool_call_id"]] = json.loads(m["content"])
            except json.JSONDecodeError:
                problems.append(f"tool content of {m['name']} is not JSON")
                continue
            tool = catalog[m["name"]]
            # a tool error ({"error": {...}}) answers outside the success schema, as real APIs do
            if tool.returns and not is_error_result(results[m["tool_call_id"]]):
                errors = _validate(results[m["tool_call_id"]], tool.returns)
                if errors:
                    problems.append(f"{m['name']} response invalid: {errors[:2]}")
        elif role == "assistant":
            context = "\n".join(context_parts)
            for c in m.get("tool_calls") or []:
                name = c["function"]["name"]
                # a retry: the same call as one of this turn that failed; it stands for that planned call
                failed = next((cid for cid, n, a in turn_calls if n == name and a == c["function"]["arguments"]
                               and is_error_result(results.get(cid))), None) if user_turn_calls else None
                if user_turn_calls:
                    turn_calls.append((c["id"], name, c["function"]["arguments"]))
                if failed is not None:
                    call_of_message_id[c["id"]] = call_of_message_id.get(failed, "")
                    continue
                if user_turn_calls:
                    user_turn_calls[-1].append(name)
                if name not in offered_names:
                    problems.append(f"call to {name}, which is not offered")
                    continue
                args = json.loads(c["function"]["arguments"])
                tool = catalog[name]
                errors = _validate(args, tool.parameters)
                if errors:
                    problems.append(f"{name} arguments invalid: {errors[:2]}")
                props = tool.parameters.get("properties", {})
                for arg, value in args.items():
                    for path, leaf in _leaves(value):
                        schemas = _sub_schemas(props.get(arg, {}), path)
                        top = [props.get(arg, {})] if isinstance(props.get(arg), dict) else []
                        if not _grounded(leaf, schemas, context) and not _declared(value, top):
                            problems.append(f"{name}.{arg}{list(path)} = {leaf!r} is not grounded")
                if planned_index < len(planned_calls):
                    planned = planned_calls[planned_index]
                    call_of_message_id[c["id"]] = planned.call_id
                    for arg, source in planned.arguments.items():
                        if source.kind != "tool_output":
                            continue
                        producer_msg = next((k for k, v in call_of_message_id.items() if v == source.call_id), None)
                        if producer_msg is None or producer_msg not in results:
                            problems.append(f"{planned.call_id}.{arg} reads {source.call_id}, not answered yet")
                            continue
                        found, expected = _output_at(results[producer_msg], source.field or "")
                        actual = args.get(arg)
                        if isinstance(actual, list) and len(actual) == 1 and not isinstance(expected, list):
                            actual = actual[0]
                        same = found and (actual == expected or (
                            isinstance(expected, (int, float)) and not isinstance(expected, bool)
                            and isinstance(actual, str) and actual == _num_text(expected)))
                        if not same:
                            problems.append(f"{planned.call_id}.{arg} = {actual!r}, but {source.call_id}."
                                            f"{source.field} returned {expected!r}")
                planned_index += 1

    # ---- plan adherence
    planned_turns = [[c.tool for c in t.calls] for t in plan.turns]
    if user_turn_calls != planned_turns:
        problems.append(f"calls per user turn {user_turn_calls} differ from the plan's {planned_turns}")
    return problems
