"""A chained result feeds a Math API operand only inside the operand's domain (values.domains): a negative
difference is no logarithm's value, nor a square root's number; a zero is no divisor. A fresh value is drawn."""

from __future__ import annotations

from pathlib import Path

from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.planning.data_flow import FlowChooser
from toolflow_assets.planning.draft_calls import DraftCall
from toolflow_assets.planning.models import ArgumentSource
from toolflow_assets.planning.samples import Flow, SampleView

MATH = Path(__file__).resolve().parents[2] / "toolflow_assets/data/corpus/bfcl/multi_turn_func_doc/math_api.json"
TOOLS = {tool.name: tool for tool in ingest_sources([str(MATH)]).tools}


def _fed(consumer: str, parameter: str, a: float, b: float) -> bool:
    """Whether `subtract(a, b).result` is chosen to feed `consumer.parameter`."""
    sample = SampleView(sample_id="s", strategy="graph", seed=1, tools=[TOOLS["subtract"], TOOLS[consumer]],
                        flows=[Flow("subtract", "result", consumer, parameter, 0.9)])
    producer = DraftCall("c1", TOOLS["subtract"], {"a": ArgumentSource(kind="user", value=a),
                                                   "b": ArgumentSource(kind="user", value=b)})
    return parameter in FlowChooser().fed_parameters(TOOLS[consumer], sample, [producer], {})


def test_a_difference_feeds_a_logarithm_only_when_positive():
    assert _fed("logarithm", "value", 10, 3)  # 7
    assert not _fed("logarithm", "value", 3, 10)  # -7: BFCL's logarithm answers a complex number
    assert not _fed("logarithm", "value", 3, 3)  # 0


def test_a_difference_feeds_a_square_root_only_when_not_negative_and_a_divisor_only_when_not_zero():
    assert _fed("square_root", "number", 3, 3) and not _fed("square_root", "number", 2, 9.5)
    assert _fed("divide", "b", 5, 1) and not _fed("divide", "b", 4, 4)
    assert _fed("divide", "a", 4, 4)  # a zero numerator is a quotient of 0


def test_an_answer_read_from_an_earlier_result_is_not_chained_into_a_domain():
    # subtract's own `a` comes from another result: its sign is unknown when the plan is made
    sample = SampleView(sample_id="s", strategy="graph", seed=1, tools=[TOOLS["subtract"], TOOLS["logarithm"]],
                        flows=[Flow("subtract", "result", "logarithm", "value", 0.9),
                               Flow("subtract", "result", "multiply", "a", 0.9)])
    producer = DraftCall("c2", TOOLS["subtract"], {"a": ArgumentSource(kind="tool_output", call_id="c1", field="result"),
                                                   "b": ArgumentSource(kind="user", value=2.0)})
    assert "value" not in FlowChooser().fed_parameters(TOOLS["logarithm"], sample, [producer], {})
    assert "a" in FlowChooser().fed_parameters(TOOLS["multiply"], sample, [producer], {})  # any number will do
