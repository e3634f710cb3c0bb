"""The `python` executor: calls run as methods of stateful environment classes from an installed package.

The environments are BFCL's multi-turn ones from `bfcl-eval` (`pip install --no-deps bfcl-eval mpmath`; they
import only the standard library and mpmath): GorillaFileSystem, MathAPI, MessageAPI, TwitterAPI (their docs
are bundled), TradingBot and TicketAPI (docs in bfcl-eval's own `data/multi_turn_func_doc`).
- A catalog tool maps to a class by its function-doc file (`gorilla_file_system.json` -> the module of that
  name) or by the class's own description opening the tool's, and to the method of its original name.
- One instance per class per dialogue, created on the dialogue's first call to it from an initial state
  ToolFlow generates for the dialogue's plan (python_states.py: varied, seeded, with what the planned
  calls need), so state persists across the dialogue's calls and never crosses dialogues.
- The result is what the method returned (as JSON: a copy, so later calls cannot change a recorded
  result); an exception becomes `{"error": "..."}`. Status `error` follows `is_error_result`.
- Provenance: `executor` is `python:<Class>`; each entry of the dialogue's `executions` names the
  `environment` (import path) and `method`, and the first call to each class carries its `initial_state`
  (JSON), from which `replay` rebuilds a fresh instance: the classes seed their randomness from the
  state's `random_seed`, so a replay gives the same results.
- Tools with no environment (another source, a class whose module does not import here) go to the
  `fallback` executor (simulated by default); their entry says `fallback` and why.
"""

from __future__ import annotations

import copy
import decimal
import importlib
import inspect
import json
import math
import random
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..values.flow import coerce_for, read_output
from ..values import is_valid
from ..tools import Tool, derive_seed
from . import python_states as S
from . import python_states_math as M
from . import python_states_services as V
from . import python_states_travel as T
from . import python_states_vehicle as C
from .faults import ERROR_RATE, failure_result, fault_budget, transient_failures
from .protocol import Executor, PlannedCallView, Readers, ToolOutcome, is_error_result
from .verbs import action_of
from .simulated import SimulatedExecutor

NAME = "python"
PACKAGE = "bfcl_eval.eval_checker.multi_turn_eval.func_source_code"
INSTALL = "pip install --no-deps bfcl-eval==2026.3.23 mpmath"


@dataclass(frozen=True)
class Environment:
    """One environment class: where it lives, how its initial state is drawn and repaired for a plan, and
    how a recorded (JSON) state becomes what its `_load_scenario` takes."""

    module: str  # the function-doc file's stem is the module's name
    class_name: str
    base: Callable[[random.Random], dict[str, Any]] | None = None  # None: stateless
    repair: S.Repair | None = None
    to_scenario: Callable[[dict[str, Any]], dict[str, Any]] = lambda state: state
    # what the class fixes in its code, for the planner (python_values.py): values(cls, method, fixed, earlier,
    # rng) for the parameters it constrains; reads(cls, method, arguments, fields, rng) the arguments to change
    # so that its answer holds the fields later calls read
    values: Callable[..., dict[str, Any]] | None = None
    reads: Callable[..., dict[str, Any]] | None = None
    keyed: tuple[str, ...] = ()  # result fields that are maps keyed by id where the doc declares one record

    @property
    def path(self) -> str:
        return f"{PACKAGE}.{self.module}:{self.class_name}"


def _message_scenario(state: dict[str, Any]) -> dict[str, Any]:
    return {**state, "generated_ids": set(state.get("generated_ids", []))}  # a set in the class, a list in JSON


def _twitter_scenario(state: dict[str, Any]) -> dict[str, Any]:
    # JSON keys are strings; the class looks tweets and comments up by int id (it converts tweets itself)
    return {**state, "comments": {int(k): v for k, v in state.get("comments", {}).items()}}


ENVIRONMENTS: tuple[Environment, ...] = (
    Environment("gorilla_file_system", "GorillaFileSystem", S.file_system_state, S.repair_file_system),
    Environment("math_api", "MathAPI", values=M.math_values),
    Environment("message_api", "MessageAPI", S.message_state, S.repair_messages, _message_scenario),
    Environment("posting_api", "TwitterAPI", S.twitter_state, S.repair_twitter, _twitter_scenario),
    Environment("trading_bot", "TradingBot", V.trading_state, V.repair_trading, values=V.trading_values),
    Environment("ticket_api", "TicketAPI", V.ticket_state, V.repair_tickets),
    Environment("vehicle_control", "VehicleControlAPI", C.vehicle_state, C.repair_vehicle,
                values=C.vehicle_values, reads=C.vehicle_reads),
    Environment("travel_booking", "TravelAPI", T.travel_state, T.repair_travel, values=T.travel_values,
                keyed=T.KEYED),
)
BY_CLASS = {env.class_name: env for env in ENVIRONMENTS}


