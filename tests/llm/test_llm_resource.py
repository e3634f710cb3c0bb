"""The `llm` resource selects each role by configuration alone (environment or resource config), and is
the client: typed `chat` / `structured` calls, the key bound as `dg.EnvVar` and recorded by name only."""

from __future__ import annotations

import os

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


PLANTED = "sk-planted-resource-key-0123456789"


def test_the_resources_typed_calls_reach_the_server_with_its_key_and_return_validated_values(tmp_path, monkeypatch):
    from toolflow_assets.planning.llm_prompts import plan_draft_schema, plan_from_draft, planner_messages
    from toolflow_assets.planning.models import DialoguePlan
    from toolflow_assets.planning.samples import CatalogIndex, sample_view

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    tools = make_tools()
    sample = sample_view(make_samples(tools, 1)[0], CatalogIndex(tools))
    with StubServer() as server:
        llm = LLMResource(model="stub-model", base_url=server.base_url, api_key=PLANTED, cache_dir=str(tmp_path),
                          timeout_seconds=10, max_retries=1)
        plan = llm.structured(planner_messages(sample, 3), plan_draft_schema(sample.tool_names), "dialogue_plan",
                              lambda draft: plan_from_draft(draft, sample, "p1"))
        reply = llm.chat([{"role": "user", "content": "Say hi."}])
        assert server.auth_headers == {f"Bearer {PLANTED}"}  # the resource's key, not the environment's
    assert isinstance(plan, DialoguePlan) and plan.plan_id == "p1" and plan.n_tool_calls >= 1
    assert reply.content is not None and reply.cached is False
    # one client per cache folder: the two calls shared its counters (and would share its negotiation)
    assert llm.client().usage()["http_requests"] == 2
    assert PLANTED not in repr(llm) + repr(llm.client()) + str(llm.describe())


def test_the_key_is_bound_as_an_environment_variable_and_a_run_records_only_its_name(monkeypatch):
    import dagster as dg

    from toolflow_assets.definitions import llm_resource

    monkeypatch.setenv("OPENAI_API_KEY", PLANTED)
    bound = llm_resource()
    assert bound.launch_config(planner="llm", writer=None) == {
        "config": {"api_key": {"env": "OPENAI_API_KEY"}, "planner": "llm"}}

    @dg.asset
    def key_seen(llm: LLMResource) -> bool:
        return llm.api_key == PLANTED and llm.planner_name() == "llm"

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([key_seen], resources={"llm": bound}, instance=instance,
                            run_config={"resources": {"llm": bound.launch_config(planner="llm")}})
    assert result.output_for_node("key_seen") is True  # resolved when the run started
    assert PLANTED not in str(instance.get_run_by_id(result.run_id).run_config)

    # Unset, nothing is bound: a Dagster run with an unset EnvVar fails, and offline runs need no key.
    monkeypatch.delenv("OPENAI_API_KEY")
    assert llm_resource().launch_config() == {"config": {}}


def test_cli_flags_become_run_config_and_a_url_with_credentials_travels_by_the_environment(monkeypatch):
    from toolflow_assets.cli import _configured_resources
    from toolflow_assets.definitions import defs

    for name in ("OPENAI_BASE_URL", "TOOLFLOW_PLANNER"):  # set, then removed: undone after the test either way
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    resources, config = _configured_resources(defs.resources, {"planner": "llm", "base_url": "http://h:8/v1"})
    assert config["llm"]["config"]["planner"] == "llm" and config["llm"]["config"]["base_url"] == "http://h:8/v1"
    assert config["embeddings"]["config"]["base_url"] == "http://h:8/v1"  # as $OPENAI_BASE_URL did
    assert resources["llm"].planner_name() == "llm"  # the preflight sees the run's settings
    assert "TOOLFLOW_PLANNER" not in os.environ and "OPENAI_BASE_URL" not in os.environ

    secret = f"http://svc:{PLANTED}@h:8/v1"
    resources, config = _configured_resources(defs.resources, {"base_url": secret})
    assert config["llm"]["config"]["base_url"] == {"env": "OPENAI_BASE_URL"}
    assert PLANTED not in str(config) and os.environ["OPENAI_BASE_URL"] == secret
    assert resources["llm"].server_url() == secret
