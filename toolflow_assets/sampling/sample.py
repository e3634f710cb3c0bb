"""Draw tool subgraphs: small sets of tools that compose, for one dialogue each.

Two strategies:
- `graph`: neighbourhood expansion from a seed tool. Each step adds one neighbour of the tools chosen so
  far, drawn with weight `score × data_flow_bias (data_flow edges) × chain_bias (an edge that continues
  the chain from the tool added last) / (1 + times used)^reuse_penalty`. The bias makes data-flow chains
  likely; the reuse penalty spreads samples over the catalog instead of circling the hubs. The endpoints of
  one API take turns as one (`seed_weights`): an API's share of samples grows with the root of its size,
  whatever share of its endpoints can start a chain.
- `random`: a uniform sample of the catalog, the baseline the report compares against.

Graph samples start at a tool with a data_flow edge out, so chains are likely, except `flowless_share` of them:
those start at an endpoint of a known API that no data_flow edge touches (a stock quote API whose three
endpoints share nothing the graph can see), so every API of the catalog reaches the data, not only the ones
whose outputs feed inputs. A neighbourhood that runs out of edges goes on
with the other endpoints of the same API (`tools.api_of`), before any tool is padded in at random.

Everything is drawn from `random.Random(sample_seed)` where the sample seed derives from the run seed and
the sample's index, so the same catalog, graph, config and seed give the same samples.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

import polars as pl

from ..meanings import same_context
from ..tools import Tool
from .graph_index import GraphIndex

GRAPH = "graph"
RANDOM = "random"

SUBGRAPH_SCHEMA: dict[str, pl.DataType] = {
    "sample_id": pl.String,
    "strategy": pl.String,
    "seed": pl.Int64,
    "tool_ids": pl.List(pl.String),
    "tool_names": pl.List(pl.String),
    "edges": pl.String,  # JSON: [{"src", "dst", "kind", "score", "src_field", "dst_field"}] by tool name
    "longest_chain": pl.Int64,  # tools on the longest data_flow path inside the sample (1 if none)
    "chain": pl.List(pl.String),  # tool names along that path, in call order
    "padded": pl.Int64,  # tools added uniformly at random because the neighbourhood ran out (normally 0)
    "distractors": pl.List(pl.String),  # tools offered beside the sample but not meant to be called
}


@dataclass(frozen=True)
class SamplingConfig:
    n_samples: int = 300
    seed: int = 7
    random_fraction: float = 0.2
    min_tools: int = 2
    max_tools: int = 5
    data_flow_bias: float = 4.0
    chain_bias: float = 3.0
    reuse_penalty: float = 1.0
    seed_attempts: int = 8
    avoid_variants: bool = True  # never put `calculate_tax` and `calculate_tax_5` in one sample
    # share of graph samples started at a tool no data_flow edge touches (when there is one): without them
    # the BFCL file-system and math APIs never reached the training data
    flowless_share: float = 0.15
    distractor_rate: float = 0.75  # share of samples offered with distractor tools (neighbours not called)
    max_distractors: int = 2
    batch: str = ""  # prefixes every sample_id (`batch-0002:graph-00007`), so batches never share an id

    def __post_init__(self) -> None:
        if not 1 <= self.min_tools <= self.max_tools:
            raise ValueError(f"need 1 <= min_tools <= max_tools, got {self.min_tools}, {self.max_tools}")
        if not 0.0 <= self.random_fraction <= 1.0:
            raise ValueError(f"random_fraction must be in [0, 1], got {self.random_fraction}")
        if not 0.0 <= self.flowless_share <= 1.0:
            raise ValueError(f"flowless_share must be in [0, 1], got {self.flowless_share}")
        if not 0.0 <= self.distractor_rate <= 1.0 or self.max_distractors < 0:
            raise ValueError(f"need distractor_rate in [0, 1] and max_distractors >= 0, got "
                             f"{self.distractor_rate}, {self.max_distractors}")


def sample_seed(run_seed: int, index: int) -> int:
    """A per-sample seed from the run seed and the sample index (stable across processes and versions)."""
    return int(hashlib.sha256(f"toolflow-sample:{run_seed}:{index}".encode()).hexdigest()[:15], 16)


def strategy_plan(config: SamplingConfig) -> list[str]:
    """Which strategy each sample index uses: `random_fraction` of them random, interleaved by the seed."""
    n_random = round(config.n_samples * config.random_fraction)
    plan = [GRAPH] * (config.n_samples - n_random) + [RANDOM] * n_random
    random.Random(sample_seed(config.seed, -1)).shuffle(plan)
    return plan


def _weighted_pick(rng: random.Random, items: list[int], weights: list[float]) -> int:
    return rng.choices(items, weights=weights, k=1)[0]


def _expand(graph: GraphIndex, seed_tool: int, size: int, uses: list[int], config: SamplingConfig, rng: random.Random) -> list[int]:
    members = [seed_tool]
    member_set = {seed_tool}
    families = {graph.families[seed_tool]}
    last = seed_tool
    while len(members) < size:
        weights: dict[int, float] = {}
        for u in members:
            for e in graph.edges_of(u):
                src = graph.src[e]
                v = graph.dst[e] if src == u else src
                if v in member_set or (config.avoid_variants and graph.families[v] in families):
                    continue
                weight = max(graph.score[e], 1e-6)
                if graph.is_flow[e]:
                    weight *= config.data_flow_bias
                    if u == last and src == u:  # continues the chain forward from the newest tool
                        weight *= config.chain_bias
                weights[v] = weights.get(v, 0.0) + weight / (1 + uses[v]) ** config.reuse_penalty
        if not weights:  # no edge leads further: the API's other endpoints compose with its members
            weights = {v: 1.0 / (1 + uses[v]) ** config.reuse_penalty for u in members for v in graph.api_endpoints[u]
                       if v not in member_set and not (config.avoid_variants and graph.families[v] in families)}
        if not weights:
            break
        candidates = sorted(weights)
        chosen = _weighted_pick(rng, candidates, [weights[c] for c in candidates])
        members.append(chosen)
        member_set.add(chosen)
        families.add(graph.families[chosen])
        last = chosen
    return members


def seed_weights(graph: GraphIndex, seeds: Sequence[int], uses: Sequence[int], seeded: Mapping[str, int],
                 penalty: float) -> list[float]:
    """The weight of drawing each seed. A tool of no known API: 1 / (1 + its uses)^penalty. The endpoints of an
    API share one weight, size / (1 + samples it seeded)^penalty, split between them by their own uses.
    Per tool, uses evened out, so an API's share grew with its count of endpoints that start a chain: the BFCL
    Math API's 17 calculators, which all chain, were 44% of the multi-turn part's dialogues and the file system
    (one listing starts its chains) 7%. Weights a / (1 + n) give shares that grow with √a (n grows at rate c
    with c ∝ a / c), so at penalty 1 an API's share grows with the root of its size: 17 endpoints count about as
    much as 15 or 18, and twice as much as 4."""
    own = [1.0 / (1 + uses[s]) ** penalty for s in seeds]
    in_api: dict[str, float] = defaultdict(float)
    for s, weight in zip(seeds, own):
        if graph.apis[s]:
            in_api[graph.apis[s]] += weight
    weights = []
    for s, weight in zip(seeds, own):
        api = graph.apis[s]
        if not api:
            weights.append(weight)
            continue
        size = graph.api_size[s]
        weights.append(weight / in_api[api] * size / (1 + seeded.get(api, 0)) ** penalty)
    return weights


def _graph_sample(graph: GraphIndex, uses: list[int], seeds: list[int], seeded: Mapping[str, int],
                  config: SamplingConfig, rng: random.Random) -> tuple[list[int], int]:
    size = rng.randint(config.min_tools, config.max_tools)
    best: list[int] = []
    weights = seed_weights(graph, seeds, uses, seeded, config.reuse_penalty) if seeds else []  # fixed per sample
    for _ in range(config.seed_attempts):
        if not seeds:
            break
        seed_tool = _weighted_pick(rng, seeds, weights)
        members = _expand(graph, seed_tool, size, uses, config, rng)
        if len(members) > len(best):
            best = members
        if len(best) >= config.min_tools:
            break
    padded = 0
    if len(best) < config.min_tools:  # the neighbourhood ran out: fill up at random, and say so
        pool = [i for i in range(len(graph.tool_ids)) if i not in set(best)]
        extra = rng.sample(pool, min(len(pool), config.min_tools - len(best)))
        padded = len(extra)
        best = best + extra
    return best, padded


def pick_distractors(graph: GraphIndex, members: Sequence[int], strategy: str, config: SamplingConfig,
                     seed: int) -> list[int]:
    """Tools to offer beside the sample that the dialogue will not call, so the assistant has to choose.

    Graph samples take them from the sample's neighbourhood (tools that look relevant: the hard case), or,
    with no neighbour outside the sample, from the members' category, else from anywhere; random samples from
    anywhere, as their members are. Never a member or a variant of one (`tax_2` beside
    `tax` would be two names for one tool). Drawn from their own random stream, so the sample itself is the
    same with or without distractors."""
    rng = random.Random(sample_seed(seed, -2))
    if not members or config.max_distractors == 0 or rng.random() >= config.distractor_rate:
        return []
    families = {graph.families[m] for m in members}
    if strategy == GRAPH:
        pool = sorted({v for m in members for e in graph.edges_of(m) for v in (graph.src[e], graph.dst[e])})
    else:
        pool = range(len(graph.tool_ids))
    eligible = [v for v in pool if graph.families[v] not in families]
    if not eligible and strategy == GRAPH:
        # a sparse graph (ToolBench tools share few fields): tools of the members' category look relevant too
        categories = {graph.categories[m] for m in members} - {""}
        eligible = [v for v in range(len(graph.tool_ids))
                    if graph.categories[v] in categories and graph.families[v] not in families]
    if not eligible and strategy == GRAPH:
        # the sample is its whole neighbourhood and category (the Odds API's three sports tools): tools of other
        # APIs, as an agent offered several services has beside the one it needs
        eligible = [v for v in range(len(graph.tool_ids)) if graph.families[v] not in families]
    if not eligible:
        return []
    count = rng.randint(1, config.max_distractors)
    picked = rng.sample(eligible, min(count, len(eligible)))
    return sorted(picked, key=lambda v: graph.names[v])


def longest_data_flow_chain(graph: GraphIndex, members: Sequence[int]) -> list[int]:
    """The longest simple path along data_flow edges among `members` (ties: higher total score, then the
    order found); a single tool when there is no data_flow edge. Samples are tiny, so a DFS is exact."""
    member_set = set(members)
    successors: dict[int, list[tuple[int, float]]] = {m: [] for m in members}
    for m in members:
        for e in graph.edges_of(m):
            if graph.is_flow[e] and graph.src[e] == m and graph.dst[e] in member_set:
                successors[m].append((graph.dst[e], graph.score[e]))
    for m in members:
        successors[m].sort(key=lambda item: (-item[1], item[0]))

    best_path: list[int] = [members[0]] if members else []
    best_key = (1, 0.0)

    def visit(path: list[int], total: float) -> None:
        nonlocal best_path, best_key
        key = (len(path), total)
        if key > best_key:
            best_key, best_path = key, list(path)
        for nxt, score in successors[path[-1]]:
            if nxt not in path:
                path.append(nxt)
                visit(path, total + score)
                path.pop()

    for start in members:
        visit([start], 0.0)
    return best_path


def drop_cross_domain_flows(edges: pl.DataFrame, tools: dict[str, Tool]) -> tuple[pl.DataFrame, int]:
    """The edges without the data_flow edges whose two tools work on different things (a Bible verse's
    `date` into a flight search; `meanings.same_context`), and how many were dropped. Dropped before
    drawing, so chains are drawn from sensible links instead of being refused later by the planner."""
    if edges.is_empty() or "kind" not in edges.columns:
        return edges, 0
    keep = [
        kind != "data_flow" or (src in tools and dst in tools
                                and same_context(tools[src], str(src_field), tools[dst], str(dst_field)))
        for kind, src, dst, src_field, dst_field in edges.select(
            "kind", "src_tool_id", "dst_tool_id", "src_field", "dst_field").iter_rows()
    ]
    kept = edges.filter(pl.Series(keep, dtype=pl.Boolean))
    return kept, edges.height - kept.height


def flowless_seeds(graph: GraphIndex, min_tools: int) -> list[int]:
    """Endpoints of a known API (`tools.api_of`) that no data_flow edge touches, with enough to compose with:
    a neighbourhood (shared parameters) or the API's other endpoints. A function of no known API (one of BFCL's
    single-turn test sets) is left to the chains: its shared-parameter neighbours are other test functions that
    happen to take a `location` (a rainfall forecast, a train ticket, a stock price and a geodistance in one
    sample, read in a run), which compose no better than the random baseline."""
    touched = {end for s, d, flow in zip(graph.src, graph.dst, graph.is_flow) if flow for end in (s, d)}
    return [i for i in range(len(graph.tool_ids)) if i not in touched and graph.apis[i]
            and ((graph.degree(i) and graph.component_size[i] >= min_tools)
                 or len(graph.api_endpoints[i]) >= min_tools)]


def sample_subgraphs(nodes: pl.DataFrame, edges: pl.DataFrame, config: SamplingConfig,
                     apis: Mapping[str, str] | None = None) -> pl.DataFrame:
    """One row per sample (see SUBGRAPH_SCHEMA); graph and random samples interleaved per `strategy_plan`.
    `apis`: each tool's API by tool id (`tools.api_of`), the neighbourhood beyond the graph's edges."""
    graph = GraphIndex.from_tables(nodes, edges, apis)
    n_tools = len(graph.tool_ids)
    uses = [0] * n_tools
    # seeds: tools that can start a chain (a data_flow edge out) in a neighbourhood big enough
    flow_sources = sorted({s for s, flow in zip(graph.src, graph.is_flow) if flow})
    seeds = [i for i in flow_sources if graph.component_size[i] >= config.min_tools]
    if not seeds:
        seeds = [i for i in range(n_tools) if graph.degree(i) and graph.component_size[i] >= config.min_tools]
    flowless = flowless_seeds(graph, config.min_tools)
    seeded: dict[str, int] = defaultdict(int)  # graph samples started in each API

    rows = []
    for index, strategy in enumerate(strategy_plan(config)):
        seed = sample_seed(config.seed, index)
        rng = random.Random(seed)
        padded = 0
        if n_tools == 0:
            members: list[int] = []
        elif strategy == GRAPH:
            # its own stream: the choice leaves every other sample as it was
            starts_flowless = bool(flowless) and random.Random(f"flowless:{seed}").random() < config.flowless_share
            members, padded = _graph_sample(graph, uses, flowless if starts_flowless else seeds, seeded, config, rng)
            if members and graph.apis[members[0]]:
                seeded[graph.apis[members[0]]] += 1
            for m in members:
                uses[m] += 1
        else:
            size = min(n_tools, rng.randint(config.min_tools, config.max_tools))
            members = rng.sample(range(n_tools), size)
        chain = longest_data_flow_chain(graph, members)
        rows.append(
            {
                "sample_id": f"{config.batch}:{strategy}-{index:05d}" if config.batch else f"{strategy}-{index:05d}",
                "strategy": strategy,
                "seed": seed,
                "tool_ids": [graph.tool_ids[m] for m in members],
                "tool_names": [graph.names[m] for m in members],
                "edges": json.dumps(
                    [
                        {
                            "src": graph.names[e.src],
                            "dst": graph.names[e.dst],
                            "kind": e.kind,
                            "score": e.score,
                            "src_field": e.src_field,
                            "dst_field": e.dst_field,
                        }
                        for e in graph.edges_among(members)
                    ],
                    ensure_ascii=False,
                ),
                "longest_chain": len(chain),
                "chain": [graph.names[m] for m in chain],
                "padded": padded,
                "distractors": [graph.names[v] for v in pick_distractors(graph, members, strategy, config, seed)],
            }
        )
    return pl.DataFrame(rows, schema=SUBGRAPH_SCHEMA)
