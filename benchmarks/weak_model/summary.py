"""The summary of a weak-model run: what came out, read from the run's own Dagster instance and export.

What it shows: every plan and dialogue is `ok` or a recorded failure with a reason; the exported
`train.jsonl` / `validation.jsonl` hold only dialogues that pass every quality check (each record is
re-checked here with the project's own checks); who wrote the texts, and what a kept dialogue cost.
The keys of `summary.json` and the rows of the printed table are quoted by docs/servers.md and
docs/weak_models.md: keep them.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from . import ROOT

BATCH = "batch-0001"


def _reason(error: str | None) -> str:
    return (error or "").split(":")[0].strip() or "(none)"


def _plan_reason(error: str | None) -> str:
    """`no_plan: invalid_output: ...` -> `no_plan/invalid_output` (why the plan failed)."""
    parts = [p.strip() for p in (error or "").split(":")]
    return f"{parts[0]}/{parts[1]}" if parts[0] == "no_plan" and len(parts) > 1 else parts[0] or "(none)"


def read_table(storage: Path, name: str, partitioned: bool = True) -> Any:
    """An asset's table from the run's IO manager storage (the batch partition, else its first file), or
    None when the run never wrote it."""
    import polars as pl

    path = storage / name / f"{BATCH}.parquet" if partitioned else storage / name / "data.parquet"
    if not path.exists():
        found = sorted((storage / name).glob("*.parquet")) if (storage / name).exists() else []
        path = found[0] if found else path
    return pl.read_parquet(path) if path.exists() else None


def summarize(workdir: Path, out_dir: Path, output: str) -> dict[str, Any]:
    home = workdir / ".toolflow" / "dagster_home"
    os.environ["DAGSTER_HOME"] = str(home)
    sys.path.insert(0, str(ROOT))
    import polars as pl

    storage = home / "storage" / "assets"

    def table(name: str, partitioned: bool = True) -> pl.DataFrame | None:
        return read_table(storage, name, partitioned)

    summary: dict[str, Any] = {}
    plans = table("dialogue_plans")
    if plans is not None:
        summary["plans"] = plans.height
        summary["plans_ok"] = int((plans["status"] == "ok").sum())
        summary["plan_failures"] = dict(Counter(_reason(e) for e in plans.filter(pl.col("status") != "ok")["error"]))
    dialogues = table("dialogues")
    if dialogues is not None:
        failed = dialogues.filter(pl.col("status") != "ok")
        summary["dialogues"] = dialogues.height
        summary["dialogues_ok"] = dialogues.height - failed.height
        summary["statuses"] = sorted(set(dialogues["status"].to_list()))
        summary["failure_reasons"] = dict(Counter(_reason(e) for e in failed["error"]))
        summary["failure_detail"] = dict(Counter(_plan_reason(e) for e in failed["error"]))
        unexplained = failed.filter(pl.col("error").fill_null("").str.strip_chars() == "")
        summary["failures_without_reason"] = unexplained.height
    quality = table("dialogue_quality")
    if quality is not None:
        generated = quality.filter(pl.col("status") == "ok")
        summary["quality_rows"] = quality.height
        summary["passed"] = int(quality["passed"].sum())
        summary["pass_rate_all"] = round(float(quality["passed"].mean()), 3) if quality.height else 0.0
        summary["pass_rate_generated"] = round(float(generated["passed"].mean()), 3) if generated.height else 0.0
        summary["failed_checks"] = dict(Counter(r.split(":")[0] for rs in generated["reasons"].to_list() for r in rs))
    if dialogues is not None and quality is not None:
        summary.update(writer_figures(dialogues, quality))

    summary.update(dagster_figures(output))
    summary.update(export_figures(out_dir, storage, plans, quality))

    caps = [line.split(": ", 1)[-1].strip() for line in output.splitlines()
            if "logged once per run" in line or "accepts structured output mode" in line]
    summary["server_capabilities"] = list(dict.fromkeys(caps))
    return summary


def dagster_figures(output: str) -> dict[str, Any]:
    """The Dagster side: the run's status, the dialogues materialization's failure metadata (what the UI
    shows), the server capabilities both LLM stages recorded, and the asset checks the driver printed."""
    import dagster as dg

    summary: dict[str, Any] = {}
    instance = dg.DagsterInstance.get()
    runs = instance.get_runs(limit=1)
    summary["run_status"] = runs[0].status.value if runs else "(no run)"
    event = instance.get_latest_materialization_event(dg.AssetKey("dialogues"))
    if event is not None and event.asset_materialization is not None:
        meta = event.asset_materialization.metadata
        summary["ui_failure_reasons"] = meta["failure_reasons"].value if "failure_reasons" in meta else None
        summary["ui_failures_table"] = "failures" in meta
        for key in ("per_kept_dialogue", "texts_by_writer", "server_capabilities", "token_usage"):
            if key in meta:
                summary[f"meta_{key}"] = meta[key].value
    event = instance.get_latest_materialization_event(dg.AssetKey("dialogue_plans"))
    if event is not None and event.asset_materialization is not None and \
            "server_capabilities" in event.asset_materialization.metadata:
        summary["meta_plan_server_capabilities"] = event.asset_materialization.metadata["server_capabilities"].value
    checks = re.findall(r"check (\w+) on (\w+): (passed|FAILED)", output)
    summary["checks"] = {f"{name} on {asset}": verdict for name, asset, verdict in checks}
    return summary


def export_figures(out_dir: Path, storage: Path, plans: Any, quality: Any) -> dict[str, Any]:
    """The export: every line parses, every record is a passing dialogue, and re-checks clean with the
    project's own checks (`exported`, `export_files`, `export_problems`)."""
    import polars as pl

    from toolflow_assets.quality.conversation import load_json_list
    from toolflow_assets.quality.evaluate import check_dialogue, plans_by_id, returns_by_tool

    summary: dict[str, Any] = {}
    exported: list[dict[str, Any]] = []
    problems: list[str] = []
    dataset_dir = out_dir / "dataset"  # the export's own folder, switched into place whole
    for name in ("train.jsonl", "validation.jsonl"):
        path = dataset_dir / name
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            try:
                exported.append(json.loads(line))
            except json.JSONDecodeError as error:
                problems.append(f"{name}:{number}: not JSON ({error})")
    summary["exported"] = len(exported)
    summary["export_files"] = sorted(p.name for p in dataset_dir.iterdir()) if dataset_dir.exists() else []
    if exported:
        passing = set(quality.filter(pl.col("passed"))["dialogue_id"].to_list()) if quality is not None else set()
        plan_lookup = plans_by_id(plans) if plans is not None else {}
        catalog = read_table(storage, "tool_catalog", partitioned=False)
        returns = returns_by_tool(catalog) if catalog is not None else {}
        for record in exported:
            rid = (record.get("metadata") or {}).get("dialogue_id")  # `id` hashes content and corpus
            if rid not in passing:
                problems.append(f"{rid}: exported but not a passing dialogue")
            messages, error = load_json_list(record.get("messages"))
            tools, _ = load_json_list(record.get("tools"))
            if error:
                problems.append(f"{rid}: messages {error}")
                continue
            plan_id = (record.get("metadata") or {}).get("plan_id")
            verdicts, reasons, _ = check_dialogue(messages, tools, plan_lookup.get(plan_id), returns)
            if not all(verdicts.values()):
                problems.append(f"{rid}: {'; '.join(reasons)[:300]}")
    summary["export_problems"] = problems
    return summary


