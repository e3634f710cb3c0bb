"""Issue 15, item 2: with the storage on an object store, the caches live there too, and a rerun sends no
request it already paid for.

The object store is fsspec's `memory://` filesystem (one per process, like a bucket the pod cannot see on
its disk). The LLM side talks to the real local stub server (tests/llm/openai_stub_server.py), which
counts every request; the embedding side to a small counting `/v1/embeddings` server. The settings build
the cache root from the storage URL exactly as the assets do (`ToolflowSettings.cache_root()`), and each
rerun uses fresh generator and embedder objects, so only what is in the store can spare a request.
"""

from __future__ import annotations

import json
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from upath import UPath

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))

from llm_fixtures import make_samples, make_tools  # noqa: E402
from openai_stub_server import Faults, StubServer  # noqa: E402

from resources import EmbeddingResource, LLMResource, ToolflowSettings  # noqa: E402


@pytest.fixture
def bucket(tmp_path, monkeypatch):
    """A fresh `memory://` storage URL; the test runs in an empty folder, to see nothing lands on disk."""
    monkeypatch.chdir(tmp_path)
    url = f"memory://toolflow-{uuid.uuid4().hex[:8]}/storage"
    yield url
    store = UPath(url)
    if store.exists():
        store.fs.rm(store.path, recursive=True)


def _generate(settings: ToolflowSettings, base_url: str) -> str:
    llm = LLMResource(backend="openai", model="stub-model", base_url=base_url, timeout_seconds=10.0, max_retries=1,
                      concurrency=2)
    generator = llm.get_generator(settings.cache_root())  # the call the planning and dialogue assets make
    tools = make_tools()
    plans = generator.plan_many(make_samples(tools, 4), tools, 11)
    dialogues = generator.generate_many([p.plan for p in plans if p.plan], tools, 11)
    assert dialogues and all(d.status == "ok" for d in dialogues), [d.error for d in dialogues]
    return json.dumps([p.model_dump() for p in plans] + [d.model_dump() for d in dialogues], sort_keys=True)


def test_llm_rerun_on_object_storage_sends_no_request_already_paid_for(bucket, tmp_path):
    settings = ToolflowSettings(storage_dir=bucket)
    assert settings.cache_root() == f"{bucket}/cache"  # a URL, not a local path like `memory:/…`

    with StubServer(Faults()) as server:
        first = _generate(settings, server.base_url)
        paid = server.request_count
        answered = len(server.success_counts())  # distinct request bodies that got a usable answer
        assert paid > 0
        rerun = _generate(settings, server.base_url)
        assert server.request_count == paid, "the rerun asked the server again for cached answers"
    assert rerun == first

    entries = list((UPath(settings.cache_root()) / "llm").glob("*/*.json"))
    assert len(entries) == answered  # every answer paid for is in the store, once
    assert list(tmp_path.iterdir()) == [], "a cache landed on the local disk instead of the object store"


class _CountingEmbeddings(BaseHTTPRequestHandler):
    texts: list[str] = []

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).texts.extend(body["input"])
        data = [{"index": i, "embedding": [len(t), 1.0, float(i)]} for i, t in enumerate(body["input"])]
        payload = json.dumps({"data": data}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def embedding_server():
    _CountingEmbeddings.texts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingEmbeddings)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_embedding_rerun_on_object_storage_embeds_nothing_twice(bucket, tmp_path, embedding_server):
    settings = ToolflowSettings(storage_dir=bucket)
    resource = EmbeddingResource(backend="openai", model="mini-embed", base_url=embedding_server)
    texts = ["origin city", "destination city", "flight id"]

    first = resource.get_embedder(cache_root=settings.cache_root()).embed(texts)  # as the tool_graph asset
    assert sorted(_CountingEmbeddings.texts) == sorted(texts)
    again = resource.get_embedder(cache_root=settings.cache_root()).embed(texts + ["booking id"])
    assert _CountingEmbeddings.texts[len(texts):] == ["booking id"], "the rerun re-embedded cached texts"
    assert np.allclose(again[:3], first)

    shards = list((UPath(settings.cache_root()) / "embeddings").glob("*/*.npz"))
    assert len(shards) == 2
    assert list(tmp_path.iterdir()) == []
