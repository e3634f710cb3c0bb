"""What each column of ToolFlow's tables holds, shown beside the column in the Dagster UI (asset metadata's
column schema). One table for every asset: a column means the same wherever it appears.

A column that is a quality check's verdict is described from the check's name (`quality.CHECK_NAMES`).
"""

from __future__ import annotations

COLUMN_DESCRIPTIONS: dict[str, str] = {
    # tools
    "tool_id": "stable id of the tool (hash of its normalized spec)",
    "name": "the tool's name, sanitized to [A-Za-z0-9_-] (a suffix _N tells same-name variants apart)",
    "original_name": "the name as the source spelled it",
    "description": "the tool's description from its source",
    "parameters": "JSON Schema of the arguments (JSON text), normalized to Draft 2020-12",
    "returns": "JSON Schema of the result (JSON text), or null when the source declares none",
    "source": "the file the spec came from, relative to its source folder",
    "source_format": "format the file was read as: openai, bfcl, rapidapi, openapi or mcp",
    "category": "the source's category or test set (ToolBench category, BFCL set, MCP server)",
    "position": "where in the file the spec sits (JSON path or line)",
    "merged_count": "specs merged into this tool (same name and signature across files)",
    "reason": "why the spec was quarantined, in words",
    "excerpt": "the first characters of the quarantined spec",
    # graph
    "n_input_fields": "argument fields the tool takes (nested fields counted)",
    "n_output_fields": "result fields the tool returns (declared, or inferred from its name when none are)",
    "outputs_inferred": "true when the output fields were inferred, the tool declaring no result schema",
    "input_fields": "the argument field paths",
    "output_fields": "the result field paths",
    "degree": "edges touching the tool",
    "data_flow_in": "data_flow edges into the tool (its arguments another tool's output can fill)",
    "data_flow_out": "data_flow edges out of the tool (other tools' arguments its output can fill)",
    "shared_param_degree": "shared_param edges (a parameter of the same meaning as another tool's)",
    "component": "connected component of the graph the tool belongs to",
    "component_size": "tools in that component",
    "src_tool_id": "tool id at the edge's start (the producer, for data_flow)",
    "dst_tool_id": "tool id at the edge's end (the consumer, for data_flow)",
    "src_tool": "tool name at the edge's start",
    "dst_tool": "tool name at the edge's end",
    "kind": "edge kind: data_flow (an output fills an argument) or shared_param (the same parameter)",
    "score": "similarity of the best matched field pair (0-1)",
    "src_field": "the start tool's field of the best match (an output path for data_flow)",
    "dst_field": "the end tool's field of the best match (an argument path)",
    "src_field_inferred": "true when the start field is an inferred output",
    "n_matches": "matched field pairs between the two tools",
    "matches": "the matched field pairs with their scores (JSON)",
    # sampling
    "sample_id": "id of the tool sample a dialogue is made from (batch:strategy-index)",
    "strategy": "how the sample was drawn: graph (a neighbourhood of the tool graph) or random (baseline)",
    "seed": "seed of the item's random choices",
    "tool_ids": "ids of the sampled tools",
    "tool_names": "names of the sampled tools",
    "edges": "graph edges among the sampled tools (JSON)",
    "longest_chain": "tools on the longest data_flow path in the sample (1 when none)",
    "chain": "tool names along that path, in call order",
    "padded": "tools added at random because the neighbourhood ran out (normally 0)",
    "distractors": "tools offered beside the sample that the dialogue does not call",
    # plans and dialogues
    "plan_id": "id of the dialogue plan",
    "status": "ok, or failed with the reason in error",
    "error": "why the item failed (null when ok)",
    "raw_output": "the model's answer when a plan could not be parsed (LLM planner)",
    "plan": "the plan: scenario, user turns, planned calls and where each argument comes from (JSON)",
    "n_user_turns": "user turns in the dialogue",
    "n_tool_calls": "tool calls in the dialogue",
    "chained": "true when an argument is taken from an earlier tool output rather than said by the user",
    "planned": "true for a planned dialogue; false for the no-planning ablation's improvised ones",
    "dialogue_id": "id of the dialogue",
    "messages": "the dialogue in OpenAI chat format (JSON list)",
    "tools": "the tools offered to the assistant, OpenAI format (JSON list)",
    "backend": "who planned it: offline or openai",
    "model": "the model that wrote it (toolflow-offline for the offline writer)",
    "prompt_version": "version of the prompts or templates used",
    "prompt_tokens": "prompt tokens the item cost (0 offline)",
    "completion_tokens": "completion tokens the item cost (0 offline)",
    "requests": "LLM requests the item cost (0 offline)",
    "executor": "who produced the tool results: simulated, python, mcp or llm (auto names the one that ran the dialogue)",
    "executions": "per tool message: executor, server or environment, status, replay details (JSON)",
    "writer": "who wrote the user and assistant texts: template or llm",
    "writers": "per text: which writer produced it, and why a text fell back to its template (JSON)",
    # quality
    "passed": "true when the dialogue passed every check",
    "reasons": "readable reasons, one per failed point, prefixed with the check's name",
    "duplicate_of": "the dialogue this one nearly repeats (not_duplicate failed)",
    "duplicate_similarity": "its similarity to that dialogue (0-1)",
    "hallucinated_arguments": "arguments whose values nobody said or returned (tool.argument)",
    "judge_naturalness": "LLM judge: how natural the dialogue reads, 1-5 (null when the judge is off)",
    "judge_coherence": "LLM judge: how coherent the turns are, 1-5",
    "judge_helpfulness": "LLM judge: how helpful the assistant is, 1-5",
    "judge_rationale": "the judge's short reason",
    "judge_error": "why the judge could not score the dialogue",
    # dataset
    "split": "train or validation (by tool combination, so no combination is in both)",
    "tool_combination": "the called tools, sorted and joined by |",
    "batch": "the batch partition the dialogue was made in",
}


def column_description(name: str) -> str:
    """The column's description; a quality check's verdict column is described from the check's name."""
    if name in COLUMN_DESCRIPTIONS:
        return COLUMN_DESCRIPTIONS[name]
    from .quality.checks import CHECK_NAMES  # the verdict columns of dialogue_quality

    if name in CHECK_NAMES:
        return f"verdict of the {name} check: true when it passed (its reasons are in `reasons`)"
    return ""
