"""The tool graph's budget: refuse, with the limit named, a catalog the machine cannot hold.

Every field keeps at most `top_k_per_field` matches per search (its best producers, consumers and
look-alikes), so the field pairs, and the edges made of them, are bounded *before* any search runs:
inputs × k × 2 (producers and look-alikes) + outputs × k (consumers). That bound grows linearly with the
catalog. Checked up front, a catalog past the edge budget or past the memory the process may use fails
in a second with a message that says which limit and how to move it, instead of an allocation failure
minutes later (269k tools used to abort past 6.2 GB).
"""

from __future__ import annotations

import os
import resource
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Bytes the build needs per field pair of the bound and per field, above the catalog itself. Measured on the
# dense 250k catalog of benchmarks/graph_scale.py (10.0M pairs, 1.25M fields): 3.0 GB peak for the build,
# about 1 GB more while the asset hashes and stores the 1.2 GB edge table; rounded up.
BYTES_PER_PAIR = 300
BYTES_PER_FIELD = 800


class GraphBudgetError(ValueError):
    """The catalog's graph would exceed a configured or physical limit (the message names it)."""


@dataclass(frozen=True)
class GraphSize:
    tools: int
    input_fields: int
    output_fields: int
    max_field_pairs: int

    @property
    def bytes_needed(self) -> int:
        return self.max_field_pairs * BYTES_PER_PAIR + (self.input_fields + self.output_fields) * BYTES_PER_FIELD


def bound(tools: int, input_fields: int, output_fields: int, k: int, include_shared: bool) -> GraphSize:
    """The most field pairs the build can keep (each becomes at most one edge, so also an edge bound)."""
    pairs = input_fields * k + output_fields * k + (input_fields * k if include_shared else 0)
    return GraphSize(tools, input_fields, output_fields, pairs)


def memory_limit() -> tuple[int | None, str]:
    """The bytes this process may still allocate, and which limit that is (None: no limit found).

    The smallest of: the address-space limit (RLIMIT_AS, e.g. `ulimit -v`) less what is mapped already, the
    cgroup's memory limit less its usage (a container's limit), and the memory the kernel reports available.
    """
    found: list[tuple[int, str]] = []
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        mapped = _status_kb("VmSize") * 1024
        found.append((max(soft - mapped, 0), f"the address-space limit RLIMIT_AS ({_gb(soft)}; {_gb(mapped)} mapped)"))
    for limit_file, usage_file in (("memory.max", "memory.current"), ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes")):
        limit, usage = _read_int(Path("/sys/fs/cgroup") / limit_file), _read_int(Path("/sys/fs/cgroup") / usage_file)
        if limit is not None and limit < 1 << 60:
            found.append((max(limit - (usage or 0), 0), f"the cgroup memory limit ({_gb(limit)}; {_gb(usage or 0)} in use)"))
            break
    available = _meminfo_kb("MemAvailable")
    if available is not None:
        found.append((available * 1024, "the machine's available memory (MemAvailable)"))
    return min(found) if found else (None, "no memory limit found")


def check(size: GraphSize, max_edges: int | None, limit: tuple[int | None, str] | None = None) -> None:
    """Raise `GraphBudgetError` when the bound passes `max_edges` or the memory the process may use."""
    if max_edges is not None and size.max_field_pairs > max_edges:
        raise GraphBudgetError(
            f"the tool graph of {size.tools:,} tools ({size.input_fields:,} input and {size.output_fields:,} output "
            f"fields) may hold up to {size.max_field_pairs:,} field pairs, over the edge budget max_edges="
            f"{max_edges:,}: raise tool_graph's `max_edges`, lower `top_k_per_field`, or split the catalog"
        )
    available, which = limit if limit is not None else memory_limit()
    if available is not None and size.bytes_needed > available:
        raise GraphBudgetError(
            f"the tool graph of {size.tools:,} tools ({size.max_field_pairs:,} field pairs at most) needs about "
            f"{_gb(size.bytes_needed)}, more than the {_gb(available)} left under {which}: give the run more memory, "
            f"lower tool_graph's `top_k_per_field`, or split the catalog"
        )


@contextmanager
def memory_named(what: str, size: GraphSize | None = None):
    """Turn a `MemoryError` inside into a `GraphBudgetError` that says what ran out and under which limit
    (the estimate can be wrong, and a later step, such as the GraphML export, allocates too)."""
    try:
        yield
    except MemoryError as error:
        _, which = memory_limit()
        bound_text = f" ({size.max_field_pairs:,} field pairs at most)" if size else ""
        raise GraphBudgetError(
            f"out of memory while {what}{bound_text}, under {which}: give the run more memory, lower "
            f"tool_graph's `top_k_per_field`, or split the catalog"
        ) from error


def _gb(n: int) -> str:
    return f"{n / 1024**3:.1f} GB"


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _proc_kb(path: str, key: str) -> int | None:
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _status_kb(key: str) -> int:
    return _proc_kb(f"/proc/{os.getpid()}/status", key) or 0


def _meminfo_kb(key: str) -> int | None:
    return _proc_kb("/proc/meminfo", key)
