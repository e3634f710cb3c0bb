"""Export files: JSON lines that Arrow-style readers load, OpenAI message types, Parquet, ShareGPT, Hermes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from openai.types.chat import ChatCompletionMessageParam, ChatCompletionToolParam
from pydantic import TypeAdapter

from export_fixtures import batch, llamafactory_function_call
from toolflow_assets.export.curate import CURATED_SCHEMA, CurateSettings, curate
from toolflow_assets.export.writer import ExportOptions, write_export
from toolflow_assets.quality.evaluate import evaluate_dialogues

MESSAGE = TypeAdapter(ChatCompletionMessageParam)
TOOL = TypeAdapter(ChatCompletionToolParam)


# --- an Arrow-like reader: one type per column across all lines, as datasets.load_dataset("json") needs

def arrow_type(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        element = None
        for item in value:
            element = unify(element, arrow_type(item), "[]")
        return ("list", element)
    return ("struct", {k: arrow_type(v) for k, v in value.items()})


def unify(left: Any, right: Any, where: str = "") -> Any:
    if left is None:
        return right
    if right is None or left == right:
        return left
    if isinstance(left, tuple) and isinstance(right, tuple) and left[0] == right[0] == "list":
        return ("list", unify(left[1], right[1], where + "/[]"))
    if isinstance(left, tuple) and isinstance(right, tuple) and left[0] == right[0] == "struct":
        fields = dict(left[1])
        for key, value in right[1].items():
            fields[key] = unify(fields.get(key), value, f"{where}/{key}")
        return ("struct", fields)
    raise ValueError(f"JSON parse error: Column({where}) changed from {left} to {right}")


def load_json_lines(path: Path) -> list[dict[str, Any]]:
    """Read like the `json` builder of `datasets`: one object per line, one schema for the whole file."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    schema = None
    for record in records:
        schema = unify(schema, arrow_type(record))
    assert pl.read_ndjson(path).height == len(records)  # and a real columnar reader agrees
    return records


def test_arrow_like_reader_rejects_a_column_that_changes_type(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": {"default": 5}}\n{"a": {"default": "five"}}\n')
    with pytest.raises(ValueError, match="changed from number to string"):
        load_json_lines(path)


def validate_message(message: dict[str, Any]) -> None:
    validated = MESSAGE.validate_python(message)
    list(validated.get("tool_calls") or [])  # pydantic validates iterables lazily: walk them


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    dialogues, plans, catalog = batch(graph=10, random=4, failed=1)
    quality = evaluate_dialogues(dialogues, plans, catalog)
    assert quality["passed"].sum() == 14, quality.filter(~pl.col("passed"))["reasons"].to_list()
    # every graph dialogue here uses the same three tools: split item by item
    curated = curate(dialogues, quality,
                     CurateSettings(validation_ratio=0.2, seed=3, split_by_tool_combination=False))
    folder = tmp_path_factory.mktemp("export") / "dataset"
    manifest = write_export(curated, folder, "run-1", ExportOptions(extra_shapes=("sharegpt", "hermes")))
    manifest.publish()
    return folder, curated, manifest


def test_only_passing_graph_dialogues_are_curated(exported):
    _, curated, _ = exported
    assert curated.schema == CURATED_SCHEMA
    assert set(curated["strategy"]) == {"graph"} and curated.height == 10
    assert curated["chained"].all()
    assert set(curated["split"]) == {"train", "validation"}


def test_export_lines_load_and_messages_are_openai_messages(exported):
    folder, curated, manifest = exported
    train = load_json_lines(folder / "train.jsonl")
    validation = load_json_lines(folder / "validation.jsonl")
    assert len(train) + len(validation) == curated.height
    assert manifest.files["train.jsonl"]["records"] == len(train)
    for record in train + validation:
        assert set(record) == {"id", "messages", "tools", "metadata"}
        for message in record["messages"]:
            validate_message(message)
        for tool in record["tools"]:
            TOOL.validate_python(tool)
        metadata = record["metadata"]
        assert metadata["sampling_strategy"] == "graph"
        assert metadata["plan_id"].startswith("plan-")
        assert metadata["backend"] == "offline" and metadata["model"] == "toolflow-offline"
        assert metadata["split"] in ("train", "validation")
        assert isinstance(json.loads(metadata["executions"]), list) and metadata["executor"] == "simulated"
    assert {r["metadata"]["dialogue_id"] for r in validation} == set(
        curated.filter(pl.col("split") == "validation")["dialogue_id"])


def test_invalid_message_is_rejected_by_the_openai_types():
    with pytest.raises(ValueError):
        validate_message({"role": "tool", "content": "{}"})  # no tool_call_id
    with pytest.raises(ValueError):
        validate_message({"role": "assistant", "content": None, "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": {"a": 1}}}]})


