"""The pipeline process of a weak-model run: its environment, its command line, and running it bounded.

It runs in a fresh working folder (its `.toolflow/` instance is there, so `toolflow ui` started in that
folder shows the run): `--via driver` re-enters the entry script as `_drive` (see `driver.py`) with the LLM
resource's settings as Dagster run config; `--via cli` runs plain `toolflow run` with the resource's
defaults, as a user would.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from . import ENTRY, ROOT
from .server import MODELS, stop_process_group


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
    return [sys.executable, str(ENTRY), "_drive", json.dumps(config), *flags]


def llm_settings(args: argparse.Namespace) -> str:
    """The summary's `llm_settings` line: what the driver sets, or that `--via cli` keeps the defaults."""
    if args.via == "cli":
        return "resource defaults (toolflow run)"
    settings = (f"concurrency {args.concurrency}, timeout {args.timeout:g} s, max_tokens {args.max_tokens}, "
                f"max_retries {args.max_retries}")
    if args.min_pass_rate is not None:
        settings += f"; pass-rate floor {args.min_pass_rate:g}"
    if args.improvise_plans:
        settings += "; improvised plans"
    return settings


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
