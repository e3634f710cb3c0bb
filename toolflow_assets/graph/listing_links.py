"""Data-flow links from a folder listing to the parameter that names an item of that folder.

`ls` returns `current_directory_content` ("A list of the contents of the specified directory"), and the
next command of a shell session takes one of those names: `cat.file_name`, `diff.file_name1`, `cp.source`,
`cd.folder`, `rmdir.dir_name`. The names share no word with `content`, so similarity never links them and
the file-system API's 18 tools never formed a chain. The rule, on name and description words:
- the output is one element (`…[]`, a plain value) of a list that holds the contents (or entries, items,
  files) of a directory or folder, by the list's name and description;
- the input names a file, folder or directory by its own name (`file_name`, `folder`, `dir_name`, `source`
  of a copy or move "the name of the file or directory to copy") that must already be there: a parameter
  for a new item (`touch`, `mkdir`: "the name of the new file"), one written to (`echo`'s file), or the
  target of a move (`destination`) takes a name the listing does not hold yet, so it is not linked.
Not linked: `find.matches` ("file and directory paths relative to the given path", `./reports/q3.txt`):
a path is no name of the current folder, and every file parameter here refuses paths ("No path is
allowed"). Whether a listed name is a file or a folder is the executor's business (the consumer takes
the listed item of its kind).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from ..json_schema.paths import is_element_path, is_top_level
from ..tools import Tool, api_of
from .fields import ToolField
from .text import split_identifier, stem

_FOLDER_WORDS = frozenset({"directory", "folder", "dir"})
_LISTED_WORDS = frozenset({"content", "entry", "item", "file"})
_PATH_WORDS = frozenset({"path"})  # a path is not one name of the folder
_ITEM_WORDS = frozenset({"file", "folder", "directory"})
_SOURCE_WORDS = frozenset({"source", "src"})  # of a copy or move, when its description says it is a file or folder
# a file's kind or size, not its name (`file_type`, `sort_dir` a direction)
_NOT_NAME_WORDS = frozenset({"type", "format", "extension", "size", "count", "language", "lang"})
# words of a parameter for a name the folder does not hold yet (made, written, the end of a move)
_NEW_WORDS = frozenset({"new", "create", "destination", "dest", "target", "write", "output", "rename"})


def _words(text: str) -> set[str]:
    return {stem(w) for w in split_identifier(text)}


def is_listing_element(field: ToolField) -> bool:
    """One name of a folder's listing: an element of a list of a directory's contents."""
    if not is_element_path(field.path) or field.type not in ("string", "any"):
        return False
    words = _words(field.name) | _words(field.description)
    return bool(words & _FOLDER_WORDS) and bool(words & _LISTED_WORDS) and not words & _PATH_WORDS


def names_present_item(field: ToolField) -> bool:
    """A parameter that names a file or folder already in the folder (read, changed, removed, entered)."""
    if not is_top_level(field.path) or field.type not in ("string", "any"):
        return False
    name, description = _words(field.name), _words(field.description)
    named = bool(name & _ITEM_WORDS) or name in ({"dir"}, {"dir", "name"}) or (
        name <= _SOURCE_WORDS | {"name"} and bool(name & _SOURCE_WORDS) and bool(description & _ITEM_WORDS))
    if not named or name & (_NEW_WORDS | _PATH_WORDS | _NOT_NAME_WORDS):
        return False
    return not description & _NEW_WORDS


def listing_links(tools: Sequence[Tool], inputs: Sequence[ToolField], outputs: Sequence[ToolField]) -> list[tuple[int, int]]:
    """(output field number, input field number) of each listing element and each parameter that names a
    present item; `api_links` keeps the pairs inside one API, between tool families, whose types fit."""
    listed = [number for number, field in enumerate(outputs) if is_listing_element(field)]
    if not listed:
        return []
    items: dict[str, list[int]] = defaultdict(list)  # by API: pairs are drawn inside one API only
    for number, field in enumerate(inputs):
        if names_present_item(field) and api_of(tools[field.tool_index]):
            items[api_of(tools[field.tool_index])].append(number)
    return [(out, inp) for out in listed for inp in items.get(api_of(tools[outputs[out].tool_index]), ())]
