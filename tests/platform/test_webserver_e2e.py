"""ToolFlow as users meet it: `dagster dev`, its GraphQL API and the UI in a real browser.

One `dagster dev -w workspace.yaml` per module, on a free port with a private DAGSTER_HOME, storage and
output folder. Everything goes through HTTP: the lineage the UI reads, registering a batch, launching
`full_pipeline` for it, and reading back the run's materializations and asset check results; then
headless Chromium loads the global asset lineage page and must draw the pipeline's assets.
"""

from __future__ import annotations

import atexit
import itertools
import json

import pytest
from ci_parts import import_part, missing_part
from webserver_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPOSITORY_SELECTOR,
    failure_summary,
    processes_with_env,
    run_events,
    start_webserver,
    wait_for_run,
)

# One server per module: under `pytest -n auto --dist loadgroup` all of these tests share one worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("webserver_e2e")]

BATCH = "batch-0001"
PIPELINE = ["tool_catalog", "tool_graph", "tool_subgraphs", "dialogue_plans", "dialogues", "dialogue_quality",
            "curated_dialogues", "dataset_export"]
GROUPS = {
    "tool_sources": "ingestion", "tool_catalog": "ingestion", "tool_quarantine": "ingestion",
    "tool_graph": "graph",
    "tool_subgraphs": "sampling",
    "dialogue_plans": "planning",
    "dialogues": "dialogues",
    "dialogue_quality": "quality",
    "curated_dialogues": "dataset", "dataset_export": "dataset", "synthesis_report": "dataset",
}
BATCH_PARTITIONED = {"tool_subgraphs", "dialogue_plans", "dialogues", "dialogue_quality"}
CHECKED_ASSETS = {"dialogues", "dialogue_quality"}
REQUIRED_CHECKS = {("dialogues", "integrity"), ("dialogue_quality", "integrity"), ("dialogue_quality", "pass_rate")}

ASSET_NODES_QUERY = """
query AssetLineage {
  assetNodes {
    assetKey { path }
    dependencyKeys { path }
    groupName
    opVersion
    isMaterializable
    isObservable
    jobNames
    partitionDefinition { name type }
    assetChecksOrError {
      __typename
      ... on AssetChecks { checks { name blocking } }
    }
  }
}
"""

ADD_PARTITION_MUTATION = """
mutation AddBatch($selector: RepositorySelector!, $partitionsDefName: String!, $partitionKey: String!) {
  addDynamicPartition(repositorySelector: $selector, partitionsDefName: $partitionsDefName,
                      partitionKey: $partitionKey) {
    __typename
    ... on AddDynamicPartitionSuccess { partitionsDefName partitionKey }
    ... on DuplicateDynamicPartitionError { partitionsDefName partitionName }
    ... on UnauthorizedError { message }
    ... on PythonError { message stack }
  }
}
"""

PARTITION_KEYS_QUERY = """
query PartitionKeys($assetKey: AssetKeyInput!) {
  assetNodeOrError(assetKey: $assetKey) {
    __typename
    ... on AssetNode { partitionKeys }
  }
}
"""

LAUNCH_RUN_MUTATION = """
mutation LaunchRun($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId status } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on PythonError { message stack }
    ... on Error { message }
  }
}
"""

RUN_MATERIALIZATIONS_QUERY = """
query RunMaterializations($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run {
      status
      tags { key value }
      assetMaterializations { assetKey { path } partition }
    }
  }
}
"""

CHECK_EVALUATION_FRAGMENT = """
... on AssetCheckEvaluationEvent {
  evaluation { checkName assetKey { path } success severity partition }
}
"""

