"""The simulated executor on hand-made tools: state across calls, answers that agree with the call,
computed answers, typed values, errors, determinism."""

from __future__ import annotations

import json
import math
import random
import re
import zoneinfo

import pytest

from toolflow_assets.execution import SimulatedExecutor, is_error_result
from toolflow_assets.execution.units import convert
from toolflow_assets.generation.offline import generate_dialogue
from toolflow_assets.planning.models import ArgumentSource, DialoguePlan, PlannedCall, PlannedTurn
from toolflow_assets.planning.offline_planner import CatalogIndex
from toolflow_assets.tools import Tool

NO_ERRORS = SimulatedExecutor(error_rate=0.0, empty_rate=0.0)


def tool(name: str, description: str, properties: dict, required: list[str] | None = None,
         returns: dict | None = None) -> Tool:
    return Tool(tool_id=name, name=name, description=description, source="test", source_format="test", category="",
                parameters={"type": "object", "properties": properties, "required": required or list(properties)},
                returns=returns)


CONTACT = {"type": "object", "properties": {
    "contact_id": {"type": "string"}, "full_name": {"type": "string"}, "email": {"type": "string"},
    "company": {"type": "string"}, "city": {"type": "string"}}, "required": ["contact_id"]}
CREATE = tool("create_contact", "Create a contact.",
              {"full_name": {"type": "string"}, "email": {"type": "string"}, "company": {"type": "string"}},
              returns={"type": "object", "properties": {"contact_id": {"type": "string"}, "status": {"type": "string"}},
                       "required": ["contact_id"]})
GET = tool("get_contact", "Get a contact by its id.", {"contact_id": {"type": "string"}}, returns=CONTACT)
UPDATE = tool("update_contact", "Update a contact's company.",
              {"contact_id": {"type": "string"}, "company": {"type": "string"}})
DELETE = tool("delete_contact", "Delete a contact.", {"contact_id": {"type": "string"}})


def test_a_created_entity_is_found_updated_and_deleted_by_later_calls():
    session = NO_ERRORS.session(seed=3)
    made = {"full_name": "Ada Lovelace", "email": "ada@example.com", "company": "Analytical Engines Ltd"}
    created = session.execute("create_contact", made, CREATE).result
    contact_id = created["contact_id"]

    found = session.execute("get_contact", {"contact_id": contact_id}, GET).result
    assert {k: found[k] for k in ("contact_id", "full_name", "email", "company")} == {"contact_id": contact_id, **made}

    session.execute("update_contact", {"contact_id": contact_id, "company": "Babbage & Co"}, UPDATE)
    assert session.execute("get_contact", {"contact_id": contact_id}, GET).result["company"] == "Babbage & Co"

    session.execute("delete_contact", {"contact_id": contact_id}, DELETE)
    gone = session.execute("get_contact", {"contact_id": contact_id}, GET)
    assert gone.is_error and is_error_result(gone.result) and gone.result["error"]["type"] == "not_found"


def test_a_search_result_is_what_a_later_lookup_of_its_id_returns():
    search = tool("search_contacts", "Search contacts.", {"query": {"type": "string"}},
                  returns={"type": "object", "properties": {"contacts": {"type": "array", "items": CONTACT}},
                           "required": ["contacts"]})
    session = NO_ERRORS.session(seed=11)
    listed = session.execute("search_contacts", {"query": "engineers"}, search).result["contacts"][0]
    again = session.execute("get_contact", {"contact_id": listed["contact_id"]}, GET).result
    assert {k: again[k] for k in listed if k in again} == listed


