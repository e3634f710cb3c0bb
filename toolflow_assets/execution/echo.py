"""Which result fields echo the call: the one rule the simulated executor stamps by and the
result-consistency check (quality/semantic.py) holds results to.

A result field named like an argument (`userId` and `user_id`, see `mentions.field_key`) holds the argument's
value, unless the tool's return schema says the field is a text about the call's outcome. BFCL's
`send_message(receiver_id, message)` returns `{"sent_status": true, "message_id": ..., "message": "Message sent
to 'USR002' successfully."}`, and its doc says so: `message` is "A message describing the result of the send
attempt", where the parameter is "Message to be sent". A real environment answers that way by design; a
simulated one that echoed the message text there would contradict the doc.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from ..json_schema.refs import resolve_ref
from ..mentions import field_key, mentions, name_tokens, same_value
from ..values.flow import coerce_for
from ..values.synthesizer import singular
from .verbs import action_of, verb_and_noun

# "describing / indicating / confirming ... the result / outcome / status / success" of the call
_REPORTING = frozenset({"describe", "describes", "describing", "indicate", "indicates", "indicating", "explain",
                        "explains", "explaining", "report", "reports", "reporting", "confirm", "confirms",
                        "confirming", "confirmation"})
_OUTCOME = frozenset({"result", "outcome", "status", "success", "successful", "succeeded", "attempt", "operation"})
# "Status of the operation." / "Status of the comment action.": the state of the call itself, not of a thing
_STATE = frozenset({"status", "result", "outcome"})
_ACT = frozenset({"operation", "action", "attempt"})
# a text that says how the call went ("Message sent to 'USR002' successfully.", "Upload failed")
_SUCCESS = frozenset({"successfully", "successful", "succeeded"})
_FAILURE = frozenset({"unsuccessful", "failed"})
_VERDICT = _SUCCESS | _FAILURE
# a yes/no field that says whether the call's own action happened (`sent_status`, `success`, `deleted`)
_OUTCOME_FLAG = re.compile(r"(?:^|_)(?:status|success|successful|ok|deleted|sent|created|updated|removed|saved|"
                           r"posted|booked|cancelled|canceled)$")


def reports_outcome(schema: Any, value: Any = None) -> bool:
    """The field reports how the call went, so its value is not the argument of its name: its declared
    description says so ("A message describing the result of the send attempt", "Confirmation of the
    operation's status", or plainly "Status of the operation."), or, where no description is declared (a record checked without the tool's return
    schema, as `toolflow check` reads an export), its text is a verdict on the call ("... successfully.")."""
    description = schema.get("description") if isinstance(schema, dict) else None
    if isinstance(description, str) and description.strip():
        words = set(name_tokens(description))
        return (bool(words & _REPORTING) and bool(words & _OUTCOME)) or (bool(words & _STATE) and bool(words & _ACT))
    return isinstance(value, str) and bool(set(name_tokens(value)) & _VERDICT)


def echoes(schema: Any, value: Any = None) -> bool:
    """A result field with this declared schema (None: undeclared) and, when known, this value holds the
    argument named like it."""
    return not reports_outcome(schema, value)


def field_schema(schema: Any, name: str | None, root: Any) -> Any:
    """The declared schema of field `name` of an object schema (of the items, for name None), following
    local `$ref`s; None where nothing is declared (the field then echoes)."""
    node = resolve_ref(schema, root)
    if not isinstance(node, dict):
        return None
    sub = node.get("items") if name is None else (node.get("properties") or {}).get(name)
    return resolve_ref(sub, root) if isinstance(sub, dict) else None


def outcome_flag(key: Any) -> bool:
    """A top-level yes/no field named as the call's outcome (`sent_status`, `success`, `deleted`): false says
    the call's action did not happen. The writer reads it so (a false one is told as a failure), so a
    result must set it as its outcome was: true on success, false on a failure."""
    return _OUTCOME_FLAG.search(str(key).lower()) is not None


def verdict(text: Any) -> bool | None:
    """What a text says of the call: True ("... successfully."), False ("Upload failed"), None (neither)."""
    if not isinstance(text, str):
        return None
    words = set(name_tokens(text))
    if words & _FAILURE:
        return False
    return True if words & _SUCCESS else None


def outcome_disagreement(result: Any, returns: Any = None) -> str | None:
    """Why a result contradicts itself about its outcome, else None: a yes/no outcome field and a text that
    reports the outcome (reports_outcome) say different things (`"sent_status": false` beside "Message sent
    successfully."), or two outcome fields differ. Top-level fields only, where a result states its outcome."""
    if not isinstance(result, dict):
        return None
    properties = returns.get("properties") if isinstance(returns, dict) else None
    said: list[tuple[str, bool]] = []
    for key, value in result.items():
        if isinstance(value, bool) and outcome_flag(key):
            said.append((key, value))
        elif isinstance(value, str):
            schema = properties.get(key) if isinstance(properties, dict) else None
            told = verdict(value)
            if told is not None and reports_outcome(schema, value):
                said.append((key, told))
    if len({told for _, told in said}) > 1:
        shown = ", ".join(f"{key}: {'success' if told else 'failure'}" for key, told in said)
        return f"the result says both that the call succeeded and that it failed ({shown})"
    return None


def implied_defaults(parameters: Any, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The declared defaults of the parameters a call left out: what the call gave, as a created thing holds
    it. `post_tweet(content=...)` without `tags` (default []) posts a tweet with no tags, so its result's `tags`
    are [], not tags drawn at random."""
    properties = parameters.get("properties") if isinstance(parameters, dict) else None
    given = {field_key(k) for k in arguments}
    return {name: schema["default"] for name, schema in (properties or {}).items()
            if isinstance(schema, dict) and "default" in schema and schema["default"] is not None
            and field_key(name) not in given}


def nested_arguments(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The scalar fields of an object argument, as the fields they set: `update_project(project_id,
    project_data={"name": "Project Vanguard"})` renames the project, so its result's `name` is "Project
    Vanguard" (it came back "Project Pioneer", and passed). A field named like a top-level argument, given by
    two object arguments with different values, or a status (of the thing, or of the call?) is left out."""
    top = {field_key(name) for name in arguments}
    found: dict[str, Any] = {}
    clashing: set[str] = set()
    for value in arguments.values():
        if not isinstance(value, dict):
            continue
        for name, inner in value.items():
            key = field_key(name)
            # a nested `status` may set the thing's state or be told back as the call's own status ("success"):
            # which, a result without a declared schema does not say
            if key in top or key in _STATE or isinstance(inner, (dict, list)) or inner is None:
                continue
            if key in found and not same_value(found[key], inner):
                clashing.add(key)
            found.setdefault(key, inner)
    return {name: value for name, value in found.items() if name not in clashing}


def own_id(arguments: Mapping[str, Any], noun: Iterable[str]) -> Any:
    """The id by which a call names the very thing its result is, else None: `get_tweet(tweet_id=5)` returns
    tweet 5, so the result's bare `id` ("ID of the retrieved tweet") is 5, not another tweet's. The argument is
    `<noun>_id` for the head of the tool's noun (singular or plural alike): `update_website_alert_config`'s
    `website_id` names the website the config belongs to, not the config; a bare `id` argument is the echo's."""
    nouns = {singular(word) for word in list(noun)[-1:]}
    if any(field_key(name) == "id" for name in arguments):
        return None
    for name, value in arguments.items():
        words = name_tokens(name)
        if len(words) >= 2 and words[-1] == "id" and singular(words[-2]) in nouns \
                and isinstance(value, (str, int)) and not isinstance(value, bool):
            return value
    return None


def named_result_id(tool: Any, arguments: Mapping[str, Any], returns: Any) -> tuple[bool, Any]:
    """(True, the value) when a successful result's bare `id` must be the thing the call names (`own_id`, as
    the declared `id` holds it); (False, None) for a search (it lists other things, with ids of their own) or
    when the call names nothing the `id` field can hold. One rule for the executors that write results and
    the check that reads them."""
    if action_of(tool) == "search":
        return False, None
    named = own_id(arguments, verb_and_noun(tool)[1])
    if named is None:
        return False, None
    fits, value = coerce_for(named, field_schema(returns, "id", returns) if isinstance(returns, dict) else None)
    return (True, value) if fits else (False, None)


def misnamed_id(result: Any, tool: Any, arguments: Mapping[str, Any], returns: Any) -> tuple[bool, Any]:
    """(True, the id the call names) when `result` is an object whose bare `id` is another thing than that
    (`get_tweet(tweet_id=5)` answered with tweet 4), else (False, None): what the llm executor repairs, the
    openai backend's tool agent refuses and result_consistency fails."""
    names, named = named_result_id(tool, arguments, returns)
    if names and isinstance(result, dict) and "id" in result and not same_value(result["id"], named):
        return True, named
    return False, None


def _values(value: Any) -> Iterable[Any]:
    return value if isinstance(value, (list, tuple, set, frozenset)) else (value,)


def stale_mention(text: Any, current: Mapping[str, Any], earlier: Mapping[str, Any]) -> str | None:
    """The argument (its `field_key`) whose earlier value a result text states where the current call gives
    that argument another value, and the text does not state the current one; else None. `current`: the
    call's arguments; `earlier`: values the same names had before (a remembered entity's fields, or earlier
    calls' arguments; a name may map to several). `case_info_get(case_year="2018")` answered "Case info for
    CAS-97290 and 2017", remembered from a 2017 lookup, says the record is of another year than the one asked
    for. Booleans and one-character values are too common in text to tell anything."""
    if not isinstance(text, str) or not text.strip():
        return None
    now = {field_key(k): v for k, v in current.items() if _telling(v)}
    for name, before in earlier.items():
        key = field_key(name)
        if key not in now:
            continue
        for value in _values(before):
            if _telling(value) and not same_value(value, now[key]) and mentions(text, value) \
                    and not mentions(text, now[key]):
                return key
    return None


def _telling(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) and len(str(value).strip()) > 1
