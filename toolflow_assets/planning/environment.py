"""Where the offline planner takes values from an environment instead of drawing them.

A tool that maps to an installed stateful environment (execution/python_values.py: bfcl-eval's TravelAPI and
VehicleControlAPI) answers only inside the universe its class fixes: its airports and routes, the zipcodes it
knows, the option that shows a field. The planner asks the environment for those values, so the planned calls
run on the real class (and read the same on the simulated executor). Without bfcl-eval both lookups answer
`{}` and plans are what they were.
"""

from __future__ import annotations

import random
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..tools import Tool

Earlier = Sequence[tuple[Tool, Mapping[str, Any]]]


def _lookups() -> tuple[Any, ...] | None:
    try:  # imported on first use: the execution package imports generation, which imports this package
        from ..execution.python_probe import Output
        from ..execution.python_values import planned_values, readable, values_for_reads
    except ImportError:
        return None
    return planned_values, values_for_reads, readable, Output


def environment_values(tool: Tool, fixed: Mapping[str, Any], earlier: Earlier,
                       rng: random.Random) -> tuple[dict[str, Any], dict[str, tuple[int, str]]]:
    """(values, reads) for the parameters `tool`'s environment constrains (both empty for any other tool): a
    read is (position in `earlier`, output field), an id or token an earlier call returned."""
    lookups = _lookups()
    if lookups is None:
        return {}, {}
    found = lookups[0](tool, fixed, earlier, rng)
    reads = {name: (value.call, value.field) for name, value in found.items() if isinstance(value, lookups[3])}
    return {name: value for name, value in found.items() if name not in reads}, reads


def values_for_reads(tool: Tool, arguments: Mapping[str, Any], fields: Iterable[str],
                     rng: random.Random) -> dict[str, Any]:
    """Arguments to change so that `tool`'s environment answers every field later calls read."""
    lookups = _lookups()
    return lookups[1](tool, arguments, fields, rng) if lookups else {}


def environment_readable(tool: Tool, path: str) -> bool:
    """Whether `tool`'s environment answers `path` in a form a later call can read (not a map keyed by id)."""
    lookups = _lookups()
    return lookups[2](tool, path) if lookups else True
