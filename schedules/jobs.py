"""Asset jobs over the stage groups, and the executors they run with.

- `full_pipeline`: every stage, tool ingestion to the exported dataset and report.
- `refresh_tools`: re-ingest the tool sources and rebuild the tool graph.
- `generate_batch`: sample, plan, generate and check a new batch on the current tool graph.
- `build_dataset`: curate, export and report the dataset from every batch.

The dataset is not part of `generate_batch`: it reads every batch, so a backfill of N batch runs would
rebuild it N times (O(N²) work). The `dataset_after_batches` sensor (refresh.py) builds it once, when new batches have
landed and none is still queued or running (toolflow_assets/export/automation.py).

Executors. The jobs run their steps in the run's own process (`in_process_executor`): a batch is a chain
(sampling → plans → dialogues → quality → dataset) with little to run side by side, and a process per
step cost more than the work: each re-imported the code location (~1.6 s) and each great-expectations
check re-imported great-expectations (~3 s), so a batch run was ~29 s for ~3 s of asset work (issue 15).
Parallelism comes from runs instead: a backfill runs one batch per run, `max_concurrent_runs` at once.

Selections the UI materializes outside these jobs (and asset backfills) use `STEP_EXECUTOR`, the
definitions' default: still a process per step, but forked from a server that has imported the code
location once per run, so a step starts warm. (The checks no longer import great-expectations at all:
they evaluate its expectations with Polars, quality/expectations.py.)
"""

import os

import dagster as dg

TOOL_GROUPS = ["ingestion", "graph"]
BATCH_GROUPS = ["sampling", "planning", "dialogues", "quality"]
DATASET_GROUPS = ["dataset"]

# The modules a step needs, imported once per run by the forkserver that forks every step's process.
# (great_expectations is no longer among them: the checks evaluate its expectations with Polars.)
PRELOADED_MODULES = ["toolflow_assets.definitions"]



@dg.configured(dg.multiprocess_executor, config_schema={
    "max_concurrent": dg.Field(int, is_required=False, description=(
        "Step processes at once. Empty: $TOOLFLOW_STEP_PROCESSES, then the machine's CPU count (on Kubernetes "
        "that is the node's, not the pod's limit: set it to the run pod's CPU limit)."))})
def STEP_EXECUTOR(config: dict) -> dict:
    """The multiprocess executor with a warm forkserver; read at launch, never at import."""
    limit = config.get("max_concurrent")
    if limit is None:
        limit = int(os.environ.get("TOOLFLOW_STEP_PROCESSES", "0") or 0)
    return {"max_concurrent": limit, "start_method": {"forkserver": {"preload_modules": PRELOADED_MODULES}}}


# On runs of the jobs that rebuild the tool catalog and graph: the run queue lets one such run in at a
# time (deploy/dagster.yaml, the Helm values), as `toolflow run`'s tools lock does for its own runs. Two
# rebuilds at once would race on one catalog and graph.
WRITES_TOOLS_TAG = {"toolflow/writes": "tools"}

full_pipeline = dg.define_asset_job(
    "full_pipeline",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    run_tags=WRITES_TOOLS_TAG,
    description="Every stage: ingestion → graph → sampling → plans → dialogues → quality → dataset.",
)

refresh_tools = dg.define_asset_job(
    "refresh_tools",
    selection=dg.AssetSelection.groups(*TOOL_GROUPS),
    executor_def=dg.in_process_executor,
    run_tags=WRITES_TOOLS_TAG,
    description="Re-ingest the tool sources and rebuild the tool graph.",
)

generate_batch = dg.define_asset_job(
    "generate_batch",
    selection=dg.AssetSelection.groups(*BATCH_GROUPS),
    executor_def=dg.in_process_executor,
    description="Sample, plan, generate and check a new batch of dialogues on the current tool graph (the "
    "dataset follows once the batches are done: build_dataset, or the dataset_after_batches sensor).",
)

build_dataset = dg.define_asset_job(
    "build_dataset",
    selection=dg.AssetSelection.groups(*DATASET_GROUPS),
    executor_def=dg.in_process_executor,
    description="Curate, export and report the dataset from every batch (after generate_batch runs).",
)

ALL_JOBS = [full_pipeline, refresh_tools, generate_batch, build_dataset]
