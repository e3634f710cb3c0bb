"""The train/validation split (ratio, determinism, no tool-combination leakage), report measures and shape,
and the dataset card."""

from __future__ import annotations

import json
import random

import polars as pl
import pytest

from export_fixtures import batch
from toolflow_assets.export import plots
from toolflow_assets.export.card import dataset_card, guess_license
from toolflow_assets.export.curate import CurateSettings, curate
from toolflow_assets.export.measures import distinct_n, ngram_entropy
from toolflow_assets.export.report import build_report, comparison_table, parse_dialogues, report_markdown
from toolflow_assets.export.split import assign_splits
from toolflow_assets.quality.evaluate import evaluate_dialogues
from resources.settings import BUNDLED_CORPUS


def test_split_by_ratio_is_exact_and_deterministic():
    ids = [f"d{i}" for i in range(100)]
    first = assign_splits(ids, None, 0.2, seed=1)
    assert first.count("validation") == 20
    assert assign_splits(ids, None, 0.2, seed=1) == first
    assert assign_splits(ids, None, 0.2, seed=2) != first
    assert assign_splits(ids, None, 0.0, seed=1) == ["train"] * 100
    assert assign_splits(ids[:2], None, 0.1, seed=1).count("validation") == 1  # both sides non-empty
    with pytest.raises(ValueError):
        assign_splits(ids, None, 1.0, seed=1)


def test_split_by_group_never_leaks_a_combination():
    rng = random.Random(5)
    groups = [f"combo{rng.randint(0, 14)}" for _ in range(200)]
    ids = [f"d{i}" for i in range(200)]
    splits = assign_splits(ids, groups, 0.25, seed=9)
    sides: dict[str, set[str]] = {}
    for group, side in zip(groups, splits):
        sides.setdefault(group, set()).add(side)
    assert all(len(s) == 1 for s in sides.values())
    largest = max(groups.count(g) for g in set(groups))
    assert abs(splits.count("validation") - 50) <= largest
    assert 0 < splits.count("validation") < 200


def test_curated_split_keeps_tool_combinations_apart():
    dialogues, plans, catalog = batch(graph=10, random=6, failed=0)
    quality = evaluate_dialogues(dialogues, plans, catalog)
    curated = curate(dialogues, quality, CurateSettings(include_strategies=(), validation_ratio=0.3, seed=1))
    assert set(curated["strategy"]) == {"graph", "random"}
    sides = curated.group_by("tool_combination").agg(pl.col("split").n_unique().alias("n"))
    assert sides["n"].max() == 1
    mixed = curate(dialogues, quality, CurateSettings(include_strategies=(), validation_ratio=0.3, seed=1,
                                                      split_by_tool_combination=False))
    assert mixed.filter(pl.col("split") == "validation").height == round(16 * 0.3)


def test_distinct_and_entropy_by_hand():
    assert distinct_n(["a b c a b c"], 3) == round(3 / 4, 4)  # abc, bca, cab, abc
    assert ngram_entropy(["a b c a b c"], 3) == 1.5  # p = 1/2, 1/4, 1/4
    assert distinct_n(["a b"], 3) is None and ngram_entropy([], 3) is None


@pytest.fixture(scope="module")
def report():
    dialogues, plans, catalog = batch(graph=10, random=4, failed=1)
    quality = evaluate_dialogues(dialogues, plans, catalog)
    return build_report(dialogues, quality, seed=7, embedding_note="no embedding model"), dialogues, quality


def test_report_json_shape_and_the_graph_advantage(report):
    data, _, _ = report
    json.dumps(data)  # plain JSON
    assert set(data["strategies"]) == {"graph", "random"}
    keys = {"dialogues", "mean_user_turns", "mean_tool_calls", "chained_share", "multi_tool_share",
            "distinct_tool_combinations", "pass_rate", "distinct_3", "entropy_3", "turn_similarity",
            "pass_rate_per_check", "judge"}
    graph, random_ = data["strategies"]["graph"], data["strategies"]["random"]
    assert keys <= set(graph) and keys <= set(random_)
    assert graph["dialogues"] == 11 and graph["generated"] == 10  # the failed row counts as graph (default)
    assert graph["chained_share"] == 1.0 and random_["chained_share"] == 0.0
    assert graph["multi_tool_share"] == 1.0 and random_["mean_tool_calls"] == 1.0
    assert graph["mean_user_turns"] == 2.0 and graph["mean_tool_calls"] == 3.0
    assert graph["distinct_tool_combinations"] == 1 and random_["distinct_tool_combinations"] == 1
    assert graph["pass_rate"] == round(10 / 11, 4) and random_["pass_rate"] == 1.0
    assert graph["pass_rate_per_check"]["grounding"] == 1.0
    assert data["comparison"]["graph_ahead_on_chained"] is True
    assert data["diversity_sample_size"] == 4 and 0 < graph["distinct_3"] <= 1 and graph["entropy_3"] > 0
    assert graph["turn_similarity"] is None and data["turn_similarity_note"] == "no embedding model"
    assert data["planning"]["without_planning"] is None and "No no-planning ablation" in data["planning"]["note"]
    assert graph["judge"] is None and data["judge"] == "off"


