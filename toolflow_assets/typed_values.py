"""Values by meaning: people, companies, places, contacts, money, time zones and dates, through `Faker`.

One module for everything that needs a realistic typed value: the planner's argument values (through
`values`, whose name hints call `typed(kind, rng)`) and the simulated executor's results and
entities. Both draw from the caller's `random.Random`, so a dialogue's values follow from its seed: Faker
is re-seeded from that stream before each value (Faker's own global state is never used), and dates are
drawn around a fixed anchor instead of today, so a rerun next year gives the same dataset.

Every value is safe to quote in text and JSON: no double quotes, backslashes or newlines (the grounding
check looks for values verbatim in the conversation).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import threading
from typing import Callable

from faker import Faker

from .mentions import singular

# Dates are drawn around this day, not the wall clock: the same seed gives the same dataset in any year.
ANCHOR = dt.date(2026, 3, 2)

_LOCAL = threading.local()
_UNSAFE = re.compile(r'["\\\x00-\x1f`]')


def faker_for(rng: random.Random) -> Faker:
    """A per-thread Faker re-seeded from `rng`: values depend only on the caller's random stream."""
    fake = getattr(_LOCAL, "fake", None)
    if fake is None:
        fake = Faker("en_US")
        _LOCAL.fake = fake
    fake.seed_instance(rng.getrandbits(64))
    return fake


def _safe(text: str) -> str:
    return " ".join(_UNSAFE.sub(" ", str(text)).split())


def _date_between(rng: random.Random, low_days: int, high_days: int) -> str:
    return (ANCHOR + dt.timedelta(days=rng.randint(low_days, high_days))).isoformat()


def _time(rng: random.Random) -> str:
    return f"{rng.randint(7, 21):02d}:{rng.choice((0, 15, 30, 45)):02d}"


def _place(rng: random.Random) -> tuple[str, str, str]:
    """(city, ISO country code, IANA time zone) of one real place, coherent with each other."""
    _, _, city, country, zone = faker_for(rng).location_on_land()
    return city, country, zone


def _person(rng: random.Random) -> str:
    fake = faker_for(rng)
    return f"{fake.first_name()} {fake.last_name()}"


def _phone(rng: random.Random) -> str:
    return faker_for(rng).numerify(rng.choice(("+1-###-555-0###", "+44 20 7946 0###", "+1 (###) 555-01##")))


def _company(rng: random.Random) -> str:
    return faker_for(rng).company()


def _street(rng: random.Random) -> str:
    return faker_for(rng).street_address()


def _address(rng: random.Random) -> str:
    fake = faker_for(rng)
    return f"{fake.street_address()}, {fake.city()}, {fake.state_abbr()} {fake.postcode()}"


def _price(rng: random.Random) -> float:
    return round(rng.choice((rng.uniform(3, 60), rng.uniform(20, 400), rng.uniform(100, 2500))), 2)


# most money people ask about is in a few currencies; Faker's list alone would make BND and AFN as common as USD
_MAJOR_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "CNY", "INR", "SEK", "MXN", "BRL")

# kind → generator. The kinds are the vocabulary of the `values` kernel's name hints and of the executor.
_KINDS: dict[str, Callable[[random.Random], object]] = {
    "person": _person,
    "first_name": lambda r: faker_for(r).first_name(),
    "last_name": lambda r: faker_for(r).last_name(),
    "username": lambda r: faker_for(r).user_name(),
    "company": _company,
    "job": lambda r: faker_for(r).job(),
    "city": lambda r: _place(r)[0],
    "country": lambda r: faker_for(r).country(),
    "country_code": lambda r: faker_for(r).country_code(),
    "state": lambda r: faker_for(r).state(),
    "street": _street,
    "address": _address,
    "postcode": lambda r: faker_for(r).postcode(),
    "email": lambda r: faker_for(r).email(domain=r.choice(("example.com", "example.org", "example.net"))),
    "phone": _phone,
    "url": lambda r: f"https://www.{faker_for(r).domain_word()}.example.com/{faker_for(r).uri_path(deep=1)}",
    "domain": lambda r: f"{faker_for(r).domain_word()}.example.com",
    "currency": lambda r: r.choice(_MAJOR_CURRENCIES) if r.random() < 0.75 else faker_for(r).currency_code(),
    "timezone": lambda r: _place(r)[2],
    "date": lambda r: _date_between(r, -200, 200),
    "past_date": lambda r: _date_between(r, -720, -1),
    "future_date": lambda r: _date_between(r, 1, 180),
    "birth_date": lambda r: _date_between(r, -80 * 365, -18 * 365),
    "time": _time,
    "datetime": lambda r: f"{_date_between(r, -200, 200)}T{_time(r)}:00Z",
    "price": _price,
    "password": lambda r: faker_for(r).password(length=12, special_chars=False),
}

