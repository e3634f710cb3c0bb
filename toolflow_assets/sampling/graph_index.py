"""The tool graph as the sampler reads it: compressed adjacency lists over catalog positions, built once per
run, with each tool's API (`tools.api_of`) and the other endpoints of that API."""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import polars as pl

MAX_API_NEIGHBOURHOOD = 256  # endpoints of one API that a sample may be filled from when its edges run out


@dataclass(frozen=True)
class Edge:
    src: int
    dst: int
    kind: str
    score: float
    src_field: str
    dst_field: str


class GraphIndex:
    """The tool graph as compressed adjacency lists over catalog positions (built once per run).

    Edge attributes live in parallel compact columns indexed by edge number; `incident[ptr[u]:ptr[u+1]]`
    are the edges touching node u (either direction). Built with vectorized joins, not a row loop.
    """

    def __init__(self, nodes: pl.DataFrame, edges: pl.DataFrame, apis: Mapping[str, str] | None = None):
        self.tool_ids: list[str] = nodes["tool_id"].to_list()
        self.names: list[str] = nodes["name"].to_list()
        self.families: list[int] = (
            nodes.select(pl.col("name").str.replace(r"_\d+$", "").rank("dense").cast(pl.Int64))
            .to_series()
            .to_list()
        )
        n = len(self.tool_ids)
        positions = pl.Series(np.arange(n, dtype=np.int64))
        # an edge to a tool no longer in the catalog (a stale graph) is dropped; ids map to positions through
        # one hash map of the catalog (joins materialized the whole edge table twice: gigabytes at 6M edges)
        resolved = (
            # cast: an edge table built from no rows may carry null-typed columns
            edges.select(
                *(pl.col(c).cast(pl.String) for c in ("kind", "src_field", "dst_field")),
                pl.col("score").cast(pl.Float64),
                *(pl.col(f"{end}_tool_id").cast(pl.String).replace_strict(self.tool_ids, positions, default=None,
                                                                          return_dtype=pl.Int64).alias(end)
                  for end in ("src", "dst")),
            )
            .filter(pl.col("src").is_not_null() & pl.col("dst").is_not_null())
        )
        # Compact per-edge columns (issue 14: Python lists of 6.3M edges, 250k tools, took gigabytes):
        # array.array holds 8 bytes per entry and still gives plain ints and floats; kinds share two strings;
        # the field paths stay Arrow strings (read only for the edges of a chosen sample).
        is_flow = (resolved["kind"] == "data_flow").to_numpy()
        self.src: Sequence[int] = array("q", resolved["src"].to_numpy().astype(np.int64).tobytes())
        self.dst: Sequence[int] = array("q", resolved["dst"].to_numpy().astype(np.int64).tobytes())
        kinds = resolved["kind"].unique(maintain_order=True).to_list()
        codes = resolved["kind"].replace_strict(kinds, list(range(len(kinds))), return_dtype=pl.Int32).to_numpy()
        self.kind: Sequence[str] = [kinds[c] for c in codes.tolist()]
        self.score: Sequence[float] = array("d", resolved["score"].cast(pl.Float64).to_numpy().tobytes())
        self.src_field: Sequence[str] = resolved["src_field"]
        self.dst_field: Sequence[str] = resolved["dst_field"]
        self.is_flow: Sequence[int] = array("b", is_flow.astype(np.int8).tobytes())

        src, dst = resolved["src"].to_numpy(), resolved["dst"].to_numpy()
        endpoint = np.concatenate([src, dst])
        edge_number = np.concatenate([np.arange(src.size), np.arange(dst.size)])
        order = np.argsort(endpoint, kind="stable")
        self.incident: Sequence[int] = array("q", edge_number[order].astype(np.int64).tobytes())
        self.ptr: list[int] = np.concatenate([[0], np.cumsum(np.bincount(endpoint, minlength=n))]).tolist()
        self.categories: list[str] = (nodes["category"].cast(pl.String).fill_null("").to_list()
                                      if "category" in nodes.columns else [""] * n)
        # each tool's API (`tools.api_of`, by tool id), its size, and its endpoints as a neighbourhood beyond the
        # edges: one list per API that its endpoints share (a list per tool was size² entries: 10⁸ for a file of
        # 10,000 functions), and none for an API too big to be one service's few endpoints
        self.apis: list[str] = [(apis or {}).get(t, "") for t in self.tool_ids]
        by_api: dict[str, list[int]] = defaultdict(list)
        for position, api in enumerate(self.apis):
            if api:
                by_api[api].append(position)
        self.api_size: list[int] = [len(by_api[api]) if api else 0 for api in self.apis]
        self.api_endpoints: list[list[int]] = [
            by_api[api] if api and len(by_api[api]) <= MAX_API_NEIGHBOURHOOD else [] for api in self.apis]
        if "component_size" in nodes.columns:
            self.component_size: list[int] = nodes["component_size"].to_list()
        else:
            self.component_size = [1 + self.ptr[i + 1] - self.ptr[i] for i in range(n)]

    @classmethod
    def from_tables(cls, nodes: pl.DataFrame, edges: pl.DataFrame, apis: Mapping[str, str] | None = None) -> "GraphIndex":
        return cls(nodes, edges, apis)

    def edges_of(self, node: int) -> list[int]:
        return self.incident[self.ptr[node] : self.ptr[node + 1]]

    def degree(self, node: int) -> int:
        return self.ptr[node + 1] - self.ptr[node]

    def edge(self, number: int) -> Edge:
        return Edge(self.src[number], self.dst[number], self.kind[number], self.score[number],
                    self.src_field[number], self.dst_field[number])

    def edges_among(self, members: Sequence[int]) -> list[Edge]:
        member_set = set(members)
        numbers = {e for m in members for e in self.edges_of(m) if self.src[e] in member_set and self.dst[e] in member_set}
        found = [self.edge(e) for e in numbers]
        return sorted(found, key=lambda e: (e.kind, -e.score, self.names[e.src], self.names[e.dst], e.src_field, e.dst_field))
