"""`synthesis_report`: ToolFlow's comparison, measured on this run — graph sampling vs the random baseline.

JSON shape: `{"strategies": {"graph": {...}, "random": {...}}, "overall": {...}, "planning": {...},
"comparison": {...}, "definitions": {...}, "generation": {...}}`; each strategy has `dialogues`,
`mean_user_turns`, `mean_tool_calls`, `chained_share`, `multi_tool_share`, `distinct_tool_combinations`,
`pass_rate`, `distinct_3`, `entropy_3`, `turn_similarity`, `pass_rate_per_check` and `judge`.
Shape measures are over the generated dialogues (status ok); pass rates over all rows of a strategy.
"""

from __future__ import annotations

from typing import Any, Sequence

import polars as pl

from ..generation.frames import execution_counts
from ..quality.checks import CHECK_NAMES
from ..quality.conversation import load_json_list
from ..quality.evaluate import check_pass_rates
from .coverage import coverage_lines
from .measures import Embed, Parsed, diversity_measures, sample_ids, shape_measures, turn_similarity
from .funnel import funnel_lines
from .realism import REALISM_DEFINITIONS, realism_measures

BASE_STRATEGIES = ("graph", "random")
DIVERSITY_N = 3
JUDGE_COLUMNS = {"naturalness": "judge_naturalness", "coherence": "judge_coherence",
                 "helpfulness": "judge_helpfulness"}

DEFINITIONS = {
    "dialogues": "rows in the dialogues table for the strategy (generated or failed)",
    "mean_user_turns": "user messages per generated dialogue",
    "mean_tool_calls": "tool calls per generated dialogue",
    "chained_share": "share of generated dialogues with an argument value equal to a value in an earlier tool "
                     "response that the user had not said (detected from the messages)",
    "multi_tool_share": "share of generated dialogues calling at least two different tools",
    "distinct_tool_combinations": "distinct sets of called tools among generated dialogues",
    "pass_rate": "share of the strategy's dialogues passing every quality check",
    "distinct_3": "D-3: distinct word trigrams / all word trigrams of user and assistant text, on an "
                  "equal-size sample per strategy (diversity_sample_size)",
    "entropy_3": "H: Shannon entropy (bits) of the word-trigram distribution, same sample as D-3",
    "turn_similarity": "SS: mean cosine similarity of consecutive user/assistant messages (embedding backend); "
                       "null when not computed",
    "pass_rate_per_check": "share passing each check among dialogues it ran on",
    "judge": "mean LLM-judge scores on ToolFlow's 1-5 scale (null when the judge is off)",
}


def parse_dialogues(dialogues: pl.DataFrame, known: dict[str, Parsed] | None = None) -> dict[str, list[Parsed]]:
    """Generated dialogues by strategy, decoded; those in `known` (by dialogue id) are taken from it, so the
    report's blocks share one decoding, and one `chained` answer, per dialogue."""
    by_strategy: dict[str, list[Parsed]] = {}
    for row in dialogues.filter(pl.col("status") == "ok").iter_rows(named=True):
        dialogue_id = str(row["dialogue_id"])
        parsed = (known or {}).get(dialogue_id)
        if parsed is None:
            messages, _ = load_json_list(row["messages"])
            tools, _ = load_json_list(row["tools"])
            parsed = Parsed(dialogue_id, messages, tools)
        by_strategy.setdefault(str(row["strategy"]), []).append(parsed)
    return by_strategy


def _judge_means(quality: pl.DataFrame) -> dict[str, float | None] | None:
    present = [c for c in JUDGE_COLUMNS.values() if c in quality.columns]
    if not present or all(quality[c].null_count() == quality.height for c in present):
        return None
    return {name: (round(float(quality[column].mean()), 3) if quality[column].drop_nulls().len() else None)
            for name, column in JUDGE_COLUMNS.items() if column in quality.columns}


