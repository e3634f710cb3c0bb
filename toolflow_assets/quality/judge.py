"""Optional LLM-as-judge: naturalness, coherence and helpfulness on ToolFlow's 1–5 scale, with a rationale.

Pure apart from the `complete` callable it is given (chat messages → the model's text), so it is tested
with a fake and wired to the LLM resource in the asset. Off by default: it costs a request per dialogue.
A judge that cannot answer leaves the scores null and says why in `error`, never a made-up score.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Sequence

from ..llm.templates import PromptTemplate, parse_template
from .conversation import content_text

SCORES = ("naturalness", "coherence", "helpfulness")
MAX_TOOL_TEXT = 600  # characters of a tool result shown to the judge

ChatComplete = Callable[[list[dict[str, Any]]], str]
"""One chat completion: OpenAI chat messages in, the assistant's text out."""


@dataclass(frozen=True)
class JudgeScores:
    naturalness: int | None = None
    coherence: int | None = None
    helpfulness: int | None = None
    rationale: str | None = None
    error: str | None = None

    @property
    def mean(self) -> float | None:
        values = [v for v in (self.naturalness, self.coherence, self.helpfulness) if v is not None]
        return sum(values) / len(values) if values else None


def judge_enabled(setting: bool | None, model_configured: bool) -> bool:
    """Whether the judge runs: as configured, else whenever a model is at hand (the openai backend or the llm
    writer talks to a server)."""
    return setting if setting is not None else model_configured


@lru_cache(maxsize=1)
def judge_prompt() -> PromptTemplate:
    text = resources.files(__package__).joinpath("prompts/judge.txt").read_text(encoding="utf-8")
    return parse_template("judge", text)


def transcript(messages: list[Any]) -> str:
    """The dialogue as the judge reads it: who said what, which tool was called with what, what it returned."""
    lines: list[str] = []
    for message in messages:
        if not isinstance(message, dict):
            continue
        role = message.get("role")
        text = content_text(message).strip()
        if role == "user":
            lines.append(f"User: {text}")
        elif role == "assistant":
            if text:
                lines.append(f"Assistant: {text}")
            for call in message.get("tool_calls") or []:
                function = call.get("function", {}) if isinstance(call, dict) else {}
                lines.append(f"Assistant calls {function.get('name')}({function.get('arguments')})")
        elif role == "tool":
            shown = text if len(text) <= MAX_TOOL_TEXT else text[: MAX_TOOL_TEXT - 1] + "…"
            lines.append(f"Tool {message.get('name') or ''} returns: {shown}")
    return "\n".join(lines)


def judge_messages(messages: list[Any], tools: list[Any]) -> list[dict[str, str]]:
    prompt = judge_prompt()
    tool_lines = []
    for entry in tools:
        function = entry.get("function", entry) if isinstance(entry, dict) else {}
        tool_lines.append(f"- {function.get('name')}: {str(function.get('description') or '')[:200]}")
    return [
        {"role": "system", "content": prompt.render("system")},
        {"role": "user", "content": prompt.render("user", tools="\n".join(tool_lines) or "(none)",
                                                  transcript=transcript(messages))},
    ]


def parse_judge_answer(text: str) -> JudgeScores:
    """The judge's JSON answer (possibly inside prose or a code fence) → scores; ValueError if unusable."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("the judge's answer holds no JSON object")
    try:
        value = json.loads(text[start : end + 1])
    except json.JSONDecodeError as problem:
        raise ValueError(f"the judge's answer is not valid JSON ({problem.msg})") from None
    scores: dict[str, int] = {}
    for name in SCORES:
        raw = value.get(name)
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not 1 <= raw <= 5:
            raise ValueError(f"{name} must be a number from 1 to 5, got {raw!r}")
        scores[name] = int(round(raw))
    rationale = value.get("rationale")
    return JudgeScores(**scores, rationale=str(rationale)[:500] if rationale else None)


def judge_dialogue(messages: list[Any], tools: list[Any], complete: ChatComplete) -> JudgeScores:
    """Ask the judge once; a failed request or an unusable answer is recorded, not raised."""
    try:
        answer = complete(judge_messages(messages, tools))
    except Exception as problem:  # noqa: BLE001 - the row records it
        return JudgeScores(error=f"judge request failed: {type(problem).__name__}: {problem}"[:300])
    try:
        return parse_judge_answer(answer)
    except ValueError as problem:
        return JudgeScores(error=str(problem)[:300])


def judge_many(items: Sequence[tuple[list[Any], list[Any]]],
               complete_many: Callable[[list[list[dict[str, Any]]]], list[str | Exception]]) -> list[JudgeScores]:
    """Judge a batch with one call to `complete_many` (prompts in, answers or exceptions out, in order), so
    a backend can run the requests concurrently."""
    prompts = [judge_messages(messages, tools) for messages, tools in items]
    answers = complete_many(prompts)
    results: list[JudgeScores] = []
    for answer in answers:
        if isinstance(answer, Exception):
            results.append(JudgeScores(error=f"judge request failed: {type(answer).__name__}: {answer}"[:300]))
            continue
        try:
            results.append(parse_judge_answer(answer))
        except ValueError as problem:
            results.append(JudgeScores(error=str(problem)[:300]))
    return results
