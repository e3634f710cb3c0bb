"""What a name says about its value: the hint tables of offline value synthesis.

`STRING_HINTS` maps the words of a parameter or field name to a generator of realistic strings (a city, an
email, an id, a dish...), `_NUMBER_HINTS` to a plausible numeric range; `string_hint` and `number_hint` find
the rule a name (or, for the unambiguous rules, its description) falls under. Typed values (people, places,
dates, contacts) come from `typed_values` (Faker, seeded from the caller's random stream); free text from
`composed_values`; the rest from `lexicons`. `hinted_strings` turns a hint into a value.
"""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Callable

from ..meanings import RATE_RANGES, meaning_words, natural_bounds, rate_kind
from ..mentions import name_tokens
from ..typed_values import faker_for, typed_text
from . import composed_values as composed
from . import lexicons as L
from .settings import league, local_value, team, tournament
from .timed_values import DURATION, OPENING_HOURS, duration_minutes, time_meaning


def random_uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def _identifier(rng: random.Random, tokens: list[str]) -> str:
    stem = next((t for t in tokens if t not in ("id", "ids", "key", "code", "number", "no", "ref")), "id")
    prefix = "".join(c for c in stem[:3].upper() if c.isalpha()) or "ID"
    return f"{prefix}-{rng.randint(1000, 99999)}"


def file_name(rng: random.Random, text: bool = False) -> str:
    """A file name whose extension suits what it holds ("budget_q3.csv", "photo.jpg", never "photo.docx");
    `text`: a file a shell reads as lines (cat, grep, tail, wc)."""
    kinds = [(stem, [e for e in extensions if not text or e in L.TEXT_EXTENSIONS]) for stem, extensions in L.FILE_KINDS]
    stem, extensions = rng.choice([(stem, extensions) for stem, extensions in kinds if extensions])
    return f"{stem}{rng.choice(L.FILE_QUALIFIERS)}.{rng.choice(extensions)}"


def _file(rng: random.Random) -> str:
    return file_name(rng)


def _typed(kind: str) -> Callable[[random.Random, list[str]], str]:
    return lambda rng, tokens: typed_text(kind, rng)



_GAME_WORDS = frozenset("score scores scoreline final home away match game half full time".split())


def _score(rng: random.Random, tokens: list[str]) -> str:
    """A game's score ("2-1"); a credit or test score as a number in words ("742")."""
    if set(tokens) <= _GAME_WORDS:
        return f"{rng.randint(0, 5)}-{rng.randint(0, 5)}"
    return str(rng.randint(300, 850) if "credit" in tokens else rng.randint(1, 100))


def subdivision_code(rng: random.Random) -> str:
    """The ISO 3166-2 code of a state ("US-OH"): of the states the state names are drawn from (Faker's U.S.
    states, or the provinces of the country the setting is about: "AR-X"), so a list of states reads as
    real ones, never "WS-W"."""
    return local_value("subdivision_code", rng) or f"US-{faker_for(rng).state_abbr(include_territories=False)}"


def _postcode(rng: random.Random, tokens: list[str]) -> str:
    return local_value("postcode", rng) or f"{rng.randint(10000, 99999)}"


def _location(rng: random.Random, tokens: list[str]) -> str:
    return local_value("location", rng) or rng.choice(L.CITY_STATES)


def _iso_code(rng: random.Random, tokens: list[str]) -> str:
    if {"state", "province", "region", "subdivision"} & set(tokens):
        return subdivision_code(rng)
    return typed_text("country_code", rng)



_NAME_KEYS = frozenset({"name"})
# words of a description that name no kind of value ("the type of ...", "the code ...")
_NOT_A_THING = frozenset("type kind code number no key ref format mode level value field state status".split())

