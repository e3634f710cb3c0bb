"""Ingestion assets: `tool_catalog` (valid tools) and `tool_quarantine` (rejected specs, with reasons)."""

# No `from __future__ import annotations` here: Dagster checks the `context` annotation at definition time.
import os
import re
import time
from collections import Counter
from pathlib import Path

import dagster as dg

from resources import ToolflowSettings
from resources.io_manager import frame_content_hash

from ..mcp_stdio import is_mcp_source
from ..metadata import counts_markdown, ran_with, table_metadata
from ..tools import quarantine_to_frame, tools_to_frame
from .ingest import empty_source_problem, glob_root, hash_sources, ingest_sources

INGESTION_CODE_VERSION = "ingest-v4"  # v4: $ref loops quarantined, draft-4 exclusive bounds read


@dg.multi_asset(
    outs={
        "tool_catalog": dg.AssetOut(
            description="One row per valid tool, normalized: stable tool_id, sanitized unique name, JSON Schema "
            "parameters and return schema, source file and format, category.",
            code_version=INGESTION_CODE_VERSION,
            group_name="ingestion",
            kinds={"polars", "parquet"},
        ),
        "tool_quarantine": dg.AssetOut(
            description="One row per rejected tool spec or unreadable file: source file, position and a "
            "human-readable reason.",
            code_version=INGESTION_CODE_VERSION,
            group_name="ingestion",
            kinds={"polars", "parquet"},
        ),
    },
    deps=[dg.AssetKey("tool_sources")],
)
def ingest_tools(context: dg.AssetExecutionContext, settings: ToolflowSettings):
    """Read every configured tool source, normalize valid tools and quarantine the rest."""
    sources = settings.source_paths()
    context.log.info(f"Ingesting tools from {', '.join(sources)}")
    started = time.perf_counter()
    result = ingest_sources(sources, display_root=_common_root(sources))
    seconds = time.perf_counter() - started
    context.log.info(f"{len(result.tools)} tools, {len(result.quarantined)} quarantined, {seconds:.1f} s")
    if problem := empty_source_problem(result, sources):  # before any output: the last good catalog stays
        raise dg.Failure(description=problem, metadata={"sources": dg.MetadataValue.json(sources)})
    catalog = tools_to_frame(result.tools)
    quarantine = quarantine_to_frame(result.quarantined)

    by_format = Counter(t.source_format for t in result.tools)
    by_source = Counter(t.source for t in result.tools)
    yield dg.Output(
        catalog,
        output_name="tool_catalog",
        data_version=dg.DataVersion(frame_content_hash(catalog)),
        metadata={
            **table_metadata(catalog, ["name", "category", "source_format", "source", "description"]),
            "tools_by_format": dg.MetadataValue.json(dict(sorted(by_format.items()))),
            "tools_by_source": dg.MetadataValue.md(counts_markdown(dict(by_source), "source file", "tools")),
            "tools_by_source_json": dg.MetadataValue.json(dict(sorted(by_source.items()))),
            "quarantined": dg.MetadataValue.int(len(result.quarantined)),
            "formats": dg.MetadataValue.int(len(by_format)),
            "files_read": dg.MetadataValue.int(len(result.files)),
            "duplicates_merged": dg.MetadataValue.int(result.duplicates_merged),
            "names_disambiguated": dg.MetadataValue.int(result.names_disambiguated),
            "tools_with_return_schema": dg.MetadataValue.int(int(catalog["returns"].is_not_null().sum())),
            "sources": dg.MetadataValue.json(sources),
            "ingest_seconds": dg.MetadataValue.float(round(seconds, 3)),
            **ran_with(sources=sources),
        },
    )
    reasons = Counter(_reason_kind(r.reason) for r in result.quarantined)
    rejected_by_source = Counter(r.source for r in result.quarantined)
    yield dg.Output(
        quarantine,
        output_name="tool_quarantine",
        data_version=dg.DataVersion(frame_content_hash(quarantine)),
        metadata={
            **table_metadata(quarantine, ["source", "position", "name", "reason"]),
            "reasons": dg.MetadataValue.md(counts_markdown(dict(reasons), "reason", "specs") if reasons else "_(none)_"),
            "quarantined_by_source": dg.MetadataValue.json(dict(sorted(rejected_by_source.items()))),
            **ran_with(sources=sources),
        },
    )
    if len(result.quarantined):
        context.log.warning(f"{len(result.quarantined)} tool specs quarantined; see tool_quarantine for reasons")


def _reason_kind(reason: str) -> str:
    """Group reasons that differ only in details (names, paths, positions) for the summary table."""
    kind = re.sub(r"'[^']*'|\"[^\"]*\"|\d[\d,]*", "…", reason)  # quoted names and numbers vary per spec
    kind = re.sub(r"\b(parameters|returns)(\.[^\s]+)", r"\1…", kind)  # so do schema paths
    return kind.split(":")[0].split("(")[0].strip()[:80]


def _common_root(sources: list[str]) -> Path | None:
    """The folder that source paths are shown relative to, so the catalog does not leak absolute paths."""
    sources = [s for s in sources if not is_mcp_source(s)]  # a server's tools are shown as `mcp:<server>`
    folders = [glob_root(s) if any(ch in s for ch in "*?[") else Path(s).expanduser().resolve() for s in sources]
    folders = [f if f.is_dir() else f.parent for f in folders]
    if not folders:
        return None
    return Path(os.path.commonpath([str(f) for f in folders]))


@dg.observable_source_asset(
    name="tool_sources",
    group_name="ingestion",
    description="The configured tool corpus files. Its data version is the hash of their contents, so a "
    "changed file marks tool_catalog and everything downstream stale.",
)
def tool_sources(settings: ToolflowSettings) -> dg.DataVersion:
    return dg.DataVersion(hash_sources(settings.source_paths()))
