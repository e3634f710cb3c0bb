"""The LLM resource: the choice of each generation role, and the client every LLM role talks through.

Roles, each chosen on its own (`toolflow run --planner/--writer/--executor`, or these fields in run
config; empty fields fall back to the environment at run time, then to the offline defaults):
- planner (`TOOLFLOW_PLANNER`): offline | llm;
- writer (`TOOLFLOW_WRITER`): template | llm; the dialogue backend (`TOOLFLOW_LLM_BACKEND`): offline |
  openai (its user, assistant and tool agents write the dialogue). `backend: openai` is also shorthand
  for the llm planner when no planner is named;
- executor (`TOOLFLOW_EXECUTOR`): who produces tool results (execution/choice.py).

The client. `chat()` and `structured()` are typed calls with the retries, rate limits, disk cache and
the server's negotiated dialect inside (llm/client.py); batch code takes `client()` and runs
many requests in one session. The server is `base_url` (else `OPENAI_BASE_URL`), the model `model` (else
`TOOLFLOW_LLM_MODEL`). The key is bound in definitions.py as `dg.EnvVar("OPENAI_API_KEY")`: run config
holds the variable's name, never its value, and Dagster shows it as an environment variable; empty, the
client reads `OPENAI_API_KEY` itself. It never reaches metadata, reprs or cache keys.
"""

from __future__ import annotations

import os
from typing import Any, Callable, TypeVar

import dagster as dg
from pydantic import Field, PrivateAttr

from toolflow_assets.secrets import redact_url

T = TypeVar("T")
API_KEY_ENV = "OPENAI_API_KEY"


