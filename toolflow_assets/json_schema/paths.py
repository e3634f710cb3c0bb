"""Paths into values and schemas: `results[].id`, `results[0].id` and `results.0.id` name the same field.

Graph fields write them (`hotels[].hotel_id`), plans carry them (which output feeds which argument), and
the planner, writers, executors and quality checks read values at them (`get_path`) and build values along
them (`set_path`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


def parse_path(path: str) -> list[str | int]:
    """`results[].id` / `results[0].id` / `results.0.id` → ['results', 0, 'id']; '' → [] (the whole value)."""
    return list(_parse_path(str(path or "")))


@lru_cache(maxsize=65_536)
def _parse_path(path: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for segment in [s for s in str(path or "").split(".") if s]:
        match = re.fullmatch(r"([^\[\]]*)((?:\[\d*\])*)", segment)
        if not match:
            parts.append(segment)
            continue
        key, brackets = match.group(1), match.group(2)
        if key:
            parts.append(int(key) if key.isdigit() else key)
        for index in re.findall(r"\[(\d*)\]", brackets):
            parts.append(int(index) if index else 0)
    return tuple(parts)


def is_element_path(path: str | None) -> bool:
    """`keys[]` (or `keys[0]`): the path names one element of a list, not the list (`keys`) nor a field of its
    elements (`hotels[].id`); a listing's `current_directory_content[]` is one name it listed."""
    return bool(_ELEMENT_END.search(str(path or "")))


_ELEMENT_END = re.compile(r"\[\d*\]$")


def last_field(path: str | None) -> str:
    """The name of the field a path ends in: `hotels[].hotel_id` → 'hotel_id', `keys[]` → 'keys' (its list's
    name), `city` → 'city'; '' for the whole value. What a value at the path means is read from this name."""
    parts = [p for p in str(path or "").replace("[]", "").split(".") if p]
    return parts[-1] if parts else ""


def is_top_level(path: str | None) -> bool:
    """`city`: the path names a field of the value itself, not an element of a list (`keys[]`) nor a field
    further down (`hotels[].id`, `location.city`)."""
    return len(parse_path(str(path or ""))) == 1


def get_path(value: Any, path: str) -> tuple[bool, Any]:
    """(found, value) at an output path; a name step on a list reads its first item (`items.id`)."""
    current = value
    for part in parse_path(path):
        if isinstance(part, int):
            if isinstance(current, list) and part < len(current):
                current = current[part]
                continue
            if isinstance(current, dict) and str(part) in current:
                current = current[str(part)]
                continue
            return False, None
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and current and isinstance(current[0], dict) and part in current[0]:
            current = current[0][part]
        else:
            return False, None
    return True, current


def set_path(container: Any, path: str, value: Any) -> Any:
    """Put `value` at `path`, creating objects and one-item lists on the way; returns the new container."""
    parts = parse_path(path)
    if not parts:
        return value
    if not isinstance(container, (dict, list)):
        container = [] if isinstance(parts[0], int) else {}
    current = container
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        nxt = None if last else parts[index + 1]
        if isinstance(current, list):
            slot = part if isinstance(part, int) else 0
            while len(current) <= slot:
                current.append({} if not isinstance(nxt, int) else [])
            if not isinstance(part, int):
                if not isinstance(current[slot], dict):
                    current[slot] = {}
                current = current[slot]
                # the name step itself applies to the item
                if last:
                    current[part] = value
                    return container
                if not isinstance(current.get(part), (dict, list)):
                    current[part] = [] if isinstance(nxt, int) else {}
                current = current[part]
                continue
            if last:
                current[slot] = value
                return container
            if not isinstance(current[slot], (dict, list)):
                current[slot] = [] if isinstance(nxt, int) else {}
            current = current[slot]
        else:
            key = str(part)
            if last:
                current[key] = value
                return container
            if not isinstance(current.get(key), (dict, list)):
                current[key] = [] if isinstance(nxt, int) else {}
            current = current[key]
    return container