def test_in_a_generated_dialogue_the_lookup_returns_what_the_user_registered():
    plan = DialoguePlan(
        plan_id="p-entity", sample_id="s", strategy="graph", tools=["create_contact", "get_contact"],
        turns=[
            PlannedTurn(intent="add", needs_tools=True, calls=[PlannedCall(call_id="t1c1", tool="create_contact", arguments={
                "full_name": ArgumentSource(kind="user", value="Grace Hopper"),
                "email": ArgumentSource(kind="user", value="grace@example.org"),
                "company": ArgumentSource(kind="user", value="Remington Rand")})]),
            PlannedTurn(intent="look up", needs_tools=True, calls=[PlannedCall(call_id="t2c1", tool="get_contact", arguments={
                "contact_id": ArgumentSource(kind="tool_output", call_id="t1c1", field="contact_id")})]),
        ])
    dialogue = generate_dialogue(plan, CatalogIndex({"c": CREATE, "g": GET}), 7, NO_ERRORS)
    assert dialogue.status == "ok", dialogue.error
    results = [m for m in dialogue.messages if m["role"] == "tool"]
    import json
    created, found = json.loads(results[0]["content"]), json.loads(results[1]["content"])
    assert found["contact_id"] == created["contact_id"]
    assert (found["full_name"], found["email"], found["company"]) == ("Grace Hopper", "grace@example.org", "Remington Rand")
    assert [e["executor"] for e in dialogue.executions] == ["simulated", "simulated"]
    assert [e["tool_call_id"] for e in dialogue.executions] == [m["tool_call_id"] for m in results]
    assert dialogue.provenance.executor == "simulated"


def test_a_field_named_like_an_argument_echoes_it_at_any_depth():
    fruits = tool("getFruitByName", "Get fruits by name.", {"name": {"type": "string"}},
                  returns={"type": "object", "properties": {"fruits": {"type": "array", "items": {
                      "type": "object", "properties": {"name": {"type": "string"}, "calories": {"type": "integer"}},
                      "required": ["name"]}}}, "required": ["fruits"]})
    for seed in range(20):
        result = NO_ERRORS.session(seed).execute("getFruitByName", {"name": "Honeycrisp"}, fruits).result
        assert result["fruits"] and all(f["name"] == "Honeycrisp" for f in result["fruits"])


def test_a_thing_asked_for_by_its_name_comes_back_as_that_thing():
    # the quickstart had museum_info(museum_name="British Museum") answer {"museum": "Rijksmuseum"}
    from toolflow_assets.quality.semantic import check_result_consistency

    museum = tool("museum_info", "Retrieve information about a museum by its name.", {"museum_name": {"type": "string"}},
                  returns={"type": "object", "properties": {"museum": {"type": "string"}, "hours": {"type": "string"}}})
    for seed in range(10):
        result = NO_ERRORS.session(seed).execute("museum_info", {"museum_name": "British Museum"}, museum).result
        assert result.get("museum", "British Museum") == "British Museum"
    call = {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
        "name": "museum_info", "arguments": '{"museum_name": "British Museum"}'}}]}
    wrong = {"role": "tool", "tool_call_id": "c1", "content": '{"museum": "Rijksmuseum"}'}
    assert check_result_consistency([call, wrong]) and not check_result_consistency(
        [call, {**wrong, "content": '{"museum": "British Museum", "hours": "10-17"}'}])


def test_an_argument_the_field_cannot_hold_drops_the_optional_field_rather_than_contradict_it():
    weather = tool("get_weather", "Weather for a city.", {"city": {"type": "string"}},
                   returns={"type": "object", "properties": {"city": {"type": "string", "enum": ["Paris", "Rome"]},
                                                             "temperature": {"type": "number"}}})
    for seed in range(10):
        result = NO_ERRORS.session(seed).execute("get_weather", {"city": "Lisbon"}, weather).result
        assert result.get("city", "Lisbon") == "Lisbon"