def writer_figures(dialogues: Any, quality: Any) -> dict[str, Any]:
    """Who wrote the texts, and the figures of issue 10's "done when": the items that pass every check
    with every user and assistant text written by the model (a template fallback or an unchanged text
    does not count), and the writer's requests and tokens per kept dialogue (kept: passed every check;
    the spending of every item, failed ones included, is divided among them)."""
    passed = dict(zip(quality["dialogue_id"].to_list(), quality["passed"].to_list()))
    by_writer: Counter = Counter()
    model_written = 0
    fallback_reasons: Counter = Counter()
    for row in dialogues.iter_rows(named=True):
        labels = json.loads(row.get("writers") or "[]")
        by_writer.update(w.get("writer") for w in labels)
        fallback_reasons.update((w.get("reason") or "").split(":")[0][:60] for w in labels
                                if w.get("writer") != "llm")
        if labels and all(w.get("writer") in ("llm", "agent") for w in labels) and passed.get(row["dialogue_id"]):
            model_written += 1
    kept = sum(1 for ok in passed.values() if ok)
    totals = {name: int(dialogues[name].sum() or 0) for name in ("requests", "prompt_tokens", "completion_tokens")
              if name in dialogues.columns}
    return {
        "texts_by_writer": dict(by_writer),
        "not_model_written_reasons": dict(fallback_reasons.most_common(8)),
        "model_written_passing": model_written,
        "model_written_share": round(model_written / dialogues.height, 3) if dialogues.height else 0.0,
        "requests_per_item": round(totals.get("requests", 0) / dialogues.height, 2) if dialogues.height else 0.0,
        "per_kept_dialogue": {name: round(total / kept, 1) if kept else None for name, total in totals.items()},
        "per_model_written_dialogue": {name: round(total / model_written, 1) if model_written else None
                                       for name, total in totals.items()},
    }


