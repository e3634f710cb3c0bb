"""The dialogue generator backend: the offline generator (default) or an OpenAI-compatible LLM.

Selected by `backend` (or `TOOLFLOW_LLM_BACKEND`): `offline` needs nothing; `openai` talks to any
OpenAI-compatible server with base URL and key from the standard `OPENAI_BASE_URL` / `OPENAI_API_KEY`
and the model from `TOOLFLOW_LLM_MODEL`. The key is read from the environment by the client only; it is
never a config value, so it never lands in run config, metadata or cache keys.
"""

from __future__ import annotations

import os

import dagster as dg
from pydantic import Field

from toolflow_assets.secrets import redact_url


class LLMResource(dg.ConfigurableResource):
    backend: str = Field(default="", description="offline | openai. Empty: $TOOLFLOW_LLM_BACKEND, then offline.")
    writer: str = Field(default="", description="Who writes the user and assistant texts: template | llm (the "
                        "offline plan's dialogue rewritten by the model). Empty: $TOOLFLOW_WRITER, then template.")
    executor: str = Field(default="", description="Who produces tool results: simulated | mcp (the run's mcp: "
                          "servers execute every call). Empty: $TOOLFLOW_EXECUTOR, then simulated.")
    refresh_executions: bool = Field(default=False, description="Execute calls again that the mcp executor has "
                                     "recorded (default: replay them). Also $TOOLFLOW_EXECUTOR_REFRESH=1.")
    model: str = Field(default="", description="Model name. Empty: $TOOLFLOW_LLM_MODEL.")
    base_url: str = Field(default="", description="OpenAI-compatible base URL. Empty: $OPENAI_BASE_URL.")
    temperature: float = 0.7
    max_tokens: int = 1024
    timeout_seconds: float | None = Field(
        default=None, description="Seconds to wait for one answer (queueing on the server included). Empty: "
        "$TOOLFLOW_LLM_TIMEOUT, then 60. A small CPU server with few slots needs more.")
    max_retries: int = 4
    concurrency: int | None = Field(
        default=None, description="Requests in flight at once. Empty: $TOOLFLOW_LLM_CONCURRENCY, then 16. Match it "
        "to the server's parallel slots (vLLM: many; llama.cpp on a CPU: its --parallel).")
    cache_dir: str = Field(default="", description="LLM response cache. Empty: <storage>/cache/llm.")
    requests_per_minute: float = Field(default=0.0, description="Global request rate limit; 0: none.")
    tokens_per_minute: float = Field(default=0.0, description="Global token rate limit (prompt + completion, "
                                     "estimated before and settled after each request); 0: none.")
    max_repairs: int = Field(default=2, description="Extra attempts when structured output is invalid, each "
                             "telling the model what was wrong.")

    def timeout(self) -> float:
        return self.timeout_seconds if self.timeout_seconds is not None else \
            float(os.environ.get("TOOLFLOW_LLM_TIMEOUT", "60"))

    def max_in_flight(self) -> int:
        return self.concurrency if self.concurrency is not None else int(os.environ.get("TOOLFLOW_LLM_CONCURRENCY", "16"))

    def backend_name(self) -> str:
        return (self.backend or os.environ.get("TOOLFLOW_LLM_BACKEND", "") or "offline").lower()

    def writer_name(self) -> str:
        return (self.writer or os.environ.get("TOOLFLOW_WRITER", "") or "template").lower()

    def executor_name(self) -> str:
        return (self.executor or os.environ.get("TOOLFLOW_EXECUTOR", "") or "simulated").lower()

    def uses_server(self) -> bool:
        """Some role talks to the OpenAI-compatible server (the openai backend, or the llm writer)."""
        return self.backend_name() != "offline" or self.writer_name() == "llm"

    def model_name(self) -> str:
        return self.model or os.environ.get("TOOLFLOW_LLM_MODEL", "") or (
            "gpt-4o-mini" if self.uses_server() else "toolflow-offline"
        )

    def missing_server(self) -> str | None:
        """Why no request can succeed when a role needs a server and neither a local server nor a key for
        the hosted API is set (the preflight says it before any stage, the generator when built), else None."""
        base_url = self.base_url or os.environ.get("OPENAI_BASE_URL", "")
        if not self.uses_server() or base_url or os.environ.get("OPENAI_API_KEY"):
            return None
        who = "the llm writer" if self.backend_name() == "offline" else "the openai backend"
        return (f"{who} needs a server: set OPENAI_BASE_URL (or --base-url) to an OpenAI-compatible endpoint "
                "such as http://127.0.0.1:8000/v1, or OPENAI_API_KEY for api.openai.com")

    def describe(self) -> dict[str, object]:
        """The effective, non-secret settings, for run metadata (credentials in a URL are masked)."""
        base_url = self.base_url or os.environ.get("OPENAI_BASE_URL", "")
        return {
            "backend": self.backend_name(), "writer": self.writer_name(), "executor": self.executor_name(),
            "model": self.model_name(),
            "base_url": redact_url(base_url) if self.uses_server() else None,
            "temperature": self.temperature, "max_tokens": self.max_tokens, "timeout_seconds": self.timeout(),
            "max_retries": self.max_retries, "concurrency": self.max_in_flight(),
            "requests_per_minute": self.requests_per_minute, "tokens_per_minute": self.tokens_per_minute,
        }

    def get_generator(self, cache_root: str, sources: list[str] | None = None):
        """The configured `DialogueGenerator` (see toolflow_assets.generation.backend), with the configured
        executor (`sources`: the run's tool sources, whose `mcp:` configs name the servers)."""
        base_url = self.base_url or os.environ.get("OPENAI_BASE_URL", "")
        missing = self.missing_server()
        if missing:
            raise ValueError(missing)
        from toolflow_assets.execution.choice import make_executor
        from toolflow_assets.generation.backend import make_generator

        refresh = self.refresh_executions or os.environ.get("TOOLFLOW_EXECUTOR_REFRESH", "") in ("1", "true", "yes")
        # planning alone executes nothing (sources None): the executor is built for the dialogues only
        executor = None if sources is None else make_executor(self.executor_name(), sources, cache_root, refresh)
        checks = {}
        if self.writer_name() == "llm":
            # the llm writer verifies each text with the quality stage's own checks; generation does not
            # import quality, so the resource (which wires the stages) hands them in
            from toolflow_assets.quality.evaluate import check_dialogue

            checks = {"dialogue_check": check_dialogue}
        return make_generator(
            **checks,
            executor=executor,
            backend=self.backend_name(),
            writer=self.writer_name(),
            model=self.model_name(),
            base_url=base_url,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            timeout_seconds=self.timeout(),
            max_retries=self.max_retries,
            concurrency=self.max_in_flight(),
            cache_dir=self.cache_dir or os.path.join(cache_root, "llm"),
            requests_per_minute=self.requests_per_minute,
            tokens_per_minute=self.tokens_per_minute,
            max_repairs=self.max_repairs,
        )
