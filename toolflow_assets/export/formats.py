"""Export records: the canonical OpenAI chat record, and the ShareGPT and Hermes shapes some trainers want.

Inside the pipeline a dialogue is OpenAI chat messages plus OpenAI tool definitions; formatting for a
trainer happens only here (STYLE: one canonical schema, provider shapes at the edges). Tool calls and tool
results are first-class in every shape: nothing about them is dropped silently.
"""

from __future__ import annotations

import json
from typing import Any

from ..quality.conversation import content_text
from .flavors import arguments_as_objects

HERMES_SYSTEM = (
    "You are a function calling AI model. You are provided with function signatures within <tools></tools> "
    "XML tags. You may call one or more functions to assist with the user query. Don't make assumptions "
    "about what values to plug into functions. Here are the available tools: <tools> {tools} </tools> "
    "For each function call return a json object with function name and arguments within "
    "<tool_call></tool_call> XML tags as follows:\n<tool_call>\n{{\"name\": <function-name>, "
    "\"arguments\": <args-dict>}}\n</tool_call>"
)


def clean_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages with only the keys the OpenAI chat format defines for their role (no internal fields)."""
    cleaned: list[dict[str, Any]] = []
    for message in messages:
        role = message.get("role")
        if role == "assistant":
            item: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
            if message.get("tool_calls"):
                item["tool_calls"] = [
                    {"id": call["id"], "type": "function",
                     "function": {"name": call["function"]["name"], "arguments": call["function"]["arguments"]}}
                    for call in message["tool_calls"]
                ]
            cleaned.append(item)
        elif role == "tool":
            item = {"role": "tool", "tool_call_id": message.get("tool_call_id"), "content": content_text(message)}
            if message.get("name"):
                item["name"] = message["name"]
            cleaned.append(item)
        else:
            cleaned.append({"role": role, "content": message.get("content")})
    return cleaned


def openai_record(dialogue_id: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                  metadata: dict[str, Any], tools_as_json: bool = False) -> dict[str, Any]:
    """`{"id", "messages", "tools", "metadata"}`: one JSON line of train.jsonl / validation.jsonl (the
    `openai` flavor: `arguments` as JSON strings, what OpenAI fine-tuning takes).

    `tools` is the list of `{"type": "function", "function": {...}}`, as OpenAI fine-tuning and
    `apply_chat_template(messages, tools=tools)` take it. Tool schemas differ in shape from tool to tool;
    Arrow-based readers load them through the card's `Json` features (datasets >= 4.1), not by inferring one
    struct. `tools_as_json` writes the JSON text instead, for readers that need one fixed column type.
    """
    return {"id": dialogue_id, "messages": clean_messages(messages),
            "tools": json.dumps(tools, ensure_ascii=False) if tools_as_json else tools, "metadata": metadata}


def hf_record(dialogue_id: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
              metadata: dict[str, Any], tools_as_json: bool = False) -> dict[str, Any]:
    """The `hf` flavor: the openai record with each call's `arguments` as an object, which Hugging Face chat
    templates (and so TRL and LLaMA-Factory's openai format) render as JSON once, not double-encoded."""
    record = openai_record(dialogue_id, messages, tools, metadata, tools_as_json)
    record["messages"] = arguments_as_objects(record["messages"])
    return record


# ------------------------------------------------------------------------------------------ ShareGPT

def _call_json(call: dict[str, Any]) -> dict[str, Any]:
    function = call.get("function", {})
    try:
        arguments = json.loads(function.get("arguments") or "{}")
    except json.JSONDecodeError:
        arguments = function.get("arguments")
    return {"name": function.get("name"), "arguments": arguments}


def sharegpt_record(dialogue_id: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                    metadata: dict[str, Any], text_with_calls: bool = True) -> dict[str, Any]:
    """ShareGPT with tool roles (LLaMA-Factory's layout): `conversations` of `human`, `gpt`,
    `function_call` (the call as JSON `{"name", "arguments"}`, a JSON list for parallel calls) and
    `observation` (the tool output; a JSON list for parallel results), `system` and `tools` (a JSON string
    of the function definitions) beside it.

    ShareGPT alternates human/observation with gpt/function_call, so an assistant's text before a call
    cannot be its own turn. With `text_with_calls` (default) that `function_call` value is the text, then the
    JSON inside `<tool_call>…</tool_call>`: LLaMA-Factory's function formatter (templates with
    `tool_call_words`) keeps the text outside the tags before the formatted call, so the model learns to say
    it; older LLaMA-Factory versions parse the whole value as JSON and need False. Either way the text is
    also in `assistant_preambles` ([{"turn": index in conversations, "text"}]).
    """
    system = ""
    conversation: list[dict[str, str]] = []
    preambles: list[dict[str, Any]] = []
    pending_results: list[Any] = []

    def flush_results() -> None:
        if pending_results:
            value = pending_results[0] if len(pending_results) == 1 else pending_results
            conversation.append({"from": "observation",
                                 "value": value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)})
            pending_results.clear()

    for message in messages:
        role = message.get("role")
        text = content_text(message)
        if role != "tool":
            flush_results()
        if role == "system":
            system = text
        elif role == "user":
            conversation.append({"from": "human", "value": text})
        elif role == "assistant" and message.get("tool_calls"):
            calls = [_call_json(c) for c in message["tool_calls"]]
            if text.strip():
                preambles.append({"turn": len(conversation), "text": text})
            value = json.dumps(calls[0] if len(calls) == 1 else calls, ensure_ascii=False)
            if text.strip() and text_with_calls:
                value = f"{text.strip()}\n<tool_call>{value}</tool_call>"
            conversation.append({"from": "function_call", "value": value})
        elif role == "assistant":
            conversation.append({"from": "gpt", "value": text})
        elif role == "tool":
            pending_results.append(text)
    flush_results()
    # assistant_preambles is always present (empty when there is none): one column type for Arrow readers
    return {"id": dialogue_id, "conversations": conversation, "system": system,
            "tools": json.dumps([t.get("function", t) for t in tools], ensure_ascii=False),
            "metadata": metadata, "assistant_preambles": preambles}


