"""Rendering exported records through real tool-calling chat templates, and reading the calls back.

What a trainer does with an `hf` record is `apply_chat_template(messages, tools=tools)`; transformers runs
`render_jinja_template` for it (no torch needed). The export renders every record through the bundled
templates (templates/SOURCES.md), parses the calls out of the text and compares them with the record's
calls, so the dataset card states measured facts, not hopes. transformers is optional: without it the
check is skipped and the card says so.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Callable, Iterable, MutableMapping

TEMPLATE_DIR = "templates"


def _xml_calls(text: str) -> list[dict[str, Any]]:
    # only assistant turns: the system prompt shows a <tool_call> example that is not JSON
    turns = re.findall(r"<\|im_start\|>assistant(.*?)<\|im_end\|>", text, re.DOTALL)
    calls = [json.loads(body) for turn in turns
             for body in re.findall(r"<tool_call>\n(.*?)\n</tool_call>", turn, re.DOTALL)]
    return [{"name": c.get("name"), "arguments": c.get("arguments")} for c in calls]


def _llama_calls(text: str) -> list[dict[str, Any]]:
    pattern = r"<\|start_header_id\|>assistant<\|end_header_id\|>\n\n(\{\"name\": .*?)<\|eot_id\|>"
    calls = [json.loads(body) for body in re.findall(pattern, text, re.DOTALL)]
    return [{"name": c.get("name"), "arguments": c.get("parameters")} for c in calls]


def _mistral_calls(text: str) -> list[dict[str, Any]]:
    calls = [c for body in re.findall(r"\[TOOL_CALLS\](\[.*?\])</s>", text, re.DOTALL) for c in json.loads(body)]
    return [{"name": c.get("name"), "arguments": c.get("arguments")} for c in calls]


@dataclass(frozen=True)
class Template:
    name: str
    file: str
    label: str
    tokens: dict[str, str]  # special tokens the template reads (bos_token, eos_token)
    parse_calls: Callable[[str], list[dict[str, Any]]]
    keeps_text_beside_calls: bool  # whether the assistant's words in a message with calls are rendered
    tool_result: Callable[[str], str] = lambda content: content  # how a tool message's text appears
    keeps_system: bool = True  # Mistral Nemo's shows the system message only when a user turn ends the chat

    def leaves_out(self) -> list[str]:
        return [what for what, kept in (("the words beside a call", self.keeps_text_beside_calls),
                                        ("the system message", self.keeps_system)) if not kept]

    def text(self) -> str:
        return resources.files(__package__).joinpath(TEMPLATE_DIR, self.file).read_text(encoding="utf-8")


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("qwen2.5", "qwen2.5.jinja", "ChatML / Qwen2.5 (<tool_call>)", {}, _xml_calls, True),
    Template("hermes3", "hermes3.jinja", "Hermes 3 (<tool_call>)", {"bos_token": "<|begin_of_text|>"},
             _xml_calls, False),
    # Llama 3.1's template applies tojson to a string result (Jinja counts a string as iterable)
    Template("llama3.1", "llama3.1.jinja", "Llama 3.1 JSON tool calling", {"bos_token": "<|begin_of_text|>"},
             _llama_calls, False, lambda content: json.dumps(content, ensure_ascii=False)),
    Template("mistral-nemo", "mistral-nemo.jinja", "Mistral Nemo ([TOOL_CALLS])",
             {"bos_token": "<s>", "eos_token": "</s>"}, _mistral_calls, False, keeps_system=False),
)}


def render(record: dict[str, Any], template: Template) -> str:
    """The training text of one `hf` record, as `apply_chat_template(messages, tools=tools)` renders it."""
    from transformers.utils.chat_template_utils import render_jinja_template

    rendered, _ = render_jinja_template(conversations=[record["messages"]], tools=record["tools"],
                                        chat_template=template.text(), **template.tokens)
    return rendered[0]


def record_calls(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The calls of a record in order, arguments as objects (either flavor)."""
    calls = []
    for message in record["messages"]:
        for call in message.get("tool_calls") or []:
            arguments = call["function"]["arguments"]
            calls.append({"name": call["function"]["name"],
                          "arguments": json.loads(arguments) if isinstance(arguments, str) else arguments})
    return calls


def expected_texts(record: dict[str, Any], template: Template) -> list[str]:
    """The words a rendering must contain: system, user and tool texts, and the assistant's words (those
    beside a call only where the template keeps them)."""
    texts = []
    for message in record["messages"]:
        content = message.get("content") or ""
        if message["role"] == "tool":
            texts.append(template.tool_result(content))
        elif message["role"] == "system" and not template.keeps_system:
            continue
        elif message["role"] != "assistant" or not message.get("tool_calls") or template.keeps_text_beside_calls:
            texts.append(content.strip())
    return [t for t in texts if t]


def round_trip_error(record: dict[str, Any], template: Template) -> str | None:
    """None when the record renders, its calls read back equal (arguments as objects, not strings) and
    every text of the record is in the rendering; else why not."""
    try:
        text = render(record, template)
    except Exception as problem:  # noqa: BLE001 - a template's raise_exception is the answer we want to record
        return f"render: {str(problem)[:200]}"
    try:
        parsed = template.parse_calls(text)
    except json.JSONDecodeError as problem:
        return f"parse: {problem}"
    expected = record_calls(record)
    if parsed != expected:
        return f"calls differ: rendered {parsed[:2]} vs record {expected[:2]}"
    missing = [t for t in expected_texts(record, template) if t not in text]
    if missing:
        return f"text missing from the rendering: {missing[0][:120]!r}"
    return None


def renderer_available() -> bool:
    try:
        from transformers.utils.chat_template_utils import render_jinja_template  # noqa: F401
    except ImportError:
        return False
    return True


def record_key(record: dict[str, Any]) -> str:
    """A record's content hash: the key of its remembered verdicts (same record, same verdict)."""
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def check_templates(records: Iterable[dict[str, Any]], templates: Iterable[str] = tuple(TEMPLATES),
                    verdicts: MutableMapping[tuple[str, str], str | None] | None = None,
                    ) -> dict[str, dict[str, Any]] | None:
    """Per template: records checked, records that round-trip, and the first few failures (id, why).
    None when transformers is not installed. `verdicts`, (template, `record_key`) → error or None, holds
    verdicts from earlier runs: a record already judged is not rendered again, and new verdicts are added
    (the export grows by a batch at a time, so each run renders the new records only)."""
    if not renderer_available():
        return None
    records = list(records)
    results: dict[str, dict[str, Any]] = {}
    keys = [record_key(r) for r in records] if verdicts is not None else []
    for name in templates:
        template = TEMPLATES[name]
        if verdicts is None:
            errors = [round_trip_error(r, template) for r in records]
        else:
            errors = []
            for record, key in zip(records, keys):
                if (name, key) not in verdicts:
                    verdicts[(name, key)] = round_trip_error(record, template)
                errors.append(verdicts[(name, key)])
        failures = [(r["id"], error) for r, error in zip(records, errors) if error]
        results[name] = {"label": template.label, "records": len(records),
                         "round_trip": len(records) - len(failures),
                         "leaves_out": template.leaves_out(),
                         "failures": [{"id": i, "error": e} for i, e in failures[:3]]}
    return results
