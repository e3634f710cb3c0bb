"""Values of things no lexicon knows, in simulated results: a brand-like name only for a thing people name.

"Pitts Rectangle Property" (a property of a rectangle is a number), list items "Tate Genetic Trait", "Garcia
Presence" (a presence is online or away): a family name before the field's own words reads as a brand,
which is right for a bakery or a team and nonsense elsewhere. The quality check (named_values) reads the
results as a reviewer would; these tests hold the executor to it and to what each kind of noun is.
"""

from __future__ import annotations

import json

from faker.providers.person.en_US import Provider

from toolflow_assets.execution import SimulatedExecutor
from toolflow_assets.quality.named_values import check_named_values
from toolflow_assets.tools import Tool

NO_ERRORS = SimulatedExecutor(error_rate=0.0, empty_rate=0.0)
LAST_NAMES = frozenset(Provider.last_names)


def _tool(name: str, properties: dict) -> Tool:
    return Tool(tool_id=name, name=name, description="Get it.", source="test", source_format="test", category="",
                parameters={"type": "object", "properties": properties, "required": list(properties)}, returns=None)


def _result(name: str, arguments: dict, seed: int) -> dict:
    unknown = _tool(name, {k: {"type": "string"} for k in arguments})
    return NO_ERRORS.session(seed).execute(name, arguments, unknown).result


def _as_dialogue(name: str, arguments: dict, result: dict) -> list[dict]:
    return [{"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
                "name": name, "arguments": json.dumps(arguments)}}]},
            {"role": "tool", "tool_call_id": "c1", "content": json.dumps(result)}]


def test_a_measure_of_something_is_a_number_and_a_series_of_it_dated_numbers():
    for seed in range(8):
        value = _result("get_rectangle_property", {"shape": "rectangle"}, seed)["rectangle_property"]
        assert isinstance(value, (int, float)) and not isinstance(value, bool), value
        readings = _result("get_sensor_readings", {"sensor_id": "SEN-1"}, seed)["sensor_readings"]
        assert readings and all(isinstance(r["reading"], (int, float)) and r["date"][:2] == "20"
                                for r in readings), readings


def test_a_state_like_noun_is_a_short_state_word_not_a_name():
    seen = {_result("get_user_presence", {"user_id": "USR-1234"}, seed)["user_presence"] for seed in range(12)}
    assert len(seen) > 1 and all(value == value.lower() and len(value.split()) <= 2 for value in seen), seen


def test_things_nobody_names_like_a_brand_are_described_plainly_and_pass_the_check():
    for seed in range(12):
        arguments = {"species": "beagle"}
        result = _result("get_genetic_traits", arguments, seed)
        traits = result["genetic_traits"]
        assert len(traits) >= 2 and len({t["name"] for t in traits}) == len(traits), traits
        # a description of a trait in lower case, which may say what the call asked about
        assert all(t["name"].endswith("genetic trait") and t["name"] == t["name"].lower() for t in traits), traits
        assert check_named_values(_as_dialogue("get_genetic_traits", arguments, result)) == []


def test_a_thing_people_name_keeps_a_proper_name():
    for seed in range(6):
        bakeries = _result("get_partner_bakeries", {"city": "Lisbon"}, seed)["partner_bakeries"]
        assert all(b["name"].split()[-1] == "Bakery" and b["name"][0].isupper() for b in bakeries), bakeries
        offices = _result("get_post_offices", {"postcode": "23623"}, seed)["post_offices"]
        # a site of an organisation is named after where it is, not after a family ("Carter Office")
        assert all(o["name"].endswith(" Post Office") and o["name"][:-len(" Post Office")] not in LAST_NAMES
                   for o in offices), offices
        projects = _result("get_adriel_projects", {"user_id": "USR-1"}, seed)["adriel_projects"]
        # a venture has a codename, not a family name before the record's words ("Ashley Adriel Project")
        assert all("Adriel" not in p["name"] and p["name"][0].isupper() for p in projects), projects
        # a search's records are single ventures too ("Project Aurora", not "Aurora projects")
        found = NO_ERRORS.session(seed).execute("search_projects", {"owner": "USR-1"},
                                                _tool("search_projects", {"owner": {"type": "string"}})).result
        assert all(r["name"].startswith("Project ") for r in found["results"]), found


def test_the_same_seed_gives_the_same_values():
    for name, arguments in (("get_genetic_traits", {"species": "beagle"}), ("get_rectangle_property", {}),
                            ("get_partner_bakeries", {"city": "Lisbon"})):
        assert _result(name, arguments, 3) == _result(name, arguments, 3)


def test_a_proper_name_among_the_arguments_does_not_qualify_a_plain_thing():
    # "David dominant trait" reads as a name again; "beagle dominant trait" says what was asked about
    values = {_result("get_dominant_trait", {"allele1": "David", "species": "beagle"}, seed)["dominant_trait"]
              for seed in range(12)}
    assert not any("David" in v for v in values) and any(v.startswith("beagle ") for v in values), values