CHECK_EXECUTIONS_QUERY = """
query CheckExecutions($assetKey: AssetKeyInput!, $checkName: String!, $partition: String) {
  assetCheckExecutions(assetKey: $assetKey, checkName: $checkName, partition: $partition, limit: 5) {
    runId
    status
    partition
    evaluation { success }
  }
}
"""


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("webserver_e2e")
    server = start_webserver(tmp, {
        "TOOLFLOW_STORAGE_DIR": str(tmp / "storage"),
        "TOOLFLOW_OUTPUT_DIR": str(tmp / "out"),
        "TOOLFLOW_DIALOGUES": "12",
        "TOOLFLOW_LLM_BACKEND": "offline",
    })
    atexit.register(server.stop)  # if the session dies before teardown, still no leftover server
    try:
        yield server
    finally:
        server.stop()
        atexit.unregister(server.stop)
    survivors = processes_with_env("DAGSTER_HOME", str(server.home))
    assert not survivors, f"processes of the test's dagster dev outlived it: {survivors}"


@pytest.fixture(scope="module")
def asset_nodes(webserver) -> dict[str, dict]:
    nodes = webserver.graphql(ASSET_NODES_QUERY)["assetNodes"]
    return {"/".join(node["assetKey"]["path"]): node for node in nodes}


def _dependencies(node: dict) -> set[str]:
    return {"/".join(key["path"]) for key in node["dependencyKeys"]}


def test_graphql_lineage_reads_as_the_pipeline(asset_nodes):
    assert set(GROUPS) <= set(asset_nodes), f"missing assets: {set(GROUPS) - set(asset_nodes)}"
    for upstream, downstream in itertools.pairwise(PIPELINE):
        assert upstream in _dependencies(asset_nodes[downstream]), f"{upstream} → {downstream} missing"
    assert "tool_sources" in _dependencies(asset_nodes["tool_catalog"])
    assert "dialogue_quality" in _dependencies(asset_nodes["synthesis_report"])

    assert {name: asset_nodes[name]["groupName"] for name in GROUPS} == GROUPS
    assert {node["groupName"] for node in asset_nodes.values()} <= set(GROUPS.values())
    materializable = {name for name, node in asset_nodes.items() if node["isMaterializable"]}
    assert set(GROUPS) - {"tool_sources"} <= materializable
    assert asset_nodes["tool_sources"]["isObservable"]
    unversioned = sorted(name for name in materializable if not asset_nodes[name]["opVersion"])
    assert not unversioned, f"assets without code_version (opVersion): {unversioned}"
    for name in materializable:
        assert "full_pipeline" in asset_nodes[name]["jobNames"], name

    for name in set(GROUPS) - {"tool_sources"}:
        partitions = asset_nodes[name]["partitionDefinition"]
        if name in BATCH_PARTITIONED:
            assert partitions == {"name": "batch", "type": "DYNAMIC"}, (name, partitions)
        else:
            assert partitions is None, (name, partitions)

    declared = set()
    for name in CHECKED_ASSETS:
        checks = asset_nodes[name]["assetChecksOrError"]
        assert checks["__typename"] == "AssetChecks", checks
        declared |= {(name, check["name"]) for check in checks["checks"]}
        assert all(check["blocking"] for check in checks["checks"] if (name, check["name"]) in REQUIRED_CHECKS)
    assert REQUIRED_CHECKS <= declared


