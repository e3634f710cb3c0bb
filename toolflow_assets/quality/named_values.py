"""Result values dressed up as proper names: "Tate Genetic Trait", "Pitts Rectangle Property".

A family name before a field's own words reads as a brand. That is right for things people name like brands
(a bakery, a team, a product: `typed_values.is_nameable`, the rule the simulated executor and value synthesis
follow) and nonsense for anything else: a property of a rectangle is a number, a genetic trait has a trait's
name, a presence is "online". `check_named_values` flags each tool-result string of the form
"<given or family name> <the words of its field or of its record>" whose words name a thing that rule does
not let have a brand-like name. A string whose words are not the field's (a team "Real Madrid", a title
"Annual Report" in a `summary` field) is not flagged: it does not merely repeat what the field is.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

from ..mentions import name_tokens
from ..planning.phrasing import wants_an
from ..typed_values import is_nameable
from .conversation import shown, tool_results


@lru_cache(maxsize=1)
def _person_names() -> frozenset[str]:
    """Given and family names as Faker (which draws the generator's names) knows them."""
    from faker.providers.person.en_US import Provider

    return frozenset(name.lower() for name in (*Provider.last_names, *Provider.first_names))


def _key_words(keys: tuple[str, ...]) -> frozenset[str]:
    """The words of the keys above a value, each also singular (`genetic_traits` → genetic, traits, trait)."""
    words: set[str] = set()
    for key in keys:
        for word in name_tokens(key):
            words.add(word)
            if word.endswith("ies") and len(word) > 4:
                words.add(word[:-3] + "y")
            elif word.endswith("s") and not word.endswith("ss"):
                words.add(word[:-1])
    return frozenset(words)


def dressed_noun(value: Any, keys: tuple[str, ...]) -> str | None:
    """The noun `value` dresses up as a proper name, else None: `value` is a capitalized name followed by
    capitalized words that are all words of `keys` (its field and the records above it), and what those
    words name is no thing people give brand-like names to."""
    if not isinstance(value, str):
        return None
    words = value.split()
    if len(words) < 2 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return None
    if words[0].lower() not in _person_names():
        return None
    fields = _key_words(keys)
    # the longest tail of the field's words after at least one name ("Ashley Adriel Project" in adriel_projects)
    start = 1
    while start < len(words) and words[start].lower() not in fields:
        if words[start].lower() not in _person_names():
            return None
        start += 1
    tail = [w.lower() for w in words[start:]]
    if not tail or not all(w in fields for w in tail):
        return None
    noun = " ".join(tail)
    return None if is_nameable(noun) else noun


def _strings(value: Any, keys: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*keys, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, keys)
    elif isinstance(value, str):
        yield keys, value


def check_named_values(messages: list[Any]) -> list[str]:
    """No tool result holds a thing nobody names like a brand under a brand-like name (dressed_noun)."""
    reasons: list[str] = []
    for position, tool, result in tool_results(messages):
        for keys, value in _strings(result):
            noun = dressed_noun(value, keys)
            if noun is not None:
                where = ".".join(keys) or "result"
                article = "an" if wants_an(noun) else "a"
                reasons.append(f"tool message {position} ({tool}): field {where} = {shown(value)} names "
                               f"{article} {noun} like a brand (a person's name and the field's own words)")
    return reasons
