"""Schema-aware values without a model: what the offline user states and the offline tool agent returns.

`synthesize(schema, rng, name=...)` reads a JSON Schema (enum, const, type, format, pattern, numeric and
length bounds, arrays, objects, `$ref`, `allOf`/`anyOf`/`oneOf`) and a parameter name, and returns a value
that satisfies the schema whenever that is practical, with realistic strings from small lexicons keyed by
name hints (city, email, phone, url, id, query…). It never raises, whatever the schema: an unusable schema
gives a best-effort value.

Values are chosen so the grounding check can find them in text: strings never contain quotes, backslashes
or control characters (so they appear unchanged in JSON tool content), and floats carry at most two
decimals (so `number_text` is their short, exact form).
"""

from __future__ import annotations

import math
import random
import re
from functools import lru_cache
from typing import Any, Callable

from ..json_schema.errors import UnusableSchema
from ..json_schema.paths import get_path, parse_path, set_path  # noqa: F401 - re-exported for generation
from ..json_schema.refs import resolve_ref  # noqa: F401 - re-exported for generation and execution
from ..json_schema.validate import first_error, schema_problem
from ..json_schema.walk import TYPE_ORDER as _TYPE_ORDER
from ..json_schema.walk import declared_types, merge_all_of, schema_at  # noqa: F401 - re-exported
from ..mentions import name_tokens  # noqa: F401 - the one name tokenizer, re-exported for generation and execution
from ..typed_values import faker_for, named_thing, typed_text
from . import composed_values as composed
from . import lexicons as L
from .regex_strings import string_for_pattern

MAX_DEPTH = 6
# Bounds on what a schema can make us build: an array at depth d holds at most MAX_ARRAY_ITEMS // (d+1)^2
# items (so nested arrays stay in the thousands of values), a string at most MAX_STRING_CHARS.
MAX_ARRAY_ITEMS = 16
MAX_STRING_CHARS = 10_000
_BAD_CHARS = re.compile(r'["\\\x00-\x1f`]')


# ------------------------------------------------------------------------------------------- helpers

def humanize(name: str) -> str:
    """A parameter or field name as words: `base_branch` → 'base branch', `userId` → 'user id'."""
    words = name_tokens(name)
    return " ".join(words) if words else str(name or "value")


