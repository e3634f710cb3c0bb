"""ToolFlow stage: export."""