def test_report_turn_similarity_with_an_embedder(report):
    _, dialogues, quality = report
    import numpy as np

    def embed(texts):  # every text the same vector: consecutive similarity is exactly 1
        return np.ones((len(texts), 4))

    data = build_report(dialogues, quality, embed=embed)
    assert data["strategies"]["graph"]["turn_similarity"] == 1.0


def test_report_markdown_and_plots(report):
    data, dialogues, _ = report
    table = comparison_table(data)
    assert table.splitlines()[0] == "| measure | graph | random |"
    assert "| Chained share | 1.000 | 0.000 |" in table
    page = report_markdown(data, {"A plot": "![A plot](plot.png)"})
    assert "# ToolFlow synthesis report" in page and "![A plot](plot.png)" in page
    assert "Without planning: null." in page
    for figure in (plots.strategy_comparison(data), plots.calls_histogram(parse_dialogues(dialogues)),
                   plots.check_pass_rates(data)):
        assert figure.axes
        plots.close(figure)


def test_dataset_card_lists_sources_licenses_and_counts():
    dialogues, plans, catalog = batch(graph=6, random=2, failed=0)
    quality = evaluate_dialogues(dialogues, plans, catalog)
    curated = curate(dialogues, quality, CurateSettings(validation_ratio=0.2))
    parsed = parse_dialogues(curated)["graph"]
    card = dataset_card(curated, parsed, {"train.jsonl": "train"}, generation={"models": ["toolflow-offline"]},
                        quality={"dialogues_checked": quality.height}, source_paths=[str(BUNDLED_CORPUS)])
    assert card.startswith("---\nlicense: apache-2.0\n")
    assert "| `bfcl` | `LICENSE` | Apache-2.0 |" in card
    assert "| **all** | | **6** |" in card
    assert "ShishirPatil/gorilla" in card  # the corpus's SOURCES.md is included
    assert "mean user turns: 2.0; mean tool calls: 3.0" in card
    assert guess_license("MIT License\n\nCopyright") == "MIT"


def test_the_no_planning_ablation_is_compared_apart_and_left_out_of_the_dataset():
    dialogues, plans, catalog = batch(graph=10, random=4, failed=0)
    quality = evaluate_dialogues(dialogues, plans, catalog)
    ablated_ids = dialogues.filter(pl.col("strategy") == "graph")["dialogue_id"].head(3).to_list()
    marked = dialogues.with_columns(planned=~pl.col("dialogue_id").is_in(ablated_ids))

    data = build_report(marked, quality, seed=7)
    assert data["strategies"]["graph"]["dialogues"] == 7  # the strategy comparison is over planned dialogues
    assert data["strategies"]["random"]["dialogues"] == 4
    planning = data["planning"]
    assert planning["with_planning"]["dialogues"] == 7 and planning["without_planning"]["dialogues"] == 3
    assert planning["diversity_sample_size"] == 3 and planning["note"] is None
    assert "| Dialogues | 7 | 3 |" in report_markdown(data)

    curated = curate(marked, quality, CurateSettings(validation_ratio=0.0))
    assert not set(ablated_ids) & set(curated["dialogue_id"]) and curated.height == 7
    with_ablation = curate(marked, quality, CurateSettings(validation_ratio=0.0, include_unplanned=True))
    assert set(ablated_ids) <= set(with_ablation["dialogue_id"])


def test_a_run_where_every_graph_sample_was_improvised_still_reports():
    """Found against a real weak model: no planner plan at all must not crash the report."""
    dialogues, plans, catalog = batch(graph=4, random=2, failed=0)
    quality = evaluate_dialogues(dialogues, plans, catalog)
    marked = dialogues.with_columns(planned=pl.col("strategy") != "graph")
    data = build_report(marked, quality, seed=7)
    assert data["planning"]["with_planning"] is None and data["planning"]["without_planning"]["dialogues"] == 4
    assert "| Dialogues | – | 4 |" in report_markdown(data)


def test_a_dialogue_with_a_made_up_calculation_is_left_out_of_the_dataset_and_the_funnel_says_why():
    from toolflow_assets.export.funnel import build_funnel

    dialogues, plans, catalog = batch(graph=6, random=0, failed=0)
    quality = evaluate_dialogues(dialogues, plans, catalog)
    assert quality["passed"].all()
    invented = dialogues["dialogue_id"][2]
    entry = {"tool_call_id": "c1", "name": "calc_heat_capacity", "executor": "simulated", "status": "ok",
             "calculation": "uncomputed"}
    computed = {**entry, "calculation": "computed"}
    marked = dialogues.with_columns(executions=pl.when(pl.col("dialogue_id") == invented)
                                    .then(pl.lit(json.dumps([computed, entry])))
                                    .otherwise(pl.lit(json.dumps([computed]))))

    curated = curate(marked, quality, CurateSettings(validation_ratio=0.0))
    assert invented not in curated["dialogue_id"].to_list() and curated.height == 5
    kept = curate(marked, quality, CurateSettings(validation_ratio=0.0, include_uncomputed=True))
    assert kept.height == 6
    funnel = build_funnel(marked.select("sample_id"), marked, marked, quality, curated)
    assert funnel["stages"][-1]["reasons"] == {"a made-up number for a calculation (uncomputed)": 1}
