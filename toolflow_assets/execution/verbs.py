"""What a tool does, read from its name (else its description): the verb, the noun, and the action kind
(`compute`, `search`, `create`, `change`, `delete`, `read`) that decides the shape of a simulated result and
what the entity store does with it."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from ..planning.phrasing import action_phrase
from ..mentions import field_key
from ..values import humanize, name_tokens
from ..tools import MAX_NAME_LENGTH, Tool
from .result_nouns import result_noun

COMPUTE_VERBS = frozenset("calculate compute convert count estimate predict measure evaluate solve sum average "
                          "score analyze analyse determine".split())
SEARCH_VERBS = frozenset("search list find browse discover recommend suggest explore query".split())
CREATE_VERBS = frozenset("create add book reserve register submit post send schedule make generate order buy "
                         "purchase upload invite open start publish share draw".split())
DELETE_VERBS = frozenset("delete remove cancel clear".split())
CHANGE_VERBS = frozenset("update set reset rename move copy edit modify change replace close stop enable disable "
                         "mark transfer play pause resume follow unfollow like assign approve reject archive "
                         "install restart run execute trigger apply notify".split()) | DELETE_VERBS
KNOWN_VERBS = COMPUTE_VERBS | SEARCH_VERBS | CREATE_VERBS | CHANGE_VERBS | {
    "get", "fetch", "retrieve", "lookup", "check", "read", "show"}
_PREPOSITIONS = frozenset("in of for by to from with on at per into via".split())
# words after a verb that say how much, not what (`core_memory_retrieve_all`): the object is before the verb
_QUANTIFIERS = frozenset("all every each".split())
# words of a key-value store's own calls, not of the store (`core_memory_list_keys` lists core memory's keys)
_ENTRY_WORDS = frozenset("key keys value values pair pairs entry entries item items all".split())
_IRREGULAR_PAST = {"set": "set", "reset": "reset", "stop": "stopped", "cancel": "cancelled", "put": "put",
                   "send": "sent", "make": "made", "buy": "bought", "draw": "drawn", "get": "retrieved",
                   "find": "found", "read": "read", "run": "run", "write": "written", "give": "given",
                   "take": "taken", "lookup": "looked up", "submit": "submitted",
                   "ship": "shipped", "plan": "planned", "log": "logged", "tag": "tagged", "pin": "pinned",
                   "begin": "begun", "show": "shown", "build": "built", "pay": "paid", "sell": "sold",
                   "hold": "held", "leave": "left", "bring": "brought", "choose": "chosen", "split": "split",
                   "upload": "uploaded", "search": "searched", "fetch": "fetched"}


def verb_and_noun(tool: Tool) -> tuple[str, list[str]]:
    """The verb of a tool's name (else of its description) and the noun it acts on:
    `get_calories_in_recipe` → ("get", ["calories"]); `circle_area` + "Calculate…" → ("calculate", [...]).
    A ToolBench name's trailing path parameters are no noun (result_nouns.result_noun): `…_correo_argentino_weight`
    + "List of quote for …" → ("get", ["quote"]), not "argentino weight"."""
    name = tool.name
    cut = len(name) >= MAX_NAME_LENGTH and "_" in name
    if cut:  # cut at 64 characters: its last word is a stump ("create_tas")
        name = name.rsplit("_", 1)[0]
    verb, noun = _verb_and_noun(name, str(tool.description or ""))
    return verb, list(result_noun(tool, name, verb, noun, cut))


@lru_cache(maxsize=65_536)  # asked for every call and every answer: once per tool is enough
def _verb_and_noun(name: str, description: str) -> tuple[str, tuple[str, ...]]:
    tool = Tool(tool_id="", name=name, description=description, parameters={}, returns=None, source="",
                source_format="", category="")
    words = [w for w in name_tokens(tool.name) if not w.isdigit()]
    verb, noun = "", words
    said = _kind_of(action_phrase(tool).split(" ", 1)[0])
    for position, word in enumerate(words):
        if word == "post" and words[position + 1:position + 2] == ["code"]:
            continue  # `postCode` is a postal code, not a request to post
        if word in KNOWN_VERBS and _kind_of(word) != said and any(
                w in KNOWN_VERBS and _kind_of(w) == said for w in words[position + 1:]):
            continue  # an API named with a verb (`Create Container Tracking`) has endpoints that only read
        if word in KNOWN_VERBS:
            # nothing after the verb: the words before it are its object (`core_memory_retrieve`), unless
            # they are an API's long name (`transportistas_de_argentina_tracking_correo_argentino_create`)
            before = words[:position] if position <= 3 else (_described_object(tool, word) or words[:position])
            after = [w for w in words[position + 1:] if w not in _QUANTIFIERS]
            verb, noun = word, after or before
            break
    if not verb:
        first = action_phrase(tool).split(" ", 1)[0]
        if len(words) > 1 and words[0] == first:
            # the name starts with the verb its description starts with (`draw_rectangle`, "Draw a rectangle…"):
            # the rest is the noun, or the result is a "draw rectangle" thing ("basic draw rectangle")
            verb, noun = first, words[1:]
        else:
            verb = first if first in KNOWN_VERBS else ""
    head = []
    for word in noun:
        if word in _PREPOSITIONS and head:
            break
        if word not in _PREPOSITIONS:
            head.append(word)
    return verb, tuple(head or noun)


def _described_object(tool: Tool, verb: str) -> list[str]:
    """The object of the description's request when the name ends with its verb (a ToolBench path
    `…/tracking/create_task` cut at 64 characters to `…_tracking_create`): "create task to get the
    history" → ["task"], never the API's name before the verb."""
    words = action_phrase(tool).split()
    if not words or words[0] != verb:
        return []
    thing = []
    for word in words[1:]:
        if word in _PREPOSITIONS or word == "to" or word.endswith(("ed", "ing")):
            break
        if word not in ("a", "an", "the"):
            thing.append(word.lower())
    return thing[-2:]


