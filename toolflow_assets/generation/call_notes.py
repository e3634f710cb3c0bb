"""What the template writer's assistant says with its calls: a word before them, a note before a retry.

Apart from `answers.py` (the answer to a round of results) because these lines carry no result: they are
said while calling, now and then, so a dialogue's assistant does not call in silence every time nor answer
every call with the same stock phrase.
"""

from __future__ import annotations

import random

from .language import cap

_BEFORE_CALLS = ("Let me check that for you.", "Sure, one moment.", "On it.", "I'll take care of that now.",
                 "Let me look into that.", "Okay, running that now.", "Sure thing.", "Let me find out.")
_BETWEEN_CALLS = ("Got it. Now I'll use that for the next step.", "That worked; continuing with the next step.",
                  "Now the next part.", "Good, moving on to the next step.", "That's in. On to the second step.",
                  "I have what I need from that, so here's the next call.", "Step one done; now the follow-up.")
_RETRY_NOTES = {
    "rate_limited": ("Rate limited; I'll wait a moment and try again.", "The service asked me to slow down. Trying once "
                     "more.", "Too many requests just now, retrying."),
    "timeout": ("That timed out. Trying again.", "No answer in time; let me retry.", "The request timed out, so I'm "
                "sending it once more."),
}
_RETRY_ANY = ("The service had a hiccup. Trying again.", "That failed on their side; retrying once.",
              "Temporary error, let me try once more.")


def retry_note(rng: random.Random, kind: str) -> str:
    """What the assistant says before trying a call again after a passing failure."""
    return rng.choice(_RETRY_NOTES.get(kind, _RETRY_ANY))


_ACKS = ("Sure", "OK", "Got it", "Alright", "Certainly", "No problem", "Of course", "Right", "Will do",
         "Sounds good", "Understood", "Okay")
_INTENTS = ("I'll {verb} the {noun} now.", "let me {verb} the {noun}.", "I'll {verb} that {noun} for you.",
            "I'm going to {verb} the {noun}.", "first I'll {verb} the {noun}.", "one moment while I {verb} the {noun}.",
            "I'll go ahead and {verb} the {noun}.")
_NEXT_INTENTS = ("Now I'll {verb} the {noun}.", "Next, I'll {verb} the {noun} with that.",
                 "With that, I can {verb} the {noun}.", "That gives me what I need to {verb} the {noun}.",
                 "Good. Now to {verb} the {noun}.")


def before_calls(rng: random.Random, later_round: bool, verb: str = "", noun: str = "") -> str | None:
    """What the assistant says with its calls, now and then: what it is about to do ("Sure, I'll delete
    the message now.") when the tool's verb and noun are known, else a stock phrase."""
    if rng.random() >= (0.35 if later_round else 0.25):  # an agent mostly calls without a word
        return None
    if verb and noun and rng.random() < 0.7:
        if later_round:
            return rng.choice(_NEXT_INTENTS).format(verb=verb, noun=noun)
        intent = rng.choice(_INTENTS).format(verb=verb, noun=noun)
        return f"{rng.choice(_ACKS)}, {intent}" if rng.random() < 0.6 else cap(intent)
    return rng.choice(_BETWEEN_CALLS if later_round else _BEFORE_CALLS)
