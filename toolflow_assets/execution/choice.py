"""Which executor a run uses (`toolflow run --executor`, `TOOLFLOW_EXECUTOR`): one place that names them."""

from __future__ import annotations

from typing import Iterable

from ..mcp_stdio import is_mcp_source
from .protocol import Executor
from .simulated import SimulatedExecutor

EXECUTORS = ("simulated", "mcp", "python", "auto")


def make_executor(name: str, sources: Iterable[str] = (), cache_root: str | None = None,
                  refresh: bool = False) -> Executor:
    """`simulated`: made-up results, no server. `python`: BFCL's environment classes (bfcl-eval) run the calls
    of their tools, the rest are simulated. `mcp`: the servers of the run's `mcp:` sources execute every
    call of their tools (recorded under `<cache_root>/mcp`; `refresh` executes recorded calls again). `auto`:
    a dialogue whose tools all have an installed Python environment runs there, any other is simulated (all
    of them without bfcl-eval)."""
    if name == "simulated":
        return SimulatedExecutor()
    if name == "mcp":
        sources = [str(s) for s in sources]
        if not any(is_mcp_source(s) for s in sources):
            raise ValueError("the mcp executor runs the tools of MCP servers: add a source mcp:PATH/servers.json "
                             "(--sources or TOOLFLOW_SOURCES)")
        from .mcp import McpExecutor

        return McpExecutor.from_sources(sources, cache_dir=cache_root, refresh=refresh)
    if name == "auto":
        from .auto import AutoExecutor

        return AutoExecutor()
    if name == "python":
        from .python_env import INSTALL, PythonEnvExecutor, available

        if not available():
            raise ValueError(f"the python executor runs BFCL's environment classes: install them with {INSTALL}")
        return PythonEnvExecutor()
    raise ValueError(f"unknown executor {name!r}: use one of {', '.join(EXECUTORS)} (TOOLFLOW_EXECUTOR)")
