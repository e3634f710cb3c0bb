"""The client's transport: its settings, what a request returns, error codes, the retry and rate-limit
policy's pure parts, and reading a completion. No state of a run lives here (that is the client's), so each part is unit-tested alone.

Which statuses are transient is decided here, but not alone: a status in `RETRYABLE_STATUS` whose body
says the request itself is unacceptable (see dialect.rejection_of) is never retried.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, TypeVar

from ..tools import canonical_json

T = TypeVar("T")

RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529}


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

    def merge(self, other: "Usage") -> None:
        """Another item's (or role's) usage counted into this one."""
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.requests += other.requests

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


class LLMCallError(Exception):
    """A request that could not produce a usable answer. `reason` is a short code for failure tables
    (e.g. `rate_limited`, `timeout`, `server_error`, `bad_request`, `unsupported`, `invalid_output`)."""

    def __init__(self, reason: str, detail: str, *, status: int | None = None, raw_output: str | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.status = status
        self.raw_output = raw_output


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


def error_text(body: Any, fallback: str) -> str:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("message") or inner)
        return str(inner)
    if body:
        return str(body)
    return fallback


def run_sync(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine from sync code, also when the caller is already inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())  # type: ignore[arg-type]
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()  # type: ignore[arg-type]


def httpx_limits(concurrency: int) -> Any:
    import httpx2

    size = max(1, concurrency)
    return httpx2.Limits(max_connections=size, max_keepalive_connections=size, keepalive_expiry=30.0)


def parse_completion(data: dict[str, Any]) -> dict[str, Any]:
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
