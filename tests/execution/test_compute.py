"""Named formulas (execution/formulas.py through compute.py): the simulated executor computes what a reader
would compute, names an undeclared result's field for it, and leaves a call alone (recorded `uncomputed`)
when a formula would be a guess. Expected values are worked by hand from the textbook formulas."""

from __future__ import annotations

import pytest

from toolflow_assets.execution import SimulatedExecutor
from toolflow_assets.execution.compute import computed_all, is_calculation
from toolflow_assets.tools import Tool

NO_ERRORS = SimulatedExecutor(error_rate=0.0, empty_rate=0.0)


def tool(name: str, description: str, arguments: dict, returns: dict | None = None) -> Tool:
    properties = {k: {"type": "string"} if isinstance(v, str) else
                  {"type": "array", "items": {"type": "number"}} if isinstance(v, list) else {"type": "number"}
                  for k, v in arguments.items()}
    return Tool(tool_id=name, name=name, description=description, source="test", source_format="test", category="",
                parameters={"type": "object", "properties": properties, "required": list(properties)},
                returns=returns)


# the reviewer's calls from the bundled corpus (the old answers in comments), and the most frequent formulas
CASES = [
    # v = v0 + g t = 257 + 77.57 * 49 (was 130.03)
    ("calculate_final_speed_2", "Calculate the final speed of an object in free fall after a certain time.",
     {"gravity": 77.57, "initial_speed": 257, "time": 49}, "final_speed", 4057.93),
    # s = v0 t + a t^2 / 2 = 11162.69 - 4177.74 (was 14.64)
    ("kinematics_distance_2", "Find the distance traveled by an object moving under constant acceleration.",
     {"acceleration": -3.48, "initial_velocity": 227.81, "time": 49}, "distance", 6984.95),
    # 257 * 37 + 226 * 37^2 / 2 = 9509 + 154697 (was 43.59); `rounding` says how to show it, it is no operand
    ("kinematics_calculate_displacement", "Calculate displacement based on initial speed, acceleration, and time.",
     {"acceleration": 226, "initial_speed": 257, "time": 37, "rounding": 2}, "displacement", 164206),
    # dropped from rest: sqrt(2 g h) = sqrt(26994.36) (was 75.05)
    ("calculate_final_velocity", "Calculate the final velocity of a free falling object given the height.",
     {"gravity": 77.57, "height": 174}, "final_velocity", 164.30),
    # (v1 - v0) / t
    ("kinematics_calculate_acceleration", "Calculates the acceleration of an object under given conditions.",
     {"distance": 400, "final_speed": 57.3, "initial_speed": 227.81, "time": 49}, "acceleration", -3.48),
    ("square_root", "This tool belongs to the Math API.", {"number": 6.32, "precision": 77}, "square_root", 2.51),
    # ln 4307.4 / ln 67.54 = 8.368 / 4.213 (was 91.93)
    ("logarithm", "This tool belongs to the Math API.", {"base": 67.54, "value": 4307.4, "precision": 3},
     "logarithm", 1.99),
    ("math_power", "Calculate the power of one number raised to another.", {"base": 3, "exponent": 4}, "power", 81),
    ("math_factorial", "Calculate the factorial of a given positive integer.", {"number": 6}, "factorial", 720),
    ("percentage", "This tool belongs to the Math API.", {"part": 15, "whole": 60}, "percentage", 25),
    # 59.44 * 9 / 5 + 32, with a `precision` beside it (was no Fahrenheit value at all)
    ("convert_celsius_to_fahrenheit", "Convert a temperature from Celsius to Fahrenheit.",
     {"celsius": 59.44, "precision": 2}, "fahrenheit", 138.99),
    ("temperature_converter_convert", "Convert a temperature from one unit to another.",
     {"from_unit": "F", "to_unit": "K", "temperature": 212, "round_to": 2}, "converted", 373.15),
    # P r t with the rate in percent: 1000 * 0.05 * 3
    ("financial_simple_interest", "Calculates simple interest.", {"principle": 1000, "rate": 5, "time": 3},
     "interest", 150),
    # 1000 * (1 + 0.05 / 12)^(12 * 10) - 1000
    ("calculate_compound_interest_2", "Calculate compound interest for an initial principal amount.",
     {"principal": 1000, "rate": 0.05, "time": 10, "n": 12}, "interest", 647.01),
    # 75 kg / 1.80 m^2, the height given in centimetres
    ("calculate_bmi", "Calculate the Body Mass Index based on given weight and height.",
     {"weight": 75, "height": 180, "unit": "metric"}, "bmi", 23.15),
    # p2 = p1 T2 / T1 in kelvin: 101325 * 373.15 / 293.15, the sea-level pressure when none is given
    ("thermodynamics_calc_gas_pressure", "Calculate the pressure of a gas in a closed chamber after heating.",
     {"initial_temperature": 20, "final_temperature": 100, "volume": 2}, "pressure", 128976.37),
    # q / (4 pi eps0 r^2) = 2e-6 / (4 pi 8.854e-12 * 9)
    ("calculate_electric_field", "Calculate the electric field produced by a charge at a certain distance.",
     {"charge": 2e-6, "distance": 3}, "electric_field", 1997.28),
    ("EuclideanDistance_calculate", "Calculate the Euclidean distance between two points.",
     {"pointA": [1, 2, 3], "pointB": [4, 6, 3], "rounding": 2}, "distance", 5),
    # the Math API's list and sign tools (BFCL)
    ("min_value", "This tool belongs to the Math API.", {"numbers": [4.5, -2, 9]}, "minimum", -2),
    ("max_value", "This tool belongs to the Math API.", {"numbers": [4.5, -2, 9]}, "maximum", 9),
    ("absolute_value", "This tool belongs to the Math API.", {"number": -7.25}, "absolute_value", 7.25),
    ("calculate_final_temperature_3", "Calculate the final temperature when different quantities of the same gas "
     "at different temperatures are mixed.", {"quantity1": 2, "quantity2": 3, "temperature1": 300, "temperature2": 400},
     "final_temperature", 360),
]


