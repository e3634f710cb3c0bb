"""A folder listing's name feeds the next command (graph.listing_links), one name into one parameter of a call."""

from __future__ import annotations

import json
from pathlib import Path

from toolflow_assets.planning.offline_planner import CatalogIndex, OfflinePlanner, sample_view
from toolflow_assets.ingestion.ingest import ingest_sources

FILE_SYSTEM = Path(__file__).resolve().parents[2] / "toolflow_assets/data/corpus/bfcl/multi_turn_func_doc/gorilla_file_system.json"
TOOLS = {tool.name: tool for tool in ingest_sources([str(FILE_SYSTEM)]).tools}
LISTED = "current_directory_content[]"


def test_a_listed_name_is_read_into_the_command_and_never_into_both_files_of_a_diff():
    names = ["ls", "cat", "diff"]
    edges = [{"src": "ls", "dst": dst, "kind": "data_flow", "score": 0.8, "src_field": LISTED, "dst_field": field}
             for dst, field in (("cat", "file_name"), ("diff", "file_name1"), ("diff", "file_name2"))]
    row = {"sample_id": "fs-1", "strategy": "graph", "tool_ids": [TOOLS[n].tool_id for n in names], "tool_names": names,
           "edges": json.dumps(edges), "longest_chain": 2, "chain": ["ls", "cat"]}
    catalog = CatalogIndex({TOOLS[n].tool_id: TOOLS[n] for n in names})
    read_by: dict[str, int] = {}
    for seed in range(8):
        plan = OfflinePlanner().plan(sample_view({**row, "seed": seed}, catalog), 7)
        for turn in plan.turns:
            for call in turn.calls:
                reads = [name for name, source in call.arguments.items()
                         if source.kind == "tool_output" and source.field == LISTED]
                if call.tool == "diff":
                    assert len(reads) <= 1, call.arguments  # a diff of a file with itself compares nothing
                for name in reads:
                    read_by[f"{call.tool}.{name}"] = read_by.get(f"{call.tool}.{name}", 0) + 1
    assert read_by.get("cat.file_name") and any(key.startswith("diff.") for key in read_by), read_by


def test_the_user_names_the_listed_name_as_the_first_one_listed_not_as_the_listings_field():
    from toolflow_assets.execution.simulated import SimulatedExecutor
    from toolflow_assets.quality.conversation import is_chained
    from toolflow_assets.generation.offline import generate_dialogue
    from toolflow_assets.planning.models import ArgumentSource, DialoguePlan, PlannedCall, PlannedTurn

    catalog = CatalogIndex({TOOLS[n].tool_id: TOOLS[n] for n in ("ls", "cat")})
    said = []
    named = 0
    for seed in range(12):
        read = {"file_name": ArgumentSource(kind="tool_output", call_id="t1c1", field=LISTED)}
        plan = DialoguePlan(plan_id=f"fs-{seed}", sample_id="s", strategy="graph", tools=["ls", "cat"], turns=[
            PlannedTurn(intent="list", needs_tools=True, calls=[PlannedCall(call_id="t1c1", tool="ls")]),
            PlannedTurn(intent="read", needs_tools=True, calls=[PlannedCall(call_id="t2c1", tool="cat", arguments=read)])])
        dialogue = generate_dialogue(plan, catalog, seed, SimulatedExecutor(error_rate=0.0, empty_rate=0.0))
        messages = json.loads(dialogue.messages) if isinstance(dialogue.messages, str) else dialogue.messages
        users = [m["content"] for m in messages if m["role"] == "user"]
        listed = next(json.loads(m["content"])["current_directory_content"] for m in messages if m["role"] == "tool")
        read_name = next(json.loads(c["function"]["arguments"])["file_name"] for m in messages
                         for c in m.get("tool_calls") or [] if c["function"]["name"] == "cat")
        assert read_name == listed[0]  # the value cat gets is the first listed name
        said.append(" ".join(users))
        named += read_name in said[-1]
        # by its name, or as "the first one it listed", which the assistant reads off the listing
        assert read_name in said[-1] or ("first" in said[-1] and is_chained(messages)), said[-1]
    assert not any("current directory content" in text for text in said), said
    assert 0 < named < len(said), said  # sometimes by its name, sometimes only as "the first one it listed"



