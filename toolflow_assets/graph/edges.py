"""Field pairs → the edge table: one row per (src tool, dst tool, kind), its best field pair and up to
`max_matches` matched pairs as JSON.

Memory is the point here: a 250k-tool catalog keeps about 10M field pairs. Sorting and grouping run on
compact integer arrays (int32 ends and field numbers, the score as an integer of 1e-4 steps, which is
exactly the stored rounding), and the strings (field paths, the `matches` JSON) are made only for the rows
kept, in slices, so no step holds a Python object or a JSON string per field pair at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import polars as pl

from ..tools import Tool
from .fields import ToolField

DATA_FLOW = "data_flow"
SHARED_PARAM = "shared_param"
_SLICE = 1_000_000  # listed matches turned into JSON at once


@dataclass
class FieldPairs:
    """Parallel arrays, one entry per matched field pair. Field numbers: inputs 0..n_in-1, then outputs."""

    src: np.ndarray  # tool positions (int32)
    dst: np.ndarray
    kind: np.ndarray  # int8: 0 data_flow, 1 shared_param (the stored sort order)
    score: np.ndarray  # int32: round(cosine × 10⁴), the stored score's rounding
    src_field: np.ndarray  # int32
    dst_field: np.ndarray

    @classmethod
    def of(cls, n_inputs: int, in_tool: np.ndarray, out_tool: np.ndarray,
           flow: tuple[np.ndarray, np.ndarray, np.ndarray], share: tuple[np.ndarray, np.ndarray, np.ndarray]) -> "FieldPairs":
        flow_out, flow_in, flow_score = flow
        sa, sb, s_score = share
        return cls(
            src=np.concatenate([out_tool[flow_out], in_tool[sa]]).astype(np.int32),
            dst=np.concatenate([in_tool[flow_in], in_tool[sb]]).astype(np.int32),
            kind=np.concatenate([np.zeros(flow_out.size, np.int8), np.ones(sa.size, np.int8)]),
            # the same value as np.round(score, 4) on float64: rounding never reorders edges between runs
            score=np.rint(np.concatenate([flow_score, s_score]).astype(np.float64) * 1e4).astype(np.int32),
            src_field=np.concatenate([n_inputs + flow_out, sa]).astype(np.int32),
            dst_field=np.concatenate([flow_in, sb]).astype(np.int32),
        )

    def take(self, index: np.ndarray) -> None:
        for name in ("src", "dst", "kind", "score", "src_field", "dst_field"):
            setattr(self, name, getattr(self, name)[index])


def edges_frame(tools: Sequence[Tool], inputs: Sequence[ToolField], outputs: Sequence[ToolField], pairs: FieldPairs,
                max_matches: int, schema: dict[str, pl.DataType]) -> tuple[pl.DataFrame, tuple[np.ndarray, np.ndarray]]:
    """The edge table (sorted by kind, score descending, src, dst) and the catalog positions of its ends.
    `pairs` is consumed (reordered in place)."""
    paths = np.array([f.path for f in inputs] + [f.path for f in outputs], dtype=object)
    inferred = np.array([False] * len(inputs) + [f.inferred for f in outputs], dtype=bool)
    path_rank = np.unique(paths, return_inverse=True)[1].astype(np.int32) if paths.size else np.zeros(0, np.int32)

    p = pairs
    if p.src.size:
        p.take(np.lexsort((path_rank[p.dst_field], path_rank[p.src_field], -p.score, p.kind, p.dst, p.src)))
        same_edge = (p.src[1:] == p.src[:-1]) & (p.dst[1:] == p.dst[:-1]) & (p.kind[1:] == p.kind[:-1])
        repeated = same_edge & (p.score[1:] == p.score[:-1]) & (p.src_field[1:] == p.src_field[:-1]) \
            & (p.dst_field[1:] == p.dst_field[:-1])
        if repeated.any():  # one field pair found from both sides (a parameter's producer, an output's consumer)
            p.take(np.flatnonzero(~np.r_[False, repeated]))
            same_edge = (p.src[1:] == p.src[:-1]) & (p.dst[1:] == p.dst[:-1]) & (p.kind[1:] == p.kind[:-1])
        starts = np.flatnonzero(np.r_[True, ~same_edge])
        del same_edge, repeated
    else:
        starts = np.zeros(0, np.int64)
    counts = np.diff(np.r_[starts, p.src.size]).astype(np.int64)
    matches = _matches_json(p, starts, counts, paths, inferred, max_matches)

    e_src, e_dst, e_kind, e_score = p.src[starts], p.dst[starts], p.kind[starts], p.score[starts]
    final = np.lexsort((e_dst, e_src, -e_score, e_kind))
    first = starts[final]
    ids = pl.Series([t.tool_id for t in tools], dtype=pl.String)
    names = pl.Series([t.name for t in tools], dtype=pl.String)
    edges = pl.DataFrame(
        {
            "src_tool_id": ids.gather(e_src[final]),
            "dst_tool_id": ids.gather(e_dst[final]),
            "src_tool": names.gather(e_src[final]),
            "dst_tool": names.gather(e_dst[final]),
            "kind": pl.Series(np.array([DATA_FLOW, SHARED_PARAM], dtype=object)[e_kind[final]].tolist(), dtype=pl.String),
            "score": e_score[final].astype(np.float64) / 1e4,
            "src_field": _strings(paths, p.src_field[first]),
            "dst_field": _strings(paths, p.dst_field[first]),
            "src_field_inferred": inferred[p.src_field[first]],
            "n_matches": counts[final],
            "matches": matches.gather(final) if final.size else pl.Series([], dtype=pl.String),
        },
        schema=schema,
    )
    return edges, (e_src[final].astype(np.int64), e_dst[final].astype(np.int64))


def _strings(paths: np.ndarray, numbers: np.ndarray) -> pl.Series:
    return pl.Series(paths[numbers].tolist() if numbers.size else [], dtype=pl.String)


def _matches_json(p: FieldPairs, starts: np.ndarray, counts: np.ndarray, paths: np.ndarray, inferred: np.ndarray,
                  max_matches: int) -> pl.Series:
    """`[{"src_field", "dst_field", "score", "src_field_inferred"}, ...]` per edge (best first), built in
    slices of whole edges."""
    listed = np.minimum(counts, max_matches)
    out: list[pl.Series] = []
    lo = 0
    ends = np.cumsum(listed)
    while lo < starts.size:
        hi = int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + _SLICE, side="right"))
        hi = max(hi, lo + 1)
        rows = np.repeat(starts[lo:hi], listed[lo:hi]) + (np.arange(int(listed[lo:hi].sum()))
                                                          - np.repeat(np.cumsum(listed[lo:hi]) - listed[lo:hi], listed[lo:hi]))
        group = np.repeat(np.arange(lo, hi), listed[lo:hi])
        frame = pl.DataFrame({"group": group, "src_field": _strings(paths, p.src_field[rows]),
                              "dst_field": _strings(paths, p.dst_field[rows]),
                              "score": p.score[rows].astype(np.float64) / 1e4,
                              "src_field_inferred": inferred[p.src_field[rows]]})
        out.append(
            frame.select("group", pl.struct("src_field", "dst_field", "score", "src_field_inferred").struct.json_encode().alias("m"))
            .group_by("group", maintain_order=True).agg(pl.col("m").str.join(","))
            .select(pl.concat_str([pl.lit("["), pl.col("m"), pl.lit("]")]))
            .to_series()
        )
        lo = hi
    return pl.concat(out) if out else pl.Series([], dtype=pl.String)
