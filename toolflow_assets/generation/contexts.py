"""Why the user is asking: a sentence of context a person adds to a request ("My manager asked me to look
into this before the weekend."), drawn per dialogue and more often the more the persona says.

Requests that are only the task read like a test suite; people say what they are up to, and an agent
trained on their words must read past it. The sentence names no value (no digits, no days or dates), so no
check mistakes it for an argument the user gave: it is context, never data.
"""

from __future__ import annotations

import random

from .composed_values import _DOCUMENTS, _MEETINGS

_RELATIONS = ("manager", "sister", "client", "teammate", "landlord", "coach", "partner", "professor", "neighbour",
              "accountant", "boss", "roommate")
_PROJECTS = ("school project", "side project", "client report", "volunteer group", "small business", "thesis",
             "family trip", "house move", "team handbook", "newsletter")
_WHEN = ("before the weekend", "by the end of the day", "later today", "before lunch", "by tonight",
         "before my next meeting", "this afternoon", "first thing tomorrow")
_CONTEXTS = (
    "My {relation} asked me to look into this {when}.", "I've got a {meeting} soon and need this first.",
    "It's for a {project} I'm working on.", "I'm helping my {relation} with this, so it has to be right.",
    "I want to get this done {when}.", "I promised my {relation} an answer {when}.",
    "Trying to clear my to-do list {when}.", "The {noun} part is what's blocking me right now.",
    "I'm new to this, so bear with me.", "I only have a few minutes before the {meeting}.",
    "Context: I'm preparing the {doc} and need this for it.", "It's a small thing, but it keeps bugging me.",
    "We're going over the {noun} side of our {project} {when}.", "My {relation} usually handles the {noun} stuff.",
    "This is part of tidying up my {project}.", "I need it for the {doc} I owe my {relation}.",
    "I'd normally do this myself, but I'm swamped {when}.", "Double-checking things for my {relation}.",
)
CONTEXT_SHARE = {"terse": 0.1, "normal": 0.35, "detailed": 0.75}


def context_sentence(rng: random.Random, verbosity: str, noun: str) -> str | None:
    """A sentence of why, or None (most terse users give none)."""
    if rng.random() >= CONTEXT_SHARE.get(verbosity, 0.3):
        return None
    frames = [f for f in _CONTEXTS if noun or "{noun}" not in f]
    return rng.choice(frames).format(relation=rng.choice(_RELATIONS), project=rng.choice(_PROJECTS),
                                     when=rng.choice(_WHEN), meeting=rng.choice(_MEETINGS),
                                     doc=rng.choice(_DOCUMENTS), noun=noun)
