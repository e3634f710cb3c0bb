"""Times that mean what their field says, and free-form objects filled with real fields (issue 12 item 1).

From the bundled corpus's dialogues: `museum_working_hours.get` answered `{"working_hours": 9.08}`, and
`museum.get_waiting_time` answered `{"waiting_time": "11:30"}`; `updateUserProfile(profileData={"profileData_1":
"Lima"})` was voiced "profile data profile data 1 Lima". The planner's values and the simulated executor's
results draw from `toolflow_assets.values`; the value-fit check reads values by the same rule."""

from __future__ import annotations

import random
import re

from toolflow_assets.execution import SimulatedExecutor
from toolflow_assets.quality.value_fit import check_value_fit
from toolflow_assets.tools import Tool
from toolflow_assets.typed_values import thing_value
from toolflow_assets.values import synthesize
from toolflow_assets.values.lexicons import STATUSES

NO_ERRORS = SimulatedExecutor(error_rate=0.0, empty_rate=0.0)
_HOURS_RANGE = re.compile(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})")
_DURATION = re.compile(r"\d+ (?:minutes|hours?(?: \d+ minutes)?|days?)")
_CLOCK = re.compile(r"\d{2}:\d{2}")


def _bfcl_tool(name: str, description: str, properties: dict) -> Tool:
    # BFCL functions declare no return schema: the executor makes the result up from the name
    return Tool(tool_id=name, name=name, description=description, source="test", source_format="test", category="",
                parameters={"type": "object", "properties": properties, "required": list(properties)}, returns=None)


def test_a_museums_hours_are_a_range_of_the_day_not_a_number() -> None:
    working = _bfcl_tool("museum_working_hours_get", "Get the working hours of a museum in a specific location.",
                         {"museum": {"type": "string"}, "location": {"type": "string"}})
    opened = _bfcl_tool("museum_get_hours", "Retrieve the open hours for a museum based on its name and location.",
                        {"name": {"type": "string"}, "location": {"type": "string"}})
    for seed in range(12):
        session = NO_ERRORS.session(seed=seed)
        for call, key in ((working, "working_hours"), (opened, "hours")):
            result = session.execute(call.name, {"museum": "Louvre Museum", "location": "Paris"}, call).result
            hours = _HOURS_RANGE.fullmatch(str(result[key]))
            assert hours, result
            assert int(hours[1]) < int(hours[3]), result  # it opens before it closes


def test_a_waiting_time_is_a_duration_and_a_departure_time_a_time_of_day() -> None:
    waiting = _bfcl_tool("museum_get_waiting_time", "Retrieve the estimated waiting time at a specific museum.",
                         {"museum_name": {"type": "string"}})
    for seed in range(12):
        result = NO_ERRORS.session(seed=seed).execute(waiting.name, {"museum_name": "Louvre Museum"}, waiting).result
        assert _DURATION.fullmatch(result["waiting_time"]), result
    rng = random.Random(5)
    for _ in range(20):
        assert _DURATION.fullmatch(synthesize({"type": "string"}, rng, name="cooking_time")), "a cooking time"
        assert _CLOCK.fullmatch(synthesize({"type": "string"}, rng, name="departure_time")), "a time of day"
        minutes = synthesize({"type": "integer"}, rng, name="waiting_time")
        assert 5 <= minutes <= 90  # a queue at a museum, in minutes; never 1330
    # a journey takes longer than a queue, and a delivery longer still
    trips = [synthesize({"type": "integer"}, rng, name="travel_time") for _ in range(30)]
    assert max(trips) > 90 and min(trips) >= 15


def _result(content: dict) -> list[dict]:
    import json

    return [{"role": "assistant", "content": None, "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "museum_info", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c1", "name": "museum_info", "content": json.dumps(content)}]


