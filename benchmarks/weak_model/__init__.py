"""The parts of `benchmarks/weak_model_run.py` (a run against a small real model), one job per module:

- `server`: find the GGUF in the separate model environment, start and stop a llama.cpp server, readiness;
- `pipeline`: the pipeline process (environment, command line, running it bounded and logged);
- `driver`: what that process runs with `--via driver` (`full_pipeline` with the LLM resource set through
  Dagster run config);
- `summary`: read the run's Dagster tables and export, the writer figures, print the table.

Not a test and not in CI. The entry point, with the command-line flags, stays `benchmarks/weak_model_run.py`.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# the pipeline process re-enters the entry script (`weak_model_run.py _drive ...`), so that it runs in the
# working folder with its own Dagster instance, apart from this process
ENTRY = ROOT / "benchmarks" / "weak_model_run.py"
