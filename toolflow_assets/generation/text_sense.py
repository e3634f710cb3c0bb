"""Whether a model-written text is language a person would write: the LLM writer's own filter.

Grammar-constrained decoding keeps a small model's values and JSON valid, not its sense, and the quality
checks read values, calls, results and claims, not sense; so the writer refuses what is plainly not prose
(the text falls back to its template, labelled with the reason, and does not count as model-written).
"""

from __future__ import annotations

import json
import re
from typing import Any, Sequence

from ..graph.text import STOPWORDS

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
    if _loops(words) and not _loops([w.lower() for w in _WORD.findall(_without_values(template, keep))]):
        return "it repeats itself"  # unless its template does too ("the iso code is ... the iso code is ...")
    if not re.search(r"[.!?)]\s*$", text):
        return "it stops in the middle of a sentence"
    return _not_prose(prose, template) or _broken_sentence(text, keep, template) or _unrelated(text, keep, template)


def _loops(words: Sequence[str]) -> bool:
    """A trigram three times, or one content word far more often than a sentence says it."""
    grams = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    content = [w for w in words if len(w) > 3]
    return bool(grams and max(map(grams.count, grams)) >= 3) or \
        bool(content and max(map(content.count, content)) > max(3, len(words) // 5))


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


def _broken_sentence(text: str, keep: Sequence[Any], template: str) -> str | None:
    """Sentences a person would not type, read with each value as one word: SmolLM2-135M wrote "I'm glad
    you're having a ." (an article before the stop), "check the key ID-14443. I,." (marks without words
    between them), "I'm glad you're having a great day. I'm glad you're able." (a phrase said twice)."""
    worded, template_worded = _values_as_words(text, keep), _values_as_words(template, keep)

    def new(pattern: str) -> set[str]:  # what the template does not do itself ("point a: 74" names a point)
        found = {m.lower() for m in re.findall(pattern, worded, re.IGNORECASE)}
        return found - {m.lower() for m in re.findall(pattern, template_worded, re.IGNORECASE)}

    if new(rf"\b(?:{_DANGLING})\s*[.!?,;:]"):
        return "it leaves a sentence unfinished"
    if new(r"[,;:]\s*[.!?,;:]|[.!?]\s*[,;:]|\s[.,;:!?]"):
        return "it is not made of words"  # marks with no word between them, or a mark after a space
    if new(r"\w[ \t]{2,}\w"):  # the grammar bars digits: "I'll be there by  and I." lost its "7 pm" there
        return "it leaves a gap in a sentence"
    return "it repeats itself" if _repeated_phrases(worded) - _repeated_phrases(template_worded) else None


def repeated_sentences(text: str, others: Sequence[str], template: str = "") -> list[str]:
    """The sentences of `text` (four words or more) that another message of the dialogue already says and
    its template did not: SmolLM2-135M began four messages of one dialogue with "I'm glad you're having a
    great day."."""
    said = {_sentence_key(s) for other in others for s in _sentences(other)}
    own = {_sentence_key(s) for s in _sentences(template)}
    return [s for s in _sentences(text) if len(_WORD.findall(s)) >= 4 and _sentence_key(s) in said - own]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


def _sentence_key(sentence: str) -> str:
    return " ".join(w.lower() for w in _WORD.findall(sentence))


def _unrelated(text: str, keep: Sequence[Any], template: str) -> str | None:
    """A rewrite says what its message says: it shares a content word with it (values aside), and it names
    nothing that neither the message nor its values name. SmolLM2-135M wrote "Mirror, I can't believe you
    forgot ..." for "Hi! I've got a little project going", and copied a prompt example's "flights from Oslo
    to Rome" into a file-system request: both kept their values and passed every check."""
    own = _content_words(_without_values(template, keep))
    if len(own) >= 3 and not own & _content_words(_without_values(text, keep)):
        return "it does not say what its message says"
    known = {w.lower() for w in _WORD.findall(template + " " + " ".join(written_form(v) for v in keep))}
    invented = [w for w in _inner_names(_without_values(text, keep)) if w.lower() not in known]
    return f"it names what its message does not ({', '.join(invented[:3])})" if invented else None


def _values_as_words(text: str, keep: Sequence[Any]) -> str:
    return _values_replaced(text, keep, "VALUE")


def _repeated_phrases(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    grams = [tuple(words[i:i + 4]) for i in range(len(words) - 3)]
    return {g for g in grams if grams.count(g) > 1}


def _content_words(text: str) -> set[str]:
    """Words that carry the message (four letters or more, not a function word), by their first five
    letters, so that "files" meets "file" and "searching" meets "search"."""
    return {w.lower()[:5] for w in _WORD.findall(text)
            if len(w) >= 4 and w.lower() not in STOPWORDS and w.lower() not in _CHAT_WORDS and "'" not in w}


def _inner_names(text: str) -> list[str]:
    """Capitalized words that do not start a sentence (nor "I"): the names a text gives."""
    return [w for sentence in _sentences(text) for w in _WORD.findall(sentence)[1:]
            if w[0].isupper() and w not in ("I", "I'm", "I'll", "I've", "I'd", "OK")]


_DANGLING = "a|an|the|and|or|my|your|their|our|of the|to the"
# what a chat says around its content, beyond the catalog's stopwords (graph.text.STOPWORDS)
_CHAT_WORDS = frozenset("""please thanks thank okay sure right well like want need have them while cannot dont
    very much again above after yours hers ours""".split())


def _without_values(text: str, keep: Sequence[Any]) -> str:
    return _values_replaced(text, keep, " ")


def _values_replaced(text: str, keep: Sequence[Any], by: str) -> str:
    """The text with each value it keeps replaced, longest first, only where it stands as a whole ("CA"
    is not taken out of "Location")."""
    for value in sorted((written_form(v) for v in keep), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", by, text, flags=re.IGNORECASE)
    return text


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_JUNK = re.compile(r"^[^\W\d_]{0,3}-+$|(?:[^\W\d_]-){3,}")  # "ID-" with its digits banned; "A-C-O-L-…"


def written_form(value: Any) -> str:
    """A kept value as the text writes it (a string as it is, anything else as JSON)."""
    return value if isinstance(value, str) else json.dumps(value)
