"""Text normalization for field matching: identifier splitting, word tokens, light stemming.

Tool and field names come in every style (`cityId`, `city_name`, `GetCarsAvailable`, `weather.get`), so
everything that compares names goes through `split_identifier` first: `cityId` → `["city", "id"]`.
"""

from __future__ import annotations

import re

import functools

# One pass splits words, camelCase and acronyms: `HTTPServerURL2` → HTTP, Server, URL, 2.
_IDENTIFIER_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_DISAMBIGUATION_SUFFIX = re.compile(r"_\d+$")

# Words that carry no meaning for matching fields; kept short on purpose: domain words such as "name",
# "id" or "type" are NOT stopwords, because they are exactly what parameters are called.
STOPWORDS = frozenset(
    """a an the of for to in on at by with from and or as is are be been being was were it its this that
    these those which who whom whose what when where how if then than else such can could may might must
    should will would shall do does did done not no yes any all each every some other into onto about over
    under between within without via per e g eg ie i.e etc specified specific given provided optional
    required default defaults value values parameter parameters field fields use used using user's
    your you we our they their there here also only just more most less least e.g""".split()
)


def split_identifier(identifier: str) -> list[str]:
    """`cityId` → city id; `user_name` → user name; `HTTPServerURL` → http server url (lowercased)."""
    return [w.lower() for w in _IDENTIFIER_WORD.findall(identifier)]


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A deliberately tiny stemmer: plural and a few verb endings, so `cities` ≈ `city`, `lists` ≈ `list`."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """Lowercased, stemmed words of free text (identifiers inside it split too), stopwords removed."""
    return [stem(w) for w in split_identifier(text) if w not in STOPWORDS and len(w) > 1]


def base_tool_name(name: str) -> str:
    """The tool name without the catalog's disambiguation suffix (`calculate_tax_5` → `calculate_tax`)."""
    return _DISAMBIGUATION_SUFFIX.sub("", name)


def snake_case(words: list[str]) -> str:
    return "_".join(w for w in words if w)
