"""`toolflow check`: every deterministic check on any tool-calling JSONL in the OpenAI chat format.

A linter for tool-calling datasets, ToolFlow's or another generator's. A record is a JSON object with
`messages` (OpenAI chat messages; `tool_calls` arguments as JSON strings or objects) and `tools` (a list of
`{"type": "function", "function": {...}}` or of bare function objects, or that list as a JSON string). The
checks are the ones `dialogue_quality` runs, minus those that need ToolFlow's own tables (the plan and the
declared return schemas, unless a tool carries `returns`). A line that cannot be read is a failed record with
its line number, never a crash.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .checks import check_schema, check_structure, check_tool_responses, run_safely
from .conversation import load_json_list, offered_tools
from .evaluate import SEMANTIC_CHECKS
from .grounding import find_hallucinations
from .semantic import check_undeclared_arguments

LINT_CHECKS = ("structure", "schema", "undeclared_arguments", "grounding", "tool_responses",
               *SEMANTIC_CHECKS)


@dataclass
class RecordVerdict:
    id: str
    source: str  # `file:line`
    passed: bool
    checks: dict[str, bool] = field(default_factory=dict)  # absent: not run (the record was unreadable)
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "passed": self.passed, "checks": self.checks,
                "reasons": self.reasons}


def _tools(record: dict[str, Any]) -> tuple[list[Any], str | None]:
    tools, problem = load_json_list(record.get("tools", []))
    if problem and record.get("tools") not in (None, ""):
        return [], f"`tools` is {problem}"
    wrapped = [tool if isinstance(tool, dict) and "function" in tool else {"type": "function", "function": tool}
               for tool in tools]
    return wrapped, None


def _messages(record: dict[str, Any]) -> tuple[list[Any], str | None]:
    messages, problem = load_json_list(record.get("messages"))
    if problem:
        return [], f"`messages` is {problem}"
    normalized = []
    for message in messages:  # arguments given as objects (the hf flavour) are read as their JSON text
        if isinstance(message, dict) and isinstance(message.get("tool_calls"), list):
            calls = []
            for call in message["tool_calls"]:
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and isinstance(function.get("arguments"), (dict, list)):
                    call = {**call, "function": {**function, "arguments": json.dumps(function["arguments"])}}
                calls.append(call)
            message = {**message, "tool_calls": calls}
        normalized.append(message)
    return normalized, None


def check_record(record: Any, source: str, fallback_id: str) -> RecordVerdict:
    """All deterministic checks on one parsed record."""
    if not isinstance(record, dict):
        return RecordVerdict(fallback_id, source, False, reasons=[f"record: a JSON {type(record).__name__}, "
                                                                   "not an object"])
    record_id = str(record.get("id") or record.get("dialogue_id") or fallback_id)
    messages, problem = _messages(record)
    tools, tools_problem = _tools(record)
    problems = [p for p in (problem, tools_problem) if p]
    if problems:
        return RecordVerdict(record_id, source, False, reasons=[f"record: {p}" for p in problems])
    returns = {name: tool.get("returns") for name, tool in offered_tools(tools).items()
               if isinstance(tool.get("returns"), dict)}
    verdict = RecordVerdict(record_id, source, True)

    def record_check(name: str, found: list[str]) -> None:
        verdict.checks[name] = not found
        verdict.reasons.extend(f"{name}: {why}" for why in found)

    record_check("structure", run_safely(lambda: check_structure(messages), "structure"))
    record_check("schema", run_safely(lambda: check_schema(messages, tools), "schema"))
    record_check("undeclared_arguments", run_safely(lambda: check_undeclared_arguments(messages, tools),
                                                    "undeclared_arguments"))
    record_check("grounding", run_safely(lambda: [h.reason() for h in find_hallucinations(messages, tools)],
                                         "grounding"))
    record_check("tool_responses", run_safely(lambda: check_tool_responses(messages, returns), "tool_responses"))
    for name, check in SEMANTIC_CHECKS.items():
        record_check(name, run_safely(lambda: check(messages, tools, returns), name))
    verdict.passed = all(verdict.checks.values())
    return verdict


def read_records(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    """(line number, parsed record or None, why it is unreadable) for each non-blank line."""
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line), None
            except json.JSONDecodeError as problem:
                yield number, None, f"line {number} is not valid JSON ({problem.msg} at column {problem.colno})"


def lint_files(paths: Iterable[Path]) -> list[RecordVerdict]:
    verdicts: list[RecordVerdict] = []
    for path in paths:
        for number, record, problem in read_records(path):
            source = f"{path}:{number}"
            if problem:
                verdicts.append(RecordVerdict(f"{path.name}:{number}", source, False, reasons=[f"record: {problem}"]))
            else:
                verdicts.append(check_record(record, source, f"{path.name}:{number}"))
    return verdicts


@dataclass(frozen=True)
class LintSummary:
    records: int
    passed: int
    pass_rate_per_check: dict[str, float | None]
    unreadable: int
    top_reasons: list[tuple[str, int]]


def summarize(verdicts: list[RecordVerdict], top: int = 10) -> LintSummary:
    rates: dict[str, float | None] = {}
    for name in LINT_CHECKS:
        ran = [v.checks[name] for v in verdicts if name in v.checks]
        rates[name] = round(sum(ran) / len(ran), 4) if ran else None
    kinds = Counter(reason_kind(reason) for v in verdicts for reason in v.reasons)
    return LintSummary(
        records=len(verdicts),
        passed=sum(v.passed for v in verdicts),
        pass_rate_per_check=rates,
        unreadable=sum(1 for v in verdicts if not v.checks),
        top_reasons=kinds.most_common(top),
    )


def reason_kind(reason: str) -> str:
    """`grounding: call 2 get_x: argument 'city' = "Paris" …` → `grounding` plus the reason's shape, so that
    counts group alike failures (values, positions and names removed)."""
    check, _, why = reason.partition(": ")
    words = [w for w in why.split() if w.isalpha() and w.islower()]
    return f"{check}: {' '.join(words[:8])}"


def worst(verdicts: list[RecordVerdict], count: int = 5) -> list[RecordVerdict]:
    """The failed records with the most reasons, first."""
    failed = [v for v in verdicts if not v.passed]
    return sorted(failed, key=lambda v: (-len(v.reasons), v.source))[:count]
