"""Each supported format is read correctly (tests/fixtures/ingestion/formats/)."""

from __future__ import annotations

import json

import pytest
from ingestion_helpers import FIXTURES, VALID_NAME, assert_valid_schema

from toolflow_assets.ingestion.ingest import IngestionResult, ingest_sources
from toolflow_assets.tools import Tool


@pytest.fixture(scope="module")
def result() -> IngestionResult:
    return ingest_sources([FIXTURES / "formats"], display_root=FIXTURES)


@pytest.fixture(scope="module")
def tools(result: IngestionResult) -> dict[str, Tool]:
    return {t.original_name: t for t in result.tools}


def test_every_file_gets_its_format(result: IngestionResult) -> None:
    assert result.formats_by_file == {
        "formats/bfcl_sample.json": "bfcl",
        "formats/mcp_jsonrpc_response.json": "mcp",
        "formats/mcp_tools_list.json": "mcp",
        "formats/openai_single_function.json": "openai",
        "formats/openai_tools_list.json": "openai",
        "formats/openai_tools_wrapped.json": "openai",
        "formats/openapi_library.yaml": "openapi",
        "formats/openapi_notes.json": "openapi",
        "formats/rapidapi_queries.json": "rapidapi",
    }
    assert result.quarantined == []


def test_every_tool_is_valid(result: IngestionResult) -> None:
    assert len(result.tools) == 17
    for tool in result.tools:
        assert VALID_NAME.match(tool.name), tool.name
        assert tool.parameters["type"] == "object" and isinstance(tool.parameters["properties"], dict)
        assert_valid_schema(tool.parameters)
        if tool.returns is not None:
            assert_valid_schema(tool.returns)
        assert tool.source.startswith("formats/") and tool.position


def test_openai_typed_and_bare_function_objects(tools: dict[str, Tool]) -> None:
    weather = tools["get_weather"]
    assert weather.source_format == "openai" and weather.position == "[0]"
    assert weather.description == "Get the current weather for a city."
    assert weather.parameters["required"] == ["city"]
    assert weather.parameters["properties"]["unit"]["enum"] == ["celsius", "fahrenheit"]
    bare = tools["convert_currency"]  # a bare function object in the same list
    assert bare.position == "[1]" and bare.parameters["required"] == ["amount", "from", "to"]
    single = tools["create_calendar_event"]  # a file holding one bare function object
    assert single.parameters["properties"]["attendees"] == {"type": "array", "items": {"type": "string", "format": "email"}}
    assert weather.to_openai()["function"]["name"] == "get_weather"


def test_openai_tools_wrapper_with_local_ref_inlined(tools: dict[str, Tool]) -> None:
    flights = tools["search_flights"]
    assert flights.position == "tools[0]"
    assert flights.parameters["properties"]["passengers"] == {
        "type": "integer", "minimum": 1, "maximum": 9, "description": "Number of travellers"}
    assert "$defs" not in flights.parameters and "$ref" not in json.dumps(flights.parameters)


def test_bfcl_dialect_types_become_json_schema(tools: dict[str, Tool]) -> None:
    area = tools["calculate_triangle_area"]
    props = area.parameters["properties"]
    assert area.parameters["type"] == "object"  # was "dict"
    assert props["height"]["type"] == "number"  # was "float"
    assert props["unit"]["default"] == "units"
    assert area.category == "simple_python"  # from the BFCL id
    distance = tools["geometry.point_distance"]
    props = distance.parameters["properties"]
    assert props["point_a"] == {"type": "array", "items": {"type": "number"}, "description": "First point (x, y)."}
    assert "type" not in props["payload"]  # "any": no constraint
    # `"optional": "True"` on a property and `"optional": [...]` beside `required` both mean "not required"
    assert distance.parameters["required"] == ["point_a", "point_b"]
    assert "optional" not in json.dumps(distance.parameters)


def test_bfcl_dotted_names_are_sanitized_and_keep_their_namespace(tools: dict[str, Tool]) -> None:
    drink = tools["ChaDri.change_drink"]
    assert drink.name == "ChaDri_change_drink"
    assert drink.category == "ChaDri"
    nested = drink.parameters["properties"]["new_preferences"]
    assert nested["type"] == "object" and nested["properties"]["size"]["default"] == "medium"
    assert drink.position == "line 2 function[0]"
    assert tools["geometry.point_distance"].position == "line 2 function[1]"


