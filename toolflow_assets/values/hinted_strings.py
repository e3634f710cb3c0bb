"""A string for a parameter or field name: the name's hint (value_hints), read with its description.

`hinted_string(name, rng, description)` is what the offline user states for a string nothing else constrains:
a year for a `*_year`, music theory for a `key` in a description about music, a U.S. state for a `state` where
something is, the last word's kind for a `departure_city`, what a bare `name` names. `format_string` gives a
string of a JSON Schema `format` and falls back on the hinted string.
"""

from __future__ import annotations

import random
import re

from ..mentions import name_tokens
from ..typed_values import faker_for, named_thing, typed_text
from . import composed_values as composed
from . import lexicons as L
from .value_hints import HEAD_NOUNS, NAME_HINT, STRING_HINTS, STRONG_HINTS, described_hint, random_uuid, string_hint


_NAME_STOPWORDS = frozenset("the a an of this that its their your full display unique given new name names".split())
_PERSON_WORDS = frozenset("person user customer employee contact member author owner people patient guest".split())
_NAME_OF = re.compile(r"\bnames?\s+of\s+(?:the\s+|a\s+|an\s+)?([a-z][a-z-]{2,})", re.IGNORECASE)


def _name_value(name: str, description: str, rng: random.Random) -> str:
    """A value for a bare `name`: what the description says it names (a city, a company, a person), a
    brand-like name for another thing ("Garcia Orchard"), a person's name when nothing is said."""
    hinted = described_hint(description[:200])
    if hinted >= 0:
        return STRING_HINTS[hinted][1](rng, list(name_tokens(description)))
    match = _NAME_OF.search(description)
    thing = match.group(1).lower() if match else ""
    if not thing:
        others = [t for t in name_tokens(name) if t not in _NAME_STOPWORDS and not t.isdigit()]
        thing = others[-1] if others else ""
    if thing and thing not in _NAME_STOPWORDS and thing not in _PERSON_WORDS:
        return named_thing(thing, rng)
    return typed_text("person", rng)


_MUSIC_WORDS = frozenset("music musical scale scales chord chords melody piece progression blues tune song instrument "
                         "pitch tempo".split())


def _musical(tokens: tuple[str, ...], description: str) -> tuple[str, ...] | None:
    """Values of music theory: in a description about music, a `key` is "D minor" (never ID-55508), a
    `note` is "C4", a `time_signature` is "6/8"."""
    if tokens[-2:] == ("time", "signature"):
        return L.TIME_SIGNATURES
    if not tokens or not (_MUSIC_WORDS & set(name_tokens(description)) or _MUSIC_WORDS & set(tokens[:-1])):
        return None
    last = tokens[-1]
    if last in ("key", "root", "tonic"):
        return L.MUSICAL_KEYS
    if last in ("note", "pitch"):
        return L.NOTES
    if last == "scale":
        return L.SCALES
    return None


_STATUS_WORDS = re.compile(r"\b(?:status|current state|state of (?:the|a|an) (?!art)|open|closed|pending|active|enabled)\b",
                           re.IGNORECASE)
_CODE_WORDS = re.compile(r"\b(?:abbreviation|two-letter|2-letter|code)\b", re.IGNORECASE)


def _specific_string(tokens: tuple[str, ...], description: str, rng: random.Random) -> str | None:
    """A `state` where something is (a tax, an address, a city) is a U.S. state, not a status ("state
    pending" in an address); a `currency_pair` is two codes ("EUR/USD"); a connection string is a DSN."""
    if tokens and tokens[-1] == "state" and not _STATUS_WORDS.search(description or ""):
        faker = faker_for(rng)
        return faker.state_abbr(include_territories=False) if _CODE_WORDS.search(description or "") else faker.state()
    if tokens[-2:] in (("connection", "string"), ("connection", "url"), ("connection", "uri")) or tokens[-1:] == ("dsn",):
        engine, port = rng.choice((("postgresql", 5432), ("mysql", 3306), ("mongodb", 27017)))
        return f"{engine}://app@db{rng.randint(1, 9)}.example.com:{port}/{rng.choice(('orders', 'sales', 'inventory'))}"
    if tokens[-2:] == ("currency", "pair") or tokens[-1:] == ("pair",) and "currency" in (description or "").lower():
        first, second = rng.sample(("EUR", "USD", "GBP", "JPY", "CHF", "AUD", "CAD"), 2)
        return f"{first}/{second}"
    return None


_IDENTIFIER_WORDS = re.compile(r"\b(?:identifier|id|number|code)\b", re.IGNORECASE)


def _unknown_value(tokens: tuple[str, ...], description: str, rng: random.Random) -> str:
    """A string for a name no hint knows, from what its description says it is: an identifier ("Operativa
    number of your account"), a thing a hint knows ("The currency code to convert from", "usually a state or
    country"), else a subject of a few words. Never a made-up web search ("ramen near Vancouver" as a
    `regions` value) and never a topic as a tax number: those claim a meaning nothing stated."""
    if _IDENTIFIER_WORDS.search(description[:120]):
        return STRING_HINTS[string_hint("id", "")][1](rng, list(tokens))
    hinted = described_hint(description[:200])
    if hinted >= 0:
        return STRING_HINTS[hinted][1](rng, list(name_tokens(description)))
    return composed.free_text(rng)


def hinted_string(name: str, rng: random.Random, description: str = "") -> str:
    tokens = name_tokens(str(name or ""))
    if tokens and tokens[-1] == "year":  # `event_year`, `publication_year`: a year, whatever else the name says
        return str(rng.randint(2015, 2025))
    music = _musical(tokens, description)
    if music:
        return rng.choice(music)
    specific = _specific_string(tokens, description, rng)
    if specific is not None:
        return specific
    index = string_hint(str(name or ""), str(description or "")[:200])
    if index >= STRONG_HINTS and tokens and tokens[-1] in HEAD_NOUNS:
        # the last word says what the value is: a `departure_city` is a city, not a departure date
        index = string_hint(tokens[-1], "")
    if index < 0:
        return _unknown_value(tokens, str(description or ""), rng)
    if index == NAME_HINT:
        return _name_value(str(name or ""), str(description or ""), rng)
    return STRING_HINTS[index][1](rng, list(name_tokens(name)))


def format_string(fmt: str, name: str, description: str, rng: random.Random) -> str:
    """A string of a JSON Schema `format` (date, email, uri, uuid...); for any other format, or none, the
    name's hinted string."""
    if fmt == "date":
        return typed_text("date", rng)
    if fmt in ("date-time", "datetime"):
        return typed_text("datetime", rng)
    if fmt == "time":
        return f"{typed_text('time', rng)}:00Z"
    if fmt in ("email", "idn-email"):
        return typed_text("email", rng)
    if fmt in ("uri", "url", "iri", "uri-reference", "iri-reference", "uri-template"):
        return typed_text("url", rng)
    if fmt == "uuid":
        return random_uuid(rng)
    if fmt == "ipv4":
        return f"192.0.2.{rng.randint(2, 254)}"
    if fmt == "ipv6":
        return f"2001:db8::{rng.randint(1, 65535):x}"
    if fmt in ("hostname", "idn-hostname"):
        return rng.choice(L.DOMAINS)
    if fmt == "duration":
        return f"P{rng.randint(1, 30)}D"
    if fmt == "regex":
        return "^[a-z]+$"
    if fmt == "json-pointer":
        return f"/{rng.choice(L.URL_PATHS)}/0"
    if fmt in ("phone", "tel"):
        return typed_text("phone", rng)
    return hinted_string(name, rng, description)
