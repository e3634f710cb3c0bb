"""The dataset card (README.md beside the export): sources and licenses, counts, statistics, generation
config, backend and model. Hugging Face style front matter, so the folder can be uploaded as it is."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import polars as pl
import yaml

from ..quality.conversation import called_tool_names
from .measures import Parsed, shape_measures

SOURCES_FILE = "SOURCES.md"


@dataclass(frozen=True)
class SourceLicense:
    folder: str
    license_file: str
    license: str  # an SPDX id when recognized, else the file's first line


def guess_license(text: str) -> str:
    head = " ".join(text.split()[:80])
    if re.search(r"Apache License", head) and re.search(r"Version 2\.0", head):
        return "Apache-2.0"
    if re.search(r"\bMIT License\b", head) or "Permission is hereby granted, free of charge" in text[:2000]:
        return "MIT"
    if re.search(r"BSD 3-Clause", head):
        return "BSD-3-Clause"
    if re.search(r"Creative Commons Attribution 4\.0", head):
        return "CC-BY-4.0"
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first[:80] or "unknown"


def find_licenses(source_paths: Sequence[str]) -> list[SourceLicense]:
    """LICENSE files in each configured source folder and its direct subfolders (or beside a file)."""
    found: list[SourceLicense] = []
    seen: set[Path] = set()
    for raw in source_paths:
        path = Path(raw)
        if not path.exists():
            continue
        base = path if path.is_dir() else path.parent
        folders = [base, *sorted(p for p in base.iterdir() if p.is_dir())]
        for folder in folders:
            for candidate in sorted(folder.glob("LICEN[CS]E*")):
                if candidate in seen or not candidate.is_file():
                    continue
                seen.add(candidate)
                text = candidate.read_text(encoding="utf-8", errors="replace")
                found.append(SourceLicense(folder.name, candidate.name, guess_license(text)))
    return found


def read_sources_notes(source_paths: Sequence[str]) -> str | None:
    """The corpus's own attribution page (SOURCES.md in a source folder), when there is one."""
    for raw in source_paths:
        path = Path(raw)
        candidate = (path if path.is_dir() else path.parent) / SOURCES_FILE
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    return None


def _demote_headings(text: str) -> str:
    """Nest another page's headings under the card's own section."""
    return re.sub(r"^(#+)", lambda m: "#" * min(6, len(m.group(1)) + 2), text, flags=re.MULTILINE)


def card_statistics(curated: pl.DataFrame, parsed: list[Parsed]) -> dict[str, Any]:
    counts = curated.group_by("split", "strategy").len().sort("split", "strategy")
    tool_calls = Counter(name for d in parsed for name in called_tool_names(d.messages))
    return {
        "records": curated.height,
        "by_split_and_strategy": [dict(zip(("split", "strategy", "records"), row)) for row in counts.iter_rows()],
        **shape_measures(parsed),
        "top_tools": tool_calls.most_common(10),
    }


FEATURES: dict[str, list[dict[str, Any]]] = {
    # `Json` columns: each tool's schema (and each message) has its own shape; declared as Json, each value
    # loads exactly as written instead of depending on what the reader infers from the first lines
    "flavor": [{"name": "id", "dtype": "string"}, {"name": "messages", "list": "json"},
               {"name": "tools", "list": "json"}, {"name": "metadata", "dtype": "json"}],
    "sharegpt": [{"name": "id", "dtype": "string"},
                 {"name": "conversations", "list": [{"name": "from", "dtype": "string"},
                                                    {"name": "value", "dtype": "string"}]},
                 {"name": "system", "dtype": "string"}, {"name": "tools", "dtype": "string"},
                 {"name": "metadata", "dtype": "json"}, {"name": "assistant_preambles", "list": "json"}],
}
FLAVOR_TEXT = {
    "openai": "OpenAI chat messages with JSON-string `arguments`: OpenAI fine-tuning and any reader of the "
              "OpenAI format.",
    "hf": "the same messages with `arguments` as objects: Hugging Face chat templates "
          "(`apply_chat_template(messages, tools=tools)`), TRL's SFTTrainer, LLaMA-Factory's openai format. "
          "Templates apply `tojson` to `arguments`, so the `openai` flavor would render double-encoded there.",
    "sharegpt": "LLaMA-Factory's ShareGPT layout: `conversations` of `human`, `gpt`, `function_call` and "
                "`observation`, `system`, and `tools` as JSON text (what LLaMA-Factory reads); "
                "`dataset_info.json` registers it. Where the assistant says something before its calls, the "
                "`function_call` value is that text, then the call JSON inside `<tool_call>…</tool_call>`, "
                "which LLaMA-Factory's function formatter keeps before the formatted call; the text is also in "
                "`assistant_preambles`.",
}