# -------------------------------------------------------------------------------------------- Hermes

def hermes_record(dialogue_id: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
                  metadata: dict[str, Any]) -> dict[str, Any]:
    """Hermes function-calling text (NousResearch's layout): the tools inside `<tools>` in the system
    prompt, each call as `<tool_call>{"name", "arguments"}</tool_call>` after whatever the assistant said
    first, each result as `<tool_response>{"name", "content"}</tool_response>` from `tool`."""
    tool_text = json.dumps(tools, ensure_ascii=False)
    system = HERMES_SYSTEM.format(tools=tool_text)
    conversation: list[dict[str, str]] = []
    names = {c.get("id"): c.get("function", {}).get("name")
             for m in messages if m.get("role") == "assistant" for c in m.get("tool_calls") or []}
    pending_results: list[str] = []

    def flush_results() -> None:
        if pending_results:
            conversation.append({"from": "tool", "value": "\n".join(pending_results)})
            pending_results.clear()

    for message in messages:
        role = message.get("role")
        text = content_text(message)
        if role != "tool":
            flush_results()
        if role == "system":
            system = system + "\n\n" + text
        elif role == "user":
            conversation.append({"from": "human", "value": text})
        elif role == "assistant":
            parts = [text.strip()] if text.strip() else []
            for call in message.get("tool_calls") or []:
                parts.append("<tool_call>\n" + json.dumps(_call_json(call), ensure_ascii=False) + "\n</tool_call>")
            conversation.append({"from": "gpt", "value": "\n".join(parts)})
        elif role == "tool":
            try:
                content: Any = json.loads(text)
            except json.JSONDecodeError:
                content = text
            name = message.get("name") or names.get(message.get("tool_call_id"))
            pending_results.append("<tool_response>\n" + json.dumps({"name": name, "content": content},
                                                                    ensure_ascii=False) + "\n</tool_response>")
    flush_results()
    return {"id": dialogue_id, "conversations": [{"from": "system", "value": system}, *conversation],
            "metadata": metadata}


FORMATS = {"openai": openai_record, "hf": hf_record, "sharegpt": sharegpt_record, "hermes": hermes_record}
