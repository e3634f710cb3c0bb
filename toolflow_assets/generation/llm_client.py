"""An asyncio client for any OpenAI-compatible chat server: concurrency, retries, rate limits, a disk
cache, token accounting, and the server's dialect negotiated once per run.

Transport. Requests go through the `openai` package (`AsyncOpenAI.post` of the body as built, raw
responses: no per-request walk of the typed parameters, about a fifth of the client's CPU per request,
and no pydantic parsing per reply) with its own retries switched off: this module owns the policy, so it
is the same on every server and testable. Up to `concurrency` requests are in flight; 429, 408/409, 5xx,
timeouts and connection errors are retried with exponential backoff and jitter, never sooner than the
server's `Retry-After`; an optional global limit caps requests and tokens per minute. An error whose
body rejects the request (a refused `response_format` or `tools`, a validation message) is not retried,
whatever its status (see llm_dialect).

Cache. Every 200 answer is committed to the disk cache (atomically) before it is used, keyed by the
request (see llm_cache), so a crash loses nothing and a warm rerun sends nothing. An answer that ends
as a failure (invalid after every repair; see `forget`) is dropped from the cache, so a rerun asks again.

Dialects (llm_dialect). `structured()` asks for `json_schema`, else `json_object` + schema, else puts the
schema in the prompt; it always extracts, repairs and validates the JSON itself (llm_json), and asks
again with the error when that fails. `chat_with_tools()` sends the native `tools` parameter, else the
caller's prompted form. Each untried mode is probed by one request while the others wait; the verdicts
are reported by `capabilities()` (the `server_capabilities` asset metadata).

Secrets. The API key comes from `OPENAI_API_KEY` only; it is held privately, sent as a header, scrubbed
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
import re
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, TypeVar

import httpx2
import openai

from ..secrets import redact_http_logs, redact_text, redact_url, split_query
from .llm_cache import ResponseCache, request_key
from .llm_dialect import (  # noqa: F401 - re-exported: the client's public names stay importable here
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
from .llm_json import close_truncated_json, extract_json  # noqa: F401 - re-exported
from .llm_transport import (  # noqa: F401 - re-exported
    RETRYABLE_STATUS,
    LLMCallError,
    RateLimiter,
    error_text,
    estimate_tokens,
    httpx_limits,
    parse_completion,
    parse_retry_after,
    run_sync,
)
from .prompts import load_prompt

log = logging.getLogger("toolflow.llm")

T = TypeVar("T")

NO_KEY = "sk-no-key"  # local servers need no key, but the openai client insists on one
_CHAT_OPTIONS: Any = {"security": {"bearer_auth": True}}  # the API key as a bearer token, as `create` sends it


@dataclass(frozen=True)
class LLMSettings:
    model: str
    base_url: str = field(default="", repr=False)  # may hold credentials: never in a repr
    temperature: float = 0.7
    max_tokens: int = 1024
    timeout_seconds: float = 60.0
    max_retries: int = 4
    concurrency: int = 16
    requests_per_minute: float = 0.0  # 0: no limit
    tokens_per_minute: float = 0.0  # 0: no limit
    backoff_base_seconds: float = 0.5
    backoff_max_seconds: float = 30.0
    max_retry_after_seconds: float = 120.0
    max_repairs: int = 2  # extra structured-output attempts after the first invalid answer
    cache_dir: str | None = None


@dataclass
class Usage:
    """Tokens and responses used by one item; sums of cached and fresh answers alike, so an item's
    usage is the same whether its answers came from the server or the cache."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0

    def add(self, usage: dict[str, int]) -> None:
        self.prompt_tokens += int(usage.get("prompt_tokens") or 0)
        self.completion_tokens += int(usage.get("completion_tokens") or 0)
        self.requests += 1

    def as_dict(self) -> dict[str, int]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "requests": self.requests}


@dataclass
class ChatResult:
    message: dict[str, Any]  # {"role": "assistant", "content": str | None, "tool_calls": [...]?}
    finish_reason: str | None
    usage: dict[str, int]
    cached: bool
    key: str

    @property
    def content(self) -> str:
        return self.message.get("content") or ""

    @property
    def tool_calls(self) -> list[dict[str, Any]]:
        return self.message.get("tool_calls") or []


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


