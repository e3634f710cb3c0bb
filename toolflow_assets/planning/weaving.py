"""Values said where a request names their thing: "delete the latest message sent to receiver REC-96806".

`weave_values(rng, action, values)` takes an `action_phrase` and the call's values and puts each plain value
where the description names its thing ("for a postcode" → "for postcode 6290"), an origin and a destination
as the way between them ("from postcode 7344 to 4160"). A person says a value where the thing is, not in a
separate "For the keyword, use …" after the request. Apart from `phrasing.py` (a description and a value as
words) because this is a rule of its own over a finished phrase: where a value may go, and by which name.
"""

from __future__ import annotations

import random
import re
from typing import Any

from .phrasing import label, mention, spoken_label

_ID_ENDINGS = ("id", "ids", "name", "code", "key", "number")


def weave_values(rng: random.Random, action: str, values: list[tuple[str, Any]]) -> tuple[str, set[str]]:
    """The action with values said where its description names them ("search for messages containing a
    keyword" → "… containing the keyword budget travel tips", "delete the latest message sent to a receiver"
    → "… sent to receiver REC-96806"), and the names of the values woven in. A person says the value where
    the thing is, not in a separate "For the keyword, use …" after it; each value is still verbatim.
    Only a plain value (not yes/no, a list or an object), for a thing the action names once."""
    action, woven = _weave_ends(rng, action, values)
    for name, value in values:
        if name in woven or isinstance(value, (bool, list, dict)) or value is None or rng.random() < 0.25:
            continue
        words = label(name).split()
        thing = words[:-1] if len(words) > 1 and words[-1] in _ID_ENDINGS else words
        if not thing:
            continue
        said = mention(value)
        pattern = _naming(thing)
        spoken = _spoken_thing(name)
        if len(pattern.findall(action)) != 1 and spoken and spoken != thing \
                and len(_naming(spoken).findall(action)) == 1:
            # the description names it as a person does ("for a postcode" for `postCode`, "for a state" for
            # `stateIsoCode`): said by the spoken name and its value ("for postcode 6290", "for state AR-C")
            words = thing = spoken
            pattern = _naming(spoken)
        if len(pattern.findall(action)) == 1:
            identifier = thing != words or not isinstance(value, str) or bool(re.search(r"\d", said)) \
                or thing[-1] in ("keyword", "query", "term", "terms")  # "for a keyword": never "for San" alone
            forms = [f"{' '.join(thing)} {said}", f"the {' '.join(words)} {said}"]
            if not identifier:
                forms.append(said)
        else:  # `regions` where the description says "for a region": the thing in the singular, named
            one = [*thing[:-1], thing[-1][:-1]] if len(thing[-1]) > 3 and thing[-1].endswith("s") \
                and not thing[-1].endswith(("ss", "us", "is", "ics")) else []
            pattern = _naming(one) if one else pattern
            if not one or len(pattern.findall(action)) != 1:
                continue
            forms = [f"the {' '.join(one)} {said}", f"{' '.join(one)} {said}"]
        action = pattern.sub(lambda _: rng.choice(forms), action, count=1)
        woven.add(name)
    return action, woven


def _spoken_thing(name: str) -> list[str]:
    """The thing a parameter names, in the words a person says (`spoken_label` less an id ending): `postCode`
    → postcode, `stateIsoCode` → state."""
    words = spoken_label(name).split()
    return words[:-1] if len(words) > 1 and words[-1] in _ID_ENDINGS else words


def _weave_ends(rng: random.Random, action: str, values: list[tuple[str, Any]]) -> tuple[str, set[str]]:
    """An origin and a destination of one thing (`postCodeSrc`, `postCodeDst`) where the action names the
    thing once ("get the quotes for a postcode"): said as the way between them, "… from postcode 7344 to
    4160", never the thing twice in a "Details: …" tail."""
    woven: set[str] = set()
    ends: dict[str, dict[str, Any]] = {}
    for name, value in values:
        words = _spoken_thing(name)
        if len(words) > 1 and words[0] in ("origin", "destination") and not isinstance(value, (bool, list, dict)) \
                and value is not None:
            ends.setdefault(" ".join(words[1:]), {})[words[0]] = (name, value)
    for thing, pair in ends.items():
        if len(pair) != 2 or rng.random() < 0.2:
            continue
        pattern = re.compile(r"(?:\b(?:for|of|in|to) )?" + _naming(thing.split()).pattern, re.IGNORECASE)
        if len(pattern.findall(action)) != 1:
            continue
        (origin, source), (target, destination) = pair["origin"], pair["destination"]
        said = rng.choice((f"from {thing} {mention(source)} to {mention(destination)}",
                           f"from {thing} {mention(source)} to {thing} {mention(destination)}"))
        action = pattern.sub(lambda _: said, action, count=1)
        woven |= {origin, target}
    return action, woven


def _naming(thing: list[str]) -> re.Pattern[str]:
    """Where an action names a thing with an article ("a keyword", "the given receiver"), or without one
    after "for" or "and" as shorthand writes it ("quotes for postcode"), not its id."""
    return re.compile(r"(?:\b(?:an?|the)(?: given| specified| particular| specific)? |(?<=\bfor )|(?<=\band )|(?<=& ))"
                      + r"[ -]".join(re.escape(w) for w in thing) + r"(?![\w-])(?! (?:" + "|".join(_ID_ENDINGS) + r")\b)",
                      re.IGNORECASE)