@lru_cache(maxsize=None)
def environment_class(env: Environment) -> type | None:
    """The class, or None when its package is not installed (or its module needs what is not)."""
    try:
        return getattr(importlib.import_module(f"{PACKAGE}.{env.module}"), env.class_name)
    except ImportError:
        return None


@lru_cache(maxsize=None)
def _description(env: Environment) -> str:
    cls = environment_class(env)
    return str(getattr(cls(), "_api_description", "")) if cls is not None else ""


def environment_of(tool: Tool) -> Environment | None:
    """The installed environment whose public method this tool is, by its doc file or its description."""
    method = tool.original_name or tool.name
    stem = tool.source.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".json")
    for env in ENVIRONMENTS:
        cls = environment_class(env)
        if cls is None or method.startswith("_") or not callable(getattr(cls, method, None)):
            continue
        described = _description(env)
        if stem == env.module or (described and tool.description.startswith(described)):
            return env
    return None


def available() -> bool:
    """Whether bfcl-eval's environments import here."""
    return any(environment_class(env) is not None for env in ENVIRONMENTS)


def load(env: Environment, state: Mapping[str, Any]) -> Any:
    """A fresh instance holding `state` (copied: the classes keep the dicts they are given)."""
    cls = environment_class(env)
    if cls is None:
        raise RuntimeError(f"{env.path} is not installed: {INSTALL}")
    instance = cls()
    if env.base is not None:
        instance._load_scenario(env.to_scenario(copy.deepcopy(dict(state))), long_context=False)
    return instance


def run_call(instance: Any, method: str, arguments: Mapping[str, Any]) -> Any:
    """One method call, as JSON. Mutable defaults are passed as fresh copies (a class's `tags=[]` would
    otherwise carry one dialogue's values into the next); an exception is an error result."""
    function = getattr(instance, method, None)
    if method.startswith("_") or not callable(function):
        return {"error": f"{type(instance).__name__} has no tool {method!r}"}
    arguments = copy.deepcopy(dict(arguments))
    try:
        for name, parameter in inspect.signature(function).parameters.items():
            if name not in arguments and isinstance(parameter.default, (list, dict, set)):
                arguments[name] = copy.deepcopy(parameter.default)
        with _precision_kept():
            value = function(**arguments)
            # read inside: a Decimal or mpf result is written at the precision the call asked for
            return as_json({} if value is None else value)
    except Exception as failure:  # noqa: BLE001 - the environment's own failure is the tool's error message
        return {"error": f"Error during execution: {type(failure).__name__}: {failure}"}


@contextmanager
def _precision_kept() -> Iterator[None]:
    """MathAPI sets the process's decimal precision (`getcontext().prec = precision`) and mpmath's
    (`mp.dps`) for one call: kept to that call, so no later call, replay or ToolFlow's own Decimal arithmetic
    runs at a dialogue's chosen precision."""
    mp = sys.modules.get("mpmath")
    digits = mp.mp.dps if mp is not None else None
    try:
        with decimal.localcontext():
            yield
    finally:
        if mp is not None:
            mp.mp.dps = digits


