"""A generated dialogue: OpenAI chat messages, the tools offered, and where it came from.

Messages are plain dicts in the OpenAI chat format: `{"role": "user", "content": ...}`, assistant
messages with `tool_calls` (`{"id", "type": "function", "function": {"name", "arguments": <JSON string>}}`),
and `{"role": "tool", "tool_call_id", "name", "content": <JSON string>}`.
"""

from __future__ import annotations

from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, Field

DIALOGUE_STATUS = Literal["ok", "failed"]


class Provenance(BaseModel):
    backend: str
    model: str
    prompt_version: str
    seed: int
    executor: str | None = None  # who produced the tool results (execution/: simulated, llm, mcp, python)
    writer: str | None = None  # who wrote the user and assistant texts (template, llm); None: the backend's own
    usage: dict[str, int] = Field(default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0, "requests": 0})


class Dialogue(BaseModel):
    dialogue_id: str
    plan_id: str
    sample_id: str
    strategy: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    provenance: Provenance
    status: DIALOGUE_STATUS = "ok"
    error: str | None = None
    # one entry per tool message: {tool_call_id, name, executor, status: ok | error | empty}
    executions: list[dict[str, Any]] = Field(default_factory=list)
    # one entry per user/assistant text: {index, role, writer: llm | template | template-fallback, reason?}
    writers: list[dict[str, Any]] = Field(default_factory=list)


DIALOGUE_SCHEMA: dict[str, pl.DataType] = {
    "dialogue_id": pl.String,
    "plan_id": pl.String,
    "sample_id": pl.String,
    "strategy": pl.String,
    "status": pl.String,  # ok | failed
    "error": pl.String,
    "messages": pl.String,  # JSON list of OpenAI chat messages
    "tools": pl.String,  # JSON list of OpenAI tool definitions
    "backend": pl.String,
    "model": pl.String,
    "prompt_version": pl.String,
    "seed": pl.Int64,
    "n_user_turns": pl.Int64,
    "n_tool_calls": pl.Int64,
    "prompt_tokens": pl.Int64,
    "completion_tokens": pl.Int64,
    "requests": pl.Int64,
    "planned": pl.Boolean,  # false: generated from an improvised plan (the no-planning ablation)
    "executor": pl.String,  # who produced the tool results (simulated, llm, mcp, python)
    "executions": pl.String,  # JSON list, per tool message: tool_call_id, name, executor, status (ok|error|empty)
    "writer": pl.String,  # who wrote the texts: template (offline), llm (the llm writer), agent (the openai backend)
    "writers": pl.String,  # JSON list, per user/assistant text: index, role, writer (llm|template|template-fallback), reason
}