class LLMClient:
    """One per run: holds the counters, the cache, the rate limiter and the server's negotiated dialect.

    Use `run(fn)` from sync code: it opens an HTTP session on a fresh event loop, awaits `fn()`,
    and closes the session. Inside, call `chat()`, `structured()` and `chat_with_tools()`.
    """

    def __init__(self, settings: LLMSettings, rng_seed: int = 0) -> None:
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
        # The key is read from the environment here, kept private, and used only as a header.
        self.__api_key = os.environ.get("OPENAI_API_KEY") or NO_KEY
        self.base_url = settings.base_url or os.environ.get("OPENAI_BASE_URL") or None
        self.server = redact_url(self.base_url) or "default"  # the only form of the URL we show
        redact_http_logs()  # httpx logs each request's full URL, credentials included
        self.formats = Negotiation("response_format", STRUCTURED_MODES, self.server)
        self.tools = Negotiation("tools", TOOLS_MODES, self.server)

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
                    last = LLMCallError("timeout", f"no answer within {settings.timeout_seconds:g} s")
                except openai.APIConnectionError as error:
                    last = LLMCallError("connection_error", self.redact(str(error) or type(error).__name__) or "")
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

    # --- dialects
    async def chat_with_tools(self, native: dict[str, Any], prompted: dict[str, Any],
                              parse_calls: Callable[[str], list[dict[str, Any]] | None]) -> ChatResult:
        """A tools request in the negotiated form: `native` carries the `tools` parameter; `prompted` is
        the same request with the functions in the prompt, whose answer `parse_calls` turns into OpenAI
        tool calls (None: the answer is prose). A cached answer in either form is used first, so a warm
        rerun asks the server nothing."""
        tools = self.tools
        if self.is_cached(native) or (tools.preferred() == "native" and not self.is_cached(prompted)):
            probing = not self.is_cached(native) and await tools.claim("native")
            try:
                if "native" not in tools.rejected:
                    result = await self.chat(native)
                    tools.accept("native")
                    return result
            except FeatureRejected as rejection:
                if rejection.feature != "tools":
                    raise
                if rejection.this_schema_only:  # one tool's schema, not the parameter: this request only
                    self.note("tool_schema_refused", f"refused a tool schema ({rejection.detail[:200]}); "
                              "that request goes through the prompt")
                elif tools.reject("native", rejection.detail):  # logged there, counted here
                    self.notes["tools_parameter_refused"] = self.notes.get("tools_parameter_refused", 0) + 1
            finally:
                if probing:
                    tools.release("native")
        result = await self.chat(prompted)
        tools.accept("prompt")
        calls = parse_calls(result.content)
        if calls is None:
            return result
        return ChatResult({"role": "assistant", "content": None, "tool_calls": calls}, result.finish_reason,
                          result.usage, result.cached, result.key)

    def _structured_payload(self, mode: str, messages: list[dict[str, Any]], schema: dict[str, Any],
                            name: str, strict: bool, extra: dict[str, Any]) -> dict[str, Any]:
        if mode == "prompt":
            messages = with_schema_instructions(messages, schema)
        return {**extra, "messages": messages, "response_format": response_format_for(mode, name, schema, strict)}

    def _cached_mode(self, messages, schema, name, strict, extra) -> str | None:
        """The mode whose first request is already cached, so a warm rerun never asks the server which
        modes it takes (a rejection is not cached, a cached answer is)."""
        for mode in STRUCTURED_MODES:
            body = self.build_payload(self._structured_payload(mode, messages, schema, name, strict, extra))
            if self.cache.contains(request_key(body)):
                return mode
        return None

    async def structured(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any],
        name: str,
        validate: Callable[[Any], T],
        usage: Usage,
        *,
        strict: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> T:
        """Ask for JSON matching `schema` and return `validate(parsed)`.

        `validate` raises (ValueError or pydantic's ValidationError) with a message the model can act on;
        the model then gets that message and another try, `max_repairs` times. Raises LLMCallError
        (`invalid_output`, with the last raw answer) when no attempt yields a valid value.
        """
        extra = dict(extra or {})
        skipped: set[str] = set()  # modes this one schema was refused in
        mode = self._cached_mode(messages, schema, name, strict, extra)
        while True:
            probe: str | None = None  # the untried mode this request probes for the run
            if mode is None:
                mode = self.formats.preferred(skipped)
                if await self.formats.claim(mode):
                    probe = mode
                if mode in self.formats.rejected:  # decided while this request waited for the probe
                    mode = None
                    continue
            try:
                return await self._structured_in_mode(mode, messages, schema, name, validate, usage, strict, extra)
            except FeatureRejected as rejection:
                if rejection.feature != "response_format":
                    raise
                if rejection.this_schema_only:
                    self.note(f"schema_refused.{mode}", f"refused a {name} schema in mode {mode} ({rejection}); "
                              "that request falls back, the mode stays")
                    skipped.add(mode)
                elif self.formats.reject(mode, rejection.detail):
                    self.counters.format_fallbacks += 1
                mode = None
            finally:
                if probe is not None:
                    self.formats.release(probe)  # no verdict (e.g. the server was down): another request probes

    async def _structured_in_mode(self, mode, messages, schema, name, validate, usage, strict, extra):
        conversation = list(messages)
        raw = ""
        error = ""
        keys: list[str] = []
        for attempt in range(self.settings.max_repairs + 1):
            payload = self._structured_payload(mode, conversation, schema, name, strict, extra)
            result = await self.chat(payload)
            self.formats.accept(mode)  # the server answered this mode (whatever the model made of it)
            usage.add(result.usage)
            keys.append(result.key)
            raw = result.content
            try:
                return validate(extract_json(raw))
            except Exception as problem:  # noqa: BLE001 - any validation failure is fed back to the model
                error = _short_error(problem)
                if result.finish_reason == "length":
                    error = f"the answer was cut off at the token limit ({error})"
            if attempt < self.settings.max_repairs:
                self.counters.repairs += 1
                repair = load_prompt("structured_output").render("repair", error=error)
                conversation = conversation + [{"role": "assistant", "content": raw},
                                               {"role": "user", "content": repair}]
        self.counters.structured_failures += 1
        self.forget(keys)  # not final: a rerun against a healthy server asks again
        raise LLMCallError("invalid_output", f"{name}: {error} (after {self.settings.max_repairs + 1} attempts)",
                           raw_output=self.redact(raw))


def _short_error(problem: Exception, limit: int = 600) -> str:
    text = str(problem).strip().replace("\n", " ")
    text = re.sub(r"\s+For further information visit \S+", "", text)
    return text[:limit]