def build_report(
    dialogues: pl.DataFrame,
    quality: pl.DataFrame,
    seed: int = 7,
    embed: Embed | None = None,
    embedding_note: str | None = None,
    judge_on: bool = False,
) -> dict[str, Any]:
    """The report as plain data (see the module docstring for its shape). The strategy comparison is over
    planned dialogues; the no-planning ablation's (`planned` false) are compared in `planning` only."""
    everything, full_quality = dialogues, quality
    known = {d.dialogue_id: d for group in parse_dialogues(everything).values() for d in group}
    if "planned" in dialogues.columns:
        dialogues = dialogues.filter(pl.col("planned").fill_null(True))
        quality = quality.join(dialogues.select("dialogue_id"), on="dialogue_id", how="semi") \
            if quality.height else quality
    parsed = parse_dialogues(dialogues, known)
    strategies = sorted(set(BASE_STRATEGIES) | set(dialogues["strategy"].unique().drop_nulls().to_list()))
    present = [s for s in strategies if parsed.get(s)]
    sample_size = min((len(parsed[s]) for s in present), default=0)

    report_strategies: dict[str, Any] = {}
    for strategy in strategies:
        rows = dialogues.filter(pl.col("strategy") == strategy)
        checked = quality.filter(pl.col("strategy") == strategy)
        generated = parsed.get(strategy, [])
        report_strategies[strategy] = _strategy_block(rows.height, generated, checked, sample_size, seed, embed)
    overall_generated = [d for s in strategies for d in parsed.get(s, [])]
    overall = _strategy_block(dialogues.height, overall_generated, quality, len(overall_generated), seed, embed)

    return {
        "strategies": report_strategies,
        "overall": overall,
        "comparison": _comparison(report_strategies),
        "planning": _planning(everything, full_quality, seed, embed, known),
        "diversity_sample_size": sample_size,
        "turn_similarity_note": embedding_note if embed is None else None,
        "judge": "on" if judge_on else "off",
        "generation": _generation(dialogues, everything),
        "realism": realism_measures(overall_generated, seed),
        "definitions": {**DEFINITIONS, **REALISM_DEFINITIONS},
    }


def _strategy_block(n_rows: int, generated: list[Parsed], checked: pl.DataFrame, sample_size: int, seed: int,
                    embed: Embed | None) -> dict[str, Any]:
    passed = int(checked["passed"].sum()) if checked.height else 0
    sampled_ids = set(sample_ids([d.dialogue_id for d in generated], sample_size, seed))
    sample = [d for d in generated if d.dialogue_id in sampled_ids]
    block: dict[str, Any] = {
        "dialogues": n_rows,
        "generated": len(generated),
        "passed": passed,
        **shape_measures(generated),
        "pass_rate": round(passed / n_rows, 4) if n_rows else None,
        **diversity_measures(sample, DIVERSITY_N),
        "turn_similarity": turn_similarity(sample, embed) if embed is not None and sample else None,
        "pass_rate_per_check": check_pass_rates(checked) if checked.height else {n: None for n in CHECK_NAMES},
        "judge": _judge_means(checked) if checked.height else None,
    }
    return block


def _comparison(strategies: dict[str, Any]) -> dict[str, Any]:
    """Graph minus random on the measures where the paper expects graph sampling to lead."""
    graph, random = strategies.get("graph", {}), strategies.get("random", {})
    result: dict[str, Any] = {}
    for key in ("chained_share", "distinct_tool_combinations", "multi_tool_share", "mean_tool_calls", "pass_rate"):
        g, r = graph.get(key), random.get(key)
        result[key] = {"graph": g, "random": r,
                       "graph_minus_random": None if g is None or r is None else round(g - r, 4)}
    chained, combos = result["chained_share"], result["distinct_tool_combinations"]
    result["graph_ahead_on_chained"] = (None if chained["graph_minus_random"] is None
                                        else chained["graph_minus_random"] > 0)
    result["graph_ahead_on_distinct_combinations"] = (None if combos["graph_minus_random"] is None
                                                      else combos["graph_minus_random"] > 0)
    return result


def _planning(dialogues: pl.DataFrame, quality: pl.DataFrame, seed: int, embed: Embed | None,
              known: dict[str, Parsed] | None = None) -> dict[str, Any]:
    """With vs without planning, on graph-sampled dialogues (the ablation improvises plans for a share of
    the graph samples, so sampling is held fixed); D-3 and H on equal-size samples of both sides. Null on
    the no-planning side, with why, when the run has no ablation."""
    graph = dialogues.filter(pl.col("strategy") == "graph") if dialogues.height else dialogues
    planned = (graph["planned"].fill_null(True) if "planned" in graph.columns
               else pl.Series([True] * graph.height, dtype=pl.Boolean))
    sides = {"with_planning": graph.filter(planned), "without_planning": graph.filter(~planned)}
    parsed = {key: [d for group in parse_dialogues(rows, known).values() for d in group]
              for key, rows in sides.items()}
    sample_size = min(len(parsed["with_planning"]), len(parsed["without_planning"])) or \
        len(parsed["with_planning"])
    result: dict[str, Any] = {}
    for key, rows in sides.items():
        checked = quality.join(rows.select("dialogue_id"), on="dialogue_id", how="semi") if quality.height else quality
        result[key] = None if rows.is_empty() else _strategy_block(rows.height, parsed[key], checked,
                                                                   sample_size, seed, embed)
    result["diversity_sample_size"] = sample_size
    result["note"] = None if result["without_planning"] is not None else (
        "No no-planning ablation in this run (dialogue_plans config no_planning_fraction = 0): every dialogue "
        "was generated from a planner's plan, so the without-planning side cannot be measured here.")
    return result


