"""Issue 15, items 3-4: the cluster kit in deploy/ is valid and its files agree with each other.

Every Kubernetes manifest is validated against the API's own OpenAPI schemas (the `kubernetes-validate`
package bundles them, so this runs offline), strictly: a misspelled field fails. The rest checks what
no schema can: that the numbers and names repeated across files (pool sizes, claim, Secret, Service)
still match, and that the image build copies files that exist and that the build context keeps.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
MANIFESTS = sorted((DEPLOY / "k8s").glob("*.yaml"))
KUBERNETES_VERSION = "1.30.0"  # the oldest release we document; fields added later would fail here


def _documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _objects() -> dict[tuple[str, str], dict]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for path in MANIFESTS for doc in _documents(path)}


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_every_manifest_validates_against_the_kubernetes_schemas(path):
    documents = _documents(path)
    assert documents, f"{path.name} holds no object"
    for doc in documents:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_validator_rejects_a_misspelled_field():
    deployment = _objects()[("Deployment", "vllm")]
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["resource"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def _values() -> dict:
    return yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())


def _vllm_arg(name: str) -> str:
    container = _objects()[("Deployment", "vllm")]["spec"]["template"]["spec"]["containers"][0]
    for arg in container["args"]:
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    raise AssertionError(f"vLLM has no --{name}")


def test_llm_pool_is_below_the_run_limit_and_sized_from_the_model_server():
    instance = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())["concurrency"]
    chart = _values()["concurrency"]
    code_location_env = _values()["dagster-user-deployments"]["deployments"][0]["env"]

    pool, runs = instance["pools"]["default_limit"], instance["runs"]["max_concurrent_runs"]
    assert (chart["pools"]["defaultLimit"], chart["runs"]["maxConcurrentRuns"]) == (pool, runs), \
        "deploy/dagster.yaml and helm/values.yaml disagree"
    assert instance["pools"]["granularity"] == chart["pools"]["granularity"] == "op"
    assert 0 < pool < runs, "a pool as large as the run limit never limits (one LLM step per run at a time)"
    # LLM steps at once = vLLM capacity / per-step concurrency
    per_step = int(code_location_env["TOOLFLOW_LLM_CONCURRENCY"])
    assert int(_vllm_arg("max-num-seqs")) == pool * per_step


def test_names_shared_across_files_match():
    objects = _objects()
    deployment = _values()["dagster-user-deployments"]["deployments"][0]

    claim = deployment["volumes"][0]["persistentVolumeClaim"]["claimName"]
    assert "ReadWriteMany" in objects[("PersistentVolumeClaim", claim)]["spec"]["accessModes"]

    vllm_pod = objects[("Deployment", "vllm")]["spec"]["template"]["spec"]
    key_ref = next(e["valueFrom"]["secretKeyRef"] for e in vllm_pod["containers"][0]["env"]
                   if e["name"] == "VLLM_API_KEY")
    assert key_ref == {"name": deployment["envSecrets"][0]["name"], "key": "OPENAI_API_KEY"}
    assert {v["persistentVolumeClaim"]["claimName"] for v in vllm_pod["volumes"] if "persistentVolumeClaim" in v} \
        <= {name for kind, name in objects if kind == "PersistentVolumeClaim"}

    service = objects[("Service", "vllm")]
    host = f"{service['metadata']['name']}.{service['metadata']['namespace']}.svc.cluster.local"
    assert deployment["env"]["OPENAI_BASE_URL"] == f"http://{host}:{service['spec']['ports'][0]['port']}/v1"
    pod_labels = objects[("Deployment", "vllm")]["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items(), "the Service selects no vLLM pod"


def test_run_pods_have_requests_and_limits_and_logs_outlive_them():
    values = _values()
    resources = values["runLauncher"]["config"]["k8sRunLauncher"]["resources"]
    assert set(resources) == {"requests", "limits"} and {"cpu", "memory"} <= set(resources["limits"])
    assert values["computeLogManager"]["type"] in {"S3ComputeLogManager", "GCSComputeLogManager",
                                                   "AzureBlobComputeLogManager"}


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule for a path of the build context: the last matching pattern wins (`!` re-includes);
    patterns are anchored at the context root and a pattern matching a folder covers what is inside."""
    ignored = False
    parts = path.split("/")
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if fnmatch.fnmatch(prefix, pattern) or (pattern.startswith("**/") and
                                                     fnmatch.fnmatch(parts[depth - 1], pattern[3:])):
                ignored = not negate
                break
    return ignored


def test_image_copies_what_exists_keeps_local_state_out_and_runs_unprivileged():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]

    sources = [src for line in re.findall(r"^COPY (?!--from)(.+)$", dockerfile, re.M)
               for src in line.split()[:-1] if not src.startswith("--")]
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such file"
        assert not _ignored(source, patterns), f"COPY {source}: excluded by .dockerignore"
    assert not _ignored("toolflow_assets/data/corpus", patterns), "the bundled corpus must reach the image"
    for local_state in (".venv", "output", ".toolflow", "data", ".git"):
        assert _ignored(f"{local_state}/anything", patterns), f"{local_state} would enter the build context"

    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert user and user[-1].split(":")[0] not in {"root", "0"}