@pytest.mark.parametrize("name, description, arguments, field, expected", [
    ("calculate_circle_area", "Calculate the area of a circle.", {"radius": 14}, "area", 615.75),
    ("calculate_rectangle_perimeter", "Perimeter of a rectangle.", {"length": 39, "width": 22}, "perimeter", 122),
    ("triangle_area", "Area of a triangle.", {"base": 10, "height": 4}, "area", 20),
    ("calculate_profit", "Profit from revenue and cost.", {"revenue": 3536.89, "cost": 4114.12}, "profit", -577.23),
    ("celsius_to_fahrenheit", "Convert a temperature.", {"celsius": 100}, "fahrenheit", 212),
    ("km_to_miles", "Convert kilometers to miles.", {"km": 42.195}, "miles", 26.22),
    ("sum_numbers", "Add numbers.", {"numbers": [1.5, 2, 3]}, "sum", 6.5),
    # one-line laws, from the quickstart's kinematics and density dialogues (they returned 95.1, 11.38, 199.02)
    ("kinematics_calculate_time", "Time to travel a distance.", {"distance": 15, "velocity": 451}, "time", 0.0333),
    ("calculate_speed", "Speed of an object.", {"distance": 15, "time": 90}, "speed", 0.167),
    ("kinematics_calculate_acceleration", "Acceleration.", {"initial_speed": 460.74, "final_speed": 269.12,
                                                             "time": 25.85}, "acceleration", -7.41),
    ("kinematics_calculate_speed_from_rest", "Speed from rest.", {"distance": 12.93, "time": 90}, "speed", 0.287),
    ("calculate_density", "Density of a substance.", {"mass": 92, "volume": 412}, "density", 0.223),
    ("calculate_current", "Current from voltage and resistance.", {"voltage": 12, "resistance": 4}, "current", 3),
    ("calcVolume_cuboid", "Calculates the volume of a cuboid.", {"depth": 10.05, "height": 188.27, "width": 22.14},
     "volume", 41891.39),
])
def test_plain_formulas_are_computed(name, description, arguments, field, expected):
    properties = {k: ({"type": "array", "items": {"type": "number"}} if isinstance(v, list) else {"type": "number"})
                  for k, v in arguments.items()}
    undeclared = tool(name, description, properties)
    declared = tool(name, description, properties,
                    returns={"type": "object", "properties": {field: {"type": "number"}}, "required": [field]})
    for subject in (undeclared, declared):
        result = NO_ERRORS.session(1).execute(name, arguments, subject).result
        tolerance = 0.01 if abs(expected) >= 1 else 0.0005  # small answers keep their significant digits
        assert result[field] == pytest.approx(expected, abs=tolerance, rel=0.01), (subject.returns, result)


def test_a_tool_that_computes_two_quantities_gets_both_right():
    both = tool("geometry_rectangle_calculate", "Calculate the area and perimeter of a rectangle.",
                {"length": {"type": "number"}, "width": {"type": "number"}})
    declared = tool("geometry_rectangle_calculate", "Calculate the area and perimeter of a rectangle.",
                    {"length": {"type": "number"}, "width": {"type": "number"}},
                    returns={"type": "object", "properties": {"area": {"type": "number"}, "perimeter": {"type": "number"}},
                             "required": ["area", "perimeter"]})
    for subject in (both, declared):
        result = NO_ERRORS.session(4).execute("geometry_rectangle_calculate", {"length": 21, "width": 25}, subject).result
        assert result["area"] == 525 and result["perimeter"] == 92, result


def test_money_converts_at_one_fixed_table_so_conversions_agree():
    # the quickstart converted 809.86 ISK to 6.88 CHF, and 987 JPY to 87.45 INR then to 33.71 "currency exchange"
    from toolflow_assets.execution.compute import USD_PER_UNIT

    convert_tool = tool("convert_currency", "Convert an amount from one currency to another.",
                        {"amount": {"type": "number"}, "from_currency": {"type": "string"}, "to_currency": {"type": "string"}},
                        returns={"type": "object", "properties": {"converted_amount": {"type": "number"}}})
    there = NO_ERRORS.session(1).execute("convert_currency", {"amount": 1000, "from_currency": "EUR", "to_currency": "JPY"},
                                         convert_tool).result["converted_amount"]
    back = NO_ERRORS.session(2).execute("convert_currency", {"amount": there, "from_currency": "JPY", "to_currency": "EUR"},
                                        convert_tool).result["converted_amount"]
    assert there == pytest.approx(1000 * USD_PER_UNIT["EUR"] / USD_PER_UNIT["JPY"], rel=0.001)
    assert back == pytest.approx(1000, rel=0.001)
    rate_tool = tool("get_exchange_rate", "Get the exchange rate between two currencies.",
                     {"base_currency": {"type": "string"}, "target_currency": {"type": "string"}},
                     returns={"type": "object", "properties": {"rate": {"type": "number"}}})
    rate = NO_ERRORS.session(3).execute("get_exchange_rate", {"base_currency": "GBP", "target_currency": "USD"},
                                        rate_tool).result["rate"]
    assert rate == pytest.approx(USD_PER_UNIT["GBP"], rel=0.01)


def test_conversions_refuse_units_they_do_not_know():
    assert convert(0, "celsius", "kelvin") == pytest.approx(273.15)
    assert convert(1, "km", "kg") is None and convert(1, "parsecs", "km") is None