@pytest.mark.parametrize("name, description, arguments, field, expected", CASES)
def test_calculations_are_computed_and_land_in_a_field_named_for_them(name, description, arguments, field, expected):
    subject = tool(name, description, arguments)
    outcome = NO_ERRORS.session(3).execute(name, arguments, subject)
    tolerance = 0.01 if abs(expected) >= 1 else 0.0005
    assert outcome.result[field] == pytest.approx(expected, abs=tolerance), outcome.result
    assert outcome.provenance("c1", name)["calculation"] == "computed"


def test_a_declared_result_field_gets_the_answer_too():
    subject = tool("calculate_final_speed_2", "Calculate the final speed of an object in free fall.",
                   {"gravity": 9.81, "initial_speed": 0, "time": 3},
                   returns={"type": "object", "properties": {"final_speed": {"type": "number"},
                                                             "unit": {"type": "string"}}, "required": ["final_speed"]})
    result = NO_ERRORS.session(8).execute("calculate_final_speed_2", {"gravity": 9.81, "initial_speed": 0, "time": 3},
                                          subject).result
    assert result["final_speed"] == pytest.approx(29.43)


@pytest.mark.parametrize("name, arguments", [
    # a number no formula here takes: friction changes the physics, so no v0 + a t is made up
    ("calculate_final_speed", {"initial_speed": 10, "acceleration": 2, "time": 3, "friction": 0.3}),
    # no base given: the natural and the decimal logarithm differ
    ("logarithm", {"value": 100}),
    ("calculate_cooking_time", {"weight_kg": 2, "temp_celsius": 180}),
])
def test_a_calculation_no_formula_fits_is_recorded_uncomputed(name, arguments):
    subject = tool(name, "Calculate it.", arguments)
    assert computed_all(subject, arguments) == []
    outcome = NO_ERRORS.session(5).execute(name, arguments, subject)
    assert outcome.provenance("c1", name)["calculation"] == "uncomputed"


def test_a_calculation_that_needs_data_is_not_counted_as_one():
    # a tax by state, a distance between two cities: they look up facts, no formula of the numbers exists
    assert not is_calculation(tool("calculate_tax", "Tax.", {"income": 50000, "state": "CA"}),
                              {"income": 50000, "state": "CA"})
    assert not is_calculation(tool("calculate_distance_2", "Distance.", {"start_point": "Paris", "end_point": "Rome"}),
                              {"start_point": "Paris", "end_point": "Rome"})
    # a field in another medium than the vacuum: the vacuum's formula would be wrong, so none is applied
    strength = {"charge": 2e-6, "distance": 3, "medium": "water"}
    assert computed_all(tool("calculate_electric_field_strength", "Electric field strength.", strength), strength) == []
    outcome = NO_ERRORS.session(2).execute("get_weather", {"city": "Rome"}, tool("get_weather", "Weather.", {"city": "Rome"}))
    assert "calculation" not in outcome.provenance("c1", "get_weather")


def test_modular_power_and_great_circle_distance():
    power = tool("math_power", "Calculate the power of one number raised to another.", {"base": 2, "exponent": 10, "mod": 1000})
    assert computed_all(power, {"base": 2, "exponent": 10, "mod": 1000})[0].value == 24
    # Paris (48.8566, 2.3522) to London (51.5074, -0.1278): about 344 km
    trip = {"from_lat": 48.8566, "from_long": 2.3522, "to_lat": 51.5074, "to_long": -0.1278, "unit": "km"}
    answer = computed_all(tool("distance_calculate", "Calculate the distance between two geographical points.", trip), trip)
    assert answer[0].quantity == "distance" and answer[0].value == pytest.approx(343.5, abs=1)


def test_the_dialogues_metadata_counts_computed_and_uncomputed_calculations():
    import json

    import polars as pl

    from toolflow_assets.generation.frames import execution_counts

    calls = [("calculate_final_speed_2", {"gravity": 9.81, "initial_speed": 0, "time": 2}),
             ("calculate_cooking_time", {"weight_kg": 2, "temp_celsius": 180}),
             ("get_weather", {"city": "Rome"})]
    session = NO_ERRORS.session(6)
    entries = [session.execute(name, arguments, tool(name, "Calculate it.", arguments)).provenance(f"c{i}", name)
               for i, (name, arguments) in enumerate(calls)]
    counts = execution_counts(pl.DataFrame({"executions": [json.dumps(entries)]}))
    assert counts["calculation/computed"] == 1 and counts["calculation/uncomputed"] == 1
    assert counts["simulated/ok"] == 3