def noun_of(tool: Tool) -> str:
    _, noun = verb_and_noun(tool)
    return "_".join(noun[-2:])


def action_of(tool: Tool) -> str:
    return _kind_of(verb_and_noun(tool)[0])


def _kind_of(verb: str) -> str:
    """The action kind of a verb (`read` for a lookup and for any verb no list names)."""
    if verb in DELETE_VERBS:
        return "delete"
    for kind, verbs in (("compute", COMPUTE_VERBS), ("search", SEARCH_VERBS), ("create", CREATE_VERBS),
                        ("change", CHANGE_VERBS)):
        if verb in verbs:
            return kind
    return "read"


def collection_of(tool: Tool) -> str:
    """The store a tool's calls act on, for key-value stores: the words of its name before the verb (or its
    noun), less the words of entries (`core_memory_add`, `core_memory_list_keys`, `core_memory_retrieve_all`
    → "core_memory", apart from `archival_memory_*`'s "archival_memory")."""
    name = tool.name
    verb, noun = verb_and_noun(tool)
    words = [w for w in name_tokens(name) if not w.isdigit()]
    before = words[:words.index(verb)] if verb in words and words.index(verb) > 0 else list(noun)
    return "_".join(w for w in before if w not in _ENTRY_WORDS)


def outcome_text(tool: Tool, arguments: Mapping[str, Any]) -> str:
    """What a call that went through says of itself ("Message sent successfully."): the thing it acted on
    and its verb in the past. A key-value call acts on its key ("Key replaced successfully.", as BFCL's memory
    answers "Key replaced."), not on the whole store; a verb the name does not tell is "completed"."""
    verb, noun = verb_and_noun(tool)
    thing = "key" if any(field_key(k) == "key" for k in arguments) else "_".join(noun[-2:]) or "request"
    return f"{humanize(thing).capitalize()} {past_tense(verb) if verb else 'completed'} successfully."


def past_tense(verb: str) -> str:
    """"created", "applied", "retrieved" ("geted", "applyed" and "finded" were written into results' outcome
    texts before)."""
    if verb in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"
