"""The code location's root: every stage's assets and checks, resources, jobs, schedules and sensors.

`dagster dev` (via workspace.yaml or [tool.dagster]), `dg dev` ([tool.dg]) and
`dagster asset materialize -m toolflow_assets.definitions` all load `defs` from here.
"""

from __future__ import annotations

import os

import dagster as dg
from upath import UPath

from resources import EmbeddingResource, LLMResource, ParquetIOManager, ToolflowSettings
from resources.llm import API_KEY_ENV
from resources.settings import default_storage_dir
from schedules import ALL_JOBS, ALL_SCHEDULES, ALL_SENSORS, STEP_EXECUTOR

from .export import assets as export_assets
from .generation import assets as dialogue_assets
from .graph import assets as graph_assets
from .ingestion import assets as ingestion_assets
from .planning import assets as planning_assets
from .quality import assets as quality_assets
from .sampling import assets as sampling_assets

# In pipeline order: the lineage graph in the UI reads as this list.
STAGE_MODULES = [
    ingestion_assets,
    graph_assets,
    sampling_assets,
    planning_assets,
    dialogue_assets,
    quality_assets,
    export_assets,
]


def build_defs(storage_dir: str | None = None) -> dg.Definitions:
    """Definitions with storage under `storage_dir` (default: $TOOLFLOW_STORAGE_DIR, $DAGSTER_HOME/storage, ./data)."""
    base = UPath(storage_dir or default_storage_dir())
    return dg.Definitions(
        assets=dg.load_assets_from_modules(STAGE_MODULES),
        asset_checks=dg.load_asset_checks_from_modules(STAGE_MODULES),
        jobs=ALL_JOBS,
        schedules=ALL_SCHEDULES,
        sensors=ALL_SENSORS,
        # Selections outside the jobs (the UI's Materialize, asset backfills): a warm process per step.
        executor=STEP_EXECUTOR,
        resources={
            "settings": ToolflowSettings(),
            "llm": llm_resource(),
            "embeddings": EmbeddingResource(),
            "io_manager": ParquetIOManager(base_path=base / "assets"),
        },
    )


def llm_resource() -> LLMResource:
    """The LLM resource with its key bound as `dg.EnvVar("OPENAI_API_KEY")`: resolved when a run starts,
    shown by name in the UI and in run config, its value nowhere. Bound only where the variable exists
    (its value is not read here): Dagster fails a run whose bound variable is unset, and an offline run or
    a local server needs no key (the client then reads the environment itself, as before)."""
    if API_KEY_ENV in os.environ:
        return LLMResource(api_key=dg.EnvVar(API_KEY_ENV))
    return LLMResource()


defs = build_defs()
