"""The LLM preflight: before any stage, the configured server must answer, know the model and accept the
key; otherwise `toolflow run` fails within seconds naming the URL (redacted), the model and the cause.

Failure reproduced: with a dead server every stage ran (ingestion and the graph included, 48 s) and the
run ended with "1 blocking asset check failed"; `--backend openai` without a URL first built the graph."""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))

from openai_stub_server import Faults, StubServer  # noqa: E402

from resources import EmbeddingResource, LLMResource  # noqa: E402
from toolflow_assets import cli  # noqa: E402
from toolflow_assets.preflight import preflight_configured, preflight_embeddings, preflight_llm  # noqa: E402
from environ_fixture import restored_environ  # noqa: E402,F401 - a pytest fixture


@pytest.fixture
def closed_port():
    """A port bound but not listening: connections to it are refused at once."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


def test_a_healthy_server_that_lists_the_model_passes_with_one_request():
    with StubServer(Faults(served_models=("small-model",), strict_models=True)) as server:
        result = preflight_llm("small-model", server.base_url)
        assert result.ok, result.line()
        assert result.served == ["small-model"]
        assert server.request_count == 0  # the model list was enough: no chat request was spent


def test_a_closed_port_fails_within_seconds_naming_url_model_and_cause(closed_port):
    url = f"http://svc:hunter2secret@127.0.0.1:{closed_port}/v1?api-key=abcdef123456"
    started = time.monotonic()
    result = preflight_llm("some-model", url)
    assert time.monotonic() - started < 5
    assert not result.ok
    line = result.line()
    assert f"127.0.0.1:{closed_port}/v1" in line and "some-model" in line and "connection error" in line
    assert "hunter2secret" not in line and "abcdef123456" not in line  # secrets.redact_url's form only


def test_an_unknown_model_is_named_with_what_the_server_serves():
    with StubServer(Faults(served_models=("qwen2.5-0.5b", "llama-3.2-1b"), strict_models=True)) as server:
        result = preflight_llm("gpt-4o-mini", server.base_url)
    assert not result.ok
    assert "'gpt-4o-mini' is unknown" in result.cause and "qwen2.5-0.5b, llama-3.2-1b" in result.cause


def test_a_model_missing_from_the_list_but_served_passes():
    # llama.cpp lists its model file and answers to any name: a chat request of one token decides.
    with StubServer(Faults(served_models=("/models/qwen.gguf",))) as server:
        result = preflight_llm("qwen", server.base_url)
        assert result.ok and "accepted" in result.cause
        assert server.request_count == 1


def test_a_rejected_key_says_so(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-key-123")
    with StubServer(Faults(api_key="sk-right-key-456")) as server:
        result = preflight_llm("stub-model", server.base_url)
    assert not result.ok
    assert "rejected the API key" in result.cause and "HTTP 401" in result.cause
    assert "sk-wrong-key-123" not in result.line()


def test_no_server_configured_is_a_failure_before_any_request():
    result = preflight_configured(LLMResource(backend="openai", model="m"))
    assert result is not None and not result.ok and "needs a server" in result.cause
    assert preflight_configured(LLMResource(backend="offline")) is None  # nothing to ask


def test_toolflow_run_against_a_dead_server_stops_before_any_stage(tmp_path, restored_environ, capsys, closed_port):
    os.environ["DAGSTER_HOME"] = str(tmp_path / "home")
    started = time.monotonic()
    code = cli.main(["run", "--backend", "openai", "--model", "m", "--base-url",
                     f"http://127.0.0.1:{closed_port}/v1", "--output", str(tmp_path / "out"), "--dialogues", "3"])
    took = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2, err
    assert "preflight failed, nothing was run" in err and f"127.0.0.1:{closed_port}/v1" in err and "(model m)" in err
    assert took < 30  # was: ingestion, graph, plans with retries... 48 s before the first word of the cause
    assert not (tmp_path / "home" / "storage").exists()  # no stage wrote anything


# ------------------------------------------------------------------ the embedding server (openai backend)


class _Embeddings(BaseHTTPRequestHandler):
    """`POST /v1/embeddings` for the model `mini-embed` only (404 for another, like vLLM and TEI)."""

    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        if body.get("model") != "mini-embed":
            payload, status = {"error": {"message": f"The model `{body.get('model')}` does not exist."}}, 404
        else:
            payload, status = {"data": [{"index": i, "embedding": [1.0, 0.0]} for i, _ in enumerate(body["input"])]}, 200
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def embeddings_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Embeddings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_the_embedding_server_is_asked_too(embeddings_url, closed_port):
    assert preflight_embeddings(EmbeddingResource()) is None  # offline: nothing to ask
    assert preflight_embeddings(EmbeddingResource(backend="openai", model="mini-embed", base_url=embeddings_url)).ok
    unknown = preflight_embeddings(EmbeddingResource(backend="openai", model="big-embed", base_url=embeddings_url))
    assert not unknown.ok and "HTTP 404" in unknown.cause and "big-embed" in unknown.line()
    started = time.monotonic()
    dead = preflight_embeddings(EmbeddingResource(backend="openai", model="mini-embed",
                                                  base_url=f"http://127.0.0.1:{closed_port}/v1"))
    assert not dead.ok and time.monotonic() - started < 5
    assert dead.line().startswith(f"embedding server http://127.0.0.1:{closed_port}/v1 (model mini-embed)")
