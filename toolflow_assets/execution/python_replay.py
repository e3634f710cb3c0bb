"""Replaying a dialogue's Python environment calls: each call that a class answered, run again on a fresh
instance built from the initial state recorded in the dialogue's `executions`, so anyone can check that a
tool message is what the class returns (a failure injected outside the call was never run, and is left out)."""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

from .python_env import BY_CLASS, documented, load, run_call


def replay(messages: Sequence[Mapping[str, Any]], executions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """tool_call_id -> result, for every call a Python environment answered, run again on fresh instances
    built from the recorded initial states, in the dialogue's order. Pure: needs only the dialogue's
    messages and its `executions` metadata (and bfcl-eval installed)."""
    calls = {call["id"]: call["function"] for message in messages if message.get("role") == "assistant"
             for call in message.get("tool_calls") or []}
    instances: dict[str, Any] = {}
    results: dict[str, Any] = {}
    for entry in executions:
        path = entry.get("environment")
        if not path:
            continue
        if path not in instances:
            if "initial_state" not in entry:
                raise ValueError(f"{entry.get('tool_call_id')}: the first call to {path} records no initial_state")
            env = BY_CLASS[path.rsplit(":", 1)[-1]]
            instances[path] = load(env, entry["initial_state"])
        function = calls[entry["tool_call_id"]]
        arguments = function["arguments"]
        result = run_call(instances[path], entry["method"],
                          json.loads(arguments) if isinstance(arguments, str) else arguments)
        results[entry["tool_call_id"]] = documented(result, entry)
    return results
