"""A string for a parameter or field name: the name's hint (value_hints), read with its description.

`hinted_string(name, rng, description)` is what the offline user states for a string nothing else constrains:
a year for a `*_year`, music theory for a `key` in a description about music, a U.S. state for a `state` where
something is, the last word's kind for a `departure_city`, what a bare `name` names. `format_string` gives a
string of a JSON Schema `format` and falls back on the hinted string.
"""

from __future__ import annotations

import random
import re
from typing import Any

from ..mentions import name_tokens, singular
from ..typed_values import faker_for, thing_value, typed_text
from . import composed_values as composed
from . import lexicons as L
from .described_values import description_choices, description_examples
from .known_things import TRANSLATIONS, to_translate
from .record_names import slug
from .settings import local_value
from .timed_values import timed_string
from .value_hints import (HEAD_NOUNS, ID_HINT, NAME_HINT, STRING_HINTS, STRONG_HINTS, TEXT_HINTS, described_hint,
                          file_name, random_uuid, string_hint, subdivision_code)


_NAME_STOPWORDS = frozenset("the a an of this that its their your full display unique given new name names".split())
PERSON_WORDS = frozenset("person user customer employee contact member author owner people patient guest holder "
                          "recipient sender".split())
# "name of the new custom dashboard", "name for the job template to be created": the words after it, up to a
# clause or a preposition; the last of them is the thing named (never the adjective "new")
_NAME_OF = re.compile(r"\bnames?\s+(?:of|for)\s+((?:[a-z][a-z'-]*\s*){1,5})", re.IGNORECASE)
_PHRASE_END = frozenset("to in on at for of from with by as that which who you it is are be will should must".split())


def _name_value(name: str, description: str, rng: random.Random) -> str:
    """A value for a bare `name`: what the description says it names (a city, a company, a person), the name
    of the thing it names where a hint knows such names (a state's is "Ohio", a sport's "cricket"), a
    brand-like name for another thing people name ("Garcia Orchard"), a plain one for a thing nobody names
    like a brand ("standard dashboard", typed_values.thing_value), a person's name when nothing is said."""
    match = _NAME_OF.search(description)
    phrase: list[str] = []
    for word in (match.group(1).lower().split() if match else []):
        if word in _PHRASE_END:
            break
        phrase.append(word)
    thing = phrase[-1] if phrase else ""
    # the head of "name of the job template" is the template ("job" only says which kind)
    if thing and thing not in _NAME_STOPWORDS:
        return typed_text("person", rng) if thing in PERSON_WORDS else _thing_name(thing, rng, description)
    hinted = described_hint(description[:200])
    if hinted >= 0:
        return STRING_HINTS[hinted][1](rng, list(name_tokens(description)))
    if not thing:
        others = [t for t in name_tokens(name) if t not in _NAME_STOPWORDS and not t.isdigit()]
        thing = others[-1] if others else ""
    if thing and thing not in _NAME_STOPWORDS and thing not in PERSON_WORDS:
        return _thing_name(thing, rng, description)
    return typed_text("person", rng)


def _thing_name(thing: str, rng: random.Random, description: str = "") -> str:
    """The name of a `thing`: what its own hint draws (a state's "Ohio", a team's "Real Madrid"), never its id
    or a text; else typed_values.thing_value: a brand-like name for a thing people name ("Garcia Bakery"), a
    plain one for another ("standard dashboard"), in words its description does not already say."""
    specific = _specific_string((thing,), "", rng)
    if specific is not None:
        return specific
    index = string_hint(thing, "")
    if index < 0:  # "name of the concerts" names a concert ("Jazz Festival"), not "advanced concerts"
        index = string_hint(singular(thing), "")
    if index >= 0 and index not in (ID_HINT, NAME_HINT, *TEXT_HINTS):
        return STRING_HINTS[index][1](rng, [thing])
    return thing_value(thing, rng, avoid=description)


_PEOPLE_HINTS = frozenset(i for i, (keys, _) in enumerate(STRING_HINTS) if keys & {"person", "firstname", "lastname",
                                                                                    "receiver"})
# things whose `title` is a title ("Quarterly Review"); any other thing's title is its name (a bookmaker's,
# a sport's): a bookmaker titled "The Roman Empire Reading List" is no bookmaker
_TITLED = frozenset("book novel article post page video movie film song album track episode podcast show paper "
                    "document doc note task event job issue ticket course story news listing report message email "
                    "chapter playlist thread question result item entry publication poem lesson project meeting "
                    "headline section slide presentation card".split())
_OWNER_OF = re.compile(r"^(?:the\s+)?(?:name|title)\s+of\s+(?:the\s+|a\s+|an\s+)?([a-z][a-z-]{2,})$", re.IGNORECASE)


