"""ToolFlow stage: graph."""
