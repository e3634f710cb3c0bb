"""The README's quickstart is a contract: two lines, and .ci/run runs the second one."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _quickstart_lines() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quickstart", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "the Quickstart has no bash block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quickstart_has_exactly_two_commands():
    lines = _quickstart_lines()
    assert len(lines) == 2
    assert "toolflow run" in lines[0] and "pip install" in lines[0]
    assert "pytest" in lines[1] and "pip install" in lines[1]


def test_ci_runs_the_readme_test_command():
    script = ROOT / ".ci" / "run"
    extracted = subprocess.run(
        ["bash", "-c", "awk '/^## Quickstart/{q=1} q&&/^```bash/{b=1;next} b&&/^```/{exit} b{print}' README.md | sed -n 2p"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert extracted == _quickstart_lines()[1]
    assert "README.md" in script.read_text()