def number_text(value: float | int) -> str:
    """The text form the grounding check looks for: `str(int)` for integral values, else `repr(float)`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def clean_text(value: str) -> str:
    """Drop characters that would need escaping in JSON or break a sentence."""
    return _BAD_CHARS.sub("", value)


# ------------------------------------------------------------------------------------- validation
# The JSON Schema module decides when a schema is usable and how a value is checked (json_schema.validate);
# generation reads an unusable schema as "cannot check": any value passes, so synthesis never raises.

def schema_is_usable(schema: Any) -> bool:
    """True when values can be checked against the schema (json_schema.validate's rule)."""
    return schema_problem(schema) is None


def schema_error(value: Any, schema: Any) -> str | None:
    """The first validation error's message, or None when valid (or the schema cannot be checked)."""
    try:
        return first_error(value, schema)
    except UnusableSchema:
        return None


def is_valid(value: Any, schema: Any) -> bool:
    return schema_error(value, schema) is None


# ------------------------------------------------------------------------------------- name hints

def _person(rng: random.Random) -> str:
    return typed_text("person", rng)


def _email(rng: random.Random) -> str:
    return typed_text("email", rng)


def _url(rng: random.Random) -> str:
    return typed_text("url", rng)


def _phone(rng: random.Random) -> str:
    return typed_text("phone", rng)


def _date(rng: random.Random) -> str:
    return typed_text("date", rng)


def _time(rng: random.Random) -> str:
    return typed_text("time", rng)


def _datetime(rng: random.Random) -> str:
    return typed_text("datetime", rng)


_DATE_FORMS = (  # the longer form first: "MM/DD/YYYY" also contains "MM/YY"
    ("YYYY-MM-DD", "{y:04d}-{m:02d}-{d:02d}"), ("MM/DD/YYYY", "{m:02d}/{d:02d}/{y:04d}"),
    ("DD/MM/YYYY", "{d:02d}/{m:02d}/{y:04d}"), ("DD.MM.YYYY", "{d:02d}.{m:02d}.{y:04d}"),
    ("MM/YYYY", "{m:02d}/{y:04d}"), ("YYYY-MM", "{y:04d}-{m:02d}"), ("MM/YY", "{m:02d}/{y2:02d}"),
)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def in_stated_date_form(text: str, description: str) -> str:
    """An ISO date (`2028-06-30`) rewritten in the form a description names (`MM/YYYY` -> `06/2028`); any other
    text, or a description naming no form, unchanged."""
    day = _ISO_DAY.match(text)
    if not day:
        return text
    stated = description.upper()
    for form, layout in _DATE_FORMS:
        if form in stated:
            y, m, d = (int(part) for part in day.groups())
            return layout.format(y=y, m=m, d=d, y2=y % 100)
    return text


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def _identifier(rng: random.Random, tokens: list[str]) -> str:
    stem = next((t for t in tokens if t not in ("id", "ids", "key", "code", "number", "no", "ref")), "id")
    prefix = "".join(c for c in stem[:3].upper() if c.isalpha()) or "ID"
    return f"{prefix}-{rng.randint(1000, 99999)}"


def _file(rng: random.Random) -> str:
    return f"{rng.choice(L.FILE_STEMS)}.{rng.choice(L.FILE_EXTENSIONS)}"


def _typed(kind: str) -> Callable[[random.Random, list[str]], str]:
    return lambda rng, tokens: typed_text(kind, rng)


_NAME_STOPWORDS = frozenset("the a an of this that its their your full display unique given new name names".split())
_NAME_OF = re.compile(r"\bnames?\s+of\s+(?:the\s+|a\s+|an\s+)?([a-z][a-z-]{2,})", re.IGNORECASE)


def _name_value(name: str, description: str, rng: random.Random) -> str:
    """A value for a bare `name`: what the description says it names (a city, a company, a person), a
    brand-like name for another thing ("Garcia Orchard"), a person's name when nothing is said."""
    hinted = _described_hint(description[:200])
    if hinted >= 0:
        return _STRING_HINTS[hinted][1](rng, list(name_tokens(description)))
    match = _NAME_OF.search(description)
    thing = match.group(1).lower() if match else ""
    if not thing:
        others = [t for t in name_tokens(name) if t not in _NAME_STOPWORDS and not t.isdigit()]
        thing = others[-1] if others else ""
    if thing and thing not in _NAME_STOPWORDS and thing not in _PERSON_WORDS:
        return named_thing(thing, rng)
    return _person(rng)


@lru_cache(maxsize=65_536)
def _described_hint(description: str) -> int:
    """The first hint the description's words name ("Name of the city" → city), ids and names aside."""
    words = [w for w in name_tokens(description)[:24] if w not in _NAME_KEYS and w not in _NOT_A_THING]
    for word in words:
        for index, (keys, _) in enumerate(_STRING_HINTS):
            if word in keys and index not in (_ID_HINT, _NAME_HINT):
                return index
    return -1


_GAME_WORDS = frozenset("score scores scoreline final home away match game half full time".split())


def _score(rng: random.Random, tokens: list[str]) -> str:
    """A game's score ("2-1"); a credit or test score as a number in words ("742")."""
    if set(tokens) <= _GAME_WORDS:
        return f"{rng.randint(0, 5)}-{rng.randint(0, 5)}"
    return str(rng.randint(300, 850) if "credit" in tokens else rng.randint(1, 100))


def _iso_code(rng: random.Random, tokens: list[str]) -> str:
    country = typed_text("country_code", rng)
    if {"state", "province", "region", "subdivision"} & set(tokens):
        return f"{country}-{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"
    return country


def _free_text(rng: random.Random) -> str:
    """A string for a parameter whose name and description say nothing usable: a real topic, never an
    invented adjective-noun pair."""
    return composed.free_text(rng)


def _pick(options: tuple[str, ...]) -> Callable[[random.Random], str]:
    return lambda rng: rng.choice(options)


_NAME_KEYS = frozenset({"name"})
_PERSON_WORDS = frozenset("person user customer employee contact member author owner people patient guest".split())
# words of a description that name no kind of value ("the type of ...", "the code ...")
_NOT_A_THING = frozenset("type kind code number no key ref format mode level value field state status".split())

# First match wins: (tokens any of which must be present, generator). Order matters: specific before generic.
_STRING_HINTS: list[tuple[frozenset[str], Callable[[random.Random, list[str]], str]]] = [
    (frozenset({"email", "mail"}), lambda r, t: _email(r)),
    (frozenset({"phone", "mobile", "tel", "telephone", "fax"}), lambda r, t: _phone(r)),
    (frozenset({"url", "uri", "link", "website", "homepage", "endpoint", "href"}), lambda r, t: _url(r)),
    (frozenset({"uuid", "guid"}), lambda r, t: _uuid(r)),
    (frozenset({"zip", "zipcode", "postal", "postcode"}), lambda r, t: f"{r.randint(10000, 99999)}"),
    (frozenset({"timezone", "tz", "zone"}), _typed("timezone")),
    # `last_update`, `modified`: a moment, never a person's last name (the `last` of the name rule below)
    (frozenset({"datetime", "timestamp", "update", "updated", "modified", "edited"}), lambda r, t: _datetime(r)),
    (frozenset({"birthday", "birthdate", "dob", "born"}), _typed("birth_date")),
    (frozenset({"checkin", "checkout", "deadline", "due", "departure", "arrival", "appointment"}), _typed("future_date")),
    (frozenset({"date", "day"}), lambda r, t: _date(r)),
    (frozenset({"time", "hour"}), lambda r, t: _time(r)),
    (frozenset({"password", "passwd", "secret"}), lambda r, t: typed_text("password", r)),
    # a post's `mentions` are the accounts it mentions, not topics
    (frozenset({"username", "login", "handle", "nickname", "mention", "mentions", "usernames"}), _typed("username")),
    (frozenset({"ip"}), lambda r, t: f"192.0.2.{r.randint(2, 254)}"),
    (frozenset({"host", "hostname", "domain", "server"}), lambda r, t: r.choice(L.DOMAINS)),
    (frozenset({"airport", "iata"}), lambda r, t: r.choice(L.AIRPORTS)),
    (frozenset({"city", "town"}), _typed("city")),
    (frozenset({"location", "place", "destination", "origin", "region", "area", "venue"}), lambda r, t: r.choice(L.CITY_STATES)),
    (frozenset({"street"}), _typed("street")),
    (frozenset({"address"}), _typed("address")),
    # an ISO code of a state or province is "AR-B" (ISO 3166-2), of a country "AR"; never "STA-33901"
    (frozenset({"iso"}), lambda r, t: _iso_code(r, t)),
    (frozenset({"country", "nation"}), lambda r, t: typed_text("country_code" if "code" in t else "country", r)),
    (frozenset({"language", "lang", "locale"}), lambda r, t: r.choice(L.LANGUAGE_CODES if "code" in t else L.LANGUAGES)),
    (frozenset({"currency"}), _typed("currency")),
    (frozenset({"ticker", "symbol", "stock"}), lambda r, t: r.choice(L.TICKERS)),
    (frozenset({"company", "organization", "organisation", "org", "brand", "vendor", "employer", "merchant", "publisher"}), _typed("company")),
    (frozenset({"id", "ids", "identifier", "key", "apikey", "token", "code", "ref", "reference", "sku", "isbn", "cursor",
                "cert", "hash", "serial", "cik", "cpe", "number", "no"}), lambda r, t: _identifier(r, t)),
    (frozenset({"filename", "file", "attachment"}), lambda r, t: _file(r)),
    (frozenset({"path", "filepath"}), lambda r, t: f"{r.choice(L.FOLDERS)}/{_file(r)}"),
    (frozenset({"folder", "directory", "dir"}), lambda r, t: r.choice(L.FOLDERS)),
    (frozenset({"firstname", "first", "given"}), _typed("first_name")),
    (frozenset({"lastname", "last", "surname", "family"}), _typed("last_name")),
    (frozenset({"author", "artist", "person", "customer", "employee", "contact", "recipient", "sender", "owner",
                "user", "patient", "player", "driver", "guest", "passenger", "student", "attendee", "assignee"}),
     lambda r, t: _person(r)),
    (frozenset({"product", "item", "goods"}), lambda r, t: r.choice(L.PRODUCTS)),
    (frozenset({"movie", "film", "show"}), lambda r, t: r.choice(L.MOVIES)),
    (frozenset({"book", "novel"}), lambda r, t: r.choice(L.BOOKS)),
    (frozenset({"song", "track", "album", "music"}), lambda r, t: r.choice(L.SONGS)),
    (frozenset({"team", "club"}), lambda r, t: r.choice(L.SPORTS_TEAMS)),
    (frozenset({"dish", "recipe", "food", "meal", "cuisine"}), lambda r, t: r.choice(L.DISHES)),
    (frozenset({"ingredient", "ingredients"}), lambda r, t: r.choice(L.INGREDIENTS)),
    (frozenset({"animal", "species", "breed", "pet"}), lambda r, t: r.choice(L.ANIMALS)),
    (frozenset({"job", "occupation", "profession", "role", "position"}), _typed("job")),
    (frozenset({"genre"}), lambda r, t: r.choice(L.GENRES)),
    (frozenset({"category", "type", "kind", "department"}), lambda r, t: r.choice(L.CATEGORIES)),
    (frozenset({"status", "state"}), lambda r, t: r.choice(L.STATUSES)),
    (frozenset({"color", "colour"}), lambda r, t: r.choice(L.COLORS)),
    (frozenset({"unit", "units"}), lambda r, t: r.choice(L.UNITS)),
    (frozenset({"query", "search", "keyword", "keywords", "term", "q", "prompt", "question"}), lambda r, t: composed.query(r)),
    (frozenset({"topic", "subject", "theme", "field"}), lambda r, t: composed.topic(r)),
    # a game's score reads "2-1"; never a topic
    (frozenset({"score", "scores", "scoreline"}), lambda r, t: _score(r, t)),
    (frozenset({"title", "headline", "heading"}), lambda r, t: composed.title(r)),
    (frozenset({"message", "body", "content", "text", "comment", "note", "notes", "description", "summary", "caption"}),
     lambda r, t: composed.message(r)),
    (frozenset({"league"}), lambda r, t: r.choice(L.LEAGUES)),
    (frozenset({"tournament", "competition", "championship", "cup"}), lambda r, t: r.choice(L.TOURNAMENTS)),
    (frozenset({"season"}), lambda r, t: r.choice(L.SEASONS)),
    (frozenset({"platform", "os"}), lambda r, t: r.choice(L.PLATFORMS)),
    (frozenset({"game"}), lambda r, t: r.choice(L.GAMES)),
    (frozenset({"database", "db", "dataset", "table", "source"}), lambda r, t: r.choice(L.DATABASES)),
    (frozenset({"function", "func", "expression", "equation", "formula"}), lambda r, t: r.choice(L.MATH_FUNCTIONS)),
    (frozenset({"gas"}), lambda r, t: r.choice(L.GASES)),  # a gas is a gas ("air"), never "glucose"
    (frozenset({"substance", "chemical", "compound", "element"}), lambda r, t: r.choice(L.SUBSTANCES)),
    (frozenset({"material"}), lambda r, t: r.choice(L.MATERIALS)),
    (frozenset({"religion"}), lambda r, t: r.choice(L.RELIGIONS)),
    (frozenset({"purpose", "reason"}), lambda r, t: r.choice(L.PURPOSES)),
    (frozenset({"event", "festival", "concert"}), lambda r, t: r.choice(L.EVENTS)),
    (frozenset({"model"}), lambda r, t: r.choice(L.MODELS)),
    (frozenset({"make", "manufacturer"}), lambda r, t: r.choice(L.MAKES)),
    (frozenset({"month"}), lambda r, t: r.choice(L.MONTHS)),
    (frozenset({"format", "extension"}), lambda r, t: r.choice(L.FORMATS)),
    (frozenset({"size"}), lambda r, t: r.choice(L.SIZES)),
    (frozenset({"instrument"}), lambda r, t: r.choice(L.INSTRUMENTS)),
    (frozenset({"sport"}), lambda r, t: r.choice(L.SPORTS)),
    (frozenset({"restaurant", "restaurants", "cafe"}), lambda r, t: r.choice(L.RESTAURANTS)),
    (frozenset({"museum", "gallery"}), lambda r, t: r.choice(L.MUSEUMS)),
    (frozenset({"county"}), lambda r, t: r.choice(L.COUNTIES)),
    (frozenset({"command", "cmd"}), lambda r, t: r.choice(L.COMMANDS)),
    (frozenset({"gender", "sex"}), lambda r, t: r.choice(L.GENDERS)),
    (frozenset({"mode", "method", "style"}), lambda r, t: r.choice(L.MODES)),
    (frozenset({"difficulty", "level", "detail"}), lambda r, t: r.choice(L.LEVELS)),
    (frozenset({"version"}), lambda r, t: r.choice(L.VERSIONS)),
    (frozenset({"specialization", "specialty", "speciality", "practice"}), lambda r, t: r.choice(L.SPECIALTIES)),
    (frozenset({"diet"}), lambda r, t: r.choice(L.DIETS)),
    (frozenset({"planet"}), lambda r, t: r.choice(L.PLANETS)),
    (frozenset({"condition", "weather"}), lambda r, t: r.choice(L.CONDITIONS)),
    (frozenset({"exchange", "market"}), lambda r, t: r.choice(L.EXCHANGES)),
    (frozenset({"shape"}), lambda r, t: r.choice(L.SHAPES)),
    (frozenset({"suit"}), lambda r, t: r.choice(L.SUITS)),
    (frozenset({"account"}), lambda r, t: r.choice(L.ACCOUNTS)),
    (frozenset({"receiver", "starring", "cast", "actor", "director", "directed", "maintainer", "member", "spouse",
                "middlename", "lawyer", "doctor", "celebrity", "scientist", "inventor", "founder"}),
     lambda r, t: _person(r)),
    (_NAME_KEYS, lambda r, t: _person(r)),  # hinted_string asks `_name_value`, which reads the description
]

_ID_HINT = next(i for i, (keys, _) in enumerate(_STRING_HINTS) if "identifier" in keys)
_NAME_HINT = next(i for i, (keys, _) in enumerate(_STRING_HINTS) if keys is _NAME_KEYS)
# a description's first words may suggest only the rules up to addresses (dates, places, contacts)
_DESCRIBED_HINTS = 1 + next(i for i, (keys, _) in enumerate(_STRING_HINTS) if keys == {"address"})
_STRONG_HINTS = 4  # the first rules (email, phone, url, uuid) are unambiguous, even in a description
# names that say "free text": the body or subject of an email is text, even when its description says "email"
_TEXT_HINTS = frozenset(i for i, (keys, _) in enumerate(_STRING_HINTS)
                        if keys & {"message", "title", "query", "topic"})

# (tokens, low, high) for integers and numbers; clipped to the schema's own bounds afterwards.
_NUMBER_HINTS: list[tuple[frozenset[str], float, float]] = [
    (frozenset({"year"}), 2015, 2025),
    (frozenset({"tempo", "bpm"}), 60, 180),  # beats per minute
    (frozenset({"age"}), 18, 75),
    (frozenset({"month"}), 1, 12),
    (frozenset({"day", "days", "nights"}), 1, 14),
    (frozenset({"hour", "hours"}), 1, 12),
    (frozenset({"minute", "minutes", "second", "seconds"}), 5, 55),
    (frozenset({"lat", "latitude"}), -60, 70),
    (frozenset({"lon", "lng", "longitude"}), -170, 170),
    (frozenset({"percent", "percentage", "probability", "rate", "ratio"}), 1, 99),
    (frozenset({"rating", "stars", "score"}), 1, 5),
    (frozenset({"page", "offset"}), 1, 5),
    (frozenset({"limit", "count", "num", "number", "size", "top", "results", "max", "n", "k", "quantity", "qty",
                "guests", "people", "adults", "children", "rooms", "seats", "tickets"}), 1, 10),
    (frozenset({"port"}), 1024, 9000),
    (frozenset({"price", "amount", "cost", "budget", "salary", "income", "balance", "total", "fee", "payment",
                "principal", "value"}), 20, 5000),
    (frozenset({"weight", "mass"}), 50, 95),
    (frozenset({"height"}), 150, 195),
    (frozenset({"temperature", "temp"}), -5, 35),
    (frozenset({"radius", "distance", "length", "width", "depth"}), 1, 50),
    (frozenset({"id", "identifier"}), 1000, 99999),
    (frozenset({"timeout", "duration", "interval", "delay"}), 5, 120),
    (frozenset({"area", "volume", "mass", "density", "force", "energy", "power", "heat", "speed", "velocity",
                "pressure", "population", "circumference", "perimeter", "bmi", "calories", "interest", "tax",
                "profit", "revenue", "sum", "average", "mean", "median", "variance", "deviation", "gcd", "lcm",
                "factorial", "root", "frequency", "magnitude", "acceleration", "momentum", "charge", "voltage",
                "resistance", "current", "odds", "emission", "emissions", "footprint"}), 1, 500),
]


# names whose last word counts whole things (the value-fit check reads counts and years the same way)
_WHOLE_QUANTITIES = frozenset({"year", "count", "quantity", "qty", "age", "people", "guests", "adults", "children",
                               "rooms", "seats", "tickets", "players", "members", "employees", "students", "visitors",
                               "users", "items", "pages", "copies", "nights", "days", "steps", "trials", "successes"})


# words that, last in a name, say what kind of value it is whatever comes before ("departure_city")
_HEAD_NOUNS = frozenset({"city", "town", "country", "address", "street", "date", "time", "currency", "language",
                         "company", "airport", "timezone", "email", "phone", "url"})


@lru_cache(maxsize=65_536)
def _string_hint(name: str, description: str) -> int:
    """Index of the first matching hint in `_STRING_HINTS` (-1: none), from the name, else the
    description's first words (only the unambiguous early hints: email, url, date…)."""
    tokens = name_tokens(name)
    token_set = set(tokens)
    for i in range(len(tokens) - 1):  # `postCode`, `postCodeSrc` hold a postcode, not the `code` of something
        if tokens[i] + tokens[i + 1] in ("postcode", "zipcode"):
            tokens = [*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2:]]
            token_set = set(tokens)
            break
    described = set(name_tokens(description)[:16])
    if len(tokens) > 1 and tokens[-1] in ("id", "ids"):
        return _ID_HINT  # an `email_id` or `user_id` is an identifier, whatever the words before it
    if len(tokens) > 1 and tokens[-1] in ("title", "name"):
        # `sport_title`, `team_name`: the title of a sport is a sport, not a document's title
        owner = _string_hint("_".join(tokens[:-1]), "")
        if owner >= 0 and owner not in _TEXT_HINTS and owner not in (_ID_HINT, _NAME_HINT):
            return owner
    found = next((i for i, (keys, _) in enumerate(_STRING_HINTS) if token_set & keys), -1)
    if (found < 0 or found >= _STRONG_HINTS) and found != _ID_HINT and found not in _TEXT_HINTS:
        # a description naming an email, phone, URL or UUID beats a vaguer name ("address", "context"),
        # never an id ("the id of a Mobile App alert" is not a phone number)
        strong = next((i for i, (keys, _) in enumerate(_STRING_HINTS[:_STRONG_HINTS]) if described & keys), -1)
        if strong >= 0:
            return strong
    if found >= 0:
        return found
    return next((i for i, (keys, _) in enumerate(_STRING_HINTS[:_DESCRIBED_HINTS]) if described & keys), -1)


