"""The shipped production instance config (deploy/dagster.yaml) works: one batch of the pipeline, run by the
`toolflow` CLI against a real PostgreSQL, lands in PostgreSQL with its run, events and materializations.

Needs the PostgreSQL server binaries (`apt-get install postgresql`, found under /usr/lib/postgresql/*/bin)
and `dagster-postgres` (in the `dev` extra); skips with a message saying so otherwise, and fails instead
when `CI` is set (`.ci/run` installs them, see ci_parts.py). PostgreSQL refuses
to run as root, so as root the server runs as the `postgres` OS user through `runuser`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from ci_parts import import_part, missing_part
from subprocess_env import clean_env

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_YAML = ROOT / "deploy" / "dagster.yaml"
DATABASE = "toolflow_dagster"
RUN_TIMEOUT_S = 900


@dataclass(frozen=True)
class Postgres:
    port: int
    env: dict[str, str]  # the DAGSTER_PG_* variables deploy/dagster.yaml reads


def _server_bin_dir() -> Path | None:
    """The newest installed major version's bin folder (/usr/lib/postgresql/<major>/bin), if any."""
    def major(initdb: str) -> tuple[int, str]:
        version = Path(initdb).parts[-3]
        return (int(version) if version.isdigit() else -1, version)

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=major)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user() -> list[str]:
    """Command prefix to run a PostgreSQL binary: as root, `runuser -u postgres --`; else nothing."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        made = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
                              capture_output=True, text=True)
        if made.returncode != 0:
            missing_part(f"running as root and no `postgres` OS user to run PostgreSQL as: {made.stderr.strip()}")
    if shutil.which("runuser") is None:
        missing_part("running as root, and `runuser` (util-linux) is missing to run PostgreSQL as `postgres`")
    return ["runuser", "-u", "postgres", "--"]


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    """A throwaway PostgreSQL on 127.0.0.1 (trust auth, a free port) with an empty database; stopped after."""
    bin_dir = _server_bin_dir()
    if bin_dir is None:
        missing_part("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: "
                     "install them with `apt-get install postgresql`")
    import_part("dagster_postgres", "dagster-postgres is not installed: pip install -e '.[dev]'")
    prefix = _as_server_user()

    # Not pytest's tmp_path (nor $TMPDIR as root): parents of mode 0700 would stop the `postgres` user.
    top = Path(tempfile.mkdtemp(prefix="toolflow-pg-", dir="/tmp" if prefix else None))
    data, run_dir, log = top / "data", top / "run", top / "server.log"
    top.chmod(0o755)
    for folder in (data, run_dir):
        folder.mkdir(mode=0o700)
    log.touch()
    if prefix:
        server_user = pwd.getpwnam("postgres")
        for path in (data, run_dir, log):
            os.chown(path, server_user.pw_uid, server_user.pw_gid)

    port = _free_port()
    pg_ctl = [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data)]
    started = False
    try:
        _run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
              "-E", "UTF8", "--locale=C"])
        # Small and unsynced: a test database on a shared machine, thrown away afterwards.
        options = (f"-h 127.0.0.1 -p {port} -k {run_dir} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c shared_buffers=32MB -c max_connections=60")
        try:
            _run([*pg_ctl, "-l", str(log), "-o", options, "-w", "-t", "60", "start"])
        except AssertionError as error:
            raise AssertionError(f"{error}\nserver log:\n{log.read_text(errors='replace')[-3000:]}") from None
        started = True
        _run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", DATABASE])
        yield Postgres(port=port, env={
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_USER": "postgres",
            "DAGSTER_PG_PASSWORD": "unused-with-trust-auth",
            "DAGSTER_PG_DB": DATABASE,
            "DAGSTER_PG_PORT": str(port),
        })
    finally:
        if started:
            subprocess.run([*pg_ctl, "stop", "-m", "immediate", "-w", "-t", "30"], capture_output=True, timeout=60)
        shutil.rmtree(top, ignore_errors=True)


def _toolflow_cli() -> str:
    beside_python = Path(sys.executable).parent / "toolflow"
    return str(beside_python) if beside_python.exists() else (shutil.which("toolflow") or "toolflow")


def _run_cli(command: list[str], env: dict[str, str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """Run in its own process group, and end the whole group if it overruns."""
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        raise AssertionError(f"{' '.join(command)} ran over {timeout:.0f} s:\n{output[-4000:]}") from None
    return subprocess.CompletedProcess(command, process.returncode, output, "")


@pytest.mark.slow
def test_one_batch_runs_against_postgres_with_the_shipped_instance_config(postgres, tmp_path, monkeypatch):
    import dagster as dg
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(DEPLOY_YAML, home / "dagster.yaml")  # the shipped file, unchanged: only the env differs
    env = clean_env()
    env.update(postgres.env, DAGSTER_HOME=str(home), TOOLFLOW_STORAGE_DIR=str(tmp_path / "storage"))

    # The documented way to give the LLM stages' pool its own limit works against this instance.
    dagster_cli = Path(sys.executable).parent / "dagster"
    if dagster_cli.exists():
        limit = _run_cli([str(dagster_cli), "instance", "concurrency", "set", "llm", "8"], env, tmp_path, 120)
        assert limit.returncode == 0, limit.stdout

    started = time.monotonic()
    result = _run_cli([_toolflow_cli(), "run", "--dialogues", "8", "--output", str(tmp_path / "out")],
                      env, tmp_path, RUN_TIMEOUT_S)
    took = time.monotonic() - started
    assert result.returncode == 0, f"toolflow run failed after {took:.0f} s:\n{result.stdout[-6000:]}"
    assert str(home) in result.stdout  # the CLI used our DAGSTER_HOME, not a project-local one

    for name, value in postgres.env.items():
        monkeypatch.setenv(name, value)
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert isinstance(instance.schedule_storage, PostgresScheduleStorage)

        shipped = yaml.safe_load(DEPLOY_YAML.read_text())["concurrency"]
        concurrency = instance.get_concurrency_config()
        assert concurrency.run_queue_config.max_concurrent_runs == shipped["runs"]["max_concurrent_runs"]
        assert concurrency.pool_config.default_pool_limit == shipped["pools"]["default_limit"]
        if dagster_cli.exists():
            assert instance.event_log_storage.get_concurrency_info("llm").slot_count == 8

        runs = instance.get_runs()
        assert len(runs) == 1, [run.run_id for run in runs]
        run = runs[0]
        assert run.status == dg.DagsterRunStatus.SUCCESS
        assert run.run_id[:8] in result.stdout

        for asset in ("tool_catalog", "dialogues"):
            records = instance.fetch_materializations(dg.AssetKey(asset), limit=10).records
            assert [record.run_id for record in records] == [run.run_id], asset

        # The CLI registered its batch partition, and the per-batch stages ran for it: both in PostgreSQL.
        assert "batch-0001" in instance.get_dynamic_partitions("batch")
        dialogues = instance.fetch_materializations(dg.AssetKey("dialogues"), limit=1).records[0]
        assert dialogues.partition_key == "batch-0001"
    finally:
        instance.dispose()

    # And straight from the database, not through Dagster's storage classes.
    import psycopg2

    with psycopg2.connect(host="127.0.0.1", port=postgres.port, user="postgres", dbname=DATABASE) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT run_id, status FROM runs")
            assert cursor.fetchall() == [(run.run_id, "SUCCESS")]
            cursor.execute("SELECT count(*) FROM event_logs WHERE run_id = %s AND dagster_event_type = %s",
                           (run.run_id, "ASSET_MATERIALIZATION"))
            assert cursor.fetchone()[0] >= 2
    connection.close()


def test_helm_values_say_what_the_instance_config_says():
    """deploy/helm/values.yaml is the same deployment on Kubernetes: same limits, driver and code location."""
    import tomllib

    instance = yaml.safe_load(DEPLOY_YAML.read_text())
    helm = yaml.safe_load((ROOT / "deploy" / "helm" / "values.yaml").read_text())

    assert helm["concurrency"]["enabled"] is True
    assert helm["concurrency"]["runs"]["maxConcurrentRuns"] == instance["concurrency"]["runs"]["max_concurrent_runs"]
    pools = helm["concurrency"]["pools"]
    assert (pools["defaultLimit"], pools["granularity"]) == (
        instance["concurrency"]["pools"]["default_limit"], instance["concurrency"]["pools"]["granularity"])
    # The chart refuses a run limit in both places.
    queued = helm["dagsterDaemon"]["runCoordinator"]
    assert queued["type"] == "QueuedRunCoordinator"
    assert "maxConcurrentRuns" not in queued.get("config", {}).get("queuedRunCoordinator", {})
    assert helm["postgresql"]["postgresqlScheme"] == instance["storage"]["postgres"]["postgres_db"]["scheme"]
    assert helm["telemetry"]["enabled"] is False and instance["telemetry"]["enabled"] is False

    (location,) = helm["dagster-user-deployments"]["deployments"]
    module = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["dagster"]["module_name"]
    assert location["dagsterApiGrpcArgs"] == ["-m", module]
    assert location["includeConfigInLaunchedRuns"]["enabled"] is True
    assert location["env"]["TOOLFLOW_LLM_BACKEND"] == "openai"
    assert location["env"]["OPENAI_BASE_URL"].endswith("/v1")
    assert "OPENAI_API_KEY" not in location["env"] and location["envSecrets"]  # the key only from a Secret
