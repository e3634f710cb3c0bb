"""A real OpenAI-compatible HTTP server for tests: `POST /v1/chat/completions` on 127.0.0.1.

It plays every agent of the LLM backend with scripted, schema-valid answers (the role is read from the
request: `tools` present means the assistant agent; otherwise the system prompt tells planner, user agent
and tool agent apart), and injects faults on demand: 429 with Retry-After, 500, stalls past the client's
timeout, truncated JSON, a llama.cpp-style rejection of `json_schema` (or llama-cpp-python's: HTTP 500 with
a pydantic validation message; see `llama_cpp_python_faults`), a server that takes neither response_format
nor tools (`plain_json_only_faults`), prose instead of tool calls or of JSON, code fences around JSON. It counts everything, so tests can assert on requests made, and on which request
bodies got a successful answer (and how often).

Run alone for manual experiments: `python tests/llm/openai_stub_server.py --port 8765`.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import select
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from toolflow_assets.generation.prompts import load_prompt


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


def llama_cpp_python_faults(**more: Any) -> Faults:
    """Like `llama-cpp-python[server]`: `json_schema` gets HTTP 500 "Input should be 'text' or
    'json_object'"; `{"type": "json_object", "schema": ...}` and `tools` are accepted."""
    return Faults(reject_json_schema=True, reject_status=500, pydantic_errors=True, **more)


def plain_json_only_faults(**more: Any) -> Faults:
    """A server that takes neither response_format nor tools, each refused with a 500 whose body says so:
    structured output must go through the prompt (plain JSON, parsed and repaired), calls too."""
    return Faults(reject_json_schema=True, reject_json_object=True, reject_tools=True, reject_status=500,
                  pydantic_errors=True, **more)


def _pydantic_literal_error(field: str, given: str, allowed: str) -> str:
    """The message llama-cpp-python's RouteErrorHandler wraps a request-validation error in (HTTP 500)."""
    return str([{"type": "literal_error", "loc": ("body", *field.split(".")), "msg": f"Input should be {allowed}",
                 "input": given, "ctx": {"expected": allowed}}])


@dataclass
class Record:
    role: str
    body_hash: str
    outcome: str  # ok | truncated | prose | garbage (answered) | 429 | 500 | stall | rejected | abandoned | stub_error
    response_format: str | None


def _prefix(text: str) -> str:
    return text.split("$", 1)[0][:120]


_ROLE_PREFIXES = {
    "planner": _prefix(load_prompt("planner").sections["system"]),
    "user": _prefix(load_prompt("user_agent").sections["system"]),
    "tool": _prefix(load_prompt("tool_agent").sections["system"]),
}


def classify(body: dict[str, Any]) -> str:
    if body.get("tools"):
        return "assistant"
    messages = body.get("messages") or []
    system = messages[0].get("content", "") if messages and messages[0].get("role") == "system" else ""
    if "\n<turn_plan>\n" in system:
        return "assistant"  # tools in the prompt, for a server that refuses the tools parameter
    for role, prefix in _ROLE_PREFIXES.items():
        if system.startswith(prefix):
            return role
    return "unknown"


def _block(tag: str, text: str) -> Any:
    match = re.search(rf"^<{tag}>$(.*?)^</{tag}>$", text, re.DOTALL | re.MULTILINE)
    if not match:
        raise ValueError(f"no <{tag}> block")
    return json.loads(match.group(1))


# ---------------------------------------------------------------------------------- value synthesis


def synth(schema: Any, name: str = "value", rng: random.Random | None = None) -> Any:
    """A value that satisfies a simple JSON Schema (the kinds our fixtures and corpora use)."""
    rng = rng or random.Random(0)
    if not isinstance(schema, dict):
        return f"{name}-value"
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            options = [s for s in schema[key] if isinstance(s, dict) and s.get("type") != "null"]
            return synth(options[0] if options else schema[key][0], name, rng)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind is None and "properties" in schema:
        kind = "object"
    if kind == "object":
        props = schema.get("properties") or {}
        return {key: synth(sub, key, rng) for key, sub in props.items()}
    if kind == "array":
        return [synth(schema.get("items") or {"type": "string"}, name, rng)]
    if kind == "integer":
        low = int(schema.get("minimum", 1))
        return low + rng.randint(0, 5)
    if kind == "number":
        return float(schema.get("minimum", 1)) + 0.5
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "date":
        return "2025-03-14"
    if fmt == "email":
        return "ana@example.com"
    return f"{name}-{rng.randint(10, 99)}"


def _set_path(target: dict[str, Any], path: str, value: Any) -> None:
    parts = [p for p in path.split(".") if p]
    current: Any = target
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(current, list):
            current = current[0] if current else current
            if not isinstance(current, dict):
                return
        if last:
            current.setdefault(part, value)
        else:
            current = current.setdefault(part, {})


# ------------------------------------------------------------------------------------ role answers