def test_parquet_twin_holds_the_same_records(exported):
    folder, _, _ = exported
    lines = load_json_lines(folder / "train.jsonl")
    frame = pl.read_parquet(folder / "train.parquet")
    assert frame.columns == ["id", "messages", "tools", "metadata"]
    assert frame["id"].to_list() == [r["id"] for r in lines]
    assert json.loads(frame["messages"][0]) == lines[0]["messages"]


def test_sharegpt_roles_and_alternation(exported):
    folder, _, _ = exported
    records = load_json_lines(folder / "train.sharegpt.jsonl")
    for record in records:
        roles = [turn["from"] for turn in record["conversations"]]
        assert set(roles) <= {"human", "gpt", "function_call", "observation"}
        for position, role in enumerate(roles):  # human/observation on even turns, gpt/function_call on odd
            assert role in (("human", "observation") if position % 2 == 0 else ("gpt", "function_call")), roles
        read = [llamafactory_function_call(t["value"]) for t in record["conversations"] if t["from"] == "function_call"]
        calls = [c for _, c in read]
        assert [c["name"] for c in calls] == ["get_weather", "find_restaurants", "book_table"]
        assert [text for text, _ in read] == ["", "Let me look for seafood restaurants first.\n", ""]
        assert calls[2]["arguments"]["people"] == 4
        assert record["assistant_preambles"] == [{"turn": 5, "text": "Let me look for seafood restaurants first."}]
        assert record["system"] == "You are a helpful travel assistant."
        assert [t["name"] for t in json.loads(record["tools"])] == ["get_weather", "find_restaurants", "book_table"]


def test_hermes_text_keeps_the_text_before_a_call(exported):
    folder, _, _ = exported
    record = load_json_lines(folder / "train.hermes.jsonl")[0]
    turns = record["conversations"]
    assert turns[0]["from"] == "system" and "<tools>" in turns[0]["value"] and "book_table" in turns[0]["value"]
    preamble = next(t["value"] for t in turns if t["from"] == "gpt" and "find_restaurants" in t["value"])
    assert preamble.startswith("Let me look for seafood restaurants first.\n<tool_call>\n")
    call = json.loads(preamble.split("<tool_call>\n")[1].split("\n</tool_call>")[0])
    assert call["name"] == "find_restaurants" and call["arguments"]["cuisine"] == "Seafood"
    response = next(t["value"] for t in turns if t["from"] == "tool")
    assert response.startswith("<tool_response>\n") and '"name": "get_weather"' in response


def test_a_record_says_which_executor_produced_each_tool_message():
    from toolflow_assets.export.curate import record_metadata

    executions = [{"tool_call_id": "c1", "name": "cd", "executor": "python", "status": "ok",
                   "environment": "GorillaFileSystem", "initial_state": {"root": {"alice": {}}}}]
    row = {"strategy": "graph", "plan_id": "p", "sample_id": "s", "backend": "offline", "model": "m",
           "prompt_version": "v", "seed": 1, "n_user_turns": 1, "n_tool_calls": 1, "tool_combination": "cd",
           "chained": False, "split": "train", "batch": "batch-0001", "executor": "python",
           "executions": json.dumps(executions), "writer": "template"}
    metadata = record_metadata(row)
    assert metadata["executor"] == "python" and json.loads(metadata["executions"]) == executions
