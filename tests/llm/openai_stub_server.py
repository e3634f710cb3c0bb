"""A real OpenAI-compatible HTTP server for tests: `POST /v1/chat/completions` on 127.0.0.1.

It plays every agent of the LLM backend with scripted, schema-valid answers (stub_agents.py: the role is
read from the request: `tools` present means the assistant agent; otherwise the system prompt tells
planner, user agent, llm executor, writer and judge apart), and injects faults on demand: 429 with Retry-After, 500,
stalls past the client's timeout, truncated JSON, a llama.cpp-style rejection of `json_schema` (or
llama-cpp-python's: HTTP 500 with a pydantic validation message; see `llama_cpp_python_faults`), a server
that takes neither response_format nor tools (`plain_json_only_faults`), prose instead of tool calls or
of JSON, code fences around JSON. It counts everything, so tests can assert on requests made, and on
which request bodies got a successful answer (and how often).

Run alone for manual experiments: `python tests/llm/openai_stub_server.py --port 8765`.
"""

from __future__ import annotations

import hashlib
import json
import random
import select
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from stub_agents import (_block, assistant_answer, classify, executor_answer, judge_answer, plan_answer, user_answer,
                         writer_answer)


@dataclass
class Faults:
    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_stall: float = 0.0
    rate_truncate: float = 0.0  # of structured (JSON) answers: cut off, finish_reason "length"
    retry_after: float = 0.05
    stall_seconds: float = 1.5
    reject_json_schema: bool = False  # llama.cpp server style: 400 on response_format json_schema
    reject_json_object: bool = False
    refuse_schemas_with: str | None = None  # OpenAI style: 400 "Invalid schema" for json_schema requests
    # whose schema contains this text (one schema refused, not the mode)
    refuse_schemas_message: str | None = None  # another wording for that refusal (llama.cpp's grammar errors)
    prose_for_tools: float = 0.0  # share of tool-call requests answered with prose
    fence_json: bool = False  # wrap JSON answers in ```json fences with a line of prose (weak models)
    reject_tools: bool = False  # llama.cpp without --jinja style: 400 on the tools parameter
    echo_auth: bool = False  # put the Authorization header into error bodies (a careless proxy)
    echo_url: bool = False  # put the request's path and query into error bodies (proxies do)
    latency: float = 0.0
    # How rejections are answered: 400 with an OpenAI-style message, or as llama-cpp-python's server does,
    # HTTP 500 with its pydantic validation message (and llama.cpp's 500 for tools without --jinja).
    reject_status: int = 400
    pydantic_errors: bool = False
    garbage_structured: bool = False  # structured (JSON) requests answered with prose: a malformed answer
    writer_fault: str = ""  # llm writer (stub_agents.writer_answer): lose_once | lose_always | echo
    executor_fault: str = ""  # llm executor (stub_agents.executor_answer): contradict_once | contradict_always,
    # or "fail:<function>": HTTP 500 for every executor request whose call is that function's
    # `GET /v1/models` lists these; with `strict_models`, a chat request for another model gets vLLM's and
    # OpenAI's 404 (by default any name is served, as llama.cpp does)
    served_models: tuple[str, ...] = ("stub-model",)
    strict_models: bool = False
    api_key: str | None = None  # when set, any other key gets HTTP 401 (on every path)
    # the agent writer's model (test_agent_writer.py): request body -> assistant message (tool_calls or text);
    # None answers HTTP 500. Unset: a reply in text, no calls.
    agent: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None


def llama_cpp_python_faults(**more: Any) -> Faults:
    """Like `llama-cpp-python[server]`: `json_schema` gets HTTP 500 "Input should be 'text' or
    'json_object'"; `{"type": "json_object", "schema": ...}` and `tools` are accepted."""
    return Faults(reject_json_schema=True, reject_status=500, pydantic_errors=True, **more)


def plain_json_only_faults(**more: Any) -> Faults:
    """A server that takes neither response_format nor tools, each refused with a 500 whose body says so:
    structured output must go through the prompt (plain JSON, parsed and repaired), calls too."""
    return Faults(reject_json_schema=True, reject_json_object=True, reject_tools=True, reject_status=500,
                  pydantic_errors=True, **more)


def pydantic_literal_error(field: str, given: str, allowed: str) -> str:
    """The message llama-cpp-python's RouteErrorHandler wraps a request-validation error in (HTTP 500)."""
    return str([{"type": "literal_error", "loc": ("body", *field.split(".")), "msg": f"Input should be {allowed}",
                 "input": given, "ctx": {"expected": allowed}}])


@dataclass
class Record:
    role: str
    body_hash: str
    outcome: str  # ok | truncated | prose | garbage (answered) | 429 | 500 | stall | rejected | abandoned | stub_error
    response_format: str | None
    body: dict[str, Any] | None = None  # the request as received (for tests of what the client sends)


# ------------------------------------------------------------------------------------------ server


