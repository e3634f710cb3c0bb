"""Field paths (json_schema/paths.py): which path names one element of a list, the one test the graph's listing
links, the planner's data flow and the user agent's "the first one it listed" read."""

from __future__ import annotations

import pytest

from toolflow_assets.json_schema.paths import get_path, is_element_path, parse_path

LISTED = {"current_directory_content": ["drafts", "notes.md"], "hotels": [{"id": 7}, {"id": 9}]}


@pytest.mark.parametrize(("path", "element"), [
    ("current_directory_content[]", True), ("current_directory_content[0]", True),
    ("current_directory_content", False), ("hotels[].id", False), ("hotels[]", True), ("", False)])
def test_an_element_path_reads_the_first_item_of_a_list_and_no_other_path_does(path, element):
    found, value = get_path(LISTED, path)
    assert found and is_element_path(path) == element
    # an element path reads the list's first item; the list itself, a field of its items or the whole value do not
    listed = get_path(LISTED, path[:path.rindex("[")])[1] if "[" in path else None
    assert (isinstance(listed, list) and value == listed[0]) == element


def test_a_listing_element_links_a_listing_to_a_command_only_by_its_element_path():
    from toolflow_assets.graph.fields import ToolField
    from toolflow_assets.graph.listing_links import is_listing_element

    def field(path):
        return ToolField(0, "output", path, "current_directory_content", "string", "The contents of the directory.")

    assert is_listing_element(field("current_directory_content[]"))
    assert not is_listing_element(field("current_directory_content"))


@pytest.mark.parametrize(("path", "field"), [
    ("hotels[].hotel_id", "hotel_id"), ("current_directory_content[]", "current_directory_content"),
    ("location.city", "city"), ("city", "city"), ("results[0].id", "id")])
def test_the_last_field_of_a_path_is_the_key_its_value_is_written_under(path, field):
    from toolflow_assets.json_schema.paths import last_field, set_path

    built = set_path({}, path, "value")
    holder = built
    for part in parse_path(path)[:-1]:  # down to the object or list that holds the value
        holder = holder[part]
    key = next(k for k, v in holder.items() if v == "value") if isinstance(holder, dict) else parse_path(path)[-2]
    assert last_field(path) == key == field
    assert last_field("") == ""  # the whole value has no field name (the user agent says "result")


@pytest.mark.parametrize(("path", "top"), [
    ("city", True), ("keys[]", False), ("keys[0]", False), ("hotels[].id", False), ("location.city", False),
    ("", False)])
def test_a_top_level_path_is_one_field_of_the_value_and_the_graph_links_read_no_other(path, top):
    from toolflow_assets.graph.calculator_links import is_operand
    from toolflow_assets.graph.fields import ToolField
    from toolflow_assets.graph.listing_links import names_present_item
    from toolflow_assets.json_schema.paths import is_top_level
    from toolflow_assets.planning.data_flow import top_level_or_element

    assert is_top_level(path) == top
    # a calculator's operand and a file a command names are parameters of the call itself, never a field below
    assert is_operand(ToolField(0, "input", path, "x", "number", "The first number.")) == top
    assert names_present_item(ToolField(0, "input", path, "file_name", "string", "The file to read.")) == top
    # the planner feeds a parameter or one element of an array parameter, nothing deeper
    assert top_level_or_element(path) == (top or path in ("keys[]", "keys[0]"))
