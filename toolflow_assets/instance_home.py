"""Open the Dagster instance of `DAGSTER_HOME` so that concurrent first starts cannot collide.

On a fresh home Dagster creates its SQLite schema when the instance is first opened; two `toolflow run`s
started together both created it, and one crashed (`table secondary_indexes already exists`, `table runs
already exists`). Opening the instance under an exclusive lock file in the home serializes that first
initialisation; later opens hold the lock for the few milliseconds a schema check takes.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg

LOCK_NAME = ".toolflow-instance.lock"


@contextmanager
def home_lock(home: Path) -> Iterator[None]:
    """An exclusive lock on `<home>/.toolflow-instance.lock` (none where `fcntl` is missing: Windows)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock on Windows; concurrent first starts stay unguarded there
        yield
        return
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def open_instance() -> dg.DagsterInstance:
    """`DagsterInstance.get()` for `$DAGSTER_HOME`, with its first initialisation serialized by a lock."""
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        return dg.DagsterInstance.get()  # Dagster's own error says DAGSTER_HOME is needed
    with home_lock(Path(home).expanduser()):
        return dg.DagsterInstance.get()