def card_front_matter(card_license: str, configs: dict[str, dict[str, str]], tools_as_json: bool) -> str:
    """Hugging Face YAML: one config per flavor/shape with its data files and features, so
    `load_dataset(folder, name)` loads each as written."""
    front: dict[str, Any] = {
        "license": card_license, "language": ["en"], "task_categories": ["text-generation"],
        "tags": ["tool-calling", "function-calling", "synthetic", "multi-turn"],
        "configs": [{"config_name": name, "data_files": [{"split": s, "path": f} for s, f in files.items()],
                     **({"default": True} if index == 0 else {})}
                    for index, (name, files) in enumerate(configs.items())],
        "dataset_info": [],
    }
    for name in configs:
        features = [dict(f) for f in FEATURES["sharegpt" if name == "sharegpt" else "flavor"]]
        if tools_as_json and name != "sharegpt":
            features[2] = {"name": "tools", "dtype": "string"}
        front["dataset_info"].append({"config_name": name, "features": features})
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---"


def templates_section(checks: dict[str, dict[str, Any]] | None, records: int, parallel_records: int,
                      split_parallel: bool) -> list[str]:
    """Which chat templates the `hf` records render in: measured at export (every record rendered with
    transformers' renderer, its calls parsed back and compared), or said to be unmeasured."""
    lines = ["## Chat templates", ""]
    if checks is None:
        return lines + ["Not checked at export (transformers is not installed, or `check_templates` is off). The "
                        "project's tests render "
                        "its fixtures through ChatML/Qwen2.5, Hermes 3, Llama 3.1 and Mistral Nemo templates.", ""]
    lines += ["Every `hf` record was rendered at export with `apply_chat_template(messages, tools=tools)` "
              "(transformers' own renderer), and the calls read back from the text were compared with the "
              "record's (arguments as JSON objects, not strings):", "",
              "| template | records that render and read back | the template leaves out |", "| --- | ---: | --- |"]
    for result in checks.values():
        lines.append(f"| {result['label']} | {result['round_trip']:,} / {result['records']:,} | "
                     f"{', '.join(result['leaves_out']) or 'nothing'} |")
    lines.append("")
    if parallel_records and not split_parallel:
        lines += [f"{parallel_records:,} records have parallel calls (several in one message); Llama 3.1's "
                  "template refuses them (\"This model only supports single tool-calls at once!\"). Export "
                  "with `split_parallel_calls` to give each call its own turn.", ""]
    elif split_parallel:
        lines += ["Parallel calls were split into consecutive turns (one call, then its result), as templates "
                  "such as Llama 3.1's require.", ""]
    failures = [f"`{name}` {f['id']}: {f['error']}" for name, r in checks.items() for f in r["failures"]]
    if failures:
        lines += ["First failures:", "", *[f"- {line}" for line in failures[:6]], ""]
    lines += ["Template sources and licenses: `toolflow_assets/export/templates/SOURCES.md` in the ToolFlow "
              "repository.", ""]
    return lines


