"""The Polars evaluation of the asset checks' expectations gives great-expectations' outcomes.

The checks run `validate` (Polars) so that a run does not pay GE's import; these tests hold it to GE's own
verdicts and result fields on frames built to hit the edges: nulls, float NaN, duplicates (null ones too),
values out of range, a `where` filter that leaves no rows, and `mostly` just above and below the share.
"""

from __future__ import annotations

import math

import polars as pl
import pytest

from toolflow_assets.quality.expectations import (
    Expectation, between, not_null, share_true_at_least, unique, validate, validate_with_gx,
)

FRAME = pl.DataFrame({
    "dialogue_id": ["a", "b", "a", None, "c", None, "d", "b"],
    "status": ["ok", "ok", "failed", "ok", None, "ok", "ok", "failed"],
    "n_user_turns": [2, 7, 1, None, 3, 6, 0, 4],
    "score": [0.5, float("nan"), None, 1.5, 0.9, 0.1, 0.2, 2.0],
    "passed": [True, False, True, None, True, True, False, True],
})
OK = (("status", "ok"),)

EXPECTATIONS = [
    unique("dialogue_id"),
    unique("dialogue_id", OK),
    not_null("dialogue_id"),
    not_null("n_user_turns", OK),
    not_null("score"),
    between("n_user_turns", 2, 6),
    between("n_user_turns", 2, 6, OK),
    between("score", 0.0, 1.0),
    Expectation("ExpectColumnValuesToBeInSet", "status", {"value_set": ["ok", "failed"]}, label="status in set"),
    share_true_at_least("passed", 0.7),   # 5 of 7 non-null are True: 0.714 passes
    share_true_at_least("passed", 0.75),  # ...and fails here
    not_null("passed", (("status", "missing"),)),  # no rows left
    between("score", 0.0, 1.0, (("status", "missing"),)),
    unique("no_such_column"),
]


def _comparable(summary: dict) -> dict:
    # pandas turns an int column with a null into floats: GE then lists 7.0 where Polars lists 7
    out = dict(summary)
    out["partial_unexpected_list"] = [None if v is None else (float(v) if isinstance(v, (int, float))
                                                              and not isinstance(v, bool) else v)
                                      for v in summary.get("partial_unexpected_list", [])]
    return out


@pytest.fixture(scope="module")
def both():
    return validate(FRAME, EXPECTATIONS, "edges"), validate_with_gx(FRAME, EXPECTATIONS, "edges")


def test_verdicts_agree_with_great_expectations(both):
    ours, reference = both
    assert [o.success for o in ours] == [o.success for o in reference]
    # the frame really exercises both outcomes, so agreement is not agreement on "all pass"
    assert {o.success for o in ours} == {True, False}


@pytest.mark.parametrize("index", range(len(EXPECTATIONS)))
def test_result_fields_agree_with_great_expectations(both, index):
    ours, reference = (_comparable(o[index].summary()) for o in both)
    ours_percent, reference_percent = ours.pop("unexpected_percent", None), reference.pop("unexpected_percent", None)
    assert ours == reference
    if reference_percent is None:
        assert ours_percent is None
    else:
        assert math.isclose(ours_percent, reference_percent, rel_tol=1e-9)


def test_what_the_checks_report_on_a_known_frame():
    # independent of GE: the figures a reader of the check's metadata would count by hand
    o = validate(FRAME, EXPECTATIONS)
    assert o[0].result["partial_unexpected_list"] == ["a", "b", "a", "b"]  # two null ids are not duplicates
    assert o[0].result["missing_count"] == 2
    assert o[1].success  # among ok rows each id is there once
    assert o[4].result["unexpected_count"] == 2  # score: the null and the NaN
    assert o[5].result["partial_unexpected_list"] == [7, 1, 0]
    assert o[6].result["partial_unexpected_list"] == [7, 0]
    assert o[9].success and not o[10].success
    assert o[11].success and o[11].result["element_count"] == 0
    assert not o[13].success and "missing" in o[13].error


def test_a_check_run_does_not_import_great_expectations():
    # the point of the Polars evaluation: a run process (code location + checks) never pays GE's import
    import subprocess
    import sys

    code = ("import sys, polars as pl, toolflow_assets.definitions\n"
            "from toolflow_assets.quality.expectations import unique, validate\n"
            "assert validate(pl.DataFrame({'a': [1, 1]}), [unique('a')])[0].success is False\n"
            "print('great_expectations' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