def test_full_pipeline_run_for_a_new_batch_materializes_every_asset_and_passes_its_checks(webserver, asset_nodes):
    added = webserver.graphql(ADD_PARTITION_MUTATION, {
        "selector": REPOSITORY_SELECTOR, "partitionsDefName": "batch", "partitionKey": BATCH,
    })["addDynamicPartition"]
    assert added == {"__typename": "AddDynamicPartitionSuccess", "partitionsDefName": "batch",
                     "partitionKey": BATCH}, added
    keys = webserver.graphql(PARTITION_KEYS_QUERY, {"assetKey": {"path": ["dialogues"]}})["assetNodeOrError"]
    assert BATCH in keys["partitionKeys"], keys

    launched = webserver.graphql(LAUNCH_RUN_MUTATION, {"executionParams": {
        "selector": {**REPOSITORY_SELECTOR, "jobName": "full_pipeline"},
        "runConfigData": json.dumps({}),
        "executionMetadata": {"tags": [{"key": "dagster/partition", "value": BATCH}]},
    }})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    finished = wait_for_run(webserver, run_id, timeout=240)
    assert finished["status"] == "SUCCESS", (
        f"run {run_id} ended {finished['status']}:\n{failure_summary(webserver, run_id)}\n"
        f"--- dagster dev log ---\n{webserver.log_tail(30)}")
    assert {"key": "dagster/partition", "value": BATCH} in finished["tags"]

    run = webserver.graphql(RUN_MATERIALIZATIONS_QUERY, {"runId": run_id})["runOrError"]
    materialized = {"/".join(m["assetKey"]["path"]): m["partition"] for m in run["assetMaterializations"]}
    expected = {name for name, node in asset_nodes.items() if node["isMaterializable"]}
    assert set(materialized) == expected, f"not materialized: {expected - set(materialized)}"
    for name, partition in materialized.items():
        assert partition == (BATCH if asset_nodes[name]["partitionDefinition"] else None), (name, partition)

    evaluations = [event["evaluation"] for event in run_events(webserver, run_id, CHECK_EVALUATION_FRAGMENT)
                   if event["__typename"] == "AssetCheckEvaluationEvent"]
    results = {("/".join(e["assetKey"]["path"]), e["checkName"]): e for e in evaluations}
    declared = {(name, check["name"]) for name in CHECKED_ASSETS
                for check in asset_nodes[name]["assetChecksOrError"]["checks"]}
    assert declared <= set(results), f"checks that did not run: {declared - set(results)}"
    failed = {key: result for key, result in results.items() if key in declared and not result["success"]}
    assert not failed, f"failed checks: {failed}"
    assert all(results[key]["partition"] == BATCH for key in declared), results

    # The asset's check history (what the UI's Checks tab shows) has this run's passing execution.
    for asset, check in sorted(REQUIRED_CHECKS):
        executions = webserver.graphql(CHECK_EXECUTIONS_QUERY, {
            "assetKey": {"path": [asset]}, "checkName": check, "partition": BATCH,
        })["assetCheckExecutions"]
        mine = [e for e in executions if e["runId"] == run_id]
        assert mine and mine[0]["status"] == "SUCCEEDED" and mine[0]["evaluation"]["success"], (check, executions)


def test_the_ui_draws_the_asset_graph_in_a_headless_browser(webserver):
    if not CHROMIUM.exists():  # under CI (`CI` set) a missing part fails instead: ci_parts.py
        missing_part("headless browser test skipped: no /usr/bin/chromium (apt-get install chromium)")
    sync_api = import_part("playwright.sync_api", "headless browser test skipped: "
                           "playwright is not installed (pip install -e '.[dev]')")

    # The global lineage page collapses each group into one box; `expanded` opens them all, so the
    # graph draws every asset node (group ids: `global@global:<group>`, or per code location).
    group_ids = [f"{prefix}:{group}" for group in sorted(set(GROUPS.values()))
                 for prefix in ("global@global", "__repository__@toolflow")]
    url = f"{webserver.url}/asset-groups?expanded={','.join(group_ids)}"
    screenshot = webserver.tmp / "asset_graph.png"

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                             timeout=60_000)
        try:
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            # Stay off the network: only the webserver itself (no newsletter iframe, no outside fonts).
            context.route("**/*", lambda route: route.continue_()
                          if route.request.url.startswith(webserver.url) else route.abort())
            # Mark the community sign-up dialog as seen, as a user's click on "Skip" would.
            context.add_init_script("window.localStorage.setItem('communityNux', '\"1\"');")
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(url, wait_until="domcontentloaded")

            graph = page.locator("svg foreignObject")
            for name in ("tool_catalog", "tool_graph", "dialogues", "dialogue_quality", "curated_dialogues",
                         "dataset_export"):
                graph.get_by_text(name, exact=True).first.wait_for(state="visible")
            page.wait_for_timeout(500)  # let the edges finish drawing before the screenshot
            page.screenshot(path=str(screenshot))
            drawn = {name: graph.get_by_text(name, exact=True).count() for name in GROUPS}
            title = page.title()
        finally:
            browser.close()

    assert title == "Global asset lineage", title
    missing = [name for name, count in drawn.items() if not count]
    assert not missing, f"assets not drawn in the lineage graph (screenshot: {screenshot}): {missing}"
