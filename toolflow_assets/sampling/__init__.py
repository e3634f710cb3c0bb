"""ToolFlow stage: sampling."""
