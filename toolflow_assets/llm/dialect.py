"""Server dialects: which request features a server accepts, learned once per run and remembered.

OpenAI-compatible servers differ in two features the backend needs:
- structured output: `response_format: json_schema` (OpenAI, vLLM), else `{"type": "json_object",
  "schema": {...}}` (llama-cpp-python's server, llama.cpp), else the schema in the prompt and the JSON
  parsed and repaired from plain text (`prompt`, which every server takes);
- tools: the native `tools` parameter, else the functions in the prompt and the calls parsed from the
  answer (`prompt`).

A server says "no" to a feature with an error whose body names it. The status is not a reliable signal:
llama-cpp-python answers `json_schema` with HTTP **500** and a pydantic validation message ("Input
should be 'text' or 'json_object'"), llama.cpp answers `tools` without `--jinja` with a 500 too. So
`rejection_of` reads the body: a 4xx or 5xx that rejects the request's `response_format` or `tools` is
"unsupported", and the client falls back at once instead of retrying a request that cannot succeed.

Negotiation. Each feature is a `Negotiation`: modes in order of preference and the verdict on each.
While a mode is untried, one request probes it and the others of the run wait for the verdict (so a
server that rejects a mode sees exactly one rejected request, not one per request in flight); after
that every request goes straight to the mode in use. The last mode needs no probe: it asks nothing of
the server. A probe that ends without a verdict (the server was down) lets the next request probe.
Clients of one process that share server, model and cache folder (the steps of an in-process run such
as `toolflow run`) share the verdicts, so the run probes each mode once, not once per step.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from ..tools import canonical_json
from .transport import LLMCallError
from .templates import structured_output_prompt

log = logging.getLogger("toolflow.llm")

STRUCTURED_MODES = ("json_schema", "json_object", "prompt")
TOOLS_MODES = ("native", "prompt")

# Words that tie an error to the request's response format / tools. 4xx: any of these will do (a 4xx is
# about the request anyway); 5xx: only the parameter's own names, and only with a refusal phrase, so an
# ordinary crash that happens to say "format" stays transient.
_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object|schema|grammar|format", re.IGNORECASE)
_FORMAT_NAMES = re.compile(r"response_format|json_schema", re.IGNORECASE)
_TOOLS_WORDS = re.compile(r"\btools?\b|tool_choice|tool.call|function", re.IGNORECASE)
_TOOLS_NAMES = re.compile(r"\btools\b|tool_choice|--jinja", re.IGNORECASE)
_REFUSAL = re.compile(
    r"input should be|literal_error|validation error|not supported|unsupported|must be one of|not implemented"
    r"|not permitted|not allowed|extra inputs|unrecognized|unknown (?:field|parameter|argument)|requires"
    r"|invalid|expected", re.IGNORECASE)
# A pydantic / FastAPI request-validation message: the request is wrong, retrying it cannot help, whatever
# the status (llama-cpp-python wraps these in a 500).
_VALIDATION = re.compile(r"literal_error|input should be|field required|extra inputs are not permitted"
                         r"|validation error|'loc': \('body'", re.IGNORECASE)
SCHEMA_COMPLAINT = re.compile(r"invalid schema|schema is invalid|invalid json schema", re.IGNORECASE)


class FeatureRejected(LLMCallError):
    """The server refused a request feature (`response_format` or `tools`), not the request as such.

    `this_schema_only` when it objected to this one schema (OpenAI's "Invalid schema for
    response_format"), not to the feature: then only this request falls back and the mode stays in use.
    A subclass of LLMCallError (reason `unsupported`), so a caller outside the negotiation that lets it
    through still gets a row failure, never a crash."""

    def __init__(self, feature: str, status: int | None, message: str, this_schema_only: bool) -> None:
        super().__init__("unsupported", f"HTTP {status}: {message[:300]}", status=status)
        self.feature = feature
        self.this_schema_only = this_schema_only


# statuses that say nothing about the request's shape: auth, not found, timeout, conflict, rate limit
_NOT_A_REFUSAL = (401, 403, 404, 408, 409, 425, 429)


def _refuses(status: int | None, message: str, words: re.Pattern[str], names: re.Pattern[str]) -> bool:
    """A 4xx whose message names the feature, or a 5xx that names it and says it is refused."""
    if status is None:
        return False
    if 400 <= status < 500:
        return status not in _NOT_A_REFUSAL and bool(words.search(message))
    return bool(names.search(message) and _REFUSAL.search(message))


def looks_like_format_rejection(status: int | None, message: str) -> bool:
    """A 4xx, or a 5xx that says it refuses the response format (llama-cpp-python's validation 500)."""
    return _refuses(status, message, _FORMAT_WORDS, _FORMAT_NAMES)


def looks_like_tools_rejection(status: int | None, message: str) -> bool:
    return _refuses(status, message, _TOOLS_WORDS, _TOOLS_NAMES)


def rejection_of(status: int | None, message: str, body: dict[str, Any]) -> FeatureRejected | None:
    """The feature a failed request was refused for, or None when the error is about something else."""
    schema_only = bool(SCHEMA_COMPLAINT.search(message))
    if body.get("response_format") and looks_like_format_rejection(status, message):
        return FeatureRejected("response_format", status, message, schema_only)
    if body.get("tools") and looks_like_tools_rejection(status, message):
        return FeatureRejected("tools", status, message, schema_only)
    return None


def is_request_validation_error(message: str) -> bool:
    """A server's request-validation complaint, whatever its status: not transient."""
    return bool(_VALIDATION.search(message))


# ------------------------------------------------------------------------------------ request shapes


def response_format_for(mode: str, name: str, schema: dict[str, Any], strict: bool) -> dict[str, Any] | None:
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": strict}}
    if mode == "json_object":
        return {"type": "json_object", "schema": schema}
    return None


def with_schema_instructions(messages: list[dict[str, Any]], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Prompt-only structured output: the schema goes into the system message."""
    note = structured_output_prompt().render("schema_instructions", schema=canonical_json(schema))
    messages = [dict(m) for m in messages]
    if messages and messages[0].get("role") == "system":
        messages[0]["content"] = f"{messages[0]['content']}\n\n{note}"
    else:
        messages.insert(0, {"role": "system", "content": note})
    return messages


# ------------------------------------------------------------------------------------- negotiation


# Verdicts by (server URL, model, cache folder, feature), for Negotiation.shared.
_VERDICTS: dict[tuple[str, ...], tuple[dict[str, str], set[str]]] = {}


@dataclass
class Negotiation:
    """One feature's modes, best first, and what the server said of each in this run."""

    feature: str
    modes: tuple[str, ...]
    server: str = "default"  # the server, redacted, for log lines
    rejected: dict[str, str] = field(default_factory=dict)  # mode -> the server's complaint
    accepted: set[str] = field(default_factory=set)
    probes: int = 0  # requests that tried an untried mode
    _probing: dict[str, asyncio.Event] = field(default_factory=dict)

    def preferred(self, skip: set[str] | frozenset[str] = frozenset()) -> str:
        """The best mode not rejected (and not skipped for this request); the last mode always remains."""
        return next((m for m in self.modes if m not in self.rejected and m not in skip), self.modes[-1])

    def in_use(self) -> str:
        return next((m for m in self.modes if m in self.accepted), self.preferred())

    def verdict(self, mode: str) -> str:
        return "rejected" if mode in self.rejected else "accepted" if mode in self.accepted else "untried"

    async def claim(self, mode: str) -> bool:
        """Before sending in `mode`: True when this request is the probe for an untried mode (it must
        then call `accept`, `reject` or `release`). Waits while another request probes the mode."""
        while mode != self.modes[-1] and mode not in self.accepted and mode not in self.rejected:
            pending = self._probing.get(mode)
            if pending is None:
                self._probing[mode] = asyncio.Event()
                self.probes += 1
                return True
            await pending.wait()
        return False

    def release(self, mode: str) -> None:
        """End a probe (idempotent): waiters re-check, and one of them probes again if still untried."""
        pending = self._probing.pop(mode, None)
        if pending is not None:
            pending.set()

    def accept(self, mode: str) -> None:
        if mode not in self.accepted:
            self.accepted.add(mode)
            log.info("LLM server %s accepts %s mode %s (logged once per run)", self.server, self.feature, mode)
        self.release(mode)

    def reject(self, mode: str, why: str) -> bool:
        """Record a refusal; True the first time (the caller counts it), so it is logged once."""
        first = mode not in self.rejected
        if first:
            self.rejected[mode] = why
            log.warning("LLM server %s rejected %s %s (%s); falling back to %s (logged once per run)",
                        self.server, self.feature, mode, why[:300], self.preferred())
        self.release(mode)
        return first

    @classmethod
    def shared(cls, scope: tuple[str, ...] | None, feature: str, modes: tuple[str, ...], server: str) -> "Negotiation":
        """A negotiation whose verdicts are shared by every client of the process with the same `scope`
        (server, model and cache folder: the steps of one in-process run), so a run learns each verdict
        once. The probes in flight stay per client (their events belong to its event loop). No scope:
        verdicts of this client only."""
        if scope is None:
            return cls(feature, modes, server)
        rejected, accepted = _VERDICTS.setdefault((*scope, feature), ({}, set()))
        return cls(feature, modes, server, rejected=rejected, accepted=accepted)

    def describe(self, in_use_key: str, prefix: str) -> dict[str, str]:
        """`{in_use_key: mode in use, <prefix>.<mode>: accepted|rejected|untried, ...}`, with the server's
        complaint beside each refused mode: what `server_capabilities` shows."""
        out = {in_use_key: self.in_use()}
        for mode in self.modes:
            out[f"{prefix}.{mode}"] = self.verdict(mode)
            if mode in self.rejected:
                out[f"{prefix}.{mode}.why"] = self.rejected[mode][:200]
        return out
