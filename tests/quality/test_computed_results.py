"""`result_consistency` fails a result that contradicts the formula its call plainly computes (quality/computed.py,
by the rule the simulated executor computes with: execution/compute.py). The wrong results are the ones a
reviewer found in an export of the bundled corpus that passed every check."""

from __future__ import annotations

import json

import pytest

from toolflow_assets.execution import SimulatedExecutor
from toolflow_assets.quality.computed import check_computed_results
from toolflow_assets.quality.lint import check_record
from toolflow_assets.tools import Tool

# (tool, description, arguments, the exported wrong result, a right one)
FOUND = [
    ("calculate_final_speed_2", "Calculate the final speed of an object in free fall after a certain time.",
     {"gravity": 77.57, "initial_speed": 257, "time": 49}, {"final_speed": 130.03}, {"final_speed": 4057.93}),
    ("kinematics_distance_2", "Find the distance traveled by an object moving under constant acceleration.",
     {"acceleration": -3.48, "initial_velocity": 227.81, "time": 49}, {"kinematics_distance": 14.64},
     {"distance": 6985}),
    ("kinematics_calculate_displacement", "Calculate displacement based on initial speed, acceleration, and time.",
     {"acceleration": 226, "initial_speed": 257, "time": 37}, {"displacement": 43.59}, {"displacement": 164206.0}),
    ("calculate_final_velocity", "Calculate the final velocity of a free falling object given the height.",
     {"gravity": 77.57, "height": 174}, {"final_velocity": 75.05}, {"final_velocity": 164.3}),
    ("square_root", "This tool belongs to the Math API.", {"number": 6.32, "precision": 77}, {"result": 34.55},
     {"result": 2.514}),
    ("logarithm", "This tool belongs to the Math API.", {"base": 67.54, "value": 4307.4}, {"result": 91.93},
     {"result": 1.986}),
    # the converter that only echoed its arguments: no Fahrenheit value anywhere
    ("convert_celsius_to_fahrenheit", "Convert a temperature from Celsius to Fahrenheit.",
     {"celsius": 59.44, "precision": 2}, {"celsius": 59.44, "precision": 2}, {"celsius": 59.44, "fahrenheit": 138.99}),
]


def dialogue(name: str, description: str, arguments: dict, result: dict) -> tuple[list, list]:
    tools = [{"type": "function", "function": {"name": name, "description": description, "parameters": {
        "type": "object", "properties": {k: {"type": "number"} for k in arguments}}}}]
    messages = [
        {"role": "user", "content": "Work it out: " + ", ".join(f"{k} {v}" for k, v in arguments.items())},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}]},
        {"role": "tool", "tool_call_id": "c1", "name": name, "content": json.dumps(result)},
        {"role": "assistant", "content": "Done."},
    ]
    return messages, tools


@pytest.mark.parametrize("name, description, arguments, wrong, right", FOUND)
def test_the_exported_wrong_results_fail_and_right_ones_pass(name, description, arguments, wrong, right):
    reasons = check_computed_results(*dialogue(name, description, arguments, wrong))
    assert len(reasons) == 1 and name in reasons[0], reasons
    assert check_computed_results(*dialogue(name, description, arguments, right)) == []


def test_toolflow_check_fails_the_record_under_result_consistency():
    name, description, arguments, wrong, right = FOUND[0]
    messages, tools = dialogue(name, description, arguments, wrong)
    verdict = check_record({"id": "x", "messages": messages, "tools": tools}, "test", "x")
    assert verdict.checks["result_consistency"] is False
    assert any(r.startswith("result_consistency:") and "4057.93" in r for r in verdict.reasons), verdict.reasons
    messages, tools = dialogue(name, description, arguments, right)
    assert check_record({"id": "x", "messages": messages, "tools": tools}, "test", "x").checks["result_consistency"]


def test_a_result_the_simulated_executor_computes_passes_the_check():
    executor = SimulatedExecutor(error_rate=0.0, empty_rate=0.0)
    for name, description, arguments, _, _ in FOUND:
        subject = Tool(tool_id=name, name=name, description=description, source="t", source_format="t", category="",
                       parameters={"type": "object", "properties": {k: {"type": "number"} for k in arguments}},
                       returns=None)
        result = executor.session(11).execute(name, arguments, subject).result
        assert check_computed_results(*dialogue(name, description, arguments, result)) == [], result


def test_rounding_to_the_callers_precision_and_fraction_or_percent_pass():
    base = ("calculate_final_speed_2", "Calculate the final speed.", {"gravity": 9.81, "initial_speed": 0, "time": 3})
    assert check_computed_results(*dialogue(*base, {"final_speed": 29})) == []  # 29.43 shown whole
    assert check_computed_results(*dialogue(*base, {"final_speed": 31})) != []  # more than rounding
    odds = ("calculate_probability", "Calculate the probability of an event.",
            {"favorable_outcomes": 1, "total_outcomes": 4})
    assert check_computed_results(*dialogue(*odds, {"probability": 25})) == []
    assert check_computed_results(*dialogue(*odds, {"probability": 0.25})) == []
    # an error result is a failure of the call, not a wrong answer
    assert check_computed_results(*dialogue(*base, {"error": {"code": 503, "message": "down"}})) == []


# calls the simulated executor left `uncomputed` or drew before formulas_more.py and properties.py: a drawn
# number fails the check by the same rule the executor now computes with, the worked answer passes
SOLVED = [
    # the 4 by 3 rectangle's diagonal is 5 (a draw gave 207.17 for one such call)
    ("get_rectangle_property", "Get specific property of the rectangle (like length, width) based on perimeter "
     "and area.", {"perimeter": 14, "area": 12, "property": "diagonal"}, {"diagonal": 7.2}, {"diagonal": 5}),
    # P r t = 1838.99 * 0.03 * 19 (the run's draw: 465.9)
    ("bank_account_calculate_interest", "Calculate the amount of interest accrued over a given time period.",
     {"principal": 1838.99, "rate": 0.03, "time": 19}, {"interest": 465.9}, {"interest": 1048.22}),
    # a zero-coupon bond a year from maturity at 10 %: 1000 / 1.1
    ("calculate_Bond_Price", "Calculate the bond price based on its face value, coupon rate, required rate of return, "
     "and the number of years until maturity.", {"Coupon_rate": 0, "Face_Value": 1000, "Required_return": 10,
                                                 "maturity_years": 1}, {"bond_price": 1000}, {"bond_price": 909.09}),
    # 3.89 degrees Celsius in Fahrenheit: 39.0 (the run's draw: 19.6)
    ("temperature_converter_convert", "Convert a temperature from one unit to another.",
     {"from_unit": "metric", "temperature": 3.89, "to_unit": "imperial"}, {"converted_temperature": 19.6},
     {"converted_temperature": 39.0}),
]


@pytest.mark.parametrize("name, description, arguments, wrong, right", SOLVED)
def test_solved_attributes_and_the_new_formulas_are_checked_too(name, description, arguments, wrong, right):
    reasons = check_computed_results(*dialogue(name, description, arguments, wrong))
    assert len(reasons) == 1 and name in reasons[0], reasons
    assert check_computed_results(*dialogue(name, description, arguments, right)) == []