def _local_value(kind: str, rng: random.Random) -> str | None:
    # imported here: the values kernel imports this module at its own import time
    from .values.settings import local_value

    return local_value(kind, rng)


def typed(kind: str, rng: random.Random) -> object:
    """One value of a kind (`person`, `company`, `city`, `timezone`, `future_date`, `price`...); a place, a
    postcode, a phone, a currency or a time zone of the country the current value setting is about, where
    it is about one (values.settings: an Argentine carrier's city is Cordoba, its phone +54)."""
    local = _local_value(kind, rng)
    value = local if local is not None else _KINDS[kind](rng)
    return _safe(value) if isinstance(value, str) else value


def typed_text(kind: str, rng: random.Random) -> str:
    value = typed(kind, rng)
    return value if isinstance(value, str) else str(value)


# Nouns people give proper names to: organisations, places and venues, products and brands, groups and
# ventures. A thing of these kinds reads right with a brand-like name ("Garcia Orchard", "Harbor Bakery").
_NAMEABLE = frozenset(
    "company business firm shop store boutique bakery cafe restaurant bar pub diner bistro hotel motel inn hostel "
    "resort farm orchard vineyard winery brewery distillery ranch nursery office agency studio gallery museum "
    "theater theatre cinema venue arena stadium gym salon spa clinic hospital pharmacy school academy college "
    "university library bank lender insurer bookmaker sportsbook casino brand label vendor supplier seller merchant retailer dealer "
    "dealership manufacturer maker publisher broker brokerage carrier airline startup organization organisation "
    "org nonprofit charity foundation institute association club team band league franchise chain branch market "
    "marketplace mall plaza park garden campus building tower center centre hall workshop garage factory plant "
    "warehouse depot station airport port harbor harbour marina camp lodge estate ship vessel yacht product app "
    "application game channel podcast magazine newspaper journal project campaign initiative program programme "
    "operation mission venture workspace community group guild battle siege treaty war expedition county parish "
    "provider".split())
# sites of an organisation, named after where they are ("Lake Jessica Office", "Riverside Branch")
_SITES = frozenset("office branch station depot terminal warehouse airport port harbor harbour campus".split())
# events history names after where they happened ("Battle of Lyon", "Treaty of Quito")
_PLACE_EVENTS = frozenset("battle siege treaty war expedition".split())
# ventures a team names by a codename ("Project Falcon"), not after a family
_CODENAMED = frozenset("project campaign initiative program programme operation mission venture".split())
_CODEWORDS = ("Falcon", "Atlas", "Horizon", "Beacon", "Summit", "Aurora", "Catalyst", "Compass", "Keystone",
              "Meridian", "Northstar", "Orion", "Pioneer", "Quartz", "Redwood", "Sierra", "Tidewater", "Vanguard")
# a measure or an attribute of something: its value is a number, never a name
MEASURE_NOUNS = frozenset(
    "property properties value values price prices cost costs rate rates score scores level levels size sizes "
    "amount amounts temperature temperatures weight height width length depth area volume distance speed "
    "velocity total balance index ratio percentage percent quantity average mean median sum capacity population "
    "density pressure frequency duration age limit threshold budget revenue profit income salary fee fees tax "
    "rank ranking metric metrics statistic statistics stat stats measure measurement reading readings count "
    "yield margin growth return returns valuation worth humidity altitude elevation magnitude intensity "
    "concentration dosage dose calories energy power voltage current resistance mass radius diameter "
    "perimeter circumference angle integral adjustment gdp precipitation rainfall snowfall pricing "
    "performance".split())
