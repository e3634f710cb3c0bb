"""ToolFlow stage: quality."""
