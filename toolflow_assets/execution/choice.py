"""Which executor a run uses (`toolflow run --executor`, `TOOLFLOW_EXECUTOR`): one place that names them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..mcp_stdio import is_mcp_source
from .protocol import Executor
from .simulated import SimulatedExecutor

if TYPE_CHECKING:
    from ..llm.client import LLMClient

EXECUTORS = ("auto", "simulated", "llm", "mcp", "python")


def make_executor(name: str, sources: Iterable[str] = (), cache_root: str | None = None,
                  refresh: bool = False, llm: "LLMClient | None" = None) -> Executor:
    """`simulated`: made-up results, no server. `python`: BFCL's environment classes (bfcl-eval) run the calls
    of their tools, the rest are simulated. `mcp`: the servers of the run's `mcp:` sources execute every
    call of their tools (recorded under `<cache_root>/mcp`; `refresh` executes recorded calls again). `auto`:
    a dialogue whose tools all have an installed Python environment runs there, any other is simulated (all
    of them without bfcl-eval). `llm`: a tool agent writes each result through `llm` (the run's LLM client: model,
    server, cache), having seen the conversation and the dialogue's earlier results."""
    if name == "simulated":
        return SimulatedExecutor()
    if name == "llm":
        if llm is None:
            raise ValueError("the llm executor needs the run's LLM client (a model and --base-url or $OPENAI_BASE_URL)")
        from .llm import LLMExecutor

        return LLMExecutor(llm)
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