def _plain(value: Any) -> Any:
    """JSON for what `json` cannot write: a set as a sorted list, an arbitrary-precision number (Decimal,
    mpmath's mpf) as a JSON number (the docs declare `float`), anything else as its text."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, decimal.Decimal) or type(value).__name__ == "mpf":
        number = float(str(value))  # its digits at the call's precision, not a binary double's seventeen
        if math.isfinite(number):
            return number
    return str(value)


def as_json(value: Any) -> Any:
    """The value as the tool message shows it: JSON types only (see `_plain`), a binary float without its noise,
    a number computed at a precision (a Decimal, an mpf) at every digit the call asked for."""
    return json.loads(json.dumps(_without_noise(value), ensure_ascii=False, default=_plain))


def _without_noise(value: Any) -> Any:
    """A binary float at the fewest significant digits within a trillionth of it: MathAPI's `subtract(56.21,
    81.99)` is -25.779999999999994 in binary and `subtract(144, 139.39)` 4.6100000000000136, results no calculator
    shows and a model should not learn to relay. Only a `float` is noisy: a Decimal or mpf (`square_root(2,
    precision=40)`) holds the digits the call asked for, and a float's seventeen of them are all real."""
    if isinstance(value, float) and math.isfinite(value):
        for digits in range(1, 16):
            shorter = float(f"{value:.{digits}g}")
            if abs(shorter - value) <= abs(value) * 1e-12:
                return shorter
        return value
    if isinstance(value, dict):
        return {key: _without_noise(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_noise(item) for item in value]
    if isinstance(value, (set, frozenset)):  # written as a sorted list by `_plain`
        return {_without_noise(item) if isinstance(item, float) else item for item in value}
    return value


def list_field(returns: Any) -> str | None:
    """The field a documented return object keeps its one list in: BFCL's docs declare `search_tweets` as
    `{"matching_tweets": [...]}` where the class returns the bare list, so the result is put in that field
    (and the dialogue's record says so, for the replay)."""
    properties = returns.get("properties") if isinstance(returns, dict) and returns.get("type") == "object" else None
    if not isinstance(properties, dict) or len(properties) != 1:
        return None
    (name, schema), = properties.items()
    return name if isinstance(schema, dict) and schema.get("type") == "array" else None


def object_field(returns: Any, result: Any) -> str | None:
    """The field a documented return object keeps its one object in, when the class returns that object's fields
    bare: BFCL's docs declare `displayCarStatus` as `{"status": {...}}` and `check_tire_pressure` as
    `{"tirePressure": {...}}` where the classes return the fields themselves, so later calls reading
    `status.fanSpeed` find it."""
    properties = returns.get("properties") if isinstance(returns, dict) else None
    if not isinstance(properties, dict) or len(properties) != 1 or not isinstance(result, dict) or not result:
        return None
    (name, schema), = properties.items()
    inner = schema.get("properties") if isinstance(schema, dict) else None
    if name in result or not isinstance(inner, dict) or not set(result) <= set(inner):
        return None
    return name


def wrapped_scalars(result: Any, returns: Any) -> list[str]:
    """Fields the doc declares as one value that the class returns inside a one-field object: BFCL's
    `send_message` documents `message_id` as an integer and returns `{"new_id": 12345}` there. The value is
    put in the field itself, so the result follows the doc the model is shown."""
    properties = returns.get("properties") if isinstance(returns, dict) else None
    if not isinstance(result, dict) or not isinstance(properties, dict):
        return []
    found = []
    for name, value in result.items():
        schema = properties.get(name)
        if not (isinstance(schema, dict) and schema.get("type") in ("integer", "number", "string", "boolean")
                and isinstance(value, dict) and len(value) == 1):
            continue
        (inner,) = value.values()
        if not isinstance(inner, (dict, list)) and is_valid(inner, schema) and not is_valid(value, schema):
            found.append(name)
    return found


def documented(result: Any, shape: Mapping[str, Any]) -> Any:
    """The method's result in the doc's shape, as `shape` (a call's record) says: the bare list in its
    `result_field`, each of its `unwrapped` fields' one value in place of the object around it."""
    unwrapped = shape.get("unwrapped") or ()
    if unwrapped and isinstance(result, dict):
        result = {k: next(iter(v.values())) if k in unwrapped and isinstance(v, dict) and len(v) == 1 else v
                  for k, v in result.items()}
    bare = isinstance(result, list) or (isinstance(result, dict) and shape.get("result_field") not in result)
    return {shape["result_field"]: result} if shape.get("result_field") and bare else result


def execute_on(instance: Any, tool: Tool, arguments: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """(result in the doc's shape, how it was shaped: `result_field`, `unwrapped`) of one call of `tool`."""
    result = run_call(instance, tool.original_name or tool.name, arguments)
    shape: dict[str, Any] = {}
    wrapper = list_field(tool.returns) if isinstance(result, list) else object_field(tool.returns, result)
    if wrapper is not None:
        shape["result_field"] = wrapper
    unwrapped = wrapped_scalars(result, tool.returns)
    if unwrapped:
        shape["unwrapped"] = unwrapped
    return documented(result, shape), shape


# one planned call to an environment: its tool, its known arguments, and its reads as (index among this
# environment's calls, output field); reads of another environment's results are not followed in dry runs
EnvCall = tuple[Tool, Mapping[str, Any], Mapping[str, tuple[int, str]]]


def initial_state(env: Environment, calls: Sequence[EnvCall], seed: int) -> dict[str, Any]:
    """The state a dialogue's instance of `env` starts from: drawn from the seed, repaired for the calls
    (values read from earlier results come from the dry run's own results, as the dialogue will read them)."""
    if env.base is None:
        return {}
    rng = random.Random(derive_seed(seed, "python-env", env.class_name))

    def arguments(index: int, results: list[Any]) -> tuple[str, dict[str, Any]]:
        tool, known, reads = calls[index]
        properties = (tool.parameters or {}).get("properties") or {}
        filled = dict(known)
        for name, (producer, path) in reads.items():
            if producer < len(results):
                found, value = read_output(results[producer], calls[producer][0], path)
                ok, value = coerce_for(value, properties.get(name)) if found else (False, None)
                if ok:
                    filled[name] = value
        return tool.original_name or tool.name, filled

    return S.build_state(env.base, env.repair, lambda state: load(env, state),
                         lambda instance, index, args: execute_on(instance, calls[index][0], args)[0],
                         arguments, len(calls), rng)


@dataclass
class ExecutionCounts:
    executed: int = 0  # calls run on an environment
    errors: int = 0  # of those, results that are errors
    fallback: int = 0  # calls of tools with no environment, answered by the fallback executor
    by_environment: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "by_environment": dict(sorted(self.by_environment.items()))}


@dataclass
class PythonEnvExecutor:
    fallback: Executor = field(default_factory=SimulatedExecutor)
    name: str = NAME
    error_rate: float = ERROR_RATE  # failures outside the call (faults.py), injected without calling the class

    def __post_init__(self) -> None:
        self.counts = ExecutionCounts()

    def session(self, seed: int) -> "PythonEnvSession":
        return PythonEnvSession(self, seed)


class PythonEnvSession:
    def __init__(self, executor: PythonEnvExecutor, seed: int) -> None:
        self.executor = executor
        self.seed = seed
        self.planned: dict[str, list[EnvCall]] = {}  # class -> the plan's calls to it
        self.instances: dict[str, Any] = {}
        self._fallback: Any = None
        self.rng = random.Random(derive_seed(seed, "python-env-faults"))
        self.errors_left = fault_budget(self.rng, executor.error_rate)

    def begin_dialogue(self, calls: Sequence[PlannedCallView], tools: Mapping[str, Tool]) -> None:
        """The plan's calls, so each initial state holds what they need."""
        local: dict[int, tuple[str, int]] = {}  # position in the dialogue -> (class, position among its calls)
        for position, view in enumerate(calls):
            tool = tools.get(view.tool)
            env = environment_of(tool) if tool is not None else None
            if env is None:
                continue
            planned = self.planned.setdefault(env.class_name, [])
            reads = {name: (local[source][1], path) for name, (source, path) in view.reads.items()
                     if local.get(source, ("", 0))[0] == env.class_name}
            local[position] = (env.class_name, len(planned))
            planned.append((tool, view.arguments, reads))

    def execute(self, name: str, arguments: Mapping[str, Any], tool: Tool,
                needed: Mapping[str, Readers] | None = None) -> ToolOutcome:
        env = environment_of(tool)
        if env is None:
            if self._fallback is None:
                self._fallback = self.executor.fallback.session(self.seed)
            self.executor.counts.fallback += 1
            shared = hasattr(self._fallback, "errors_left")  # one failure a dialogue, whichever executor gives it
            if shared:
                self._fallback.errors_left = self.errors_left
            outcome = self._fallback.execute(name, arguments, tool, needed)
            if shared:
                self.errors_left = self._fallback.errors_left
            return replace(outcome, details={"fallback": f"no Python environment runs {name}"})
        # only a call that changes nothing may fail here: a `cd` or `mkdir` that failed leaves the calls after it
        # in the wrong folder. No `environment` is recorded: replay skips it, as the class never saw it
        if not needed and self.errors_left and action_of(tool) in ("read", "search", "compute"):
            self.errors_left -= 1
            return ToolOutcome(result=failure_result(transient_failures(tool), self.rng),
                               executor=f"{NAME}:{env.class_name}", status="error",
                               details={"injected": "a failure outside the call"})
        details: dict[str, Any] = {"environment": env.path, "method": tool.original_name or tool.name}
        if env.class_name not in self.instances:
            state = initial_state(env, self.planned.get(env.class_name, []), self.seed)
            self.instances[env.class_name] = load(env, state)
            details["initial_state"] = state
        result, shape = execute_on(self.instances[env.class_name], tool, arguments)
        details.update(shape)
        status = "error" if is_error_result(result) else "ok"
        counts = self.executor.counts
        counts.executed += 1
        counts.errors += status == "error"
        counts.by_environment[env.class_name] = counts.by_environment.get(env.class_name, 0) + 1
        return ToolOutcome(result=result, executor=f"{NAME}:{env.class_name}", status=status, details=details)