def test_typed_fields_hold_typed_values_not_placeholders():
    profile = tool("get_profile", "Get a profile.", {"user": {"type": "string"}}, returns={
        "type": "object", "required": ["time_zone", "currency", "email", "company", "country", "name"],
        "properties": {"time_zone": {"type": "string"}, "currency": {"type": "string"}, "email": {"type": "string"},
                       "company": {"type": "string"}, "country": {"type": "string"},
                       "name": {"type": "string", "description": "Name of the city"}}})
    zones = zoneinfo.available_timezones()
    placeholder = re.compile(r"^(quick|quiet|bright|steady|fresh|clever|gentle|bold|calm|vivid) "
                             r"(river|harbor|meadow|signal|lantern|summit|orchard|canyon|beacon|forest)$", re.I)
    for seed in range(30):
        result = NO_ERRORS.session(seed).execute("get_profile", {"user": "u1"}, profile).result
        assert result["time_zone"] in zones
        assert re.fullmatch(r"[A-Z]{3}", result["currency"])
        assert re.fullmatch(r"[a-z0-9._]+@example\.(com|org|net)", result["email"])
        assert not any(placeholder.match(str(v)) for v in result.values()), result


def test_same_seed_same_results_and_another_seed_other_results():
    def run(seed: int) -> list:
        session = SimulatedExecutor().session(seed)
        created = session.execute("create_contact", {"full_name": "A B", "email": "a@example.com", "company": "C"},
                                  CREATE).result
        return [created, session.execute("get_contact", {"contact_id": created.get("contact_id", "x")}, GET).result]

    assert run(5) == run(5)
    assert len({repr(run(seed)) for seed in range(6)}) > 1


def test_errors_come_at_the_configured_rate_and_never_where_a_later_call_reads_the_result():
    lookup = tool("get_weather", "Weather for a city.", {"city": {"type": "string"}})
    for rate, low, high in ((0.0, 0, 0), (0.1, 0.05, 0.16), (1.0, 1, 1)):
        executor = SimulatedExecutor(error_rate=rate, empty_rate=0.0)
        errors = sum(executor.session(seed).execute("get_weather", {"city": "Oslo"}, lookup).is_error
                     for seed in range(400))
        assert low <= errors / 400 <= high, (rate, errors)
    always = SimulatedExecutor(error_rate=1.0)
    outcome = always.session(1).execute("get_weather", {"city": "Oslo"}, lookup, needed={"temperature": [("t", {})]})
    assert outcome.status == "ok" and "temperature" in outcome.result


def test_an_injected_error_looks_like_an_api_error():
    lookup = tool("get_order", "Get an order.", {"order_id": {"type": "string"}})
    outcome = SimulatedExecutor(error_rate=1.0).session(2).execute("get_order", {"order_id": "ORD-1"}, lookup)
    error = outcome.result["error"]
    assert outcome.status == "error" and is_error_result(outcome.result)
    assert isinstance(error["code"], int) and error["type"] and error["message"] and isinstance(error["retryable"], bool)


def test_empty_search_results_are_marked_empty():
    search = tool("search_hotels", "Search hotels.", {"city": {"type": "string"}})
    outcome = SimulatedExecutor(error_rate=0.0, empty_rate=1.0).session(4).execute("search_hotels", {"city": "Oslo"},
                                                                                 search)
    assert outcome.status == "empty" and outcome.result["results"] == [] and outcome.result["total"] == 0
    assert outcome.result["city"] == "Oslo"


def test_computed_answers_are_finite_for_any_radius():
    area = tool("calculate_circle_area", "Area of a circle.", {"radius": {"type": "number"}})
    rng = random.Random(0)
    for _ in range(50):
        radius = round(rng.uniform(0, 1e6), 2)
        value = NO_ERRORS.session(0).execute("calculate_circle_area", {"radius": radius}, area).result["area"]
        assert value == pytest.approx(round(math.pi * radius * radius, 2))


SEND = tool("send_message", "Send a message to a user.",
            {"receiver_id": {"type": "string"}, "message": {"type": "string", "description": "Message to be sent."}},
            returns={"type": "object", "properties": {
                "sent_status": {"type": "boolean"},
                "receiver_id": {"type": "string", "description": "ID of the receiver."},
                "message": {"type": "string", "description": "A message describing the result of the send attempt."}},
                "required": ["sent_status", "receiver_id", "message"]})


