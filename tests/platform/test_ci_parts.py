"""CI cannot go green by skipping: under `CI` a test whose part (PostgreSQL, Chromium, ...) is missing fails.

The failure reproduced: `.ci/run` installed PostgreSQL and Chromium "when it could" and the tests that need
them skipped otherwise, so a CI machine without them reported success without running them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from ci_parts import import_part, in_ci, missing_part

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@pytest.mark.parametrize("value, strict", [("true", True), ("1", True), ("yes", True), ("", False),
                                           ("false", False), ("0", False)])
def test_ci_is_read_from_the_environment(monkeypatch, value, strict):
    monkeypatch.setenv("CI", value)
    assert in_ci() is strict


def test_a_missing_part_fails_under_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no /usr/bin/chromium .*CI is set"):
        missing_part("no /usr/bin/chromium")
    with pytest.raises(pytest.fail.Exception, match="not installed"):
        import_part("toolflow_no_such_module", "not installed")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        missing_part("no /usr/bin/chromium")


@pytest.mark.parametrize("module", ["test_postgres.py", "test_webserver_e2e.py"])
def test_the_tests_needing_installed_parts_never_skip_on_their_own(module):
    """They go through ci_parts: a direct `pytest.skip`/`importorskip`/`skipif` would go green under CI."""
    tree = ast.parse((HERE / module).read_text())
    direct = [f"line {node.lineno}: pytest.{node.attr}" for node in ast.walk(tree)
              if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "pytest"
              and node.attr in ("skip", "importorskip", "xfail")]
    direct += [f"line {node.lineno}: skipif" for node in ast.walk(tree)
               if isinstance(node, ast.Attribute) and node.attr == "skipif"]
    assert direct == []


def test_under_ci_the_postgres_test_fails_when_postgres_is_missing(tmp_path):
    """Run the real test module with `CI` set on a machine where the PostgreSQL binaries cannot be found
    (the lookup's glob is pointed at an empty folder): it must fail, not skip."""
    conftest = tmp_path / "conftest.py"
    conftest.write_text("import glob\n_real = glob.glob\n"
                        "glob.glob = lambda p, *a, **k: [] if p.startswith('/usr/lib/postgresql') else _real(p, *a, **k)\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
                           "--rootdir", str(ROOT), "--confcutdir", str(tmp_path), "-c", "/dev/null",
                           f"--override-ini=pythonpath={HERE} {tmp_path}", "-p", "conftest",
                           str(HERE / "test_postgres.py")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={"CI": "true", "PATH": "/usr/bin:/bin", "PYTHONPATH": f"{ROOT}:{tmp_path}"})
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    assert done.returncode != 0 and "skipped" not in summary and "error" in summary, summary
    assert "PostgreSQL server binaries not found" in done.stdout