def dataset_card(
    curated: pl.DataFrame,
    parsed: list[Parsed],
    files: dict[str, str],
    generation: dict[str, Any],
    quality: dict[str, Any],
    source_paths: Sequence[str],
    tools_as_json: bool = False,
    configs: dict[str, dict[str, str]] | None = None,
    parallel_records: int = 0,
    split_parallel: bool = False,
    template_checks: dict[str, dict[str, Any]] | None = None,
) -> str:
    """The card's Markdown. `files`: name → what it holds; `generation`: settings and provenance;
    `quality`: pass rates and counts of the run the export came from; `configs`: config name → split →
    file (default: `default` from `<split>.jsonl`); `parallel_records`: records with parallel calls;
    `template_checks`: `rendering.check_templates` of the `hf` records (None: not measured)."""
    stats = card_statistics(curated, parsed)
    licenses = find_licenses(source_paths)
    spdx = {entry.license for entry in licenses}
    card_license = "apache-2.0" if spdx == {"Apache-2.0"} else "other"
    split_counts = {row["split"]: 0 for row in stats["by_split_and_strategy"]}
    for row in stats["by_split_and_strategy"]:
        split_counts[row["split"]] += row["records"]
    if configs is None:
        configs = {"default": {s: f"{s}.jsonl" for s in ("train", "validation") if split_counts.get(s)}}
    front = [card_front_matter(card_license, configs, tools_as_json)]
    flavor_lines = [f"- `{name}` ({', '.join(f'`{f}`' for f in files_.values())}): "
                    f"{FLAVOR_TEXT.get(name, 'the records')}" for name, files_ in configs.items()]

    lines = [
        *front, "", "# ToolFlow synthetic tool-calling dialogues", "",
        "Multi-turn dialogues in which a user asks, an assistant calls tools and a simulated tool answers, "
        "synthesized by ToolFlow: tools sampled from a tool graph (parameter/return-field similarity), a "
        "structured plan per dialogue, then generation turn by turn. Every record passed every deterministic "
        "quality check (structure, JSON Schema validity, argument grounding, tool-response schemas, plan "
        "adherence, near-duplicate removal).", "",
        "## Files", "", "| file | contents |", "| --- | --- |",
        *[f"| `{name}` | {what} |" for name, what in files.items()], "",
        "## Configs (flavors)", "",
        "`datasets.load_dataset(folder_or_repo, name)` loads each as written (`tools` and `messages` as "
        "`Json` features: each value exactly as in the file):", "", *flavor_lines, "",
        "datasets decodes `Json` values with pandas' ujson, which can change the last digit of a float argument "
        "(`1.14` → `1.1400000000000001`); reading the lines with `json.loads` is exact.", "",
        "## Record format", "",
        "One JSON object per line: `id` (a hash of the dialogue and the tool corpus: unique across runs and "
        "corpora, the same in every file), `messages` (assistant `tool_calls` with `id`, `type` and `function` "
        "{`name`, `arguments`}; `tool` messages with `tool_call_id`, `name` and `content`), `tools` (the "
        "function definitions offered, " + ("as JSON text" if tools_as_json else
        "a list of `{\"type\": \"function\", \"function\": {...}}`") + "; the Parquet files keep `messages`, "
        "`tools` and `metadata` as JSON text) and `metadata` (`dialogue_id`, `batch`, `sampling_strategy`, "
        "`plan_id`, `sample_id`, `backend`, `model`, `prompt_version`, `seed`, counts, `tool_combination`, "
        "`chained`, `parallel_calls`, `split`). `manifest.json` lists every file with its sha256 and the run "
        "that wrote the folder (the folder is switched into place whole).", "",
        *templates_section(template_checks, stats["records"], parallel_records, split_parallel),
        "## Counts", "", "| split | strategy | records |", "| --- | --- | ---: |",
        *[f"| {r['split']} | {r['strategy']} | {r['records']:,} |" for r in stats["by_split_and_strategy"]],
        f"| **all** | | **{stats['records']:,}** |", "",
        "## Statistics", "",
        f"- mean user turns: {stats['mean_user_turns']}; mean tool calls: {stats['mean_tool_calls']}",
        f"- dialogues with a chained argument (a value taken from an earlier tool output): {stats['chained_share']}",
        f"- dialogues calling two or more tools: {stats['multi_tool_share']}",
        f"- distinct tools called: {stats['distinct_tools_called']}; distinct tool combinations: "
        f"{stats['distinct_tool_combinations']}",
        "- most called tools: " + (", ".join(f"`{n}` ({c})" for n, c in stats["top_tools"]) or "–"), "",
        "## Generation", "",
        "```json", json.dumps(generation, indent=1, sort_keys=True, default=str), "```", "",
        "## Quality", "",
        "```json", json.dumps(quality, indent=1, sort_keys=True, default=str), "```", "",
        "## Sources and licenses", "",
    ]
    if licenses:
        lines += ["| source folder | license file | license |", "| --- | --- | --- |",
                  *[f"| `{e.folder}` | `{e.license_file}` | {e.license} |" for e in licenses], ""]
    else:
        lines += ["No license file was found beside the configured tool sources "
                  f"({', '.join(source_paths)}): check their terms before redistributing.", ""]
    notes = read_sources_notes(source_paths)
    if notes:
        lines += [_demote_headings(notes.strip()), ""]
    lines += [
        "The dialogue text is machine-generated: check the terms of the generating model "
        f"({', '.join(map(str, generation.get('models', []))) or 'see Generation'}) for use in training.", "",
        "## Limitations", "",
        "- Tool responses are simulated (they conform to the declared return schemas), not real API results.",
        "- The offline backend writes templated text; diversity is much higher with an LLM backend.",
        "- The split keeps each tool combination on one side when `split_by_tool_combination` is on, so "
        "validation measures generalization to unseen combinations.",
    ]
    return "\n".join(lines) + "\n"
