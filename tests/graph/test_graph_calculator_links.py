"""Calculator links: one calculation's result is the operand of the next, inside one API."""

from __future__ import annotations

import numpy as np

from resources.settings import BUNDLED_CORPUS
from toolflow_assets.graph.api_links import api_links
from toolflow_assets.graph.fields import flatten_tools
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.tools import Tool

MATH_API = BUNDLED_CORPUS / "bfcl" / "multi_turn_func_doc" / "math_api.json"
NUMBER = {"type": "number"}
RESULT = {"type": "object", "properties": {"result": NUMBER}}


def tool(name: str, properties: dict, returns: dict | None = RESULT, category: str = "math") -> Tool:
    return Tool(tool_id=name, name=name, description=f"{name} of numbers.",
                parameters={"type": "object", "properties": properties}, returns=returns,
                source=f"corpus/{category}.json", source_format="bfcl", category=category, original_name=name)


def links(tools: list[Tool]) -> set[tuple[str, str]]:
    """(producer.field, consumer.parameter) of every link `api_links` admits."""
    inputs, outputs = flatten_tools(tools)
    out_rows, in_rows, scores = api_links(tools, inputs, outputs, np.arange(len(tools)), 0.8)
    assert np.all(scores == np.float32(0.8))
    return {(f"{tools[outputs[o].tool_index].name}.{outputs[o].path}", f"{tools[inputs[i].tool_index].name}.{inputs[i].path}")
            for o, i in zip(out_rows.tolist(), in_rows.tolist())}


def test_the_math_api_results_feed_operands_and_never_precision_units_or_log_bases():
    tools = list(ingest_sources([str(MATH_API)]).tools)
    assert len(tools) == 17
    found = links(tools)
    consumers = {consumer for _, consumer in found}
    assert {"round_number.number", "multiply.a", "subtract.b", "divide.b", "square_root.number",
            "logarithm.value", "power.base", "percentage.part", "percentage.whole",
            "si_unit_conversion.value", "absolute_value.number"} <= consumers
    assert ("mean.result", "round_number.number") in found
    assert ("subtract.result", "multiply.a") in found
    # how to show an answer, a unit, an exponent or a logarithm's base is no computed operand
    assert not consumers & {"round_number.decimal_places", "square_root.precision", "logarithm.precision",
                            "logarithm.base", "power.exponent", "si_unit_conversion.unit_in"}
    # a list of numbers takes no single result, and nothing feeds itself
    assert not any(c.endswith(".numbers") for c in consumers)
    assert not any(p.split(".")[0] == c.split(".")[0] for p, c in found)


def test_only_declared_numeric_results_of_one_api_link():
    add = tool("add", {"a": NUMBER, "b": NUMBER})
    scale = tool("scale", {"x": NUMBER, "factor": NUMBER})
    guessed = tool("add_guessed", {"a": NUMBER}, returns=None)  # an inferred output is no answer to compute with
    texty = tool("describe", {"number": NUMBER}, {"type": "object", "properties": {"result": {"type": "string"}}})
    other_api = tool("times", {"a": NUMBER, "b": NUMBER}, category="other")
    two_fields = tool("divmod", {"a": NUMBER, "b": NUMBER},
                      {"type": "object", "properties": {"result": NUMBER, "remainder": NUMBER}})
    found = links([add, scale, guessed, texty, other_api, two_fields])
    assert found == {("add.result", "scale.x"), ("add.result", "scale.factor"),
                     ("scale.result", "add.a"), ("scale.result", "add.b")}
