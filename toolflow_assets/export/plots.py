"""Report figures (matplotlib, Agg backend): where a person would rather look than read a table.

Pure: each function returns a Figure; callers embed it (metadata.png_markdown) or save it, then close it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first

from ..quality.checks import CHECK_NAMES  # noqa: E402
from ..quality.conversation import called_tool_names  # noqa: E402
from .measures import Parsed  # noqa: E402

COLORS = {"graph": "#4c72b0", "random": "#dd8452"}


def _color(strategy: str, index: int) -> str:
    return COLORS.get(strategy, plt.cm.tab10(index % 10))


def _legend_beside(axis: Any) -> None:
    """The legend right of the plot area, never over it: shares near 1.0 fill the whole height, so any
    corner inside the axes covers a bar (tight_layout then makes room for it)."""
    axis.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


def strategy_comparison(report: dict[str, Any]) -> Any:
    """Shares side by side per strategy: chained, multi-tool, pass rate."""
    measures = [("chained_share", "chained"), ("multi_tool_share", "multi-tool"), ("pass_rate", "pass rate")]
    strategies = list(report["strategies"])
    figure, axis = plt.subplots(figsize=(6.5, 3.2))
    width = 0.8 / max(1, len(strategies))
    for i, strategy in enumerate(strategies):
        values = [report["strategies"][strategy].get(key) or 0.0 for key, _ in measures]
        positions = [m + i * width for m in range(len(measures))]
        axis.bar(positions, values, width=width, label=strategy, color=_color(strategy, i))
    axis.set_xticks([m + width * (len(strategies) - 1) / 2 for m in range(len(measures))])
    axis.set_xticklabels([label for _, label in measures])
    axis.set_ylim(0, 1)
    axis.set_ylabel("share of dialogues")
    _legend_beside(axis)
    axis.set_title("Graph sampling vs random baseline")
    figure.tight_layout()
    return figure


def calls_histogram(parsed: dict[str, list[Parsed]]) -> Any:
    """How many tool calls dialogues make, per strategy."""
    figure, axis = plt.subplots(figsize=(6.5, 3.2))
    counts = {s: Counter(len(called_tool_names(d.messages)) for d in ds) for s, ds in parsed.items()}
    top = max((k for c in counts.values() for k in c), default=0)
    width = 0.8 / max(1, len(counts))
    for i, (strategy, counter) in enumerate(sorted(counts.items())):
        total = sum(counter.values()) or 1
        axis.bar([k + i * width for k in range(top + 1)], [counter.get(k, 0) / total for k in range(top + 1)],
                 width=width, label=strategy, color=_color(strategy, i))
    axis.set_xlabel("tool calls per dialogue")
    axis.set_ylabel("share of dialogues")
    _legend_beside(axis)
    figure.tight_layout()
    return figure


def check_pass_rates(report: dict[str, Any]) -> Any:
    """Pass rate per check and strategy."""
    strategies = list(report["strategies"])
    figure, axis = plt.subplots(figsize=(6.5, 3.4))
    height = 0.8 / max(1, len(strategies))
    for i, strategy in enumerate(strategies):
        rates = report["strategies"][strategy]["pass_rate_per_check"]
        axis.barh([c + i * height for c in range(len(CHECK_NAMES))], [rates.get(n) or 0.0 for n in CHECK_NAMES],
                  height=height, label=strategy, color=_color(strategy, i))
    axis.set_yticks([c + height * (len(strategies) - 1) / 2 for c in range(len(CHECK_NAMES))])
    axis.set_yticklabels(CHECK_NAMES)
    axis.invert_yaxis()
    axis.set_xlim(0, 1)
    axis.set_xlabel("share passing")
    _legend_beside(axis)
    figure.tight_layout()
    return figure


def close(figure: Any) -> None:
    plt.close(figure)
