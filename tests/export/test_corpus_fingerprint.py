"""Record ids hash the corpus by content: the same corpus in another folder gives the same ids."""

from __future__ import annotations

import shutil
from pathlib import Path

from resources.settings import BUNDLED_CORPUS
from toolflow_assets.ingestion.ingest import corpus_fingerprint, hash_sources


def test_the_same_files_elsewhere_give_the_same_fingerprint(tmp_path: Path) -> None:
    source = Path(BUNDLED_CORPUS) / "toolalpaca"
    here, there = tmp_path / "a" / "tools", tmp_path / "b" / "elsewhere"
    shutil.copytree(source, here)
    shutil.copytree(source, there)
    assert corpus_fingerprint([here]) == corpus_fingerprint([there])
    assert hash_sources([here]) != hash_sources([there])  # the source asset's data version still sees a move
    (there / "extra.json").write_text('[{"type": "function", "function": {"name": "noop", "parameters": {}}}]')
    assert corpus_fingerprint([here]) != corpus_fingerprint([there])