_EXAMPLE_LEAD = re.compile(r"\b(?:e\.g\.|eg\.|e\.g,|for example|for instance|such as|example:|examples:|like)", re.IGNORECASE)
_QUOTED = re.compile(r"'([^'\n]{1,60})'|\"([^\"\n]{1,60})\"|`([^`\n]{1,60})`")
_PLACEHOLDER = re.compile(r"YYYY|MM-DD|HH:|xxx|XXX|[{}<>%\\]|\.\.\.|^\s|\s$|^(?:null|none|nil|n/?a|undefined)$",
                          re.IGNORECASE)  # "null" given as an example means "leave it out", not the word null


@lru_cache(maxsize=65_536)
def description_examples(description: str) -> tuple[str, ...]:
    """Quoted examples a parameter's description gives ("such as 'Berkeley, CA'"), placeholders left out."""
    found: list[str] = []
    for lead in _EXAMPLE_LEAD.finditer(description or ""):
        window = description[lead.end(): lead.end() + 160]
        window = re.split(r"(?<=[a-z0-9)])\.\s", window, maxsplit=1)[0]
        quoted = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(window)]
        # unquoted: "e.g. Electron, Proton", "e.g. next year": short items up to the sentence's end
        items = quoted or ([] if lead.group(0).lower() == "like" else _bare_items(window))
        for text in items:
            if text and not _PLACEHOLDER.search(text) and text not in found:
                found.append(text)
    default = _DEFAULT.search(description or "")
    if default:
        text = next(g for g in default.groups() if g is not None).strip()
        if text and not _PLACEHOLDER.search(text) and text not in found and text.lower() not in _LIST_STOPWORDS:
            found.append(text)
    return tuple(found[:8])


