"""The environment for a subprocess a test starts (`toolflow run`, `dagster dev`, a daemon, a lock holder).

The conftest fixture clears the developer's ToolFlow settings inside the test process only; a child process
gets a copy of `os.environ`, so a developer's `DAGSTER_HOME`, `TOOLFLOW_*` or `OPENAI_*` would change what
the child does (another instance, another backend, a real server and key). Every such test builds the
child's environment here, from the same rule, then sets what it means to pass.
"""

from __future__ import annotations

import os

# Dagster's instance and settings, ToolFlow's settings, and an OpenAI-compatible server with its key.
FOREIGN_PREFIXES = ("DAGSTER_", "TOOLFLOW_", "OPENAI_")


def clean_env() -> dict[str, str]:
    """A copy of this process's environment without any variable named with one of `FOREIGN_PREFIXES`."""
    return {name: value for name, value in os.environ.items() if not name.startswith(FOREIGN_PREFIXES)}
