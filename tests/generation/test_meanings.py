"""Names with a meaning: the one table (toolflow_assets/meanings.py) that the value-fit check and the
planner's data-flow links both follow, and the value synthesis that respects a name's last word."""

from __future__ import annotations

import random

from toolflow_assets.values.flow import flow_is_feasible
from toolflow_assets.values import Synthesizer, hinted_string
from toolflow_assets.meanings import is_file_name, rule_for, same_meaning
from toolflow_assets.tools import Tool


def _tool(name: str, parameters: dict, returns: dict | None = None) -> Tool:
    return Tool(tool_id=name, name=name, description=name.replace("_", " "),
                parameters={"type": "object", "properties": parameters, "required": list(parameters)},
                returns=returns, source="test", source_format="openai", category="test")


def test_a_date_never_feeds_a_city_even_when_both_are_strings() -> None:
    holidays = _tool("search_holidays", {"keywords": {"type": "string"}},
                     {"type": "object", "properties": {"date": {"type": "string"}, "name": {"type": "string"}}})
    flight = _tool("book_flight", {"departure_city": {"type": "string"}, "date": {"type": "string"}})
    assert flow_is_feasible(holidays, "date", flight, "date")
    assert not flow_is_feasible(holidays, "date", flight, "departure_city")
    assert flow_is_feasible(holidays, "name", flight, "departure_city")  # unknown meaning: the schema decides


def test_meanings_compare_by_the_last_word() -> None:
    assert same_meaning("event_date", "start_date") and same_meaning("user_id", "order_id")
    assert not same_meaning("date", "departure_city") and not same_meaning("year", "price")
    assert rule_for("addressLine2") is None and rule_for("homeCity").meaning == "a place"


def test_the_last_word_decides_what_a_string_is() -> None:
    rng = random.Random(7)
    city = hinted_string("departure_city", rng)
    assert not any(c.isdigit() for c in city)
    assert rule_for("departure_city").accepts(city)
    assert rule_for("arrival_date").accepts(hinted_string("arrival_date", rng))


def test_the_two_ends_of_one_thing_pair_up_by_the_rest_of_their_names() -> None:
    from toolflow_assets.meanings import opposite_ends, same_both_ends

    names = ["from_account", "to_account", "origin", "destination", "baseCurrency", "targetCurrency",
             "start_date", "end_date", "amount", "from_city", "to_country"]
    assert set(opposite_ends(names)) == {("from_account", "to_account"), ("origin", "destination"),
                                         ("baseCurrency", "targetCurrency")}
    assert same_both_ends({"from_account": "ACC-20417", "to_account": "acc-20417 ", "amount": 5}) == [
        ("from_account", "to_account")]
    assert same_both_ends({"source": "en", "target": "fr"}) == []
    assert same_both_ends({"start_date": "2024-05-01", "end_date": "2024-05-01"}) == []  # a one-day range is real


def test_the_value_fit_check_names_a_transfer_to_the_same_account() -> None:
    from toolflow_assets.quality.value_fit import check_value_fit

    def call(arguments: dict) -> list:
        import json
        return [{"role": "user", "content": "Move 5 from ACC-1 to ACC-2."},
                {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
                    "name": "transfer", "arguments": json.dumps(arguments)}}]}]

    bad = check_value_fit(call({"from_account": "ACC-1", "to_account": "ACC-1", "amount": 5}))
    assert len(bad) == 1 and "from_account and to_account" in bad[0] and "ACC-1" in bad[0]
    assert check_value_fit(call({"from_account": "ACC-1", "to_account": "ACC-2", "amount": 5})) == []


def test_a_link_needs_two_tools_that_work_on_the_same_things() -> None:
    from toolflow_assets.meanings import same_context

    # two APIs (a category each, as their own files): one API's endpoints share its context whatever their words
    verse = Tool(tool_id="v", name="getSpecificVerse", description="Retrieve a specific verse from a book of the Bible.",
                 parameters={}, returns=None, source="bible.json", source_format="openai", category="bible")
    flights = Tool(tool_id="f", name="flight_search", description="Search for flights given origin, destination and date.",
                   parameters={}, returns=None, source="flights.json", source_format="openai", category="flights")
    create = Tool(tool_id="c", name="createRole", description="Create a new role in the application.",
                  parameters={}, returns=None, source="t", source_format="openai", category="t")
    delete = Tool(tool_id="d", name="deleteRole", description="Delete a role from the application.",
                  parameters={}, returns=None, source="t", source_format="openai", category="t")
    assert not same_context(verse, "metadata.date", flights, "date")  # a verse's date is no flight date
    assert same_context(create, "roleId", delete, "roleId")  # shares "application"; and both name the role
    assert same_context(Tool(tool_id="p", name="create_project", description="Creates a project.", parameters={},
                             returns=None, source="t", source_format="openai", category="t"), "project_id",
                        Tool(tool_id="q", name="update_project", description="Updates the details.", parameters={},
                             returns=None, source="t", source_format="openai", category="t"), "project_id")


def test_a_value_passed_on_keeps_the_meaning_of_the_field_it_comes_from() -> None:
    # event_year fed a parameter named `event`; the joint value was "Food Fair", a year that is not a year
    import random as _random

    from toolflow_assets.values.flow import joint_value

    for seed in range(20):
        ok, value = joint_value({"type": "string"}, [("event", {"type": "string"})], _random.Random(seed),
                                producer_name="event_year")
        assert not ok or rule_for("event_year").accepts(value), value


