"""`dialogues` as a table (`DIALOGUE_SCHEMA`), its summary for metadata, and a Markdown rendering.

Messages and tools are stored as JSON text; counts come from the messages themselves, so a row says
what the dialogue really contains, whatever the plan intended.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Iterable, Mapping, Sequence

import polars as pl

from ..planning.models import DialoguePlan
from ..tools import stable_id
from .models import DIALOGUE_SCHEMA, Dialogue, Provenance


def user_turns(messages: Sequence[dict[str, Any]]) -> int:
    return sum(1 for m in messages if m.get("role") == "user")


def tool_calls(messages: Sequence[dict[str, Any]]) -> int:
    return sum(len(m.get("tool_calls") or []) for m in messages if m.get("role") == "assistant")


def dialogues_to_frame(dialogues: Sequence[Dialogue], planned: Mapping[str, bool] | None = None) -> pl.DataFrame:
    """One row per dialogue. `planned`: plan_id → whether its plan came from the planner (default: yes)."""
    planned = planned or {}
    rows = []
    for d in dialogues:
        usage = d.provenance.usage or {}
        rows.append({
            "dialogue_id": d.dialogue_id,
            "plan_id": d.plan_id,
            "sample_id": d.sample_id,
            "strategy": d.strategy,
            "status": d.status,
            "error": d.error,
            "messages": json.dumps(d.messages, ensure_ascii=False),
            "tools": json.dumps(d.tools, ensure_ascii=False),
            "backend": d.provenance.backend,
            "model": d.provenance.model,
            "prompt_version": d.provenance.prompt_version,
            "seed": d.provenance.seed,
            "n_user_turns": user_turns(d.messages),
            "n_tool_calls": tool_calls(d.messages),
            "prompt_tokens": int(usage.get("prompt_tokens", 0)),
            "completion_tokens": int(usage.get("completion_tokens", 0)),
            "requests": int(usage.get("requests", 0)),
            "planned": bool(planned.get(d.plan_id, True)),
            "executor": d.provenance.executor,
            "executions": json.dumps(d.executions, ensure_ascii=False),
            "writer": writer_of(d),
            "writers": json.dumps(d.writers or _uniform_writers(d.messages, writer_of(d)), ensure_ascii=False),
        })
    return pl.DataFrame(rows, schema=DIALOGUE_SCHEMA)


def writer_of(dialogue: Dialogue) -> str:
    """The writer named in provenance; before writers were separate, the backend decided: offline wrote
    templates, openai ran its user and assistant agents."""
    if dialogue.provenance.writer:
        return dialogue.provenance.writer
    return "template" if dialogue.provenance.backend == "offline" else "agent"


def _uniform_writers(messages: Sequence[dict[str, Any]], writer: str) -> list[dict[str, Any]]:
    return [{"index": i, "role": m["role"], "writer": writer} for i, m in enumerate(messages)
            if m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str) and m["content"].strip()]


def agent_adherence(frame: pl.DataFrame) -> dict[str, int]:
    """How often the agent writer's model made the plan's calls, from the per-turn records in `writers`
    (`matches_plan`): ok dialogues judged, those whose every turn matched, turns judged, turns diverged.
    Empty for other writers."""
    counts = {"dialogues": 0, "dialogues_matching": 0, "turns": 0, "turns_diverged": 0}
    for status, text in frame.select("status", "writers").iter_rows() if "writers" in frame.columns else []:
        records = [e for e in json.loads(text or "[]") if "matches_plan" in e]
        if status != "ok" or not records:
            continue
        diverged = sum(e["matches_plan"] is False for e in records)
        counts["dialogues"] += 1
        counts["dialogues_matching"] += all(e["matches_plan"] is True for e in records)
        counts["turns"] += len(records)
        counts["turns_diverged"] += diverged
    return counts if counts["dialogues"] else {}


def writer_counts(frame: pl.DataFrame) -> dict[str, int]:
    """Texts by writer (llm, template, template-fallback, agent) over a frame's `writers` column."""
    counts: Counter[str] = Counter()
    for text in frame["writers"].to_list() if "writers" in frame.columns else []:
        for entry in json.loads(text or "[]"):
            counts[str(entry.get("writer"))] += 1
    return dict(sorted(counts.items()))