_DEFAULT = re.compile(r"\bdefault(?:s to| is|:)\s*(?:'([^'\n]{1,40})'|\"([^\"\n]{1,40})\"|([A-Za-z][\w-]{0,30})(?=[.,;)]|$))",
                      re.IGNORECASE)


def _bare_items(window: str) -> list[str]:
    """"Electron, Proton" or "next year": items of one to three words, before any clause or bracket."""
    head = re.split(r"[.;:()\[\]]|\s-\s", window.strip(" ,"), maxsplit=1)[0]
    items = [i.strip() for i in re.split(r"\s*(?:,|\||/|\bor\b|\band\b)\s*", head) if i.strip()]
    if not items or any(not re.fullmatch(r"[A-Za-z0-9][\w'-]*(?: [\w'-]+){0,2}", i) for i in items):
        return []
    return [i for i in items if i.split()[0].lower() not in _LIST_STOPWORDS][:6]


_CHOICE_LEAD = re.compile(r"\b(?:one of|possible values(?: are)?|valid values(?: are)?|allowed values(?: are)?|"
                          r"accepted values(?: are)?|options(?: are)?|supported values(?: are)?|either|"
                          r"(?:it |this )?(?:can|could|may|must|should) be(?: one of)?|"
                          # "Service Name: correo_argentino, oca, andreani" (RapidAPI writes enums so)
                          r"^[A-Za-z][\w ]{0,30}(?=:\s*[\w.-]+\s*(?:,|\bor\b)))\s*:?\s*",
                          re.IGNORECASE)