def _generation(dialogues: pl.DataFrame, everything: pl.DataFrame) -> dict[str, Any]:
    """Who generated: backends, models, prompts, seeds, usage (planned dialogues), and who produced the tool
    messages of every dialogue, ablation included: `executors` (the run's choice) and `tool_messages`, counted
    by `executor/status` (`python:MessageAPI/ok`, `simulated/error`, `mcp:time/ok`...)."""
    def values(column: str) -> list[Any]:
        return sorted(dialogues[column].drop_nulls().unique().to_list()) if column in dialogues.columns else []

    sums = {c: int(dialogues[c].fill_null(0).sum()) for c in ("prompt_tokens", "completion_tokens", "requests")
            if c in dialogues.columns}
    return {"backends": values("backend"), "models": values("model"), "prompt_versions": values("prompt_version"),
            "seeds": values("seed"), "usage": sums,
            "executors": sorted(everything["executor"].drop_nulls().unique().to_list())
            if "executor" in everything.columns else [],
            "tool_messages": execution_counts(everything)}


# --------------------------------------------------------------------------------------------- Markdown

ROWS = [
    ("dialogues", "Dialogues"),
    ("generated", "Generated (status ok)"),
    ("pass_rate", "Pass rate"),
    ("mean_user_turns", "Mean user turns"),
    ("mean_tool_calls", "Mean tool calls"),
    ("chained_share", "Chained share"),
    ("multi_tool_share", "Multi-tool share"),
    ("distinct_tool_combinations", "Distinct tool combinations"),
    ("distinct_3", "D-3 (distinct trigrams)"),
    ("entropy_3", "H (trigram entropy, bits)"),
    ("turn_similarity", "SS (consecutive-turn similarity)"),
]


def _cell(value: Any) -> str:
    """A value as a reader writes it: `yes`/`no`, not Python's `True`/`False`; `key value, …` for a mapping,
    not a Python dict literal."""
    if value is None:
        return "–"
    if isinstance(value, bool):  # before int: bool is an int
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{str(key).replace('_', ' ')} {_cell(item)}" for key, item in value.items()) or "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def comparison_table(report: dict[str, Any], strategies: Sequence[str] | None = None) -> str:
    """The headline table (measures × strategies), the one the README quotes."""
    names = list(strategies or report["strategies"])
    lines = ["| measure | " + " | ".join(names) + " |", "| --- | " + " | ".join("---:" for _ in names) + " |"]
    for key, label in ROWS:
        lines.append(f"| {label} | " + " | ".join(_cell(report["strategies"][s].get(key)) for s in names) + " |")
    return "\n".join(lines)


def report_markdown(report: dict[str, Any], images: dict[str, str] | None = None) -> str:
    """A Markdown page of the report; `images` maps a caption to a Markdown image (file link or data URI)."""
    names = list(report["strategies"])
    parts = ["# ToolFlow synthesis report", "",
             "Graph-sampled dialogues against the random-sampling baseline, measured on the same run.", "",
             comparison_table(report, names), ""]
    comparison = report["comparison"]
    parts += ["## Graph vs random", "",
              f"- graph ahead on chained dialogues: **{_cell(comparison['graph_ahead_on_chained'])}** "
              f"({_cell(comparison['chained_share']['graph'])} vs {_cell(comparison['chained_share']['random'])})",
              f"- graph ahead on distinct tool combinations: "
              f"**{_cell(comparison['graph_ahead_on_distinct_combinations'])}** "
              f"({_cell(comparison['distinct_tool_combinations']['graph'])} vs "
              f"{_cell(comparison['distinct_tool_combinations']['random'])})", ""]
    parts += ["## Pass rate per check", "",
              "| check | " + " | ".join(names) + " |", "| --- | " + " | ".join("---:" for _ in names) + " |"]
    for check in CHECK_NAMES:
        parts.append(f"| {check} | " + " | ".join(
            _cell(report["strategies"][s]["pass_rate_per_check"].get(check)) for s in names) + " |")
    if report.get("funnel"):
        parts += ["", "## Yield", ""] + funnel_lines(report["funnel"])
    if report.get("coverage"):
        parts += ["", "## Tools in the training data", ""] + coverage_lines(report["coverage"])
    if report.get("realism"):
        parts += ["", "## Realism", ""] + realism_lines(report["realism"])
    parts += ["", "## Planning", ""]
    planning = report["planning"]
    if planning.get("without_planning") is None:
        parts.append(f"Without planning: null. {planning.get('note') or ''}")
    else:
        parts += _planning_table(planning)
    parts += ["", "## LLM judge", ""]
    if report["judge"] == "off":
        parts.append("The judge was off (QualityConfig.judge); naturalness, coherence and helpfulness are null.")
    else:
        parts.append("| strategy | naturalness | coherence | helpfulness |\n| --- | ---: | ---: | ---: |")
        for s in names:
            judge = report["strategies"][s].get("judge") or {}
            parts.append(f"| {s} | {_cell(judge.get('naturalness'))} | {_cell(judge.get('coherence'))} | "
                         f"{_cell(judge.get('helpfulness'))} |")
    if report.get("turn_similarity_note"):
        parts += ["", f"SS: {report['turn_similarity_note']}"]
    generation = report["generation"]
    parts += ["", "## Generation", "",
              f"- backend(s): {', '.join(map(str, generation['backends'])) or '–'}; "
              f"model(s): {', '.join(map(str, generation['models'])) or '–'}",
              f"- prompt version(s): {', '.join(map(str, generation['prompt_versions'])) or '–'}; "
              f"seed(s): {_few(generation['seeds'])}",
              f"- usage: {_cell(generation['usage'])}",
              f"- executor(s): {', '.join(map(str, generation.get('executors') or [])) or '–'}; tool messages by "
              f"executor/status: {_cell(generation.get('tool_messages') or {})}",
              f"- D-3 and H on {report['diversity_sample_size']} dialogues per strategy", ""]
    if images:
        parts += ["## Plots", ""]
        for caption, image in images.items():
            parts += [f"### {caption}", "", image, ""]
    parts += ["## Definitions", ""] + [f"- **{k}**: {v}" for k, v in report["definitions"].items()]
    return "\n".join(parts) + "\n"