def _answered(name: str, arguments: dict, result: dict) -> list[dict]:
    import json

    return [{"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
        "name": name, "arguments": json.dumps(arguments)}}]},
            {"role": "tool", "tool_call_id": "c1", "content": json.dumps(result)}]


def test_a_field_the_doc_says_reports_the_outcome_is_not_an_echo_for_the_executor_or_the_check():
    # BFCL's send_message answers `message` with "Message sent to 'USR002' successfully.", as its doc says
    from toolflow_assets.quality.semantic import check_result_consistency

    arguments = {"receiver_id": "USR002", "message": "Lunch at noon?"}
    returns = {"send_message": SEND.returns}
    for seed in range(10):
        result = NO_ERRORS.session(seed).execute("send_message", arguments, SEND).result
        assert result["receiver_id"] == "USR002" and result["message"] == "Message sent successfully."
        assert check_result_consistency(_answered("send_message", arguments, result), returns) == []
        # and so `toolflow check`, which reads an export without the docs, agrees with the pipeline
        assert check_result_consistency(_answered("send_message", arguments, result), {}) == []
    real = {"sent_status": True, "receiver_id": "USR002", "message": "Message sent to 'USR002' successfully."}
    assert check_result_consistency(_answered("send_message", arguments, real), returns) == []
    # without the doc (`toolflow check` on an export), the text itself says it is a verdict on the call; any
    # other text there would contradict the message sent
    assert check_result_consistency(_answered("send_message", arguments, real), {}) == []
    assert check_result_consistency(_answered("send_message", arguments, {**real, "message": "Dinner at eight?"}), {})
    # the fields that do echo are still held to the call
    assert check_result_consistency(_answered("send_message", arguments, {**real, "receiver_id": "USR009"}), returns)


@pytest.mark.parametrize("description, reports", [
    ("A message describing the result of the send attempt.", True),
    ("Confirmation of the operation's status.", True),
    ("A message indicating whether the operation succeeded.", True),
    ("Current status of the ticket.", False),  # get_user_tickets(status=...): the filter, echoed
    ("Message to be sent.", False),
    ("The result of the calculation.", False),
    (None, False),
])
def test_which_declared_fields_report_the_outcome(description, reports):
    from toolflow_assets.execution.echo import reports_outcome

    value = "Message sent to 'USR002' successfully."  # a declared description decides, whatever the text
    assert reports_outcome({"type": "string", "description": description} if description else None,
                           None if description is None else value) is reports


@pytest.mark.parametrize("value, reports", [
    ("Message sent to 'USR002' successfully.", True),
    ("Upload failed: the file is too large.", True),
    ("Lunch at noon?", False),
    ("Success Street 4, Leeds", False),  # an address, not a verdict
    (42, False),
])
def test_an_undeclared_field_reports_the_outcome_when_its_text_is_a_verdict(value, reports):
    from toolflow_assets.execution.echo import reports_outcome

    assert reports_outcome(None, value) is reports and reports_outcome({"type": "string"}, value) is reports


def test_an_undeclared_result_field_holds_what_its_name_means_not_the_tools_name():
    # the reviewer's defect: Transportistas_de_Argentina_tracking_correo_argentino_result_tas returned
    # {"argentino_result": "Argentino result for TAS-65915"}: the tool's own name made into a sentence
    tracking = tool("Transportistas_de_Argentina_tracking_correo_argentino_result_tas",
                    "Get the result of a tracking task.", {"task_id": {"type": "string"}})
    for seed in range(20):
        result = NO_ERRORS.session(seed).execute(tracking.name, {"task_id": "TAS-65915"}, tracking).result
        made_up = [v for k, v in result.items() if k != "task_id" and isinstance(v, str)]
        assert made_up and not [v for v in made_up if "argentino" in v.lower() or "TAS-65915" in v], result


