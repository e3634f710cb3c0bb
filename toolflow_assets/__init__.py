"""ToolFlow: graph-sampled, plan-driven synthesis of multi-turn tool-calling dialogues.

Each stage lives in its own sub-package: pure domain modules (no Dagster imports) beside one thin
`assets.py` that wires them into Dagster. `definitions.py` is the code location's root.
"""
