"""The assistant asks for a value the user had already given (`check_reasked_values`): its question names
a parameter that the next turn's calls fill, in the parameter's own words or as people say it
(`planning.phrasing.spoken_label`, the words the generator asks with), and the user had stated that value
for it before the question."""

from __future__ import annotations

import re
from typing import Any

from ..mentions import mention_index, name_tokens, normalize_text
from ..planning.phrasing import spoken_label
from .conversation import content_text, leaves, shown, split_turns


def _is_question(text: str) -> bool:
    return "?" in text


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


def _sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def _phrase(words: tuple[str, ...]) -> re.Pattern[str]:
    """A name's words as written in a sentence: "quantity 1", "quantity1", "quantity_1"."""
    return re.compile(r"(?<![\w.])" + r"[\s_-]?".join(map(re.escape, words)) + r"(?![\w.]|,\d)")


def _label_forms(name: str) -> tuple[tuple[str, ...], ...]:
    """The words a parameter is named by in conversation: its own ("post code src") and as a person says it
    (`spoken_label`: "origin postcode"), the words the generator's users and assistant use."""
    own = name_tokens(str(name))
    spoken = name_tokens(spoken_label(str(name)))
    return (own, spoken) if spoken and spoken != own else (own,)


def _said_as(sentences: list[str], words: tuple[str, ...], value: Any,
             numbered: frozenset[tuple[str, ...]] = frozenset(),
             spoken: tuple[tuple[str, ...], ...] = ()) -> bool:
    """The user stated this value for this label: one sentence names the label's words (or the words it is
    `spoken` by) and the value. A numbered label ("quantity1") is named by its words and number together
    ("quantity 1"), and the number of a numbered name (`numbered`: the calls' names with a number, "the
    temperature 1 13") is part of that name, not a value."""
    for sentence in sentences:
        text = normalize_text(sentence)
        said = set(name_tokens(text))
        if not any(set(form) <= said for form in (words, *spoken)):
            continue
        if words in numbered and not _phrase(words).search(text):
            continue
        for name in numbered:
            text = _phrase(name).sub(" ", text)
        if mention_index([text]).states(value):
            return True
    return False


def check_reasked_values(messages: list[Any], tools: list[Any]) -> list[str]:
    """The assistant asks for a value (its question names a parameter that a following call fills) that
    the user had already stated for it before the question (in a sentence naming the parameter)."""
    reasons: list[str] = []
    turns = split_turns(messages)
    user_sentences: list[str] = []
    turn_of_message = {}
    for turn in turns:
        for position in [turn.user_index, *turn.messages]:
            turn_of_message[position] = turn.index
    for position, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        role = message.get("role")
        if role == "user":
            user_sentences.extend(_sentences(content_text(message)))
            continue
        if role != "assistant" or message.get("tool_calls"):
            continue
        question = content_text(message)
        if not _is_question(question):
            continue
        asked_words = {word for sentence in _sentences(question) if sentence.rstrip().endswith("?")
                       for word in name_tokens(sentence)}
        turn_index = turn_of_message.get(position, -1)
        following = [call for turn in turns[turn_index + 1: turn_index + 2] for call in turn.calls]
        asked: dict[tuple[str, ...], list[Any]] = {}  # label words → the values the following calls use
        forms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}  # label words → the ways it is said
        numbered: set[tuple[str, ...]] = set()  # "quantity1", "temperature 1": a name, its number no value
        for call in following:
            if isinstance(call.arguments, dict):
                for name, value in call.arguments.items():
                    words, *spoken = _label_forms(str(name))
                    if any(word.isdigit() for word in words):
                        numbered.add(words)
                    if words and any(set(form) <= asked_words for form in (words, *spoken)):
                        asked.setdefault(words, []).append(value)
                        forms[words] = tuple(spoken)
        # "what time threshold?" asks for the time threshold, not for the threshold the user gave: of labels
        # whose words are all in the question, only the most specific ones count
        asked = {words: values for words, values in asked.items()
                 if not any(set(words) < set(other) for other in asked)}
        for words, values in asked.items():
            stated = [leaf for value in values for _, leaf in leaves(value)
                      if leaf is not None and not isinstance(leaf, bool)]
            # a re-ask when every value used for the label was already given for it: the question adds nothing
            if stated and all(_said_as(user_sentences, words, leaf, frozenset(numbered), forms[words])
                              for leaf in stated):
                reasons.append(f"message {position}: the assistant asks for the {' '.join(words)}, but the user "
                               f"had already given it ({shown(values[0])})")
    return reasons
