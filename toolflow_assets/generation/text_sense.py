"""Whether a model-written text is language a person would write: the LLM writer's own filter.

Grammar-constrained decoding keeps a small model's values and JSON valid, not its sense, and the quality
checks read values, calls, results and claims, not sense; so the writer refuses what is plainly not prose
(the text falls back to its template, labelled with the reason, and does not count as model-written).
"""

from __future__ import annotations

import json
import re
from typing import Any, Sequence

def degenerate(text: str, keep: Sequence[Any] = (), template: str = "") -> str | None:
    """Why a text is not language a person would write, else None. Grammar-constrained decoding keeps a
    small model's values and JSON valid, not its sense: SmolLM2-135M wrote "The file named", "ID-  -  ID-
    -  ID-" and "I'm going to find it;I'm going to find it". The quality checks read values and claims,
    not sense, so the writer refuses such texts itself (they fall back, labelled, and do not count)."""
    prose = _without_values(text, keep)  # the values are the plan's, not the model's words
    words = [w.lower() for w in _WORD.findall(prose)]
    if len(words) < min(3, len(_WORD.findall(_without_values(template, keep))) or 3):
        return "it is not a sentence (too few words of its own)"
    tokens = prose.split()
    if tokens and sum(bool(_JUNK.search(t)) for t in tokens) / len(tokens) > 0.3:
        return "it is not made of words"
    grams = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    content = [w for w in words if len(w) > 3]
    if (grams and max(map(grams.count, grams)) >= 3) or \
            (content and max(map(content.count, content)) > max(3, len(words) // 5)):
        return "it repeats itself"
    if not re.search(r"[.!?)]\s*$", text):
        return "it stops in the middle of a sentence"
    return _not_prose(prose, template)


def _not_prose(prose: str, template: str) -> str | None:
    """What the grammar does not stop (llama-cpp-python decodes `json_object` + schema without the slots'
    patterns: SmolLM2-135M wrote "JustSameFileSummary.png&hMZTGKOUjdJnVxkQy_iPbw", "at [Target] &
    [TrialPillars]", "home_city.description, color: '#ffffff' }" and "I'm 80094"): outside its values a
    text is words and punctuation a person types."""
    figures = set(re.findall(r"\d+(?:[.,]\d+)*", prose)) - set(re.findall(r"\d+(?:[.,]\d+)*", template))
    if figures:  # a figure neither a value nor the template states ("3 results" is the template's count)
        return "it states a figure that is none of its values"
    if re.search(r"[\[\]{}<>#=|\\`*_&]", prose) and not re.search(r"[\[\]{}<>#=|\\`*_&]", template):
        return "it holds code or placeholder marks"
    for token in prose.split():
        word = token.strip(".,!?;:'\"()")
        if len(word) > 20 and "-" not in word or len(re.findall(r"[a-z][A-Z]", word)) >= 2:
            return "it is not made of words"
    return None


def _without_values(text: str, keep: Sequence[Any]) -> str:
    for value in sorted((written_form(v) for v in keep), key=len, reverse=True):
        text = re.sub(re.escape(value), " ", text, flags=re.IGNORECASE)
    return text


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_JUNK = re.compile(r"^[^\W\d_]{0,3}-+$|(?:[^\W\d_]-){3,}")  # "ID-" with its digits banned; "A-C-O-L-…"


def written_form(value: Any) -> str:
    """A kept value as the text writes it (a string as it is, anything else as JSON)."""
    return value if isinstance(value, str) else json.dumps(value)
