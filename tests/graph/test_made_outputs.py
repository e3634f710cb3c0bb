"""A tool that sends or makes a thing answers with the new thing's id, not the thing: the graph infers no output
the call's result does not hold, so no later call chains from one (BFCL's `send_email` had an `email` output,
and a later call read a made-up address off a result that never returns one)."""

from __future__ import annotations

from pathlib import Path

from toolflow_assets.execution.simulated import SimulatedExecutor
from toolflow_assets.graph.fields import output_fields
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.tools import Tool

BFCL = Path(__file__).resolve().parents[2] / "toolflow_assets/data/corpus/bfcl"
FILES = ["BFCL_v4_multiple.json", "BFCL_v4_live_simple.json", "BFCL_v4_parallel.json", "BFCL_v4_simple_python.json"]


def _sent(tool: Tool) -> dict:
    """The simulated executor's result for a plain call (no later reader asks it for a field)."""
    properties = (tool.parameters or {}).get("properties") or {}
    arguments = {name: ("someone@example.com" if "address" in name or name in ("to", "cc", "cc_address")
                        else "Quarterly report") for name in properties}
    outcome = SimulatedExecutor(error_rate=0.0, empty_rate=0.0).session(3).execute(tool.name, arguments, tool)
    return outcome.result


def test_every_output_inferred_for_bfcls_send_email_is_a_field_its_result_holds() -> None:
    tools = [t for f in FILES for t in ingest_sources([str(BFCL / f)]).tools if t.name == "send_email"]
    assert len(tools) == len(FILES) and all(not t.returns for t in tools)  # no declared return: the outputs are inferred
    for index, tool in enumerate(tools):
        outputs = [field.path for field in output_fields(tool, index)]
        result = _sent(tool)
        assert "email" not in outputs, outputs
        assert outputs and all(path in result for path in outputs), (outputs, result)


def test_a_made_quantity_is_still_the_answer() -> None:
    number = Tool(tool_id="n", name="generate_random_number", description="Generate a random number.",
                  parameters={"type": "object", "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}}},
                  returns=None, source="t", source_format="bfcl", category="t")
    user = Tool(tool_id="u", name="create_user", description="Creates a new user account.",
                parameters={"type": "object", "properties": {"username": {"type": "string"}}},
                returns=None, source="t", source_format="bfcl", category="t")
    assert [f.path for f in output_fields(number, 0)] == ["number"]
    assert [f.path for f in output_fields(user, 1)] == ["user_id"]  # not the "user account" it makes
