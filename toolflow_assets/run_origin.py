"""The run record of a `toolflow run`, created as the UI would create it: with the code location of
`workspace.yaml`, so the run is part of that location's job.

Why: `job.execute_in_process` records a run with no remote origin. The UI files a run under a job by the
run's repository label (`<repository>@<location>`, stored as the `.dagster/repository` tag) and links its
target through that origin; without one, a CLI run was missing from the Overview timeline and from the
job's run history, and its target linked to `/guess/full_pipeline`. Here the run is created on the instance
with the origin Dagster itself derives from `workspace.yaml` (the one `dagster dev -w workspace.yaml` and
`toolflow ui` load) and then executed in this process with Dagster's `execute_run`, as `dagster job
execute` does. Without a `workspace.yaml` beside the package (an installed wheel), the origin is the one
`dagster dev -m toolflow_assets.definitions` gives, which is what `toolflow ui` starts then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

DEFINITIONS_MODULE = "toolflow_assets.definitions"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
WORKSPACE_YAML = PROJECT_ROOT / "workspace.yaml"


def code_location_origin(workspace: Path = WORKSPACE_YAML) -> Any:
    """The origin of the code location holding this project's definitions, read by Dagster from the
    workspace file (no server is started), else from the module target `toolflow ui` falls back to."""
    from dagster._core.workspace.load_target import ModuleTarget, WorkspaceFileTarget

    if workspace.exists():
        origins = WorkspaceFileTarget(paths=[str(workspace)]).create_origins()
    else:
        origins = ModuleTarget(module_name=DEFINITIONS_MODULE, attribute=None, working_directory=None,
                               location_name=None).create_origins()
    ours = [origin for origin in origins
            if getattr(origin.loadable_target_origin, "module_name", None) == DEFINITIONS_MODULE]
    if len(ours) != 1:
        raise ValueError(f"{workspace} should load {DEFINITIONS_MODULE} exactly once; it loads "
                         + (", ".join(origin.location_name for origin in origins) or "nothing"))
    return ours[0]


def reconstructable_job(job_name: str) -> Any:
    """The job as a code server would rebuild it (module pointer to the `Definitions` attribute), which
    `execute_run` needs and the run record stores as its code origin."""
    from dagster._core.definitions.reconstruct import ReconstructableRepository
    from dagster._core.workspace.autodiscovery import loadable_targets_from_python_module

    working_directory = str(PROJECT_ROOT)
    targets = loadable_targets_from_python_module(DEFINITIONS_MODULE, working_directory)
    repository = ReconstructableRepository.for_module(DEFINITIONS_MODULE, targets[0].attribute, working_directory)
    return repository.get_reconstructable_job(job_name)


def create_located_run(instance: Any, job_name: str, *, run_id: str, run_config: Mapping[str, Any],
                       tags: Mapping[str, str], partition_key: str | None) -> tuple[Any, Any]:
    """(reconstructable job, NOT_STARTED run) of `job_name` on `instance`, carrying the workspace's code
    location as its origin and the partition's tags (what `execute_in_process(partition_key=...)` added)."""
    from dagster._core.execution.execute_in_process import merge_run_tags
    from dagster._core.remote_origin import RemoteRepositoryOrigin

    recon_job = reconstructable_job(job_name)
    job_def = recon_job.get_definition()
    # The job's own tags, ours, and the partition's (validated against the instance's batches), merged as
    # execute_in_process merges them.
    tags = merge_run_tags(job_def=job_def, partition_key=partition_key, tags=tags, asset_selection=None,
                          instance=instance, run_config=run_config)
    repository_name = recon_job.repository.get_definition().name
    origin = RemoteRepositoryOrigin(code_location_origin(), repository_name).get_job_origin(job_name)
    run = instance.create_run_for_job(
        job_def=job_def, run_id=run_id, run_config=run_config, tags=tags,
        remote_job_origin=origin, job_code_origin=recon_job.get_python_origin())
    return recon_job, run


def execute_located_run(instance: Any, recon_job: Any, run: Any) -> Any:
    """Run it here, in this process (the jobs use the in-process executor); failures are in the result."""
    from dagster._core.execution.api import execute_run

    return execute_run(recon_job, run, instance, raise_on_error=False)
