"""A shape's attribute named by a selector argument is solved from the measures given (execution/properties.py),
not drawn: BFCL's `get_rectangle_property(perimeter=14, area=12, property="diagonal")` is the 4 by 3 rectangle's
diagonal, 5. Measures that fix no shape, or an attribute the shape has not, give nothing."""

from __future__ import annotations

import pytest

from toolflow_assets.execution import SimulatedExecutor
from toolflow_assets.execution.compute import computed_all
from toolflow_assets.tools import Tool

NO_ERRORS = SimulatedExecutor(error_rate=0.0, empty_rate=0.0)
RECTANGLE = ("get_rectangle_property",
             "Get specific property of the rectangle (like length, width) based on perimeter and area.")


def tool(name: str, description: str, arguments: dict) -> Tool:
    properties = {k: {"type": "string"} if isinstance(v, str) else {"type": "number"} for k, v in arguments.items()}
    return Tool(tool_id=name, name=name, description=description, source="test", source_format="test", category="",
                parameters={"type": "object", "properties": properties, "required": list(properties)}, returns=None)


@pytest.mark.parametrize("arguments, field, expected", [
    # sides adding up to 7 and multiplying to 12: 4 and 3, the diagonal of a 3-4-5 triangle
    ({"perimeter": 14, "area": 12, "property": "diagonal", "tolerance": 0.1}, "diagonal", 5),
    ({"perimeter": 14, "area": 12, "property": "length"}, "length", 4),
    ({"perimeter": 14, "area": 12, "property": "width"}, "width", 3),
    # the sides given: a width and a height
    ({"width": 3, "height": 4, "property": "diagonal"}, "diagonal", 5),
    ({"width": 3, "length": 4, "property": "perimeter"}, "perimeter", 14),
    # one side and the diagonal: the other side is sqrt(13^2 - 5^2) = 12
    ({"length": 5, "diagonal": 13, "property": "area"}, "area", 60),
])
def test_a_rectangles_property_is_solved_from_the_measures_given(arguments, field, expected):
    outcome = NO_ERRORS.session(2).execute(RECTANGLE[0], arguments, tool(*RECTANGLE, arguments))
    assert outcome.result[field] == pytest.approx(expected), outcome.result
    assert outcome.provenance("c1", RECTANGLE[0])["calculation"] == "computed"


@pytest.mark.parametrize("name, description, arguments, quantity, expected", [
    # a circle of area pi has radius 1
    ("get_circle_property", "Get a property of a circle.", {"area": 3.14159265, "property": "radius"}, "radius", 1),
    # a square's side is its diagonal over sqrt 2
    ("get_square_attribute", "Get an attribute of a square.", {"diagonal": 2, "attribute": "side length"},
     "side", 1.41),
    # Heron: the 3-4-5 triangle has area 6
    ("triangle_property", "Get a property of a triangle.", {"side1": 3, "side2": 4, "side3": 5, "property": "area"},
     "area", 6),
])
def test_other_shapes_attributes(name, description, arguments, quantity, expected):
    (answer,) = computed_all(tool(name, description, arguments), arguments)
    assert (answer.quantity, answer.value) == (quantity, pytest.approx(expected, abs=0.005))


@pytest.mark.parametrize("arguments", [
    {"perimeter": 4, "area": 12, "property": "length"},  # a perimeter of 4 encloses at most 1
    {"length": 4, "width": 3, "property": "angles"},  # no attribute of that name: not the area instead
    {"perimeter": 14, "area": 12, "property": "length and width"},  # two answers, not one
    {"length": 4, "width": 3, "area": 12, "property": "diagonal"},  # three measures: which two hold?
])
def test_measures_that_fix_no_answer_give_none(arguments):
    assert computed_all(tool(*RECTANGLE, arguments), arguments) == []


def test_a_tool_naming_two_shapes_is_not_guessed():
    arguments = {"side": 2, "property": "area"}
    subject = tool("shape_property", "Get a property of a square or a circle.", arguments)
    assert computed_all(subject, arguments) == []
