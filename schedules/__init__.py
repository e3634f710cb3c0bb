"""Jobs, schedules and sensors: how ToolFlow runs without a person pressing a button."""

from .jobs import ALL_JOBS, STEP_EXECUTOR, build_dataset, full_pipeline, generate_batch, refresh_tools
from .refresh import ALL_SCHEDULES, ALL_SENSORS

__all__ = ["ALL_JOBS", "ALL_SCHEDULES", "ALL_SENSORS", "STEP_EXECUTOR", "build_dataset", "full_pipeline", "generate_batch", "refresh_tools"]
