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


def dataset_card(
    curated: pl.DataFrame,
    parsed: list[Parsed],
    files: dict[str, str],
    generation: dict[str, Any],
    quality: dict[str, Any],
    source_paths: Sequence[str],
    tools_as_json: bool = True,
) -> str:
    """The card's Markdown. `files`: name → what it holds; `generation`: settings and provenance;
    `quality`: pass rates and counts of the run the export came from."""
    stats = card_statistics(curated, parsed)
    licenses = find_licenses(source_paths)
    spdx = {entry.license for entry in licenses}
    card_license = "apache-2.0" if spdx == {"Apache-2.0"} else "other"
    split_counts = {row["split"]: 0 for row in stats["by_split_and_strategy"]}
    for row in stats["by_split_and_strategy"]:
        split_counts[row["split"]] += row["records"]

    front = ["---", f"license: {card_license}", "language:", "- en", "task_categories:", "- text-generation",
             "tags:", "- tool-calling", "- function-calling", "- synthetic", "- multi-turn", "configs:",
             "- config_name: default", "  data_files:"]
    for split in ("train", "validation"):
        if split_counts.get(split):
            front += [f"  - split: {split}", f"    path: {split}.jsonl"]
    front.append("---")

    lines = [
        *front, "", "# ToolFlow synthetic tool-calling dialogues", "",
        "Multi-turn dialogues in which a user asks, an assistant calls tools and a simulated tool answers, "
        "synthesized by ToolFlow: tools sampled from a tool graph (parameter/return-field similarity), a "
        "structured plan per dialogue, then generation turn by turn. Every record passed every deterministic "
        "quality check (structure, JSON Schema validity, argument grounding, tool-response schemas, plan "
        "adherence, near-duplicate removal).", "",
        "## Files", "", "| file | contents |", "| --- | --- |",
        *[f"| `{name}` | {what} |" for name, what in files.items()], "",
        "## Record format", "",
        "One JSON object per line: `id`, `messages` (OpenAI chat messages: assistant `tool_calls` with JSON-string "
        "`arguments`, `tool` messages with `tool_call_id`, `name` and `content`), `tools` (the OpenAI function "
        "definitions offered in the dialogue" + (", as JSON text: `json.loads(record['tools'])`; tool schemas "
        "differ in shape, which Arrow-based readers cannot hold in one column" if tools_as_json else "") +
        ") and `metadata` (`sampling_strategy`, `plan_id`, `sample_id`, "
        "`backend`, `model`, `prompt_version`, `seed`, counts, `tool_combination`, `chained`, `split`).", "",
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
