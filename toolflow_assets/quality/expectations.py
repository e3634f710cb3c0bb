"""Table expectations run with great-expectations, for the Dagster asset checks on the dialogue tables.

great-expectations 1.x has no Polars datasource, so a frame is handed over as pandas through an ephemeral
context (no files, no analytics, no progress bars). pandas is built from Python lists
(`to_dict(as_series=False)`), so pyarrow is not needed. great-expectations is imported lazily: importing
it costs seconds, and only the asset checks need it.

Expectations are plain data (`Expectation`), so what a check demands reads in one place and the outcome
keeps GE's own result (unexpected counts and examples) for the check's metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import polars as pl


@dataclass(frozen=True)
class Expectation:
    """One GE expectation: its class name in `gx.expectations`, its arguments, and which rows it sees
    (`where`: column → required value, applied before the hand-over; empty = all rows)."""

    kind: str
    column: str
    arguments: dict[str, Any] = field(default_factory=dict)
    where: tuple[tuple[str, Any], ...] = ()
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or f"{self.kind}({self.column})"


@dataclass(frozen=True)
class Outcome:
    expectation: Expectation
    success: bool
    result: dict[str, Any]  # GE's result: element_count, unexpected_count, partial_unexpected_list, …
    error: str | None = None

    def summary(self) -> dict[str, Any]:
        keep = ("element_count", "unexpected_count", "unexpected_percent", "missing_count", "observed_value",
                "partial_unexpected_list")
        details = {k: _plain(self.result[k]) for k in keep if k in self.result}
        if self.error:
            details["error"] = self.error
        return {"expectation": self.expectation.name, "success": self.success, **details}


def unique(column: str, where: tuple[tuple[str, Any], ...] = ()) -> Expectation:
    return Expectation("ExpectColumnValuesToBeUnique", column, where=where, label=f"{column} unique")


def not_null(column: str, where: tuple[tuple[str, Any], ...] = ()) -> Expectation:
    return Expectation("ExpectColumnValuesToNotBeNull", column, where=where, label=f"{column} not null")


def between(column: str, low: float, high: float, where: tuple[tuple[str, Any], ...] = ()) -> Expectation:
    return Expectation("ExpectColumnValuesToBeBetween", column, {"min_value": low, "max_value": high}, where,
                       label=f"{low} <= {column} <= {high}")


def share_true_at_least(column: str, floor: float) -> Expectation:
    """At least `floor` of the column's values are True (GE's `mostly` over an in-set expectation)."""
    return Expectation("ExpectColumnValuesToBeInSet", column, {"value_set": [True], "mostly": floor},
                       label=f"share of {column} >= {floor}")


def to_pandas(frame: pl.DataFrame) -> Any:
    """A pandas frame from Python lists: no pyarrow needed."""
    import pandas as pd

    return pd.DataFrame(frame.to_dict(as_series=False), columns=frame.columns)


def _plain(value: Any) -> Any:
    """JSON-friendly values for metadata (numpy scalars and the like become Python ones)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value][:20]
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float) and value != value:  # pandas shows a missing value as NaN: JSON has null
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def validate(frame: pl.DataFrame, expectations: Sequence[Expectation], name: str = "table") -> list[Outcome]:
    """Run the expectations on the frame with great-expectations; one `Outcome` each, in order.

    An expectation on a missing column fails with that as its error instead of raising.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.enable_analytics(False)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas(f"{name}_source")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(f"{name}_batch")
    )

    outcomes: dict[int, Outcome] = {}
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for index, expectation in enumerate(expectations):
        if expectation.column not in frame.columns:
            outcomes[index] = Outcome(expectation, False, {}, f"column {expectation.column!r} is missing")
        else:
            groups.setdefault(expectation.where, []).append(index)

    for where, indices in groups.items():
        rows = frame
        for column, value in where:
            rows = rows.filter(pl.col(column) == value)
        columns = sorted({expectations[i].column for i in indices})
        batch = batch_definition.get_batch(batch_parameters={"dataframe": to_pandas(rows.select(columns))})
        suite = gx.ExpectationSuite(name=f"{name}_{len(outcomes)}")
        for i in indices:
            e = expectations[i]
            # `meta` carries our index: GE does not return results in the suite's order.
            suite.add_expectation(getattr(gx.expectations, e.kind)(column=e.column, meta={"index": i}, **e.arguments))
        for result in batch.validate(suite).results:
            i = int((result.expectation_config.meta or {})["index"])
            outcomes[i] = Outcome(expectations[i], bool(result.success), dict(result.result or {}),
                                  _exception_text(result))
    return [outcomes[i] for i in range(len(expectations))]


def _exception_text(result: Any) -> str | None:
    info = getattr(result, "exception_info", None) or {}
    if isinstance(info, dict) and info.get("raised_exception"):
        return str(info.get("exception_message"))[:300]
    return None
