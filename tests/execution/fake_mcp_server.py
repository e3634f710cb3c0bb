"""A tiny stdio MCP server for the failure tests (run as a script): `echo` answers, `stall` never answers
(a hung server) and `crash` kills the process mid-call, `environment` shows what the process was given. Each process keeps a counter, so a test can tell a
fresh process (count 1) from a reused one."""

import os
import time

from mcp.server.mcpserver import MCPServer

server = MCPServer("fake")
calls = {"count": 0}


@server.tool()
def echo(text: str) -> dict:
    """Echo the text back, with how many calls this process has answered."""
    calls["count"] += 1
    return {"text": text, "count": calls["count"]}


@server.tool()
def stall(text: str) -> dict:
    """Never answers in time."""
    time.sleep(600)
    return {"text": text}


@server.tool()
def crash(text: str) -> dict:
    """The process dies mid-call."""
    os._exit(3)


@server.tool()
def environment() -> dict:
    """What the process was given: its environment's names, working folder and HOME."""
    return {"names": sorted(os.environ), "cwd": os.getcwd(), "home": os.environ.get("HOME", "")}


if __name__ == "__main__":
    server.run("stdio")
