"""LLM preflight: before any stage runs, ask the configured OpenAI-compatible server whether it answers,
knows the model and accepts the key, and fail within seconds naming the URL (redacted), the model and the
cause.

Why: a dead server used to let every stage run (ingestion and the graph included) and the run ended with
"1 blocking asset check failed", the cause stored in a table without the URL. A wrong model name or key
went the same way.

How: one `GET /models` through the run's own client (`LLMClient`: the same key handling, URL-query
handling and redaction as every request of the run), retries off and a short timeout. Servers differ in
what they list: llama.cpp lists its model file and takes any name, so a model missing from the list is
confirmed by one chat request of one token before it is called unknown; a server without `/models`
(404/405/501) is asked the same way.

The embedding server of the `openai` embedding backend (the tool graph's first stage uses it) is asked
the same three things by one `/embeddings` request of one word, through the run's own embedder class.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

PREFLIGHT_TIMEOUT_SECONDS = 10.0
_NO_MODELS_ENDPOINT = {404, 405, 501}


@dataclass
class PreflightResult:
    ok: bool
    server: str  # the redacted URL
    model: str
    cause: str = ""  # why it failed, or what was noticed on success
    served: list[str] = field(default_factory=list)
    seconds: float = 0.0
    kind: str = "LLM server"

    def line(self) -> str:
        where = f"{self.kind} {self.server} (model {self.model})"
        if self.ok:
            return f"{where}: ok in {self.seconds:.1f} s" + (f"; {self.cause}" if self.cause else "")
        return f"{where}: {self.cause}"


def _status_cause(error: Any, client: Any) -> str:
    """A readable cause for an HTTP error answer (key rejected, model unknown, other)."""
    from .llm.transport import error_text

    status = error.status_code
    message = (client.redact(error_text(error.body, error.message)) or "").strip()[:300]
    if status in (401, 403):
        return f"the server rejected the API key (HTTP {status}: {message}); set OPENAI_API_KEY"
    return f"HTTP {status}: {message}"


async def _probe(client: Any, model: str) -> tuple[bool, str, list[str]]:
    """(ok, cause, served models). Runs inside `client.run`, which opened the client's HTTP session."""
    import openai

    api = client._openai  # the session `LLMClient.run` opened: its key, base URL and query, no copy of them
    served: list[str] = []
    try:
        served = [entry.id async for entry in api.models.list()]
    except openai.APITimeoutError:
        return False, f"no answer within {client.settings.timeout_seconds:g} s", []
    except openai.APIConnectionError as error:
        cause = error.__cause__ or error
        return False, f"the server does not answer (connection error: {client.redact(str(cause)) or type(cause).__name__})", []
    except openai.APIStatusError as error:
        if error.status_code not in _NO_MODELS_ENDPOINT:
            return False, _status_cause(error, client), []
    except Exception as error:  # noqa: BLE001 - a listing we cannot read is not fatal: the chat probe decides
        client.note("unreadable_models_list", f"unreadable /models answer: {error}")
    if model in served:
        return True, "", served
    # Not listed (or no list): one token of chat decides, as the run's own requests would.
    try:
        await api.chat.completions.create(model=model, messages=[{"role": "user", "content": "ping"}], max_tokens=1)
    except openai.APITimeoutError:
        return False, f"no answer to a one-token chat request within {client.settings.timeout_seconds:g} s", served
    except openai.APIConnectionError as error:
        return False, f"the server does not answer (connection error: {client.redact(str(error))})", served
    except openai.APIStatusError as error:
        cause = _status_cause(error, client)
        if error.status_code in (400, 404) and served:
            cause = f"model {model!r} is unknown to the server ({cause}); it serves: {', '.join(served[:10])}"
        return False, cause, served
    note = f"model not in the server's list ({', '.join(served[:5])}) but accepted" if served else \
        "no model list; a chat request was accepted"
    return True, note, served


def preflight_llm(model: str, base_url: str, timeout_seconds: float = PREFLIGHT_TIMEOUT_SECONDS) -> PreflightResult:
    """Ask the server at `base_url` (empty: the client's default, api.openai.com) about `model`."""
    from .llm.client import LLMClient, LLMSettings

    client = LLMClient(LLMSettings(model=model, base_url=base_url, timeout_seconds=timeout_seconds,
                                   max_retries=0, concurrency=1))
    started = time.monotonic()
    ok, cause, served = client.run(lambda: _probe(client, model))
    return PreflightResult(ok, client.server, model, cause, served, time.monotonic() - started)


def preflight_configured(llm: Any) -> PreflightResult | None:
    """The preflight for an `LLMResource` (resources/llm.py) as configured for this run; None when no role
    talks to a server. A server that is needed but not set is a failure too, before any request."""
    if not llm.uses_server():
        return None
    import os

    from .secrets import redact_url

    base_url = llm.base_url or os.environ.get("OPENAI_BASE_URL", "")
    missing = llm.missing_server()
    if missing:
        return PreflightResult(False, redact_url(base_url) or "(none)", llm.model_name(), missing)
    return preflight_llm(llm.model_name(), base_url, min(llm.timeout(), PREFLIGHT_TIMEOUT_SECONDS))


def preflight_embeddings(embeddings: Any) -> PreflightResult | None:
    """The preflight for an `EmbeddingResource` (resources/embeddings.py) whose backend is `openai`; None for
    the offline and local backends, which need no server. One word embedded, no retries, a short timeout."""
    if embeddings.backend_name() != "openai":
        return None
    from .graph.embeddings import OpenAIEmbedder
    from .secrets import redact_text, redact_url

    kind = "embedding server"
    try:
        configured = embeddings.get_embedder().inner  # the run's model and URL, resolved as the run does
    except ValueError as error:  # no URL or no model
        return PreflightResult(False, "(none)", "(none)", str(error), kind=kind)
    probe = OpenAIEmbedder(configured.model, configured.base_url, batch_size=1,
                           timeout_seconds=PREFLIGHT_TIMEOUT_SECONDS, max_retries=0)
    server, started = redact_url(configured.base_url), time.monotonic()
    try:
        probe.embed(["preflight"])
    except Exception as error:  # noqa: BLE001 - any failure here is the answer the preflight reports
        cause = redact_text(str(error), configured.base_url)
        return PreflightResult(False, server, configured.model, cause, seconds=time.monotonic() - started, kind=kind)
    return PreflightResult(True, server, configured.model, seconds=time.monotonic() - started, kind=kind)