def print_summary(summary: dict[str, Any], meta: dict[str, Any]) -> None:
    def row(label: str, value: Any) -> None:
        print(f"| {label} | {value} |")

    print("\n## Weak-model run\n")
    print("| measure | value |\n| --- | --- |")
    for key in ("server", "model", "backend", "writer", "via", "llm_settings", "pipeline_exit", "wall_seconds"):
        row(key.replace("_", " "), meta.get(key))
    row("run status (Dagster)", summary.get("run_status"))
    row("plans (ok / total)", f"{summary.get('plans_ok')} / {summary.get('plans')}")
    row("plan failures by reason", summary.get("plan_failures") or "{}")
    row("dialogues (items)", summary.get("dialogues"))
    row("dialogues ok", summary.get("dialogues_ok"))
    row("dialogues failed, by reason", summary.get("failure_reasons") or "{}")
    row("... with the plan's reason", summary.get("failure_detail") or "{}")
    row("failed rows without a reason", summary.get("failures_without_reason"))
    row("statuses seen", summary.get("statuses"))
    row("UI: failure_reasons metadata", summary.get("ui_failure_reasons"))
    row("UI: failures table present", summary.get("ui_failures_table"))
    row("passed every quality check", f"{summary.get('passed')} of {summary.get('quality_rows')}")
    row("pass rate (all items / generated ok)",
        f"{summary.get('pass_rate_all')} / {summary.get('pass_rate_generated')}")
    row("failed checks among generated dialogues", summary.get("failed_checks") or "{}")
    row("texts by writer", summary.get("texts_by_writer") or "{}")
    row("why texts are not model-written", summary.get("not_model_written_reasons") or "{}")
    row("items passing every check, all texts model-written",
        f"{summary.get('model_written_passing')} of {summary.get('dialogues')} ({summary.get('model_written_share')})")
    row("writer requests per item", summary.get("requests_per_item"))
    row("requests / tokens per kept dialogue", summary.get("per_kept_dialogue"))
    row("requests / tokens per model-written kept dialogue", summary.get("per_model_written_dialogue"))
    row("server_capabilities (dialogues metadata)", summary.get("meta_server_capabilities"))
    row("server_capabilities (dialogue_plans metadata)", summary.get("meta_plan_server_capabilities"))
    row("asset checks", summary.get("checks") or "{}")
    row("exported records (train + validation)", summary.get("exported"))
    row("export problems", summary.get("export_problems") or "none")
    row("output files", ", ".join(summary.get("export_files") or []) or "(none)")
    print("\nServer capabilities the client logged:")
    for line in summary.get("server_capabilities") or ["(none logged)"]:
        print(f"  - {line}")
