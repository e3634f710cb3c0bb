"""Requests in the server's negotiated dialect (see dialect.py): structured output and tool calls.

`NegotiatedCalls` is the part of `LLMClient` that decides *how* to ask; the client's transport (`chat`:
cache, retries, rate limits) decides nothing about dialects. Per request: use the mode whose answer is
already cached (a warm rerun asks the server nothing), else the best mode not refused; while a mode is
untried, one request probes it and the others wait. Structured answers are extracted, repaired and
validated here (json_repair.py), the model is asked again with the error, and the answers of an item that
still fails are dropped from the cache (`forget`), so a rerun against a healthy server can recover it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from .cache import request_key
from .dialect import STRUCTURED_MODES, FeatureRejected, response_format_for, with_schema_instructions
from .json_repair import extract_json
from .transport import ChatResult, LLMCallError, Usage
from .templates import structured_output_prompt

if TYPE_CHECKING:
    from .client import LLMClient

T = TypeVar("T")


class NegotiatedCalls:
    """Mixed into LLMClient: `structured()` and `chat_with_tools()` over its `chat()`."""

    async def chat_with_tools(self: LLMClient, native: dict[str, Any], prompted: dict[str, Any],
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
                # One tool's schema, not the parameter (the server said so, or it took the parameter before):
                # this request only.
                if rejection.this_schema_only or "native" in tools.accepted:
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

    def _structured_payload(self: LLMClient, mode: str, messages: list[dict[str, Any]], schema: dict[str, Any],
                            name: str, strict: bool, extra: dict[str, Any]) -> dict[str, Any]:
        if mode == "prompt":
            messages = with_schema_instructions(messages, schema)
        return {**extra, "messages": messages, "response_format": response_format_for(mode, name, schema, strict)}

    def _cached_mode(self: LLMClient, messages, schema, name, strict, extra) -> str | None:
        """The mode whose first request is already cached, so a warm rerun never asks the server which
        modes it takes (a rejection is not cached, a cached answer is)."""
        for mode in STRUCTURED_MODES:
            body = self.build_payload(self._structured_payload(mode, messages, schema, name, strict, extra))
            if self.cache.contains(request_key(body)):
                return mode
        return None

    async def structured(
        self: LLMClient,
        messages: list[dict[str, Any]],
        schema: dict[str, Any],
        name: str,
        validate: Callable[[Any], T],
        usage: Usage,
        *,
        strict: bool = False,
        extra: dict[str, Any] | None = None,
        max_repairs: int | None = None,
    ) -> T:
        """Ask for JSON matching `schema` and return `validate(parsed)`.

        `validate` raises (ValueError or pydantic's ValidationError) with a message the model can act on;
        the model then gets that message and another try, `max_repairs` times (this call's cap, else the
        client's setting: a role sharing the client may want fewer). Raises LLMCallError (`invalid_output`,
        with the last raw answer) when no attempt yields a valid value.
        """
        repairs = self.settings.max_repairs if max_repairs is None else max_repairs
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
                return await self._structured_in_mode(mode, messages, schema, name, validate, usage, strict, extra,
                                                     repairs)
            except FeatureRejected as rejection:
                if rejection.feature != "response_format":
                    raise
                # A mode the server has answered before is supported: a refusal now is about this schema.
                if rejection.this_schema_only or mode in self.formats.accepted:
                    self.note(f"schema_refused.{mode}", f"refused a {name} schema in mode {mode} ({rejection}); "
                              "that request falls back, the mode stays")
                    skipped.add(mode)
                elif self.formats.reject(mode, rejection.detail):
                    self.counters.format_fallbacks += 1
                mode = None
            finally:
                if probe is not None:
                    self.formats.release(probe)  # no verdict (e.g. the server was down): another request probes

    async def _structured_in_mode(self: LLMClient, mode, messages, schema, name, validate, usage, strict, extra,
                                  repairs):
        conversation = list(messages)
        raw = ""
        error = ""
        keys: list[str] = []
        for attempt in range(repairs + 1):
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
            if attempt < repairs:
                self.counters.repairs += 1
                repair = structured_output_prompt().render("repair", error=error)
                conversation = conversation + [{"role": "assistant", "content": raw},
                                               {"role": "user", "content": repair}]
        self.counters.structured_failures += 1
        self.forget(keys)  # not final: a rerun against a healthy server asks again
        raise LLMCallError("invalid_output", f"{name}: {error} (after {repairs + 1} attempts)",
                           raw_output=self.redact(raw))


def _short_error(problem: Exception, limit: int = 600) -> str:
    text = str(problem).strip().replace("\n", " ")
    text = re.sub(r"\s+For further information visit \S+", "", text)
    return text[:limit]
