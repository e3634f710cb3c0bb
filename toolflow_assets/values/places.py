"""Places, postcodes, phones and money of the countries a tool can be about (see `settings`).

A tool about one country (an Argentine carrier's API, Turkish plates) takes that country's provinces,
cities, postcodes and phone numbers: a reader notices a Correo Argentino quote between `US-OH` and 94105 at
once. These tables hold only what a value needs and that Faker's locales get wrong or lack (Faker's
`tr_TR` names California as a Turkish region, its `es_AR` postcodes have eight digits): the first-level
subdivisions with their ISO 3166-2 codes (a few of the best known where a country has many), the
postcode's form, a phone number's form, and the currency. Cities come from Faker's own list of real places
(`land_coords`, with their IANA time zones), filtered by country, with a few large cities added where that
list is short.

Every entry is plain ASCII (accents folded: "Tucuman", "Cordoba"), as the rest of the kernel's values: the
grounding checks compare whole tokens, and a value must read the same in a message and in JSON.
"""

from __future__ import annotations

import random
from collections import Counter
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from faker.providers.geo import Provider as _Geo


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str
    currency: str
    subdivisions: tuple[tuple[str, str], ...]  # (name, ISO 3166-2 code)
    postcode: tuple[int, int, int] | None  # (lowest, highest, digits) of a numeric postcode; None: `postcode_form`
    phone: str  # a numerify form: each # is a digit
    big_cities: tuple[str, ...] = ()
    postcode_form: str = ""  # a Faker bothify form for a postcode that is not a number ("?#? #?#")
    cities_in: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (ISO 3166-2 code, cities of that subdivision)


# Argentina's cities by province: a list of the cities of Neuquen holds Neuquen and Zapala, never Salta
_AR_CITIES = (
    ("AR-C", ("Buenos Aires", "Palermo", "Caballito", "Belgrano", "Recoleta", "Barracas")),
    ("AR-B", ("La Plata", "Mar del Plata", "Bahia Blanca", "Tandil", "Quilmes", "Lujan", "Chacabuco", "Pontevedra")),
    ("AR-X", ("Cordoba", "Villa Carlos Paz", "Rio Cuarto", "Villa Maria")),
    ("AR-S", ("Rosario", "Santa Fe", "Rafaela", "Esperanza", "Venado Tuerto")),
    ("AR-M", ("Mendoza", "San Rafael", "Godoy Cruz")), ("AR-A", ("Salta", "Oran", "Tartagal")),
    ("AR-T", ("San Miguel de Tucuman", "Aguilares", "Tafi Viejo")), ("AR-Q", ("Neuquen", "Cutral Co", "Zapala")),
    ("AR-E", ("Parana", "Concordia", "Gualeguaychu")), ("AR-V", ("Ushuaia", "Rio Grande")),
    ("AR-U", ("Rawson", "Trelew", "Comodoro Rivadavia", "Puerto Madryn")),
    ("AR-N", ("Posadas", "Obera", "Puerto Iguazu")), ("AR-W", ("Corrientes", "Goya")), ("AR-H", ("Resistencia",)),
    ("AR-Y", ("San Salvador de Jujuy",)), ("AR-K", ("San Fernando del Valle de Catamarca",)),
    ("AR-F", ("La Rioja",)), ("AR-J", ("San Juan",)), ("AR-D", ("San Luis", "Villa Mercedes")),
    ("AR-Z", ("Rio Gallegos", "El Calafate")), ("AR-L", ("Santa Rosa", "General Pico")),
    ("AR-G", ("Santiago del Estero", "La Banda")), ("AR-P", ("Formosa",)),
    ("AR-R", ("Viedma", "San Carlos de Bariloche", "General Roca")),
)


