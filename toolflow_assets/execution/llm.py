"""The `llm` executor: a tool agent on an OpenAI-compatible server answers each call, having seen the
conversation so far and every earlier call and result of the dialogue, so its results agree with each other
(a booking made in turn 1 is the one a later lookup finds).

One request per call, through the project's client (llm/client.py: cache, retries, and the
server's structured-output dialect negotiated once per run), asking for JSON constrained by the tool's
return schema where one is declared. The answer is held to the rules the simulated executor's own results
follow (`answer_problems`): it validates against the return schema, a field named like an argument holds
the argument (echo.py; a field that reports the call's outcome excepted), every output a later call reads
holds a value each reader takes, and the result does not say both that the call succeeded and that it
failed. An answer that breaks one gets one repair request naming the problems; one that still breaks them
is made to agree by the simulated executor (`SimulatedSession.fill`: the model's values kept where they
agree), else replaced by a simulated result; either way its `executions` entry records `fallback` and why.
A request that fails (server down, timeouts after the client's retries, a refused request) raises
`LLMExecutionError`, which fails that one dialogue as a row with the reason; the next dialogue asks again.

Provenance: the dialogue's `executor` is `llm`, each tool message's entry `llm:<model>` (or `simulated`
with `fallback`). A session answers through `execute_async` inside a writer's own event loop (the openai
backend's, whose client session is open then), or through `execute`, one short `client.run` per call, from a
writer that runs outside one (the offline, llm and agent writers); the answers are cached either way, so a
rerun asks the server nothing. Each session also counts its dialogue's requests and tokens (`usage`).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..values.flow import read_output, takes
from ..llm.client import LLMCallError, LLMClient, Usage
from ..llm.json_repair import extract_json
from ..generation.prompts import load_prompt
from ..llm.templates import PromptTemplate
from ..values import schema_error
from ..tools import Tool
from .echo import misnamed_id, nested_arguments, outcome_disagreement
from .protocol import Readers, ToolOutcome, is_error_result
from .sides import clashing_sides
from .simulated import SimulatedExecutor, SimulationError
from .stamping import stamp

NAME = "llm"
RESULT_CHARS = 1200  # an earlier result or text longer than this is cut in the request (a small model's context)
TRANSCRIPT_LINES = 40  # the most recent lines of the conversation shown


def load_executor_prompt() -> PromptTemplate:
    """The tool agent's prompt; a member of the openai backend's prompt set (generation/prompts), whose
    version its dialogues record."""
    return load_prompt("llm_executor")


PROMPT = load_executor_prompt()


class LLMExecutionError(SimulationError):
    """The server gave no answer for one call. It extends `SimulationError` because that is what the writer
    turns into a failed dialogue row with this reason."""


# ------------------------------------------------------------------------------------- pure parts

@dataclass(frozen=True)
class EarlierCall:
    name: str
    arguments: Mapping[str, Any]
    result: Any


def _shown(value: Any, limit: int = RESULT_CHARS) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())  # one line each: no line of data can pass for a block's closing tag
    return text if len(text) <= limit else text[:limit] + " ..."


def transcript(messages: Sequence[Mapping[str, Any]], earlier: Sequence[EarlierCall] = ()) -> str:
    """The conversation so far, one line per text, call and result (the system prompt left out). Without
    messages (a writer that shows none), the session's own record of earlier calls and results."""
    lines: list[str] = []
    for message in messages:
        role = message.get("role")
        text = message.get("content")
        if role in ("user", "assistant") and isinstance(text, str) and text.strip():
            lines.append(f"{role}: {_shown(text)}")
        for call in message.get("tool_calls") or []:
            function = call.get("function") or {}
            lines.append(f"assistant calls {function.get('name')}({_shown(function.get('arguments') or '{}')})")
        if role == "tool":
            lines.append(f"{message.get('name') or 'tool'} returned: {_shown(message.get('content'))}")
    if not messages:
        for call in earlier:
            lines.append(f"assistant calls {call.name}({_shown(dict(call.arguments))})")
            lines.append(f"{call.name} returned: {_shown(call.result)}")
    return "\n".join(lines[-TRANSCRIPT_LINES:]) or "(nothing yet)"


def executor_messages(tool: Tool, arguments: Mapping[str, Any], needed: Sequence[str],
                      messages: Sequence[Mapping[str, Any]] = (),
                      earlier: Sequence[EarlierCall] = ()) -> list[dict[str, Any]]:
    """The request for one call: the conversation (every earlier call and result in it), then the call with
    the tool's description and return schema, and the output fields later calls read."""
    payload = {
        "function": {"name": tool.name, "description": tool.description, "returns": tool.returns},
        "arguments": dict(arguments),
        "fields_needed_later": list(needed),
    }
    # `<` and `>` escaped (still the same JSON): a tool description from a corpus can never close the block
    call = json.dumps(payload, ensure_ascii=False, indent=1, default=str)
    call = call.replace("<", "\\u003c").replace(">", "\\u003e")
    return [{"role": "system", "content": PROMPT.render("system")},
            {"role": "user", "content": PROMPT.render("user", conversation=transcript(messages, earlier),
                                                      tool_call=call)}]


