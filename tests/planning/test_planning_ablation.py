"""The no-planning ablation: improvised plans (turn by turn, no lookahead, no data flow) for a stable share
of the graph samples, whatever the backend's planner; the report compares them, the export leaves them out."""

from __future__ import annotations



from toolflow_assets.generation.offline import OfflineGenerator
from toolflow_assets.planning.ablation import is_ablated, plan_with_ablation
from toolflow_assets.planning.frames import plan_results_to_frame
from toolflow_assets.planning.offline_planner import CatalogIndex, OfflinePlanner, plan_many, sample_view

SEED = 7


def test_an_improvised_plan_has_no_lookahead(catalog, samples):
    planner, index = OfflinePlanner(), CatalogIndex(catalog)
    plans = [planner.improvise(sample_view(row, index), SEED) for row in samples[:20]]
    for plan in plans:
        assert 2 <= len(plan.turns) <= 5
        assert all(turn.needs_tools and len(turn.calls) == 1 for turn in plan.turns)  # no chat, one call a turn
        assert not plan.is_chained  # nobody knows which output feeds which argument
        assert all(turn.intent.startswith("Wants to ") for turn in plan.turns)  # no turn builds on another
    again = [planner.improvise(sample_view(row, index), SEED) for row in samples[:20]]
    assert [p.model_dump() for p in plans] == [p.model_dump() for p in again]


def test_the_same_share_of_graph_samples_is_ablated_every_time(samples):
    ids = [f"batch-0001:graph-{i:05d}" for i in range(2000)]
    share = sum(is_ablated(i, SEED, 0.1) for i in ids) / len(ids)
    assert 0.08 < share < 0.12
    assert [is_ablated(i, SEED, 0.1) for i in ids] == [is_ablated(i, SEED, 0.1) for i in ids]
    assert not any(is_ablated(i, SEED, 0.0) for i in ids)


def test_plan_with_ablation_keeps_sample_order_and_only_improvises_graph_samples(catalog, samples):
    rows = [{**row, "strategy": "random" if k % 4 == 0 else "graph"} for k, row in enumerate(samples)]
    asked = []

    def backend_planner(chosen, tools, seed):
        asked.extend(r["sample_id"] for r in chosen)
        return plan_many(chosen, tools, seed)

    results = plan_with_ablation(rows, catalog, SEED, backend_planner, no_planning_fraction=0.5)
    assert [r.sample_id for r in results] == [r["sample_id"] for r in rows]
    improvised = [r for r in results if not r.planned]
    assert improvised and all(r.strategy == "graph" for r in improvised)
    assert set(asked) == {r.sample_id for r in results if r.planned}  # the backend never sees ablated samples
    frame = plan_results_to_frame(results, SEED)
    assert frame["planned"].to_list() == [r.planned for r in results]

    # the generator voices an improvised plan like any other
    dialogues = OfflineGenerator().generate_many([r.plan for r in improvised if r.plan], catalog, SEED)
    assert dialogues and all(d.status == "ok" for d in dialogues)
