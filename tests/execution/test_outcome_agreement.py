"""A result says one thing about its outcome: a text reporting the outcome and a yes/no outcome field agree
with each other and with the call's status (execution/echo.py `outcome_disagreement`, the rule the simulated
executor sets them by and the writer reads them by)."""

from __future__ import annotations

import pytest

from toolflow_assets.execution import SimulatedExecutor, is_error_result
from toolflow_assets.execution.echo import outcome_disagreement, outcome_flag, verdict
from toolflow_assets.tools import Tool

# BFCL's MessageAPI.send_message as its doc declares it (multi_turn_func_doc/message_api.json)
SEND_RETURNS = {"type": "object", "properties": {
    "sent_status": {"type": "boolean", "description": "True if the message was sent successfully, False otherwise."},
    "message_id": {"type": "integer", "description": "ID of the sent message."},
    "message": {"type": "string", "description": "A message describing the result of the send attempt."}}}
SEND = Tool(tool_id="send_message", name="send_message", description="Send a message to a user.", source="test",
            source_format="bfcl", category="",
            parameters={"type": "object", "properties": {"receiver_id": {"type": "string"}, "message": {"type": "string"}},
                        "required": ["receiver_id", "message"]},
            returns=SEND_RETURNS)
ARGS = {"receiver_id": "USR002", "message": "See you at noon"}


def test_the_rule_reads_the_reported_disagreement() -> None:
    # what the simulated executor produced before: the writer told it as "the sent status came back as no"
    assert outcome_disagreement({"message": "Message sent successfully.", "sent_status": False}, SEND_RETURNS)
    assert outcome_disagreement({"message": "Sending failed.", "sent_status": True}, SEND_RETURNS)
    assert outcome_disagreement({"message": "Message sent successfully.", "sent_status": True}, SEND_RETURNS) is None
    assert outcome_disagreement({"message": "Sending failed.", "sent_status": False}, SEND_RETURNS) is None
    # a field that does not report the outcome ("Message to be sent") holds any text
    echoed = {"type": "object", "properties": {"message": {"type": "string", "description": "The text sent."}}}
    assert outcome_disagreement({"message": "the upload failed again", "sent_status": True}, echoed) is None
    assert outcome_flag("sent_status") and outcome_flag("success") and not outcome_flag("message_id")
    assert verdict("Upload failed") is False and verdict("Sent successfully.") is True and verdict("hello") is None


@pytest.mark.parametrize("error_rate", [0.0, 1.0])
def test_simulated_results_never_contradict_their_outcome(error_rate: float) -> None:
    executor = SimulatedExecutor(error_rate=error_rate, empty_rate=0.0)
    flags = set()
    for seed in range(60):
        outcome = executor.session(seed).execute("send_message", ARGS, SEND)
        if outcome.is_error:  # an injected failure is an error result: no success text, no outcome flag
            assert is_error_result(outcome.result) and "sent_status" not in outcome.result
            continue
        result = outcome.result
        assert outcome_disagreement(result, SEND_RETURNS) is None, result
        if "sent_status" in result:
            flags.add(result["sent_status"])
        if "message" in result:
            assert verdict(result["message"]) is True
    # without errors every result went through and says so; with error_rate 1 each session's first call failed
    assert flags == ({True} if error_rate == 0.0 else set())


def test_a_flag_named_like_an_argument_still_echoes_it() -> None:
    toggle = Tool(tool_id="set_task_status", name="set_task_status", description="Mark a task done or not done.",
                  source="test", source_format="test", category="",
                  parameters={"type": "object", "properties": {"task_id": {"type": "string"},
                                                               "status": {"type": "boolean"}}},
                  returns={"type": "object", "properties": {"task_id": {"type": "string"}, "status": {"type": "boolean"},
                                                            "success": {"type": "boolean"}},
                           "required": ["task_id", "status", "success"]})
    for seed in range(20):
        result = SimulatedExecutor(error_rate=0.0, empty_rate=0.0).session(seed).execute(
            "set_task_status", {"task_id": "T-1", "status": False}, toggle).result
        assert result["status"] is False and result["success"] is True
