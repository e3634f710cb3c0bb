"""Chat-template verdicts are remembered per record: a later export renders only the records it has not
seen, and reports exactly what rendering everything reports."""

import copy

import pytest

from export_fixtures import passing_batch
from toolflow_assets.export import rendering, verdict_cache
from toolflow_assets.export.curate import CurateSettings, curate
from toolflow_assets.export.writer import ExportOptions, records_for

pytest.importorskip("transformers")


def _hf_records(city_shift: int) -> list[dict]:
    dialogues, quality = passing_batch(graph=4, parallel=2, city_shift=city_shift)
    curated = curate(dialogues, quality, CurateSettings(validation_ratio=0.0, split_by_tool_combination=False))
    return [r for records in records_for(curated, "hf", ExportOptions()).values() for r in records]


@pytest.fixture
def renders(monkeypatch):
    seen: list[str] = []
    real = rendering.round_trip_error

    def counting(record, template):
        seen.append(record["id"])
        return real(record, template)

    monkeypatch.setattr(rendering, "round_trip_error", counting)
    return seen


def test_only_unseen_records_are_rendered_and_the_report_is_unchanged(tmp_path, renders):
    first, second = _hf_records(0), _hf_records(5)
    broken = copy.deepcopy(second[0])
    broken["id"] = "broken"
    broken["messages"][-1]["content"] = None  # an answer with no text: a failure the report must keep
    cache_root = str(tmp_path / "cache")

    verdicts = verdict_cache.load(cache_root)
    rendering.check_templates(first, verdicts=verdicts)
    verdict_cache.save(cache_root, verdicts, 0)
    renders.clear()

    dataset = first + second + [broken]
    remembered = verdict_cache.load(cache_root)
    assert len(remembered) == len(first) * len(rendering.TEMPLATES)
    incremental = rendering.check_templates(dataset, verdicts=remembered)
    assert sorted(set(renders)) == sorted({r["id"] for r in second} | {"broken"})  # the old batch: not again
    assert any(result["round_trip"] < result["records"] for result in incremental.values())  # failures kept

    renders.clear()
    assert incremental == rendering.check_templates(dataset)  # everything rendered afresh: the same report
    assert len(renders) == len(dataset) * len(rendering.TEMPLATES)