REALISM_ROWS = [("masked_distinct_3", "Masked D-3 (numbers, ids, dates masked)"),
                ("top20_opening_share", "Top-20 five-word user openings (share of user turns)"),
                ("duplicate_user_share", "Exact-duplicate user messages (share)")]
STRUCTURE_ROWS = [("chained", "a chained argument"), ("parallel_calls", "parallel calls"),
                  ("clarification", "a clarification"), ("no_tool_turn", "a turn without a tool call"),
                  ("distractor_offered", "a tool offered but not called"),
                  ("tool_error_handled", "a tool error the assistant answers")]


def realism_lines(realism: dict[str, Any]) -> list[str]:
    """The realism figures as a table, then the structure mix (share of dialogues with each feature)."""
    lines = [f"On a fixed sample of {realism['sample_size']} generated dialogues (all strategies).", "",
             "| measure | value |", "| --- | ---: |"]
    lines += [f"| {name} | {_cell(realism.get(key))} |" for key, name in REALISM_ROWS]
    lines += ["", "| dialogues with … | share |", "| --- | ---: |"]
    lines += [f"| {name} | {_cell(realism['structure'].get(key))} |" for key, name in STRUCTURE_ROWS]
    openings = realism.get("most_common_openings") or []
    if openings:
        lines += ["", "Most common user openings: " + "; ".join(f"\"{text}…\" ({count})" for text, count in openings)]
    return lines


def _few(values: list[Any], shown: int = 5) -> str:
    """A short list as is; a long one (per-dialogue seeds) as its first values and a count."""
    if not values:
        return "–"
    head = ", ".join(map(str, values[:shown]))
    return head if len(values) <= shown else f"{head}, … ({len(values):,} distinct)"


PLANNING_ROWS = [("dialogues", "Dialogues"), ("pass_rate", "Pass rate"), ("mean_user_turns", "Mean user turns"),
                 ("mean_tool_calls", "Mean tool calls"), ("chained_share", "Chained share"),
                 ("multi_tool_share", "Multi-tool share"), ("distinct_tool_combinations", "Distinct tool combinations"),
                 ("distinct_3", "D-3 (distinct trigrams)"), ("entropy_3", "H (trigram entropy, bits)"),
                 ("turn_similarity", "SS (consecutive-turn similarity)")]


def _planning_table(planning: dict[str, Any]) -> list[str]:
    """Graph-sampled dialogues with a planner's plan against the improvised (no-planning) ablation."""
    sides = (planning["with_planning"] or {}, planning["without_planning"] or {})  # a side may be empty
    lines = ["Graph-sampled dialogues generated from a planner's plan against the no-planning ablation (plans "
             f"improvised turn by turn); D-3 and H on {planning.get('diversity_sample_size')} dialogues per side.",
             "", "| measure | with planning | without planning |", "| --- | ---: | ---: |"]
    for key, name in PLANNING_ROWS:
        lines.append(f"| {name} | " + " | ".join(_cell(side.get(key)) for side in sides) + " |")
    adherence = [(side.get("pass_rate_per_check") or {}).get("plan_adherence") for side in sides]
    lines.append("| Plan adherence (check pass rate) | " + " | ".join(_cell(a) for a in adherence) + " |")
    return lines