# First match wins: (tokens any of which must be present, generator). Order matters: specific before generic.
STRING_HINTS: list[tuple[frozenset[str], Callable[[random.Random, list[str]], str]]] = [
    (frozenset({"email", "mail"}), _typed("email")),
    (frozenset({"phone", "mobile", "tel", "telephone", "fax"}), _typed("phone")),
    (frozenset({"url", "uri", "link", "website", "homepage", "endpoint", "href"}), _typed("url")),
    (frozenset({"uuid", "guid"}), lambda r, t: random_uuid(r)),
    (frozenset({"zip", "zipcode", "postal", "postcode"}), _postcode),
    (frozenset({"timezone", "tz", "zone"}), _typed("timezone")),
    # `last_update`, `modified`: a moment, never a person's last name (the `last` of the name rule below)
    (frozenset({"datetime", "timestamp", "update", "updated", "modified", "edited"}), _typed("datetime")),
    (frozenset({"birthday", "birthdate", "dob", "born"}), _typed("birth_date")),
    (frozenset({"checkin", "checkout", "deadline", "due", "departure", "arrival", "appointment"}), _typed("future_date")),
    (frozenset({"date", "day"}), _typed("date")),
    (frozenset({"time", "hour"}), _typed("time")),
    (frozenset({"password", "passwd", "secret"}), lambda r, t: typed_text("password", r)),
    # a post's `mentions` are the accounts it mentions, not topics
    (frozenset({"username", "login", "handle", "nickname", "mention", "mentions", "usernames"}), _typed("username")),
    (frozenset({"ip"}), lambda r, t: f"192.0.2.{r.randint(2, 254)}"),
    (frozenset({"host", "hostname", "domain", "server"}), lambda r, t: r.choice(L.DOMAINS)),
    (frozenset({"airport", "iata"}), lambda r, t: r.choice(L.AIRPORTS)),
    (frozenset({"city", "town"}), _typed("city")),
    (frozenset({"location", "place", "destination", "origin", "region", "area", "venue"}), _location),
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
     _typed("person")),
    (frozenset({"product", "item", "goods"}), lambda r, t: r.choice(L.PRODUCTS)),
    (frozenset({"movie", "film", "show"}), lambda r, t: r.choice(L.MOVIES)),
    (frozenset({"book", "novel"}), lambda r, t: r.choice(L.BOOKS)),
    (frozenset({"song", "track", "album", "music"}), lambda r, t: r.choice(L.SONGS)),
    (frozenset({"team", "club"}), lambda r, t: team(r)),  # of the setting's sport (settings.team)
    (frozenset({"dish", "recipe", "food", "meal", "cuisine"}), lambda r, t: r.choice(L.DISHES)),
    (frozenset({"ingredient", "ingredients"}), lambda r, t: r.choice(L.INGREDIENTS)),
    (frozenset({"animal", "species", "breed", "pet"}), lambda r, t: r.choice(L.ANIMALS)),
    (frozenset({"job", "occupation", "profession", "role", "position"}), _typed("job")),
    (frozenset({"genre"}), lambda r, t: r.choice(L.GENRES)),
    (frozenset({"category", "type", "kind", "department"}), lambda r, t: r.choice(L.CATEGORIES)),
    (frozenset({"status", "state"}), lambda r, t: r.choice(L.STATUSES)),
    (frozenset({"color", "colour"}), lambda r, t: r.choice(L.COLORS)),
    (frozenset({"unit", "units"}), lambda r, t: r.choice(L.UNITS)),
    # a `keyword` is what a search in messages or posts looks for (a word or two), a `query` what a person types
    (frozenset({"keyword", "tag", "hashtag"}), lambda r, t: composed.keyword(r)),
    (frozenset({"query", "search", "keywords", "term", "q", "prompt", "question"}), lambda r, t: composed.query(r)),
    (frozenset({"topic", "subject", "theme", "field"}), lambda r, t: composed.topic(r)),
    # a game's score reads "2-1"; never a topic
    (frozenset({"score", "scores", "scoreline"}), lambda r, t: _score(r, t)),
    (frozenset({"title", "headline", "heading"}), lambda r, t: composed.title(r)),
    (frozenset({"message", "body", "content", "text", "comment", "note", "notes", "description", "summary", "caption"}),
     lambda r, t: composed.message(r)),
    (frozenset({"league"}), lambda r, t: league(r)),  # of the setting's sport, as a team is
    (frozenset({"tournament", "competition", "championship", "cup"}), lambda r, t: tournament(r)),
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
     _typed("person")),
    (_NAME_KEYS, _typed("person")),  # hinted_strings.hinted_string asks `_name_value`, which reads the description
]

ID_HINT = next(i for i, (keys, _) in enumerate(STRING_HINTS) if "identifier" in keys)
NAME_HINT = next(i for i, (keys, _) in enumerate(STRING_HINTS) if keys is _NAME_KEYS)
# a description's first words may suggest only the rules up to addresses (dates, places, contacts)
_DESCRIBED_HINTS = 1 + next(i for i, (keys, _) in enumerate(STRING_HINTS) if keys == {"address"})
STRONG_HINTS = 4  # the first rules (email, phone, url, uuid) are unambiguous, even in a description
# names that say "free text": the body or subject of an email is text, even when its description says "email"
TEXT_HINTS = frozenset(i for i, (keys, _) in enumerate(STRING_HINTS)
                        if keys & {"message", "title", "query", "topic", "keyword"})

# (tokens, low, high) for integers and numbers; clipped to the schema's own bounds afterwards.
_NUMBER_HINTS: list[tuple[frozenset[str], float, float]] = [
    (frozenset({"zip", "zipcode", "postcode", "postal"}), 1000, 99999),  # a postcode typed `number`: 1425, 94105
    (frozenset({"year"}), 2015, 2025),  # only where the name ends in it (number_hint)
    # a number of years, months or weeks: a loan's term, a forecast's horizon (never 98 years)
    (frozenset({"years"}), 1, 30),
    (frozenset({"months"}), 1, 24),
    (frozenset({"weeks"}), 1, 12),
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
                "principal", "value", "revenue", "profit"}), 20, 5000),
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
WHOLE_QUANTITIES = frozenset({"year", "count", "quantity", "qty", "age", "people", "guests", "adults", "children",
                               "rooms", "seats", "tickets", "players", "members", "employees", "students", "visitors",
                               "users", "items", "pages", "copies", "nights", "days", "steps", "trials", "successes"})