_BARE_LIST = re.compile(r"^\(?([A-Za-z0-9_][\w.-]{0,30})((?:\s*(?:,|\||/|\bor\b)\s*(?:or\s+|and\s+)?[A-Za-z0-9_][\w.-]{0,30}){1,11})")


_ENUM_MARK = re.compile(r"\[Enum\]\s*:\s*", re.IGNORECASE)
_LIST_STOPWORDS = frozenset("the a an them these those this that following it its which is are be".split())


@lru_cache(maxsize=65_536)
def description_choices(description: str) -> tuple[str, ...]:
    """The values a description enumerates ("one of: metric, imperial", "either 'asc' or 'desc'"):
    an enum the schema forgot to declare. Quoted values after the lead, else a bare list of words."""
    marked = _ENUM_MARK.search(description or "")
    if marked:  # BFCL's `[Enum]: ["fuel", "battery"]` or `[Enum]: USD, RMB, EUR`: every listed value, names of
        # several words included ("Sunset Valley"), and no others
        rest = description[marked.end():]
        quoted = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(rest.split("]", 1)[0])]
        listed = quoted if rest.lstrip().startswith("[") else [w.strip() for w in re.split(
            r"(?<=[A-Za-z0-9)'\"])\.(?:\s|$)", rest, maxsplit=1)[0].split(",")]
        listed = [w for w in dict.fromkeys(listed) if w and not _PLACEHOLDER.search(w)]
        if len(listed) >= 2:
            return tuple(listed)
    for lead in _CHOICE_LEAD.finditer(description or ""):
        window = description[lead.end(): lead.end() + 200]
        window = re.split(r"(?<=[a-z0-9)'\"])\.(?:\s|$)", window, maxsplit=1)[0]
        quoted = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(window)]
        quoted = [q for q in dict.fromkeys(quoted) if q and not _PLACEHOLDER.search(q)]
        if len(quoted) >= 2:
            return tuple(quoted[:12])
        bare = _BARE_LIST.match(window)
        modal = re.match(r"(?:it |this )?(?:can|could|may|must|should) be", lead.group(0), re.IGNORECASE)
        if bare and modal and not re.search(r"\b(?:or|and)\b", bare.group(0)):
            bare = None  # "should be fetched, in the format …" is a sentence; "can be a, b or c" is a list
        if bare:
            words = re.split(r"\s*(?:,|\||/|\bor\b|\band\b)\s*", bare.group(0).strip("() "))
            words = [w for w in dict.fromkeys(w.strip() for w in words) if w and w.lower() not in ("or", "and")]
            if len(words) >= 2 and not any(w.lower() in _LIST_STOPWORDS for w in words):
                return tuple(words[:12])
    return ()


