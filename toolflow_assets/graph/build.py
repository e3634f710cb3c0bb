"""Build the tool graph: nodes are tools, edges say which tools compose and through which fields.

- `data_flow` A→B: an output field of A can fill an input parameter of B (ToolFlow's P-R similarity):
  the field texts are similar (cosine ≥ threshold) and the types fit (`fields.fills`).
- `shared_param` A—B: A and B take a similar parameter (P-P similarity). Undirected; stored once with
  the tool that comes first in the catalog as `src`.

Each field keeps its `top_k_per_field` best matches (for data_flow both ways: the best producers of every
parameter and the best consumers of every output), so a generic field such as `location` links a tool to
a few others rather than to hundreds. A tool pair's edge carries its best field pair (`src_field`,
`dst_field`, `score`) and up to `max_matches_per_edge` matched pairs in `matches` (JSON).

Fields of one tool, or of variants of one tool (`calculate_tax` and `calculate_tax_5`), never match.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import polars as pl
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ..tools import Tool
from . import budget
from .api_links import api_links
from .edges import DATA_FLOW, SHARED_PARAM, FieldPairs, edges_frame  # noqa: F401 - the kinds are imported from here too
from .embeddings import Embedder
from .fields import FIELD_TYPES, ToolField, compatible_for_sharing, fills, flatten_tools
from .identifier_links import identifier_links
from .pooled import search_pooled
from .similarity import Matches, SearchConfig
from .text import base_tool_name


EDGE_SCHEMA: dict[str, pl.DataType] = {
    "src_tool_id": pl.String,
    "dst_tool_id": pl.String,
    "src_tool": pl.String,
    "dst_tool": pl.String,
    "kind": pl.String,
    "score": pl.Float64,
    "src_field": pl.String,
    "dst_field": pl.String,
    "src_field_inferred": pl.Boolean,
    "n_matches": pl.Int64,
    "matches": pl.String,  # JSON: [{"src_field", "dst_field", "score", "src_field_inferred"}], best first
}

NODE_SCHEMA: dict[str, pl.DataType] = {
    "tool_id": pl.String,
    "name": pl.String,
    "category": pl.String,
    "n_input_fields": pl.Int64,
    "n_output_fields": pl.Int64,
    "outputs_inferred": pl.Boolean,
    "input_fields": pl.String,  # JSON: [{"path", "type", "description", "inferred": false}]
    "output_fields": pl.String,  # JSON: [{"path", "type", "description", "inferred"}]
    "degree": pl.Int64,
    "data_flow_in": pl.Int64,
    "data_flow_out": pl.Int64,
    "shared_param_degree": pl.Int64,
    "component": pl.Int64,
    "component_size": pl.Int64,
}


@dataclass(frozen=True)
class GraphConfig:
    data_flow_threshold: float | None = None  # None: the embedder's default (0.82 model-backed)
    shared_param_threshold: float | None = None
    top_k_per_field: int = 5
    infer_outputs: bool = True
    max_inferred_outputs: int = 3
    max_matches_per_edge: int = 5
    include_shared_param: bool = True
    # field pairs the build may keep at most (each field keeps top_k_per_field per search, so the bound is
    # known before searching: see budget.py); None: no edge budget, memory is still checked
    max_edges: int | None = 25_000_000
    search: SearchConfig = field(default_factory=SearchConfig)


@dataclass
class ToolGraph:
    nodes: pl.DataFrame
    edges: pl.DataFrame
    stats: dict[str, Any]

    def as_tables(self) -> dict[str, pl.DataFrame]:
        return {"nodes": self.nodes, "edges": self.edges}


def _type_codes(fields: Sequence[ToolField]) -> np.ndarray:
    index = {name: i for i, name in enumerate(FIELD_TYPES)}
    return np.fromiter((index[f.type] for f in fields), dtype=np.int64, count=len(fields))


def _compat_matrix(rule) -> np.ndarray:
    """`matrix[query_type, target_type]` from a rule over type names."""
    n = len(FIELD_TYPES)
    return np.array([[rule(FIELD_TYPES[q], FIELD_TYPES[t]) for t in range(n)] for q in range(n)], dtype=bool)


def _group_ids(tools: Sequence[Tool]) -> np.ndarray:
    """One id per tool "family": variants that differ only by a disambiguation suffix share it."""
    ids: dict[str, int] = {}
    return np.array([ids.setdefault(base_tool_name(t.original_name or t.name), len(ids)) for t in tools], dtype=np.int64)


def embed_distinct(fields: Sequence[ToolField], embedder: Embedder) -> tuple[np.ndarray, np.ndarray]:
    """(one vector per distinct field text, the row of each field's text): a text shared by thousands of
    fields is embedded and stored once."""
    texts = [f.embedding_text() for f in fields]
    unique: dict[str, int] = {}
    rows = np.fromiter((unique.setdefault(t, len(unique)) for t in texts), dtype=np.int64, count=len(texts))
    if not unique:
        return np.zeros((0, 1), dtype=np.float32), rows
    return np.ascontiguousarray(embedder.embed(list(unique)), dtype=np.float32), rows


def _enum_conflicts(a: Sequence[ToolField], b: Sequence[ToolField], ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """True where both fields are enums with no value in common (e.g. units `celsius` vs `mph`)."""
    has_a = np.fromiter((bool(f.enum) for f in a), dtype=bool, count=len(a))
    has_b = np.fromiter((bool(f.enum) for f in b), dtype=bool, count=len(b))
    conflict = np.zeros(ia.size, dtype=bool)
    for pos in np.flatnonzero(has_a[ia] & has_b[ib]):
        conflict[pos] = not (set(a[ia[pos]].enum) & set(b[ib[pos]].enum))
    return conflict


def build_tool_graph(tools: Sequence[Tool], embedder: Embedder, config: GraphConfig = GraphConfig()) -> ToolGraph:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    inputs, outputs = flatten_tools(tools, config.infer_outputs, config.max_inferred_outputs)
    timings["flatten_s"] = time.perf_counter() - started
    size = budget.bound(len(tools), len(inputs), len(outputs), config.top_k_per_field, config.include_shared_param)
    budget.check(size, config.max_edges)

    mark = time.perf_counter()
    # one pass: a text shared by both sides is embedded once; fields keep only their text's row
    vectors, rows = embed_distinct([*inputs, *outputs], embedder)
    in_rows, out_rows = rows[: len(inputs)], rows[len(inputs) :]
    timings["embed_s"] = time.perf_counter() - mark

    df_default = getattr(embedder, "default_data_flow_threshold", None) or embedder.default_threshold
    df_threshold = config.data_flow_threshold if config.data_flow_threshold is not None else df_default
    sp_threshold = config.shared_param_threshold if config.shared_param_threshold is not None else embedder.default_threshold
    groups = _group_ids(tools)
    in_tool = np.fromiter((f.tool_index for f in inputs), dtype=np.int64, count=len(inputs))
    out_tool = np.fromiter((f.tool_index for f in outputs), dtype=np.int64, count=len(outputs))
    in_types, out_types = _type_codes(inputs), _type_codes(outputs)
    k = config.top_k_per_field

    mark = time.perf_counter()
    # data_flow, both ways: each parameter's best producers, and each output's best consumers
    producers, method = search_pooled(
        vectors, in_rows, out_rows, k=k, threshold=df_threshold,
        query_types=in_types, target_types=out_types, compatible=_compat_matrix(lambda q, t: fills(t, q)),
        query_groups=groups[in_tool], target_groups=groups[out_tool], query_tools=in_tool, target_tools=out_tool,
        config=config.search,
    )
    consumers, _ = search_pooled(
        vectors, out_rows, in_rows, k=k, threshold=df_threshold,
        query_types=out_types, target_types=in_types, compatible=_compat_matrix(fills),
        query_groups=groups[out_tool], target_groups=groups[in_tool], query_tools=out_tool, target_tools=in_tool,
        config=config.search,
    )
    flow_out = np.concatenate([producers.target, consumers.query])
    flow_in = np.concatenate([producers.query, consumers.target])
    flow_score = np.concatenate([producers.score, consumers.score])
    del producers, consumers
    # identifiers the names tie to their parameter (`iso_code` → `stateIsoCode`), where similarity is too low;
    # a pair similarity already found is not listed twice
    extra_out, extra_in, extra_score = (np.concatenate(parts) for parts in zip(
        identifier_links(tools, inputs, outputs, groups, float(df_threshold)),
        api_links(tools, inputs, outputs, groups, float(df_threshold))))
    found = set(zip(flow_out.tolist(), flow_in.tolist())) if extra_out.size else set()
    new = np.fromiter(((o, i) not in found for o, i in zip(extra_out.tolist(), extra_in.tolist())), dtype=bool,
                      count=extra_out.size)
    flow_out = np.concatenate([flow_out, extra_out[new]])
    flow_in = np.concatenate([flow_in, extra_in[new]])
    flow_score = np.concatenate([flow_score, extra_score[new]])
    keep = ~_enum_conflicts(outputs, inputs, flow_out, flow_in)
    flow = (flow_out[keep], flow_in[keep], flow_score[keep])
    del flow_out, flow_in, flow_score

    if config.include_shared_param:
        shared, _ = search_pooled(
            vectors, in_rows, in_rows, k=k, threshold=sp_threshold,
            query_types=in_types, target_types=in_types, compatible=_compat_matrix(compatible_for_sharing),
            query_groups=groups[in_tool], target_groups=groups[in_tool], query_tools=in_tool, target_tools=in_tool,
            config=config.search,
        )
    else:
        shared = Matches(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    keep = ~_enum_conflicts(inputs, inputs, shared.query, shared.target)
    # canonical orientation: the field of the tool earlier in the catalog is the src
    a, b = shared.query[keep], shared.target[keep]
    swap = in_tool[a] > in_tool[b]
    share = (np.where(swap, b, a), np.where(swap, a, b), shared.score[keep])
    del shared, a, b, swap, keep
    timings["search_s"] = time.perf_counter() - mark

    mark = time.perf_counter()
    n_flow, n_share = int(flow[0].size), int(share[0].size)
    pairs = FieldPairs.of(len(inputs), in_tool, out_tool, flow, share)
    del flow, share  # the pairs hold the only copy from here on
    edges, (src, dst) = edges_frame(tools, inputs, outputs, pairs, config.max_matches_per_edge, EDGE_SCHEMA)
    del pairs
    nodes = _nodes_frame(tools, inputs, outputs, edges, src, dst)
    timings["assemble_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - started

    stats = {
        "embedder": embedder.name,
        "data_flow_threshold": float(df_threshold),
        "shared_param_threshold": float(sp_threshold),
        "input_fields": len(inputs),
        "output_fields": len(outputs),
        "inferred_output_fields": sum(f.inferred for f in outputs),
        "search_method": method,
        "max_field_pairs": size.max_field_pairs,
        "field_pairs_data_flow": n_flow,
        "field_pairs_shared_param": n_share,
        **{key: round(value, 3) for key, value in timings.items()},
    }
    return ToolGraph(nodes=nodes, edges=edges, stats=stats)


def _nodes_frame(
    tools: Sequence[Tool], inputs: Sequence[ToolField], outputs: Sequence[ToolField], edges: pl.DataFrame,
    src: np.ndarray, dst: np.ndarray,
) -> pl.DataFrame:
    """One row per tool; `src` / `dst` are the catalog positions of every edge's ends (in `edges` order)."""
    n = len(tools)
    in_lists: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    out_lists: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    for f in inputs:
        in_lists[f.tool_index].append(f.to_json())
    for f in outputs:
        out_lists[f.tool_index].append(f.to_json())

    is_flow = (edges["kind"] == DATA_FLOW).to_numpy()
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    flow_out = np.bincount(src[is_flow], minlength=n)
    flow_in = np.bincount(dst[is_flow], minlength=n)
    shared = np.bincount(src[~is_flow], minlength=n) + np.bincount(dst[~is_flow], minlength=n)
    labels = component_labels(n, src, dst)
    sizes = np.bincount(labels, minlength=labels.max() + 1 if n else 0)

    return pl.DataFrame(
        {
            "tool_id": [t.tool_id for t in tools],
            "name": [t.name for t in tools],
            "category": [t.category for t in tools],
            "n_input_fields": [len(x) for x in in_lists],
            "n_output_fields": [len(x) for x in out_lists],
            "outputs_inferred": [any(f["inferred"] for f in x) for x in out_lists],
            "input_fields": [json.dumps(x, ensure_ascii=False) for x in in_lists],
            "output_fields": [json.dumps(x, ensure_ascii=False) for x in out_lists],
            "degree": degree,
            "data_flow_in": flow_in,
            "data_flow_out": flow_out,
            "shared_param_degree": shared,
            "component": labels,
            "component_size": sizes[labels] if n else [],
        },
        schema=NODE_SCHEMA,
    )


def component_labels(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Connected component of every node, ignoring direction (labels numbered in catalog order)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    adjacency = sp.coo_matrix((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(n, n))
    _, labels = connected_components(adjacency, directed=False)
    return labels.astype(np.int64)