# a state-like noun: its value is one of a few state words
_STATES: dict[str, tuple[str, ...]] = {
    "presence": ("online", "away", "busy", "offline"),
    "availability": ("available", "limited", "unavailable"),
    "mode": ("automatic", "manual", "standby"),
    "status": ("active", "pending", "completed", "inactive"),
    "state": ("active", "pending", "completed", "inactive"),
    "condition": ("good", "fair", "excellent"),
    "health": ("healthy", "degraded"),
    "visibility": ("public", "private"),
    "connectivity": ("connected", "disconnected"),
    "priority": ("low", "medium", "high", "urgent"),
    "severity": ("low", "medium", "high", "critical"),
    "authentication": ("authenticated", "verified"),
    "handover": ("accepted", "queued"),
    "urgency": ("low", "medium", "high"),
}
# what a team's operational things are about, and so named for ("checkout dashboard", "billing alert"): a
# subject a reader recognises, where a bare qualifier ("alternate dashboard") names nothing
_OPS_NOUNS = frozenset("dashboard alert alarm log service server release template request badge resolution "
                       "specification conversation view integration config configuration pipeline job monitor "
                       "workflow webhook rule policy queue cluster deployment environment workspace board "
                       "report metric notification incident mapping snapshot analysis".split())
_OPS_SUBJECTS = ("checkout", "billing", "payments", "login", "search", "inventory", "shipping", "signup",
                 "api latency", "error rate")
# what a living thing's trait or gene is about ("eye color genetic trait")
_BIOLOGY_NOUNS = frozenset("trait gene allele phenotype genotype mutation".split())
_BIOLOGY_SUBJECTS = ("eye color", "coat color", "blood type", "height", "lactose tolerance", "hair texture")
# what tells one unnamed thing of a list from another, where the call and the noun say nothing better
_QUALIFIERS = ("primary", "secondary", "standard", "custom", "default", "extended", "basic", "advanced",
               "main", "alternate")
# the last word of a key that asks which kind: there a qualifier is a kind ("main dish", "basic plan")
_KIND_WORDS = frozenset("type kind category class tier level mode method plan option variant edition grade "
                        "course".split())


def is_placeholder(value: object, key: str) -> bool:
    """A text that only puts a qualifier before what its key already says ("extended dec env" under `dec_env`,
    "custom activity" under `activity`): it names nothing, and a model trained on it learns to relay filler.
    The rule value_fit holds results and arguments to; plain_thing draws such a text only where nothing says
    more. (Under a bare `name` the same shape may be a real one, "advanced search": value_fit reads a record's
    name with the record's key, where "custom property record" among `property_records` names none.) Under
    a key that asks for a kind (`dish_type`, `shipping_method`, `subscription_plan`) the qualifier is the
    answer: "main dish" is a type of dish, "standard shipping" a method."""
    if not isinstance(value, str):
        return False
    words = value.strip().split()
    if len(words) < 2 or words[0] not in _QUALIFIERS or not all(re.fullmatch(r"[a-z]+", w) for w in words[1:]):
        return False
    key_words = [singular(w.lower()) for w in re.split(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])", key) if w]
    if key_words[-1:] and key_words[-1] in _KIND_WORDS:
        return False
    return {singular(w) for w in words[1:]} <= set(key_words)


def _head(noun: str) -> str:
    """The last word of a noun phrase, singular: `event_specifications` → "specification"."""
    words = re.split(r"[\s_\-]+", noun.strip().lower())
    return singular(words[-1]) if words and words[-1] else ""


def is_nameable(noun: str) -> bool:
    """A thing people give a proper name to (a shop, a farm, a team, a project, a product): its value may
    read like a brand. The generator's rule for a name of a thing and the quality check's, both."""
    return _head(noun) in _NAMEABLE


def is_measure(noun: str) -> bool:
    """A measure or attribute (`rectangle_property`, `stock_price`, `risk_level`): a number; so is a
    prediction or forecast of one (`rainfall_prediction`, `price_estimate`)."""
    if _head(noun) in MEASURE_NOUNS or noun.strip().lower() in MEASURE_NOUNS:
        return True
    words = [singular(w) for w in re.split(r"[\s_\-]+", noun.strip().lower()) if w]
    return words[-1:] in (["prediction"], ["forecast"], ["estimate"], ["projection"]) and any(
        w in MEASURE_NOUNS for w in words[:-1])


def state_words(noun: str) -> tuple[str, ...] | None:
    """The few states a state-like noun takes (`presence`: online, away...), else None."""
    return _STATES.get(_head(noun)) or _STATES.get(noun.strip().lower())


