"""Field flattening, output inference and type compatibility (pure functions)."""

from __future__ import annotations

import pytest

from toolflow_assets.graph.fields import (
    compatible_for_sharing,
    declared_output_fields,
    fills,
    infer_output_fields,
    input_fields,
    normalize_type,
    output_fields,
)
from toolflow_assets.graph.text import base_tool_name, content_words, split_identifier
from toolflow_assets.tools import Tool


def make_tool(name: str, description: str = "", properties: dict | None = None, returns: dict | None = None, original: str = "") -> Tool:
    return Tool(
        tool_id=name,
        name=name,
        description=description,
        parameters={"type": "object", "properties": properties or {}},
        returns=returns,
        source="test",
        source_format="openai",
        category="test",
        original_name=original or name,
    )


@pytest.mark.parametrize(
    "identifier, words",
    [
        ("cityId", ["city", "id"]),
        ("user_name", ["user", "name"]),
        ("HTTPServerURL", ["http", "server", "url"]),
        ("GetCarsAvailable", ["get", "cars", "available"]),
        ("weather.get_forecast", ["weather", "get", "forecast"]),
        ("_from", ["from"]),
    ],
)
def test_split_identifier(identifier, words):
    assert split_identifier(identifier) == words


def test_content_words_drop_stopwords_and_stem():
    assert content_words("Retrieves the cities of the given country") == ["retrieve", "city", "country"]


def test_base_tool_name_strips_only_the_disambiguation_suffix():
    assert base_tool_name("calculate_tax_5") == "calculate_tax"
    assert base_tool_name("get_v2_data") == "get_v2_data"


def test_input_fields_flatten_nested_objects_arrays_and_enums():
    tool = make_tool(
        "book_hotel",
        "Book a hotel room.",
        {
            "hotel_id": {"type": "string", "description": "The hotel to book."},
            "guest": {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}},
            "rooms": {"type": "array", "items": {"type": "object", "properties": {"beds": {"type": "integer"}}}},
            "unit": {"enum": ["celsius", "fahrenheit"]},
            "flags": {"type": ["boolean", "null"]},
        },
    )
    fields = {f.path: f for f in input_fields(tool, 0)}
    assert set(fields) == {"hotel_id", "guest", "guest.name", "guest.age", "rooms", "rooms[].beds", "unit", "flags"}
    assert fields["guest"].type == "object" and fields["guest.age"].type == "integer"
    assert fields["rooms[].beds"].name == "beds"
    assert fields["unit"].type == "string" and fields["unit"].enum == ("celsius", "fahrenheit")
    assert fields["flags"].type == "boolean"
    # a field without a description borrows the tool's first sentence, so generic names keep context
    assert fields["guest.name"].description == "Book a hotel room."
    assert all(not f.inferred and f.direction == "input" for f in fields.values())


def test_declared_outputs_object_array_and_scalar():
    obj = make_tool("search", returns={"type": "object", "properties": {"hotels": {"type": "array", "items": {
        "type": "object", "properties": {"hotel_id": {"type": "string"}}}}}})
    assert [f.path for f in declared_output_fields(obj, 0)] == ["hotels", "hotels[].hotel_id"]
    array = make_tool("list", returns={"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}}}})
    assert [(f.path, f.type) for f in declared_output_fields(array, 0)] == [("result", "array"), ("result[].id", "integer")]
    scalar = make_tool("area", "Computes an area.", returns={"type": "number", "description": "The area."})
    assert [(f.path, f.type, f.description) for f in declared_output_fields(scalar, 0)] == [("result", "number", "The area.")]
    assert declared_output_fields(make_tool("nothing"), 0) == []


@pytest.mark.parametrize(
    "name, description, expected_path, expected_type",
    [
        ("get_user_id", "Get the user ID of a user from their name.", "user_id", "string"),
        ("geometry.area_circle", "Calculate the area of a circle given the radius.", "area", "number"),
        ("create_project", "Creates a new project.", "project_id", "string"),
        ("search_hotels", "Search for hotels in a city.", "hotel_id", "string"),
        ("lawyer_finder", "Locate lawyers near you.", "lawyer", "array"),
        ("sum_numbers", "Add up a list of numbers.", "sum", "number"),
        ("discoverer_get", "Retrieve the name of the discoverer of an element.", "discoverer_name", "string"),
    ],
)
def test_inferred_outputs(name, description, expected_path, expected_type):
    fields = infer_output_fields(make_tool(name, description), 3)
    by_path = {f.path: f for f in fields}
    assert expected_path in by_path, [f.path for f in fields]
    assert by_path[expected_path].type == expected_type
    assert all(f.inferred and f.direction == "output" for f in fields)
    assert len(fields) <= 3


def test_action_tools_get_no_name_based_output():
    fields = infer_output_fields(make_tool("delete_message", "Deletes a message."), 0)
    assert fields == []


def test_declared_outputs_win_over_inference():
    tool = make_tool("get_user_id", "Get the user id.", returns={"type": "object", "properties": {"uid": {"type": "string"}}})
    assert [(f.path, f.inferred) for f in output_fields(tool, 0)] == [("uid", False)]
    assert output_fields(make_tool("get_user_id", "Get the user id."), 0, infer=False) == []


def test_type_rules():
    assert fills("integer", "number") and fills("number", "integer")
    assert fills("string", "string") and not fills("number", "string")  # `area` (number) never fills a location
    assert not fills("string", "integer") and not fills("array", "string") and not fills("object", "array")
    assert fills("any", "boolean") and fills("object", "any")
    assert compatible_for_sharing("integer", "number") and not compatible_for_sharing("boolean", "string")
    assert normalize_type({"type": ["null", "integer"]}) == "integer"
    assert normalize_type({"properties": {}}) == "object"
    assert normalize_type({}) == "any"


def test_rest_path_parameters_are_not_the_object_and_echoes_are_not_outputs():
    # `/create_task/:service/:tracking_code`: the verb is in `create_task`; `tracking_code` is an input
    create = make_tool("Carrier_tracking_create_task", "Create task to get the history.",
                       {"service": {"type": "string"}, "tracking_code": {"type": "string"}},
                       original="Carrier_/tracking/create_task/:service/:tracking_code")
    paths = [f.path for f in infer_output_fields(create, 0, 3)]
    assert paths[0] == "task_id" and "tracking_code" not in paths
    # a keyword search does not "return" its keyword
    search = make_tool("cities_search_keyword", "Search city by keyword.", {"keyword": {"type": "string"}},
                       original="Carrier_/cities/search/:keyword")
    assert "keyword" not in [f.path for f in infer_output_fields(search, 0, 3)]
