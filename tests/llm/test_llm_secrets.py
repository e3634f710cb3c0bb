"""Credentials inside the server URL (issue 14, item 5): `http://svc:KEY@host/v1` and `.../v1?api-key=KEY`
are used for requests and appear nowhere else: not in logs or warnings, error rows, metadata, reprs or
any file a run writes. The checks plant a key, run through the real stub server (which proves the key
was sent), and search everything the run produced for it."""

from __future__ import annotations

import json
import logging
import os

import pytest
from llm_fixtures import make_samples, make_tools
from openai_stub_server import StubServer, llama_cpp_python_faults

from resources.llm import LLMResource
from toolflow_assets.generation.backend import make_generator
from toolflow_assets.llm.client import LLMClient, LLMSettings
from toolflow_assets.secrets import redact_text, redact_url, split_query

KEY = "PLANTED-url-secret-0123456789"
FAST = dict(timeout_seconds=15.0, max_retries=1, concurrency=4, backoff_base_seconds=0.01, backoff_max_seconds=0.02)


@pytest.mark.parametrize(
    "url, shown",
    [
        (f"http://svc:{KEY}@llm.internal:8000/v1", "http://***@llm.internal:8000/v1"),
        (f"https://gw.example.com/v1?api-key={KEY}&api-version=2024-06-01",
         "https://gw.example.com/v1?api-key=***&api-version=***"),
        (f"http://{KEY}@h/v1", "http://***@h/v1"),  # a bare token as the user name
        ("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1"),  # nothing to hide: unchanged
        ("", ""),
    ],
)
def test_redact_url_keeps_the_server_and_masks_credentials(url, shown):
    assert redact_url(url) == shown


def test_redact_text_scrubs_a_urls_secrets_and_any_url_credentials_in_free_text():
    url = f"http://svc:{KEY}@h/v1?token={KEY}x"
    message = f"connect to {url}/chat failed; echoed {KEY} and http://u:other-pass@x/y?k=zzz"
    scrubbed = redact_text(message, url)
    assert KEY not in scrubbed and "other-pass" not in scrubbed and "zzz" not in scrubbed
    assert "http://***@h/v1" in scrubbed and "http://***@x/y?k=***" in scrubbed


def test_split_query_hands_the_query_to_the_request_not_the_base_url():
    assert split_query(f"https://gw/v1?api-key={KEY}") == ("https://gw/v1", {"api-key": KEY})
    assert split_query("http://h/v1") == ("http://h/v1", {})


def test_the_resource_metadata_and_the_client_reprs_never_show_url_credentials(monkeypatch):
    url = f"http://svc:{KEY}@h/v1?api-key={KEY}"
    described = LLMResource(backend="openai", base_url=url).describe()
    assert described["base_url"] == "http://***@h/v1?api-key=***"
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    client = LLMClient(LLMSettings(model="m"))
    shown = repr(client) + repr(client.settings) + json.dumps(client.capabilities())
    assert KEY not in shown and "h/v1" in shown


@pytest.mark.parametrize("style", ["userinfo", "query"])
def test_a_run_with_a_key_in_the_url_writes_and_logs_it_nowhere(style, tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    tools = make_tools()
    # The server refuses json_schema (a logged warning naming the server), fails some requests with
    # errors that echo the request path and query (error rows), and one run talks to a dead port.
    faults = llama_cpp_python_faults(echo_url=True, rate_500=0.5)
    with StubServer(faults, seed=2) as server:
        host = server.base_url.split("//", 1)[1]
        url = f"http://svc:{KEY}@{host}" if style == "userinfo" else f"http://{host}?api-key={KEY}"
        gen = make_generator("openai", model="stub-model", base_url=url, cache_dir=str(tmp_path / "cache"), **FAST)
        plans = gen.plan_many(make_samples(tools, 4), tools, 3)
        dialogues = gen.generate_many([p.plan for p in plans if p.plan], tools, 3)
        sent = {*server.paths, *server.auth_headers}
    dead_url = f"http://svc:{KEY}@127.0.0.1:9/v1?api-key={KEY}"
    dead = make_generator("openai", model="stub-model", base_url=dead_url, cache_dir=str(tmp_path / "dead"), **FAST)
    unreachable = dead.plan_many(make_samples(tools, 1), tools, 3)

    if style == "query":  # the key really reached the server (as a query), so its absence below means something
        assert any(KEY in path for path in sent)
    else:  # userinfo is sent as basic auth, as curl does
        assert any(h.startswith("Basic ") for h in sent)
    errors = [p.error for p in plans + unreachable if p.error] + [d.error for d in dialogues if d.error]
    # The unreachable server is named in its rows, credentials masked.
    assert any("connection_error" in e and "http://***@127.0.0.1:9/v1?api-key=***" in e for e in errors), errors
    assert any("rejected response_format json_schema" in r.getMessage() for r in caplog.records)
    produced = {
        "rows": json.dumps([p.model_dump() for p in plans + unreachable] + [d.model_dump() for d in dialogues]),
        "metadata": json.dumps([gen.usage(), gen.capabilities(), dead.usage(), dead.capabilities()]),
        "logs": "\n".join(r.getMessage() for r in caplog.records) + caplog.text,
        "output": "".join(capfd.readouterr()),
        "reprs": repr(gen.client) + repr(gen.client.settings) + repr(dead.client),
    }
    leaked = [name for name, text in produced.items() if KEY in text]
    leaked += [str(p) for p in tmp_path.rglob("*") if p.is_file() and KEY.encode() in p.read_bytes()]
    assert not leaked, f"the URL's key leaked into {leaked}"
    assert os.listdir(tmp_path / "cache")  # files were written, and searched
