"""`toolflow ui` stopped with SIGTERM (kill, a process manager) takes dagster dev down with it.

Failure reproduced (found re-walking the README for issue 14): dagster dev runs in a session of its own
(so that it gets its signals, STACK.md), and `toolflow ui` stopped dagster dev only on Ctrl-C; a SIGTERM
ended `toolflow ui` alone and left dagster dev's webserver, daemon and code servers running, port held.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from subprocess_env import clean_env
from webserver_helpers import free_port, kill_processes_with_env, processes_with_env

ROOT = Path(__file__).resolve().parents[2]


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.slow
def test_sigterm_to_toolflow_ui_stops_dagster_dev_too(tmp_path):
    home, port = tmp_path / "home", free_port()
    env = clean_env()
    env.update(DAGSTER_HOME=str(home), PYTHONPATH=str(ROOT))
    log = (tmp_path / "ui.log").open("w")
    ui = subprocess.Popen([sys.executable, "-m", "toolflow_assets.cli", "ui", "--port", str(port)], env=env,
                          cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        assert _wait(lambda: _answers(f"http://127.0.0.1:{port}/server_info"), 120), \
            (tmp_path / "ui.log").read_text()[-3000:]
        assert len(processes_with_env("DAGSTER_HOME", str(home))) >= 3  # toolflow ui, dagster dev and its servers
        ui.send_signal(signal.SIGTERM)  # to toolflow ui only, not to dagster dev's session
        ui.wait(timeout=30)
        assert _wait(lambda: not processes_with_env("DAGSTER_HOME", str(home)), 30), \
            f"left running: {processes_with_env('DAGSTER_HOME', str(home))}"
        assert not _answers(f"http://127.0.0.1:{port}/server_info")
    finally:
        if ui.poll() is None:
            ui.kill()
            ui.wait()
        kill_processes_with_env("DAGSTER_HOME", str(home))
        log.close()
