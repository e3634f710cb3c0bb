"""Results that agree with the things of the dialogue: the rules the simulated executor follows, checked on
any dialogue (a regression, or an llm or MCP executor that breaks them, fails here), with the executor's own
functions:
- `check_record_identity` (part of `result_consistency`): a lookup by `<noun>_id` returns that very thing
  (`echo.own_id`: `get_tweet(tweet_id=62550)` answered with `"id": 94269` is another tweet), and two side
  fields of one record are two parties (`sides.same_sides`: `home_team` and `away_team` both "Yankees" is a
  team against itself), unless the call gave them so;
- `check_entity_state`: a "not found" error agrees with what the dialogue did to its things (the dialogue's
  calls replayed into the executor's `EntityStore`): only a lookup, change or delete of a deleted thing fails
  (`EntityStore.gone`); a create or send to the receiver or parent of a deleted message makes a new thing,
  and a thing an earlier result returned and no call deleted exists.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

from ..execution import is_error_result
from ..execution.echo import misnamed_id
from ..execution.entities import Entity, EntityStore
from ..execution.sides import clashing_sides
from ..execution.verbs import action_of, collection_of, verb_and_noun
from ..mentions import same_value
from ..tools import Tool
from .conversation import offered_tools, shown
from .conversation import answered_calls

# an error that says the thing the call names is not there
_NOT_FOUND = re.compile(r"not[ _-]?found|does ?n[o']t exist|no longer exists?|no such|(?:was|been|is) (?:deleted|removed)",
                        re.IGNORECASE)
_SAYS_DELETED = re.compile(r"\b(?:deleted|removed)\b", re.IGNORECASE)


def _tool(offered: Mapping[str, dict[str, Any]], name: str, returns: Mapping[str, Any]) -> Tool | None:
    """The offered definition as the executor's rules read a tool (name, description, parameters)."""
    function = offered.get(name)
    if function is None:
        return None
    parameters = function.get("parameters")
    return Tool(tool_id="", name=name, description=str(function.get("description") or ""),
                parameters=parameters if isinstance(parameters, dict) else {}, returns=returns.get(name),
                source="", source_format="", category="")


# ---------------------------------------------------------------------------------- record identity

def check_record_identity(messages: list[Any], tools: list[Any], returns: Mapping[str, Any] | None = None) -> list[str]:
    """Each successful result names two different parties in each pair of side fields the call did not
    give, and is the thing its call names."""
    return check_side_fields(messages) + check_own_ids(messages, tools, returns)


def check_side_fields(messages: list[Any]) -> list[str]:
    """No object of a successful result holds one value in two side fields (`sides.same_sides`) that the
    call did not give so."""
    reasons: list[str] = []
    for position, call, result in answered_calls(messages):
        if is_error_result(result):
            continue
        for path, first, second, value in clashing_sides(result, call.arguments):
            within = f" of {path}" if path else ""
            reasons.append(f"tool message {position} ({call.name}): result fields {first!r} and {second!r}{within} "
                           f"both hold {shown(value)}: one record names the same party on both sides, and the call "
                           "did not give it so")
    return reasons


def check_own_ids(messages: list[Any], tools: list[Any], returns: Mapping[str, Any] | None = None) -> list[str]:
    """A successful result's bare `id` is the call's `<noun>_id` for the tool's head noun (`echo.own_id`), as
    the executor stamps it; a search lists other things, whose ids are their own."""
    offered = offered_tools(tools)
    declared = returns or {}
    reasons: list[str] = []
    for position, call, result in answered_calls(messages):
        tool = _tool(offered, call.name, declared)
        if tool is None or is_error_result(result):
            continue
        wrong, named = misnamed_id(result, tool, call.arguments, declared.get(call.name))
        if not wrong:
            continue
        noun = verb_and_noun(tool)[1]
        argument = next((name for name, value in call.arguments.items() if same_value(value, named)), "its id")
        reasons.append(f"tool message {position} ({call.name}): result id {shown(result['id'])} is another "
                       f"{noun[-1]} than the one the call names ({argument} = {shown(named)})")
    return reasons


# ------------------------------------------------------------------------------------- entity state

def _not_found_text(result: Any) -> str | None:
    """The text of an error result that says the thing the call names is not there, else None."""
    if not is_error_result(result):
        return None
    error = next(iter(result.values()))
    details = error if isinstance(error, dict) else {}
    text = str(details.get("message") or "") if details else (error if isinstance(error, str) else json.dumps(error))
    kind = str(details.get("type") or details.get("code") or "")
    if str(details.get("code")) == "404" or "not_found" in kind.lower() or _NOT_FOUND.search(text or ""):
        return text or kind
    return None


def check_entity_state(messages: list[Any], tools: list[Any], returns: Mapping[str, Any] | None = None) -> list[str]:
    """Every "not found" error agrees with the dialogue's things, replayed in order into the executor's
    `EntityStore`: an error for a thing the store deems deleted for this call (`gone`) is right; one for a
    create, send or post that only names a deleted thing, for a thing an earlier result returned and no call
    deleted, or one that says a thing was deleted that no call deleted, contradicts the dialogue."""
    offered = offered_tools(tools)
    declared = returns or {}
    store = EntityStore()
    seen: dict[str, tuple[int, Entity]] = {}  # id -> (the tool message that last returned it, its entity)
    reasons: list[str] = []
    for position, call, result in answered_calls(messages):
        tool = _tool(offered, call.name, declared)
        if tool is None:
            continue
        action, noun = action_of(tool), frozenset(verb_and_noun(tool)[1])
        if not is_error_result(result):
            store.record(action, call.arguments, result, noun, collection_of(tool))
            for key, entity in store.by_id.items():
                if key not in seen or seen[key][1] is not entity:
                    seen[key] = (position, entity)
            continue
        text = _not_found_text(result)
        if text is None or store.gone(action, call.arguments, noun) is not None:
            continue
        target = store.referenced(call.arguments, noun)
        where = f"tool message {position} ({call.name}): the error {shown(text, 120)}"
        if store.may_be_missing(action, call.arguments, noun) or target is None:
            if _SAYS_DELETED.search(text):
                reasons.append(f"{where} says the thing was deleted, but no earlier call of the dialogue deleted it")
        elif target.deleted:
            reasons.append(f"{where} fails a {action} call for the deleted {target.id_field} {shown(target.id_value)}, "
                           "but only a lookup, change or delete of a deleted thing fails: this call makes a new one")
        else:
            origin = seen.get(str(target.id_value).strip(), (None,))[0]
            returned = f"tool message {origin} returned it" if origin is not None else "an earlier result returned it"
            reasons.append(f"{where} says {target.id_field} {shown(target.id_value)} is not there, but {returned} "
                           "and no call deleted it")
    return reasons