def has_string_hint(name: str) -> bool:
    """The name alone says what kind of string it holds (a city, a person, a date...)."""
    return _string_hint(str(name or ""), "") >= 0


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
    index = _string_hint(str(name or ""), str(description or "")[:200])
    if index >= _STRONG_HINTS and tokens and tokens[-1] in _HEAD_NOUNS:
        # the last word says what the value is: a `departure_city` is a city, not a departure date
        index = _string_hint(tokens[-1], "")
    if index < 0:
        return _free_text(rng)
    if index == _NAME_HINT:
        return _name_value(str(name or ""), str(description or ""), rng)
    return _STRING_HINTS[index][1](rng, list(name_tokens(name)))


@lru_cache(maxsize=65_536)
def number_hint(name: str) -> tuple[float, float] | None:
    tokens = set(name_tokens(name))
    for keys, low, high in _NUMBER_HINTS:
        if tokens & keys:
            return low, high
    return None


# -------------------------------------------------------------------------------------- synthesis

class Synthesizer:
    """Schema-aware value generator bound to one `root` document (where local `$ref`s point);
    `optional_rate` is the chance an optional property is filled."""

    def __init__(self, rng: random.Random, root: Any = None, optional_rate: float = 0.5) -> None:
        self.rng = rng
        self.root = root
        self.optional_rate = optional_rate

    def value(self, schema: Any, name: str = "", description: str = "", depth: int = 0) -> Any:
        try:
            return self._value(schema, name, description, depth)
        except RecursionError:
            return self._fallback(name)
        except Exception:  # noqa: BLE001 - never crash on a schema; give a best-effort value
            return self._fallback(name)

    def _fallback(self, name: str) -> Any:
        return hinted_string(name, self.rng)

    def _value(self, schema: Any, name: str, description: str, depth: int) -> Any:
        root = self.root
        schema = resolve_ref(schema, root)
        if schema is True or schema is None or (isinstance(schema, dict) and not schema):
            return hinted_string(name, self.rng, description)
        if not isinstance(schema, dict):
            return None  # `false` (no value is valid) or garbage
        if "allOf" in schema:
            schema = merge_all_of(schema, root)
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            non_null = [v for v in enum if v is not None]
            return self.rng.choice(non_null or enum)
        # JSON Schema's own sample values (and an MCP server config's `examples`, put here at ingestion): the
        # way to give values no synthesis can guess (a repository path, a SQL query)
        examples = schema.get("examples")
        fitting = [v for v in examples if v is not None and is_valid(v, schema)] if isinstance(examples, list) else []
        if fitting:
            return self.rng.choice(fitting)
        description = description or str(schema.get("description") or "")
        for key in ("oneOf", "anyOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                usable = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")] or options
                chosen = resolve_ref(self.rng.choice(usable), root)
                base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
                if isinstance(chosen, dict):
                    chosen = {**base, **chosen}
                return self._value(chosen, name, description, depth + 1)
        if depth > MAX_DEPTH:
            return self._shallow(schema, name)
        types = declared_types(schema)
        if not types:
            return hinted_string(name, self.rng, description)
        chosen_type = self._choose_type(types, name)
        if chosen_type == "string":
            return self.string(schema, name, description)
        if chosen_type == "integer":
            return self.integer(schema, name)
        if chosen_type == "number":
            return self.number(schema, name)
        if chosen_type == "boolean":
            return self.rng.random() < 0.5
        if chosen_type == "array":
            return self.array(schema, name, depth)
        if chosen_type == "object":
            return self.object(schema, name, depth)
        return None

    def _choose_type(self, types: list[str], name: str) -> str:
        usable = [t for t in types if t != "null"] or types
        if len(usable) == 1:
            return usable[0]
        if "integer" in usable and "number" in usable:
            return "integer"
        hinted = "number" if number_hint(name) else "string"
        if hinted in usable or (hinted == "number" and "integer" in usable):
            return hinted if hinted in usable else "integer"
        return sorted(usable, key=_TYPE_ORDER.index)[0]

    def _shallow(self, schema: dict[str, Any], name: str) -> Any:
        types = declared_types(schema)
        if "object" in types:
            return {}
        if "array" in types:
            return []
        if "integer" in types or "number" in types:
            return 1
        if "boolean" in types:
            return True
        return hinted_string(name, self.rng)

    # ---------------------------------------------------------------------------- scalars

    def string(self, schema: dict[str, Any], name: str, description: str = "") -> str:
        rng = self.rng
        fmt = str(schema.get("format") or "").lower()
        pattern = schema.get("pattern")
        text: str | None = None
        if isinstance(pattern, str):
            text = string_for_pattern(pattern, rng)
            if text is None:
                candidate = self._format_string(fmt, name, description)
                if _search(pattern, candidate):
                    text = candidate
        if text is None and not fmt and description:
            choices = description_choices(description[:600])
            if choices:  # an enum in words: any other value would be wrong
                text = rng.choice(choices)
        if text is None and not fmt and description:
            examples = description_examples(description[:600])
            # without a hint from the name, an example beats a made-up topic ("personal finance" as a particle)
            if examples and (rng.random() < 0.6 or _string_hint(str(name or ""), description[:200]) < 0):
                text = rng.choice(examples)
        default = schema.get("default")
        if text is None and not fmt and isinstance(default, str) and default.strip() and default.strip() != "null" \
                and _string_hint(str(name or ""), description[:200]) < 0 and rng.random() < 0.5:
            # nothing says what the value is, but the declared default shows its form ("us" for `regions`,
            # "americanfootball_nfl" for a sport key): better than a made-up topic
            text = default.strip()
        if text is None:
            text = self._format_string(fmt, name, description)
            # a drawn date in the form the description asks for ("expiry date, MM/YYYY"), or the call
            # teaches a model to ignore the format its documentation states
            text = in_stated_date_form(text, description) if description else text
        text = clean_text(text)
        return self._fit_length(text, schema, pattern)

    def _format_string(self, fmt: str, name: str, description: str) -> str:
        rng = self.rng
        if fmt == "date":
            return _date(rng)
        if fmt in ("date-time", "datetime"):
            return _datetime(rng)
        if fmt == "time":
            return f"{_time(rng)}:00Z"
        if fmt in ("email", "idn-email"):
            return _email(rng)
        if fmt in ("uri", "url", "iri", "uri-reference", "iri-reference", "uri-template"):
            return _url(rng)
        if fmt == "uuid":
            return _uuid(rng)
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
            return _phone(rng)
        return hinted_string(name, rng, description)

    def _fit_length(self, text: str, schema: dict[str, Any], pattern: Any) -> str:
        min_len = min(_as_int(schema.get("minLength"), 0), MAX_STRING_CHARS)
        max_len = _as_int(schema.get("maxLength"), None)
        fitted = text
        if len(fitted) < min_len:
            filler = "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(min_len - len(fitted)))
            fitted = fitted + filler
        if max_len is not None and max_len >= 0 and len(fitted) > max_len:
            fitted = fitted[:max_len].rstrip() if len(fitted[:max_len].rstrip()) >= min_len else fitted[:max_len]
        if isinstance(pattern, str) and not _search(pattern, fitted) and _search(pattern, text):
            return text  # length could not be met without breaking the pattern; the pattern wins
        return fitted

    def integer(self, schema: dict[str, Any], name: str) -> int:
        low, high = self._bounds(schema, name, integral=True)
        low_i, high_i = math.ceil(low), math.floor(high)
        if low_i > high_i:
            return int(low_i)
        step = _positive(schema.get("multipleOf"))
        if step:
            first = math.ceil(low_i / step)
            last = math.floor(high_i / step)
            if first <= last:
                value = self.rng.randint(int(first), int(last)) * step
                return int(value) if float(value).is_integer() else int(low_i)
        return self.rng.randint(int(low_i), int(high_i))

    def number(self, schema: dict[str, Any], name: str) -> float | int:
        low, high = self._bounds(schema, name, integral=False)
        tokens = name_tokens(name)
        if tokens and tokens[-1] in _WHOLE_QUANTITIES and math.ceil(low) <= math.floor(high):
            # a count or a year is a whole number even where the schema says `number`
            value = self.rng.randint(math.ceil(low), math.floor(high))
            if _strict_ok(value, schema):
                return value
        step = _positive(schema.get("multipleOf"))
        if step:
            first, last = math.ceil(low / step), math.floor(high / step)
            if first <= last:
                value = self.rng.randint(int(first), int(last)) * step
                return round(value, 6) if isinstance(value, float) else value
        if high - low < 0.02:
            return low
        for _ in range(4):
            value = round(self.rng.uniform(low, high), 2)
            if low <= value <= high and _strict_ok(value, schema):
                return value
        return low

    def _bounds(self, schema: dict[str, Any], name: str, integral: bool) -> tuple[float, float]:
        low, high = -math.inf, math.inf
        minimum, maximum = _finite(schema.get("minimum")), _finite(schema.get("maximum"))
        if minimum is not None:
            low = minimum
        if maximum is not None:
            high = maximum
        ex_min, ex_max = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        nudge = 1 if integral else 0.01
        if _finite(ex_min) is not None:
            low = max(low, _finite(ex_min) + nudge)
        elif ex_min is True and minimum is not None:
            low = minimum + nudge
        if _finite(ex_max) is not None:
            high = min(high, _finite(ex_max) - nudge)
        elif ex_max is True and maximum is not None:
            high = maximum - nudge
        hint = number_hint(name) or (1, 100)
        hint_low, hint_high = hint
        lo = max(low, hint_low)
        hi = min(high, hint_high)
        if math.isfinite(low) and math.isfinite(high) and high > low and (hi - lo) < 0.1 * (high - low):
            lo, hi = low, high  # the hint barely overlaps the declared range: use the range itself
        if lo > hi:  # the hint lies outside the schema's bounds: stay inside the bounds
            lo = low if math.isfinite(low) else hi - 100
            hi = high if math.isfinite(high) else lo + 100
            hi = min(hi, lo + 1000)
        if lo > hi:
            hi = lo
        return lo, hi

    # ---------------------------------------------------------------------------- containers

    def array(self, schema: dict[str, Any], name: str, depth: int) -> list[Any]:
        # An absurd minItems (a typo, a fuzzer) must not build a million-item argument: values stay small.
        min_items = min(max(_as_int(schema.get("minItems"), 0), 0), max(2, MAX_ARRAY_ITEMS // (depth + 1) ** 2))
        max_items = _as_int(schema.get("maxItems"), None)
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        if isinstance(items, list):  # draft-4 tuple form
            prefix, items = items, schema.get("additionalItems", {})
        singular = _singular(name)
        upper = max(min_items, min(3, max_items if max_items is not None else 3))
        lower = max(min_items, 1 if (max_items is None or max_items >= 1) else 0)
        count = self.rng.randint(min(lower, upper), upper)
        result: list[Any] = []
        # items rarely describe themselves; the array's description often lists examples of them
        item_hint = str(schema.get("description") or "") if not (isinstance(items, dict) and items.get("description")) else ""
        if isinstance(prefix, list):
            for sub in prefix[:max(count, len(prefix)) if max_items is None else max_items]:
                result.append(self.value(sub, singular, "", depth + 1))
        unique = bool(schema.get("uniqueItems"))
        item_enum = items.get("enum") if isinstance(items, dict) else None
        if isinstance(item_enum, list) and item_enum:  # distinct choices read better ("Fat and Calories")
            pool = [v for v in item_enum if v not in result]
            result.extend(self.rng.sample(pool, min(len(pool), max(count - len(result), 0))))
        attempts = 0
        while len(result) < count and attempts < 4 * count + 10:
            attempts += 1
            if items is False:
                break
            candidate = self.value(items if items is not None else {}, singular, item_hint, depth + 1)
            if unique and candidate in result:
                continue
            result.append(candidate)
        contains = schema.get("contains")
        if isinstance(contains, dict) and not any(is_valid(v, contains) for v in result):
            item = self.value(contains, singular, "", depth + 1)
            if max_items is not None and len(result) >= max_items and result:
                result[-1] = item
            else:
                result.append(item)
        return result

    def object(self, schema: dict[str, Any], name: str, depth: int) -> dict[str, Any]:
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        required = [r for r in (schema.get("required") or []) if isinstance(r, str)]
        max_props = _as_int(schema.get("maxProperties"), None)
        min_props = _as_int(schema.get("minProperties"), 0)
        result: dict[str, Any] = {}
        for key in required:
            result[key] = self.value(props.get(key, {}), key, "", depth + 1)
        for key, sub in props.items():
            if key in result:
                continue
            if max_props is not None and len(result) >= max_props:
                break
            if self.rng.random() < self.optional_rate:
                result[key] = self.value(sub, key, "", depth + 1)
        additional = schema.get("additionalProperties")
        pattern_props = schema.get("patternProperties") if isinstance(schema.get("patternProperties"), dict) else None
        wants_more = (not props and additional is not False and not pattern_props) or len(result) < min_props
        if wants_more and additional is not False:
            extra_schema = additional if isinstance(additional, dict) else {}
            target = max(min_props, 1 if not props else 0)
            index = 1
            while len(result) < min(target, MAX_ARRAY_ITEMS) and index < 20:
                key = f"{_singular(name) or 'key'}_{index}"
                if key not in result:
                    result[key] = self.value(extra_schema, key, "", depth + 1)
                index += 1
        elif not props and isinstance(pattern_props, dict) and pattern_props:
            pattern, sub = next(iter(pattern_props.items()))
            key = string_for_pattern(str(pattern), self.rng) or "key"
            result[key] = self.value(sub, key, "", depth + 1)
        if not result and props and max_props != 0:  # an empty object says nothing: fill one property
            key = self.rng.choice(sorted(props))
            result[key] = self.value(props[key], key, "", depth + 1)
        if len(result) < min_props and props:
            for key, sub in props.items():
                if len(result) >= min_props:
                    break
                if key not in result:
                    result[key] = self.value(sub, key, "", depth + 1)
        return result


def synthesize(schema: Any, rng: random.Random, name: str = "", description: str = "",
               root: Any = None, optional_rate: float = 0.5) -> Any:
    """One value for `schema` (see the module doc). Never raises."""
    return Synthesizer(rng, root=schema if root is None else root, optional_rate=optional_rate).value(
        schema, name, description)


def singular(name: str) -> str:
    """`artists` → `artist`, `cities` → `city` (a plain rule; `address` stays)."""
    return _singular(name)


def _singular(name: str) -> str:
    if name.endswith("ies") and len(name) > 4:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 3:
        return name[:-1]
    return name


def _search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except (re.error, TypeError, RecursionError, OverflowError):
        return False


def _as_int(value: Any, default: int | None) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return default
    return int(value)


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _positive(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        return None
    return value


def _strict_ok(value: float, schema: dict[str, Any]) -> bool:
    ex_min, ex_max = _finite(schema.get("exclusiveMinimum")), _finite(schema.get("exclusiveMaximum"))
    return (ex_min is None or value > ex_min) and (ex_max is None or value < ex_max)
