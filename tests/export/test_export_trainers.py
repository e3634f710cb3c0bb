"""The export as trainers load it: `datasets.load_dataset` on the card's configs, every record rendered
through real tool-calling chat templates with transformers' own renderer and read back, ids unique across
corpora and runs, and a folder switched into place whole."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openai.types.chat import ChatCompletionToolParam
from pydantic import TypeAdapter

from export_fixtures import llamafactory_function_call, passing_batch
from toolflow_assets.export.card import dataset_card
from toolflow_assets.export.curate import CurateSettings, curate
from toolflow_assets.export.rendering import TEMPLATES, check_templates, render, round_trip_error
from toolflow_assets.export.measures import Parsed
from toolflow_assets.export.writer import ExportManifest, ExportOptions, card_configs, records_for, write_export

datasets = pytest.importorskip("datasets")
pytest.importorskip("transformers")

TOOL = TypeAdapter(ChatCompletionToolParam)
SETTINGS = CurateSettings(validation_ratio=0.25, seed=3, split_by_tool_combination=False)


def export(folder: Path, run_id: str = "run-a", city_shift: int = 0, fingerprint: str = "corpus-a",
           **options: Any) -> tuple[ExportManifest, list[dict[str, Any]]]:
    """Curate the fixtures, write and publish the folder with its card; also return the hf records."""
    dialogues, quality = passing_batch(city_shift=city_shift)
    curated = curate(dialogues, quality, SETTINGS)
    opts = ExportOptions(corpus_fingerprint=fingerprint, **options)
    manifest = write_export(curated, folder, run_id, opts)
    hf = [r for records in records_for(curated, "hf", opts).values() for r in records]
    parsed = [Parsed(r["dialogue_id"], json.loads(r["messages"]), json.loads(r["tools"]))
              for r in curated.iter_rows(named=True)]
    card = dataset_card(curated, parsed, {},
                        generation={}, quality={}, source_paths=[], configs=card_configs(manifest, opts),
                        parallel_records=sum(r["metadata"]["parallel_calls"] for r in hf),
                        split_parallel=opts.split_parallel_calls, template_checks=check_templates(hf))
    manifest.add("README.md", card.encode("utf-8"))
    manifest.publish()
    return manifest, hf


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def card_yaml(folder: Path) -> dict[str, Any]:
    return yaml.safe_load((folder / "README.md").read_text().split("---\n")[1])


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("out") / "dataset"
    export(target)
    return target


def test_tools_are_function_lists_and_flavors_differ_only_in_argument_encoding(folder):
    openai = lines(folder / "train.jsonl") + lines(folder / "validation.jsonl")
    hf = lines(folder / "train.hf.jsonl") + lines(folder / "validation.hf.jsonl")
    assert len(openai) == len(hf) == 9
    for plain, objects in zip(openai, hf):
        assert plain["id"] == objects["id"] and plain["tools"] == objects["tools"]
        assert isinstance(plain["tools"], list) and all(t["type"] == "function" for t in plain["tools"])
        for tool in plain["tools"]:
            TOOL.validate_python(tool)
        calls = [(c, d) for m, n in zip(plain["messages"], objects["messages"])
                 for c, d in zip(m.get("tool_calls") or [], n.get("tool_calls") or [])]
        assert calls
        for as_text, as_object in calls:
            assert isinstance(as_text["function"]["arguments"], str)
            assert json.loads(as_text["function"]["arguments"]) == as_object["function"]["arguments"]
            assert len(as_text["id"]) == 9 and as_text["id"].isalnum()  # Mistral's rule, in every flavor


def test_every_card_config_loads_with_datasets_exactly_as_written(folder, tmp_path):
    front = card_yaml(folder)
    configs = {c["config_name"]: c for c in front["configs"]}
    assert set(configs) == {"openai", "hf", "sharegpt"} and configs["openai"].get("default") is True
    for name, config in configs.items():
        for entry in config["data_files"]:
            loaded = datasets.load_dataset(str(folder), name, split=entry["split"], cache_dir=str(tmp_path / name))
            written = lines(folder / entry["path"])
            # no null padding from other tools' schemas or other roles' keys: Json features keep each value
            assert [dict(row) for row in loaded] == written, name


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_every_hf_record_renders_through_the_template_and_reads_back(folder, tmp_path, name):
    loaded = datasets.load_dataset(str(folder), "hf", split="train", cache_dir=str(tmp_path / "hf"))
    for record in loaded:
        error = round_trip_error(dict(record), TEMPLATES[name])
        if name == "llama3.1" and record["metadata"]["parallel_calls"]:
            assert error and "only supports single tool-calls" in error
        else:
            assert error is None, (record["id"], error)


def test_split_parallel_calls_renders_every_record_in_llama(tmp_path):
    _, hf = export(tmp_path / "dataset", split_parallel_calls=True)
    parallel = [r for r in hf if r["metadata"]["dialogue_id"].startswith("p-")]
    assert parallel and not any(r["metadata"]["parallel_calls"] for r in hf)
    for record in hf:
        assert round_trip_error(record, TEMPLATES["llama3.1"]) is None, record["id"]
    roles = [(m["role"], len(m.get("tool_calls") or [])) for m in parallel[0]["messages"]]
    assert roles == [("user", 0), ("assistant", 1), ("tool", 0), ("assistant", 1), ("tool", 0), ("assistant", 0)]
    first, _, second = parallel[0]["messages"][1:4]
    assert first["content"] == "Checking both cities at once." and second["content"] is None
    assert parallel[0]["messages"][2]["tool_call_id"] == first["tool_calls"][0]["id"]
    card = (tmp_path / "dataset" / "README.md").read_text()
    assert "Parallel calls were split into consecutive turns" in card


def test_openai_flavor_renders_double_encoded_arguments_where_hf_does_not(folder):
    plain = lines(folder / "train.jsonl")[0]
    objects = lines(folder / "train.hf.jsonl")[0]
    qwen = TEMPLATES["qwen2.5"]
    assert '"arguments": "{\\"' in render(plain, qwen)
    assert "calls differ" in round_trip_error(plain, qwen)
    text = render(objects, qwen)
    assert '"arguments": "' not in text and '"arguments": {"city": ' in text


def test_qwen_keeps_the_words_before_a_call_and_hermes_drops_them(folder):
    record = next(r for r in lines(folder / "train.hf.jsonl") if r["metadata"]["dialogue_id"].startswith("p-"))
    assert "Checking both cities at once.\n<tool_call>" in render(record, TEMPLATES["qwen2.5"])
    assert "Checking both cities at once." not in render(record, TEMPLATES["hermes3"])


def test_card_documents_flavors_files_and_measured_templates(folder):
    card = (folder / "README.md").read_text()
    for text in ("## Configs (flavors)", "`hf`", "`openai`", "`sharegpt`", "## Chat templates",
                 "| ChatML / Qwen2.5 (<tool_call>) | 9 / 9 | nothing |", "| Llama 3.1 JSON tool calling | 6 / 9 |",
                 "3 records have parallel calls", "manifest.json"):
        assert text in card, text
    features = {c["config_name"]: c["features"] for c in card_yaml(folder)["dataset_info"]}
    assert {"name": "tools", "list": "json"} in features["hf"]


def test_llamafactory_registry_names_the_sharegpt_files(folder):
    registry = json.loads((folder / "dataset_info.json").read_text())
    assert registry["toolflow_train"]["file_name"] == "train.sharegpt.jsonl"
    assert registry["toolflow_train"]["formatting"] == "sharegpt"
    record = next(r for r in lines(folder / "train.sharegpt.jsonl") if r["metadata"]["dialogue_id"].startswith("p-"))
    text, calls = llamafactory_function_call(
        next(t["value"] for t in record["conversations"] if t["from"] == "function_call"))
    assert [c["name"] for c in calls] == ["get_weather", "get_weather"]  # parallel: one JSON list
    assert text == "Checking both cities at once.\n"  # kept: LLaMA-Factory trains on it before the calls
    assert record["assistant_preambles"] == [{"turn": 1, "text": "Checking both cities at once."}]


def test_two_corpora_merged_into_one_folder_repeat_no_id(tmp_path):
    export(tmp_path / "a", fingerprint="corpus-a")
    export(tmp_path / "b", run_id="run-b", city_shift=1, fingerprint="corpus-b")
    first = lines(tmp_path / "a" / "train.jsonl") + lines(tmp_path / "a" / "validation.jsonl")
    second = lines(tmp_path / "b" / "train.jsonl") + lines(tmp_path / "b" / "validation.jsonl")
    # the pipeline's own dialogue ids are the same in both runs; the record ids are not
    assert {r["metadata"]["dialogue_id"] for r in first} == {r["metadata"]["dialogue_id"] for r in second}
    merged = tmp_path / "merged"
    merged.mkdir()
    (merged / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in first + second))
    loaded = datasets.load_dataset("json", data_files=str(merged / "train.jsonl"), split="train",
                                   cache_dir=str(tmp_path / "cache"))
    assert len(set(loaded["id"])) == len(first) + len(second)
    # the same dialogue of the same corpus keeps its id: a rerun is a duplicate, not a new record
    export(tmp_path / "again", run_id="run-c", fingerprint="corpus-a")
    assert lines(tmp_path / "again" / "train.jsonl") == lines(tmp_path / "a" / "train.jsonl")


def test_every_record_names_its_batch(folder):
    assert {r["metadata"]["batch"] for r in lines(folder / "train.jsonl")} == {"unpartitioned"}


def test_a_killed_run_leaves_the_previous_folder_whole_and_the_next_replaces_it(tmp_path):
    target = tmp_path / "dataset"
    export(target, run_id="run-a", extra_shapes=("sharegpt", "hermes"))
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    dialogues, quality = passing_batch(city_shift=2)
    killed = write_export(curate(dialogues, quality, SETTINGS), target, "run-b", ExportOptions())
    # killed before publish: the staged files exist beside the folder, the folder is untouched
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert Path(killed.staging).parent == tmp_path and (Path(killed.staging) / "train.jsonl").exists()

    export(target, run_id="run-c", city_shift=2)
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["run_id"] == "run-c"
    assert set(manifest["files"]) | {"manifest.json"} == {p.name for p in target.iterdir()}
    assert "train.hermes.jsonl" not in manifest["files"]  # nothing left over from run-a

    for name, info in manifest["files"].items():
        assert hashlib.sha256((target / name).read_bytes()).hexdigest() == info["sha256"], name
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".old")] == []


def test_a_non_finite_number_leaves_its_record_out_with_a_reason(tmp_path):
    dialogues, quality = passing_batch(graph=2, parallel=0)
    poisoned = dialogues["tools"][0].replace('"type": "integer", "minimum": 1', '"type": "integer", "minimum": NaN')
    assert poisoned != dialogues["tools"][0]
    dialogues = dialogues.with_columns(dialogues["tools"].scatter(0, poisoned))
    curated = curate(dialogues, quality, CurateSettings(validation_ratio=0.0))
    manifest = write_export(curated, tmp_path / "dataset", "run-n", ExportOptions())
    manifest.publish()
    text = (tmp_path / "dataset" / "train.jsonl").read_text()
    assert "NaN" not in text and len(text.splitlines()) == 1
    assert manifest.excluded == {"g-000": "non_finite_number: NaN or Infinity in the messages or tools"}
    assert json.loads((tmp_path / "dataset" / "manifest.json").read_text())["excluded"] == manifest.excluded


def test_split_pairs_each_result_with_its_call_whatever_their_order():
    from toolflow_assets.export.flavors import renumber_call_ids, split_parallel_calls

    calls = [{"id": f"c{n}", "type": "function", "function": {"name": "f", "arguments": f'{{"n": {n}}}'}}
             for n in (1, 2, 3)]
    messages = [{"role": "user", "content": "go"},
                {"role": "assistant", "content": "All three.", "tool_calls": calls},
                *[{"role": "tool", "tool_call_id": f"c{n}", "content": f"r{n}"} for n in (3, 1, 2)],
                {"role": "assistant", "content": "Done."}]
    split = split_parallel_calls(renumber_call_ids(messages, "seed"))
    pairs = [(m["tool_calls"][0]["function"]["arguments"], split[i + 1]["content"])
             for i, m in enumerate(split) if m.get("tool_calls")]
    assert pairs == [('{"n": 1}', "r1"), ('{"n": 2}', "r2"), ('{"n": 3}', "r3")]
    assert [m.get("content") for m in split if m.get("tool_calls")] == ["All three.", None, None]
    assert all(split[i + 1]["tool_call_id"] == m["tool_calls"][0]["id"]
               for i, m in enumerate(split) if m.get("tool_calls"))
    assert messages[2]["tool_call_id"] == "c3"  # the input is not changed


def test_reused_call_ids_are_renamed_per_turn():
    """LLM backends often call every turn's first call `call_1`: each result keeps answering its own call."""
    from toolflow_assets.export.flavors import renumber_call_ids

    def turn(n):
        return [{"role": "user", "content": f"q{n}"},
                {"role": "assistant", "content": None, "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": f"r{n}"}]

    renamed = renumber_call_ids(turn(1) + turn(2), "seed")
    first, second = renamed[1]["tool_calls"][0]["id"], renamed[4]["tool_calls"][0]["id"]
    assert first != second
    assert (renamed[2]["tool_call_id"], renamed[5]["tool_call_id"]) == (first, second)
