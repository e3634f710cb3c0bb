"""The JSON Schema module is a leaf: every stage may import it, and it imports no stage (so ingestion,
graph, planning, generation, execution and quality can share it without an import cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import toolflow_assets.json_schema as package


def test_the_json_schema_package_imports_nothing_of_the_project_outside_itself() -> None:
    outside = []
    for path in Path(package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.level > 1 or (node.module or "").startswith("toolflow")):
                outside.append(f"{path.name}: from {'.' * node.level}{node.module or ''}")
    assert outside == []