def plan_answer(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    sample = _block("sample", body["messages"][1]["content"])
    tools = {t["name"]: t for t in sample["tools"]}
    order = [n for n in sample.get("suggested_order") or [] if n in tools] or list(tools)
    for name in tools:
        if name not in order:
            order.append(name)
    flows = sample.get("data_flows") or []
    made: list[tuple[str, str]] = []  # (call id, tool)

    def call(turn: int, number: int, tool_name: str) -> dict[str, Any]:
        tool = tools[tool_name]
        arguments = []
        params = (tool.get("parameters") or {}).get("properties") or {}
        for param in (tool.get("parameters") or {}).get("required") or []:
            flow = next((f for f in flows if f["to_tool"] == tool_name and f["input_param"] == param
                         and any(t == f["from_tool"] for _, t in made)), None)
            if flow:
                source_id = next(cid for cid, t in made if t == flow["from_tool"])
                arguments.append({"name": param, "source": "tool_output", "value": None,
                                  "call_id": source_id, "field": flow["output_field"]})
            else:
                arguments.append({"name": param, "source": "user", "value": synth(params.get(param), param, rng),
                                  "call_id": None, "field": None})
        call_id = f"t{turn}c{number}"
        made.append((call_id, tool_name))
        return {"call_id": call_id, "tool": tool_name, "arguments": arguments}

    turns = [{"intent": "Say hello and explain the trip they are planning", "needs_tools": False,
              "chat_kind": "greeting", "calls": []}]
    turns.append({"intent": "Ask for the first piece of information", "needs_tools": True, "chat_kind": None,
                  "calls": [call(2, 1, order[0])]})
    if len(order) > 1:
        turns.append({"intent": "Follow up on that result and ask for the next step", "needs_tools": True,
                      "chat_kind": None, "calls": [call(3, n, name) for n, name in enumerate(order[1:3], start=1)]})
    turns.append({"intent": "Thank the assistant", "needs_tools": False, "chat_kind": "thanks", "calls": []})
    return {"scenario": "A traveller organising a short trip.", "turns": turns}


def user_answer(body: dict[str, Any]) -> str:
    data = _block("conversation", body["messages"][1]["content"])
    step = data["next_message"]
    values = step.get("values_to_mention") or {}
    text = ("Hi! " if step.get("is_first_message") else "") + step["intent"].rstrip(".") + "."
    if values:
        text += " " + ", ".join(f"the {k} is {v}" for k, v in values.items()) + "."
    return text


def assistant_answer(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    plan = _block("turn_plan", body["messages"][0]["content"])
    if plan["step"] != "call_tools":
        return {"role": "assistant", "content": "Here is what I found for you." if plan["step"] == "answer"
                else "Happy to help with that!"}
    if body.get("tools"):
        offered = {t["function"]["name"]: t["function"] for t in body["tools"]}
    else:
        offered = {f["name"]: f for f in _block("functions", body["messages"][0]["content"])}
    calls = []
    for index, planned in enumerate(plan["calls"]):
        function = offered[planned["function"]]
        params = function.get("parameters") or {}
        arguments = dict(planned.get("arguments") or {})
        for required in params.get("required") or []:
            arguments.setdefault(required, synth((params.get("properties") or {}).get(required), required, rng))
        calls.append({"id": f"call_{rng.randint(1000, 9999)}_{index}", "type": "function",
                      "function": {"name": planned["function"], "arguments": json.dumps(arguments)}})
    return {"role": "assistant", "content": None, "tool_calls": calls}


def _schema_of(body: dict[str, Any]) -> dict[str, Any] | None:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["schema"]
    if fmt.get("type") == "json_object":
        return fmt.get("schema")
    return None


def tool_answer(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    data = _block("tool_call", body["messages"][1]["content"])
    schema = _schema_of(body) or data["function"].get("returns") or {"type": "object"}
    value = synth(schema, "result", rng)
    if not isinstance(value, dict):
        value = {"result": value}
    target = value["result"] if "result" in value and isinstance(value["result"], dict) else value
    for key, arg in (data.get("arguments") or {}).items():
        if key in target and type(target[key]) is type(arg):
            target[key] = arg  # consistent with the call
    for path in data.get("fields_needed_later") or []:
        _set_path(target, path, f"{path.replace('.', '-')}-{rng.randint(100, 999)}")
    if not value:
        value = {"status": "ok"}
    return value


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
            self.records.append(Record(role, body_hash, outcome, fmt))

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

    def _handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        faults = self.faults
        body = json.loads(raw)
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
                return self._reject(handler, _pydantic_literal_error("response_format.type", fmt, allowed))
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
                return self._reject(handler, _pydantic_literal_error("response_format.type", fmt, "'text'"))
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
        rng = random.Random(body_hash)
        structured = role in ("planner", "tool")
        outcome = "ok"
        message: dict[str, Any]
        finish = "stop"
        if role == "assistant":
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
        elif structured:
            value = plan_answer(body, rng) if role == "planner" else tool_answer(body, rng)
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
