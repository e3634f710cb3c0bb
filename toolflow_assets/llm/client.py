"""An asyncio client for any OpenAI-compatible chat server: concurrency, retries, rate limits, a disk
cache, token accounting, and the server's dialect negotiated once per run.

Transport. Requests go through the `openai` package (`AsyncOpenAI.post` of the body as built, raw
responses: no per-request walk of the typed parameters, about a fifth of the client's CPU per request,
and no pydantic parsing per reply) with its own retries switched off: this module owns the policy, so it
is the same on every server and testable. Up to `concurrency` requests are in flight; 429, 408/409, 5xx,
timeouts and connection errors are retried with exponential backoff and jitter, never sooner than the
server's `Retry-After`; an optional global limit caps requests and tokens per minute. An error whose
body rejects the request (a refused `response_format` or `tools`, a validation message) is not retried,
whatever its status (see dialect.py).

Cache. Every 200 answer is committed to the disk cache (atomically) before it is used, keyed by the
request (see cache.py), so a crash loses nothing and a warm rerun sends nothing. An answer that ends
as a failure (invalid after every repair; see `forget`) is dropped from the cache, so a rerun asks again.

Dialects (dialect.py, negotiated.py). `structured()` asks for `json_schema`, else `json_object` +
schema, else puts the schema in the prompt; it always extracts, repairs and validates the JSON itself
(json_repair.py), and asks again with the error when that fails. `chat_with_tools()` sends the native `tools`
parameter, else the caller's prompted form. Each untried mode is probed by one request while the others wait; the verdicts
are reported by `capabilities()` (the `server_capabilities` asset metadata).

Secrets. The API key comes from the LLM resource (bound to `OPENAI_API_KEY`) or `OPENAI_API_KEY`; it is held privately, sent as a header, scrubbed
from any error text we keep, and never enters cache keys, cache files or metadata. Credentials inside
the base URL (userinfo, query) are used for requests only: logs and reprs show `redact_url`'s form.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import random
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, TypeVar

import httpx2
import openai

from ..secrets import redact_http_logs, redact_text, redact_url, split_query
from .cache import ResponseCache, request_key
from .dialect import (  # noqa: F401 - re-exported: the client's public names stay importable here
    SCHEMA_COMPLAINT,
    STRUCTURED_MODES,
    TOOLS_MODES,
    FeatureRejected,
    Negotiation,
    is_request_validation_error,
    looks_like_format_rejection,
    rejection_of,
    response_format_for,
    with_schema_instructions,
)
from .json_repair import close_truncated_json, extract_json  # noqa: F401 - re-exported
from .negotiated import NegotiatedCalls
from .transport import (  # noqa: F401 - re-exported
    RETRYABLE_STATUS,
    ChatResult,
    LLMCallError,
    LLMSettings,
    RateLimiter,
    Usage,
    error_text,
    estimate_tokens,
    httpx_limits,
    parse_completion,
    parse_retry_after,
    run_sync,
)

log = logging.getLogger("toolflow.llm")

T = TypeVar("T")

NO_KEY = "sk-no-key"  # local servers need no key, but the openai client insists on one
_CHAT_OPTIONS: Any = {"security": {"bearer_auth": True}}  # the API key as a bearer token, as `create` sends it


@dataclass
class _Counters:
    http_requests: int = 0
    http_errors: int = 0
    retries: int = 0
    cache_hits: int = 0
    cache_writes: int = 0
    cache_discards: int = 0  # answers dropped because they ended as failures
    responses: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    repairs: int = 0
    structured_failures: int = 0
    format_fallbacks: int = 0
    rate_limit_wait_ms: int = 0
    joined_in_flight: int = 0  # identical requests that waited for one already on its way


class LLMClient(NegotiatedCalls):
    """One per run: holds the counters, the cache, the rate limiter and the server's negotiated dialect.

    Use `run(fn)` from sync code: it opens an HTTP session on a fresh event loop, awaits `fn()`,
    and closes the session. Inside, call `chat()`, `structured()` and `chat_with_tools()`.
    """

    def __init__(self, settings: LLMSettings, rng_seed: int = 0, api_key: str | None = None) -> None:
        self.settings = settings
        self.cache = ResponseCache(settings.cache_dir)
        self.limiter = RateLimiter(settings.requests_per_minute, settings.tokens_per_minute)
        self.counters = _Counters()
        self.notes: dict[str, int] = {}  # server behaviours seen, e.g. prose answers to tools requests
        self._jitter = random.Random(rng_seed)  # jitter only spaces retries; it never shapes an output
        self._openai: openai.AsyncOpenAI | None = None
        self._slots: asyncio.Semaphore | None = None
        # Requests on their way, by cache key: an identical request waits for the first one instead of
        # paying for the same answer twice (concurrent dialogues often ask the same tool-agent question).
        self._in_flight: dict[str, asyncio.Event] = {}
        # The key (the LLM resource's, bound to $OPENAI_API_KEY, else read from the environment here) is
        # kept private and used only as a header: it is no setting, so no repr, cache key or metadata has it.
        self.__api_key = api_key or os.environ.get("OPENAI_API_KEY") or NO_KEY
        self.base_url = settings.base_url or os.environ.get("OPENAI_BASE_URL") or None
        self.server = redact_url(self.base_url) or "default"  # the only form of the URL we show
        redact_http_logs()  # httpx logs each request's full URL, credentials included
        # The steps of one run share a cache folder: what one step learned of the server, the next knows.
        scope = (self.base_url or "", settings.model, str(settings.cache_dir)) if settings.cache_dir else None
        self.formats = Negotiation.shared(scope, "response_format", STRUCTURED_MODES, self.server)
        self.tools = Negotiation.shared(scope, "tools", TOOLS_MODES, self.server)

    def __repr__(self) -> str:  # never show the key or the URL's credentials
        return f"LLMClient(model={self.settings.model!r}, base_url={self.server!r})"

    def redact(self, text: str | None) -> str | None:
        """Scrub the API key and the base URL's credentials from text we keep (error messages a server
        or a library might echo them into)."""
        if text is None:
            return None
        key = self.__api_key
        if key and key != NO_KEY and len(key) >= 6 and key in text:
            text = text.replace(key, "[redacted]")
        return redact_text(text, self.base_url)

    # --- session
    async def _open(self) -> None:
        http_client = openai.DefaultAsyncHttpx2Client(
            limits=httpx_limits(self.settings.concurrency), timeout=self.settings.timeout_seconds)
        # A query in the base URL (`...?api-key=KEY`, gateways' style) must reach every request as a query:
        # left in the base URL, the library appends the path after it and the key arrives mangled.
        base_url, query = split_query(self.base_url)
        self._openai = openai.AsyncOpenAI(
            api_key=self.__api_key, base_url=base_url, timeout=self.settings.timeout_seconds,
            max_retries=0,  # our policy, not the library's
            default_query=query or None, http_client=http_client)
        self._slots = asyncio.Semaphore(max(1, self.settings.concurrency))
        self._in_flight = {}

    async def _close(self) -> None:
        if self._openai is not None:
            await self._openai.close()
        self._openai = None
        self._slots = None

    def run(self, make: Callable[[], Awaitable[T]]) -> T:
        async def session() -> T:
            await self._open()
            try:
                return await make()
            finally:
                await self._close()

        return run_sync(session)

    # --- reporting
    def usage(self) -> dict[str, int]:
        c = self.counters
        c.cache_hits = self.cache.hits
        c.cache_writes = self.cache.writes
        c.rate_limit_wait_ms = int(self.limiter.waited_seconds * 1000)
        return dict(c.__dict__)

    def capabilities(self) -> dict[str, str]:
        """What was negotiated: the structured-output and tools modes in use, the verdict on each mode
        (with the server's complaint where it refused one), and the behaviours noted."""
        result = {**self.formats.describe("structured_output", "response_format"),
                  **self.tools.describe("tools", "tools")}
        result["probe_requests"] = str(self.formats.probes + self.tools.probes)
        result.update({note: str(count) for note, count in self.notes.items()})
        return {name: self.redact(value) or "" for name, value in result.items()}

    def note(self, what: str, message: str) -> None:
        """Count a server behaviour; log it the first time only."""
        first = what not in self.notes
        self.notes[what] = self.notes.get(what, 0) + 1
        if first:
            log.warning("LLM server %s (model %s): %s (logged once per run)", self.server,
                        self.settings.model, self.redact(message))

    # --- one request
    def build_payload(self, payload: dict[str, Any]) -> dict[str, Any]:
        body = {"model": self.settings.model, "temperature": self.settings.temperature,
                "max_tokens": self.settings.max_tokens}
        body.update({k: v for k, v in payload.items() if v is not None})
        return body

    def is_cached(self, payload: dict[str, Any]) -> bool:
        return self.cache.contains(request_key(self.build_payload(payload)))

    def forget(self, keys: list[str]) -> None:
        """Drop answers that ended as a failure (invalid JSON after every repair, prose where calls were
        due): kept, they would replay the same failure on every rerun; dropped, a rerun asks again."""
        for key in dict.fromkeys(keys):
            if self.cache.discard(key):
                self.counters.cache_discards += 1

    async def chat(self, payload: dict[str, Any]) -> ChatResult:
        """One chat completion: from the cache, else from the server (with retries), then cached."""
        body = self.build_payload(payload)
        key = request_key(body)
        while (pending := self._in_flight.get(key)) is not None:
            self.counters.joined_in_flight += 1
            await pending.wait()  # then the answer is in the cache, or the first request failed and we try
        hit = self.cache.get(key)
        if hit is not None:
            return ChatResult(hit["message"], hit.get("finish_reason"), hit.get("usage") or {}, True, key)
        if self.cache.root is None:
            done = None  # nowhere to share an answer through: identical requests go their own way
        else:
            done = self._in_flight[key] = asyncio.Event()
        try:
            response = await self._send(body)
            self.cache.put(key, response)  # committed before anything uses it
        finally:
            if done is not None:
                del self._in_flight[key]
                done.set()
        return ChatResult(response["message"], response.get("finish_reason"), response["usage"], False, key)

    async def _send(self, body: dict[str, Any]) -> dict[str, Any]:
        assert self._openai is not None and self._slots is not None, "use LLMClient.run()"
        settings = self.settings
        estimate = estimate_tokens(body, int(body.get("max_tokens") or settings.max_tokens))
        last: LLMCallError | None = None
        for attempt in range(settings.max_retries + 1):
            retry_after: float | None = None
            await self.limiter.acquire(estimate)
            async with self._slots:
                self.counters.http_requests += 1
                try:
                    # The body is plain JSON already: posting it skips `chat.completions.create`'s
                    # recursive transform of every message and tool schema (see benchmarks/llm_throughput.py).
                    raw = await self._openai.post("/chat/completions", body=body, cast_to=httpx2.Response,
                                                  options=_CHAT_OPTIONS)
                    response = parse_completion(json.loads(raw.content))
                except openai.APITimeoutError:
                    last = LLMCallError("timeout", f"no answer from {self.server} within {settings.timeout_seconds:g} s")
                except openai.APIConnectionError as error:
                    # Name the server (redacted): "Connection error." alone does not say which one.
                    last = LLMCallError("connection_error",
                                        f"{self.redact(str(error) or type(error).__name__)} ({self.server})")
                except openai.APIStatusError as error:
                    status = error.status_code
                    message = self.redact(error_text(error.body, error.message)) or ""
                    rejection = rejection_of(status, message, body)
                    if rejection is not None:  # unsupported, not transient: the caller falls back at once
                        self.counters.http_errors += 1
                        raise rejection from None
                    if status not in RETRYABLE_STATUS or is_request_validation_error(message):
                        self.counters.http_errors += 1
                        raise LLMCallError("bad_request" if status in (400, 422) or status >= 500 else "http_error",
                                           f"HTTP {status}: {message[:500]}", status=status) from None
                    reason = "rate_limited" if status == 429 else "server_error"
                    last = LLMCallError(reason, f"HTTP {status}: {message[:300]}", status=status)
                    retry_after = parse_retry_after(error.response.headers)
                except (ValueError, KeyError, TypeError, IndexError) as error:
                    last = LLMCallError("bad_response", f"unreadable completion: {error}")
                else:
                    self.counters.responses += 1
                    self.counters.prompt_tokens += response["usage"]["prompt_tokens"]
                    self.counters.completion_tokens += response["usage"]["completion_tokens"]
                    self.limiter.settle(estimate, sum(response["usage"].values()))
                    return response
            self.counters.http_errors += 1
            if attempt == settings.max_retries:
                break
            self.counters.retries += 1
            await asyncio.sleep(self.backoff_delay(attempt, retry_after))
        assert last is not None
        raise LLMCallError(last.reason, f"{last.detail} (gave up after {settings.max_retries + 1} attempts)",
                           status=last.status)

    def backoff_delay(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with equal jitter; never sooner than the server's Retry-After."""
        settings = self.settings
        ceiling = min(settings.backoff_max_seconds, settings.backoff_base_seconds * (2 ** attempt))
        delay = ceiling / 2 + self._jitter.uniform(0, ceiling / 2)
        if retry_after is not None and math.isfinite(retry_after) and retry_after > 0:
            honoured = min(retry_after, settings.max_retry_after_seconds)
            delay = honoured + self._jitter.uniform(0, 0.1 * honoured)  # spread the herd a little
        return delay