def test_bfcl_one_function_per_line_with_response(tools: dict[str, Tool]) -> None:
    mkdir = tools["mkdir"]
    assert mkdir.position == "line 3"
    assert mkdir.returns == {"type": "object", "properties": {
        "path": {"type": "string", "description": "Path of the created directory."}}}


def test_rapidapi_api_list(tools: dict[str, Tool]) -> None:
    offices = tools["Transportistas de Argentina_/offices/search/:service"]
    assert offices.name == "Transportistas_de_Argentina_offices_search_service"
    assert offices.source_format == "rapidapi" and offices.category == "Logistics"
    assert offices.parameters["required"] == ["service"]
    props = offices.parameters["properties"]
    assert props["limit"] == {"type": "number", "description": "Max results", "default": 10}  # "10" → 10
    assert props["open_now"]["default"] is True  # "true" → true
    # template_response becomes the return schema
    assert offices.returns == {"type": "object", "properties": {
        "offices": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "lat": {"type": "number"}}}},
        "count": {"type": "integer"},
        "note": {},
    }}
    recipe = tools["Recipes_Get Recipe"]
    assert recipe.description == "Get Recipe endpoint of the Recipes API."  # empty api_description
    assert recipe.returns is None


def test_openapi_yaml_with_refs_in_parameters_body_and_responses(tools: dict[str, Tool]) -> None:
    book_schema = {"type": "object", "properties": {
        "id": {"type": "string"}, "title": {"type": "string"},
        "author": {"type": "object", "properties": {"name": {"type": "string"}, "born": {"type": "integer"}}}}}
    get_book = tools["getBook"]
    assert get_book.source_format == "openapi" and get_book.position == "GET /books/{bookId}"
    assert get_book.parameters["properties"]["bookId"] == {"type": "string", "description": "The book's id."}
    assert get_book.parameters["required"] == ["bookId"]  # path-level $ref parameter
    assert get_book.returns == book_schema  # $ref'd response → $ref'd schema
    assert get_book.description == "Get one book by its id. (part of the Library API)"
    add_book = tools["addBook"]
    props = add_book.parameters["properties"]
    assert "Authorization" not in props  # credentials are not the model's business
    assert props["dryRun"] == {"type": "boolean", "default": False}
    assert props["author"] == book_schema["properties"]["author"]  # $ref'd request body, nested $ref
    assert add_book.parameters["required"] == ["title"]
    assert add_book.returns == book_schema  # the 201 response


def test_openapi_json_operation_without_id_and_array_body(tools: dict[str, Tool]) -> None:
    notes = tools["get_notes"]  # no operationId: method + path
    assert notes.parameters["properties"]["limit"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert notes.returns == {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string"}, "text": {"type": "string"}}, "required": ["id"]}}
    replace = tools["replaceNotes"]
    assert replace.parameters["required"] == ["body"] and replace.parameters["properties"]["body"]["type"] == "array"
    assert replace.returns is None  # 204: nothing returned


def test_mcp_tools_list_bare_and_in_a_jsonrpc_response(tools: dict[str, Tool]) -> None:
    read_file = tools["read_file"]
    assert read_file.source_format == "mcp" and read_file.position == "tools[0]"
    assert read_file.parameters == {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}
    assert read_file.returns == {"type": "object", "properties": {
        "content": {"type": "string"}, "size": {"type": "integer"}}, "required": ["content"]}
    assert tools["list_directory"].returns is None
    query = tools["query_database"]
    assert query.position == "result.tools[0]"
    assert query.returns["properties"]["rows"]["type"] == "array"


def test_same_input_same_catalog(result: IngestionResult) -> None:
    again = ingest_sources([FIXTURES / "formats"], display_root=FIXTURES)
    assert again.tools == result.tools
    assert len({t.tool_id for t in result.tools}) == len(result.tools)


def test_a_toolbench_error_sample_is_no_result_schema() -> None:
    from toolflow_assets.ingestion.rapidapi import success_template, template_schema

    # ToolBench kept one real response per endpoint; this one was a 404, not what the endpoint returns
    error = {"statusCode": "int", "message": "str", "error": "str"}
    assert success_template(error) is None and template_schema(success_template(error)) is None
    assert success_template({"message": "str"}) is None
    # a result that also has a status keeps its schema
    states = {"name": "str", "iso_code": "str", "status": "str"}
    assert template_schema(success_template(states))["properties"].keys() == {"name", "iso_code", "status"}