def named_thing(noun: str, rng: random.Random) -> str:
    """A proper name for a thing people name (is_nameable): a family name and the noun, like a brand
    ("Garcia Orchard"), a site's place ("Lake Jessica Office"), a venture's codename ("Project Falcon"), an
    event's place ("Battle of Lyon");
    never an invented adjective-noun pair.
    Only for nameable things: other things get thing_value."""
    noun = " ".join(noun.split()) or "Project"
    head = _head(noun)
    if head in _CODENAMED:  # one venture of a plural noun too: "Project Aurora", never "Aurora projects"
        codeword = rng.choice(_CODEWORDS)
        return f"Project {codeword}" if head == "project" else f"{codeword} {head}"
    if head in _PLACE_EVENTS:
        return f"{noun.split()[-1].title()} of {_place(rng)[0]}"
    if head in _SITES:  # a site of a country's setting is in one of its cities ("Rosario Office")
        return f"{_local_value('city', rng) or faker_for(rng).city()} {noun.title()}"
    return brand_name(noun, rng)


def brand_name(noun: str, rng: random.Random) -> str:
    """A family name and the noun, like a brand ("Garcia Espresso Machine"): for a nameable thing whose name
    must state the noun (a search's match of its query)."""
    return f"{faker_for(rng).last_name()} {' '.join(noun.split()).title()}"


def plain_thing(noun: str, rng: random.Random, context: tuple[str, ...] = (), avoid: str = "") -> str:
    """A plain description of a thing nobody names like a brand (a genetic trait, an event specification):
    the noun in lower case after what tells it apart, a word the call gave (`species="beagle"` → "beagle
    genetic trait") where there is one, else a subject of its domain ("checkout dashboard", "eye color
    genetic trait"), else a plain qualifier ("primary museum info"). Never dressed up
    as a proper name ("Tate Genetic Trait"); never a qualifier of `avoid` (the text describing the value:
    a dashboard named "custom dashboard" after "the name of the new custom dashboard" names nothing)."""
    phrase = " ".join(noun.replace("_", " ").split()).lower() or "item"
    own = phrase.split() + re.findall(r"[a-z]+", avoid.lower())
    words = [w for w in context if w and w.lower() not in own]
    if words and rng.random() < 0.7:
        return f"{rng.choice(words)} {phrase}"
    head = _head(phrase)
    # a subject of the noun's own domain ("checkout dashboard", "eye color genetic trait"); else a plain
    # qualifier, never one the noun already has ("custom custom dashboard")
    subjects = _OPS_SUBJECTS if head in _OPS_NOUNS else _BIOLOGY_SUBJECTS if head in _BIOLOGY_NOUNS else _QUALIFIERS
    return f"{rng.choice([q for q in subjects if q not in own])} {phrase}"


def context_words(values: object) -> tuple[str, ...]:
    """The short lower-case words a call's arguments give ("beagle", "red fox"): what can tell a thing apart
    in plain_thing. Ids, dates, numbers and long texts say nothing of the kind, and a proper name (a person's,
    a place's) before the noun reads as a name again ("David dominant trait")."""
    found: list[str] = []
    items = values.values() if isinstance(values, dict) else values if isinstance(values, (list, tuple)) else ()
    for value in items:
        if isinstance(value, str) and re.fullmatch(r"[a-z][a-z'-]{2,}(?: [a-z][a-z'-]+)?", value.strip()):
            found.append(value.strip())
    return tuple(found)


def thing_value(noun: str, rng: random.Random, context: tuple[str, ...] = (), avoid: str = "") -> str:
    """A text value naming one `noun` where nothing more is known: a brand-like name for a thing people
    name (is_nameable), one of its states for a state-like noun (`presence` → "away"), a court case's
    parties ("Hill v. Ortiz"), else a plain description (plain_thing). A measure's value is a number: callers that may return one check
    is_measure first; as text it is described plainly."""
    if is_nameable(noun):
        return named_thing(noun, rng)
    states = state_words(noun)
    if states:
        return rng.choice(states)
    words = set(re.split(r"[\s_\-]+", noun.lower()))
    if _head(noun) == "lawsuit" or _head(noun) == "case" and words & {"legal", "court", "law", "lawsuit"}:
        fake = faker_for(rng)  # a court case is named after its parties, never "Garcia Legal Case"
        return f"{fake.last_name()} v. {fake.last_name()}"
    known = _known_kind(noun, words, rng)
    return known if known is not None else plain_thing(noun, rng, context, avoid)


