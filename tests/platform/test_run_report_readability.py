"""What a run leaves for people reads cleanly: report plots whose legends cover no bar, and report Markdown
without Python's `True`/`False` or dict literals.

Failures reproduced: legends sat on the bars (shares at 1.0 fill the plot's height, and the pass-rate
legend sat in its lower right corner over the bars); the report said "graph ahead on chained dialogues:
**True**" and "usage: {'prompt_tokens': 0, ...}"."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export"))

from export_fixtures import batch  # noqa: E402

from toolflow_assets.export import plots  # noqa: E402
from toolflow_assets.export.report import build_report, parse_dialogues, report_markdown  # noqa: E402
from toolflow_assets.quality.checks import CHECK_NAMES  # noqa: E402
from toolflow_assets.quality.evaluate import evaluate_dialogues  # noqa: E402


@pytest.fixture(scope="module")
def report():
    dialogues, plans, catalog = batch(graph=6, random=3, failed=0)
    return build_report(dialogues, evaluate_dialogues(dialogues, plans, catalog)), dialogues


def _full_marks(report: dict) -> dict:
    """Every share at 1.0: the bars fill the whole plot height, where a legend inside would sit on them."""
    full = json.loads(json.dumps(report))
    for block in full["strategies"].values():
        block.update(chained_share=1.0, multi_tool_share=1.0, pass_rate=1.0,
                     pass_rate_per_check={name: 1.0 for name in CHECK_NAMES})
    return full


def _covered_bars(figure) -> int:
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    axis = figure.axes[0]
    legend = axis.get_legend().get_window_extent(renderer)
    bars = [patch.get_window_extent(renderer) for patch in axis.patches]
    return sum(1 for bar in bars if bar.width > 1 and bar.height > 1 and legend.overlaps(bar))


def test_no_legend_covers_a_bar(report):
    data, dialogues = report
    full = _full_marks(data)
    figures = {"strategy_comparison": plots.strategy_comparison(full),
               "calls_histogram": plots.calls_histogram(parse_dialogues(dialogues)),
               "check_pass_rates": plots.check_pass_rates(full)}
    try:
        assert {name: _covered_bars(figure) for name, figure in figures.items()} == dict.fromkeys(figures, 0)
    finally:
        for figure in figures.values():
            plots.close(figure)


def test_report_markdown_has_no_python_literals(report):
    data, _ = report
    page = report_markdown(data)
    raw = [line for line in page.splitlines() if re.search(r"\*\*(True|False)\*\*|\{'|': ", line)]
    assert raw == []
    assert re.search(r"graph ahead on chained dialogues: \*\*(yes|no)\*\*", page)
    assert "- usage: " in page and "requests 0" in page
