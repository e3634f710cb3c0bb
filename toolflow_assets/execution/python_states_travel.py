"""Initial states and planned values for bfcl-eval's TravelAPI, made the way python_states.py makes the others:
a varied account from the dialogue's seed (a traveller, 1-3 registered cards with balances, 0-2 earlier bookings
on the class's own routes, signed in or not, a budget limit now and then), repaired before each planned call of
the dry run (the plan's access token is the session's when no sign-in of the plan came first, the card and the
booking it names exist, the card covers the fare, the traveller it verifies is the signed-in one).

The class's universe is fixed in its code: the airports it lists, the routes it prices, the cities it knows an
airport for, the currency pairs it converts, a passport it accepts, the form of its ids. `travel_values` gives
the planner those, read from the class itself (python_probe.py), never from BFCL's test entries; a booking
repeats the route the dialogue priced before, as a traveller would.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from functools import lru_cache
from typing import Any, Mapping, MutableMapping, Sequence

from ..typed_values import faker_for
from .python_probe import Output, call, known_inputs, literals

MODULE = "bfcl_eval.eval_checker.multi_turn_eval.func_source_code.travel_booking"
SIGNED_IN = {"token_type": "Bearer", "token_expires_in": 2, "token_scope": "read_write"}


@lru_cache(maxsize=None)
def _known(cls: type) -> dict[str, Any]:
    """The class's fixed universe, read by calling it on scratch instances."""
    airports = list(call(cls, "list_all_airports") or [])
    routes = [(a, b) for a in airports for b in airports if a != b and call(
        cls, "get_flight_cost", travel_from=a, travel_to=b, travel_date="2026-01-01", travel_class="economy")]
    classes = [c for c in literals(cls, "get_flight_cost") if routes and call(
        cls, "get_flight_cost", travel_from=routes[0][0], travel_to=routes[0][1], travel_date="2026-01-01",
        travel_class=c)] or ["economy"]  # the cabins it prices: the words in its code that it takes
    codes = [c for c in literals(cls, "compute_exchange_rate") if len(c) == 3 and c.isupper()]
    pairs = [(a, b) for a in codes for b in codes if a != b and call(
        cls, "compute_exchange_rate", base_currency=a, target_currency=b, value=1.0)]
    signed = call(cls, "authenticate_travel", client_id="c", client_secret="s", refresh_token="r",
                  grant_type="read_write", user_first_name="A", user_last_name="B") or {}
    person = {"user_first_name": "A", "user_last_name": "B"}
    prefixes = [p for p in literals(cls, "verify_traveler_information") if len(p) == 2 and p.isalpha() and (call(
        cls, "verify_traveler_information", person, first_name="A", last_name="B", date_of_birth="1980-01-01",
        passport_number=p + "1234567") or {}).get("verification_status")]
    return {"airports": airports, "routes": routes, "classes": classes, "pairs": pairs,
            "cities": sorted(known_inputs(cls, "get_nearest_airport_by_city", "location")),
            "token_digits": len(str(signed.get("access_token", "123456"))), "passport": prefixes[:1] or [""]}


def travel_class() -> type:
    return importlib.import_module(MODULE).TravelAPI


def _digits(rng: random.Random, count: int) -> str:
    return str(rng.randint(10 ** (count - 1), 10 ** count - 1))


def _date(rng: random.Random, start: dt.date = dt.date(2026, 1, 5), days: int = 700) -> str:
    return (start + dt.timedelta(days=rng.randrange(days))).isoformat()


def _card(rng: random.Random, holder: str) -> dict[str, Any]:
    # the expiry as get_all_credit_cards' doc declares it (YYYY-MM-DD; the planner writes register_credit_card's
    # as its own doc says, MM/YYYY: values/described_values.in_stated_date_form)
    expires = dt.date(rng.randint(2027, 2031), rng.randint(1, 12), 1) - dt.timedelta(days=1)
    return {"card_number": faker_for(rng).credit_card_number(card_type="visa16"),
            "expiration_date": expires.isoformat(), "cardholder_name": holder,
            "card_verification_number": rng.randint(100, 999), "balance": round(rng.uniform(1_500, 25_000), 2)}


