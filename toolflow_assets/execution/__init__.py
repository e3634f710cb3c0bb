"""The executor role (see DESIGN.md 2b): who produces each tool result. Pure Python, no Dagster.

`simulated` (the offline default) lives here; `llm`, `mcp` and `python` executors implement the same
`Executor` protocol (protocol.py).
"""

from .protocol import Executor, ExecutorSession, ToolOutcome, error_result, is_error_result
from .simulated import SimulatedExecutor, SimulationError

__all__ = ["Executor", "ExecutorSession", "SimulatedExecutor", "SimulationError", "ToolOutcome", "error_result",
           "is_error_result"]
