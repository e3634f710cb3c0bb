"""Values the planner takes from an installed environment class (issue 11: "the planner takes values from the
state").

A state made for the plan can hold what the plan names (a file, a card, a booking), but not what the class
fixes in its code: TravelAPI prices only its own routes, VehicleControlAPI knows distances only between some
zipcodes, and `displayCarStatus` shows only the chosen option's part. For a tool that maps to an installed
environment with such knowledge (`Environment.values` / `Environment.reads`), the planner asks here:
- `planned_values(tool, fixed, earlier, rng)`: values for the parameters the class constrains, consistent with
  the values already decided for this call and with the plan's earlier calls to the same environment; an
  `Output(i, field)` value reads the field of `earlier[i]`'s result (ids that earlier calls returned);
- `values_for_reads(tool, arguments, fields, rng)`: the arguments to change so the class's answer holds the
  output fields later calls read;
- `readable(tool, path)`: False for a path through a map the class keys by id (no plan can know the key).
Without bfcl-eval (or for any other tool) both answer `{}`, and the planner draws its values as before.
"""

from __future__ import annotations

import random
from typing import Any, Iterable, Mapping, Sequence

from ..values import parse_path
from ..tools import Tool
from .python_env import environment_class, environment_of
from .python_probe import Output


def _method(tool: Tool) -> str:
    return tool.original_name or tool.name


def planned_values(tool: Tool, fixed: Mapping[str, Any], earlier: Sequence[tuple[Tool, Mapping[str, Any]]],
                   rng: random.Random) -> dict[str, Any]:
    env = environment_of(tool)
    if env is None or env.values is None:
        return {}
    positions = [i for i, (other, _) in enumerate(earlier) if environment_of(other) == env]
    same = [(_method(earlier[i][0]), earlier[i][1]) for i in positions]
    values = env.values(environment_class(env), _method(tool), fixed, same, rng)
    # an earlier call's output, by its position among this environment's calls -> among all the earlier calls
    return {name: Output(positions[v.call], v.field) if isinstance(v, Output) else v for name, v in values.items()}


def readable(tool: Tool, path: str) -> bool:
    """Whether a later call can read `path` from this tool's result: not through a map the class keys by id."""
    env = environment_of(tool)
    parts = parse_path(path)
    return env is None or not (len(parts) > 1 and parts[0] in env.keyed)


def values_for_reads(tool: Tool, arguments: Mapping[str, Any], fields: Iterable[str],
                     rng: random.Random) -> dict[str, Any]:
    env = environment_of(tool)
    if env is None or env.reads is None:
        return {}
    return env.reads(environment_class(env), _method(tool), arguments, set(fields), rng)
