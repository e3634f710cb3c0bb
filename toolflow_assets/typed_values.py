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

def typed(kind: str, rng: random.Random) -> object:
    """One value of a kind (`person`, `company`, `city`, `timezone`, `future_date`, `price`...)."""
    value = _KINDS[kind](rng)
    return _safe(value) if isinstance(value, str) else value


def typed_text(kind: str, rng: random.Random) -> str:
    value = typed(kind, rng)
    return value if isinstance(value, str) else str(value)


def named_thing(noun: str, rng: random.Random) -> str:
    """A proper name for a thing no lexicon knows (a project, a fruit variety, a playlist): a family
    name and the noun, like a brand ("Garcia Orchard"), never an invented adjective-noun pair."""
    noun = " ".join(noun.split()) or "Project"
    return f"{faker_for(rng).last_name()} {noun.title()}"
