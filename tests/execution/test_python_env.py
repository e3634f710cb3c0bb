"""The `python` executor on bfcl-eval's real environment classes (no mocks): state made for the plan,
state kept across a dialogue's calls and never across dialogues, every result equal to a replay from the
recorded initial state, and at least 90% of the planned calls of a batch on BFCL's multi-turn tools run
without an environment error."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from toolflow_assets.execution.protocol import begin_dialogue
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.planning.models import DialoguePlan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
from ci_parts import import_part  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BFCL_DOCS = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"
INSTALL = "bfcl-eval is not installed: .venv/bin/pip install --no-deps bfcl-eval==2026.3.23 mpmath"


def replay(messages, executions):
    from toolflow_assets.execution.python_replay import replay as run  # after the fixture checked bfcl-eval

    return run(messages, executions)


@pytest.fixture(scope="module")
def python_env():
    import_part("bfcl_eval.eval_checker.multi_turn_eval.func_source_code.gorilla_file_system", INSTALL)
    import_part("mpmath", INSTALL)
    from toolflow_assets.execution import python_env

    return python_env


@pytest.fixture(scope="module")
def tools() -> dict[str, Any]:
    return {tool.name: tool for tool in ingest_sources([str(BFCL_DOCS)], display_root=BFCL_DOCS).tools}


@dataclass(frozen=True)
class Read:
    call: int
    field: str


def plan_of(calls: list[tuple[str, dict[str, Any]]]) -> DialoguePlan:
    """A two-turn plan (the first call, then the rest) whose calls take the user's values: what the executor
    sees before the dialogue."""
    ids = [f"t{1 if i == 0 else 2}c{i + 1}" for i in range(len(calls))]

    def source(value: Any) -> dict[str, Any]:  # Read(i, field): the output field of call i
        if isinstance(value, Read):
            return {"kind": "tool_output", "call_id": ids[value.call], "field": value.field}
        return {"kind": "user", "value": value}

    planned = [{"call_id": ids[i], "tool": name, "arguments": {k: source(v) for k, v in arguments.items()}}
               for i, (name, arguments) in enumerate(calls)]
    return DialoguePlan.model_validate({
        "plan_id": "p", "sample_id": "s", "strategy": "graph", "scenario": "test",
        "tools": sorted({name for name, _ in calls}),
        "turns": [{"intent": "start", "needs_tools": True, "calls": planned[:1]},
                  {"intent": "go on", "needs_tools": True, "calls": planned[1:]}]})


def run_plan(python_env, tools, calls, seed: int = 11):
    """The session's outcomes for `calls`, the plan shown to it first, as the offline generator does (a
    `Read` argument takes the field of the earlier result)."""
    from toolflow_assets.values.flow import read_output

    session = python_env.PythonEnvExecutor(error_rate=0.0).session(seed)
    begin_dialogue(session, plan_of(calls), tools)
    outcomes = []
    for name, arguments in calls:
        filled = {k: read_output(outcomes[v.call].result, tools[calls[v.call][0]], v.field)[1]
                  if isinstance(v, Read) else v for k, v in arguments.items()}
        outcomes.append(session.execute(name, filled, tools[name]))
    return outcomes


def state_of(outcomes, environment: str) -> dict[str, Any]:
    return next(o.details["initial_state"] for o in outcomes if o.details and "initial_state" in o.details
                and o.details["environment"].endswith(environment))


def test_a_file_made_early_is_read_later_and_the_plan_finds_its_files(python_env, tools) -> None:
    calls = [("cd", {"folder": "quarterly"}), ("cat", {"file_name": "budget.csv"}),
             ("mkdir", {"dir_name": "q3_review"}), ("cd", {"folder": "q3_review"}),
             ("touch", {"file_name": "summary.md"}), ("echo", {"content": "Revenue up 4%", "file_name": "summary.md"}),
             ("cat", {"file_name": "summary.md"}), ("grep", {"file_name": "summary.md", "pattern": "Revenue"})]
    outcomes = run_plan(python_env, tools, calls)
    assert [o.status for o in outcomes] == ["ok"] * len(calls), [o.result for o in outcomes]
    assert outcomes[6].result == {"file_content": "Revenue up 4%"}  # written by an earlier call, read by a later one
    assert outcomes[7].result == {"matching_lines": ["Revenue up 4%"]}
    home = next(iter(state_of(outcomes, "GorillaFileSystem")["root"].values()))["contents"]
    # the folder and file the plan reads were put in the initial state; what the dialogue makes was not
    assert home["quarterly"]["contents"]["budget.csv"]["type"] == "file"
    assert "q3_review" not in home and outcomes[0].executor == "python:GorillaFileSystem"


def test_a_tweet_posted_and_a_contact_added_are_found_by_later_calls(python_env, tools) -> None:
    calls = [("authenticate_twitter", {"username": "rgreer", "password": "KxyBp2k2mZ25"}),
             ("post_tweet", {"content": "Launch day for the new espresso blend"}),
             ("search_tweets", {"keyword": "espresso blend"}), ("get_tweet", {"tweet_id": 4711}),
             ("add_contact", {"user_name": "Julie Sanchez"}), ("get_user_id", {"user": "Julie Sanchez"})]
    outcomes = run_plan(python_env, tools, calls)
    signed_in, posted, found, old, added, looked_up = (o.result for o in outcomes)
    assert signed_in == {"authentication_status": True}  # the plan's account is the state's
    assert posted["username"] == "rgreer" and posted["content"] == "Launch day for the new espresso blend"
    assert posted["id"] in [t["id"] for t in found["matching_tweets"]]  # the documented field holds the list
    assert old["id"] == 4711  # an id the plan names exists
    assert looked_up == {"user_id": added["user_id"]}


def test_values_read_from_earlier_results_are_followed_when_the_state_is_made(python_env, tools) -> None:
    # the receiver id exists only once get_user_id answers: the state still holds a message to delete for it
    calls = [("get_user_id", {"user": "Priya Raman"}), ("delete_message", {"receiver_id": Read(0, "user_id")})]
    looked_up, deleted = run_plan(python_env, tools, calls)
    assert deleted.status == "ok" and deleted.result["receiver_id"] == looked_up.result["user_id"]


def test_portfolios_and_ticket_queues_from_bfcl_evals_own_docs(python_env) -> None:
    import bfcl_eval

    folder = Path(bfcl_eval.__file__).parent / "data" / "multi_turn_func_doc"  # the package's docs (not bundled)
    tools = {t.name: t for t in ingest_sources([str(folder / "trading_bot.json"), str(folder / "ticket_api.json")],
                                               display_root=folder).tools}
    calls = [("get_stock_info", {"symbol": "NVDA"}),
             ("place_order", {"order_type": "Buy", "symbol": "NVDA", "price": 850.0, "amount": 400}),
             ("get_order_details", {"order_id": Read(1, "order_id")}),
             ("cancel_order", {"order_id": Read(1, "order_id")}),
             ("create_ticket", {"title": "Card declined", "priority": 3}), ("close_ticket", {"ticket_id": 77})]
    outcomes = run_plan(python_env, tools, calls)
    assert [o.status for o in outcomes] == ["ok"] * len(calls), [o.result for o in outcomes]
    quote, order, details, cancelled, ticket, closed = (o.result for o in outcomes)
    assert details["symbol"] == "NVDA" and details["id"] == order["order_id"] and cancelled["status"] == "Cancelled"
    assert state_of(outcomes, "TradingBot")["account_info"]["balance"] >= 850.0 * 400  # funded for the plan's buy
    assert any(t["id"] == 77 for t in state_of(outcomes, "TicketAPI")["ticket_queue"]) and ticket["priority"] == 3


def test_state_never_crosses_dialogues_and_follows_the_seed(python_env, tools) -> None:
    session = python_env.PythonEnvExecutor(error_rate=0.0).session(1)
    posted = session.execute("post_tweet", {"content": "first"}, tools["post_tweet"]).result
    session.execute("mention", {"tweet_id": posted["id"], "mentioned_usernames": ["@ann"]}, tools["mention"])
    later = python_env.PythonEnvExecutor(error_rate=0.0).session(1).execute("post_tweet", {"content": "x"}, tools["post_tweet"])
    # the class's `mentions=[]` default is one list for every instance: each call gets a fresh copy, so a
    # mention in one dialogue never shows up in another's new tweet
    assert later.status == "ok" and later.result["mentions"] == [] and later.result["id"] == posted["id"]
    calls = [("ls", {}), ("cat", {"file_name": "notes.txt"})]
    assert state_of(run_plan(python_env, tools, calls, seed=5), "FileSystem") == \
        state_of(run_plan(python_env, tools, calls, seed=5), "FileSystem")
    trees = {json.dumps(state_of(run_plan(python_env, tools, calls, seed=s), "FileSystem"), sort_keys=True)
             for s in range(8)}
    assert len(trees) == 8  # varied: each seed its own tree


def test_tools_without_an_environment_are_simulated_and_say_so(python_env, tools) -> None:
    session = python_env.PythonEnvExecutor(error_rate=0.0).session(3)
    tool = tools["search_engine_query"]  # web search needs the network: no environment here
    outcome = session.execute(tool.name, {"keyword": "tide tables"}, tool)
    assert outcome.executor == "simulated" and "no Python environment" in outcome.details["fallback"]
    assert python_env.environment_of(tools["core_memory_add"]) is None  # memory_kv needs packages not installed


def test_generated_bfcl_dialogues_run_their_planned_calls_and_replay_identically(python_env, tools) -> None:
    from toolflow_assets.generation.offline import OfflineGenerator
    from toolflow_assets.graph.build import GraphConfig, build_tool_graph
    from toolflow_assets.graph.embeddings import make_embedder
    from toolflow_assets.sampling.sample import SamplingConfig, sample_subgraphs

    graph = build_tool_graph(list(tools.values()), make_embedder("offline"), GraphConfig())
    samples = sample_subgraphs(graph.nodes, graph.edges, SamplingConfig(n_samples=150, seed=4, batch="b"))
    executor = python_env.PythonEnvExecutor(error_rate=0.0)
    generator = OfflineGenerator(executor=executor)
    plans = [r.plan for r in generator.plan_many(samples.to_dicts(), tools, 4) if r.plan is not None]
    dialogues = generator.generate_many(plans, tools, 4)
    planned = sum(1 for plan in plans for turn in plan.turns for call in turn.calls
                  if python_env.environment_of(tools[call.tool]) is not None)
    ran_ok = 0
    environments = set()
    for dialogue in dialogues:
        shown = {m["tool_call_id"]: json.loads(m["content"]) for m in dialogue.messages if m["role"] == "tool"}
        replayed = replay(dialogue.messages, dialogue.executions)
        ran = [e for e in dialogue.executions if e.get("environment")]
        assert set(replayed) == {e["tool_call_id"] for e in ran}
        for entry in ran:
            assert shown[entry["tool_call_id"]] == replayed[entry["tool_call_id"]], (dialogue.dialogue_id, entry)
            ran_ok += entry["status"] == "ok"
            environments.add(entry["executor"])
    assert planned > 200 and environments >= {"python:GorillaFileSystem", "python:MessageAPI", "python:TwitterAPI",
                                              "python:MathAPI"}
    assert ran_ok / planned >= 0.9, (ran_ok, planned)
    assert executor.counts.executed >= ran_ok and executor.counts.fallback > 0


def test_the_flag_and_the_environment_choose_the_python_executor(python_env, monkeypatch, tmp_path) -> None:
    from resources.llm import LLMResource
    from toolflow_assets.cli import build_parser
    from toolflow_assets.execution.choice import make_executor

    assert build_parser().parse_args(["run", "--executor", "python"]).executor == "python"
    assert isinstance(make_executor("python"), python_env.PythonEnvExecutor)
    monkeypatch.setenv("TOOLFLOW_EXECUTOR", "python")
    generator = LLMResource().get_generator(str(tmp_path), sources=[str(BFCL_DOCS)])
    assert isinstance(generator.executor, python_env.PythonEnvExecutor)


def test_replay_runs_on_the_recorded_state_and_refuses_a_record_without_one(python_env, tools) -> None:
    calls = [("ls", {}), ("cat", {"file_name": "todo.txt"})]
    outcomes = run_plan(python_env, tools, calls)
    messages = [{"role": "assistant", "tool_calls": [
        {"id": f"c{i}", "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}
        for i, (name, args) in enumerate(calls)]}]
    executions = [o.provenance(f"c{i}", name) for i, ((name, _), o) in enumerate(zip(calls, outcomes))]
    assert replay(messages, executions) == {"c0": outcomes[0].result, "c1": outcomes[1].result}
    home = next(iter(executions[0]["initial_state"]["root"].values()))["contents"]
    home["todo.txt"]["content"] = "changed"  # the replay reads the record, not a state made again
    assert replay(messages, executions)["c1"] == {"file_content": "changed"}
    del executions[0]["initial_state"]
    with pytest.raises(ValueError, match="records no initial_state"):
        replay(messages, executions)


def test_a_sent_message_follows_its_doc_and_passes_the_checks_a_reader_makes(python_env, tools) -> None:
    # MessageAPI answers send_message with a status text in `message` and the id as {"new_id": N}: the id is
    # put in the field the doc declares (an integer), the status text is what the doc says it is
    from toolflow_assets.quality.checks import check_tool_responses
    from toolflow_assets.quality.semantic import check_result_consistency

    calls = [("get_user_id", {"user": "Priya Raman"}),
             ("send_message", {"receiver_id": Read(0, "user_id"), "message": "Lunch at noon?"})]
    looked_up, sent = run_plan(python_env, tools, calls)
    assert sent.status == "ok" and isinstance(sent.result["message_id"], int), sent.result
    assert sent.details["unwrapped"] == ["message_id"] and sent.result["message"] != "Lunch at noon?"
    arguments = {"receiver_id": looked_up.result["user_id"], "message": "Lunch at noon?"}
    messages = [{"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
        "name": "send_message", "arguments": json.dumps(arguments)}}]},
                {"role": "tool", "tool_call_id": "c1", "content": json.dumps(sent.result)}]
    returns = {"send_message": tools["send_message"].returns}
    assert check_result_consistency(messages, returns) == [] and check_tool_responses(messages, returns) == []
    replayed = replay(messages, [{**sent.provenance("c1", "send_message"),
                                             "initial_state": state_of([looked_up, sent], "MessageAPI")}])
    assert replayed == {"c1": sent.result}  # the replay shapes the result the same way


def test_auto_executes_a_dialogue_whose_tools_all_have_an_environment_and_simulates_a_mixed_one(python_env,
                                                                                                tools) -> None:
    from toolflow_assets.execution.auto import AutoExecutor
    from toolflow_assets.execution.choice import make_executor

    executor = make_executor("auto")
    assert isinstance(executor, AutoExecutor)

    def run(calls):
        session = executor.session(7)
        begin_dialogue(session, plan_of(calls), tools)
        return [session.execute(name, arguments, tools[name]) for name, arguments in calls]

    executed = run([("cd", {"folder": "reports"}), ("cat", {"file_name": "q3.txt"})])
    # the plan's folder and file were put in the environment's state: a real, successful read
    assert [o.executor for o in executed] == ["python:GorillaFileSystem"] * 2 and executed[1].status == "ok"
    assert executed[0].details["initial_state"]
    mixed = run([("search_engine_query", {"keyword": "tide tables"}), ("cat", {"file_name": "q3.txt"})])
    # web search has no environment here: the whole dialogue is simulated, not one call of it
    assert [o.executor for o in mixed] == ["simulated", "simulated"] and not any(o.details for o in mixed)
    counts = executor.counts.as_dict()
    assert (counts["executed_dialogues"], counts["simulated_dialogues"]) == (1, 1)
    assert counts["by_environment"] == {"GorillaFileSystem": 2} and counts["fallback"] == 0


def test_high_precision_math_is_a_json_number_and_its_precision_stays_in_the_call(python_env, tools) -> None:
    import decimal

    import mpmath

    from toolflow_assets.quality.checks import check_tool_responses

    before = (decimal.getcontext().prec, mpmath.mp.dps)
    root, log = run_plan(python_env, tools, [("square_root", {"number": 3.96, "precision": 5}),
                                             ("logarithm", {"value": 25.3, "base": 10, "precision": 40})])
    # the classes return a Decimal and an mpf (once shown as their 40-digit text, against the docs' float)
    assert root.result == {"result": 1.99} and abs(log.result["result"] - 1.4031205211758) < 1e-12
    assert (decimal.getcontext().prec, mpmath.mp.dps) == before  # the dialogue's precision did not leak
    messages = [{"role": "assistant", "content": None, "tool_calls": [
        {"id": f"c{i}", "type": "function", "function": {"name": name, "arguments": "{}"}}
        for i, name in enumerate(("square_root", "logarithm"))]},
        *({"role": "tool", "tool_call_id": f"c{i}", "content": json.dumps(o.result)} for i, o in enumerate((root, log)))]
    returns = {name: tools[name].returns for name in ("square_root", "logarithm")}
    assert check_tool_responses(messages, returns) == []


def test_math_results_carry_no_binary_noise_and_state_the_precision_asked(python_env, tools) -> None:
    difference, noise, cancelled, root = run_plan(python_env, tools, [
        ("subtract", {"a": 56.21, "b": 81.99}), ("add", {"a": 0.1, "b": 0.2}), ("subtract", {"a": 144, "b": 139.39}),
        ("square_root", {"number": 8, "precision": 4})])
    # in binary -25.779999999999994, 0.30000000000000004, 4.6100000000000136; the Decimal root is 2.828 at 4 digits
    assert [r.result["result"] for r in (difference, noise, cancelled, root)] == [-25.78, 0.3, 4.61, 2.828]


def test_a_result_asked_at_a_high_precision_keeps_every_digit_a_json_number_holds(python_env, tools) -> None:
    import math

    root, log, quotient = run_plan(python_env, tools, [
        ("square_root", {"number": 2, "precision": 40}), ("logarithm", {"value": 25.3, "base": 10, "precision": 40}),
        ("divide", {"a": 10, "b": 4})])
    # BFCL's Decimal and mpf at 40 digits, as the nearest double: no noise to cut, 13 digits were too few
    assert root.result == {"result": math.sqrt(2)} and root.result["result"] != 1.414213562373
    assert log.result == {"result": math.log10(25.3)}
    assert quotient.result == {"result": 2.5}


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_a_name_read_from_a_listing_is_an_item_of_the_kind_its_command_takes(python_env, tools, seed) -> None:
    # the base state lists folders first: `cat` and `grep` of the listing's first name read a file, `cd` and
    # `rmdir` a folder, and the grep finds its pattern in the listed file
    listed = Read(0, "current_directory_content[]")
    for command, arguments in (("cat", {"file_name": listed}), ("grep", {"file_name": listed, "pattern": "invoice"}),
                               ("diff", {"file_name1": listed, "file_name2": "notes.md"}),
                               ("cd", {"folder": listed}), ("rmdir", {"dir_name": listed})):
        listing, used = run_plan(python_env, tools, [("ls", {}), (command, arguments)], seed=seed)
        names = listing.result["current_directory_content"]
        assert used.status == "ok", (command, names, used.result)
        if command == "grep":
            assert used.result["matching_lines"] and all("invoice" in line for line in used.result["matching_lines"])
        if command == "cd":
            assert used.result["current_working_directory"].endswith(names[0])


def test_a_failure_outside_the_call_is_injected_without_calling_the_class(python_env, tools) -> None:
    # about a tenth of sessions fail one call no later call reads, as the simulated executor's do; the class
    # never sees it, so the retry runs on the state the plan built and replay leaves the failure out
    failed = 0
    for seed in range(60):
        session = python_env.PythonEnvExecutor().session(seed)
        first = session.execute("ls", {}, tools["ls"])
        if first.status == "error":
            failed += 1
            assert first.result["error"]["retryable"] and "environment" not in first.details, first
            assert "GorillaFileSystem" not in session.instances  # the class was never built, let alone called
            again = session.execute("ls", {}, tools["ls"])
            assert again.status == "ok" and again.details["environment"].endswith("GorillaFileSystem")
        needed = python_env.PythonEnvExecutor().session(seed).execute("ls", {}, tools["ls"], {"x": []})
        assert needed.status == "ok"  # a call whose output a later call reads never fails
        # nor one that changes the state the calls after it stand on (a failed cd leaves them in the wrong folder)
        made = python_env.PythonEnvExecutor().session(seed).execute("mkdir", {"dir_name": "reports"}, tools["mkdir"])
        assert "injected" not in made.details and made.details["environment"].endswith("GorillaFileSystem"), made
    assert 3 <= failed <= 15, failed
