"""Two runs on one home at once: unique temp names, and a fresh DAGSTER_HOME initialised once.

Failures reproduced: on an initialised home, 4 of 5 concurrent pairs failed on the fixed GraphML temp name
(`.tool_graph.graphml.tmp`); on a fresh home the second `toolflow run` crashed with `table secondary_indexes
already exists` (both created the SQLite schema)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import networkx as nx
import polars as pl
import pytest

from toolflow_assets.graph.report import write_graphml

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_graphml_writes_each_land_whole(tmp_path):
    n = 300
    nodes = pl.DataFrame({"tool_id": [f"t{i}" for i in range(n)], "name": [f"tool_{i}" for i in range(n)],
                          "category": ["c"] * n, "n_input_fields": [1] * n, "n_output_fields": [1] * n,
                          "outputs_inferred": [False] * n, "degree": [2] * n})
    edges = pl.DataFrame({"src_tool_id": [f"t{i}" for i in range(n - 1)], "dst_tool_id": [f"t{i + 1}" for i in range(n - 1)],
                          "kind": ["data_flow"] * (n - 1), "score": [0.9] * (n - 1), "src_field": ["a"] * (n - 1),
                          "dst_field": ["b"] * (n - 1), "src_field_inferred": [False] * (n - 1),
                          "n_matches": [1] * (n - 1)})
    target = tmp_path / "out" / "tool_graph.graphml"
    errors: list[BaseException] = []

    def writer():
        try:
            for _ in range(8):
                write_graphml(nodes, edges, target)
        except BaseException as error:  # noqa: BLE001 - collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert nx.read_graphml(target).number_of_nodes() == 300  # a whole file, not a torn one
    assert [p.name for p in target.parent.iterdir()] == ["tool_graph.graphml"]  # no temp file left behind


_OPEN = """import sys, time
from toolflow_assets.instance_home import open_instance
start = float(sys.argv[1])
while time.time() < start:  # every process opens the fresh home at the same moment
    time.sleep(0.001)
open_instance().get_runs(limit=1)
print("opened")
"""


@pytest.mark.parametrize("attempt", range(2))
def test_concurrent_first_opens_of_a_fresh_home_all_succeed(tmp_path, attempt):
    home = tmp_path / "home"
    env = {**os.environ, "DAGSTER_HOME": str(home), "PYTHONPATH": str(ROOT)}
    start = time.time() + 8  # past every process's import of dagster
    processes = [subprocess.Popen([sys.executable, "-c", _OPEN, str(start)], env=env, cwd=ROOT, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outcomes = [process.communicate(timeout=180) for process in processes]
    failures = [err.strip().splitlines()[-1] for (out, err), process in zip(outcomes, processes) if process.returncode]
    assert failures == []  # was: sqlite3.OperationalError table runs / secondary_indexes already exists
    assert all(out.strip() == "opened" for out, _ in outcomes)