def test_a_listing_is_not_read_after_the_session_entered_another_folder():
    # ls lists the home folder; once `cd` entered another one, its names are not there for cat to read
    from toolflow_assets.planning.data_flow import FlowChooser
    from toolflow_assets.planning.draft_calls import DraftCall
    from toolflow_assets.planning.models import ArgumentSource
    from toolflow_assets.planning.samples import Flow, SampleView

    sample = SampleView(sample_id="s", strategy="graph", seed=1, tools=[TOOLS[n] for n in ("ls", "cd", "cat")],
                        flows=[Flow("ls", LISTED, "cat", "file_name", 0.8)])
    listing = DraftCall("c1", TOOLS["ls"], {})
    entered = DraftCall("c2", TOOLS["cd"], {"folder": ArgumentSource(kind="user", value="reports")})
    assert "file_name" in FlowChooser().fed_parameters(TOOLS["cat"], sample, [listing], {})
    assert "file_name" in FlowChooser().fed_parameters(TOOLS["cat"], sample, [entered, listing], {})
    assert "file_name" not in FlowChooser().fed_parameters(TOOLS["cat"], sample, [listing, entered], {})


def test_a_name_an_earlier_call_removed_is_not_read_again():
    from toolflow_assets.planning.data_flow import FlowChooser
    from toolflow_assets.planning.draft_calls import DraftCall
    from toolflow_assets.planning.models import ArgumentSource
    from toolflow_assets.planning.samples import Flow, SampleView

    sample = SampleView(sample_id="s", strategy="graph", seed=1, tools=[TOOLS[n] for n in ("ls", "rm", "mv", "wc")],
                        flows=[Flow("ls", LISTED, "wc", "file_name", 0.8)])
    listing = DraftCall("c1", TOOLS["ls"], {})
    read = ArgumentSource(kind="tool_output", call_id="c1", field=LISTED)
    removed = DraftCall("c2", TOOLS["rm"], {"file_name": read})
    kept = DraftCall("c2", TOOLS["cat"], {"file_name": read})
    assert "file_name" not in FlowChooser().fed_parameters(TOOLS["wc"], sample, [listing, removed], {})
    moved = DraftCall("c2", TOOLS["mv"], {"source": read, "destination": ArgumentSource(kind="user", value="archive")})
    assert "file_name" not in FlowChooser().fed_parameters(TOOLS["wc"], sample, [listing, moved], {})
    assert "file_name" in FlowChooser().fed_parameters(TOOLS["wc"], sample, [listing, kept], {})


def test_a_call_that_takes_its_thing_away_is_not_repeated_on_the_same_thing():
    import random

    from toolflow_assets.planning.argument_values import vary
    from toolflow_assets.planning.draft_calls import DraftCall
    from toolflow_assets.planning.models import ArgumentSource

    def user(value):
        return ArgumentSource(kind="user", value=value)

    moved = DraftCall("c1", TOOLS["mv"], {"source": user("plan.md"), "destination": user("reports")})
    copied = DraftCall("c1", TOOLS["cp"], {"source": user("plan.md"), "destination": user("reports")})
    removed = DraftCall("c1", TOOLS["rm"], {"file_name": user("plan.md")})
    for seed in range(8):
        assert vary(moved, "c2", random.Random(seed)) is None  # the second move would find nothing to move
        assert vary(copied, "c2", random.Random(seed)) is not None  # a copy leaves its source in place
        twin = vary(removed, "c2", random.Random(seed))
        assert twin is None or twin.arguments["file_name"].value != "plan.md"  # another file, never the same