COUNTRIES: dict[str, Country] = {c.code: c for c in (
    Country("AR", "Argentina", "ARS", (
        ("Buenos Aires", "AR-B"), ("Ciudad Autonoma de Buenos Aires", "AR-C"), ("Catamarca", "AR-K"),
        ("Chaco", "AR-H"), ("Chubut", "AR-U"), ("Cordoba", "AR-X"), ("Corrientes", "AR-W"), ("Entre Rios", "AR-E"),
        ("Formosa", "AR-P"), ("Jujuy", "AR-Y"), ("La Pampa", "AR-L"), ("La Rioja", "AR-F"), ("Mendoza", "AR-M"),
        ("Misiones", "AR-N"), ("Neuquen", "AR-Q"), ("Rio Negro", "AR-R"), ("Salta", "AR-A"), ("San Juan", "AR-J"),
        ("San Luis", "AR-D"), ("Santa Cruz", "AR-Z"), ("Santa Fe", "AR-S"), ("Santiago del Estero", "AR-G"),
        ("Tierra del Fuego", "AR-V"), ("Tucuman", "AR-T")),
        (1000, 9431, 4), "+54 11 ####-####",
        ("Buenos Aires", "Cordoba", "Rosario", "Mendoza", "La Plata", "Mar del Plata", "Salta", "Santa Fe",
         "San Miguel de Tucuman", "Neuquen", "Bahia Blanca", "Parana"), cities_in=_AR_CITIES),
    Country("TR", "Turkey", "TRY", (
        ("Adana", "TR-01"), ("Ankara", "TR-06"), ("Antalya", "TR-07"), ("Bursa", "TR-16"), ("Istanbul", "TR-34"),
        ("Izmir", "TR-35"), ("Konya", "TR-42"), ("Gaziantep", "TR-27")),
        (1000, 81999, 5), "+90 212 ### ## ##", ("Istanbul", "Ankara", "Izmir", "Bursa", "Antalya", "Konya")),
    Country("BR", "Brazil", "BRL", (
        ("Sao Paulo", "BR-SP"), ("Rio de Janeiro", "BR-RJ"), ("Minas Gerais", "BR-MG"), ("Bahia", "BR-BA"),
        ("Rio Grande do Sul", "BR-RS"), ("Parana", "BR-PR")),
        None, "+55 11 9####-####", ("Sao Paulo", "Rio de Janeiro", "Belo Horizonte", "Salvador", "Curitiba",
                                    "Porto Alegre", "Recife"), "#####-###"),
    Country("MX", "Mexico", "MXN", (
        ("Ciudad de Mexico", "MX-CMX"), ("Jalisco", "MX-JAL"), ("Nuevo Leon", "MX-NLE"), ("Yucatan", "MX-YUC"),
        ("Puebla", "MX-PUE")),
        (1000, 99999, 5), "+52 55 #### ####", ("Mexico City", "Guadalajara", "Monterrey", "Puebla", "Merida")),
    Country("CA", "Canada", "CAD", (
        ("Ontario", "CA-ON"), ("Quebec", "CA-QC"), ("British Columbia", "CA-BC"), ("Alberta", "CA-AB"),
        ("Nova Scotia", "CA-NS")),
        None, "+1-416-555-0###", ("Toronto", "Montreal", "Vancouver", "Calgary", "Ottawa", "Halifax"), "?#? #?#"),
    Country("IN", "India", "INR", (
        ("Maharashtra", "IN-MH"), ("Karnataka", "IN-KA"), ("Delhi", "IN-DL"), ("Tamil Nadu", "IN-TN"),
        ("West Bengal", "IN-WB")),
        (110001, 855126, 6), "+91 98### #####", ("Mumbai", "Delhi", "Bengaluru", "Chennai", "Kolkata", "Pune")),
    Country("DE", "Germany", "EUR", (
        ("Bayern", "DE-BY"), ("Berlin", "DE-BE"), ("Hamburg", "DE-HH"), ("Nordrhein-Westfalen", "DE-NW"),
        ("Hessen", "DE-HE")),
        (1067, 99998, 5), "+49 30 #######", ("Berlin", "Munich", "Hamburg", "Cologne", "Frankfurt", "Stuttgart")),
    Country("ES", "Spain", "EUR", (
        ("Madrid", "ES-MD"), ("Cataluna", "ES-CT"), ("Andalucia", "ES-AN"), ("Comunidad Valenciana", "ES-VC"),
        ("Galicia", "ES-GA")),
        (1001, 52080, 5), "+34 91 ### ## ##", ("Madrid", "Barcelona", "Valencia", "Seville", "Bilbao", "Malaga")),
    Country("FR", "France", "EUR", (), (1000, 95999, 5), "+33 1 ## ## ## ##",
            ("Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Nantes")),
    Country("IT", "Italy", "EUR", (), (10010, 98168, 5), "+39 06 #### ####",
            ("Rome", "Milan", "Naples", "Turin", "Florence", "Bologna")),
    Country("GB", "United Kingdom", "GBP", (
        ("England", "GB-ENG"), ("Scotland", "GB-SCT"), ("Wales", "GB-WLS"), ("Northern Ireland", "GB-NIR")),
        None, "+44 20 7946 0###", ("London", "Manchester", "Birmingham", "Edinburgh", "Glasgow", "Bristol"),
        "??# #??"),
    Country("AU", "Australia", "AUD", (
        ("New South Wales", "AU-NSW"), ("Victoria", "AU-VIC"), ("Queensland", "AU-QLD"),
        ("Western Australia", "AU-WA")),
        (2000, 7999, 4), "+61 2 #### ####", ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide")),
)}

_FOLD = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "æ": "ae"})