class StubServer:
    """Start with `with StubServer(Faults(...)) as server:`; `server.base_url` ends in /v1."""

    def __init__(self, faults: Faults | None = None, seed: int = 0, port: int = 0) -> None:
        self.faults = faults or Faults()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.records: list[Record] = []
        self.auth_headers: set[str] = set()
        self.paths: set[str] = set()  # request paths with their query, as received
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- statistics
    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.records)

    def outcomes(self) -> Counter:
        with self._lock:
            return Counter(r.outcome for r in self.records)

    def success_counts(self) -> Counter:
        """How often each request body got a 200 answer that the client could receive."""
        with self._lock:
            return Counter(r.body_hash for r in self.records if r.outcome in ("ok", "truncated", "prose", "garbage"))

    def roles(self) -> Counter:
        with self._lock:
            return Counter(r.role for r in self.records)

    def bodies(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.body for r in self.records if r.body is not None]

    # --- lifecycle
    def __enter__(self) -> "StubServer":
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> None:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the model list, as every OpenAI-compatible server has it
                if stub._refuse_key(self):
                    return
                if self.path.split("?")[0].rstrip("/") != "/v1/models":
                    return stub._send(self, 404, {"error": {"message": f"no route {self.path}"}})
                stub._send(self, 200, {"object": "list", "data": [
                    {"id": model, "object": "model", "created": 0, "owned_by": "stub"}
                    for model in stub.faults.served_models]})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    stub._handle(self, raw)
                except Exception as error:  # a bug in the stub: visible to tests, not a hang
                    stub._record("error", "", "stub_error", {})
                    stub._send(self, 500, {"error": {"message": f"stub error: {error!r}"}})

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False
            allow_reuse_address = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                import sys

                if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
                    super().handle_error(request, client_address)  # clients hanging up are normal

        self._httpd = Server(("127.0.0.1", self._port), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    # --- one request
    def _roll(self) -> float:
        with self._lock:
            return self._rng.random()

    def _record(self, role: str, body_hash: str, outcome: str, body: dict[str, Any]) -> None:
        response_format = body.get("response_format") or {}
        fmt = response_format.get("type")
        if fmt == "json_object" and "schema" in response_format:
            fmt = "json_object+schema"
        with self._lock:
            self.records.append(Record(role, body_hash, outcome, fmt, body))

    def _send(self, handler: BaseHTTPRequestHandler, status: int, payload: Any,
              headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode("utf-8")
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    @staticmethod
    def _client_gone(handler: BaseHTTPRequestHandler) -> bool:
        """The client closed the connection (it timed out) before we could answer."""
        try:
            readable, _, _ = select.select([handler.connection], [], [], 0)
            return bool(readable) and handler.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _error(self, handler, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        if self.faults.echo_auth:
            message += f" (request had Authorization: {handler.headers.get('Authorization')})"
        if self.faults.echo_url:
            message += f" (request {handler.path})"
        self._send(handler, status, {"error": {"message": message, "type": "server_error", "code": status}}, headers)

    def _reject(self, handler: BaseHTTPRequestHandler, message: str) -> None:
        """A refused request feature, in the configured server's style."""
        if self.faults.echo_url:
            message += f" (request {handler.path})"
        kind = "internal_server_error" if self.faults.reject_status >= 500 else "invalid_request_error"
        self._send(handler, self.faults.reject_status,
                   {"error": {"message": message, "type": kind, "param": None, "code": None}})

    def _refuse_key(self, handler: BaseHTTPRequestHandler) -> bool:
        """Answer 401 (OpenAI's wording) when a key is required and the request's is another one."""
        if self.faults.api_key is None or handler.headers.get("Authorization") == f"Bearer {self.faults.api_key}":
            return False
        self._send(handler, 401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                                            "code": "invalid_api_key"}})
        return True

    def _handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        faults = self.faults
        if self._refuse_key(handler):
            return
        body = json.loads(raw)
        if faults.strict_models and body.get("model") not in faults.served_models:
            return self._send(handler, 404, {"error": {"message": f"The model `{body.get('model')}` does not exist.",
                                                       "type": "invalid_request_error", "code": "model_not_found"}})
        body_hash = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        role = classify(body)
        with self._lock:
            self.auth_headers.add(handler.headers.get("Authorization") or "")
            self.paths.add(handler.path)
        if faults.latency:
            time.sleep(faults.latency)
        fmt = (body.get("response_format") or {}).get("type")
        if fmt == "json_schema" and faults.reject_json_schema:
            self._record(role, body_hash, "rejected", body)
            if faults.pydantic_errors:
                allowed = "'text'" if faults.reject_json_object else "'text' or 'json_object'"
                return self._reject(handler, pydantic_literal_error("response_format.type", fmt, allowed))
            return self._reject(handler, "response_format: type 'json_schema' is not supported; use 'json_object'"
                                " with a schema")
        if fmt == "json_schema" and faults.refuse_schemas_with and \
                faults.refuse_schemas_with in json.dumps(body["response_format"]["json_schema"]["schema"]):
            self._record(role, body_hash, "rejected", body)
            return self._send(handler, 400, {"error": {
                "message": faults.refuse_schemas_message or "Invalid schema for response_format 'tool_response': In "
                "context=(), 'additionalProperties' is required to be supplied and to be false.",
                "type": "invalid_request_error", "param": "response_format"}})
        if body.get("tools") and faults.reject_tools:
            self._record(role, body_hash, "rejected", body)
            return self._reject(handler, "tools param requires --jinja flag")
        if fmt == "json_object" and faults.reject_json_object:
            self._record(role, body_hash, "rejected", body)
            if faults.pydantic_errors:
                return self._reject(handler, pydantic_literal_error("response_format.type", fmt, "'text'"))
            return self._reject(handler, "unsupported response_format json_object")
        roll = self._roll()
        if roll < faults.rate_429:
            self._record(role, body_hash, "429", body)
            return self._error(handler, 429, "rate limit reached", {"Retry-After": f"{faults.retry_after:g}"})
        roll -= faults.rate_429
        if roll < faults.rate_500:
            self._record(role, body_hash, "500", body)
            return self._error(handler, 500, "internal error")
        roll -= faults.rate_500
        if roll < faults.rate_stall:
            self._record(role, body_hash, "stall", body)
            time.sleep(faults.stall_seconds)
            return self._error(handler, 503, "stalled")  # the client gave up long ago
        if role == "executor" and faults.executor_fault.startswith("fail:") and \
                _block("tool_call", body["messages"][1]["content"])["function"]["name"] == faults.executor_fault[5:]:
            self._record(role, body_hash, "500", body)
            return self._error(handler, 500, "the tool agent crashed")
        rng = random.Random(body_hash)
        structured = role in ("planner", "writer", "executor")
        outcome = "ok"
        message: dict[str, Any]
        finish = "stop"
        if role == "agent":
            message = faults.agent(body) if faults.agent else {"role": "assistant", "content": "Happy to help."}
            if message is None:
                self._record(role, body_hash, "500", body)
                return self._error(handler, 500, "internal error")
            finish = "tool_calls" if message.get("tool_calls") else "stop"
            if message.get("tool_calls") and not body.get("tools"):  # calls as text, as a prompted model writes them
                calls = [{"name": c["function"]["name"], "arguments": json.loads(c["function"]["arguments"])}
                         for c in message["tool_calls"]]
                message, finish = {"role": "assistant", "content": json.dumps({"tool_calls": calls})}, "stop"
        elif role == "assistant":
            if body["messages"] and "call_tools" in body["messages"][0]["content"] and \
                    _block("turn_plan", body["messages"][0]["content"])["step"] == "call_tools" and \
                    self._roll() < faults.prose_for_tools:
                outcome = "prose"
                message = {"role": "assistant", "content": "Sure, I can look into that for you."}
            else:
                message = assistant_answer(body, rng)
                finish = "tool_calls" if message.get("tool_calls") else "stop"
                if message.get("tool_calls") and not body.get("tools"):  # calls as text
                    calls = [{"name": c["function"]["name"], "arguments": json.loads(c["function"]["arguments"])}
                             for c in message["tool_calls"]]
                    text = json.dumps({"tool_calls": calls})
                    if faults.fence_json:
                        text = f"```json\n{text}\n```"
                    message, finish = {"role": "assistant", "content": text}, "stop"
        elif role == "user":
            message = {"role": "assistant", "content": user_answer(body)}
        elif role == "judge":
            message = {"role": "assistant", "content": judge_answer(body)}
        elif structured:
            value = plan_answer(body, rng) if role == "planner" else \
                writer_answer(body, faults.writer_fault) if role == "writer" else \
                executor_answer(body, rng, faults.executor_fault)
            text = json.dumps(value)
            if faults.garbage_structured:
                outcome = "garbage"
                text = "I would rather tell you about it in words."
            elif self._roll() < faults.rate_truncate:
                outcome = "truncated"
                text = text[: max(1, int(len(text) * (0.3 + 0.5 * rng.random())))]
                finish = "length"
            if faults.fence_json:
                text = f"Here is the JSON:\n```json\n{text}\n```"
            message = {"role": "assistant", "content": text}
        else:
            message = {"role": "assistant", "content": "I am not sure what you want."}
        if self._client_gone(handler):
            outcome = "abandoned"  # an answer nobody will read is not a successful response
        self._record(role, body_hash, outcome, body)
        completion = len(json.dumps(message)) // 4
        self._send(handler, 200, {
            "id": f"chatcmpl-{body_hash[:12]}", "object": "chat.completion", "created": 0,
            "model": body.get("model"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": len(raw) // 4, "completion_tokens": completion,
                      "total_tokens": len(raw) // 4 + completion},
        })


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = StubServer(port=args.port)
    server.start()
    print(f"serving on {server.base_url}; Ctrl-C to stop")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
