"""What the pipeline process runs with `--via driver`: `toolflow run`'s job, with the LLM resource set
through Dagster run config. It runs in the working folder, in its own process (the entry script's `_drive`).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


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

    from toolflow_assets.definitions import defs

    job = defs.resolve_job_def(args.job)
    instance = dg.DagsterInstance.get()
    batch = cli._choose_batch(instance, args)
    # the role and server flags (--backend, --writer, --model, --base-url) configure the `llm` resource as
    # `toolflow run` does (cli.LLM_FLAGS), with the settings the CLI has no flags for
    roles = {field: getattr(args, flag) for flag, field in cli.LLM_FLAGS.items()
             if getattr(args, flag, None) is not None}
    run_config: dict[str, Any] = {"loggers": {"console": {"config": {"log_level": "WARNING"}}},
                                  "resources": {"llm": defs.resources["llm"].launch_config(**roles, **config["llm"])}}
    ops = op_config(config)
    if ops:
        run_config["ops"] = ops
    print(f"Running {args.job} for {batch} with {json.dumps(config)}", flush=True)
    result = job.execute_in_process(
        instance=instance, partition_key=batch, raise_on_error=False, run_config=run_config,
        tags={"toolflow/launched_by": "benchmarks/weak_model_run.py"},
    )
    print_steps(instance, result.run_id)
    print(f"Run {result.run_id[:8]} {'succeeded' if result.success else 'FAILED'}", flush=True)
    return 0 if result.success else 1


def op_config(config: dict[str, Any]) -> dict[str, Any]:
    """The run's op config from the driver's settings (pass-rate floor, no judge, improvised plans)."""
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
    return ops


def print_steps(instance: Any, run_id: str) -> None:
    """One line per step outcome and asset check of the run; the summary reads the check lines back from
    the pipeline's output (`check NAME on ASSET: passed|FAILED`)."""
    from dagster import DagsterEventType

    from toolflow_assets.run_summary import step_failure_text

    for record in instance.all_logs(run_id):
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