def failed_plan_dialogues(failed: Iterable[dict[str, Any]], backend: str, model: str, prompt_version: str,
                          seed: int) -> list[Dialogue]:
    """A failed row for each plan that could not be made, so no sample silently drops out."""
    return [
        Dialogue(
            dialogue_id=stable_id("dialogue", str(row["plan_id"]), backend, model, str(seed)),
            plan_id=str(row["plan_id"]),
            sample_id=str(row["sample_id"]),
            strategy=str(row.get("strategy") or ""),
            messages=[],
            tools=[],
            provenance=Provenance(backend=backend, model=model, prompt_version=prompt_version, seed=seed),
            status="failed",
            error=f"no_plan: {row.get('error') or 'planning failed'}",
        )
        for row in failed
    ]


def dialogue_summary(frame: pl.DataFrame, plans: Sequence[DialoguePlan]) -> dict[str, Any]:
    """Counts and means for metadata. `chained_share`: share of ok dialogues whose plan feeds an argument
    from an earlier tool output (the offline generator always carries such values through)."""
    ok = frame.filter(pl.col("status") == "ok")
    chained = {p.plan_id for p in plans if p.is_chained}
    n_ok = ok.height
    errors = Counter((e or "").split(":")[0] for e in frame.filter(pl.col("status") != "ok")["error"].to_list())
    return {
        "rows": frame.height,
        "status_counts": dict(Counter(frame["status"].to_list())),
        "failure_reasons": dict(errors),
        "mean_user_turns": round(float(ok["n_user_turns"].mean()), 3) if n_ok else 0.0,
        "mean_tool_calls": round(float(ok["n_tool_calls"].mean()), 3) if n_ok else 0.0,
        "chained_share": round(sum(1 for p in ok["plan_id"].to_list() if p in chained) / n_ok, 3) if n_ok else 0.0,
        "tool_results": execution_counts(frame),
        "usage": {
            "prompt_tokens": int(frame["prompt_tokens"].sum() or 0),
            "completion_tokens": int(frame["completion_tokens"].sum() or 0),
            "requests": int(frame["requests"].sum() or 0),
        },
    }


def execution_counts(frame: pl.DataFrame) -> dict[str, int]:
    """Tool messages by `executor/status` (simulated/ok, simulated/error, mcp/empty...), from the rows'
    `executions`: who produced the results, and how many were errors or empty; and calculations by
    `calculation/computed` or `calculation/uncomputed` (a calculation no formula answered: its number is
    made up; execution/simulated.calculation)."""
    counts: Counter[str] = Counter()
    for text in frame["executions"].to_list() if "executions" in frame.columns else []:
        for entry in json.loads(text or "[]"):
            counts[f"{entry.get('executor')}/{entry.get('status')}"] += 1
            if entry.get("calculation"):
                counts[f"calculation/{entry['calculation']}"] += 1
    return dict(sorted(counts.items()))


def dialogue_markdown(messages: Sequence[dict[str, Any]], title: str = "") -> str:
    """A dialogue as Markdown: one block per message, tool calls with their JSON arguments."""
    lines = [f"### {title}", ""] if title else []
    for message in messages:
        role = message.get("role")
        content = message.get("content")
        if role == "system":
            lines.append(f"**System:** {content}")
        elif role == "user":
            lines.append(f"**User:** {content}")
        elif role == "assistant":
            if content:
                lines.append(f"**Assistant:** {content}")
            for call in message.get("tool_calls") or []:
                function = call.get("function") or {}
                lines.append(f"**Assistant → `{function.get('name')}`** (`{call.get('id')}`)")
                lines.append(f"```json\n{_pretty(function.get('arguments'))}\n```")
        elif role == "tool":
            lines.append(f"**Tool `{message.get('name')}`** (`{message.get('tool_call_id')}`)")
            lines.append(f"```json\n{_pretty(content)}\n```")
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def _pretty(text: Any) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(text)
