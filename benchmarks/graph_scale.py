"""Benchmark: large and dense catalogs run WHOLE through `toolflow run`, with wall time and peak memory.

Issue 14 item 3: a 50k-tool catalog whose tools share one small field vocabulary (every `location` says
"The city and state, e.g. San Francisco, CA") made `tool_graph` take 204 s and 11.7 GB; 269k tools aborted
with an allocation failure. This script writes such catalogs (synthetic, deterministic: seeded), runs the
whole pipeline on each in a subprocess with fresh DAGSTER_HOME / storage / output folders, under an
address-space limit (RLIMIT_AS) and a timeout, and prints wall time and the peak resident memory of the
largest process of the run (ru_maxrss of the waited-for children), with the CPU seconds of the run (on a
shared machine wall time also measures the other jobs) and the slowest stages.

    python benchmarks/graph_scale.py                         # 50k dense, then 250k
    python benchmarks/graph_scale.py --tools 50000 --limit-gb 2.5
    python benchmarks/graph_scale.py --write-only /tmp/dense50k.json --tools 50000

Targets: 50k dense under 2 GB and 60 s; 250k under 8 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The shared vocabulary: few fields, identical texts across the catalog. Every field of one name says the
# same thing in every tool, which is what made shared-field joins explode.
VOCABULARY: dict[str, tuple[str, str]] = {
    "location": ("string", "The city and state, e.g. San Francisco, CA"),
    "city": ("string", "Name of the city"),
    "country": ("string", "Country code in ISO 3166 format"),
    "date": ("string", "Date in YYYY-MM-DD format"),
    "start_date": ("string", "First day of the period, YYYY-MM-DD"),
    "end_date": ("string", "Last day of the period, YYYY-MM-DD"),
    "user_id": ("string", "Identifier of the user"),
    "order_id": ("string", "Identifier of the order"),
    "product_id": ("string", "Identifier of the product"),
    "account_id": ("string", "Identifier of the account"),
    "email": ("string", "Email address of the contact"),
    "query": ("string", "Free-text search query"),
    "language": ("string", "Language code such as en or fr"),
    "currency": ("string", "Three-letter currency code"),
    "amount": ("number", "Amount of money"),
    "price": ("number", "Price in the given currency"),
    "quantity": ("integer", "Number of items"),
    "limit": ("integer", "Maximum number of results"),
    "rating": ("number", "Average rating from 1 to 5"),
    "latitude": ("number", "Latitude in decimal degrees"),
    "longitude": ("number", "Longitude in decimal degrees"),
    "status": ("string", "Current status of the record"),
    "category": ("string", "Category of the item"),
    "name": ("string", "Display name"),
    "url": ("string", "Link to the resource"),
    "phone": ("string", "Phone number with country prefix"),
    "temperature": ("number", "Temperature in degrees Celsius"),
    "duration": ("integer", "Duration in minutes"),
    "tags": ("array", "Labels attached to the item"),
    "count": ("integer", "Number of matching records"),
}
VERBS = ["get", "search", "find", "list", "lookup", "fetch", "check", "create", "book", "estimate"]
NOUNS = """weather forecast hotel flight order product invoice payment customer account ticket event venue
restaurant doctor appointment policy vehicle route shipment package course exam game player team server
incident contract property listing campaign employee project document image channel station stock loan""".split()


def dense_catalog(n_tools: int, seed: int = 0) -> list[dict]:
    """OpenAI-format tools: unique names, 2-4 parameters and 1-3 declared return fields per tool, all drawn
    from `VOCABULARY` (so a field is shared by about n_tools / 10 tools)."""
    rng = random.Random(seed)
    names = list(VOCABULARY)
    tools = []
    for i in range(n_tools):
        verb, noun = rng.choice(VERBS), rng.choice(NOUNS)
        params = rng.sample(names, rng.randint(2, 4))
        outs = rng.sample([n for n in names if n not in params], rng.randint(1, 3))
        tools.append({
            "type": "function",
            "function": {
                # `x{i}` keeps names unique without the `_<digits>` suffix that marks variants of one tool
                "name": f"{verb}_{noun}_x{i:06d}",
                "description": f"{verb.capitalize()} {noun} records for service number {i}.",
                "parameters": {
                    "type": "object",
                    "properties": {p: {"type": VOCABULARY[p][0], "description": VOCABULARY[p][1]} for p in params},
                    "required": params[:1],
                },
                "returns": {
                    "type": "object",
                    "properties": {o: {"type": VOCABULARY[o][0], "description": VOCABULARY[o][1]} for o in outs},
                },
            },
        })
    return tools


def write_catalog(path: Path, n_tools: int, seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dense_catalog(n_tools, seed)))
    return path


def run_whole(n_tools: int, seed: int, limit_gb: float, timeout_s: float, dialogues: int, keep: bool) -> dict:
    """`toolflow run` on a fresh home; returns wall time, peak RSS of the largest child, exit code, tail."""
    folder = Path(tempfile.mkdtemp(prefix=f"toolflow-scale-{n_tools}-"))
    catalog = write_catalog(folder / "catalog" / "tools.json", n_tools, seed)
    env = dict(os.environ, DAGSTER_HOME=str(folder / "home"), TOOLFLOW_STORAGE_DIR=str(folder / "storage"))
    (folder / "home").mkdir()
    limit = int(limit_gb * 1024**3)

    def limit_memory():  # in the child before exec: a hard cap on the address space of the run
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    command = [str(ROOT / ".venv" / "bin" / "toolflow"), "run", "--sources", str(catalog),
               "--output", str(folder / "output"), "--dialogues", str(dialogues), "--seed", "7"]
    started = time.perf_counter()
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s,
                                   preexec_fn=limit_memory, env=env, cwd=ROOT)
        rc, out = completed.returncode, (completed.stdout or "") + (completed.stderr or "")
    except subprocess.TimeoutExpired as error:
        rc, out = 124, f"timed out after {timeout_s:.0f}s " + str(error.stdout or "")[-500:]
    wall = time.perf_counter() - started
    (folder / "run.log").write_text(out)
    stages = {line.split("]")[1].split(" done in ")[0].strip(): float(line.rsplit(" in ", 1)[1].split()[0])
              for line in out.splitlines() if "] " in line and " done in " in line}
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = usage.ru_maxrss / 1024
    cpu_s = usage.ru_utime + usage.ru_stime  # CPU seconds: on a shared machine wall time mostly measures the others
    if not keep:
        subprocess.run(["rm", "-rf", str(folder)], check=False)
    return {"tools": n_tools, "rc": rc, "wall_s": round(wall, 1), "cpu_s": round(cpu_s, 1), "peak_rss_mb": round(peak_mb),
            "limit_gb": limit_gb, "stages_s": stages, "tail": "\n".join(out.strip().splitlines()[-6:]), "folder": str(folder) if keep else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tools", type=int, nargs="+", default=[50_000, 250_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dialogues", type=int, default=20)
    parser.add_argument("--limit-gb", type=float, default=8.5, help="address-space limit of the run")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run")
    parser.add_argument("--keep", action="store_true", help="keep the run folders")
    parser.add_argument("--write-only", type=Path, help="only write the catalog of --tools[0] tools to this path")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_only:
        print(write_catalog(args.write_only, args.tools[0], args.seed))
        return
    for n_tools in args.tools:
        # each size in its own process, so ru_maxrss of the children is that size's alone
        if not args.child and len(args.tools) > 1:
            subprocess.run([sys.executable, __file__, "--child", "--tools", str(n_tools), "--seed", str(args.seed),
                            "--dialogues", str(args.dialogues), "--limit-gb", str(args.limit_gb),
                            "--timeout", str(args.timeout), *(["--keep"] if args.keep else [])], check=False)
            continue
        result = run_whole(n_tools, args.seed, args.limit_gb, args.timeout, args.dialogues, args.keep)
        print(f"{result['tools']:>7} tools: exit {result['rc']}, {result['wall_s']:.1f} s wall, {result['cpu_s']:.1f} s CPU, "
              f"peak RSS {result['peak_rss_mb']} MB (limit {result['limit_gb']:g} GB)")
        slow = sorted(result["stages_s"].items(), key=lambda kv: -kv[1])[:5]
        print("  slowest stages: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slow))
        if result["rc"] != 0:
            print("  " + result["tail"].replace("\n", "\n  "))
        print(json.dumps(result))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
