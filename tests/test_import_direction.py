"""Imports run one way through the stages (issue 10, item 8): ingestion → graph → sampling → planning →
generation / execution → quality → export, and the shared kernels (the LLM transport `llm/`, the JSON-Schema
kernel `json_schema/`, value synthesis and data-flow plumbing `values/`) import no stage at all. Read from the
source with `ast`, so an import inside a function (a lazy one) counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "toolflow_assets"
CHAIN = ["ingestion", "graph", "sampling", "planning", "generation", "quality", "export"]
STAGES = {*CHAIN, "execution"}  # execution sits beside generation
KERNELS = ["llm", "json_schema", "values"]

# Imports against the direction that are known and not yet undone. Each entry is (module, imported module);
# an entry that no longer holds fails too, so this list only shrinks. (Empty since value synthesis and data-flow
# plumbing moved to the `values/` kernel and phrasing to planning.)
KNOWN_BACKWARD: set[tuple[str, str]] = set()


def imported_modules(path: Path, root: Path = PACKAGE) -> set[str]:
    """The dotted names a module imports (relative imports resolved against its place under `root`)."""
    package = list(path.relative_to(root.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + (node.module.split(".") if node.module else []))
            if node.module:
                found.add(target)
            else:  # `from .. import export`: the names are modules themselves
                found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def stage_of(module: str, root: Path = PACKAGE) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == root.name and len(parts) > 1 else None


def backward(subpackage: str, forbidden: set[str], root: Path = PACKAGE) -> set[tuple[str, str]]:
    """(module, imported module) for each import of `subpackage` that reaches a `forbidden` subpackage."""
    return {(str(path.relative_to(root)), module)
            for path in sorted((root / subpackage).rglob("*.py"))
            for module in imported_modules(path, root) if stage_of(module, root) in forbidden}


def test_the_scanner_sees_relative_absolute_lazy_and_bare_package_imports(tmp_path):
    root = tmp_path / "toolflow_assets"
    (root / "planning").mkdir(parents=True)
    (root / "planning" / "m.py").write_text(
        "from ..generation.offline import x\nimport toolflow_assets.quality.checks\nfrom . import models\n"
        "from .. import export\ndef f():\n    from ..llm.client import LLMClient\n", encoding="utf-8")
    assert backward("planning", {"generation", "quality", "export"}, root) == {
        ("planning/m.py", "toolflow_assets.generation.offline"),
        ("planning/m.py", "toolflow_assets.quality.checks"),
        ("planning/m.py", "toolflow_assets.export"),
    }
    assert backward("planning", {"llm"}, root) == {("planning/m.py", "toolflow_assets.llm.client")}


def test_planning_imports_no_generation_beyond_the_known_list():
    found = backward("planning", {"generation"})
    assert found - KNOWN_BACKWARD == set(), "new imports of generation from planning"
    assert KNOWN_BACKWARD - found == set(), "undone: remove them from KNOWN_BACKWARD"


@pytest.mark.parametrize("kernel", KERNELS)
def test_shared_kernels_import_no_stage(kernel):
    assert (PACKAGE / kernel / "__init__.py").is_file()
    assert backward(kernel, STAGES) == set()


@pytest.mark.parametrize("stage", ["ingestion", "graph", "sampling"])
def test_early_stages_import_nothing_later_in_the_chain(stage):
    later = set(CHAIN[CHAIN.index(stage) + 1:]) | {"execution"}
    assert backward(stage, later) == set()