def test_the_value_fit_check_reads_times_by_the_same_rule() -> None:
    wrong = check_value_fit(_result({"working_hours": 9.08, "waiting_time": "11:30", "departure_time": "25 minutes"}))
    assert len(wrong) == 3
    assert any("working_hours = 9.08 is not opening hours" in r for r in wrong)
    assert any('waiting_time = "11:30" is not a duration' in r for r in wrong)
    assert any('departure_time = "25 minutes" is not a time of day' in r for r in wrong)
    # what a reader accepts: a range, a duration in words or in clock form, a long flight, a time of day
    right = {"working_hours": "09:00-17:00", "waiting_time": "00:25", "cooking_time": "45 minutes",
             "flight_duration": "07:30", "departure_time": "14:30", "start_time": 1767225600}
    assert check_value_fit(_result(right)) == []


def test_a_free_form_profile_gets_a_profiles_fields_not_placeholder_keys() -> None:
    rng = random.Random(2)
    for _ in range(15):
        profile = synthesize({"type": "object", "description": "The profile data to update."}, rng, name="profileData")
        assert {"display_name", "job_title"} <= set(profile) <= {"display_name", "job_title", "city"}, profile
        assert len(profile["display_name"].split()) >= 2, profile  # a person's name, not "profile data 1"
    for _ in range(10):
        filters = synthesize({"type": "object"}, rng, name="filters")
        assert filters["status"] in STATUSES and not any(re.search(r"_\d+$", k) for k in filters), filters
        settings = synthesize({"type": "object"}, rng, name="settings")
        assert "/" in settings["timezone"], settings  # an IANA zone, drawn as any other time zone
        assert synthesize({"type": "object", "maxProperties": 1}, rng, name="metadata").keys() == {"source"}
    # an object whose values the schema types keeps to the schema: no profile fields in a map of numbers
    scores = synthesize({"type": "object", "additionalProperties": {"type": "integer"}}, rng, name="scores")
    assert all(isinstance(v, int) for v in scores.values()), scores
    # an object about a thing is named as that thing is ("Project Falcon"), with a state
    project = synthesize({"type": "object"}, rng, name="project_data")
    assert project["name"].startswith("Project ") and project["status"] in STATUSES, project


def test_a_bare_record_is_described_not_qualified() -> None:
    rng = random.Random(4)
    qualifiers = ("primary", "secondary", "standard", "custom", "default", "extended", "basic", "advanced", "main")
    for noun in ("info", "data", "permission", "sale"):
        for _ in range(10):
            value = thing_value(noun, rng)
            assert value.split()[0] not in qualifiers, (noun, value)  # "secondary info" named nothing


def test_a_named_thing_of_a_known_kind_is_one_of_that_kind() -> None:
    from toolflow_assets.values.hinted_strings import hinted_string
    from toolflow_assets.values.lexicons import BOOKS

    rng = random.Random(6)
    for _ in range(8):
        # search results' names: "custom books", "standard cve", "basic archive" before
        assert hinted_string("name", rng, "name of the books") in BOOKS
        assert re.fullmatch(r"CVE-20\d\d-\d{4,5}", hinted_string("name", rng, "name of the cve"))
        assert re.fullmatch(r"[a-z]+-20\d\d-\d\d\.zip", hinted_string("archive_name", rng))


def test_a_time_whose_description_states_a_date_time_layout_is_drawn_in_it() -> None:
    # get_temperature(time=...) "in the format of 'YYYY-MM-DD HH:MM:SS'" was stated "12:00"
    rng = random.Random(9)
    stated = {"type": "string", "description": "The time for which the temperature is being requested, in the "
                                               "format of 'YYYY-MM-DD HH:MM:SS'."}
    for _ in range(10):
        assert re.fullmatch(r"20\d\d-\d\d-\d\d \d\d:\d\d:00", synthesize(stated, rng, name="time"))
    # a layout of the time of day alone keeps a time of day
    clock = {"type": "string", "description": "The desired time for the reservation, in 24-hour format 'HH:MM'."}
    assert all(_CLOCK.fullmatch(synthesize(clock, rng, name="time")) for _ in range(10))


def test_data_flow_takes_a_value_by_the_rule_value_fit_holds_it_to():
    # takes() read meanings.rule_for only: a later call was fed a waiting time "11:30" that value_fit rejects
    from toolflow_assets.values.flow import takes

    assert not takes("11:30", "waiting_time", {"type": "string"})
    assert not takes(9.08, "working_hours", {"type": "number"})
    assert takes("25 minutes", "waiting_time", {"type": "string"})
