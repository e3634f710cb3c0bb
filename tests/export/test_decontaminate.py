"""Decontamination: dialogues whose user turns repeat an evaluation question are dropped and counted."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from toolflow_assets.export.assets_curated import CurateConfig, _decontaminate
from toolflow_assets.export.decontaminate import build_eval_index, contaminated, ngrams_of, read_eval_texts

QUESTION = "Find the area of a triangle with a base of 10 units and height of 5 units please."


def _dialogue(text: str) -> list[dict]:
    return [{"role": "user", "content": text}, {"role": "assistant", "content": "Sure."}]


def test_eval_files_in_common_shapes_are_read(tmp_path: Path) -> None:
    bfcl = tmp_path / "bfcl.json"
    bfcl.write_text(json.dumps({"id": "x", "question": [[{"role": "user", "content": QUESTION}]]}) + "\n")
    chat = tmp_path / "chat.jsonl"
    chat.write_text(json.dumps({"messages": [{"role": "system", "content": "be nice"},
                                             {"role": "user", "content": "What is the weather in Paris?"},
                                             {"role": "assistant", "content": "Sunny in Paris today, I think."}]}))
    plain = tmp_path / "questions.txt"
    plain.write_text("How many moons does Jupiter have?\n\nWho wrote Hamlet?\n")
    assert read_eval_texts(bfcl) == [QUESTION]
    assert read_eval_texts(chat) == ["What is the weather in Paris?"]  # the assistant's words are not a question
    assert read_eval_texts(plain) == ["How many moons does Jupiter have?", "Who wrote Hamlet?"]


def test_a_repeated_question_is_caught_even_with_other_numbers(tmp_path: Path) -> None:
    evals = tmp_path / "evals.txt"
    evals.write_text(QUESTION + "\n")
    index = build_eval_index([str(evals)], include_bfcl=False)
    found = contaminated([
        ("copied", _dialogue("Hi! " + QUESTION.replace("10", "12").replace("5", "7"))),
        ("own words", _dialogue("Could you work out the area of a triangle for me? Base 10, height 5.")),
    ], index)
    assert list(found) == ["copied"]


def test_lists_of_numbers_are_not_evidence() -> None:
    assert not ngrams_of("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 13", 13)


def test_the_bundled_bfcl_questions_are_in_the_index() -> None:
    index = build_eval_index()
    assert index.texts > 3000 and any(source.startswith("BFCL_v4_simple") for source in index.sources)
    assert index.overlap("Please find the area of a triangle with a base of 10 units and height of 5 units.")


def test_curated_dialogues_drop_and_count_contaminated_ones(tmp_path: Path) -> None:
    evals = tmp_path / "evals.jsonl"
    evals.write_text(json.dumps({"query": QUESTION}) + "\n")
    curated = pl.DataFrame({"dialogue_id": ["a", "b"],
                            "messages": [json.dumps(_dialogue(QUESTION)), json.dumps(_dialogue("Hello there."))]})
    kept, report = _decontaminate(curated, CurateConfig(eval_sets=[str(evals)]))
    assert kept["dialogue_id"].to_list() == ["b"]
    assert report["dropped"] == 1 and report["checked"] == 2 and report["examples"][0]["dialogue_id"] == "a"
    untouched, off = _decontaminate(curated, CurateConfig(decontaminate=False))
    assert untouched.height == 2 and off == {"on": False}


def test_a_missing_eval_set_fails_naming_it(tmp_path: Path) -> None:
    import dagster as dg
    import pytest

    with pytest.raises(dg.Failure, match="nope.jsonl"):
        _decontaminate(pl.DataFrame({"dialogue_id": ["a"], "messages": ["[]"]}),
                       CurateConfig(eval_sets=[str(tmp_path / "nope.jsonl")]))
