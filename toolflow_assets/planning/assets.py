"""Planning asset: `dialogue_plans`, one validated per-turn plan (or a failure row) per tool subgraph."""


import json

import dagster as dg
import polars as pl
from pydantic import Field

from resources import LLMResource, ToolflowSettings
from resources.io_manager import frame_content_hash

from ..failures import wholesale_failure
from ..metadata import counts_markdown, ran_with, table_metadata
from ..partitions import batch_partitions, current_batch, seed_for
from ..tools import tools_from_frame
from .ablation import plan_with_ablation
from .frames import plan_results_to_frame, plan_summary, summed_usage

PLANNING_CODE_VERSION = "plans-v11"  # v11: no chained value outside an operand's domain (values.domains: a logarithm's value positive, a divisor non-zero); v10: a listed name the plan removed or moved is not read again, one output into one parameter of a call, Math API arguments a person gives; v9: a call's stated arguments agree (years in order, a city in its province, one shape's measures); v8: the planner role (offline | llm) chosen on its own, the llm planner reading samples as the offline one does; v7: the two ends of a transfer or conversion differ; v6: distractor tools offered, out-of-scope turns, clarification only for values really missing, links only between names of one meaning


class DialoguePlansConfig(dg.Config):
    no_planning_fraction: float = Field(
        default=0.1, description="Share of graph samples given an improvised plan (turn by turn, no lookahead, no "
        "data flow): ToolFlow's no-planning ablation, so the report measures what planning buys. These "
        "dialogues are left out of the dataset export by default. 0 turns the ablation off.")


@dg.asset(
    group_name="planning",
    code_version=PLANNING_CODE_VERSION,
    kinds={"polars"},
    partitions_def=batch_partitions,
    pool="llm",  # a Dagster concurrency pool: caps how many LLM-calling steps run at once across runs
    ins={"tool_subgraphs": dg.AssetIn(), "tool_catalog": dg.AssetIn()},
    description="One row per tool subgraph: a per-turn dialogue plan (JSON) with the user's intent, the calls "
    "in order and each argument's provenance (user, earlier tool output, default), mixing in chat turns; or "
    "status `failed` with the error and raw model output. The planner (offline | llm) from the `llm` resource. A share of graph "
    "samples (`no_planning_fraction`) gets an improvised plan instead, `planned` = false: the ablation that "
    "the synthesis report compares against.",
)
def dialogue_plans(
    context: dg.AssetExecutionContext,
    config: DialoguePlansConfig,
    llm: LLMResource,
    settings: ToolflowSettings,
    tool_subgraphs: pl.DataFrame,
    tool_catalog: pl.DataFrame,
) -> dg.Output:
    """Plan a dialogue for every sampled tool subgraph."""
    planner = llm.get_planner(settings.cache_root())
    seed = seed_for(context, settings.run_seed())
    tools = {tool.name: tool for tool in tools_from_frame(tool_catalog)}
    context.log.info(f"Batch {current_batch(context) or '(none)'}: planning {tool_subgraphs.height} dialogues "
                     f"with the {planner.name} planner ({planner.model})")
    results = plan_with_ablation(tool_subgraphs.to_dicts(), tools, seed, planner.plan_many,
                                 config.no_planning_fraction)
    frame = plan_results_to_frame(results, seed)
    if (problem := wholesale_failure(frame, "plans", among="planned")) is not None:  # the last good plans stay
        # what the server was found to accept: the first thing to read when every plan failed against it
        raise dg.Failure(description=problem, metadata={"status_counts": {"failed": frame.height},
                                                        "server_capabilities": dg.MetadataValue.json(
                                                            planner.capabilities())},
                         allow_retries=False)

    summary = plan_summary(frame)
    usage = summed_usage(r.usage for r in results)
    example = frame.filter(pl.col("status") == "ok").head(1)["plan"].to_list()
    return dg.Output(
        frame,
        data_version=dg.DataVersion(frame_content_hash(frame)),
        metadata={
            **table_metadata(frame, ["plan_id", "strategy", "status", "n_user_turns", "n_tool_calls", "chained", "error"]),
            "status_counts": dg.MetadataValue.md(counts_markdown(summary["status_counts"], "status", "plans")),
            "plans_ok": dg.MetadataValue.int(summary["status_counts"].get("ok", 0)),
            "plans_failed": dg.MetadataValue.int(frame.height - summary["status_counts"].get("ok", 0)),
            "mean_user_turns": dg.MetadataValue.float(summary["mean_user_turns"]),
            "mean_tool_calls": dg.MetadataValue.float(summary["mean_tool_calls"]),
            "chained_share": dg.MetadataValue.float(summary["chained_share"]),
            "multi_call_turn_share": dg.MetadataValue.float(summary["multi_call_turn_share"]),
            "turn_kinds": dg.MetadataValue.md(counts_markdown(summary["turn_kinds"], "turn kind", "turns")
                                              if summary["turn_kinds"] else "_(none)_"),
            "token_usage": dg.MetadataValue.json(usage),
            "planner": dg.MetadataValue.text(planner.name),
            "backend": dg.MetadataValue.text(llm.backend_name()),
            # what the OpenAI-compatible server accepted (structured-output mode, refusals, ...)
            "server_capabilities": dg.MetadataValue.json(planner.capabilities()),
            "model": dg.MetadataValue.text(planner.model),
            "seed": dg.MetadataValue.int(seed),
            "batch": dg.MetadataValue.text(current_batch(context) or ""),
            "improvised_plans": dg.MetadataValue.int(sum(not r.planned for r in results)),
            **ran_with(config, **llm.describe(), dialogues=settings.dialogue_count(), seed=seed),
            "example_plan": dg.MetadataValue.json(json.loads(example[0]) if example else {}),
        },
    )
