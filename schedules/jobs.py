"""Asset jobs over the stage groups.

- `full_pipeline`: every stage, tool ingestion to the exported dataset and report.
- `refresh_tools`: re-ingest the tool sources and rebuild the tool graph.
- `generate_batch`: sample, plan, generate, check and export a new batch on the current tool graph.
"""

import dagster as dg

TOOL_GROUPS = ["ingestion", "graph"]
BATCH_GROUPS = ["sampling", "planning", "dialogues", "quality", "dataset"]

full_pipeline = dg.define_asset_job(
    "full_pipeline",
    selection=dg.AssetSelection.all(),
    description="Every stage: ingestion → graph → sampling → plans → dialogues → quality → dataset.",
)

refresh_tools = dg.define_asset_job(
    "refresh_tools",
    selection=dg.AssetSelection.groups(*TOOL_GROUPS),
    description="Re-ingest the tool sources and rebuild the tool graph.",
)

generate_batch = dg.define_asset_job(
    "generate_batch",
    selection=dg.AssetSelection.groups(*BATCH_GROUPS),
    description="Sample, plan, generate, check and export a new batch of dialogues on the current tool graph.",
)

ALL_JOBS = [full_pipeline, refresh_tools, generate_batch]
