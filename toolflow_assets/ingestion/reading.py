"""Read one source file into JSON documents, whatever it holds (pure apart from opening the file).

- Only regular files are read: a named pipe, socket or device in a source folder is refused with a reason
  (opened non-blocking, so a pipe without a writer never blocks the run).
- JSON, then JSON lines, then YAML. Undecodable bytes survive as surrogates (`surrogateescape`), so one bad
  string rejects only the tool it is in, not the file.
- Numbers JSON cannot carry (NaN, Infinity, integers beyond 64 bits, including ones too long for Python to
  convert) are kept as markers and rejected per tool by `number_problem`; YAML dates are kept as the text
  written (a date such as `2024-13-45` is not a parse error).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from .json_numbers import HugeInt, checking_loads
from .raw_specs import Line, RawRejection

# YAML refuses surrogates outright; they travel through the YAML parser as private-use characters instead.
_TO_PRIVATE = {code: 0xF0000 + code - 0xDC00 for code in range(0xDC80, 0xDD00)}
_FROM_PRIVATE = {v: k for k, v in _TO_PRIVATE.items()}
_INT64 = 2**63 - 1
# Tokens that may hold a number JSON cannot carry: only files containing one pay for the checking decoder.
_ODD_NUMBER = re.compile(r"NaN|Infinity|\d{19}|[eE]\+?\d{3}")
_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def read_regular_file(path: Path, limit: int) -> bytes | str:
    """The file's bytes, or why it is not read (not a regular file, over `limit` bytes)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _FILE_KINDS if test(info.st_mode)), "not a regular file")
            return f"{kind}, not a regular file; not read"
        if info.st_size > limit:
            return f"file is {info.st_size:,} bytes (limit {limit:,})"
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        return f"file is over {limit:,} bytes (limit {limit:,})"
    return raw


def number_problem(value: Any, path: str) -> str | None:
    """Why `value` holds a number that cannot be stored as JSON (with its path), or None."""
    if isinstance(value, HugeInt):
        return f"{path} is an {value[1:-1]}, beyond 64 bits"
    if isinstance(value, float) and not math.isfinite(value):
        shown = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return f"{path} is a non-finite number ({shown}); JSON has no NaN or Infinity"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _INT64:
        return f"{path} is an integer of {len(str(abs(value))):,} digits, beyond 64 bits"
    if isinstance(value, dict):
        return next((p for k, v in value.items() if (p := number_problem(v, f"{path}.{k}"))), None)
    if isinstance(value, list):
        return next((p for i, v in enumerate(value) if (p := number_problem(v, f"{path}[{i}]"))), None)
    return None


def read_documents(raw: bytes) -> tuple[list[Any], bool, str | None, bool]:
    """Parse a file's bytes: (documents, is_jsonl, error, odd_numbers).

    JSON first, then JSON lines (each line a `Line`, or a `RawRejection` for a line that is not JSON), then
    YAML. `odd_numbers` says the documents may hold numbers `number_problem` rejects (always for YAML).
    """
    text = raw.decode("utf-8", errors="surrogateescape").lstrip("\ufeff")
    if not text.strip():
        return [], False, "file is empty", False
    odd = bool(_ODD_NUMBER.search(text))
    loads = checking_loads if odd else json.loads
    try:
        return [loads(text)], False, None, odd
    except RecursionError:
        return [], False, "file is nested too deeply to read", odd
    except json.JSONDecodeError as whole_error:
        lines = text.splitlines()
        non_empty = [ln for ln in lines if ln.strip()]
        if len(non_empty) > 1 and any(_parses_to_object(ln, loads) for ln in non_empty[:5]):
            docs: list[Any] = []
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    docs.append(Line(number, loads(line)))
                except json.JSONDecodeError as error:
                    docs.append(RawRejection(f"line {number}", f"line is not valid JSON: {error.msg} at column "
                                             f"{error.colno}", excerpt=line[:200]))
                except RecursionError:
                    docs.append(RawRejection(f"line {number}", "line is nested too deeply to read", excerpt=line[:200]))
            return docs, True, None, odd
        json_problem = f"{whole_error.msg} at line {whole_error.lineno} column {whole_error.colno}"
        documents, error = _read_yaml(text, json_problem)
        return documents, False, error, True


def _read_yaml(text: str, json_problem: str) -> tuple[list[Any], str | None]:
    try:
        loaded = yaml.load(text.translate(_TO_PRIVATE), Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        return [], f"file is neither JSON, JSON lines nor YAML: JSON says {json_problem}; YAML says {_yaml_problem(error)}"
    except RecursionError:
        return [], "file is nested too deeply to read"
    if not isinstance(loaded, (dict, list)):
        return [], f"file is neither JSON, JSON lines nor a YAML mapping or list: JSON says {json_problem}"
    budget = 2 * len(text) + 10_000  # without aliases a YAML file holds fewer values than characters
    try:
        return [_json_compatible(loaded, [budget])], None
    except _TooLarge:
        return [], (f"YAML expands to more than {budget:,} values from {len(text):,} characters "
                    "(aliases repeated too often)")
    except RecursionError:
        return [], "file is nested too deeply to read"


class _Loader(yaml.SafeLoader):
    """SafeLoader whose scalars cannot fail the file: an integer too long to convert becomes a `HugeInt`
    (rejected per tool), and a timestamp stays the text written (`2024-13-45` is not a date, and a tool
    spec has no use for date objects)."""


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        return HugeInt(str(node.value))


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    mark = getattr(error, "problem_mark", None)
    if problem and mark is not None:
        return f"{problem} at line {mark.line + 1} column {mark.column + 1}"
    return " ".join(str(error).split())[:160]


def _parses_to_object(line: str, loads: Any) -> bool:
    if not line.lstrip().startswith("{"):
        return False
    try:
        return isinstance(loads(line), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


class _TooLarge(Exception):
    pass


def _json_compatible(value: Any, budget: list[int]) -> Any:
    """YAML allows non-string keys and dates; the rest of the pipeline expects JSON values.

    `budget` counts values down: YAML aliases can make a small file expand into billions of values."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge()
    if isinstance(value, dict):
        return {_json_compatible(str(k), budget): _json_compatible(v, budget) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_compatible(v, budget) for v in value]
    if isinstance(value, HugeInt):
        return value
    if isinstance(value, str):
        return value.translate(_FROM_PRIVATE)
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return str(value)
