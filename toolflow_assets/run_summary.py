"""What `toolflow run` says at the end: the root cause of a failed run and its top reasons, in a line or
two, read from the run's own Dagster events; and which output files this run wrote.

Why: a dead LLM server used to end with "1 blocking asset check failed", the cause (`connection_error`)
only in a stored table, and a missing source path was buried in 86 lines with two stack traces. Dagster
wraps a step's own exception (`DagsterExecutionStepExecutionError` → the user's error), so the cause is
the innermost error of the chain; a `dg.Failure` carries its description; a blocking check that failed
carries its measures (`pass_rate` < `min_pass_rate`) and failure counts in its metadata.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

# Dagster's wrappers around the error that actually happened: their message is never the cause.
_WRAPPERS = {"DagsterExecutionStepExecutionError", "DagsterUserCodeExecutionError",
             "DagsterExecutionInterruptedError",
             # the IO manager's errors (an input never materialized) arrive wrapped in these
             "DagsterExecutionLoadInputError", "DagsterExecutionHandleOutputError"}
_CHECK_FAILED = "DagsterAssetCheckFailedError"


def _innermost(error: Any) -> Any:
    while error is not None and getattr(error, "cls_name", None) in _WRAPPERS and getattr(error, "cause", None):
        error = error.cause
    return error


def _first_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def error_text(error: Any) -> str:
    """`ClassName: first line of the message` of the innermost error. Dagster's message starts with the
    class's dotted path (`toolflow_assets.ingestion.ingest.SourceNotFound: ...`): the bare name reads better."""
    error = _innermost(error)
    if error is None:
        return "see the run's logs"
    line = _first_line(error.message)
    head, _, rest = line.partition(": ")
    if rest and (head == error.cls_name or head.endswith(f".{error.cls_name}")):
        line = rest
    return f"{error.cls_name}: {line}" if line else error.cls_name


def step_failure_text(data: Any) -> str:
    """One line for a STEP_FAILURE's data: the `dg.Failure` description, else the innermost error."""
    user = getattr(data, "user_failure_data", None)
    if user is not None and user.description:
        return _first_line(user.description)
    error = _innermost(getattr(data, "error", None))
    if error is not None and error.cls_name == _CHECK_FAILED:  # "1 blocking asset check failed ...:\n<asset>: <check>"
        lines = [line.strip() for line in (error.message or "").splitlines() if line.strip()]
        return "blocking check failed: " + ("; ".join(lines[1:]) or "see below")
    return error_text(error).removeprefix("Failure: ")  # a dg.Failure's message is its description


def _value(metadata: Any, key: str) -> Any:
    entry = metadata.get(key) if metadata else None
    return getattr(entry, "value", entry)


def check_failure_text(evaluation: Any) -> str:
    """One line for a failed asset check: its measures against its floor, and its top failure kinds."""
    where = evaluation.asset_key.to_user_string() + (f" [{evaluation.partition}]"
                                                      if getattr(evaluation, "partition", None) else "")
    text = f"{evaluation.check_name} on {where}"
    metadata = evaluation.metadata or {}
    rate, floor = _value(metadata, "pass_rate"), _value(metadata, "min_pass_rate")
    if isinstance(rate, (int, float)) and isinstance(floor, (int, float)):
        text += f": pass rate {rate:.2f} < {floor:.2f}"
    else:
        detail = _first_line(str(_value(metadata, "failed_expectations") or evaluation.description or ""))
        text += f": {detail.lstrip('- ').replace('**', '')}" if detail else " failed"
    counts = _value(metadata, "failures_by_check")
    if isinstance(counts, dict) and counts:
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:3]
        text += "; top reasons: " + ", ".join(f"{name} ×{n}" for name, n in top)
    return text


def root_cause(records: Iterable[Any]) -> list[str]:
    """One or two lines: every failed step's own cause (steps that only reported a failed blocking check
    are described by that check), in the order they happened; steps skipped for a failed upstream are
    not causes and are left out."""
    from dagster import DagsterEventType

    causes: list[str] = []
    failed_checks: list[Any] = []
    check_steps = False
    for record in records:
        event = record.dagster_event
        if event is None:
            continue
        if event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed and getattr(evaluation, "blocking", False):
                failed_checks.append(evaluation)
        elif event.event_type == DagsterEventType.STEP_FAILURE:
            data = event.event_specific_data
            error = _innermost(getattr(data, "error", None))
            if error is not None and error.cls_name == _CHECK_FAILED:
                check_steps = True
                continue
            causes.append(f"{record.step_key}: {step_failure_text(data)}")
    if check_steps or (failed_checks and not causes):
        causes += [check_failure_text(evaluation) for evaluation in failed_checks]
    if len(causes) > 2:
        causes = [*causes[:1], f"{causes[1]} (and {len(causes) - 2} more failed steps)"]
    return causes


def files_written_since(folder: Path, since: float) -> list[Path]:
    """Files under `folder` (the top level and `dataset/`) modified at or after `since` (a `time.time()`),
    so the run's summary never lists what an earlier run left there. Hidden files are left out."""
    found = []
    for path in [*folder.glob("*"), *(folder / "dataset").glob("*")] if folder.exists() else []:
        if path.name.startswith(".") or not path.is_file():
            continue
        if os.stat(path).st_mtime >= since - 1.0:  # coarse file system clocks: a second of slack
            found.append(path)
    return sorted(found)
