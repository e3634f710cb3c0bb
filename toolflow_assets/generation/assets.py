"""Generation asset: `dialogues`, generated turn by turn from each plan by user, assistant and tool agents."""


import dagster as dg
import polars as pl

from resources import LLMResource, ToolflowSettings
from resources.io_manager import frame_content_hash

from ..failures import wholesale_failure
from ..metadata import counts_markdown, markdown_table, ran_with, table_metadata
from ..partitions import batch_partitions, current_batch, seed_for
from ..planning.frames import failed_plans, plans_from_frame
from ..tools import tools_from_frame
from .frames import (agent_adherence, dialogue_markdown, dialogue_summary, dialogues_to_frame, failed_plan_dialogues,
                     writer_counts)

GENERATION_CODE_VERSION = "dialogues-v8"  # v8: results by meaning (shell, quotes, news, cocktails, actions), exact Math API results, no placeholders; the openai backend's tool results by the llm executor role; v7: articles agree, free-text values quoted, computed laws; v6: the writer role (template | llm) and per-text writer labels


@dg.asset(
    group_name="dialogues",
    code_version=GENERATION_CODE_VERSION,
    kinds={"polars"},
    partitions_def=batch_partitions,
    pool="llm",  # a Dagster concurrency pool: caps how many LLM-calling steps run at once across runs
    ins={"dialogue_plans": dg.AssetIn(), "tool_catalog": dg.AssetIn()},
    description="One row per plan: OpenAI chat messages (assistant tool_calls with JSON-string arguments, tool "
    "messages with tool_call_id and name), the offered tools in OpenAI format, and provenance (backend, model, "
    "prompt version, seed, token usage). Failed generations and failed plans keep their row with the error.",
)
def dialogues(
    context: dg.AssetExecutionContext,
    llm: LLMResource,
    settings: ToolflowSettings,
    dialogue_plans: pl.DataFrame,
    tool_catalog: pl.DataFrame,
) -> dg.Output:
    """Generate a dialogue from every plan."""
    generator = llm.get_generator(settings.cache_root(), sources=settings.source_paths())
    executor = getattr(generator, "executor", None) or getattr(getattr(generator, "template", None), "executor", None)
    seed = seed_for(context, settings.run_seed())
    tools = {tool.name: tool for tool in tools_from_frame(tool_catalog)}
    plans = plans_from_frame(dialogue_plans)
    context.log.info(f"Batch {current_batch(context) or '(none)'}: generating {len(plans)} dialogues "
                     f"with backend {generator.backend} ({generator.model})")
    try:
        generated = generator.generate_many(plans, tools, seed)
    finally:
        getattr(executor, "close", lambda: None)()  # a live executor's last server processes stop here
    failed = failed_plan_dialogues(failed_plans(dialogue_plans), generator.backend, generator.model,
                                   generator.prompt_version, seed)
    planned = (dict(dialogue_plans.select("plan_id", "planned").iter_rows())
               if "planned" in dialogue_plans.columns else {})
    frame = dialogues_to_frame([*generated, *failed], planned)
    if (problem := wholesale_failure(frame, "dialogues")) is not None:  # the batch's last good dialogues stay
        raise dg.Failure(description=problem, metadata={"status_counts": {"failed": frame.height}},
                         allow_retries=False)

    summary = dialogue_summary(frame, plans)
    example = next((d for d in generated if d.status == "ok"), None)
    return dg.Output(
        frame,
        data_version=dg.DataVersion(frame_content_hash(frame)),
        metadata={
            **table_metadata(frame, ["dialogue_id", "strategy", "status", "n_user_turns", "n_tool_calls", "error"]),
            "status_counts": dg.MetadataValue.md(counts_markdown(summary["status_counts"], "status", "dialogues")),
            "dialogues_ok": dg.MetadataValue.int(summary["status_counts"].get("ok", 0)),
            "dialogues_failed": dg.MetadataValue.int(frame.height - summary["status_counts"].get("ok", 0)),
            "failure_reasons": dg.MetadataValue.json(summary["failure_reasons"]),
            "failures": dg.MetadataValue.md(_failures_table(frame)),
            "mean_user_turns": dg.MetadataValue.float(summary["mean_user_turns"]),
            "mean_tool_calls": dg.MetadataValue.float(summary["mean_tool_calls"]),
            "chained_share": dg.MetadataValue.float(summary["chained_share"]),
            "token_usage": dg.MetadataValue.json(summary["usage"]),
            # tool messages by executor/status: who produced the results, how many errors and empty ones
            "tool_results": dg.MetadataValue.json(summary["tool_results"]),
            "executor": dg.MetadataValue.text(llm.executor_name()),
            # a live executor's work: calls executed, replayed from the record, failed; servers started
            "executions": dg.MetadataValue.json(executor.counts.as_dict() if hasattr(executor, "counts") else {}),
            "backend": dg.MetadataValue.text(generator.backend),
            # who wrote the texts: the run's writer, and texts by writer (llm, template, template-fallback)
            "writer": dg.MetadataValue.text(getattr(generator, "writer", "template" if generator.backend == "offline"
                                                    else "agent")),
            "texts_by_writer": dg.MetadataValue.json(writer_counts(frame)),
            # the agent writer: dialogues and turns whose calls the model made as planned (empty for other writers)
            "calls_as_planned": dg.MetadataValue.json(agent_adherence(frame)),
            "per_kept_dialogue": dg.MetadataValue.json(_per_kept_dialogue(frame)),
            # what the OpenAI-compatible server accepted (structured-output mode, prose answers seen, ...)
            "server_capabilities": dg.MetadataValue.json(generator.capabilities()),
            "model": dg.MetadataValue.text(generator.model),
            "prompt_version": dg.MetadataValue.text(generator.prompt_version),
            "seed": dg.MetadataValue.int(seed),
            "batch": dg.MetadataValue.text(current_batch(context) or ""),
            **ran_with(**llm.describe(), dialogues=settings.dialogue_count(), seed=seed),
            "example_dialogue": dg.MetadataValue.md(
                dialogue_markdown(example.messages, title=f"Dialogue {example.dialogue_id} ({example.strategy})")
                if example is not None else "_(no dialogue succeeded)_"),
            "example_tools": dg.MetadataValue.json(
                [t["function"]["name"] for t in example.tools] if example is not None else []),
        },
    )


def _per_kept_dialogue(frame: pl.DataFrame) -> dict[str, float]:
    """Requests and tokens spent per dialogue that came out ok (failed items' spending included: it is the
    price of each kept one)."""
    kept = frame.filter(pl.col("status") == "ok").height
    spent = {name: int(frame[name].sum() or 0) for name in ("requests", "prompt_tokens", "completion_tokens")}
    return {"kept": kept, **{name: round(total / kept, 2) if kept else 0.0 for name, total in spent.items()}}


def _failures_table(frame: pl.DataFrame) -> str:
    """The failed items with their errors: the first place to look after a run against a weak model."""
    failed = frame.filter(pl.col("status") == "failed")
    if failed.is_empty():
        return "_(no failures)_"
    return markdown_table(failed, ["dialogue_id", "sample_id", "error"], limit=20, width=160)
