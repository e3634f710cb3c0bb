"""An object argument's fields set the thing's fields (`echo.nested_arguments`): `update_project(project_id,
project_data={"name": "Project Vanguard"})` renames the project. The simulated executor stamped only top-level
arguments, so the renamed project came back "Project Pioneer", and result_consistency, which compared only
top-level arguments, passed it (3 records of a whole-corpus run)."""

from __future__ import annotations

import json

from toolflow_assets.execution import SimulatedExecutor
from toolflow_assets.execution.echo import nested_arguments
from toolflow_assets.quality.semantic import check_result_consistency
from toolflow_assets.tools import Tool

STRING = {"type": "string"}
PROJECT = {"type": "object", "required": ["project_id", "name"],
           "properties": {"project_id": STRING, "name": STRING, "end_date": STRING}}
CREATE = Tool(tool_id="create_project", name="create_project", description="Create a new project.",
              source="t", source_format="openai", category="",
              parameters={"type": "object", "properties": {"name": STRING, "end_date": STRING}}, returns=PROJECT)
UPDATE = Tool(tool_id="update_project", name="update_project", description="Update the details of a project.",
              source="t", source_format="openai", category="",
              parameters={"type": "object", "properties": {
                  "project_id": STRING, "project_data": {"type": "object", "properties": {"name": STRING}}}},
              returns=PROJECT)


def test_the_fields_of_an_object_argument_are_what_it_sets():
    assert nested_arguments({"project_id": "P-1", "project_data": {"name": "Vanguard", "tags": ["a"]}}) == {
        "name": "Vanguard"}
    # the top level has the last word, two objects that disagree set nothing, a status may be the call's
    assert nested_arguments({"name": "A", "data": {"name": "B"}}) == {}
    assert nested_arguments({"old": {"city": "Lyon"}, "new": {"city": "Oslo"}}) == {}
    assert nested_arguments({"project_data": {"status": "active"}}) == {}


def test_a_renamed_project_comes_back_with_its_new_name():
    for seed in range(20):
        session = SimulatedExecutor(error_rate=0.0, empty_rate=0.0).session(seed)
        made = session.execute("create_project", {"name": "Project Pioneer", "end_date": "2026-12-31"}, CREATE).result
        changed = session.execute("update_project", {"project_id": made["project_id"],
                                                     "project_data": {"name": "Project Vanguard"}}, UPDATE).result
        assert changed["name"] == "Project Vanguard", changed
        again = session.execute("update_project", {"project_id": made["project_id"], "project_data": {}}, UPDATE)
        assert again.result["name"] == "Project Vanguard", again.result  # it stays renamed


def test_the_check_flags_a_rename_that_did_not_happen():
    call = {"id": "c1", "type": "function", "function": {"name": "update_project", "arguments": json.dumps(
        {"project_id": "P-1", "project_data": {"name": "Project Vanguard"}})}}

    def dialogue(name: str) -> list[dict]:
        return [{"role": "user", "content": "Rename P-1 to Project Vanguard."},
                {"role": "assistant", "content": None, "tool_calls": [call]},
                {"role": "tool", "tool_call_id": "c1", "content": json.dumps({"project_id": "P-1", "name": name})},
                {"role": "assistant", "content": "Renamed."}]

    reasons = check_result_consistency(dialogue("Project Pioneer"))
    assert len(reasons) == 1 and "'name'" in reasons[0] and "Project Vanguard" in reasons[0]
    assert check_result_consistency(dialogue("Project Vanguard")) == []


def test_how_a_call_went_is_not_remembered_as_the_thing():
    # "Project closed." of a close came back as the message of the next update of the project
    returns = {"type": "object", "required": ["project_id", "message"],
               "properties": {"project_id": STRING, "name": STRING, "message": STRING}}
    close = Tool(tool_id="close_project", name="close_project", description="Close a project.", source="t",
                 source_format="openai", category="", parameters={"type": "object", "properties": {
                     "project_id": STRING}}, returns=returns)
    update = Tool(tool_id="update_project", name="update_project", description="Update the details of a project.",
                  source="t", source_format="openai", category="", parameters={"type": "object", "properties": {
                      "project_id": STRING, "description": STRING}}, returns=returns)
    repeated = 0
    for seed in range(20):
        session = SimulatedExecutor(error_rate=0.0, empty_rate=0.0).session(seed)
        closed = session.execute("close_project", {"project_id": "PRO-1"}, close).result
        updated = session.execute("update_project", {"project_id": "PRO-1", "description": "x"}, update).result
        repeated += updated["message"] == closed["message"]
    assert repeated == 0