def tool_response_schema(tool: Tool) -> tuple[dict[str, Any], bool]:
    """(schema of the tool agent's answer, wrapped). Structured output needs an object at the root, so a
    non-object return schema is wrapped as {"result": ...} and unwrapped after."""
    returns = tool.returns
    if not isinstance(returns, dict) or not returns:
        return {"type": "object"}, False
    if returns.get("type") == "object" or ("properties" in returns and "type" not in returns):
        return returns, False
    return {"type": "object", "properties": {"result": returns}, "required": ["result"]}, True


def _differences(before: Any, after: Any, path: str = "") -> list[str]:
    """Paths where `after` differs from `before` (a changed value or a field taken out)."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key, value in before.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in after:
                found.append(where)
            else:
                found.extend(_differences(value, after[key], where))
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [p for i, (b, a) in enumerate(zip(before, after)) for p in _differences(b, a, f"{path}[{i}]")]
    return [] if before == after and type(before) is type(after) else [path or "result"]


def answer_problems(result: Any, tool: Tool, arguments: Mapping[str, Any],
                    needed: Mapping[str, Readers]) -> list[str]:
    """What makes a result disagree with its call, by the simulated executor's rules: the return schema,
    the echo of arguments (a field named like an argument holds it: `stamp` is the rule, so a field it would
    change is one that contradicts the call), the outputs later calls read (`values.flow.takes`), the two sides
    of a record (`sides.clashing_sides`), the outcome said once."""
    returns = tool.returns if isinstance(tool.returns, dict) and tool.returns else None
    problems: list[str] = []
    if returns is not None:
        error = schema_error(result, returns)
        if error:
            problems.append(f"it does not match the return schema: {error}")
        elif says_nothing(result, returns):
            declared = ", ".join(list(returns["properties"])[:8])
            problems.append(f"it holds none of the fields the function returns ({declared})")
    by_key = {**nested_arguments(arguments), **arguments}  # an object argument's fields set the result's too
    agreed = stamp(copy.deepcopy(result), returns, by_key)
    for path in _differences(result, agreed):
        problems.append(f"{path} contradicts the call's arguments ({_shown(dict(arguments), 300)})")
    for path, readers in needed.items():
        found, value = read_output(result, tool, path)
        if not found:
            problems.append(f"it lacks {path}, which a later call reads")
        elif not all(takes(value, name, schema or None) for name, schema in readers):
            problems.append(f"{path} is {_shown(value, 100)}, which the later call that reads it cannot take")
    for where, first, second, value in clashing_sides(result, arguments):  # the rule the check holds it to
        problems.append(f"{first} and {second}{f' of {where}' if where else ''} both hold {_shown(value, 60)}: "
                        "one record names the same party on both sides")
    wrong, named = misnamed_id(result, tool, arguments, returns)
    if wrong:
        problems.append(f"id is {_shown(result['id'], 60)}, but the call names {_shown(named, 60)}")
    disagreement = outcome_disagreement(result, returns)
    if disagreement:
        problems.append(disagreement)
    return problems


def says_nothing(result: Any, returns: Any) -> bool:
    """An object with none of the fields its return schema declares: valid where none is required, but no
    result (Gemma 3 270M answered `{}` to a third of the BFCL calls whose docs require no field)."""
    declared = returns.get("properties") if isinstance(returns, dict) else None
    return isinstance(result, dict) and bool(declared) and not any(key in declared for key in result)


def check_answer(value: Any, tool: Tool, arguments: Mapping[str, Any], needed: Mapping[str, Readers],
                 wrapped: bool) -> Any:
    """The tool result in a model's answer; raises ValueError naming every problem (the client sends it back
    to the model as the repair request)."""
    if not isinstance(value, dict):
        raise ValueError("the answer must be a JSON object")
    if wrapped and "result" not in value:
        raise ValueError('the answer must be {"result": <the return value>}')
    result = value["result"] if wrapped else value
    problems = answer_problems(result, tool, arguments, needed)
    if problems:
        raise ValueError("; ".join(problems))
    return result


# ----------------------------------------------------------------------------------------- executor

@dataclass
class LLMExecutionCounts:
    answered: int = 0  # calls whose result is the model's answer (after a repair included)
    repaired: int = 0  # of those, answered right only after the repair request
    filled: int = 0  # model answers made to agree with their call by the simulated executor's rules
    simulated: int = 0  # answers replaced by a simulated result
    failed: int = 0  # calls whose request failed (their dialogue failed)
    usage: Usage = field(default_factory=Usage)

    def as_dict(self) -> dict[str, Any]:
        return {"answered": self.answered, "repaired": self.repaired, "filled": self.filled,
                "simulated": self.simulated, "failed": self.failed, **self.usage.as_dict()}


class LLMExecutor:
    """`Executor` (protocol.py) whose results a model writes, through `client` (the run's LLM client: the
    resource's, shared with the other roles). `fallback` makes a bad answer agree with its call, or replaces
    it (no injected errors: those are the simulated executor's, not this one's)."""

    name = NAME

    def __init__(self, client: LLMClient, fallback: SimulatedExecutor | None = None, repairs: int = 1) -> None:
        self.client = client
        self.model = client.settings.model
        self.fallback = fallback or SimulatedExecutor(error_rate=0.0, empty_rate=0.0)
        self.repairs = repairs  # repair requests per call (within the client's own max_repairs)
        self.counts = LLMExecutionCounts()

    def session(self, seed: int) -> "LLMSession":
        return LLMSession(self, seed)


@dataclass(frozen=True)
class _Rejected:
    """An answer still wrong after the repairs: handed back through the client as a value (so the answer
    stays cached and a rerun falls back the same way, asking nothing) instead of an exception."""

    value: Any
    problems: str


class LLMSession:
    def __init__(self, executor: LLMExecutor, seed: int) -> None:
        self.executor = executor
        self.seed = seed
        self.messages: Sequence[Mapping[str, Any]] = ()
        self.earlier: list[EarlierCall] = []
        self.usage = Usage()  # this dialogue's requests and tokens, for its row (the executor's counts sum all)
        self._fallback: Any = None

    def follow_conversation(self, messages: Sequence[Mapping[str, Any]]) -> None:
        """The writer's messages, read at each call (protocol.begin_dialogue)."""
        self.messages = messages

    def _simulated(self) -> Any:
        if self._fallback is None:
            self._fallback = self.executor.fallback.session(self.seed)
        return self._fallback

    def execute(self, name: str, arguments: Mapping[str, Any], tool: Tool,
                needed: Mapping[str, Readers] | None = None) -> ToolOutcome:
        """`execute_async` for a writer outside an event loop: one short client session per call."""
        return self.executor.client.run(lambda: self.execute_async(name, arguments, tool, needed))

    async def execute_async(self, name: str, arguments: Mapping[str, Any], tool: Tool,
                            needed: Mapping[str, Readers] | None = None) -> ToolOutcome:
        """One call's result, awaited inside the caller's client session (the openai backend's loop)."""
        needed = needed or {}
        executor, client = self.executor, self.executor.client
        schema, wrapped = tool_response_schema(tool)
        request = executor_messages(tool, arguments, list(needed), list(self.messages), self.earlier)
        tries = 0

        def validate(value: Any) -> Any:
            nonlocal tries
            tries += 1
            try:
                return check_answer(value, tool, arguments, needed, wrapped)
            except ValueError as problem:
                if tries > executor.repairs:
                    return _Rejected(value, str(problem))
                raise  # the client sends the problems back to the model: the repair request

        spent = Usage()
        try:
            answer = await client.structured(request, schema, "tool_result", validate, spent,
                                             strict=False, extra={"seed": self.seed})
        except LLMCallError as error:
            if error.reason != "invalid_output":
                executor.counts.failed += 1
                raise LLMExecutionError(client.redact(f"llm_request_failed: {error.reason}: {error.detail}")) from None
            answer = _Rejected(_parsed(error.raw_output), error.detail)  # no JSON in the answers at all
        finally:
            for usage in (self.usage, executor.counts.usage):
                usage.merge(spent)
        if isinstance(answer, _Rejected):
            outcome = self._fall_back(name, arguments, tool, needed, answer, wrapped)
        else:
            executor.counts.answered += 1
            executor.counts.repaired += tries > 1
            outcome = ToolOutcome(result=answer, executor=f"{NAME}:{executor.model}",
                                  status="error" if is_error_result(answer) else "ok")
        self.earlier.append(EarlierCall(name, dict(arguments), outcome.result))
        return outcome

    def _fall_back(self, name: str, arguments: Mapping[str, Any], tool: Tool, needed: Mapping[str, Readers],
                   rejected: _Rejected, wrapped: bool) -> ToolOutcome:
        """The model's last answer made to agree with its call, else a simulated result; labelled either way."""
        reason = (self.executor.client.redact(f"invalid_output: {rejected.problems}") or "")[:500]
        draft = rejected.value
        if wrapped and isinstance(draft, dict):
            draft = draft.get("result")
        simulated = self._simulated()
        returns = tool.returns if isinstance(tool.returns, dict) else None
        # a draft that says nothing is not worth keeping: the simulated result replaces it
        usable = isinstance(draft, (dict, list)) and not says_nothing(draft, returns)
        filled = simulated.fill(draft, tool, arguments, needed) if usable else None
        if filled is not None and not answer_problems(filled, tool, arguments, needed):
            self.executor.counts.filled += 1
            return ToolOutcome(result=filled, executor=f"{NAME}:{self.executor.model}",
                               details={"fallback": reason, "filled_by": simulated.name})
        self.executor.counts.simulated += 1
        outcome = simulated.execute(name, arguments, tool, needed)
        return ToolOutcome(result=outcome.result, executor=outcome.executor, status=outcome.status,
                           details={"fallback": reason})


def _parsed(raw: str | None) -> Any:
    try:
        return extract_json(raw or "")
    except ValueError:
        return None