def test_a_question_for_the_time_threshold_is_not_a_reask_of_the_threshold() -> None:
    from toolflow_assets.quality.reasked import check_reasked_values

    tools = [{"type": "function", "function": {"name": "create_alert", "parameters": {"type": "object", "properties": {
        "threshold": {"type": "number"}, "timeThreshold": {"type": "integer"}}}}}]
    messages = [
        {"role": "user", "content": "Create an alert with 19.95 as the threshold."},
        {"role": "assistant", "content": "What time threshold would you like?"},
        {"role": "user", "content": "Use 81."},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
            "name": "create_alert", "arguments": '{"threshold": 19.95, "timeThreshold": 81}'}}]},
    ]
    assert check_reasked_values(messages, tools) == []
    messages[1] = {"role": "assistant", "content": "What threshold would you like?"}
    assert check_reasked_values(messages, tools)  # asking for the threshold again is a re-ask


def test_a_date_in_the_form_its_description_states_is_a_date_for_the_value_fit_check() -> None:
    schema = {"type": "string", "description": "The expiration date of the credit card in the format MM/YYYY."}
    expiry = Synthesizer(random.Random(3)).string(schema, "expiration_date", schema["description"])
    month, year = expiry.split("/")
    assert 1 <= int(month) <= 12 and len(month) == 2 and len(year) == 4, expiry
    assert rule_for("expiration_date").accepts(expiry)
    assert rule_for("expiration_date").accepts("2028-06") and not rule_for("expiration_date").accepts("13/2028")
    iso = Synthesizer(random.Random(3)).string({"type": "string"}, "expiration_date", "When the card expires.")
    assert len(iso.split("-")) == 3  # no stated form: the ISO date


def test_a_kelvin_temperature_below_absolute_zero_fails_value_fit_and_the_planner_never_draws_one() -> None:
    # the reviewer's defect: calc_heat_capacity(temp=-5) for "The temperature of the gas in Kelvin"
    kelvin = "The temperature of the gas in Kelvin."
    assert not rule_for("temp", kelvin).allows(-5) and not rule_for("temp", kelvin).allows(0)
    assert rule_for("temp", kelvin).allows(298)
    assert not rule_for("temperature_kelvin").allows(-5)  # the name alone says Kelvin too
    assert rule_for("temp") is None  # a bare temperature may be -5 (Celsius)
    synth = Synthesizer(random.Random(3))
    drawn = [synth.value({"type": t, "description": kelvin}, "temp") for t in ("integer", "number") for _ in range(50)]
    assert min(drawn) > 0, min(drawn)


def test_probabilities_and_percentages_stay_inside_their_bounds() -> None:
    assert not rule_for("probability").allows(150) and not rule_for("tip_percentage").allows(-3)
    assert not rule_for("prob_success", "Probability of the event of interest.").allows(40)
    assert rule_for("prob_success", "Probability of the event of interest.").allows(0.4)
    assert rule_for("probability", "The probability as a percentage.").allows(40)
    assert not rule_for("age").allows(-1)
    synth = Synthesizer(random.Random(5))
    probabilities = [synth.value({"type": "number", "description": "Probability of success."}, "prob_success")
                     for _ in range(50)]
    assert all(0 <= p <= 1 for p in probabilities), probabilities
    percentages = [synth.value({"type": "number"}, "tip_percentage") for _ in range(50)]
    assert all(0 <= p <= 100 for p in percentages), percentages


def test_value_fit_reads_the_unit_in_the_offered_tools_description() -> None:
    # calc_heat_capacity(temp=-5) where the doc says "The temperature of the gas in Kelvin": the reviewer's case
    import json

    from toolflow_assets.quality.value_fit import check_value_fit

    heat = {"type": "function", "function": {"name": "calc_heat_capacity", "description": "Heat capacity of a gas.",
                                             "parameters": {"type": "object", "properties": {"temp": {
                                                 "type": "integer", "description": "The temperature of the gas in Kelvin."}}}}}

    def dialogue(temp: int) -> list[dict]:
        return [{"role": "user", "content": f"Heat capacity at {temp} K?"},
                {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
                    "name": "calc_heat_capacity", "arguments": json.dumps({"temp": temp})}}]}]

    assert check_value_fit(dialogue(-5), [heat]) and "Kelvin" in check_value_fit(dialogue(-5), [heat])[0]
    assert check_value_fit(dialogue(298), [heat]) == []
    assert check_value_fit(dialogue(-5)) == []  # without the doc, a bare `temp` may be Celsius


def test_a_file_name_ends_in_its_extension_and_a_folder_name_does_not() -> None:
    files = ("budget.csv", "notes_v2.md", "archive.tar.gz", "photo.JPEG", " plan.md ")
    folders = ("reports", ".config", "v1.2", "Dr. Smith", "notes.")
    assert all(is_file_name(n) for n in files) and not any(is_file_name(n) for n in (*folders, "", None))
    # the value-fit check reads a file's and a folder's name by the test the executors make them by
    assert all(rule_for("file_name").allows(n) and not rule_for("dir_name").allows(n) for n in files)
    assert all(not rule_for("file_name").allows(n) and rule_for("folder").allows(n) for n in folders)