def ascii_fold(text: str) -> str:
    """"Tucumán" → "Tucuman", "Gümüşhane" → "Gumushane": the letters without their marks."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c.isascii())


# big cities of the tables that Faker's list does not hold, in a zone of their own
_OWN_ZONES = {"Vancouver": "America/Vancouver", "Calgary": "America/Edmonton", "Halifax": "America/Halifax",
              "Melbourne": "Australia/Melbourne", "Brisbane": "Australia/Brisbane", "Adelaide": "Australia/Adelaide"}


@lru_cache(maxsize=64)
def _places(code: str) -> tuple[tuple[str, str], ...]:
    """(city, IANA time zone) of the real places Faker knows in a country, the big cities first."""
    known = [(ascii_fold(city), zone) for _, _, city, country, zone in _Geo.land_coords if country == code]
    # a listed city Faker knows keeps its own zone (Sydney is not in Perth's); any other gets the country's
    # most common one
    zones = {**dict(known), **_OWN_ZONES}
    common = Counter(zone for _, zone in known).most_common(1)[0][0] if known else "UTC"
    country = COUNTRIES.get(code)
    listed = [*country.big_cities, *(c for _, cities in country.cities_in for c in cities)] if country else []
    return tuple(dict.fromkeys([(city, zones.get(city, common)) for city in listed] + known))


_CITIES_IN = {code: cities for country in COUNTRIES.values() for code, cities in country.cities_in}


def cities_of(subdivision_code: str) -> tuple[str, ...]:
    """The cities a country's table lists in one subdivision ("AR-Q": Neuquen, Cutral Co, Zapala); () if none."""
    return _CITIES_IN.get(subdivision_code, ())


@lru_cache(maxsize=64)
def listed_cities(code: str) -> frozenset[str]:
    """Every city the country's table places in a subdivision."""
    country = COUNTRIES.get(code)
    return frozenset(c for _, cities in country.cities_in for c in cities) if country else frozenset()


def city(code: str, rng: random.Random) -> str:
    # the big cities half of the time: a reader knows Cordoba, not every Barracas
    places = _places(code)
    big = COUNTRIES[code].big_cities
    return rng.choice(big) if big and rng.random() < 0.5 else rng.choice(places)[0]


def timezone(code: str, rng: random.Random) -> str:
    return rng.choice(_places(code))[1]


def subdivision(code: str, rng: random.Random) -> tuple[str, str] | None:
    """(name, ISO 3166-2 code) of one first-level subdivision; None where the table has none."""
    subdivisions = COUNTRIES[code].subdivisions
    return rng.choice(subdivisions) if subdivisions else None


def postcode(code: str, rng: random.Random) -> str:
    country = COUNTRIES[code]
    if country.postcode is not None:
        low, high, digits = country.postcode
        return f"{rng.randint(low, high):0{digits}d}"
    letters = "ABCEGHJKLMNPRSTVXY"
    return "".join(rng.choice(letters) if c == "?" else str(rng.randint(0, 9)) if c == "#" else c
                   for c in country.postcode_form)


def phone(code: str, rng: random.Random) -> str:
    return "".join(str(rng.randint(0, 9)) if c == "#" else c for c in COUNTRIES[code].phone)


def street(code: str, rng: random.Random) -> str:
    """A street address of the country: a street of its cities' names and a number ("Avenida Rosario 1234")."""
    words = {"AR": "Avenida", "MX": "Avenida", "ES": "Calle", "BR": "Rua", "IT": "Via", "FR": "Rue",
             "DE": "Strasse", "TR": "Caddesi"}
    word = words.get(code)
    name = city(code, rng)
    number = rng.randint(1, 4999)
    if word is None:
        return f"{number} {name} Road"
    if code in ("DE", "TR"):
        return f"{name} {word} {number}"
    return f"{word} {name} {number}"