def test_environment_states_hold_text_people_write_never_faker_lorem_sentences(monkeypatch):
    # the reviewer's defect: BFCL inboxes and timelines held Faker sentences ("Raise total toward western weight
    # who reality."), and a tweet found by a keyword read "Far law per issue information man rain jacket"
    from faker.providers.lorem import Provider as Lorem

    from toolflow_assets.execution import python_states as S
    from toolflow_assets.execution import python_states_services as V

    def no_lorem(*args, **kwargs):
        raise AssertionError("a Faker lorem sentence was used as text")

    monkeypatch.setattr(Lorem, "sentence", no_lorem)
    for seed in range(20):
        rng = random.Random(seed)
        inbox = [text for message in S.message_state(rng)["inbox"] for text in message.values()]
        posts = [tweet["content"] for tweet in S.twitter_state(rng)["tweets"].values()]
        S.file_system_state(rng)
        V.ticket_state(rng)
        assert inbox and posts and all(text.strip() for text in inbox + posts)


# ------------------------------------------------------- defects found in the bundled-corpus export (issue 11)

RECORDS = {"type": "array", "items": {"type": "object", "properties": {
    "id": {"type": "string"}, "name": {"type": "string"}, "price": {"type": "number"}}, "required": ["id", "name"]}}


@pytest.mark.parametrize("returns", [None, {"type": "object", "properties": {"results": RECORDS},
                                            "required": ["results"]}])
def test_search_results_are_about_what_was_searched_for(returns):
    # product_search_2(product="espresso machine") listed "wireless headphones", "running shoes"
    search = tool("product_search_2", "Search products in a city.",
                  {"city": {"type": "string"}, "product": {"type": "string"}}, returns=returns)
    for seed in range(10):
        result = NO_ERRORS.session(seed).execute(
            "product_search_2", {"city": "New Yekepa", "product": "espresso machine"}, search).result
        assert result["results"] and all("espresso machine" in r["name"].lower() for r in result["results"])
    docs = tool("search_local_docs", "Search local documents.", {"query": {"type": "string"}})
    listed = NO_ERRORS.session(1).execute("search_local_docs", {"query": "What are the symptoms of a cold?"},
                                          docs).result["results"]
    assert all(r["name"].startswith("What are the symptoms of a cold?") for r in listed)
    movies = tool("search_movies", "Search movies.", {"title": {"type": "string"}}, returns={
        "type": "object", "properties": {"movies": RECORDS}, "required": ["movies"]})
    found = NO_ERRORS.session(2).execute("search_movies", {"title": "Inception"}, movies).result["movies"]
    assert found and all(r["name"] == "Inception" for r in found)  # a proper name is the thing itself


def test_a_count_is_a_whole_number_named_count():
    # store_count(...) answered {"store": 13.51}
    counter = tool("store_count", "Count the stores of a chain in a city.",
                   {"chain": {"type": "string"}, "city": {"type": "string"}})
    for seed in range(10):
        result = NO_ERRORS.session(seed).execute("store_count", {"chain": "Lidl", "city": "Porto"}, counter).result
        assert isinstance(result["count"], int) and result["count"] >= 0 and "store" not in result


CASE_SEARCH = tool("court_records_search_cases", "Search court cases.",
                   {"location": {"type": "string"}, "query": {"type": "string"}},
                   returns={"type": "object", "properties": {"results": RECORDS, "total": {"type": "integer"},
                                                             "case_id": {"type": "string"}},
                            "required": ["results", "total", "case_id"]})
CASE_INFO = tool("case_info_get", "Get information on a case.",
                 {"case_id": {"type": "string"}, "case_year": {"type": "string"}})


def test_a_record_found_by_a_search_does_not_carry_the_search_pages_fields():
    # case_info_get(case_id=...) came back with the earlier search's "total", "location" and "query": the
    # page of results (which held the id a later call read) was remembered as if it were the case
    for seed in range(10):
        session = NO_ERRORS.session(seed)
        page = session.execute("court_records_search_cases", {"location": "Phoenix, AZ", "query": "violin lessons"},
                               CASE_SEARCH).result
        case = session.execute("case_info_get", {"case_id": page["case_id"], "case_year": "2017"}, CASE_INFO).result
        assert case["case_id"] == page["case_id"]
        assert not {"total", "location", "query"} & set(case), case


