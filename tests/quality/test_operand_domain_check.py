"""A Math API call with an operand outside its operation's domain: BFCL's class answers a complex number, which
the return schema refuses, and the tool-response check names the cause by the planner's rule (values.domains)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.quality.checks import check_tool_responses

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
from ci_parts import import_part  # noqa: E402

MATH_API = Path(__file__).resolve().parents[2] / "toolflow_assets/data/corpus/bfcl/multi_turn_func_doc/math_api.json"
INSTALL = "bfcl-eval is not installed: .venv/bin/pip install --no-deps bfcl-eval==2026.3.23 mpmath"


def _dialogue(arguments: dict, answer: object) -> list[dict]:
    call = {"id": "c1", "type": "function", "function": {"name": "logarithm", "arguments": json.dumps(arguments)}}
    return [{"role": "user", "content": "What is the logarithm of that?"},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "c1", "name": "logarithm", "content": json.dumps(answer, default=str)}]


def test_a_logarithm_of_a_negative_value_fails_and_the_reason_names_the_value() -> None:
    import_part("bfcl_eval.eval_checker.multi_turn_eval.func_source_code.math_api", INSTALL)
    from toolflow_assets.execution.python_env import BY_CLASS, load, run_call

    returns = {t.name: t.returns for t in ingest_sources([str(MATH_API)]).tools}
    instance = load(BY_CLASS["MathAPI"], {})
    negative = {"value": -7.0, "base": 10, "precision": 5}
    reasons = check_tool_responses(_dialogue(negative, run_call(instance, "logarithm", negative)), returns)
    assert reasons and any("logarithm.value must be positive, not -7" in r for r in reasons), reasons
    positive = {"value": 7.0, "base": 10, "precision": 5}
    assert check_tool_responses(_dialogue(positive, run_call(instance, "logarithm", positive)), returns) == []
