"""Names of things no lexicon knows, in value synthesis and search results: brand-like only for things people
name like brands (typed_values.is_nameable), plain descriptions otherwise."""

from __future__ import annotations

import random

from toolflow_assets.execution.queries import about_query
from toolflow_assets.typed_values import thing_value
from toolflow_assets.values.hinted_strings import hinted_string


def test_a_name_of_a_thing_nobody_names_like_a_brand_is_a_plain_description():
    for seed in range(10):
        value = hinted_string("name", random.Random(seed), "The name of the new custom dashboard")
        # "standard dashboard", never "Garcia Dashboard", nor "custom dashboard", which the request already says
        assert value.endswith("dashboard") and value == value.lower() and "custom" not in value, value


def test_a_name_of_a_thing_people_name_reads_like_a_brand():
    names = {hinted_string("name", random.Random(seed), "The name of the bakery") for seed in range(10)}
    assert all(n.endswith(" Bakery") and n[0].isupper() for n in names) and len(names) > 5, names


def test_the_records_a_search_lists_are_different_entries():
    for seed in range(10):
        records = [{"id": str(n), "name": "x"} for n in range(3)]
        found = about_query({"results": records}, {"keyword": "bird migration"}, random.Random(seed))["results"]
        assert len({r["name"] for r in found}) == 3, found


def test_a_search_for_a_proper_name_lists_that_one_thing_once():
    # "Caballito" three times was one neighbourhood said three times; the total counts what is listed
    records = [{"id": f"KEY-{n}", "name": "x"} for n in range(3)]
    found = about_query({"results": records, "total": 3}, {"keyword": "Caballito", "stateIsoCode": "AR-C"},
                        random.Random(1))
    assert found == {"results": [{"id": "KEY-0", "name": "Caballito"}], "total": 1}


def test_search_results_state_the_query_as_a_brand_only_for_products():
    for seed in range(6):
        found = about_query({"results": [{"id": "1", "name": "x"}]}, {"product": "espresso machine"},
                            random.Random(seed))["results"][0]["name"]
        assert found.endswith("Espresso Machine") and len(found.split()) == 3, found
        found = about_query({"results": [{"id": "1", "name": "x"}]}, {"query": "genetic trait"},
                            random.Random(seed))["results"][0]["name"]
        # still about the query, but no family name dressed up in front of it: an entry about the topic
        assert found.lower().startswith("genetic trait ") and found.split()[0] == "Genetic", found


def test_names_read_as_people_name_such_things():
    for seed in range(6):
        # "name of the bank as it appears on the statement" names a bank, not the verb ("Garcia Appears")
        bank = hinted_string("bank_name", random.Random(seed), "The name of the bank as it appears on the statement.")
        assert bank.endswith(" Bank"), bank
        battle = hinted_string("battle_name", random.Random(seed), "The name of the battle.")
        assert battle.startswith("Battle of "), battle  # history names battles after places
        case = thing_value("legal case", random.Random(seed))
        assert " v. " in case, case  # a court case after its parties, not "Garcia Legal Case"