def test_a_remembered_text_never_contradicts_the_current_call():
    # a 2017 lookup's "Case info for CAS-97290 and 2017" came back to a lookup of 2018, beside case_year "2018"
    from toolflow_assets.quality.semantic import check_result_consistency

    session = NO_ERRORS.session(seed=5)
    first = {"case_id": "CAS-97290", "case_year": "2017"}
    session.fill({"case_info": "Filed in 2017 in Phoenix", "case_id": "CAS-97290", "case_year": "2017",
                  "judge": "Ruth Adams"}, CASE_INFO, first)
    again = session.execute("case_info_get", {"case_id": "CAS-97290", "case_year": "2017"}, CASE_INFO).result
    assert again["case_info"] == "Filed in 2017 in Phoenix"  # the same call still finds the same record
    later = {"case_id": "CAS-97290", "case_year": "2018"}
    result = session.execute("case_info_get", later, CASE_INFO).result
    assert result["case_year"] == "2018" and result["judge"] == "Ruth Adams"
    assert "2017" not in json.dumps(result)
    # the quality check holds a result to the same rule (echo.stale_mention), and passes this one
    stale = {**result, "case_info": "Filed in 2017 in Phoenix"}
    assert check_result_consistency(_calls(("case_info_get", first, {"case_info": "Filed in 2017 in Phoenix"}),
                                           ("case_info_get", later, stale)))
    assert check_result_consistency(_calls(("case_info_get", first, {"case_info": "Filed in 2017 in Phoenix"}),
                                           ("case_info_get", later, result))) == []


def _calls(*answered: tuple[str, dict, dict]) -> list[dict]:
    """A dialogue's calls and their results, in order."""
    messages: list[dict] = []
    for number, (name, arguments, result) in enumerate(answered):
        messages += [{"role": "assistant", "content": None, "tool_calls": [{"id": f"c{number}", "type": "function",
                      "function": {"name": name, "arguments": json.dumps(arguments)}}]},
                     {"role": "tool", "tool_call_id": f"c{number}", "content": json.dumps(result)}]
    return messages


@pytest.mark.parametrize("name, arguments", [("case_info_get", {"case_id": "CAS-97290", "case_year": "2018"})])
def test_a_text_of_unknown_meaning_is_a_value_not_its_field_name_plus_the_arguments(name, arguments):
    # "case_info": "Case info for CAS-97290 and 2017": a placeholder
    unknown = tool(name, "Get it.", {k: {"type": "string"} for k in arguments})
    for seed in range(10):
        result = NO_ERRORS.session(seed).execute(name, arguments, unknown).result
        texts = [v for k, v in result.items() if k not in arguments]
        assert texts and all(isinstance(v, str) and " for " not in v
                             and not any(str(a) in v for a in arguments.values()) for v in texts), result


def test_a_plural_thing_of_unknown_meaning_is_a_list_of_records_with_ids_and_names():
    # "event_specifications": "Event specifications for PRO-37719"
    specs = tool("get_event_specifications", "Get an event's specifications.", {"event_id": {"type": "string"}})
    for seed in range(10):
        listed = NO_ERRORS.session(seed).execute("get_event_specifications", {"event_id": "PRO-37719"},
                                                 specs).result["event_specifications"]
        assert len(listed) >= 2 and all(set(r) == {"specification_id", "name"} and r["name"] for r in listed)


def test_a_store_holds_from_the_start_the_keys_read_before_any_call_adds_them():
    # begin_dialogue tracked every argument value: a list argument (tags) crashed it, and a value "b" added
    # under key "a" counted as key "b" added, so retrieving key "b" found nothing held
    from types import SimpleNamespace

    string = {"type": "string"}
    add = Tool(tool_id="core_memory_add", name="core_memory_add", description="Add a key-value pair to the memory.",
               source="t", source_format="bfcl", category="", returns=None,
               parameters={"type": "object", "properties": {"key": string, "value": string,
                                                            "tags": {"type": "array", "items": string}}})
    get = Tool(tool_id="core_memory_retrieve", name="core_memory_retrieve", returns=None, source="t",
               source_format="bfcl", category="",
               description="Retrieve the value associated with a key from the memory.",
               parameters={"type": "object", "properties": {"key": string}})
    session = SimulatedExecutor(error_rate=0.0, empty_rate=0.0).session(1)
    planned = [SimpleNamespace(tool="core_memory_add", arguments={"key": "a", "value": "b", "tags": ["x"]}),
               SimpleNamespace(tool="core_memory_retrieve", arguments={"key": "b"})]
    session.begin_dialogue(planned,
                           {"core_memory_add": add, "core_memory_retrieve": get})
    assert list(session.store.entries["core_memory"]) == ["b"]
