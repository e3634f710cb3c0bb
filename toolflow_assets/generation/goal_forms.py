"""A request said as the outcome the user wants: "replace a key-value pair in the long-term memory" →
"I'd like a key-value pair replaced in the long-term memory", "send a message to a user" → "Can you get a
message sent to a user?".

People ask for a result as often as they give an order; an order on every turn is what makes a template
writer's requests read alike. Only a request that changes something has such a form (nobody says "I want
the value retrieved"), and only when its object is a plain noun phrase followed by a preposition: "delete
the latest message sent to a receiver" has none ("I want the latest message deleted sent to …").
"""

from __future__ import annotations

import random
import re
from typing import Sequence

# verbs of an action, with the participles a person says for them
_PARTICIPLES = {
    "send": ("sent", "sent off"), "post": ("posted", "put up"), "delete": ("deleted", "removed"),
    "remove": ("removed", "taken out"), "replace": ("replaced", "overwritten", "swapped out"),
    "update": ("updated", "changed"), "create": ("created", "set up"), "add": ("added",), "cancel": ("cancelled",),
    "book": ("booked", "reserved"), "publish": ("published",), "archive": ("archived",), "rename": ("renamed",),
    "move": ("moved",), "schedule": ("scheduled",), "register": ("registered",), "upload": ("uploaded",),
    "share": ("shared",), "edit": ("edited",), "mark": ("marked",), "reset": ("reset",),
}
_DETERMINERS = frozenset("a an the my all every each some".split())
_PREPOSITIONS = frozenset("to in from for with on at into under by".split())
_MAX_OBJECT_WORDS = 6
_FRAMES = {
    "direct": ("I want {o} {p}{r}.", "{O} needs to be {p}{r}.", "Get {o} {p}{r}.", "I need {o} {p}{r}."),
    "polite": ("I'd like {o} {p}{r}, please.", "Could you have {o} {p}{r}?", "Could you get {o} {p}{r}, please?",
               "I would like {o} {p}{r}."),
    "casual": ("Can you get {o} {p}{r}?", "Need {o} {p}{r}.", "Gotta get {o} {p}{r}.", "Let's get {o} {p}{r}."),
    "chatty": ("I'd love to have {o} {p}{r}.", "What I need is {o} {p}{r}.", "Could we get {o} {p}{r}?",
               "I'm hoping to get {o} {p}{r} today."),
}


def outcome_form(rng: random.Random, style: str, action: str, values: Sequence[str] = ()) -> str | None:
    """The action as the outcome wanted, in a frame of the persona's style; None when it has no such form.
    `values`: the values woven into the action, each one word here, so that the "to" of "trip to Leland" is
    read as no preposition ("the default value trip added to Leland to a dictionary" otherwise)."""
    whole = {f"\x00{index}\x00": value for index, value in enumerate(v for v in values if " " in v and v in action)}
    for token, value in whole.items():
        action = action.replace(value, token)
    found = _outcome_form(rng, style, action)
    for token, value in whole.items():
        found = found.replace(token, value) if found else found
    return found


def _outcome_form(rng: random.Random, style: str, action: str) -> str | None:
    verb, _, rest = action.partition(" ")
    participles = _PARTICIPLES.get(verb.lower())
    words = rest.split()
    if not participles or not words or words[0].lower() not in _DETERMINERS:
        return None
    end, quoted = 1, words[0].count('"') % 2 == 1
    while end < len(words) and (quoted or words[end].lower() not in _PREPOSITIONS or words[end - 1].lower() == "of"):
        if not quoted and (words[end].lower().endswith("ed") or words[end].lower() in ("sent", "made", "held")):
            return None  # a participle already qualifies the object ("the message sent to …")
        quoted ^= words[end].count('"') % 2 == 1  # a quoted message is one thing: its "at" is no preposition
        end += 1
    thing, tail = " ".join(words[:end]), " ".join(words[end:])
    if quoted or len(re.sub(r'"[^"]*"', "Q", thing).split()) > _MAX_OBJECT_WORDS:  # a quoted message is one word
        return None
    frame = rng.choice(_FRAMES.get(style, _FRAMES["direct"]))
    return frame.format(o=thing, O=thing[:1].upper() + thing[1:], p=rng.choice(participles),
                        r=f" {tail}" if tail else "")
