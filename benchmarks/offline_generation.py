"""Benchmark: the offline chain, sampling → plans → dialogues → quality, bare and through Dagster (issue 7).

Part 1, outside Dagster. The tool catalog and tool graph are built once up front with the domain
functions the `tool_catalog` and `tool_graph` assets call (their one-off times are printed apart, not
counted in the chain). Then the chain runs on one batch of N dialogues, with the same calls, configs,
seeds and table conversions as the assets (their metadata, plots and storage left out):

    sampling   sample_subgraphs(nodes, edges, SamplingConfig(n_samples=N, seed=batch seed, batch=key))
    plans      OfflineGenerator.plan_many(...) → plan_results_to_frame
    dialogues  OfflineGenerator.generate_many(...) → dialogues_to_frame
    quality    evaluate_dialogues(dialogues, plans, catalog)

and prints seconds and dialogues/s per stage, the chain's rate, and its rate per core (N over the
process's CPU time: `time.process_time()`, which counts every thread), against the target of 200
dialogues/s per core.

Part 2, through Dagster. The same four assets (partition `batch-0001` of the `batch` dynamic partitions)
with their asset checks, materialized in process with `dagster.materialize`, the project's assets and
resources, into a temporary storage folder and a temporary DAGSTER_HOME (SQLite, as `toolflow run`
uses; `--instance ephemeral` for an in-memory one). The catalog and graph are materialized once first
(untimed in the comparison). The overhead is the Dagster wall time minus the bare chain's. The chain's
final table is hashed the way the IO manager versions it, so the output says whether both runs did the
same work.

    python benchmarks/offline_generation.py                       # 1000 dialogues, bare and Dagster
    python benchmarks/offline_generation.py --dialogues 3000 --repeats 2
    python benchmarks/offline_generation.py --skip-dagster        # the bare chain only

Each part runs `--repeats` times (default 3), bare and Dagster runs alternating, and the best run of
each counts; the first Dagster run is shown apart too, because it pays one-off costs (lazy imports such
as great_expectations in the checks). Wall times swing on a shared machine; the CPU-time figures (per
core, and the CPU overhead) are steadier. The process caps its own address space (`--memory-limit-gb`,
default 4) and prints its peak resident memory.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import resource
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_PER_CORE = 200.0  # dialogues per second per core (issue 7)
STAGES = ("sampling", "plans", "dialogues", "quality")
CHAIN_ASSETS = ("tool_subgraphs", "dialogue_plans", "dialogues", "dialogue_quality")
TOOL_ASSETS = ("tool_catalog", "tool_quarantine", "tool_graph")


@dataclass
class Timing:
    wall_s: float
    cpu_s: float


@dataclass
class ChainRun:
    stages: dict[str, Timing] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    quality_version: str = ""

    @property
    def wall_s(self) -> float:
        return sum(t.wall_s for t in self.stages.values())

    @property
    def cpu_s(self) -> float:
        return sum(t.cpu_s for t in self.stages.values())


def timed(fn: Callable[[], Any]) -> tuple[Any, Timing]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, Timing(time.perf_counter() - wall, time.process_time() - cpu)


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


# ------------------------------------------------------------------------------------ part 1: bare chain


@dataclass
class ToolSetup:
    catalog: Any  # pl.DataFrame, the tool_catalog table
    nodes: Any  # pl.DataFrame, tool_graph["nodes"]
    edges: Any  # pl.DataFrame, tool_graph["edges"]
    catalog_s: float
    graph_s: float


def build_tools(sources: list[str]) -> ToolSetup:
    """The catalog and graph, as `ingest_tools` and `tool_graph` build them with default config (the graph
    with the offline embedder, cached in memory instead of on disk)."""
    from toolflow_assets.graph.build import GraphConfig, build_tool_graph
    from toolflow_assets.graph.embeddings import make_embedder
    from toolflow_assets.ingestion.ingest import ingest_sources
    from toolflow_assets.tools import tools_from_frame, tools_to_frame

    def catalog():
        folders = [Path(s).expanduser().resolve() for s in sources]
        root = Path(os.path.commonpath([str(f if f.is_dir() else f.parent) for f in folders]))
        return tools_to_frame(ingest_sources(sources, display_root=root).tools)

    catalog_frame, catalog_t = timed(catalog)
    graph, graph_t = timed(lambda: build_tool_graph(tools_from_frame(catalog_frame), make_embedder("offline"),
                                                    GraphConfig()))
    return ToolSetup(catalog_frame, graph.nodes, graph.edges, catalog_t.wall_s, graph_t.wall_s)


def run_chain(setup: ToolSetup, n: int, run_seed: int, batch: str) -> ChainRun:
    """One batch through the four stages, as the assets do it (minus metadata and storage)."""
    from resources.io_manager import frame_content_hash
    from toolflow_assets.batches import batch_seed
    from toolflow_assets.generation.backend import make_generator
    from toolflow_assets.generation.frames import dialogues_to_frame, failed_plan_dialogues
    from toolflow_assets.planning.frames import failed_plans, plan_results_to_frame, plans_from_frame
    from toolflow_assets.quality.dedup import DedupConfig
    from toolflow_assets.quality.evaluate import QualitySettings, evaluate_dialogues
    from toolflow_assets.sampling.sample import SamplingConfig, sample_subgraphs
    from toolflow_assets.tools import tools_from_frame

    seed = batch_seed(run_seed, batch)
    generator = make_generator("offline", model="toolflow-offline")  # what LLMResource gives by default
    run = ChainRun()

    samples, run.stages["sampling"] = timed(
        lambda: sample_subgraphs(setup.nodes, setup.edges, SamplingConfig(n_samples=n, seed=seed, batch=batch)))

    def plans():
        tools = {tool.name: tool for tool in tools_from_frame(setup.catalog)}  # as the asset does, per batch
        return plan_results_to_frame(generator.plan_many(samples.to_dicts(), tools, seed), seed)

    plan_frame, run.stages["plans"] = timed(plans)

    def dialogues():
        tools = {tool.name: tool for tool in tools_from_frame(setup.catalog)}
        generated = generator.generate_many(plans_from_frame(plan_frame), tools, seed)
        failed = failed_plan_dialogues(failed_plans(plan_frame), generator.backend, generator.model,
                                       generator.prompt_version, seed)
        return dialogues_to_frame([*generated, *failed])

    dialogue_frame, run.stages["dialogues"] = timed(dialogues)

    quality, run.stages["quality"] = timed(lambda: evaluate_dialogues(
        dialogue_frame, plan_frame, setup.catalog, QualitySettings(dedup=DedupConfig(seed=seed))))

    run.counts = {
        "samples": samples.height,
        "plans_ok": int((plan_frame["status"] == "ok").sum()),
        "dialogues_ok": int((dialogue_frame["status"] == "ok").sum()),
        "passed": int(quality["passed"].sum()),
        "rows": quality.height,
    }
    run.quality_version = frame_content_hash(quality)
    return run


def print_chain(runs: list[ChainRun], setup: ToolSetup, n: int) -> ChainRun:
    best = min(runs, key=lambda r: r.wall_s)
    print(f"\nOne-off (not in the chain): tool_catalog {setup.catalog.height} tools in {setup.catalog_s:.2f} s, "
          f"tool_graph {setup.nodes.height} nodes / {setup.edges.height} edges in {setup.graph_s:.2f} s")
    print(f"\nBare chain, {n} dialogues (best of {len(runs)} by wall time; all runs: "
          + ", ".join(f"{r.wall_s:.2f} s" for r in runs) + ")")
    print(f"{'stage':<12} {'wall s':>8} {'CPU s':>8} {'dialogues/s':>12} {'share':>7}")
    for stage in STAGES:
        t = best.stages[stage]
        print(f"{stage:<12} {t.wall_s:>8.3f} {t.cpu_s:>8.3f} {rate(n, t.wall_s):>12.0f} {t.wall_s / best.wall_s:>7.0%}")
    print(f"{'chain':<12} {best.wall_s:>8.3f} {best.cpu_s:>8.3f} {rate(n, best.wall_s):>12.0f} {1:>7.0%}")
    per_core = rate(n, best.cpu_s)
    verdict = "PASS" if per_core >= TARGET_PER_CORE else "BELOW"
    print(f"rate per core (N / CPU s, one process): {per_core:.0f} dialogues/s/core; "
          f"target {TARGET_PER_CORE:.0f}: {verdict} ({per_core / TARGET_PER_CORE:.2f}× target)")
    c = best.counts
    print(f"output: {c['samples']} samples, {c['plans_ok']} plans ok, {c['dialogues_ok']} dialogues ok, "
          f"{c['passed']} of {c['rows']} passed quality; dialogue_quality hash {best.quality_version}")
    return best


# ------------------------------------------------------------------------------------- part 2: Dagster


@dataclass
class DagsterRun:
    wall_s: float
    cpu_s: float
    steps: dict[str, float]  # step key → seconds, from the run's step stats
    rows: int | None
    quality_version: str | None
    checks: dict[str, bool]


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


@contextlib.contextmanager
def dagster_chain(n: int, run_seed: int, sources: list[str], batch: str, instance_kind: str,
                  ) -> Iterator[tuple[float, Callable[[], DagsterRun]]]:
    """Set up a temporary instance and storage, materialize catalog and graph once, register the batch;
    yield (seconds that took, a function that materializes the chain once and times it)."""
    with tempfile.TemporaryDirectory(prefix="toolflow-bench-") as folder:
        home, storage, output = Path(folder, "home"), Path(folder, "storage"), Path(folder, "output")
        home.mkdir()
        (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        settings_env = {
            "DAGSTER_HOME": str(home), "TOOLFLOW_STORAGE_DIR": str(storage), "TOOLFLOW_OUTPUT_DIR": str(output),
            "TOOLFLOW_DIALOGUES": str(n), "TOOLFLOW_SEED": str(run_seed), "TOOLFLOW_SOURCES": ",".join(sources),
            "TOOLFLOW_LLM_BACKEND": "offline", "TOOLFLOW_EMBEDDING_BACKEND": "offline",
        }
        with environment(**settings_env):
            import dagster as dg

            # the project's beta/preview API uses (data_version, partitioned checks) are known: keep the table readable
            warnings.filterwarnings("ignore", category=dg.BetaWarning)
            warnings.filterwarnings("ignore", category=dg.PreviewWarning)
            from toolflow_assets.definitions import build_defs
            from toolflow_assets.partitions import BATCH_PARTITIONS_NAME

            defs = build_defs(storage_dir=str(storage))
            everything = [*defs.assets, *defs.asset_checks]
            quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
            instance = dg.DagsterInstance.ephemeral() if instance_kind == "ephemeral" else dg.DagsterInstance.get()
            try:
                started = time.perf_counter()
                dg.materialize(everything, selection=dg.AssetSelection.assets(*TOOL_ASSETS), instance=instance,
                               resources=defs.resources, run_config=quiet)
                tools_s = time.perf_counter() - started
                instance.add_dynamic_partitions(BATCH_PARTITIONS_NAME, [batch])

                def run_once() -> DagsterRun:
                    result, t = timed(lambda: dg.materialize(
                        everything, selection=dg.AssetSelection.assets(*CHAIN_ASSETS), instance=instance,
                        resources=defs.resources, partition_key=batch, run_config=quiet))
                    return _dagster_run(result, instance, t)

                yield tools_s, run_once
            finally:
                instance.dispose()


def _dagster_run(result: Any, instance: Any, t: Timing) -> DagsterRun:
    steps = {s.step_key: (s.end_time or 0) - (s.start_time or 0) for s in instance.get_run_step_stats(result.run_id)}
    rows = version = None
    materializations = result.asset_materializations_for_node("dialogue_quality")
    if materializations:
        found = materializations[-1]
        if "dagster/row_count" in found.metadata:
            rows = int(found.metadata["dagster/row_count"].value)
        version = (found.tags or {}).get("dagster/data_version")
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    return DagsterRun(t.wall_s, t.cpu_s, steps, rows, version, checks)


def print_dagster(runs: list[DagsterRun], tools_s: float, bare: ChainRun, n: int, instance_kind: str) -> None:
    first = runs[0]
    warm = runs[1:] or runs
    best = min(warm, key=lambda r: r.wall_s)
    print(f"\nThrough Dagster (dagster.materialize in process, {instance_kind} instance, partition batch-0001)")
    print(f"one-off: tool_catalog + tool_quarantine + tool_graph materialized in {tools_s:.2f} s")
    print("chain runs: " + ", ".join(f"{r.wall_s:.2f} s" for r in runs)
          + (" (the first is cold: one-off imports)" if len(runs) > 1 else ""))
    print(f"{'step':<40} {'Dagster s':>10} {'bare s':>8}")
    bare_by_step = dict(zip(CHAIN_ASSETS, STAGES))
    for step, seconds in best.steps.items():
        stage = bare_by_step.get(step)
        shown = f"{bare.stages[stage].wall_s:>8.3f}" if stage else f"{'':>8}"
        print(f"{step:<40} {seconds:>10.3f} {shown}")
    in_steps = sum(best.steps.values())
    print(f"{'(run set-up, events, between steps)':<40} {best.wall_s - in_steps:>10.3f}")
    print(f"{'total':<40} {best.wall_s:>10.3f} {bare.wall_s:>8.3f}")
    overhead = best.wall_s - bare.wall_s
    print(f"Dagster chain: {best.wall_s:.2f} s wall, {best.cpu_s:.2f} s CPU → {rate(n, best.wall_s):.0f} dialogues/s, "
          f"{rate(n, best.cpu_s):.0f} dialogues/s/core")
    which = "best warm run" if len(runs) > 1 else "one run, cold: use --repeats 2 or more"
    print(f"overhead ({which}): {overhead:+.2f} s = Dagster {best.wall_s:.2f} s − bare {bare.wall_s:.2f} s; "
          f"ratio {best.wall_s / bare.wall_s:.2f}× ({overhead / n * 1000:.2f} ms per dialogue)")
    print(f"overhead in CPU time (steadier on a shared machine; waits on the event log's disk writes are not CPU): "
          f"{best.cpu_s - bare.cpu_s:+.2f} s = {best.cpu_s:.2f} s − {bare.cpu_s:.2f} s; ratio {best.cpu_s / bare.cpu_s:.2f}×")
    if len(runs) > 1:
        print(f"overhead (first, cold run): {first.wall_s - bare.wall_s:+.2f} s; ratio {first.wall_s / bare.wall_s:.2f}×")
    failed_checks = sorted(name for name, passed in best.checks.items() if not passed)
    print(f"asset checks: {len(best.checks)} ran, " + (f"failed: {', '.join(failed_checks)}" if failed_checks else "all passed"))
    same = best.quality_version == bare.quality_version
    print(f"same work: dialogue_quality {best.rows} rows, data version {best.quality_version} "
          + ("= bare chain's hash" if same else f"≠ bare chain's {bare.quality_version} (the chains differ)"))


# ------------------------------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dialogues", type=int, default=1000, help="dialogues per batch (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="run seed (default 7, as TOOLFLOW_SEED)")
    parser.add_argument("--sources", default="", help="comma-separated tool sources (default: the bundled corpus)")
    parser.add_argument("--batch", default="", help="batch partition key (default: DEFAULT_BATCH, batch-0001)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each part; the best counts (default 3)")
    parser.add_argument("--skip-dagster", action="store_true", help="run the bare chain only")
    parser.add_argument("--instance", choices=["sqlite", "ephemeral"], default="sqlite",
                        help="Dagster instance: a temporary DAGSTER_HOME with SQLite storage (default) or in memory")
    parser.add_argument("--memory-limit-gb", type=float, default=4.0, help="address-space cap of this process")
    args = parser.parse_args()
    if args.memory_limit_gb > 0:
        limit = int(args.memory_limit_gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    from resources.settings import BUNDLED_CORPUS
    from toolflow_assets.batches import DEFAULT_BATCH

    sources = [s.strip() for s in args.sources.split(",") if s.strip()] or [str(BUNDLED_CORPUS)]
    batch = args.batch or DEFAULT_BATCH
    n, repeats = args.dialogues, max(1, args.repeats)
    print(f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), Python {platform.python_version()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"N = {n} dialogues, seed {args.seed}, batch {batch}, sources "
          + ("the bundled corpus" if sources == [str(BUNDLED_CORPUS)] else ", ".join(sources)))

    setup = build_tools(sources)
    bare_runs: list[ChainRun] = []
    dagster_runs: list[DagsterRun] = []
    with contextlib.ExitStack() as stack:
        if not args.skip_dagster:
            tools_s, run_dagster = stack.enter_context(dagster_chain(n, args.seed, sources, batch, args.instance))
        for _ in range(repeats):  # alternate, so a busy spell on a shared machine hits both alike
            bare_runs.append(run_chain(setup, n, args.seed, batch))
            if not args.skip_dagster:
                dagster_runs.append(run_dagster())
    bare = print_chain(bare_runs, setup, n)
    if dagster_runs:
        print_dagster(dagster_runs, tools_s, bare, n, args.instance)
    print(f"\npeak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          f"(cap {args.memory_limit_gb:g} GiB address space); load average now "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
