"""A folder listing's names feed the parameters that name an item already in the folder."""

from __future__ import annotations

from resources.settings import BUNDLED_CORPUS
from toolflow_assets.graph.fields import flatten_tools
from toolflow_assets.graph.listing_links import listing_links
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.tools import Tool

FILE_SYSTEM = BUNDLED_CORPUS / "bfcl" / "multi_turn_func_doc" / "gorilla_file_system.json"


def links(tools: list[Tool]) -> set[tuple[str, str, str, str]]:
    inputs, outputs = flatten_tools(tools)
    return {(tools[outputs[o].tool_index].name, outputs[o].path, tools[inputs[i].tool_index].name, inputs[i].path)
            for o, i in listing_links(tools, inputs, outputs)}


def test_ls_names_feed_the_commands_that_read_change_or_enter_an_item():
    found = links(list(ingest_sources([str(FILE_SYSTEM)]).tools))
    fed = {(dst, param) for src, field, dst, param in found}
    assert {src + "." + field for src, field, _, _ in found} == {"ls.current_directory_content[]"}
    assert {("cat", "file_name"), ("grep", "file_name"), ("tail", "file_name"), ("wc", "file_name"),
            ("sort", "file_name"), ("diff", "file_name1"), ("diff", "file_name2"), ("cp", "source"),
            ("mv", "source"), ("rm", "file_name"), ("cd", "folder"), ("rmdir", "dir_name")} == fed
    # a name the folder does not hold yet is never a listed one: the new file, the new folder, the file written
    # to, the end of a move; a path (find's matches, find's start) is no name of the current folder
    assert not fed & {("touch", "file_name"), ("mkdir", "dir_name"), ("echo", "file_name"), ("cp", "destination"),
                      ("mv", "destination"), ("find", "path"), ("find", "name")}


def _tool(name: str, properties: dict, returns: dict | None = None, description: str = "") -> Tool:
    return Tool(tool_id=name, name=name, description=description or name,
                parameters={"type": "object", "properties": properties}, returns=returns,
                source="test", source_format="bfcl", category="test", original_name=name)


def test_a_list_that_is_no_folder_listing_links_nothing():
    tags = _tool("list_tags", {}, {"type": "object", "properties": {
        "tags": {"type": "array", "items": {"type": "string"}, "description": "Tags of the post."},
        "paths": {"type": "array", "items": {"type": "string"},
                  "description": "File paths of the directory contents."}}})
    reader = _tool("read_file", {"file_name": {"type": "string", "description": "The file to read."}})
    assert links([tags, reader]) == set()


def test_a_listing_of_a_folder_by_other_words_still_links():
    listing = _tool("list_folder", {}, {"type": "object", "properties": {"entries": {
        "type": "array", "items": {"type": "string"}, "description": "Names of the files in the folder."}}})
    opener = _tool("open_document", {"file": {"type": "string", "description": "The file to open."},
                                     "file_type": {"type": "string", "description": "The kind of file."}})
    assert links([listing, opener]) == {("list_folder", "entries[]", "open_document", "file")}


def test_an_element_of_a_returned_list_of_names_is_an_output_field_and_not_an_input_one():
    tool = _tool("ls", {"names": {"type": "array", "items": {"type": "string"}}}, {"type": "object", "properties": {
        "content": {"type": "array", "items": {"type": "string"}, "description": "Contents of the directory."}}})
    inputs, outputs = flatten_tools([tool])
    element = next(f for f in outputs if f.path == "content[]")
    assert (element.type, element.name, element.description) == ("string", "content", "Contents of the directory.")
    assert [f.path for f in inputs] == ["names"]


def test_the_listing_links_survive_the_context_rule_that_sampling_applies():
    # `ls` is about "the contents of the current directory": every word it has is its field's, so word overlap
    # never found a context shared with `cat`; two endpoints of one API share it by definition
    from toolflow_assets.meanings import same_context

    tools = {t.name: t for t in ingest_sources([str(FILE_SYSTEM)]).tools}
    assert same_context(tools["ls"], "current_directory_content[]", tools["cat"], "file_name")
