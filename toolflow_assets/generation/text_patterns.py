"""The JSON Schema `pattern` of a text the llm writer asks a model for: the values the text must keep written
in literally, free words around them, bounded. Servers that decode under a grammar built from the schema
(llama.cpp's llama-server, llama-cpp-python, vLLM) then cannot drop or alter a value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .text_sense import written_form


@dataclass(frozen=True)
class TextSlot:
    """A user or assistant text the model rewrites: its position in the messages and the call or result
    values its template text states (the rewrite must state them too)."""

    index: int
    role: str
    text: str
    keep: tuple[Any, ...]


# Free wording between the values a text must keep: no quote, backslash or control character (the grammar
# must stay inside one JSON string) and no digit, so the model cannot invent a figure or an id that no
# result holds (the quality stage's assistant_claims check). Each run of it is bounded, so a looping model
# stops at a closed string instead of the token limit; the bound grows with the template's own wording, since
# a bound shorter than the template's sentence made the grammar cut SmolLM2's sentences mid-word ("I'm tidin.").
_FREE = r'[^"\\\n\r\t0-9]'
FREE_SPAN = 60  # characters between two values at least: a short sentence
# A special character of a value is written as a one-character class ("[.]"), not with a backslash:
# llama-cpp-python's schema-to-grammar converter copies "\." into a GBNF string literal, where it is an
# unknown escape, and its server dies on the grammar ("failed to parse grammar"; measured with 0.3.36).
# "[", "]", "^" and "\" mean something inside a class too, so they keep the backslash (llama.cpp's pattern
# reader takes those escapes).
_REGEX_SPECIAL = set("$.|?*+(){}")
_CLASS_SPECIAL = set("^[]")


def free_span(slot: TextSlot) -> int:
    """The most characters of free wording between two values: half again the template's longest run."""
    values = [re.escape(v) for v in ordered_keep(slot) if v]
    runs = re.split("|".join(values), slot.text) if values else [slot.text]
    return max(FREE_SPAN, 3 * max(len(run) for run in runs) // 2)


def text_pattern(slot: TextSlot) -> str | None:
    """A regular expression (JSON Schema `pattern`) for the slot's text: a letter first, then free words
    with each value to keep written in, in the order the template states them. Servers that decode under
    a grammar (llama.cpp, llama-cpp-python, vLLM) then cannot drop or alter a value; the model writes only
    the words around them. None when a value cannot be written inside the pattern (a quote, backslash or
    line break in it): that text is left unconstrained and checked afterwards like any other."""
    return _pattern(slot, capture=False)


def _pattern(slot: TextSlot, capture: bool) -> str | None:
    values = ordered_keep(slot)
    if any(set(v) & set('"\\\n\r\t') or not v.strip() for v in values):
        return None
    free = f"{_FREE}{{0,{free_span(slot)}}}"
    free = f"({free})" if capture else free  # the servers' grammar converters need no groups
    body = "".join(_literal(v) + free for v in values)
    return f"^[A-Za-z]{free}{body}[.!?]$"  # a closing mark: the text ends a sentence, not the span


def cut_by_pattern(text: str, slot: TextSlot) -> bool:
    """Whether the grammar ended the text: a run of free wording as long as the pattern allows means the
    model was still writing when the closing mark was forced on it."""
    pattern = _pattern(slot, capture=True)
    match = re.fullmatch(pattern, text) if pattern else None
    return bool(match) and any(len(run) >= free_span(slot) for run in match.groups())


def ordered_keep(slot: TextSlot) -> list[str]:
    """The values to keep as written, in the order the template text states them."""
    lowered = slot.text.lower()
    # a whole float is written as the integer the template wrote ("30", not "30.0"): both state it
    written = (str(int(v)) if isinstance(v, float) and v.is_integer() else written_form(v) for v in slot.keep)
    return sorted(written,
                  key=lambda v: lowered.find(v.lower()) if v.lower() in lowered else len(lowered))


def _literal(value: str) -> str:
    return "".join(f"[{c}]" if c in _REGEX_SPECIAL else "\\" + c if c in _CLASS_SPECIAL else c for c in value)
