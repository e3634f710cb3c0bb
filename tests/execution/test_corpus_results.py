"""Tool results of the offline run over the frozen slice of the bundled corpus (tests/fixtures/generation:
its tools and 200 samples): no result contradicts its call, typed fields hold typed values, no invented
adjective-noun placeholders anywhere, every tool message's producer recorded, errors at the set rate."""

from __future__ import annotations

import json
import re
import zoneinfo
from typing import Any, Iterator

import pytest

from toolflow_assets.execution import SimulatedExecutor, is_error_result
from toolflow_assets.generation.offline import OfflineGenerator
from toolflow_assets.values import name_tokens

SEED = 7
# the old generator's placeholder vocabulary (values/lexicons.py ADJECTIVES × NOUNS): "calm river"
PLACEHOLDER = re.compile(r"\b(quick|quiet|bright|steady|fresh|clever|gentle|bold|calm|vivid) "
                         r"(river|harbor|meadow|signal|lantern|summit|orchard|canyon|beacon|forest)\b", re.I)


@pytest.fixture(scope="module")
def run(catalog, samples):
    generator = OfflineGenerator()
    plans = [r.plan for r in generator.plan_many(samples, catalog, SEED) if r.plan is not None]
    return plans, generator.generate_many(plans, catalog, SEED)