# words that, last in a name, say what kind of value it is whatever comes before ("departure_city")
HEAD_NOUNS = frozenset({"city", "town", "country", "address", "street", "date", "time", "currency", "language",
                         "company", "airport", "timezone", "email", "phone", "url"})



def joined_tokens(name: str) -> list[str]:
    """A name's words with `post code` and `zip code` read as one word: `postCodeSrc` holds a postcode, not the
    `code` of something."""
    tokens = list(name_tokens(name))
    for i in range(len(tokens) - 1):
        if tokens[i] + tokens[i + 1] in ("postcode", "zipcode"):
            return [*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2:]]
    return tokens


# a postcode, and a page or its size (`pageNumber`, `pageSize`: page 3.81 of a news search is no page)
_WHOLE_ANYWHERE = frozenset({"zip", "zipcode", "postcode", "postal", "page"})


def whole_number(name: str) -> bool:
    """A number of this name is whole even where the schema says `number`: a count or a year (its last word,
    an end or bound word aside: `age_min`), a postcode or a page (any word: `postCodeDst`, `pageSize`)."""
    tokens = joined_tokens(name)
    head = meaning_words(name)
    return bool(tokens) and (head[-1:] and head[-1] in WHOLE_QUANTITIES or bool(_WHOLE_ANYWHERE & set(tokens)))


@lru_cache(maxsize=65_536)
def string_hint(name: str, description: str) -> int:
    """Index of the first matching hint in `STRING_HINTS` (-1: none), from the name, else the
    description's first words (only the unambiguous early hints: email, url, date…)."""
    tokens = joined_tokens(name)
    token_set = set(tokens)
    described = set(name_tokens(description)[:16])
    if len(tokens) > 1 and tokens[-1] in ("id", "ids"):
        return ID_HINT  # an `email_id` or `user_id` is an identifier, whatever the words before it
    if len(tokens) > 1 and tokens[-1] in ("title", "name"):
        # `sport_title`, `team_name`: the title of a sport is a sport, not a document's title
        owner = string_hint("_".join(tokens[:-1]), "")
        if owner >= 0 and owner not in TEXT_HINTS and owner not in (ID_HINT, NAME_HINT):
            return owner
    found = next((i for i, (keys, _) in enumerate(STRING_HINTS) if token_set & keys), -1)
    if (found < 0 or found >= STRONG_HINTS) and found != ID_HINT and found not in TEXT_HINTS:
        # a description naming an email, phone, URL or UUID beats a vaguer name ("address", "context"),
        # never an id ("the id of a Mobile App alert" is not a phone number)
        strong = next((i for i, (keys, _) in enumerate(STRING_HINTS[:STRONG_HINTS]) if described & keys), -1)
        if strong >= 0:
            return strong
    if found >= 0:
        return found
    return next((i for i, (keys, _) in enumerate(STRING_HINTS[:_DESCRIBED_HINTS]) if described & keys), -1)


@lru_cache(maxsize=65_536)
def described_hint(description: str) -> int:
    """The first hint the description's words name ("Name of the city" → city), ids and names aside."""
    words = [w for w in name_tokens(description)[:24] if w not in _NAME_KEYS and w not in _NOT_A_THING]
    for word in words:
        for index, (keys, _) in enumerate(STRING_HINTS):
            if word in keys and index not in (ID_HINT, NAME_HINT):
                return index
    return -1


def has_string_hint(name: str) -> bool:
    """The name alone says what kind of string it holds (a city, a person, a date...)."""
    return string_hint(str(name or ""), "") >= 0


@lru_cache(maxsize=65_536)
def number_hint(name: str, description: str = "") -> tuple[float, float] | None:
    """A plausible range for a number of this name, inside the bounds its quantity has (meanings.natural_bounds:
    a temperature in Kelvin is around room temperature in Kelvin, never -5; a probability a fraction)."""
    timed = time_meaning(name, description)
    if timed == OPENING_HOURS:
        return None  # a place's hours are a range of the day ("09:00-17:00"), never a number
    if timed == DURATION:
        return duration_minutes(name)  # in minutes: a wait of 5-90, a trip of 15-240
    bounds = natural_bounds(name, description)
    if bounds is not None and bounds[2]:
        return 250, 380  # Kelvin: from a cold day to boiling water
    kind = rate_kind(name, description)
    if kind is not None and bounds is not None:
        low, high = RATE_RANGES[kind]
        return (low / 100, high / 100) if bounds[1] == 1.0 else (low, high)
    if bounds is not None and bounds[1] == 1.0:
        return 0.05, 0.95
    tokens = set(joined_tokens(name))
    words = [w for w in meaning_words(name) if not w.isdigit()]
    for keys, low, high in _NUMBER_HINTS:
        # a `year` is one where the name ends in it, and not "per year" (`payment_per_year` is money)
        if tokens & keys and not ("year" in keys and (words[-1:] != ["year"] or words[-2:-1] == ["per"])):
            return low, high
    return None