class LLMResource(dg.ConfigurableResource):
    backend: str = Field(default="", description="Who writes dialogues with the model's agents: offline | openai "
                         "(also picks the llm planner when planner is empty). Empty: $TOOLFLOW_LLM_BACKEND, then offline.")
    planner: str = Field(default="", description="Who plans each dialogue: offline | llm. Empty: $TOOLFLOW_PLANNER, "
                         "then llm with backend openai, else offline.")
    writer: str = Field(default="", description="Who writes the user and assistant texts: template | llm (the "
                        "plan's template dialogue rewritten by the model) | agent (the model picks its own calls, "
                        "checked against the plan). Empty: $TOOLFLOW_WRITER, then template.")
    executor: str = Field(default="", description="Who produces tool results: auto | simulated | llm | mcp | python. "
                          "Empty: $TOOLFLOW_EXECUTOR, then auto (simulated where no environment is installed).")
    refresh_executions: bool = Field(default=False, description="Execute calls again that the mcp executor has "
                                     "recorded (default: replay them). Also $TOOLFLOW_EXECUTOR_REFRESH=1.")
    model: str = Field(default="", description="Model name. Empty: $TOOLFLOW_LLM_MODEL.")
    base_url: str = Field(default="", description="OpenAI-compatible base URL. Empty: $OPENAI_BASE_URL.")
    api_key: str = Field(default="", repr=False, description="API key; bind it as dg.EnvVar('OPENAI_API_KEY') "
                         "(definitions.py does), never as a literal. Empty: $OPENAI_API_KEY at request time.")
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

    _clients: dict[str, Any] = PrivateAttr(default_factory=dict)

    # ----------------------------------------------------------------------------- effective settings

    def timeout(self) -> float:
        return self.timeout_seconds if self.timeout_seconds is not None else \
            float(os.environ.get("TOOLFLOW_LLM_TIMEOUT", "60"))

    def max_in_flight(self) -> int:
        return self.concurrency if self.concurrency is not None else int(os.environ.get("TOOLFLOW_LLM_CONCURRENCY", "16"))

    def backend_name(self) -> str:
        return (self.backend or os.environ.get("TOOLFLOW_LLM_BACKEND", "") or "offline").lower()

    def planner_name(self) -> str:
        named = self.planner or os.environ.get("TOOLFLOW_PLANNER", "")
        return (named or ("llm" if self.backend_name() == "openai" else "offline")).lower()

    def writer_name(self) -> str:
        return (self.writer or os.environ.get("TOOLFLOW_WRITER", "") or "template").lower()

    def executor_name(self) -> str:
        # auto: python environments where installed, else exactly the simulated executor (execution/auto.py);
        # the openai backend's own agents (writer template) default to the llm executor (issue 10's shorthand)
        named = self.executor or os.environ.get("TOOLFLOW_EXECUTOR", "")
        default = "llm" if self.backend_name() == "openai" and self.writer_name() == "template" else "auto"
        return (named or default).lower()

    def server_url(self) -> str:
        return self.base_url or os.environ.get("OPENAI_BASE_URL", "")

    def uses_server(self) -> bool:
        """Some role talks to the OpenAI-compatible server (the llm planner, the openai backend, the llm writer)."""
        return self.backend_name() != "offline" or self.writer_name() in ("llm", "agent") \
            or self.planner_name() == "llm" or self.executor_name() == "llm"

    def model_name(self) -> str:
        return self.model or os.environ.get("TOOLFLOW_LLM_MODEL", "") or (
            "gpt-4o-mini" if self.uses_server() else "toolflow-offline"
        )

    def missing_server(self) -> str | None:
        """Why no request can succeed when a role needs a server and neither a local server nor a key for
        the hosted API is set (the preflight says it before any stage, the generator when built), else None."""
        if not self.uses_server() or self.server_url() or self.api_key or os.environ.get(API_KEY_ENV):
            return None
        roles = [who for who, uses in (("the openai backend", self.backend_name() != "offline"),
                                       ("the llm planner", self.planner_name() == "llm"),
                                       ("the llm writer", self.writer_name() == "llm"),
                                       ("the agent writer", self.writer_name() == "agent"),
                                       ("the llm executor", self.executor_name() == "llm")) if uses]
        also = f" (as {'does' if len(roles) == 2 else 'do'} {' and '.join(roles[1:])})" if len(roles) > 1 else ""
        return (f"{roles[0]} needs a server{also}: set OPENAI_BASE_URL (or --base-url) to an OpenAI-compatible "
                "endpoint such as http://127.0.0.1:8000/v1, or OPENAI_API_KEY for api.openai.com")

    def describe(self) -> dict[str, object]:
        """The effective, non-secret settings, for run metadata (credentials in a URL are masked)."""
        return {
            "backend": self.backend_name(), "planner": self.planner_name(), "writer": self.writer_name(),
            "executor": self.executor_name(), "model": self.model_name(),
            "base_url": redact_url(self.server_url()) if self.uses_server() else None,
            "temperature": self.temperature, "max_tokens": self.max_tokens, "timeout_seconds": self.timeout(),
            "max_retries": self.max_retries, "concurrency": self.max_in_flight(),
            "requests_per_minute": self.requests_per_minute, "tokens_per_minute": self.tokens_per_minute,
        }

    # --------------------------------------------------------------------------------------- the client

    def cache_folder(self, cache_root: str | None = None) -> str:
        """`cache_dir`, else `<cache_root>/llm` (the run's storage; ToolflowSettings.cache_root), else the
        default storage's cache."""
        if self.cache_dir:
            return self.cache_dir
        if cache_root is None:
            from .settings import ToolflowSettings

            cache_root = ToolflowSettings().cache_root()
        return os.path.join(cache_root, "llm")

    def client(self, cache_root: str | None = None):
        """The `LLMClient` of this resource (one per cache folder): its concurrency limit, rate limits,
        cache and negotiated dialect are shared by everything that uses it in this process."""
        folder = self.cache_folder(cache_root)
        if folder not in self._clients:
            missing = self.missing_server()
            if missing:
                raise ValueError(missing)
            from toolflow_assets.llm.client import LLMClient, LLMSettings

            self._clients[folder] = LLMClient(LLMSettings(
                model=self.model_name(), base_url=self.server_url(), temperature=self.temperature,
                max_tokens=self.max_tokens, timeout_seconds=self.timeout(), max_retries=self.max_retries,
                concurrency=self.max_in_flight(), requests_per_minute=self.requests_per_minute,
                tokens_per_minute=self.tokens_per_minute, max_repairs=self.max_repairs, cache_dir=folder,
            ), api_key=self.api_key or None)
        return self._clients[folder]

    def chat(self, messages: list[dict[str, Any]], **params: Any):
        """One chat completion (a `ChatResult`: message, finish reason, usage, cache hit)."""
        client = self.client()
        return client.run(lambda: client.chat({"messages": messages, **params}))

    def structured(self, messages: list[dict[str, Any]], schema: dict[str, Any], name: str,
                   validate: Callable[[Any], T], **params: Any) -> T:
        """JSON answering `schema`, returned as `validate(parsed)`; an invalid answer goes back to the model
        with `validate`'s error (`max_repairs` times). Raises `LLMCallError` with the last raw answer."""
        from toolflow_assets.llm.client import Usage

        client = self.client()
        return client.run(lambda: client.structured(messages, schema, name, validate, Usage(), extra=params or None))

    # ---------------------------------------------------------------------------------------- the roles

    def get_planner(self, cache_root: str):
        """The configured `Planner` (planning/planner.py)."""
        from toolflow_assets.planning.planner import make_planner

        name = self.planner_name()
        return make_planner(name, client=self.client(cache_root) if name == "llm" else None)

    def get_generator(self, cache_root: str, sources: list[str] | None = None):
        """The configured `DialogueGenerator` (see toolflow_assets.generation.backend), with the configured
        executor (`sources`: the run's tool sources, whose `mcp:` configs name the servers)."""
        missing = self.missing_server()
        if missing:
            raise ValueError(missing)
        from toolflow_assets.execution.choice import make_executor
        from toolflow_assets.generation.backend import make_generator

        refresh = self.refresh_executions or os.environ.get("TOOLFLOW_EXECUTOR_REFRESH", "") in ("1", "true", "yes")
        # planning alone executes nothing (sources None): the executor is built for the dialogues only
        executor = None if sources is None else make_executor(
            self.executor_name(), sources, cache_root, refresh,
            llm=self.client(cache_root) if self.executor_name() == "llm" else None)
        checks = {}
        if self.writer_name() == "llm":
            # the llm writer verifies each text with the quality stage's own checks; generation does not
            # import quality, so the resource (which wires the stages) hands them in
            from toolflow_assets.quality.evaluate import check_dialogue

            checks = {"dialogue_check": check_dialogue}
        if self.writer_name() == "agent":
            # the agent writer's calls are compared with the plan by the quality stage's own rule
            from toolflow_assets.quality.checks import check_plan_adherence

            checks = {"plan_check": check_plan_adherence}
        options: dict[str, Any] = {}
        if (self.backend_name() == "openai" and self.writer_name() == "template") or self.writer_name() in ("agent", "llm"):
            options["client"] = self.client(cache_root)  # the agents and writers talk through this resource's client
        return make_generator(
            **checks,
            **options,
            executor=executor,
            backend=self.backend_name(),
            writer=self.writer_name(),
            model=self.model_name(),
            base_url=self.server_url(),
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            timeout_seconds=self.timeout(),
            max_retries=self.max_retries,
            concurrency=self.max_in_flight(),
            cache_dir=self.cache_folder(cache_root),
            requests_per_minute=self.requests_per_minute,
            tokens_per_minute=self.tokens_per_minute,
            max_repairs=self.max_repairs,
        )

    # ------------------------------------------------------------------------------------ launching

    def launch_config(self, **overrides: Any) -> dict[str, Any]:
        """This resource's run config (`{"config": {...}}`) with `overrides` (None values left out): run
        config replaces a resource's bound config as a whole, so the values bound in definitions.py go
        with it, an `EnvVar` as its name (`{"env": ...}`), never its value."""
        config: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = self.__dict__.get(name)
            if isinstance(value, dg.EnvVar):
                config[name] = {"env": value.env_var_name}
            elif name in self.model_fields_set and value is not None:
                config[name] = value
        config.update({name: value for name, value in overrides.items() if value is not None})
        return {"config": config}
