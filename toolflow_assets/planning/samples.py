"""What every planner starts from: a `tool_subgraphs` row resolved against the catalog, and the ids of
the plans and dialogues made from it.

One parser for both planners (offline and llm), so they see the same sample: tools looked up by name,
then by id; edges whose ends are not both in the sample dropped (a plan may only call the sample's
tools, so such an edge could only mislead); distractors offered beside the sample's tools.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..tools import Tool, stable_id


@dataclass(frozen=True)
class Flow:
    """An edge of the sample: `src`'s output field `src_field` feeds `dst`'s parameter `dst_field`
    (`data_flow`), or both tools take a similar parameter (`shared_param`)."""

    src: str
    src_field: str
    dst: str
    dst_field: str
    score: float = 0.0


@dataclass
class SampleView:
    """A `tool_subgraphs` row resolved against the catalog."""

    sample_id: str
    strategy: str
    seed: int
    tools: list[Tool]
    flows: list[Flow] = field(default_factory=list)
    shared: list[Flow] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    distractors: list[Tool] = field(default_factory=list)  # offered, never called (the assistant must choose)

    @property
    def tool_names(self) -> list[str]:
        return [t.name for t in self.tools]


class CatalogIndex:
    """Tools by name and by id (callers pass the catalog keyed either way)."""

    def __init__(self, tools: Mapping[str, Tool]) -> None:
        self.by_name = {tool.name: tool for tool in tools.values()}
        self.by_id = {tool.tool_id: tool for tool in tools.values()}

    def get(self, ref: Any) -> Tool | None:
        key = str(ref)
        return self.by_name.get(key) or self.by_id.get(key)


# ---------------------------------------------------------------------------------------- identities

def plan_id_for(sample_id: str, seed: int) -> str:
    return stable_id("plan", sample_id, str(seed))


def dialogue_id_for(plan_id: str, backend: str, model: str, seed: int) -> str:
    """A dialogue's id: its plan, who generated it (backend and model) and the run's seed."""
    return stable_id("dialogue", plan_id, backend, model, str(seed))


# ------------------------------------------------------------------------------------------ samples

def as_list(value: Any) -> list[Any]:
    """A list column of a sample row, whether stored as a list, a JSON string, an array or a scalar."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            return [text]
        return parsed if isinstance(parsed, list) else [parsed]
    if isinstance(value, (list, tuple)):
        return list(value)
    try:
        return list(value)  # numpy arrays, polars series
    except TypeError:
        return [value]


def sample_view(row: Mapping[str, Any], index: CatalogIndex) -> SampleView:
    """Resolve a `tool_subgraphs` row. Raises ValueError naming what cannot be resolved."""
    sample_id = str(row.get("sample_id") or "")
    if not sample_id:
        raise ValueError("sample row has no sample_id")
    tools: list[Tool] = []
    refs = as_list(row.get("tool_names")) or as_list(row.get("tool_ids"))
    for ref in refs:
        tool = index.get(ref)
        if tool is None:
            raise ValueError(f"tool {ref!r} of sample {sample_id!r} is not in the catalog")
        if tool not in tools:
            tools.append(tool)
    if not tools:
        raise ValueError(f"sample {sample_id!r} has no tools")
    names = {t.name for t in tools}
    flows: list[Flow] = []
    shared: list[Flow] = []
    for edge in as_list(row.get("edges")):
        if not isinstance(edge, Mapping):
            continue
        src, dst = index.get(edge.get("src")), index.get(edge.get("dst"))
        if src is None or dst is None or src.name not in names or dst.name not in names:
            continue
        try:
            score = float(edge.get("score") or 0.0)
        except (TypeError, ValueError):
            score = 0.0
        item = Flow(src.name, str(edge.get("src_field") or ""), dst.name, str(edge.get("dst_field") or ""), score)
        if edge.get("kind") == "data_flow" and src.name != dst.name:
            flows.append(item)
        elif edge.get("kind") == "shared_param":
            shared.append(item)
    chain = [t.name for t in (index.get(ref) for ref in as_list(row.get("chain"))) if t is not None and t.name in names]
    seed_value = row.get("seed")
    distractors = [t for t in (index.get(ref) for ref in as_list(row.get("distractors")))
                   if t is not None and t.name not in names]
    return SampleView(
        sample_id=sample_id,
        strategy=str(row.get("strategy") or ""),
        seed=int(seed_value) if isinstance(seed_value, (int, float)) and not isinstance(seed_value, bool) else 0,
        tools=tools,
        flows=flows,
        shared=shared,
        chain=chain,
        distractors=list({t.name: t for t in distractors}.values()),
    )
