"""The chat-template round-trip verdicts of exported records, remembered on the run's storage (no Dagster).

`dataset_export` renders every record through four chat templates (about 7 s per 1,000 records), and the
export holds every batch: without memory, each batch run re-rendered the whole dataset and took longer
as it grew (issue 15). A verdict depends only on the record's content and the template, so it is kept
under `<storage>/cache/template_checks/<TEMPLATES_VERSION>.parquet` keyed by (template, record hash);
a run renders only records it has not seen. Bump TEMPLATES_VERSION when a template or the round-trip
rule changes, so old verdicts are not reused.
"""

from __future__ import annotations

import io

import polars as pl
from upath import UPath

from ..storage import write_whole

TEMPLATES_VERSION = "v1"


def _path(cache_root: str) -> UPath:
    return UPath(cache_root) / "template_checks" / f"{TEMPLATES_VERSION}.parquet"


def load(cache_root: str) -> dict[tuple[str, str], str | None]:
    """The remembered verdicts (empty when none, or when the file cannot be read: it is only a cache)."""
    path = _path(cache_root)
    try:
        if not path.exists():
            return {}
        frame = pl.read_parquet(io.BytesIO(path.read_bytes()))
    except (OSError, pl.exceptions.PolarsError):
        return {}
    return {(t, k): e for t, k, e in frame.select("template", "record", "error").iter_rows()}


def save(cache_root: str, verdicts: dict[tuple[str, str], str | None], known: int) -> None:
    """Write the verdicts back when there are new ones (`known`: how many were loaded)."""
    if len(verdicts) == known:
        return
    rows = [(t, k, e) for (t, k), e in verdicts.items()]
    frame = pl.DataFrame(rows, schema={"template": pl.String, "record": pl.String, "error": pl.String}, orient="row")
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    write_whole(_path(cache_root), buffer.getvalue())
