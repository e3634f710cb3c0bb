"""MathAPI arguments a person would give, and that the class itself answers (no "not supported")."""

from __future__ import annotations

import random

import pytest

from toolflow_assets.execution.python_states_math import IMPERIAL_PAIRS, SI_UNITS, math_values

LISTS = ("mean", "standard_deviation", "sum_values", "min_value", "max_value")


@pytest.mark.parametrize("seed", range(40))
def test_values_are_sensible_for_every_method(seed: int) -> None:
    rng = random.Random(seed)
    for method in LISTS:
        assert 3 <= len(math_values(object, method, {}, [], rng)["numbers"]) <= 6  # a statistic of several numbers
    assert math_values(object, "divide", {}, [], rng)["b"] != 0
    power = math_values(object, "power", {}, [], rng)
    assert abs(power["base"] ** power["exponent"]) < 1e6  # never 8.03 ** 74.37
    assert 0 <= math_values(object, "round_number", {}, [], rng)["decimal_places"] <= 3
    log = math_values(object, "logarithm", {}, [], rng)
    assert log["base"] in (2, 10) and log["value"] > 0 and 3 <= log["precision"] <= 8
    assert math_values(object, "absolute_value", {}, [], rng)["number"] < 0
    share = math_values(object, "percentage", {}, [], rng)
    assert 0 < share["part"] < share["whole"]
    si = math_values(object, "si_unit_conversion", {}, [], rng)
    assert si["unit_in"] != si["unit_out"] and {si["unit_in"], si["unit_out"]} <= set(SI_UNITS)
    imperial = math_values(object, "imperial_si_conversion", {}, [], rng)
    assert tuple(sorted((imperial["unit_in"], imperial["unit_out"]))) in {tuple(sorted(p)) for p in IMPERIAL_PAIRS}


def test_a_fixed_value_stays_and_a_rerun_unit_keeps_a_partner_the_class_converts() -> None:
    rng = random.Random(3)
    assert "a" not in math_values(object, "subtract", {"a": 12.5}, [], rng)
    for _ in range(20):
        rerun = math_values(object, "imperial_si_conversion", {"unit_in": "kg", "value": 70}, [], rng)
        assert rerun == {"unit_out": "lb"}  # kg converts only to pounds in the class's table


def test_a_unit_shared_from_another_conversion_that_the_class_rejects_is_drawn_again() -> None:
    rng = random.Random(5)
    for _ in range(20):
        values = math_values(object, "si_unit_conversion", {"unit_in": "in", "value": 4.61}, [], rng)
        assert values["unit_in"] in SI_UNITS and values["unit_out"] in SI_UNITS and "value" not in values
