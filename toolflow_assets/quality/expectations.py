"""Table expectations for the Dagster asset checks on the dialogue tables, with great-expectations' meaning.

The checks need four of GE's expectations (values unique, not null, between, in a set with `mostly`). They
are evaluated here with Polars (`validate`), giving GE's own result fields (element_count, missing_count,
unexpected_count, unexpected_percent, partial_unexpected_list) and GE's success rule: nulls are skipped
except by the not-null expectation, and `mostly` is the share of the non-null values. Why not GE itself on
every run: importing great-expectations costs 4-16 s per process, and every run the daemon launches is a
fresh process, so it was most of a batch run (issue 15). GE stays the reference: `validate_with_gx` runs
the same expectations through GE (ephemeral context, pandas built from Python lists, so no pyarrow), and
the tests hold the two to identical outcomes on frames with nulls, NaN, duplicates and values out of range.

Expectations are plain data (`Expectation`), so what a check demands reads in one place and the outcome
keeps the result (unexpected counts and examples) for the check's metadata.
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


CHECKED_WITH = "polars, with great-expectations' semantics (held equal to great_expectations by the tests)"
PARTIAL_LIST_LENGTH = 20  # GE's default "SUMMARY" result format keeps the first 20 unexpected values


def _missing_column(expectations: Sequence[Expectation], frame: pl.DataFrame) -> dict[int, Outcome]:
    return {i: Outcome(e, False, {}, f"column {e.column!r} is missing")
            for i, e in enumerate(expectations) if e.column not in frame.columns}


def _rows(frame: pl.DataFrame, where: tuple[tuple[str, Any], ...]) -> pl.DataFrame:
    for column, value in where:
        frame = frame.filter(pl.col(column) == value)
    return frame


def validate(frame: pl.DataFrame, expectations: Sequence[Expectation], name: str = "table") -> list[Outcome]:
    """Evaluate the expectations on the frame with Polars, as great-expectations would; one `Outcome` each,
    in order. An expectation on a missing column fails with that as its error instead of raising."""
    outcomes = _missing_column(expectations, frame)
    for index, expectation in enumerate(expectations):
        if index not in outcomes:
            outcomes[index] = _evaluate(_rows(frame, expectation.where)[expectation.column], expectation)
    return [outcomes[i] for i in range(len(expectations))]


def _evaluate(column: pl.Series, expectation: Expectation) -> Outcome:
    """One expectation over one column, with GE's column-map rules (see the module's docstring)."""
    # pandas (GE's engine) shows a float NaN as missing, so it counts as null here too.
    missing = column.is_null()
    if column.dtype.is_float():
        missing = missing | column.is_nan().fill_null(False)
    present = ~missing
    arguments = expectation.arguments
    if expectation.kind == "ExpectColumnValuesToNotBeNull":
        unexpected, denominator = missing, len(column)
    else:
        if expectation.kind == "ExpectColumnValuesToBeUnique":
            bad = column.is_duplicated()
        elif expectation.kind == "ExpectColumnValuesToBeBetween":
            bad = pl.repeat(False, len(column), eager=True)
            if arguments.get("min_value") is not None:
                bad = bad | (column < arguments["min_value"])
            if arguments.get("max_value") is not None:
                bad = bad | (column > arguments["max_value"])
        elif expectation.kind == "ExpectColumnValuesToBeInSet":
            bad = ~column.is_in(list(arguments["value_set"]))
        else:
            raise ValueError(f"no Polars evaluation for {expectation.kind}")
        unexpected, denominator = present & bad.fill_null(False), int(present.sum())
    n_unexpected = int(unexpected.sum())
    values = column.filter(unexpected).head(PARTIAL_LIST_LENGTH).to_list()
    result: dict[str, Any] = {"element_count": len(column), "unexpected_count": n_unexpected,
                              "unexpected_percent": 100.0 * n_unexpected / denominator if denominator else None,
                              "partial_unexpected_list": values}
    if expectation.kind != "ExpectColumnValuesToNotBeNull":
        result["missing_count"] = int(missing.sum())
    # GE: with no value to judge an expectation holds; otherwise the expected share must reach `mostly`.
    share_ok = 1.0 - n_unexpected / denominator if denominator else 1.0
    return Outcome(expectation, share_ok >= float(arguments.get("mostly", 1.0)), result)


def validate_with_gx(frame: pl.DataFrame, expectations: Sequence[Expectation], name: str = "table") -> list[Outcome]:
    """The reference: the same expectations run by great-expectations (imported here, not at module load)."""
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

    outcomes = _missing_column(expectations, frame)
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for index, expectation in enumerate(expectations):
        if index not in outcomes:
            groups.setdefault(expectation.where, []).append(index)

    for where, indices in groups.items():
        rows = _rows(frame, where)
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