def owner_name(tokens: tuple[str, ...], description: str, rng: random.Random) -> str | None:
    """A bare `name` or `title` field that a record's context describes as "name of the state" (the record's
    own thing; see Synthesizer.object): the name of that thing. None where the description is not of that
    form, or where a `title` is a document's title."""
    match = _OWNER_OF.match((description or "").strip())
    if tokens not in (("name",), ("title",)) or not match:
        return None
    thing = match.group(1).lower()
    if tokens == ("title",) and thing in _TITLED:
        return None
    if thing in PERSON_WORDS:
        return typed_text("person", rng)
    return _thing_name(thing, rng)


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
    if tokens[-1:] and tokens[-1] in _ENDS and _FILE_OR_FOLDER.search(description or ""):
        # the source or destination of a copy or move is a file or a folder, never a city or a database
        # most often a file is copied or moved, and into a folder
        share = 0.7 if tokens[-1] in ("destination", "dest", "target") else 0.3
        folder = _FOLDER.search(description) and (rng.random() < share or not _FILE.search(description))
        return rng.choice(L.FOLDERS) if folder else file_name(rng, text=True)
    if {"file", "filename"} & set(tokens) and _READ_AS_TEXT.search(description or ""):
        return file_name(rng, text=True)  # a file a shell displays, searches or counts holds lines of text
    if tokens[-1:] == ("path",) and _FOLDER.search(description or "") and not _FILE.search(description or ""):
        return rng.choice(L.FOLDERS)  # a directory's path, where a search starts: a folder, not a file
    if tokens and tokens[-1] in ("state", "province") and not _STATUS_WORDS.search(description or ""):
        # the setting's country's province ("Cordoba", "AR-X"), else a U.S. state
        coded = bool(_CODE_WORDS.search(description or ""))
        local = local_value("state_code" if coded else "state", rng)
        if local is not None:
            return local
        faker = faker_for(rng)
        return faker.state_abbr(include_territories=False) if coded else faker.state()
    if tokens[-2:] in (("connection", "string"), ("connection", "url"), ("connection", "uri")) or tokens[-1:] == ("dsn",):
        engine, port = rng.choice((("postgresql", 5432), ("mysql", 3306), ("mongodb", 27017)))
        return f"{engine}://app@db{rng.randint(1, 9)}.example.com:{port}/{rng.choice(('orders', 'sales', 'inventory'))}"
    if tokens[-2:] == ("currency", "pair") or tokens[-1:] == ("pair",) and "currency" in (description or "").lower():
        first, second = rng.sample(("EUR", "USD", "GBP", "JPY", "CHF", "AUD", "CAD"), 2)
        return f"{first}/{second}"
    if "iso" in tokens and _SUBDIVISION.search(description or ""):
        # the ISO code of a state or province is ISO 3166-2 ("US-OH"), a country's would be "US"
        return subdivision_code(rng)
    if tokens[-1:] in (("unit",), ("units",)):
        return _unit(tokens, description, rng)
    if len(tokens) > 1 and tokens[-1] in ("key", "slug"):
        # a `sport_key` is the key of a sport ("ice_hockey"), as the record's `sport_title` names it; an
        # `api_key` stays an opaque id
        index = string_hint("_".join(tokens[:-1]), "")
        if index > ID_HINT and index not in (NAME_HINT, *TEXT_HINTS, *_PEOPLE_HINTS):
            return slug(STRING_HINTS[index][1](rng, list(tokens[:-1])))
    if tokens[-1:] in (("text",), ("q",), ("query",), ("prefix",), ("term",)) and _TYPED_SEARCH.search(description or ""):
        # a text to spell-check is misspelled ("teylor swiift"), a prefix to complete the start of a search
        if _PREFIX.search(description):
            return " ".join(rng.choice(L.SEARCHES).split()[:2])
        return rng.choice(L.MISSPELLED_SEARCHES)[0]
    if tokens[-1:] in (("bookmaker",), ("sportsbook",), ("bookie",)):
        return rng.choice(L.BOOKMAKERS)
    if "body" in tokens and _ASTRONOMY.search(description or ""):
        return rng.choice(L.PLANETS)  # a celestial body is a planet, not the body of a message
    return None


_COMPOUND_DATE = re.compile(r"^[a-z]+(?:update|updated|create|created|modified|publish|published|release|expiry)date$")
_TYPED_SEARCH = re.compile(r"\b(?:spelling|misspell\w*|prefix to complete|complet\w* (?:a|the) prefix)", re.IGNORECASE)
_PREFIX = re.compile(r"\bprefix\b", re.IGNORECASE)
_ENDS = frozenset({"source", "src", "destination", "dest", "target"})
_FILE = re.compile(r"\bfiles?\b", re.IGNORECASE)
_FOLDER = re.compile(r"\b(?:folders?|director(?:y|ies))\b", re.IGNORECASE)
_FILE_OR_FOLDER = re.compile(r"\b(?:files?|folders?|director(?:y|ies))\b", re.IGNORECASE)
_READ_AS_TEXT = re.compile(r"\b(?:display|contents?|lines?|search|sort|compare|count|words|characters|last part)\b",
                           re.IGNORECASE)
