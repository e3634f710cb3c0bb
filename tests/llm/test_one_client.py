"""The llm writer and the quality stage's judge talk through the `llm` resource's one client (as the
planner, the agent writer and the llm executor do), each with its own per-request settings, and ask the
same requests (the same cache keys) as with a client of their own."""

from __future__ import annotations

import dagster as dg
from llm_fixtures import make_samples, make_tools
from openai_stub_server import Faults, StubServer
from stub_agents import classify

from resources import LLMResource, ToolflowSettings
from toolflow_assets.generation.offline import OfflineGenerator
from toolflow_assets.llm.client import LLMClient, LLMSettings

SEED = 3


def _template_dialogues(n: int):
    catalog = make_tools()
    offline = OfflineGenerator()
    plans = [r.plan for r in offline.plan_many(make_samples(catalog, n), catalog, SEED) if r.plan is not None]
    return catalog, plans, offline.generate_many(plans, catalog, SEED)


def test_the_llm_writer_uses_the_resources_client_and_keeps_its_own_repair_cap(tmp_path):
    catalog, plans, _ = _template_dialogues(1)
    with StubServer(Faults(garbage_structured=True)) as server:
        llm = LLMResource(writer="llm", model="stub-model", base_url=server.base_url, max_repairs=2,
                          timeout_seconds=10, max_retries=1)
        generator = llm.get_generator(str(tmp_path))
        assert generator.client is llm.client(str(tmp_path))
        dialogue = generator.generate_many(plans[:1], catalog, SEED)[0]
        # prose for JSON every time: the first request and one repair (the writer's cap), not the client's
        # two repairs; then the dialogue keeps its template texts, each with the reason
        assert server.roles() == {"writer": 2}
    assert llm.client(str(tmp_path)).settings.max_repairs == 2
    assert dialogue.writers and all(w["writer"] == "template-fallback" and "after 2 attempts" in w["reason"]
                                    for w in dialogue.writers)


def test_the_judge_asks_through_the_resources_client_with_its_own_temperature_and_length(tmp_path):
    from toolflow_assets.quality.assets import QualityConfig, _judge_batch
    from toolflow_assets.quality.judge import judge_messages

    _, _, dialogues = _template_dialogues(2)
    items = [(d.messages, d.tools) for d in dialogues if d.status == "ok"]
    settings = ToolflowSettings(storage_dir=str(tmp_path))
    with StubServer() as server:
        llm = LLMResource(writer="llm", model="stub-model", base_url=server.base_url, timeout_seconds=10,
                          max_retries=1)
        judge = _judge_batch(dg.build_asset_context(), QualityConfig(judge=True), llm, settings)
        scores = judge(items)
        judged = [body for body in server.bodies() if classify(body) == "judge"]
        client = llm.client(settings.cache_root())
        assert client.usage()["http_requests"] == len(items) == len(judged) >= 1
        assert {(body["temperature"], body["max_tokens"]) for body in judged} == {(0.0, 300)}
        assert all(s.error is None and s.naturalness is not None for s in scores)
        # The judge's client of before (temperature 0, 300 tokens, the resource's cache folder) finds every
        # answer: the keys did not change, so a cache warmed before this change stays warm.
        before = LLMClient(LLMSettings(model="stub-model", base_url=server.base_url, temperature=0.0,
                                       max_tokens=300, cache_dir=client.settings.cache_dir))
        assert all(before.is_cached({"messages": judge_messages(m, t)}) for m, t in items)


def test_the_judge_without_a_reachable_server_scores_nothing_and_says_why(tmp_path, monkeypatch):
    from toolflow_assets.quality.assets import QualityConfig, _judge_batch

    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    llm = LLMResource(writer="llm", model="stub-model")  # a role needs a server, none is configured
    judge = _judge_batch(dg.build_asset_context(), QualityConfig(judge=True),
                         llm, ToolflowSettings(storage_dir=str(tmp_path)))
    scores = judge([([], [])])
    assert len(scores) == 1 and scores[0].naturalness is None and "OPENAI_BASE_URL" in scores[0].error
