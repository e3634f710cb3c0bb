"""Parse and repair the JSON in a model's answer: code fences, prose around it, trailing commas, and
answers cut off at the token limit (closed at the last complete value, never by inventing one).

Pure functions: the structured-output path of the client and the prompted tool-call parser use them.
"""

from __future__ import annotations

import json
import re
from typing import Any

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)


_SCALAR = re.compile(r"[A-Za-z0-9.+\-]+")
# What may follow the last complete value of a truncated answer: a comma, a key, a partial scalar.
_PARTIAL_TAIL = re.compile(
    r'''\s*(?:,\s*)?(?:"(?:[^"\\]|\\.)*"\s*)?(?::\s*)?'''  # a comma, a complete key, a colon
    r'''(?:"(?:[^"\\]|\\.)*"?|-?[0-9.eE+\-]+|t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?)?\s*$''',
    re.DOTALL,
)


def _safe_cut_points(text: str) -> list[tuple[int, str | None]]:
    """(offset, closers) just after each complete JSON value or opening bracket, outside strings: where the
    text may be cut, and the brackets that close what is open there (None once the brackets do not match).
    One pass over the text. Empty when the text is not the beginning of JSON (a stray word, an unknown
    character)."""
    points: list[tuple[int, str | None]] = []
    stack: list[str] = []
    matched = True
    in_string = escaped = False

    def here(offset: int) -> None:
        points.append((offset, "".join(reversed(stack)) if matched else None))

    index = 0
    while index < len(text):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                here(index + 1)
        elif char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
            here(index + 1)
        elif char in "}]":
            if not stack or stack.pop() != char:
                matched = False
            here(index + 1)
        elif char in ",:" or char.isspace():
            pass
        else:
            token = _SCALAR.match(text, index)
            if token is None:
                return []
            end = token.end()
            if end < len(text):  # a scalar at the very end may be cut short: never keep it
                try:
                    json.loads(token.group(0))
                except ValueError:
                    return []
                here(end)
            index = end
            continue
        index += 1
    return points


def close_truncated_json(text: str, max_tries: int = 64) -> Any:
    """Close JSON cut off mid-way (a `length` finish): cut back to the last complete value and close the
    open brackets. Never completes a half string or number, so no invented value slips in."""
    points = _safe_cut_points(text)
    for cut, closers in reversed(points[-max_tries:]):
        if not _PARTIAL_TAIL.match(text, cut):
            break  # the text after this cut is more than a cut-off value: not a truncated JSON
        if closers is None:
            continue
        # a trailing comma or whitespace opens and closes no bracket: the closers at the cut still apply
        candidate = text[:cut].rstrip().rstrip(",").rstrip()
        try:
            return json.loads(candidate + closers)
        except ValueError:
            continue
    raise ValueError("could not close the truncated JSON")


def extract_json(text: str) -> Any:
    """The JSON object in a model's answer: as is; inside a code fence; cut to the outermost braces;
    with trailing commas removed; or closed where it was truncated. Raises ValueError when none works."""
    text = (text or "").strip()
    if not text:
        raise ValueError("empty answer")
    candidates = [text]
    fenced = _FENCE.search(text)
    if fenced:
        candidates.append(fenced.group(1).strip())
    start = text.find("{")
    if start >= 0:
        end = text.rfind("}")
        if end > start:
            candidates.append(text[start:end + 1])
        candidates.append(text[start:])
    for candidate in candidates:
        for variant in (candidate, re.sub(r",\s*([}\]])", r"\1", candidate)):
            try:
                return json.loads(variant)
            except ValueError:
                continue
    if start >= 0:
        return close_truncated_json(text[start:])
    raise ValueError("no JSON object in the answer")

