"""Tools of live MCP servers: a source `mcp:PATH` names an `mcpServers` config file (toolflow_assets/mcp_stdio.py).

Each server is started, initialized and asked for its tools (`tools/list`, through the official SDK), then
stopped. Every tool becomes a catalog row like any other source's: its `inputSchema` is the parameters,
its `outputSchema` the return schema, and `source` = `mcp:<server>` and `category` = the server's name, so
the `mcp` executor knows which server runs it (and `original_name` which tool). A value the planner cannot
guess (a repository path, a SQL query) can be given in the config, `"examples": {tool: {argument: value}}`:
it becomes that argument's JSON Schema `examples`, which the planner's values come from. A server that cannot
start, or answer `tools/list` in time, is one quarantine row with its reason; the run goes on.
"""

from __future__ import annotations

from typing import Any

from ..mcp_stdio import McpConnection, McpFailure, ServerConfig, config_path, read_servers
from ..tools import QuarantinedSpec, Tool
from .raw_specs import RawTool

FORMAT = "mcp"


def server_source(server: str) -> str:
    """The catalog's `source` of a server's tools; the executor reads the server's name back from it."""
    return f"mcp:{server}"


def ingest_mcp_source(source: str, validate: Any, quarantine: Any) -> tuple[list[Tool], list[QuarantinedSpec]]:
    """The tools of every server a config declares, and the quarantine rows of those that failed.
    `validate(raw, source, fmt)` and `quarantine(source, position, reason)` are ingest.py's own rules."""
    path = config_path(source)
    try:
        servers, bad = read_servers(path)
    except (OSError, ValueError) as error:
        return [], [quarantine(source, "(file)", f"MCP server config cannot be read: {error}")]
    tools: list[Tool] = []
    rejected = [quarantine(server_source(name), "(server)", f"server not started: {reason}") for name, reason in bad]
    for server in servers:
        found, failures = _server_tools(server, validate, quarantine)
        tools.extend(found)
        rejected.extend(failures)
    return tools, rejected


def _server_tools(server: ServerConfig, validate: Any, quarantine: Any) -> tuple[list[Tool], list[QuarantinedSpec]]:
    shown = server_source(server.name)
    try:
        with McpConnection(server) as connection:
            listed = connection.list_tools()
    except McpFailure as failure:
        return [], [quarantine(shown, "(server)", str(failure))]
    tools: list[Tool] = []
    rejected: list[QuarantinedSpec] = []
    seen: set[str] = set()
    unused = {(tool, argument) for tool, values in server.examples.items() for argument in values}
    for position, item in enumerate(listed):
        name = getattr(item, "name", None)
        parameters = getattr(item, "input_schema", None)
        if isinstance(name, str) and name in server.examples:
            parameters, applied = with_examples(parameters, server.examples[name])
            unused -= {(name, argument) for argument in applied}
        raw = RawTool(name=name, description=getattr(item, "description", None), parameters=parameters,
                      returns=getattr(item, "output_schema", None), category=server.name, position=f"tool {position}",
                      group=shown)
        result = validate(raw, shown, FORMAT)
        if isinstance(result, Tool) and result.name.lower() in seen:
            rejected.append(quarantine(shown, raw.position, f"duplicate name {result.name!r} on the same server"))
            continue
        if isinstance(result, Tool):
            seen.add(result.name.lower())
            tools.append(result)
        else:
            rejected.append(result)
    for tool, argument in sorted(unused):  # a mistyped name in the config is said, not silently ignored
        rejected.append(quarantine(shown, "(examples)", f"config example for {tool}.{argument}: the server has no "
                                   f"such tool or argument; the example is not used"))
    return tools, rejected


def with_examples(parameters: Any, examples: dict[str, Any]) -> tuple[Any, list[str]]:
    """The input schema with each configured example as its argument's `examples` (the planner's values
    then come from them), and the arguments that took one. The server's schema is otherwise unchanged."""
    if not isinstance(parameters, dict) or not isinstance(parameters.get("properties"), dict):
        return parameters, []
    properties = dict(parameters["properties"])
    applied: list[str] = []
    for argument, value in examples.items():
        if isinstance(properties.get(argument), dict):
            properties[argument] = {**properties[argument], "examples": [value]}
            applied.append(argument)
    return {**parameters, "properties": properties}, applied
