"""Near-duplicate detection (MinHash + LSH) and the LLM judge with a fake chat-completion callable."""

from __future__ import annotations

import random

from quality_fixtures import clean, dialogue_row, frames
from toolflow_assets.quality.dedup import DedupConfig, jaccard, near_duplicates, shingles
from toolflow_assets.quality.evaluate import evaluate_dialogues
from toolflow_assets.quality.judge import JudgeScores, judge_dialogue, judge_many, parse_judge_answer, transcript

WORDS = ("weather flight hotel book search city price date ticket table restaurant review weekend morning "
         "train museum route traffic parking concert movie email calendar meeting invoice order refund").split()


def _sentence(rng: random.Random, n: int = 24) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def test_near_duplicates_found_distinct_texts_kept():
    rng = random.Random(1)
    base = [_sentence(rng, 40) for _ in range(50)]
    edited = base[3].split()
    edited[20] = "zebra"  # one word changed in 40
    texts = base + [" ".join(edited), base[10].upper()]
    found = near_duplicates(texts, DedupConfig(threshold=0.85))
    assert found.keys() == {50, 51}
    assert found[50][0] == 3 and found[51] == (10, 1.0)
    assert jaccard(shingles(texts[50], 3), shingles(texts[3], 3)) >= 0.85


def test_near_duplicates_threshold_and_determinism():
    a = "please find me a cheap flight from berlin to rome next friday morning for two adults"
    b = "please find me a cheap flight from berlin to rome next saturday morning for two adults"
    score = jaccard(shingles(a, 3), shingles(b, 3))
    assert 0.6 < score < 0.85
    assert near_duplicates([a, b], DedupConfig(threshold=0.9)) == {}
    assert near_duplicates([a, b], DedupConfig(threshold=0.6)) == {1: (0, score)}
    assert near_duplicates([a, b, a], DedupConfig(seed=3)) == near_duplicates([a, b, a], DedupConfig(seed=3))
    assert near_duplicates(["", ""], DedupConfig()) == {}  # no words, nothing to compare


def test_near_duplicates_scale_without_pairwise_loop():
    """LSH proposes only a sliver of the ~2 M pairs; the exact check then runs on those alone."""
    rng = random.Random(7)
    texts = [_sentence(rng, 30) for _ in range(2000)]
    texts.append(texts[1234])
    stats: dict[str, int] = {}
    found = near_duplicates(texts, stats=stats)
    assert found == {2000: (1234, 1.0)}
    assert stats["comparisons"] < 200 and stats["candidate_pairs"] < 200


def test_judge_parses_scores_from_a_fake_model():
    f = clean()
    seen = []

    def complete(messages):
        seen.append(messages)
        return 'Here you go:\n```json\n{"naturalness": 4, "coherence": 5, "helpfulness": 4.6, "rationale": "Fine."}\n```'

    scores = judge_dialogue(f["messages"], f["tools"], complete)
    assert scores == JudgeScores(naturalness=4, coherence=5, helpfulness=5, rationale="Fine.")
    prompt = seen[0][1]["content"]
    assert "Assistant calls book_table(" in prompt and "User: Hi! What's the weather" in prompt
    assert "- get_weather: Current weather for a city." in prompt
    assert "Tool book_table returns:" in transcript(f["messages"])


def test_judge_failures_are_recorded_not_raised():
    f = clean()
    assert judge_dialogue(f["messages"], f["tools"], lambda m: "I liked it").error == \
        "the judge's answer holds no JSON object"
    out_of_range = judge_dialogue(f["messages"], f["tools"],
                                  lambda m: '{"naturalness": 9, "coherence": 3, "helpfulness": 3}')
    assert out_of_range.naturalness is None and "naturalness must be a number from 1 to 5" in out_of_range.error

    def broken(messages):
        raise TimeoutError("server did not answer")

    assert judge_dialogue(f["messages"], f["tools"], broken).error == \
        "judge request failed: TimeoutError: server did not answer"
    batch = judge_many([(f["messages"], f["tools"])] * 2,
                       lambda prompts: ['{"naturalness": 2, "coherence": 2, "helpfulness": 3}', ValueError("x")])
    assert batch[0].mean == 7 / 3 and batch[1].error == "judge request failed: ValueError: x"


def test_judge_scores_only_passing_dialogues_and_can_gate():
    f = clean()
    hallucinating = clean()
    hallucinating["messages"][2]["tool_calls"][0]["function"]["arguments"] = '{"city": "Atlantis"}'
    rows = [dialogue_row(f["messages"], f["tools"], dialogue_id="d-good"),
            dialogue_row(hallucinating["messages"], f["tools"], dialogue_id="d-bad")]
    asked = []

    def judge(items):
        asked.extend(items)
        return [parse_judge_answer('{"naturalness": 2, "coherence": 3, "helpfulness": 2, "rationale": "stiff"}')
                for _ in items]

    from toolflow_assets.quality.evaluate import QualitySettings

    quality = evaluate_dialogues(*frames(rows, f), settings=QualitySettings(judge_min_score=3.0), judge=judge)
    by_id = {r["dialogue_id"]: r for r in quality.iter_rows(named=True)}
    assert len(asked) == 1
    assert by_id["d-good"]["judge_naturalness"] == 2 and by_id["d-good"]["judge_rationale"] == "stiff"
    assert by_id["d-good"]["passed"] is False and by_id["d-good"]["reasons"][-1].startswith("judge: mean score 2.33")
    assert by_id["d-bad"]["judge_naturalness"] is None


def test_the_judge_is_on_by_default_whenever_a_model_is_configured():
    from toolflow_assets.quality.judge import judge_enabled

    assert judge_enabled(None, model_configured=True) and not judge_enabled(None, model_configured=False)
    assert not judge_enabled(False, True) and judge_enabled(True, False)  # an explicit choice wins
