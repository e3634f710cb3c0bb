"""Failure reasons in a few words, and the rule for a stage that failed wholesale (pure, no Dagster).

Rows carry errors as chains of short codes and a detail: `no_plan: connection_error: Connection error.
(http://127.0.0.1:9/v1) (gave up after 5 attempts)`. The first code says where it surfaced, the last one
why; people want the why, counted: `connection_error ×5 (Connection error. (http://127.0.0.1:9/v1))`.

Wholesale failure: when not one item of a stage succeeded (every plan or every dialogue failed), the cause
is the run's (a dead server, a wrong model), not the items'. Writing that table would replace the batch's
last good version with rows that are all failures, and the downstream quality floor would then drop the
batch from the dataset. The stage raises instead, naming the reasons, and the stored version stays.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

import polars as pl

_CODE = re.compile(r"^([a-z][a-z0-9_]*): ")
_GAVE_UP = re.compile(r"\s*\(gave up after \d+ attempts?\)$")


def reason_chain(error: str | None) -> tuple[str, str]:
    """(root code, detail) of an error string; `("error", text)` when it starts with no code."""
    text, code = (error or "").strip(), ""
    while (match := _CODE.match(text)) is not None:
        code, text = match.group(1), text[match.end():]
    return code or "error", _GAVE_UP.sub("", text).strip()


def _short(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def top_reasons(errors: Iterable[str | None], limit: int = 3) -> str:
    """`code ×count (first detail)` for the most common root codes, most common first."""
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for error in errors:
        code, detail = reason_chain(error)
        counts[code] += 1
        first.setdefault(code, detail)
    parts = [f"{code} ×{n}" + (f" ({_short(first[code])})" if first[code] else "")
             for code, n in counts.most_common(limit)]
    more = len(counts) - limit
    return ", ".join(parts) + (f", and {more} other reason{'s' * (more > 1)}" if more > 0 else "")


def wholesale_failure(frame: pl.DataFrame, what: str, among: str | None = None) -> str | None:
    """Why `frame` (rows with `status` and `error`) failed as a whole, or None when any row is ok or there
    are no rows at all (an empty input is the upstream stage's to report). `among`: a boolean column that
    picks the rows the judged backend produced (plans: `planned`, since the no-planning ablation's
    improvised plans are made offline and succeed whatever the server does)."""
    if among is not None and among in frame.columns:
        frame = frame.filter(pl.col(among))
    if frame.is_empty() or "status" not in frame.columns:
        return None
    if frame.filter(pl.col("status") == "ok").height:
        return None
    errors = frame["error"].to_list() if "error" in frame.columns else []
    return (f"all {frame.height} {what} failed, so the batch's stored {what} are kept; "
            f"top reasons: {top_reasons(errors)}")