def _booking(rng: random.Random, card_id: str) -> dict[str, Any]:
    known = _known(travel_class())
    travel_from, travel_to = rng.choice(known["routes"])
    date, cabin = _date(rng), rng.choice(known["classes"])
    cost = call(travel_class(), "get_flight_cost", travel_from=travel_from, travel_to=travel_to, travel_date=date,
                travel_class=cabin)["travel_cost_list"][0]
    return {"card_id": card_id, "travel_date": date, "travel_from": travel_from, "travel_to": travel_to,
            "travel_class": cabin, "travel_cost": cost, "transaction_id": _digits(rng, 8)}


def travel_state(rng: random.Random) -> dict[str, Any]:
    fake = faker_for(rng)
    first, last = fake.first_name(), fake.last_name()
    cards = {_digits(rng, 12): _card(rng, f"{first} {last}") for _ in range(rng.randint(1, 3))}
    bookings = {_digits(rng, 7): _booking(rng, rng.choice(sorted(cards))) for _ in range(rng.randint(0, 2))}
    signed_in = rng.random() < 0.7
    return {"random_seed": rng.randint(1, 999_999), "credit_card_list": cards, "booking_record": bookings,
            "access_token": _digits(rng, 6) if signed_in else None,
            **{key: value if signed_in else None for key, value in SIGNED_IN.items()},
            "user_first_name": first, "user_last_name": last,
            "budget_limit": round(rng.uniform(200, 1_000), 2) if rng.random() < 0.2 else None}


def repair_travel(state: MutableMapping[str, Any], instance: Any, method: str, args: Mapping[str, Any],
                  rng: random.Random) -> bool:
    token = args.get("access_token")
    # no sign-in of the plan came first (the instance still holds the initial token): the plan's is the session's
    if isinstance(token, str) and token and instance.access_token == state["access_token"] != token:
        state.update(SIGNED_IN, access_token=token)
        return True
    holder = f"{state['user_first_name']} {state['user_last_name']}"
    card_id = args.get("card_id")
    if isinstance(card_id, str) and card_id and card_id not in instance.credit_card_list \
            and card_id not in state["credit_card_list"]:
        state["credit_card_list"][card_id] = _card(rng, holder)
        return True
    booking_id = args.get("booking_id")
    if method != "book_flight" and isinstance(booking_id, str) and booking_id and \
            booking_id not in instance.booking_record and booking_id not in state["booking_record"]:
        if not state["credit_card_list"]:
            state["credit_card_list"][_digits(rng, 12)] = _card(rng, holder)
        state["booking_record"][booking_id] = _booking(rng, rng.choice(sorted(state["credit_card_list"])))
        return True
    if method == "book_flight" and card_id in state["credit_card_list"] and card_id in instance.credit_card_list:
        fare = call(travel_class(), "get_flight_cost", **{k: args.get(k) for k in (
            "travel_from", "travel_to", "travel_date", "travel_class")})
        needed = max(fare["travel_cost_list"][0] if fare else 0.0, instance.budget_limit or 0.0)
        short = needed - instance.credit_card_list[card_id]["balance"]
        if short > 0:
            card = state["credit_card_list"][card_id]
            card["balance"] = round(card["balance"] + short + rng.uniform(100, 2_000), 2)
            return True
    cost = args.get("insurance_cost")
    if method == "purchase_insurance" and isinstance(cost, (int, float)) and instance.budget_limit is not None \
            and instance.budget_limit < cost and state["budget_limit"] == instance.budget_limit:
        state["budget_limit"] = round(cost * rng.uniform(1.5, 4), 2)
        return True
    names = (args.get("first_name"), args.get("last_name"))
    if method == "verify_traveler_information" and all(isinstance(n, str) and n for n in names) and \
            (instance.user_first_name, instance.user_last_name) == (state["user_first_name"], state["user_last_name"]) \
            != names:
        state["user_first_name"], state["user_last_name"] = names  # the plan verifies the account's own traveller
        return True
    return False


