"""Message transforms that make one canonical dialogue load in each trainer without a conversion step.

The pipeline keeps OpenAI chat messages (JSON-string `arguments`). Trainers differ in three ways, each a
pure transform here, applied only at export (STYLE: provider shapes at the edges):
- `hf` flavor: `arguments` as objects. Hugging Face chat templates (Qwen2.5, Hermes, Llama 3.1, Mistral)
  apply `tojson` to them, so a JSON string would be rendered double-encoded and a model trained on it
  learns to emit strings.
- call ids of 9 letters and digits: Mistral's templates refuse any other length; OpenAI and the others
  accept any id, so every flavor gets the same ids.
- parallel calls split into consecutive turns (call, result, call, result): Llama 3.1's template refuses
  more than one call per assistant message.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def record_id(messages: list[dict[str, Any]], tools: list[dict[str, Any]], corpus_fingerprint: str) -> str:
    """`tf-` + 20 hex digits of sha256 over the corpus fingerprint and the dialogue's content.

    The pipeline's dialogue ids (`g-000`, batch and index) repeat in every run and corpus; a merged export
    would then hold two different records under one id. Content plus corpus gives one id per distinct record:
    the same dialogue exported twice keeps its id (a true duplicate), anything else differs."""
    digest = hashlib.sha256(f"{corpus_fingerprint}\x1f{canonical_json([messages, tools])}".encode("utf-8"))
    return "tf-" + digest.hexdigest()[:20]


def short_call_id(seed: str, index: int) -> str:
    """A 9-character alphanumeric id, stable for (seed, index)."""
    number = int.from_bytes(hashlib.sha256(f"{seed}\x1f{index}".encode("utf-8")).digest()[:8], "big")
    chars = []
    for _ in range(9):
        number, rest = divmod(number, len(ALPHANUMERIC))
        chars.append(ALPHANUMERIC[rest])
    return "".join(chars)


def renumber_call_ids(messages: list[dict[str, Any]], seed: str) -> list[dict[str, Any]]:
    """The same messages with every call id (and each tool message's `tool_call_id`) replaced by a
    9-character id, consistently: a tool message still answers the call it answered. Models often reuse
    `call_1` in every turn, so a result refers to the latest call of that id before it."""
    latest: dict[Any, str] = {}
    count = 0
    out = []
    for message in messages:
        # New dicts only where an id changes (the rest is shared, never changed): a deep copy of every
        # message was a third of the export's time.
        message = dict(message)
        if message.get("tool_calls"):
            message["tool_calls"] = [dict(call) for call in message["tool_calls"]]
        for call in message.get("tool_calls") or []:
            latest[call.get("id")] = call["id"] = short_call_id(seed, count)
            count += 1
        if message.get("role") == "tool" and message.get("tool_call_id") in latest:
            message["tool_call_id"] = latest[message["tool_call_id"]]
        out.append(message)
    return out


def arguments_as_objects(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `hf` flavor: each call's `arguments` decoded to its object. Arguments that are not valid JSON
    cannot reach the export (the quality stage rejects them), so a decoding error here is a bug: raise."""
    out = copy.deepcopy(messages)
    for message in out:
        for call in message.get("tool_calls") or []:
            arguments = call["function"].get("arguments")
            if isinstance(arguments, str):
                call["function"]["arguments"] = json.loads(arguments or "{}")
    return out


def split_parallel_calls(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each assistant message with n > 1 calls becomes n consecutive turns: one call, then its result.

    The text the assistant said before the calls stays on the first call; a result that answers none of the
    calls (cannot happen after the quality checks) is kept after the last turn rather than dropped."""
    out: list[dict[str, Any]] = []
    index = 0
    while index < len(messages):
        message = messages[index]
        calls = message.get("tool_calls") or []
        if message.get("role") != "assistant" or len(calls) < 2:
            out.append(message)
            index += 1
            continue
        results: list[dict[str, Any]] = []
        index += 1
        while index < len(messages) and messages[index].get("role") == "tool":
            results.append(messages[index])
            index += 1
        answered: set[int] = set()
        for position, call in enumerate(calls):
            turn = {**message, "content": message.get("content") if position == 0 else None, "tool_calls": [call]}
            out.append(turn)
            for number, result in enumerate(results):
                if number not in answered and result.get("tool_call_id") == call.get("id"):
                    out.append(result)
                    answered.add(number)
        out.extend(result for number, result in enumerate(results) if number not in answered)
    return out


def has_parallel_calls(messages: list[dict[str, Any]]) -> bool:
    return any(len(m.get("tool_calls") or []) > 1 for m in messages)
