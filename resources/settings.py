"""Run-wide settings: where tools come from and where people-facing outputs go.

Fields left empty fall back to the environment at run time (`TOOLFLOW_SOURCES`, `TOOLFLOW_OUTPUT_DIR`),
then to the bundled corpus and `./output`. Reading happens when a run uses the resource, never at import.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from pydantic import Field
from upath import UPath

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "toolflow_assets" / "data" / "corpus"


class ToolflowSettings(dg.ConfigurableResource):
    sources: str = Field(
        default="",
        description="Comma-separated tool files, folders or globs. Empty: $TOOLFLOW_SOURCES, then the bundled corpus.",
    )
    output_dir: str = Field(
        default="", description="Folder for exports and reports. Empty: $TOOLFLOW_OUTPUT_DIR, then ./output."
    )

    dialogues: int | None = Field(
        default=None, description="Dialogues to synthesize per run (samples drawn). Empty: $TOOLFLOW_DIALOGUES, then 300."
    )
    seed: int | None = Field(default=None, description="Seed for every random choice. Empty: $TOOLFLOW_SEED, then 7.")
    storage_dir: str = Field(
        default="", description="Where asset values and caches live. Empty: $TOOLFLOW_STORAGE_DIR, then $DAGSTER_HOME/storage or ./data."
    )

    def dialogue_count(self) -> int:
        return self.dialogues if self.dialogues is not None else int(os.environ.get("TOOLFLOW_DIALOGUES", "300"))

    def run_seed(self) -> int:
        return self.seed if self.seed is not None else int(os.environ.get("TOOLFLOW_SEED", "7"))

    def cache_root(self) -> str:
        """Folder or URL for the LLM and embedding caches: `<storage>/cache`, beside the asset values, so a
        rerun finds them. Kept a URL (`s3://bucket/toolflow/cache`): never through `pathlib.Path`, which
        would turn it into a local folder in the pod."""
        return str(UPath(default_storage_dir(self.storage_dir)) / "cache")

    def source_paths(self) -> list[str]:
        raw = self.sources or os.environ.get("TOOLFLOW_SOURCES", "")
        paths = [part.strip() for part in raw.split(",") if part.strip()]
        return paths or [str(BUNDLED_CORPUS)]

    def output_path(self) -> Path:
        raw = self.output_dir or os.environ.get("TOOLFLOW_OUTPUT_DIR", "") or "output"
        path = Path(raw).expanduser()
        path.mkdir(parents=True, exist_ok=True)
        return path.resolve()

    def uses_bundled_corpus(self) -> bool:
        return self.source_paths() == [str(BUNDLED_CORPUS)]


def default_storage_dir(configured: str = "") -> str:
    """Asset storage: configured, else $TOOLFLOW_STORAGE_DIR, else $DAGSTER_HOME/storage, else ./data."""
    if configured:
        return configured
    if os.environ.get("TOOLFLOW_STORAGE_DIR"):
        return os.environ["TOOLFLOW_STORAGE_DIR"]
    if os.environ.get("DAGSTER_HOME"):
        return str(Path(os.environ["DAGSTER_HOME"]) / "storage")
    return str(Path("data").resolve())
