"""`toolflow`: run the whole pipeline headless, or open the Dagster UI on the same instance.

    toolflow run [--sources PATHS] [--output DIR] [--dialogues N] [--backend offline|openai] [--seed N]
                 [--planner offline|llm] [--writer template|llm|agent] [--executor auto|simulated|llm|mcp|python] [--batch KEY | --new-batch]
                 [--wait] [--verbose]
    toolflow ui [--port 3000]
    toolflow check PATH... [--report OUT.json]

Both use `$DAGSTER_HOME` when set, else a project-local instance in `./.toolflow/dagster_home`, so a
headless run shows up in the UI afterwards. Flags override the environment for this command only: the
LLM settings (roles, model, server) go into the run's config of the `llm` resource, so the run records
them and the UI shows them; the environment variables stay their defaults.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from .check_cli import add_parser as add_check_parser, run_check

LOCAL_HOME = Path(".toolflow") / "dagster_home"
DAGSTER_YAML = """# Written by `toolflow`: a local instance for headless runs and the UI.
telemetry:
  enabled: false
# Runs launched from the UI or by the daemon go through the run queue: one run per batch at a time (a second
# one on the same batch waits), different batches side by side, and one rebuild of the tool catalog and
# graph at a time (refresh_tools, full_pipeline). `toolflow run` waits or refuses on its own.
concurrency:
  runs:
    tag_concurrency_limits:
      - key: "dagster/partition"
        value:
          applyLimitPerUniqueValue: true
        limit: 1
      - key: "toolflow/writes"
        value: "tools"
        limit: 1
