"""An asyncio client for any OpenAI-compatible chat server: concurrency, retries, rate limits, a disk
cache, token accounting, and structured output that degrades gracefully across servers.

Transport. Requests go through the `openai` package (`AsyncOpenAI.post` of the body as built, raw
responses: no per-request walk of the typed parameters, about a fifth of the client's CPU per request,
and no pydantic parsing per reply) with its own retries switched off: this module owns the policy, so it
is the same on every server and testable. Up to `concurrency` requests are in flight; 429, 408/409, 5xx,
timeouts and connection errors are retried with exponential backoff and jitter, never sooner than the
server's `Retry-After`; an optional global limit caps requests and tokens per minute.

Cache. Every 200 answer is committed to the disk cache (atomically) before it is used, keyed by the
request (see llm_cache), so a crash loses nothing and a warm rerun sends nothing.

Structured output. Servers differ (OpenAI and vLLM take `json_schema`; llama.cpp's server rejects it
and takes `json_object` with a schema; small models ignore both): `structured()` tries
`json_schema`, falls back to `json_object` + schema, then to instructions in the prompt; it always
extracts, repairs and validates the JSON itself, and asks again with the error when that fails. What
the server accepted is logged once per client, and reported by `capabilities()`.

The API key comes from `OPENAI_API_KEY` only; it is held privately, sent as a header, scrubbed from
any error text we keep, and never enters cache keys, cache files or metadata.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import math
import os
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, TypeVar

import httpx2
import openai

from ..tools import canonical_json
from .llm_cache import ResponseCache, request_key
from .prompts import load_prompt

log = logging.getLogger("toolflow.llm")

T = TypeVar("T")

NO_KEY = "sk-no-key"  # local servers need no key, but the openai client insists on one
RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529}
STRUCTURED_MODES = ("json_schema", "json_object", "prompt")
_CHAT_OPTIONS: Any = {"security": {"bearer_auth": True}}  # the API key as a bearer token, as `create` sends it


# ---------------------------------------------------------------------------------------------- errors


class LLMCallError(Exception):
    """A request that could not produce a usable answer. `reason` is a short code for failure tables
    (e.g. `rate_limited`, `timeout`, `server_error`, `bad_request`, `invalid_output`)."""

    def __init__(self, reason: str, detail: str, *, status: int | None = None, raw_output: str | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.status = status
        self.raw_output = raw_output


class _FormatRejected(Exception):
    """The server refused a `response_format` (not the request as such): fall back. `this_schema_only`
    when it objected to this one schema (e.g. OpenAI's "Invalid schema for response_format"), not to the
    mode: then only this request falls back, and the mode stays in use for the rest of the run."""

    def __init__(self, message: str, this_schema_only: bool) -> None:
        super().__init__(message)
        self.this_schema_only = this_schema_only


# --------------------------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class LLMSettings:
    model: str
    base_url: str = ""
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


# ------------------------------------------------------------------------------------------ rate limit


class RateLimiter:
    """Token buckets for requests and tokens per minute, shared by every request of a client.

    A bucket holds one second's worth of its rate (at least one request), so bursts stay short. A request
    whose token estimate exceeds the bucket still goes once the bucket is full (then runs it negative),
    so large prompts are slowed, not starved. After the answer, `settle` corrects the estimate.
    """

    def __init__(self, requests_per_minute: float = 0.0, tokens_per_minute: float = 0.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.request_rate = requests_per_minute / 60.0
        self.token_rate = tokens_per_minute / 60.0
        self.request_capacity = max(1.0, self.request_rate)
        self.token_capacity = max(1.0, self.token_rate)
        self.requests = self.request_capacity
        self.tokens = self.token_capacity
        self.clock = clock
        self.updated = clock()
        self.waited_seconds = 0.0

    @property
    def enabled(self) -> bool:
        return self.request_rate > 0 or self.token_rate > 0

    def _refill(self) -> None:
        now = self.clock()
        elapsed = max(0.0, now - self.updated)
        self.updated = now
        if self.request_rate:
            self.requests = min(self.request_capacity, self.requests + elapsed * self.request_rate)
        if self.token_rate:
            self.tokens = min(self.token_capacity, self.tokens + elapsed * self.token_rate)

    def try_reserve(self, tokens: int) -> float:
        """Reserve one request and `tokens`; return 0, or the seconds to wait before asking again."""
        self._refill()
        wait = 0.0
        if self.request_rate and self.requests < 1.0:
            wait = max(wait, (1.0 - self.requests) / self.request_rate)
        need = min(float(tokens), self.token_capacity)
        if self.token_rate and self.tokens < need:
            wait = max(wait, (need - self.tokens) / self.token_rate)
        if wait > 0:
            return wait
        if self.request_rate:
            self.requests -= 1.0
        if self.token_rate:
            self.tokens -= float(tokens)
        return 0.0

    async def acquire(self, tokens: int) -> None:
        if not self.enabled:
            return
        while True:
            wait = self.try_reserve(tokens)
            if wait <= 0:
                return
            self.waited_seconds += wait
            await asyncio.sleep(wait)

    def settle(self, estimated: int, actual: int) -> None:
        if self.token_rate and actual > 0:
            self.tokens = min(self.token_capacity, self.tokens + estimated - actual)


def estimate_tokens(payload: dict[str, Any], max_tokens: int) -> int:
    """Prompt size by the common 4-characters-per-token rule, plus the completion budget."""
    size = len(canonical_json(payload.get("messages") or [])) + len(canonical_json(payload.get("tools") or []))
    return size // 4 + max_tokens


# ----------------------------------------------------------------------------------- retry-after


def parse_retry_after(headers: Any) -> float | None:
    """Seconds to wait from `retry-after-ms`, `retry-after` (seconds or an HTTP date), else None."""
    if headers is None:
        return None
    value = headers.get("retry-after-ms")
    if value:
        try:
            return float(value) / 1000.0
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return max(0.0, email.utils.mktime_tz(parsed) - time.time())


def _error_text(body: Any, fallback: str) -> str:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("message") or inner)
        return str(inner)
    if body:
        return str(body)
    return fallback


_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object|schema|grammar|format", re.IGNORECASE)


SCHEMA_COMPLAINT = re.compile(r"invalid schema|schema is invalid|invalid json schema", re.IGNORECASE)


def looks_like_format_rejection(status: int | None, message: str) -> bool:
    """A 400/422 that complains about the response format (llama.cpp, old vLLM, proxies)."""
    return status in (400, 422) and bool(_FORMAT_WORDS.search(message))


# ------------------------------------------------------------------------------------ JSON repair


_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)


_SCALAR = re.compile(r"[A-Za-z0-9.+\-]+")
# What may follow the last complete value of a truncated answer: a comma, a key, a partial scalar.
_PARTIAL_TAIL = re.compile(
    r'''\s*(?:,\s*)?(?:"(?:[^"\\]|\\.)*"\s*)?(?::\s*)?'''  # a comma, a complete key, a colon
    r'''(?:"(?:[^"\\]|\\.)*"?|-?[0-9.eE+\-]+|t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?)?\s*$''',
    re.DOTALL,
)


def _safe_cut_points(text: str) -> list[int]:
    """Offsets just after a complete JSON value or an opening bracket, outside strings. Empty when the
    text is not the beginning of JSON (a stray word, an unknown character)."""
    points: list[int] = []
    in_string = escaped = False
    index = 0
    while index < len(text):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                points.append(index + 1)
        elif char == '"':
            in_string = True
        elif char in "{[}]":
            points.append(index + 1)
        elif char in ",:" or char.isspace():
            pass
        else:
            token = _SCALAR.match(text, index)
            if token is None:
                return []
            end = token.end()
            if end < len(text):  # a scalar at the very end may be cut short: never keep it
                try:
                    json.loads(token.group(0))
                except ValueError:
                    return []
                points.append(end)
            index = end
            continue
        index += 1
    return points


def _close_brackets(text: str) -> str | None:
    stack: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]":
            if not stack or stack.pop() != char:
                return None
    if in_string:
        return None
    return text + "".join(reversed(stack))


def close_truncated_json(text: str, max_tries: int = 64) -> Any:
    """Close JSON cut off mid-way (a `length` finish): cut back to the last complete value and close the
    open brackets. Never completes a half string or number, so no invented value slips in."""
    points = _safe_cut_points(text)
    for cut in reversed(points[-max_tries:]):
        if not _PARTIAL_TAIL.match(text, cut):
            break  # the text after this cut is more than a cut-off value: not a truncated JSON
        candidate = text[:cut].rstrip().rstrip(",").rstrip()
        closed = _close_brackets(candidate)
        if closed is None:
            continue
        try:
            return json.loads(closed)
        except ValueError:
            continue
    raise ValueError("could not close the truncated JSON")


def extract_json(text: str) -> Any:
    """The JSON object in a model's answer: as is; inside a code fence; cut to the outermost braces;
    with trailing commas removed; or closed where it was truncated. Raises ValueError when none works."""
    text = (text or "").strip()
    if not text:
        raise ValueError("empty answer")
    candidates = [text]
    fenced = _FENCE.search(text)
    if fenced:
        candidates.append(fenced.group(1).strip())
    start = text.find("{")
    if start >= 0:
        end = text.rfind("}")
        if end > start:
            candidates.append(text[start:end + 1])
        candidates.append(text[start:])
    for candidate in candidates:
        for variant in (candidate, re.sub(r",\s*([}\]])", r"\1", candidate)):
            try:
                return json.loads(variant)
            except ValueError:
                continue
    if start >= 0:
        return close_truncated_json(text[start:])
    raise ValueError("no JSON object in the answer")


def response_format_for(mode: str, name: str, schema: dict[str, Any], strict: bool) -> dict[str, Any] | None:
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": strict}}
    if mode == "json_object":
        return {"type": "json_object", "schema": schema}
    return None


def with_schema_instructions(messages: list[dict[str, Any]], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Prompt-only structured output: the schema goes into the system message."""
    note = load_prompt("structured_output").render("schema_instructions", schema=canonical_json(schema))
    messages = [dict(m) for m in messages]
    if messages and messages[0].get("role") == "system":
        messages[0]["content"] = f"{messages[0]['content']}\n\n{note}"
    else:
        messages.insert(0, {"role": "system", "content": note})
    return messages


def run_sync(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine from sync code, also when the caller is already inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())  # type: ignore[arg-type]
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------- client


@dataclass
class _Counters:
    http_requests: int = 0
    http_errors: int = 0
    retries: int = 0
    cache_hits: int = 0
    cache_writes: int = 0
    responses: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    repairs: int = 0
    structured_failures: int = 0
    format_fallbacks: int = 0
    rate_limit_wait_ms: int = 0
    joined_in_flight: int = 0  # identical requests that waited for one already on its way


@dataclass
class _Capabilities:
    rejected: dict[str, str] = field(default_factory=dict)  # mode -> server's complaint
    accepted: set[str] = field(default_factory=set)
    notes: dict[str, int] = field(default_factory=dict)  # e.g. prose answers to tools requests


class LLMClient:
    """One per run: holds the counters, the cache, the rate limiter and what the server accepts.

    Use `run(fn)` from sync code: it opens an HTTP session on a fresh event loop, awaits `fn()`,
    and closes the session. Inside, call `chat()` and `structured()`.
    """

    def __init__(self, settings: LLMSettings, rng_seed: int = 0) -> None:
        self.settings = settings
        self.cache = ResponseCache(settings.cache_dir)
        self.limiter = RateLimiter(settings.requests_per_minute, settings.tokens_per_minute)
        self.counters = _Counters()
        self.caps = _Capabilities()
        self._jitter = random.Random(rng_seed)  # jitter only spaces retries; it never shapes an output
        self._openai: openai.AsyncOpenAI | None = None
        self._slots: asyncio.Semaphore | None = None
        # Requests on their way, by cache key: an identical request waits for the first one instead of
        # paying for the same answer twice (concurrent dialogues often ask the same tool-agent question).
        self._in_flight: dict[str, asyncio.Event] = {}
        # The key is read from the environment here, kept private, and used only as a header.
        self.__api_key = os.environ.get("OPENAI_API_KEY") or NO_KEY
        self.base_url = settings.base_url or os.environ.get("OPENAI_BASE_URL") or None

    def __repr__(self) -> str:  # never show the key
        return f"LLMClient(model={self.settings.model!r}, base_url={self.base_url!r})"

    # --- secrets
    def redact(self, text: str | None) -> str | None:
        """Scrub the API key from text we keep (error messages a server might echo it into)."""
        if text is None:
            return None
        key = self.__api_key
        if key and key != NO_KEY and len(key) >= 6 and key in text:
            text = text.replace(key, "[redacted]")
        return text

    # --- session
    async def _open(self) -> None:
        http_client = openai.DefaultAsyncHttpx2Client(
            limits=_httpx_limits(self.settings.concurrency),
            timeout=self.settings.timeout_seconds,
        )
        self._openai = openai.AsyncOpenAI(
            api_key=self.__api_key,
            base_url=self.base_url,
            timeout=self.settings.timeout_seconds,
            max_retries=0,  # our policy, not the library's
            http_client=http_client,
        )
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
        """What the server accepted: the structured-output mode in use and any rejected modes."""
        modes = {mode: ("rejected" if mode in self.caps.rejected else
                        "accepted" if mode in self.caps.accepted else "untried")
                 for mode in STRUCTURED_MODES}
        in_use = next((m for m in STRUCTURED_MODES if m in self.caps.accepted), self._preferred_mode())
        result = {"structured_output": in_use, **{f"response_format.{m}": v for m, v in modes.items()}}
        for note, count in self.caps.notes.items():
            result[note] = str(count)
        return result

    def note(self, what: str, message: str) -> None:
        """Count a server behaviour; log it the first time only."""
        first = what not in self.caps.notes
        self.caps.notes[what] = self.caps.notes.get(what, 0) + 1
        if first:
            log.warning("LLM server %s (model %s): %s (logged once per run)", self.base_url or "default",
                        self.settings.model, message)

    # --- one request
    def build_payload(self, payload: dict[str, Any]) -> dict[str, Any]:
        body = {"model": self.settings.model, "temperature": self.settings.temperature,
                "max_tokens": self.settings.max_tokens}
        body.update({k: v for k, v in payload.items() if v is not None})
        return body

    def is_cached(self, payload: dict[str, Any]) -> bool:
        return self.cache.contains(request_key(self.build_payload(payload)))

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
                    data = json.loads(raw.content)
                    response = _parse_completion(data)
                except openai.APITimeoutError:
                    last = LLMCallError("timeout", f"no answer within {settings.timeout_seconds:g} s")
                except openai.APIConnectionError as error:
                    last = LLMCallError("connection_error", str(error) or type(error).__name__)
                except openai.APIStatusError as error:
                    status = error.status_code
                    message = self.redact(_error_text(error.body, error.message)) or ""
                    if status not in RETRYABLE_STATUS:
                        self.counters.http_errors += 1
                        if "response_format" in body and looks_like_format_rejection(status, message):
                            raise _FormatRejected(f"HTTP {status}: {message[:300]}",
                                                  bool(SCHEMA_COMPLAINT.search(message))) from None
                        raise LLMCallError("bad_request" if status in (400, 422) else "http_error",
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

    # --- structured output
    def _preferred_mode(self) -> str:
        return next(m for m in STRUCTURED_MODES if m not in self.caps.rejected)

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

    def _mark_rejected(self, mode: str, why: str) -> None:
        if mode in self.caps.rejected:
            return
        self.caps.rejected[mode] = why
        self.counters.format_fallbacks += 1
        following = next((m for m in STRUCTURED_MODES if m not in self.caps.rejected), "prompt")
        log.warning("LLM server %s rejected response_format %s (%s); falling back to %s (logged once per run)",
                    self.base_url or "default", mode, why, following)

    def _mark_accepted(self, mode: str) -> None:
        if mode not in self.caps.accepted:
            self.caps.accepted.add(mode)
            log.info("LLM server %s accepts structured output mode %s (logged once per run)",
                     self.base_url or "default", mode)

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
        mode = self._cached_mode(messages, schema, name, strict, extra) or self._preferred_mode()
        while True:
            try:
                value = await self._structured_in_mode(mode, messages, schema, name, validate, usage, strict, extra)
            except _FormatRejected as rejection:
                if rejection.this_schema_only:
                    self.note(f"schema_refused.{mode}", f"refused a {name} schema in mode {mode} ({rejection}); "
                              "that request falls back, the mode stays")
                    skipped.add(mode)
                else:
                    self._mark_rejected(mode, str(rejection))
                mode = next(m for m in STRUCTURED_MODES if m not in self.caps.rejected and m not in skipped)
                continue
            self._mark_accepted(mode)
            return value

    async def _structured_in_mode(self, mode, messages, schema, name, validate, usage, strict, extra):
        conversation = list(messages)
        raw = ""
        error = ""
        for attempt in range(self.settings.max_repairs + 1):
            payload = self._structured_payload(mode, conversation, schema, name, strict, extra)
            result = await self.chat(payload)
            usage.add(result.usage)
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
        raise LLMCallError("invalid_output", f"{name}: {error} (after {self.settings.max_repairs + 1} attempts)",
                           raw_output=self.redact(raw))


def _short_error(problem: Exception, limit: int = 600) -> str:
    text = str(problem).strip().replace("\n", " ")
    text = re.sub(r"\s+For further information visit \S+", "", text)
    return text[:limit]


def _httpx_limits(concurrency: int) -> Any:
    import httpx2

    size = max(1, concurrency)
    return httpx2.Limits(max_connections=size, max_keepalive_connections=size, keepalive_expiry=30.0)


def _parse_completion(data: dict[str, Any]) -> dict[str, Any]:
    """The parts of a chat completion we keep, normalized across servers."""
    choice = data["choices"][0]
    message = choice.get("message") or {}
    out: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
    calls = []
    for index, call in enumerate(message.get("tool_calls") or []):
        function = call.get("function") or {}
        arguments = function.get("arguments")
        if not isinstance(arguments, str):  # some servers send an object
            arguments = json.dumps(arguments if arguments is not None else {}, ensure_ascii=False)
        calls.append({"id": call.get("id") or f"call_{index}", "type": "function",
                      "function": {"name": function.get("name") or "", "arguments": arguments}})
    if calls:
        out["tool_calls"] = calls
    usage = data.get("usage") or {}
    return {
        "message": out,
        "finish_reason": choice.get("finish_reason"),
        "usage": {"prompt_tokens": int(usage.get("prompt_tokens") or 0),
                  "completion_tokens": int(usage.get("completion_tokens") or 0)},
    }
