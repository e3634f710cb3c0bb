"""The `python` executor on bfcl-eval's VehicleControlAPI and TravelAPI (real classes, no mocks): states drawn
from the seed and repaired for the plan, values the planner takes from the classes (routes, zipcodes, the
option that shows a field), planned dialogues whose calls run without environment errors and replay
identically from the recorded initial states."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from toolflow_assets.ingestion.ingest import ingest_sources

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_python_env import Read, replay, run_plan, state_of  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
from ci_parts import import_part  # noqa: E402

INSTALL = "bfcl-eval is not installed: .venv/bin/pip install --no-deps bfcl-eval==2026.3.23 mpmath"


@pytest.fixture(scope="module")
def python_env():
    import_part("bfcl_eval.eval_checker.multi_turn_eval.func_source_code.travel_booking", INSTALL)
    from toolflow_assets.execution import python_env

    return python_env


@pytest.fixture(scope="module")
def tools(python_env) -> dict[str, Any]:
    import bfcl_eval

    folder = Path(bfcl_eval.__file__).parent / "data" / "multi_turn_func_doc"  # the package's docs (not bundled)
    files = [str(folder / "vehicle_control.json"), str(folder / "travel_booking.json")]
    return {tool.name: tool for tool in ingest_sources(files, display_root=folder).tools}


def test_states_vary_with_the_seed_and_follow_it(python_env) -> None:
    for class_name in ("VehicleControlAPI", "TravelAPI"):
        env = python_env.BY_CLASS[class_name]
        states = [json.dumps(python_env.initial_state(env, [], seed), sort_keys=True) for seed in range(8)]
        assert len(set(states)) == 8, class_name
        assert python_env.initial_state(env, [], 3) == python_env.initial_state(env, [], 3)


def test_a_car_is_made_ready_for_what_the_plan_does(python_env, tools) -> None:
    calls = [("startEngine", {"ignitionMode": "START"}),
             ("setCruiseControl", {"speed": 65.0, "activate": True, "distanceToNextVehicle": 40.0}),
             ("fillFuelTank", {"fuelAmount": 45.0}), ("displayCarStatus", {"option": "climate"}),
             ("adjustClimateControl", {"temperature": 21.0, "fanSpeed": Read(3, "status.fanSpeed")})]
    for seed in range(6):
        outcomes = run_plan(python_env, tools, calls, seed=seed)
        assert [o.status for o in outcomes] == ["ok"] * len(calls), [o.result for o in outcomes]
        car = state_of(outcomes, "VehicleControlAPI")
        # the doors were locked and the brake pressed before the engine started; the tank had room for 45 gallons
        assert set(car["doorStatus"].values()) == {"locked"} and car["brakePedalForce"] == 1000.0
        assert car["fuelLevel"] + 45.0 <= 50 and outcomes[2].result == {"fuelLevel": car["fuelLevel"] + 45.0}
        # the doc declares {"status": {...}}: the class's bare fields are put there, so the later read finds them
        assert outcomes[3].result["status"]["fanSpeed"] == car["fanSpeed"]
        assert outcomes[3].details["result_field"] == "status"


def test_a_trip_finds_its_token_card_and_booking_and_verifies_the_account_holder(python_env, tools) -> None:
    calls = [("get_flight_cost", {"travel_from": "SFO", "travel_to": "JFK", "travel_date": "2026-05-04",
                                  "travel_class": "business"}),
             ("book_flight", {"access_token": "482913", "card_id": "731904562288", "travel_date": "2026-05-04",
                              "travel_from": "SFO", "travel_to": "JFK", "travel_class": "business"}),
             ("retrieve_invoice", {"access_token": "482913", "booking_id": Read(1, "booking_id")}),
             ("purchase_insurance", {"access_token": "482913", "insurance_type": "trip", "insurance_cost": 90.0,
                                     "booking_id": Read(1, "booking_id"), "card_id": "731904562288"}),
             ("verify_traveler_information", {"first_name": "Imani", "last_name": "Okafor",
                                              "date_of_birth": "1984-02-11", "passport_number": "US8812034"}),
             ("cancel_booking", {"access_token": "482913", "booking_id": "5520117"})]
    outcomes = run_plan(python_env, tools, calls, seed=2)
    assert [o.status for o in outcomes] == ["ok"] * len(calls), [o.result for o in outcomes]
    cost, booked, invoice, insured, verified, cancelled = (o.result for o in outcomes)
    assert invoice["invoice"]["booking_id"] == booked["booking_id"] and booked["booking_status"] is True
    assert invoice["invoice"]["travel_cost"] == cost["travel_cost_list"][0]
    assert verified == {"verification_status": True} and cancelled == {"cancel_status": True}
    account = state_of(outcomes, "TravelAPI")
    assert account["access_token"] == "482913" and "731904562288" in account["credit_card_list"]
    assert "5520117" in account["booking_record"] and booked["booking_id"] not in account["booking_record"]
    # a later call that reads back what an earlier one undid stays a real error turn, not a repaired fixture
    again = run_plan(python_env, tools, calls[:2] + [("cancel_booking", {"access_token": "482913",
                                                                         "booking_id": Read(1, "booking_id")}),
                                                     ("retrieve_invoice", {"access_token": "482913",
                                                                           "booking_id": Read(1, "booking_id")})])
    assert again[3].result == {"error": "Booking not found"} and again[3].status == "error"


def test_the_planner_takes_what_the_class_fixes_from_the_class(python_env, tools) -> None:
    from toolflow_assets.execution.python_values import planned_values, readable, values_for_reads
    from toolflow_assets.execution.python_probe import call

    travel = python_env.environment_class(python_env.BY_CLASS["TravelAPI"])
    vehicle = python_env.environment_class(python_env.BY_CLASS["VehicleControlAPI"])
    rng = random.Random(5)
    for _ in range(30):
        route = planned_values(tools["get_flight_cost"], {}, [], rng)
        assert call(travel, "get_flight_cost", **{k: route[k] for k in (
            "travel_from", "travel_to", "travel_date", "travel_class")}) is not None, route  # a route it prices
        pair = planned_values(tools["estimate_distance"], {}, [], rng)
        assert "distance" in call(vehicle, "estimate_distance", **pair), pair
    # a booking repeats the priced route most of the time, and every call of a dialogue uses one session token
    priced = planned_values(tools["get_flight_cost"], {}, [], rng)
    earlier = [(tools["get_flight_cost"], priced), (tools["get_booking_history"], {"access_token": "550311"})]
    booked = [planned_values(tools["book_flight"], {}, earlier, rng) for _ in range(20)]
    assert sum(b["travel_to"] == priced["travel_to"] for b in booked) >= 12
    assert {b["access_token"] for b in booked} == {"550311"}
    # after the plan's sign-in, the token is the one it returned (read from its result, never a made-up one)
    from toolflow_assets.execution.python_probe import Output

    signed_in = [*earlier, (tools["authenticate_travel"], {"user_first_name": "Ana", "user_last_name": "Ruiz"})]
    assert planned_values(tools["set_budget_limit"], {}, signed_in, rng)["access_token"] == Output(2, "access_token")
    # the option that shows what a later call reads; no read through a map keyed by booking id
    assert values_for_reads(tools["displayCarStatus"], {"option": "fuel"}, ["status.fanSpeed"], rng) == \
        {"option": "climate"}
    assert values_for_reads(tools["displayCarStatus"], {"option": "climate"}, ["status.fanSpeed"], rng) == {}
    assert not readable(tools["get_booking_history"], "booking_history.travel_class")
    assert readable(tools["retrieve_invoice"], "invoice.travel_class")


def test_planned_dialogues_run_without_environment_errors_and_replay_identically(python_env, tools) -> None:
    from toolflow_assets.generation.offline import OfflineGenerator
    from toolflow_assets.graph.build import GraphConfig, build_tool_graph
    from toolflow_assets.graph.embeddings import make_embedder
    from toolflow_assets.sampling.sample import SamplingConfig, sample_subgraphs

    graph = build_tool_graph(list(tools.values()), make_embedder("offline"), GraphConfig())
    samples = sample_subgraphs(graph.nodes, graph.edges, SamplingConfig(n_samples=120, seed=4, batch="b"))
    generator = OfflineGenerator(executor=python_env.PythonEnvExecutor(error_rate=0.0))
    plans = [r.plan for r in generator.plan_many(samples.to_dicts(), tools, 4) if r.plan is not None]
    dialogues = generator.generate_many(plans, tools, 4)
    planned = sum(1 for plan in plans for turn in plan.turns for call in turn.calls)
    ran_ok, classes = 0, set()
    for dialogue in dialogues:
        shown = {m["tool_call_id"]: json.loads(m["content"]) for m in dialogue.messages if m["role"] == "tool"}
        replayed = replay(dialogue.messages, dialogue.executions)
        for entry in dialogue.executions:
            assert shown[entry["tool_call_id"]] == replayed[entry["tool_call_id"]], (dialogue.dialogue_id, entry)
            ran_ok += entry["status"] == "ok"
            classes.add(entry["executor"])
    assert planned > 300 and classes == {"python:VehicleControlAPI", "python:TravelAPI"}
    assert ran_ok / planned >= 0.9, (ran_ok, planned)


def test_a_symbol_lookup_names_a_company_the_trading_class_knows(python_env) -> None:
    import bfcl_eval

    from toolflow_assets.execution.python_probe import call
    from toolflow_assets.execution.python_values import planned_values

    folder = Path(bfcl_eval.__file__).parent / "data" / "multi_turn_func_doc"
    tool = next(t for t in ingest_sources([str(folder / "trading_bot.json")], display_root=folder).tools
                if t.name == "get_symbol_by_name")
    trading = python_env.environment_class(python_env.BY_CLASS["TradingBot"])
    rng = random.Random(2)
    names = {planned_values(tool, {}, [], rng)["name"] for _ in range(40)}
    # before, the planner named companies the class's fixed map does not hold: "Stock not found", then an error
    assert len(names) >= 8 and all(call(trading, "get_symbol_by_name", name=n)["symbol"] != "Stock not found"
                                   for n in names)
