"""Values that respect what a field means, on schemas like the corpus's own (issue 12): the name of a listed
state is a state, a postcode a whole postcode, a tax number an id, a record's key and title name one thing, a
tax rate a few percent, a unit one of the quantity measured. The planner states these values and the simulated
executor returns them: both draw from `toolflow_assets.values`."""

from __future__ import annotations

import random
import re

from faker.providers.address.en_US import Provider as UsAddress

from toolflow_assets.meanings import rule_for
from toolflow_assets.values import synthesize
from toolflow_assets.values.lexicons import ACCOUNTS, BOOKMAKERS

_US_STATES = set(UsAddress.states)


def _draws(schema: dict, name: str, count: int = 30) -> list:
    rng = random.Random(11)
    return [synthesize(schema, rng, name=name) for _ in range(count)]


def test_the_name_in_a_list_of_states_is_a_state_not_a_person() -> None:
    # ToolBench "Transportistas de Argentina /cities/states": "List of states for Argentina with iso code."
    states = {"type": "object", "properties": {"iso_code": {"type": "string"}, "name": {"type": "string"}},
              "required": ["iso_code", "name"]}
    for record in _draws(states, "cities_states"):
        assert record["name"] in _US_STATES, record
        assert re.fullmatch(r"[A-Z]{2}-[A-Z]{1,3}", record["iso_code"]), record  # ISO 3166-2, a state's code
    # the thing a record is named for decides: a user's name is still a person's
    users = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    for owner in ("users", "user_profile"):  # a user profile's name is its user's, not "Garcia Profile"
        assert all(len(r["name"].split()) >= 2 and r["name"] not in _US_STATES and "Profile" not in r["name"]
                   for r in _draws(users, owner))


def test_a_postcode_typed_number_is_a_whole_postcode() -> None:
    # "postCodeDst": {"type": "number", "description": "Postcode Destination"} was stated as 96.93
    for value in _draws({"type": "number", "description": "Postcode Destination"}, "postCodeDst"):
        assert isinstance(value, int) and 1000 <= value <= 99999
    rule = rule_for("postCodeSrc", "Postcode Source")
    assert rule is not None and not rule.allows(60.31) and rule.allows(1425) and rule.allows("C1425")


def test_an_acronym_code_gets_an_id_not_a_word_of_its_description() -> None:
    # "cuit": "CUIT of your account in OCA e-Pack" was "savings" (the `account` of the sentence)
    for value in _draws({"type": "string", "description": "CUIT of your account in OCA e-Pack"}, "cuit"):
        assert value not in ACCOUNTS and re.fullmatch(r"[A-Z]+-\d+", value), value


def test_a_records_key_and_title_name_the_same_thing() -> None:
    # Live Sports Odds: {"sport_key": "cricket", "sport_title": "hockey"}; bookmakers titled like a book list
    odds = {"type": "object", "required": ["sport_key", "sport_title", "bookmakers"], "properties": {
        "sport_key": {"type": "string"}, "sport_title": {"type": "string"},
        "bookmakers": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["key", "title"],
            "properties": {"key": {"type": "string"}, "title": {"type": "string"}}}}}}
    for record in _draws(odds, "sport_odds"):
        assert record["sport_title"].lower().replace(" ", "_") == record["sport_key"], record
        # a bookmaker is titled as a sportsbook is (DraftKings, Pinnacle), never as a book list nor "Garcia Bookmaker"
        assert all(b["title"] in BOOKMAKERS for b in record["bookmakers"]), record
    # a book's title stays a title, not "Garcia Book"
    books = {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}}
    assert not any(r["title"].endswith(" Book") for r in _draws(books, "books"))
    # an opaque key stays an id
    assert all(re.fullmatch(r"[A-Z]+-\d+", v) for v in _draws({"type": "string"}, "api_key"))


def test_a_tax_tip_or_interest_rate_is_a_sensible_percentage() -> None:
    # BFCL calculateFinalPrice: "The sales tax in percentage, must be from 0 to 1." was 149.46
    for value in _draws({"type": "number", "description": "The sales tax in percentage, must be from 0 to 1."},
                        "sales_tax"):
        assert 0.02 <= value <= 0.25
    for value in _draws({"type": "number", "description": "The annual interest rate in percentage."},
                        "annual_rate"):
        assert 1 <= value <= 12
    for value in _draws({"type": "number", "description": "The annual rate of inflation. Default 0.0"},
                        "inflation_rate"):
        assert 0 < value <= 10
    assert all(10 <= v <= 25 for v in _draws({"type": "integer"}, "tip_percentage"))
    # and the value-fit check refuses the absurd ones the planner used to state
    assert not rule_for("sales_tax", "The sales tax in percentage, must be from 0 to 1.").allows(75.04)
    assert not rule_for("annual_rate", "The annual interest rate in percentage.").allows(281)
    assert rule_for("heart_rate") is None  # a rate of no such kind is not a percentage


def test_a_unit_is_one_of_the_quantity_measured() -> None:
    # scienceFacts_getCharge: an electron's charge was asked "in km"
    charge = _draws({"type": "string", "description": "The unit of the electric charge to report."}, "unit")
    assert all("coulomb" in v or "charge" in v for v in charge), charge
    stated = _draws({"type": "string", "description": "Unit to retrieve electric charge. For example, 'coulombs'."},
                    "unit")
    assert set(stated) == {"coulombs"}
    radius = _draws({"type": "string", "description": "The units of the radius."}, "units")
    assert set(radius) <= {"km", "miles", "meters", "feet"}


def test_a_celestial_body_is_a_planet_not_a_message() -> None:
    # calculate_distance(body1="Got the smart watch, thanks a lot Jonas", ...)
    for value in _draws({"type": "string", "description": "The first celestial body."}, "body1"):
        assert re.fullmatch(r"[A-Z][a-z]+", value), value


def test_a_number_of_years_is_a_term_and_a_per_year_amount_is_money() -> None:
    # calculate_mortgage_payment(years=98), calculate_present_value(payment_per_year=2016)
    assert all(1 <= v <= 30 for v in _draws({"type": "integer", "description": "Number of years."}, "years"))
    payments = _draws({"type": "integer"}, "payment_per_year")
    assert sum(2015 <= v <= 2025 for v in payments) <= 3, payments  # money, not a year
    assert all(2015 <= v <= 2025 for v in _draws({"type": "integer"}, "year1"))  # a year is still a year