"""

FLAG_ENV = {
    "sources": "TOOLFLOW_SOURCES",
    "output": "TOOLFLOW_OUTPUT_DIR",
    "dialogues": "TOOLFLOW_DIALOGUES",
    "seed": "TOOLFLOW_SEED",
}
# Flags that configure the `llm` resource (resources/llm.py) through run config, by field; each field's
# default is its environment variable (TOOLFLOW_LLM_BACKEND, TOOLFLOW_PLANNER, TOOLFLOW_WRITER, ...).
LLM_FLAGS = {
    "backend": "backend",
    "planner": "planner",
    "writer": "writer",
    "executor": "executor",
    "model": "model",
    "base_url": "base_url",
    "concurrency": "concurrency",
    "timeout": "timeout_seconds",
}


def ensure_dagster_home() -> tuple[Path, bool]:
    """(DAGSTER_HOME, created_locally). Creates the project-local instance folder when none is set. A home
    without `dagster.yaml` gets ours (Dagster's defaults, telemetry off): without one, Dagster prints a
    20-line notice into every run's stderr, above the run's own messages."""
    local = not os.environ.get("DAGSTER_HOME")
    home = LOCAL_HOME.resolve() if local else Path(os.environ["DAGSTER_HOME"]).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():  # written whole (temp, rename): a concurrent run never reads half
        temp = home / f".dagster.yaml.{os.getpid()}.tmp"
        temp.write_text(DAGSTER_YAML)
        temp.replace(home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home, local


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0, got {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its error message
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="toolflow", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="materialize the whole pipeline (every stage) and print a summary",
        description="Materialize every ToolFlow stage through Dagster, recorded in $DAGSTER_HOME (or "
        "./.toolflow/dagster_home) so the run shows in `toolflow ui`. Flags override the environment.",
    )
    run.add_argument("--sources", help="comma-separated tool files, folders or globs "
                     "(default: $TOOLFLOW_SOURCES, else the bundled corpus)")
    run.add_argument("--output", help="folder for the exported dataset and report (default: $TOOLFLOW_OUTPUT_DIR, else ./output)")
    run.add_argument("--dialogues", type=_positive(int), help="number of dialogues to synthesize (default: $TOOLFLOW_DIALOGUES, else 300)")
    run.add_argument("--backend", choices=["offline", "openai"],
                     help="shorthand for the roles (default: $TOOLFLOW_LLM_BACKEND, else offline): offline is the offline "
                     "planner and the template writer, no model needed; openai is the llm planner with the model's own "
                     "user, assistant and tool agents writing the dialogue (a --planner flag still wins)")
    run.add_argument("--planner", choices=["offline", "llm"],
                     help="who plans each dialogue (default: $TOOLFLOW_PLANNER, else llm with --backend openai, else "
                     "offline): llm asks the model for each plan, one structured request per sample; needs "
                     "--base-url (or $OPENAI_API_KEY) and --model")
    run.add_argument("--writer", choices=["template", "llm", "agent"],
                     help="who writes the user and assistant texts (default: $TOOLFLOW_WRITER, else template): llm "
                     "rewrites the offline dialogue's texts with the model, one or two requests per dialogue; agent "
                     "lets the model pick its own calls from the offered tools and checks them against the plan; "
                     "both need --base-url (or $OPENAI_API_KEY) and --model")
    run.add_argument("--executor", choices=["auto", "simulated", "llm", "mcp", "python"],
                     help="who produces tool results (default: $TOOLFLOW_EXECUTOR, else auto, which is simulated where "
                     "no tool environment is installed): llm asks the model (--model, --base-url) for each result, "
                     "showing it the conversation and earlier results; mcp runs every "
                     "call on the live servers of the mcp:servers.json sources, recorded so a rerun replays them "
                     "($TOOLFLOW_EXECUTOR_REFRESH=1 executes them again); python runs the calls of BFCL's multi-turn tools "
                     "on bfcl-eval's environment classes (pip install --no-deps bfcl-eval==2026.3.23 mpmath); auto runs a "
                     "dialogue there when every tool of it has an installed environment, else simulates it")
    run.add_argument("--model", help="model name for the openai backend or the llm writer (default: $TOOLFLOW_LLM_MODEL)")
    run.add_argument("--base-url", dest="base_url", help="OpenAI-compatible base URL (default: $OPENAI_BASE_URL); "
                     "the key is read from $OPENAI_API_KEY only")
    run.add_argument("--concurrency", type=_positive(int), help="LLM requests in flight at once (default: "
                     "$TOOLFLOW_LLM_CONCURRENCY, else 16); match the server's parallel slots")
    run.add_argument("--timeout", type=_positive(float), help="seconds to wait for one LLM answer, queueing included "
                     "(default: $TOOLFLOW_LLM_TIMEOUT, else 60)")
    run.add_argument("--seed", type=int, help="seed for every random choice (default: $TOOLFLOW_SEED, else 7)")
    batch = run.add_mutually_exclusive_group()
    batch.add_argument("--batch", help="batch partition to (re)generate (default: batch-0001); it is added when "
                       "new. The dataset combines every batch.")
    batch.add_argument("--new-batch", action="store_true",
                       help="add the next batch (batch-NNNN after the highest) and generate it, to grow the dataset")
    run.add_argument("--job", default="full_pipeline",
                     choices=["full_pipeline", "refresh_tools", "generate_batch", "build_dataset"],
                     help="which job to run (default: full_pipeline, every stage for one batch); generate_batch "
                     "stops at the batch's quality checks, build_dataset then curates, exports and reports "
                     "every batch")
    run.add_argument("--wait", action="store_true",
                     help="when another run is generating the same batch on this instance, or rebuilding the "
                          "tool catalog and graph (refresh_tools, full_pipeline on any batch), wait for it to end "
                          "(default: refuse at once, exit code 3, naming that run); other batches run side by side")
    run.add_argument("--verbose", action="store_true",
                     help="print Dagster's own error log with stack traces (default: the root cause in a line or two)")

    add_check_parser(sub)

    ui = sub.add_parser("ui", help="start the Dagster UI on 127.0.0.1 for this project's instance")
    ui.add_argument("--port", type=int, default=3000)
    ui.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1: not exposed to the network)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        return run_pipeline(args)
    if args.command == "check":
        return run_check(args)
    return start_ui(args)


# ---------------------------------------------------------------- run

def run_pipeline(args: argparse.Namespace) -> int:
    for flag, env in FLAG_ENV.items():
        value = getattr(args, flag, None)
        if value is not None:
            os.environ[env] = str(value)
    overrides = {field: getattr(args, flag) for flag, field in LLM_FLAGS.items() if getattr(args, flag, None) is not None}
    home, local = ensure_dagster_home()
    print(f"Dagster instance: {home}" + (" (project-local; set DAGSTER_HOME to use another)" if local else ""))

    from toolflow_assets.definitions import defs
    from toolflow_assets.instance_home import home_lock, open_instance
    from toolflow_assets.run_progress import run_and_report
    from toolflow_assets.run_guard import (TOOLS_SCOPE, RunBusy, describe_holder, lock_scopes, reap_dead_runs,
                                           run_locks, scope_label, tool_runs_in_progress, tool_stage,
                                           wait_for_batch, wait_for_runs)

    job = defs.resolve_job_def(args.job)
    tool_keys, tool_jobs = tool_stage(defs)
    writes_tools = args.job in tool_jobs  # refresh_tools, full_pipeline: one rebuild of the tool stage at a time
    steps = [node.name for node in job.graph.nodes_in_topological_order]
    resources, resource_config = _configured_resources(defs.resources, overrides)
    if not _preflight_passes(resources, job.required_resource_keys):
        return 2  # before any stage: a dead server, unknown model or rejected key is said in seconds
    instance = open_instance()  # first initialisation of a fresh home under a lock: concurrent runs are safe
    reaped = reap_dead_runs(instance)
    if reaped:
        print(f"Marked {len(reaped)} run(s) failed whose process was gone (killed mid-way): "
              + ", ".join(run[:8] for run in reaped))
    try:
        with home_lock(home):  # two `--new-batch` runs at once must not pick the same new key
            batch = _choose_batch(instance, args) if job.partitions_def is not None else None
    except ValueError as problem:
        print(f"toolflow run: {problem}", file=sys.stderr)
        return 2
    run_id = str(uuid.uuid4())
    holder = {"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname(), "started": time.time(),
              "job": args.job, "batch": batch}
    try:
        with run_locks(home, lock_scopes(batch, args.job, writes_tools), holder, wait=args.wait,
                       on_wait=lambda scope, other: print(f"Waiting for {describe_holder(other)} to finish "
                                                          f"{scope_label(scope)} ...", flush=True)):
            # and no run launched elsewhere (the UI, the daemon, another machine) on them either
            if writes_tools:
                wait_for_runs(lambda: tool_runs_in_progress(instance, tool_keys, tool_jobs), TOOLS_SCOPE, home,
                              wait=args.wait, on_wait=lambda who: print(
                                  f"Waiting for {who} to finish {scope_label(TOOLS_SCOPE)} ...", flush=True))
            if batch:
                wait_for_batch(instance, batch, home, wait=args.wait,
                               on_wait=lambda who: print(f"Waiting for {who} to finish batch {batch} ...", flush=True))
            return run_and_report(instance, args.job, steps, run_id, batch, verbose=args.verbose,
                                  resource_config={k: v for k, v in resource_config.items()
                                                   if k in job.required_resource_keys})
    except RunBusy as busy:
        instead = (" (one run at a time rebuilds the tool stage, whatever its batch)" if busy.scope == TOOLS_SCOPE
                   else ", or run another batch (--batch KEY, --new-batch)")
        print(f"toolflow run: {busy}; wait for it with --wait{instead}", file=sys.stderr)
        return 3


def _configured_resources(resources: dict[str, Any], overrides: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The resources as this run configures them (for the preflight) and the run config that configures them
    (for the run). `--base-url` is the embedding server's too, as $OPENAI_BASE_URL is."""
    from toolflow_assets.secrets import redact_url

    if not overrides:
        return resources, {}
    launched = dict(overrides)
    url = overrides.get("base_url")
    if url and redact_url(url) != url:
        # A URL with credentials is a secret: like the key, it reaches the run through the environment and
        # the run records only the variable's name (run config is stored in the instance and shown in the UI).
        os.environ["OPENAI_BASE_URL"] = url
        launched["base_url"] = {"env": "OPENAI_BASE_URL"}
    configured = {**resources, "llm": resources["llm"].model_copy(update=overrides)}
    config = {"llm": resources["llm"].launch_config(**launched)}
    if url:
        configured["embeddings"] = resources["embeddings"].model_copy(update={"base_url": url})
        config["embeddings"] = {"config": {**resources["embeddings"].model_dump(exclude_defaults=True),
                                           "base_url": launched["base_url"]}}
    return configured, config


def _preflight_passes(resources: dict[str, Any], needed: Any) -> bool:
    """Ask the servers the job's resources use (LLM, embeddings) before any stage; False after saying why."""
    from toolflow_assets.preflight import preflight_configured, preflight_embeddings

    for name, preflight in (("embeddings", preflight_embeddings), ("llm", preflight_configured)):
        result = preflight(resources[name]) if name in needed else None
        if result is None:
            continue
        if not result.ok:
            print(f"toolflow run: preflight failed, nothing was run: {result.line()}", file=sys.stderr)
            return False
        print(f"Preflight: {result.line()}")
    return True


def _choose_batch(instance: Any, args: argparse.Namespace) -> str:
    """The batch partition this run generates, registered on the instance when new."""
    from toolflow_assets.batches import DEFAULT_BATCH, next_batch_key, validate_batch_key
    from toolflow_assets.partitions import BATCH_PARTITIONS_NAME

    existing = instance.get_dynamic_partitions(BATCH_PARTITIONS_NAME)
    batch = next_batch_key(existing) if args.new_batch else validate_batch_key(args.batch or DEFAULT_BATCH)
    if batch not in existing:
        instance.add_dynamic_partitions(BATCH_PARTITIONS_NAME, [batch])
        count = len(existing) + 1
        print(f"Added batch partition {batch} ({count} batch{'es' if count != 1 else ''})")
    return batch


# ---------------------------------------------------------------- ui

def start_ui(args: argparse.Namespace) -> int:
    home, local = ensure_dagster_home()
    print(f"Dagster instance: {home}" + (" (project-local)" if local else ""))
    print(f"Starting the Dagster UI on http://{args.host}:{args.port} (Ctrl-C stops it)")
    workspace = Path(__file__).resolve().parent.parent / "workspace.yaml"
    command = [sys.executable, "-m", "dagster", "dev", "-h", args.host, "-p", str(args.port)]
    if workspace.exists():
        command += ["-w", str(workspace)]
    else:
        command += ["-m", "toolflow_assets.definitions"]
    # dagster dev must get SIGINT/SIGTERM (see STACK.md): own process group, default SIGINT restored.
    process = subprocess.Popen(command, cwd=workspace.parent if workspace.exists() else None,
                               start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

    def stop(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt
    # dagster dev leads a session of its own, so a SIGTERM or SIGHUP to this process (`kill`, a process
    # manager, a closed terminal) would end only this process and orphan dagster dev's five: stop it as Ctrl-C does.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        return process.wait()
    except KeyboardInterrupt:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # a second one must not cut this short
            signal.signal(signum, signal.SIG_IGN)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        return 0


if __name__ == "__main__":
    sys.exit(main())
