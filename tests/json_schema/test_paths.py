"""Field paths (json_schema/paths.py): which path names one element of a list, the one test the graph's listing
links, the planner's data flow and the user agent's "the first one it listed" read."""

from __future__ import annotations

import pytest

from toolflow_assets.json_schema.paths import get_path, is_element_path

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
