"""Results of commands on files and folders, by what their fields mean: the simulated executor's rule.

Drawn field by field, a shell's results said nothing a shell says: `cat(file_name="report.docx")` →
`{"file_content": "plan.txt"}`, a grep's `matching_lines` without the pattern, `disk_usage` "jazz music", a `wc`
of words reported as lines. A field is read by its name and the call's arguments, whatever the API:
- the text of a file (`file_content`, `sorted_content`, `last_lines`, `diff_lines`) is lines of text: the named
  file's own lines (one text per file and dialogue, `Folder`), sorted, its last `lines`, or two files' differences;
- `matching_lines` of a call with a `pattern` are lines that contain it;
- `current_directory_content` lists folders and files, the files made or named earlier in the dialogue first;
- `matches` of a search by `name` are paths under the search's `path` whose last part contains the name;
- `current_working_directory` is a path, ending in the folder a `cd` entered;
- `disk_usage` is a size ("4.2 MB", or bytes when not asked human-readable);
- `count` and `type` of a count by `mode` ('l', 'w', 'c') are a number of lines, words or characters, in words.
An empty declared object (`touch`, `mkdir`: `{"properties": {}}`) is the empty object the command returns.
The python executor runs BFCL's own file system; this rule keeps a simulated dialogue (one that mixes APIs)
near it. Lines are those of `text_lines`, which the python executor's initial states use too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..meanings import is_file_name
from ..mentions import field_key, name_tokens
from ..values import composed_values as composed
from ..values import lexicons as L
from ..values.value_hints import file_name
from .queries import text_argument
from .verbs import past_tense

_TEXT_FIELDS = frozenset(field_key(k) for k in ("file_content", "sorted_content", "last_lines", "diff_lines"))
_UNITS = {"l": "lines", "w": "words", "c": "characters"}
_BLANKS: dict[Any, Any] = {"string": "", "array": [], "integer": 0}  # a declared field's type, before its value
_COUNT_RANGES = {"lines": (3, 60), "words": (20, 600), "characters": (120, 4000)}


def text_lines(rng: random.Random, count: int, must_hold: str | None = None) -> list[str]:
    """Lines people write (composed_values), not lorem ipsum; with `must_hold`, one or two of them hold it (a
    grep for it finds them)."""
    lines = [f"{composed.message(rng)}." for _ in range(count)]
    if must_hold:
        for index in rng.sample(range(count), k=min(count, rng.randint(1, 2))):
            lines[index] = f"{lines[index][:-1]} {must_hold}."
    return lines


@dataclass
class Folder:
    """What a simulated dialogue's folder holds: names it listed or calls named, and each file's lines once read."""

    items: dict[str, list[str] | None] = field(default_factory=dict)  # name -> lines (None: a folder, or unread)
    home: str = ""  # the path of the folder, once a call shows it

    def lines(self, name: str, rng: random.Random) -> list[str]:
        if self.items.get(name) is None:
            self.items[name] = text_lines(rng, rng.randint(3, 8))
        return self.items[name] or []

    def listing(self, rng: random.Random) -> list[str]:
        if len(self.items) < 3:  # a folder holds a few things beyond what the dialogue named
            for folder in rng.sample(L.FOLDERS, k=rng.randint(1, 3)):
                self.items.setdefault(folder, None)
            for _ in range(rng.randint(1, 3)):
                self.items.setdefault(file_name(rng, text=True), None)
        return list(self.items)


def _argument(arguments: Mapping[str, Any], *words: str) -> str | None:
    """The first text argument whose name has one of `words` (`file_name` for "file")."""
    found = text_argument(arguments, words=words)
    return found[1] if found else None


def _files(arguments: Mapping[str, Any]) -> list[str]:
    return [v.strip() for k, v in arguments.items() if isinstance(v, str) and v.strip()
            and "file" in name_tokens(k)]


def shell_result(result: Any, returns: Any, arguments: Mapping[str, Any], folder: Folder, rng: random.Random,
                 verb: str = "") -> Any:
    """`result` with the fields above made to mean what they say (in place where it is an object); the call's
    `verb` (its tool's: "copy", "remove", "create") changes what the folder holds afterwards."""
    if isinstance(returns, dict) and returns.get("properties") == {} and not returns.get("additionalProperties"):
        result = {}
    if isinstance(result, dict):
        declared = returns.get("properties") if isinstance(returns, dict) else None
        # a field the schema declares and this rule can fill is there: a wc without its count says nothing
        blanks = {k: _BLANKS.get(s.get("type")) for k, s in (declared or {}).items() if isinstance(s, dict)}
        for key in [*result, *(k for k in blanks if k not in result and blanks[k] is not None)]:
            value = _meant(field_key(key), result.get(key, blanks.get(key)), arguments, folder, rng, verb)
            if value is not None:
                result[key] = value
    _act(verb, arguments, folder)
    return result


def _act(verb: str, arguments: Mapping[str, Any], folder: Folder) -> None:
    """What the folder holds after the call: a made file or folder is there, a removed one is not, a moved one
    under its new name, a copy beside it, a written file holds what was written."""
    source, destination = _argument(arguments, "source", "src"), _argument(arguments, "destination", "dest")
    named = _argument(arguments, "file", "dir", "folder", "directory")
    content = _argument(arguments, "content")
    if verb in ("remove", "delete") and named:
        folder.items.pop(named, None)
    elif verb == "create" and named:
        folder.items.setdefault(named, [] if is_file_name(named) else None)
    elif verb in ("move", "copy") and source and destination:
        lines = folder.items.pop(source, None) if verb == "move" else folder.items.get(source)
        if verb == "copy":
            folder.items.setdefault(source, lines)
        if destination not in folder.items or folder.items[destination] is not None:  # into a folder it goes in
            folder.items[destination] = lines
    elif content and named:
        folder.items[named] = content.splitlines() or [content]  # echo into a file
    else:
        for name in _files(arguments):  # a file a call read is in the folder
            folder.items.setdefault(name, None)


def _meant(key: str, value: Any, arguments: Mapping[str, Any], folder: Folder, rng: random.Random,
           verb: str) -> Any:
    files = _files(arguments)
    source, destination = _argument(arguments, "source", "src"), _argument(arguments, "destination", "dest")
    if key == "result" and isinstance(value, str) and verb in ("move", "copy") and source and destination:
        return f"'{source}' {past_tense(verb)} to '{destination}'"  # what the shell says, not "Cp copied"
    if key == "result" and isinstance(value, str) and verb in ("remove", "delete") and (files or arguments):
        named = _argument(arguments, "file", "dir", "folder", "directory")
        return f"'{named}' removed" if named else None
    if key == "terminaloutput" and isinstance(value, str):  # echo: the text shown, or nothing once written to a file
        content = _argument(arguments, "content")
        return ("" if files else content) if content is not None else None
    if key in _TEXT_FIELDS and isinstance(value, str):
        return "\n".join(_text(key, files, arguments, folder, rng))
    if key == "matchinglines" and isinstance(value, list):
        pattern = _argument(arguments, "pattern")
        if pattern is None:
            return None
        if not files:
            return [line for line in text_lines(rng, 3, pattern) if pattern in line]
        lines = folder.lines(files[0], rng)
        if not any(pattern in line for line in lines):  # the file searched holds what was found in it
            folder.items[files[0]] = lines = text_lines(rng, len(lines), pattern)
        return [line for line in lines if pattern in line]
    if key == "currentdirectorycontent" and isinstance(value, list):
        return folder.listing(rng)
    if key == "matches" and isinstance(value, list) and all(isinstance(v, str) for v in value) \
            and _argument(arguments, "name") is not None:  # a find's paths, not a league's matches
        return _matches(arguments, rng)
    if key == "currentworkingdirectory" and isinstance(value, str):
        folder.home = folder.home or f"/home/{rng.choice(('alex', 'sam', 'jordan', 'maria', 'li'))}"
        entered = _argument(arguments, "folder", "dir", "directory")
        if entered and entered not in ("..", "."):
            folder.home, folder.items = f"{folder.home}/{entered}", {}  # another folder, with its own things
        return folder.home
    if key == "diskusage" and isinstance(value, str):
        size = rng.randint(2_000, 9_000_000)
        readable = arguments.get("human_readable")
        return f"{size / 1_000_000:.1f} MB" if readable and size >= 1_000_000 else \
            f"{size / 1000:.1f} KB" if readable else f"{size} bytes"
    if key == "type" and isinstance(value, str) and isinstance(arguments.get("mode", "l"), str) and files:
        return _UNITS.get(str(arguments.get("mode", "l")), None)
    if key == "count" and isinstance(value, int) and files and not isinstance(value, bool):
        unit = _UNITS.get(str(arguments.get("mode", "l")), "lines")
        if unit == "lines":
            return len(folder.lines(files[0], rng))
        low, high = _COUNT_RANGES[unit]
        return rng.randint(low, high)
    return None


def _text(key: str, files: list[str], arguments: Mapping[str, Any], folder: Folder, rng: random.Random) -> list[str]:
    if not files:
        return text_lines(rng, rng.randint(2, 5))
    lines = folder.lines(files[0], rng)
    if key == "sortedcontent":
        return sorted(lines)
    if key == "lastlines":
        wanted = arguments.get("lines")
        return lines[-wanted:] if isinstance(wanted, int) and wanted > 0 else lines[-10:]
    if key == "difflines" and len(files) > 1:
        other = folder.lines(files[1], rng)
        return [f"{sign} {line}" for mine, theirs in zip(lines, other) if mine != theirs
                for sign, line in (("-", mine), ("+", theirs))]
    return lines


def _matches(arguments: Mapping[str, Any], rng: random.Random) -> list[str]:
    """Paths under the search's start whose last part contains the name looked for (BFCL's `find`)."""
    start = (_argument(arguments, "path") or ".").rstrip("/") or "."
    name = _argument(arguments, "name")
    found: list[str] = []
    for _ in range(rng.randint(1, 3)):
        if name is None:
            item = file_name(rng, text=True)
        elif is_file_name(name):
            item = name
        else:
            item = rng.choice((f"{name}{rng.choice(L.FILE_QUALIFIERS[3:])}.{rng.choice(('md', 'txt', 'csv'))}", name))
        where = rng.choice(("", f"{rng.choice(L.FOLDERS)}/"))
        path = f"{start}/{where}{item}"
        if path not in found:
            found.append(path)
    return found
