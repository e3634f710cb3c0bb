"""The `llm` resource selects the `openai` backend by configuration alone (environment or resource config)."""

from __future__ import annotations

import pytest
from llm_fixtures import make_samples, make_tools
from openai_stub_server import StubServer

from resources import LLMResource


def test_environment_alone_switches_to_the_openai_backend(tmp_path, monkeypatch):
    tools = make_tools()
    with StubServer() as server:
        monkeypatch.setenv("TOOLFLOW_LLM_BACKEND", "openai")
        monkeypatch.setenv("TOOLFLOW_LLM_MODEL", "local-model")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        resource = LLMResource(timeout_seconds=5, max_retries=1, requests_per_minute=6000)
        generator = resource.get_generator(str(tmp_path))
        assert (generator.backend, generator.model) == ("openai", "local-model")
        assert resource.backend_name() == "openai" and resource.model_name() == "local-model"
        plans = generator.plan_many(make_samples(tools, 1), tools, 1)
        assert plans[0].plan is not None
        assert server.auth_headers == {"Bearer sk-no-key"}  # no key set: a dummy, as local servers expect
    # Responses land under <cache_root>/llm, the documented default.
    assert list((tmp_path / "llm").rglob("*.json"))
    assert generator.client.settings.requests_per_minute == 6000


def test_resource_config_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLFLOW_LLM_BACKEND", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    resource = LLMResource(backend="openai", model="m2", base_url="http://127.0.0.1:8/v1",
                           cache_dir=str(tmp_path / "c"))
    generator = resource.get_generator("/nonexistent")
    assert generator.model == "m2"
    assert generator.client.base_url == "http://127.0.0.1:8/v1"
    assert generator.client.settings.cache_dir == str(tmp_path / "c")
    # The key is not configuration: the resource has no field that could hold it.
    assert not any("key" in name for name in LLMResource.model_fields)


def test_concurrency_and_timeout_come_from_the_environment_unless_configured(monkeypatch):
    monkeypatch.setenv("TOOLFLOW_LLM_CONCURRENCY", "2")
    monkeypatch.setenv("TOOLFLOW_LLM_TIMEOUT", "180")
    described = LLMResource(backend="openai", base_url="http://127.0.0.1:8/v1").describe()
    assert (described["concurrency"], described["timeout_seconds"]) == (2, 180.0)
    configured = LLMResource(backend="openai", concurrency=8, timeout_seconds=30).describe()
    assert (configured["concurrency"], configured["timeout_seconds"]) == (8, 30)
    monkeypatch.delenv("TOOLFLOW_LLM_CONCURRENCY")
    monkeypatch.delenv("TOOLFLOW_LLM_TIMEOUT")
    assert (LLMResource().describe()["concurrency"], LLMResource().describe()["timeout_seconds"]) == (16, 60.0)


def test_openai_backend_without_a_server_or_key_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ValueError, match="OPENAI_BASE_URL"):
        LLMResource(backend="openai").get_generator(str(tmp_path))
