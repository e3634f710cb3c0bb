"""Metadata builders shared by the asset modules: previews, row counts, column schemas, plots.

Pure helpers over Polars frames; they return Dagster `MetadataValue`s so every asset shows the same kind
of information in the UI.
"""

from __future__ import annotations

import base64
import io
from typing import Any, Iterable

import dagster as dg
import polars as pl

from .columns import column_description

_TYPE_NAMES = {pl.String: "string", pl.Int64: "int", pl.Float64: "float", pl.Boolean: "bool"}


def markdown_table(frame: pl.DataFrame, columns: Iterable[str] | None = None, limit: int = 10, width: int = 80) -> str:
    """A Markdown preview of the first rows; long cells are cut so the UI stays readable."""
    cols = [c for c in (columns or frame.columns) if c in frame.columns]
    if not cols or frame.is_empty():
        return "_(no rows)_"
    header = "| " + " | ".join(cols) + " |\n| " + " | ".join("---" for _ in cols) + " |\n"
    lines = []
    for row in frame.head(limit).select(cols).iter_rows():
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            text = text.replace("|", "\\|").replace("\n", " ")
            cells.append(text if len(text) <= width else text[: width - 1] + "…")
        lines.append("| " + " | ".join(cells) + " |")
    return header + "\n".join(lines)


def column_schema(frame: pl.DataFrame) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[dg.TableColumn(name, _TYPE_NAMES.get(dtype, str(dtype)), description=column_description(name) or None)
                 for name, dtype in frame.schema.items()]
    )


def table_metadata(frame: pl.DataFrame, preview_columns: Iterable[str] | None = None, limit: int = 10) -> dict[str, Any]:
    """Row count, column schema and a Markdown preview: what every table asset reports."""
    return {
        "dagster/row_count": dg.MetadataValue.int(frame.height),
        "dagster/column_schema": column_schema(frame),
        "preview": dg.MetadataValue.md(markdown_table(frame, preview_columns, limit)),
    }


def counts_markdown(counts: dict[str, int], key: str = "value", value: str = "count") -> str:
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return f"| {key} | {value} |\n| --- | --- |\n" + "\n".join(f"| {k} | {v:,} |" for k, v in rows)


def png_markdown(figure: Any, alt: str) -> dg.MetadataValue:
    """Embed a matplotlib figure as an inline PNG in Markdown metadata (renders in the Dagster UI)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return dg.MetadataValue.md(f"![{alt}](data:image/png;base64,{encoded})")


def ran_with(config: dg.Config | None = None, **effective: Any) -> dict[str, dg.MetadataValue]:
    """`config`: what the step ran with, as the UI should show it: the asset's own config plus the
    effective values resolved from resources and the environment (never secrets: keys are not config)."""
    values = dict(config.model_dump()) if config is not None else {}
    values.update({k: v for k, v in effective.items() if v is not None})
    return {"config": dg.MetadataValue.json(values)}