def travel_values(cls: type, method: str, fixed: Mapping[str, Any], earlier: Sequence[tuple[str, Mapping[str, Any]]],
                  rng: random.Random) -> dict[str, Any]:
    """Values for the parameters the class constrains, consistent with `fixed` (values already decided) and
    with the environment's `earlier` calls in the plan, as (method, stated values). An `Output` value reads an
    earlier call's result (the token the plan's sign-in returned)."""
    known = _known(cls)
    values: dict[str, Any] = {}
    if method in ("get_flight_cost", "book_flight") and known["routes"]:
        priced = [v for m, v in earlier if m == "get_flight_cost" and (v.get("travel_from"), v.get("travel_to"))
                  in known["routes"]]
        if method == "book_flight" and priced and rng.random() < 0.8:  # book what was priced
            values.update({k: priced[-1][k] for k in ("travel_from", "travel_to", "travel_date", "travel_class")
                           if k in priced[-1]})
        routes = [r for r in known["routes"] if values.get("travel_from", fixed.get("travel_from")) in (None, r[0])
                  and values.get("travel_to", fixed.get("travel_to")) in (None, r[1])]
        values["travel_from"], values["travel_to"] = rng.choice(routes or known["routes"])
        values.setdefault("travel_class", fixed.get("travel_class") if fixed.get("travel_class") in known["classes"]
                          else rng.choice(known["classes"]))
        values.setdefault("travel_date", _date(rng))
    if method == "get_nearest_airport_by_city" and known["cities"]:
        values["location"] = fixed["location"] if fixed.get("location") in known["cities"] else rng.choice(known["cities"])
    if method == "compute_exchange_rate" and known["pairs"]:
        pairs = [p for p in known["pairs"] if fixed.get("base_currency") in (None, p[0])] or known["pairs"]
        values["base_currency"], values["target_currency"] = rng.choice(pairs)
    if method == "verify_traveler_information":
        signed = [v for m, v in earlier if m == "authenticate_travel"]
        if signed and signed[-1].get("user_first_name") and signed[-1].get("user_last_name"):
            values["first_name"], values["last_name"] = signed[-1]["user_first_name"], signed[-1]["user_last_name"]
        values["date_of_birth"] = _date(rng, dt.date(1950, 1, 1), 365 * 50)
        values["passport_number"] = known["passport"][0] + _digits(rng, 7)
    # one session, one token: the one the plan's last sign-in returned, else the one it named before; a card or
    # booking the dialogue made or named before is the one it means again (the state holds what the plan names,
    # in the class's own forms: a 6-digit token, a 12-digit card id, a 7-digit booking)
    for name, digits, maker in (("access_token", known["token_digits"], "authenticate_travel"),
                                ("card_id", 12, "register_credit_card"), ("booking_id", 7, "book_flight")):
        again = name == "access_token" or rng.random() < 0.85
        made = [i for i, (m, _) in enumerate(earlier) if m == maker]
        named = [v[name] for _, v in earlier[made[-1] + 1 if made else 0:] if isinstance(v.get(name), str)]
        values[name] = named[-1] if again and named else Output(made[-1], name) if again and made \
            else _digits(rng, digits)
    if method == "register_credit_card":
        signed = [v for m, v in earlier if m == "authenticate_travel" and v.get("user_last_name")]
        fake = faker_for(rng)
        values.update(card_number=fake.credit_card_number(card_type="visa16"),
                      card_verification_number=rng.randint(100, 999),
                      cardholder_name=f"{signed[-1].get('user_first_name', '')} {signed[-1]['user_last_name']}".strip()
                      if signed else fake.name())
    if method == "set_budget_limit":
        values["budget_limit"] = float(rng.randrange(500, 5_001, 50))
    if method == "purchase_insurance":
        values["insurance_cost"] = float(rng.randrange(20, 400, 5))
    return values


# fields the class keys by card or booking id where the doc declares one record's fields: a path through them
# (`booking_history.travel_class`) names a key no plan can know, so no later call reads one
KEYED = ("credit_card_list", "booking_history")
