"""Benchmark: build the tool graph of synthetic catalogs (1k, 10k, 50k tools, about 5 fields each).

Each size runs in its own subprocess under an address-space limit (RLIMIT_AS, default 4 GiB) and a wall
clock timeout, with the offline embedder, and reports wall time per phase and the peak resident memory
(ru_maxrss) of that process. It also prints the machine's speed (a float32 matrix product and a Python
loop), because a shared or throttled machine can be many times slower than its core count suggests.

    python benchmarks/graph_build.py                      # 1k, 10k, 50k
    python benchmarks/graph_build.py --sizes 1000 5000    # other sizes
    python benchmarks/graph_build.py --recall             # also: ivf recall against exact at 10k

The synthetic catalog: tools named `<domain>_<verb>_<entity>_<n>`, parameters and return fields drawn
from entity attributes (`hotel_id`, `order_date`, ...) with templated, varied descriptions; half the
tools declare a return schema, the rest get inferred outputs, like real catalogs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DOMAINS = """travel finance retail health media sports weather music food realestate logistics education gaming
security devops crm hr legal energy auto social maps news science""".split()
ENTITIES = """hotel flight booking user order product invoice payment customer account ticket event venue artist
album track playlist recipe restaurant menu doctor patient appointment prescription policy claim vehicle
driver route shipment package warehouse course student teacher exam grade game player team match league
server cluster deployment repository commit issue alert incident contract lawyer case property listing
agent lead campaign employee project task document folder file image video channel post comment message
station forecast city country region stock portfolio transaction budget loan""".split()
ATTRIBUTES = {
    "id": "string", "name": "string", "date": "string", "price": "number", "status": "string", "city": "string",
    "count": "integer", "email": "string", "url": "string", "rating": "number", "type": "string", "code": "string",
    "amount": "number", "start_date": "string", "end_date": "string", "address": "string", "duration": "integer",
    "currency": "string", "title": "string", "description": "string", "limit": "integer", "category": "string",
    "score": "number", "language": "string", "owner_id": "string", "created_at": "string", "tags": "array",
    "location": "string", "quantity": "integer", "version": "string",
}
VERBS = ["get", "search", "create", "update", "delete", "list", "book", "cancel", "calculate", "find"]
QUALIFIERS = ["", "as shown to the user", "in ISO format", "used for lookups", "from the catalog", "for filtering",
              "returned by the service", "of the record", "for the current session", "as stored upstream"]


def synthetic_catalog(n_tools: int, seed: int = 0):
    import random

    from toolflow_assets.tools import Tool

    rng = random.Random(seed)
    attrs = list(ATTRIBUTES)
    tools = []
    for i in range(n_tools):
        domain, verb, entity = rng.choice(DOMAINS), rng.choice(VERBS), rng.choice(ENTITIES)
        related = rng.choice(ENTITIES)
        n_in = rng.randint(2, 4)
        properties = {}
        for _ in range(n_in):
            owner = entity if rng.random() < 0.6 else related
            attr = rng.choice(attrs)
            key = f"{owner}_{attr}"
            properties[key] = {
                "type": ATTRIBUTES[attr],
                "description": f"The {attr.replace('_', ' ')} of the {owner} {rng.choice(QUALIFIERS)}".strip() + ".",
            }
        returns = None
        if rng.random() < 0.5:
            outputs = {}
            for _ in range(5 - n_in):
                attr = rng.choice(attrs)
                outputs[f"{entity}_{attr}"] = {
                    "type": ATTRIBUTES[attr],
                    "description": f"The {attr.replace('_', ' ')} of the {entity} {rng.choice(QUALIFIERS)}".strip() + ".",
                }
            returns = {"type": "object", "properties": outputs}
        name = f"{domain}_{verb}_{entity}_{i}"
        tools.append(Tool(
            tool_id=f"t{i:06d}", name=name, description=f"{verb.capitalize()} the {entity} records of the {domain} service.",
            parameters={"type": "object", "properties": properties}, returns=returns, source="synthetic",
            source_format="openai", category=domain, original_name=name,
        ))
    return tools


def machine_speed() -> dict[str, float]:
    import numpy as np

    a = np.random.default_rng(0).standard_normal((1024, 1024)).astype(np.float32)
    a @ a
    started = time.perf_counter()
    for _ in range(4):
        a @ a
    gflops = 4 * 2 * 1024**3 / (time.perf_counter() - started) / 1e9
    started = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i
    loop_rate = 2_000_000 / (time.perf_counter() - started) / 1e6
    return {"sgemm_gflops": round(gflops, 1), "python_loop_mops": round(loop_rate, 1)}


def run_child(n_tools: int, seed: int, method: str) -> dict:
    from toolflow_assets.graph.build import GraphConfig, build_tool_graph
    from toolflow_assets.graph.embeddings import make_embedder
    from toolflow_assets.graph.similarity import SearchConfig

    started = time.perf_counter()
    tools = synthetic_catalog(n_tools, seed)
    catalog_s = time.perf_counter() - started
    graph = build_tool_graph(tools, make_embedder("offline"), GraphConfig(search=SearchConfig(method=method)))
    counts = dict(graph.edges.group_by("kind").len().iter_rows())
    result = {
        "tools": n_tools,
        "method": method,
        "catalog_s": round(catalog_s, 2),
        **graph.stats,
        "edges_data_flow": int(counts.get("data_flow", 0)),
        "edges_shared_param": int(counts.get("shared_param", 0)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if os.environ.get("GRAPH_BENCH_EDGES_OUT"):
        graph.edges.select("src_tool_id", "dst_tool_id", "kind").write_parquet(os.environ["GRAPH_BENCH_EDGES_OUT"])
    return result


def run_bounded(n_tools: int, seed: int, method: str, memory_gb: float, timeout_s: float, edges_out: str = "") -> dict:
    limit = int(memory_gb * 1024**3)

    def limit_memory():  # runs in the child before exec: a hard cap on its address space
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = dict(os.environ, GRAPH_BENCH_EDGES_OUT=edges_out)
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            [sys.executable, __file__, "--child", str(n_tools), "--seed", str(seed), "--method", method],
            capture_output=True, text=True, timeout=timeout_s, preexec_fn=limit_memory, env=env, cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"tools": n_tools, "method": method, "error": f"timed out after {timeout_s:.0f}s"}
    if completed.returncode != 0:
        tail = (completed.stderr or "").strip().splitlines()[-3:]
        return {"tools": n_tools, "method": method, "error": f"exit {completed.returncode}: {' | '.join(tail)}"}
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = round(time.perf_counter() - started, 2)
    return result


def recall_against_exact(n_tools: int, seed: int, memory_gb: float, timeout_s: float) -> dict:
    import tempfile

    import polars as pl

    with tempfile.TemporaryDirectory() as folder:
        exact_path, ivf_path = f"{folder}/exact.parquet", f"{folder}/ivf.parquet"
        exact = run_bounded(n_tools, seed, "exact", memory_gb, timeout_s, exact_path)
        ivf = run_bounded(n_tools, seed, "ivf", memory_gb, timeout_s, ivf_path)
        if "error" in exact or "error" in ivf:
            return {"error": exact.get("error") or ivf.get("error")}
        a = set(pl.read_parquet(exact_path).iter_rows())
        b = set(pl.read_parquet(ivf_path).iter_rows())
    return {
        "tools": n_tools,
        "exact_edges": len(a),
        "ivf_edges": len(b),
        "ivf_recall": round(len(a & b) / max(len(a), 1), 4),
        "ivf_precision": round(len(a & b) / max(len(b), 1), 4),
        "exact_total_s": exact["total_s"],
        "ivf_total_s": ivf["total_s"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--method", default="auto", choices=["auto", "exact", "ivf"])
    parser.add_argument("--memory-limit-gb", type=float, default=4.0)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per size")
    parser.add_argument("--recall", action="store_true", help="also measure ivf recall against exact at 10k tools")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child is not None:
        print(json.dumps(run_child(args.child, args.seed, args.method)))
        return

    print(f"machine: {os.cpu_count()} cpus, {json.dumps(machine_speed())}")
    print(f"limits per size: {args.memory_limit_gb:g} GiB address space, {args.timeout:.0f}s")
    header = f"{'tools':>7} {'method':>6} {'in/out fields':>15} {'data_flow':>9} {'shared':>8} " \
             f"{'embed s':>8} {'search s':>9} {'total s':>8} {'peak MB':>8}"
    print(header)
    results = []
    for size in args.sizes:
        r = run_bounded(size, args.seed, args.method, args.memory_limit_gb, args.timeout)
        results.append(r)
        if "error" in r:
            print(f"{size:>7} FAILED: {r['error']}")
            continue
        print(f"{r['tools']:>7} {r['search_method']:>6} {r['input_fields']:>7}/{r['output_fields']:<7} {r['edges_data_flow']:>9} "
              f"{r['edges_shared_param']:>8} {r['embed_s']:>8.1f} {r['search_s']:>9.1f} {r['total_s']:>8.1f} {r['peak_rss_mb']:>8.0f}")
    ok = [r for r in results if "error" not in r]
    for small, large in zip(ok, ok[1:]):
        ratio = large["total_s"] / max(small["total_s"], 1e-9)
        print(f"{small['tools']} → {large['tools']} tools (×{large['tools'] / small['tools']:.0f}): time ×{ratio:.1f}")
    if args.recall:
        print("ivf vs exact at 10k tools:", json.dumps(recall_against_exact(10000, args.seed, args.memory_limit_gb, args.timeout)))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