def calls_and_results(dialogue) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(tool name, arguments, parsed result) of every answered call."""
    arguments = {c["id"]: (c["function"]["name"], json.loads(c["function"]["arguments"]))
                 for m in dialogue.messages if m["role"] == "assistant" for c in m.get("tool_calls") or []}
    for message in dialogue.messages:
        if message["role"] == "tool":
            name, args = arguments[message["tool_call_id"]]
            yield name, args, json.loads(message["content"])


def key(name: Any) -> str:
    return "".join(name_tokens(str(name)))


def same(argument: Any, field: Any) -> bool:
    if isinstance(argument, (int, float)) and isinstance(field, (int, float)) and not isinstance(argument, bool):
        return float(argument) == float(field)
    if isinstance(argument, (int, float)) and isinstance(field, str) or isinstance(field, (int, float)) and isinstance(argument, str):
        return str(argument) == str(field) or (str(field).replace(".0", "") == str(argument).replace(".0", ""))
    return argument == field


def named_fields(value: Any, in_list: bool = False, depth: int = 0) -> Iterator[tuple[str, Any, bool]]:
    """(field name, value, inside a list of records) for every field of every object in a result."""
    if depth > 8:
        return
    if isinstance(value, dict):
        for name, item in value.items():
            yield name, item, in_list
            yield from named_fields(item, in_list, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from named_fields(item, True, depth + 1)


def test_every_dialogue_is_generated(run):
    plans, dialogues = run
    assert len(dialogues) == 200
    assert [d.error for d in dialogues if d.status != "ok"] == []


def test_no_result_field_contradicts_the_argument_of_the_same_name(run):
    _, dialogues = run
    contradictions, compared = [], 0
    for dialogue in dialogues:
        for name, args, result in calls_and_results(dialogue):
            if is_error_result(result):
                continue
            by_key = {key(k): v for k, v in args.items() if not isinstance(v, dict)}
            for field, value, in_list in named_fields(result):
                if key(field) not in by_key or (in_list and key(field) == "id"):  # a bare id names the parent
                    continue
                compared += 1
                if not same(by_key[key(field)], value):
                    contradictions.append((name, field, by_key[key(field)], value))
    assert compared > 100  # the rule is exercised, not vacuous
    assert contradictions == []


def test_no_adjective_noun_placeholders_in_arguments_results_or_text(run):
    _, dialogues = run
    found = [(d.dialogue_id, m["content"]) for d in dialogues for m in d.messages
             if isinstance(m.get("content"), str) and PLACEHOLDER.search(m["content"])]
    found += [(d.dialogue_id, c["function"]["arguments"]) for d in dialogues for m in d.messages
              for c in m.get("tool_calls") or [] if PLACEHOLDER.search(c["function"]["arguments"])]
    assert found == []


def test_typed_fields_hold_values_of_their_type(run):
    _, dialogues = run
    zones = zoneinfo.available_timezones()
    checked = {"timezone": 0, "email": 0, "currency": 0}
    for dialogue in dialogues:
        for _, args, result in calls_and_results(dialogue):
            fields = [*args.items(), *[(n, v) for n, v, _ in named_fields(result)]]
            for name, value in fields:
                tokens = name_tokens(name)
                if not isinstance(value, str) or not tokens:
                    continue
                if tokens[-1] in ("timezone", "tz") or tokens[-2:] == ("time", "zone"):
                    checked["timezone"] += 1
                    assert value in zones or value.upper() == "UTC" or not re.fullmatch(r"[A-Za-z ]+", value), value
                if tokens[-1] in ("email", "mail") or tokens[-2:] == ("email", "address"):
                    checked["email"] += 1
                    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", value), value
                if tokens[-1] == "currency":
                    checked["currency"] += 1
                    assert re.fullmatch(r"[A-Z]{3}", value) or not value.isalpha(), value
    assert checked["timezone"] and checked["currency"], checked  # (this slice has no email fields)


def test_every_tool_message_records_its_executor_and_status(run):
    _, dialogues = run
    for dialogue in dialogues:
        answered = [m for m in dialogue.messages if m["role"] == "tool"]
        assert [e["tool_call_id"] for e in dialogue.executions] == [m["tool_call_id"] for m in answered]
        for entry, message in zip(dialogue.executions, answered):
            assert entry["executor"] == "simulated" and entry["name"] == message["name"]
            assert (entry["status"] == "error") == is_error_result(json.loads(message["content"]))


def test_about_one_dialogue_in_ten_gets_a_tool_error(run):
    _, dialogues = run
    with_error = sum(any(e["status"] == "error" for e in d.executions) for d in dialogues) / len(dialogues)
    assert 0.05 <= with_error <= 0.2, with_error


def test_without_errors_configured_there_are_none(catalog, samples, run):
    """Only a lookup of a thing deleted earlier in the dialogue may fail then (its 404 is the truth)."""
    plans, _ = run
    quiet = OfflineGenerator(executor=SimulatedExecutor(error_rate=0.0, empty_rate=0.0))
    dialogues = quiet.generate_many(plans, catalog, SEED)
    failed = [json.loads(m["content"]) for d in dialogues for e, m in
              zip(d.executions, [m for m in d.messages if m["role"] == "tool"]) if e["status"] != "ok"]
    assert all(f["error"]["type"] == "not_found" and "deleted" in f["error"]["message"] for f in failed), failed


def test_the_same_seed_gives_the_same_results(catalog, run):
    plans, dialogues = run
    again = OfflineGenerator().generate_many(plans[:40], catalog, SEED)
    assert [d.messages for d in again] == [d.messages for d in dialogues[:40]]
    assert [d.executions for d in again] == [d.executions for d in dialogues[:40]]


def test_the_quality_stage_finds_no_contradiction_either(run):
    semantic = pytest.importorskip("toolflow_assets.quality.semantic")
    _, dialogues = run
    reasons = [r for d in dialogues for r in semantic.check_result_consistency(d.messages)]
    assert reasons == []


def test_computable_tools_answer_with_the_computed_value(catalog, run):
    from toolflow_assets.execution.compute import computed

    _, dialogues = run
    answered = 0
    for dialogue in dialogues:
        for name, args, result in calls_and_results(dialogue):
            answer = computed(catalog[name], args)
            if answer is None or is_error_result(result) or not isinstance(result, dict):
                continue
            holders = {k: v for k, v in result.items() if answer.fits_field(k) and key(k) not in map(key, args)}
            answered += bool(holders)
            assert all(v == pytest.approx(answer.value, abs=0.01) for v in holders.values()), (name, args, result)
    assert answered >= 3  # the bundled slice has shape, profit and margin tools