_SUBDIVISION = re.compile(r"\b(?:state|states|province|provinces|region|subdivision)\b", re.IGNORECASE)
_ASTRONOMY = re.compile(r"\b(?:celestial|planet|planets|astronomical|orbit|star|moon)\b", re.IGNORECASE)


def _unit(tokens: tuple[str, ...], description: str, rng: random.Random) -> str:
    """A unit of what the name or description measures: the units the description names (its examples,
    choices, default) first, else one of the quantity it names (a charge in coulombs, a radius in km),
    else a system of units. Never a unit of another quantity ("the charge of an electron in km")."""
    stated = description_choices(description[:600]) + description_examples(description[:600])
    if stated:
        return rng.choice(stated)
    words = [w for w in tokens[:-1] if w not in ("from", "to")] + list(name_tokens(description)[:20])
    for word in words:
        for quantity, units in L.UNITS_BY_QUANTITY:
            if word in quantity:
                return rng.choice(units)
    return rng.choice(("metric", "imperial"))


_IDENTIFIER_WORDS = re.compile(r"\b(?:identifier|id|number|code)\b", re.IGNORECASE)


def _unknown_value(tokens: tuple[str, ...], description: str, rng: random.Random) -> str:
    """A string for a name no hint knows, from what its description says it is: an identifier ("Operativa
    number of your account"), a thing a hint knows ("The currency code to convert from", "usually a state or
    country"), else a subject of a few words. Never a made-up web search ("ramen near Vancouver" as a
    `regions` value) and never a topic as a tax number: those claim a meaning nothing stated."""
    if _IDENTIFIER_WORDS.search(description[:120]) or _acronym(tokens, description):
        return STRING_HINTS[string_hint("id", "")][1](rng, list(tokens))
    hinted = described_hint(description[:200])
    if hinted >= 0:
        return STRING_HINTS[hinted][1](rng, list(name_tokens(description)))
    return composed.free_text(rng)


def _acronym(tokens: tuple[str, ...], description: str) -> bool:
    """The name is an acronym its description writes in capitals ("CUIT of your account", "IBAN to pay
    into"): a tax number, a bank code, an opaque code of some registry, so an id-like value, never a word
    of the thing the description goes on to name (a CUIT "savings" because the sentence says "account")."""
    if len(tokens) != 1 or not 2 <= len(tokens[0]) <= 6:
        return False
    return re.search(rf"\b{re.escape(tokens[0].upper())}\b", description[:120]) is not None


def hinted_string(name: str, rng: random.Random, description: str = "") -> str:
    tokens = name_tokens(str(name or ""))
    if tokens and tokens[-1] == "year":  # `event_year`, `publication_year`: a year, whatever else the name says
        return str(rng.randint(2015, 2025))
    if tokens and _COMPOUND_DATE.search(tokens[-1]):  # `dataupdatedate`, `pagecreatedate`: one word, still a date
        return typed_text("date", rng)
    timed = timed_string(str(name or ""), rng, description)
    if timed is not None:  # opening hours are a range, a waiting time a duration: never "11:30" or 9.08
        return timed
    music = _musical(tokens, description)
    if music:
        return rng.choice(music)
    if to_translate(str(name or ""), description):  # a phrase whose translation is known, so the answer is true
        return rng.choice(list(TRANSLATIONS))
    owned = owner_name(tokens, description, rng)
    if owned is not None:
        return owned
    if tokens[-2:] == ("full", "name"):  # only a person has a full name ("of the account holder" is no account)
        return typed_text("person", rng)
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


# what a record's name says nothing about: a `result` object's `name` is not "the name of the result"
_VAGUE_OWNERS = frozenset("result results response data item items record records entry entries object info "
                          "details detail output value values list body payload content key".split())


def owner_context(key: str, schema: Any, owner: str) -> str:
    """The context a bare `name` or `title` field without a description of its own takes from the record it
    sits in: "name of the state" in a state (an object named `states`, or an item of them), so it names
    that thing (owner_name), not a person. The synthesizer passes it for each property of an object it
    builds. Other fields, and records of no telling name: ""."""
    if name_tokens(key) not in _OWNED or (isinstance(schema, dict) and schema.get("description")):
        return ""
    words = [w for w in name_tokens(owner) if not w.isdigit()]
    people = [w for w in words if singular(w) in PERSON_WORDS]  # a `user_profile`'s name is its user's
    thing = singular(people[-1] if people else words[-1]) if words else ""
    if not thing or words[-1] in _VAGUE_OWNERS or thing in _VAGUE_OWNERS:
        return ""
    return f"{' '.join(name_tokens(key))} of the {thing}"


# fields that say what they are only with their record: its name, its title, its ISO code (a state's "US-OH")
_OWNED = frozenset({("name",), ("title",), ("iso", "code"), ("iso",)})


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
