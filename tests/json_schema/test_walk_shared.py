"""The graph, the planner and the executors read the same fields of a schema.

The graph's field walk read `properties` only, while the planner and the executors (`schema_at`) fold
`allOf` parts in: a field declared in an `allOf` part (OpenAPI's way of composing objects) could fill an
argument in a plan but was never a graph field, so no edge could lead to it.
"""

from __future__ import annotations

from toolflow_assets.values.flow import output_schema, parameter_schema
from toolflow_assets.graph.fields import declared_output_fields, input_fields
from toolflow_assets.tools import Tool

BASE = {"type": "object", "properties": {"id": {"type": "string", "description": "The order id"}}}
PARAMETERS = {"type": "object", "allOf": [BASE, {"properties": {"address": {"type": "object", "allOf": [
    {"properties": {"city": {"type": "string"}}}]}}}]}
RETURNS = {"type": "array", "items": {"allOf": [BASE, {"properties": {"total": {"type": "number"}}}]}}


def _tool() -> Tool:
    return Tool(tool_id="t", name="ship_order", description="Ship an order.", parameters=PARAMETERS,
                returns=RETURNS, source="s", source_format="openai", category="c")


def test_fields_in_allof_parts_are_graph_fields_the_planner_can_read() -> None:
    tool = _tool()
    inputs = {f.path: f.type for f in input_fields(tool, 0)}
    assert inputs == {"address": "object", "address.city": "string", "id": "string"}
    assert all(parameter_schema(tool, path) is not None for path in inputs)
    outputs = {f.path: f.type for f in declared_output_fields(tool, 0)}
    assert outputs == {"result": "array", "result[].id": "string", "result[].total": "number"}
    assert all(output_schema(tool, path)[1] is not None for path in outputs)