_MONARCHS = ("Louis XIV", "Elizabeth I", "Charles V", "Philip II", "Henry VIII", "Victoria", "Catherine the Great",
             "Frederick the Great", "Isabella I", "Peter the Great")
_ATTRACTIONS = ("Eiffel Tower", "Colosseum", "Sagrada Familia", "Tower of London", "Louvre Museum", "Acropolis",
                "Central Park", "Alhambra")
_HOLIDAYS = ("New Year's Day", "Independence Day", "Labour Day", "Christmas Day", "Easter Monday", "Carnival",
             "Thanksgiving Day", "Boxing Day")
_PROMOTIONS = ("Spring Sale", "Free Shipping Week", "Buy One Get One Free", "Summer Clearance", "Loyalty Bonus")
# a record about its owner ("museum info", "stock data"): described plainly, as there and current since a day
_RECORD_HEADS = frozenset("info information details detail data profile summary overview stats statistics".split())
_CPES = (("apache", "http_server", "2.4.57"), ("openssl", "openssl", "3.0.8"), ("nginx", "nginx", "1.24.0"),
         ("microsoft", "edge", "119.0"), ("mozilla", "firefox", "118.0"))
_PERMISSIONS = ("read", "write", "admin", "read-only", "edit", "view")
_SKIES = ("sunny", "partly cloudy", "light rain", "showers", "clear skies", "overcast")


def _known_kind(noun: str, words: set[str], rng: random.Random) -> str | None:
    """A real-looking value of a thing whose kind says what it looks like, where its words made up a
    placeholder before ("secondary dna sequence", "primary weather forecast", "custom monarch"): a DNA
    sequence is bases, a forecast a sky and a temperature, a monarch a monarch, a judge a judge. None for
    another thing."""
    head = _head(noun)
    if head == "sequence" and words & {"dna", "rna", "genetic", "genome", "gene", "nucleotide"}:
        bases = "ACGU" if "rna" in words else "ACGT"
        return "".join(rng.choice(bases) for _ in range(rng.randint(12, 24)))
    if head == "sequence" and "fibonacci" in words:
        count = rng.randint(6, 10)
        numbers = [0, 1]
        while len(numbers) < count:
            numbers.append(numbers[-1] + numbers[-2])
        return ", ".join(map(str, numbers))
    if head == "forecast":
        return f"{rng.choice(_SKIES)}, high of {rng.randint(8, 31)} C"
    if head in ("monarch", "king", "queen", "ruler", "emperor", "sovereign"):
        return rng.choice(_MONARCHS)
    if head == "judge":
        return f"Judge {faker_for(rng).last_name()}"
    if head in ("attraction", "landmark", "sight"):
        return rng.choice(_ATTRACTIONS)
    if head == "holiday":
        return rng.choice(_HOLIDAYS)
    if head in ("promotion", "promo", "deal", "sale"):
        return rng.choice(_PROMOTIONS)
    if head in ("visitor", "customer", "guest"):
        return typed_text("person", rng)
    if head == "cve":  # a vulnerability's id, never "primary cve"
        return f"CVE-{rng.randint(2019, 2025)}-{rng.randint(1000, 49999)}"
    if head == "cpe":
        vendor, product, version = rng.choice(_CPES)
        return f"cpe:2.3:a:{vendor}:{product}:{version}"
    if head in ("archive", "backup"):  # a file people would find: "invoices-2026-01.zip"
        return f"{rng.choice(('invoices', 'reports', 'photos', 'logs', 'contracts'))}-{_date_between(rng, -400, -1)[:7]}.zip"
    if head in ("permission", "privilege", "scope"):
        return rng.choice(_PERMISSIONS)
    if head in _RECORD_HEADS:  # a bare `info` or `data` too ("secondary info", "standard data" before)
        # "available (updated 2026-01-20)": that the record exists and when it was current, where "extended museum
        # info" named nothing (and "museum info as of ..." read "the museum info is museum info as of ...")
        return f"available (updated {_date_between(rng, -60, -1)})"
    from .values.known_things import known_thing  # here: the values kernel imports this module at import time

    return known_thing(head, {singular(w) for w in words}, rng)
