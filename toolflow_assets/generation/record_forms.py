"""A record's fields said the way people name things, before an answer turns them into sentences.

A name with its id is told as "Mojito (ID-45)" at an answer's head, not as two labelled fields, and a home
and an away side of one result as the fixture ("Celtics at Yankees"). Every value stays verbatim (the claims
check holds answers to that); only the labels go. Apart from `answers.py` because these forms rewrite the
facts (label, value) a result view chose, whichever sentence then says them.
"""

from __future__ import annotations

import random
from typing import Sequence

from .language import numeric

# A name and its id are told as people tell them, "Mojito (ID-45)", never "the title is Mojito, id ID-45":
# the label says nothing the value does not ("the sport title is NBA" is NBA).
_NAMING_LABELS = frozenset("title name".split())
_ID_LABELS = frozenset("id key code".split())


def _name_like(value: str) -> bool:
    return value[:1].isalpha() and value not in ("yes", "no") and not numeric(value) and not value.startswith('"')


def unlabelled(facts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The facts with a name (a field whose label ends in "title" or "name") said without its label, and an id
    of the same record in brackets after it: [("id", "ID-1"), ("title", "Mojito"), ("image", u)] →
    [("", "Mojito (ID-1)"), ("image", u)]. Every value stays, verbatim; an empty label marks the bare value."""
    facts = list(facts)
    name = next((i for i, (label, value) in enumerate(facts)
                 if label.split()[-1:] and label.split()[-1] in _NAMING_LABELS and _name_like(value)), None)
    if name is None:
        return facts
    ident = next((i for i, (label, value) in enumerate(facts)
                  if i != name and label.split()[-1:] and label.split()[-1] in _ID_LABELS
                  and value not in ("yes", "no") and len(label.split()) <= 2), None)
    if min(name, ident if ident is not None else name) != 0:
        return facts  # only the answer's head goes bare: "…are the ingredients, and Daiquiri" names nothing
    # a key that is the name ("basketball", "basketball") is said once
    said = facts[name][1] + (f" ({facts[ident][1]})" if ident is not None and facts[ident][1] != facts[name][1] else "")
    return [("", said), *(fact for i, fact in enumerate(facts) if i not in (name, ident))]


_PAIRINGS = ("{away} at {home}", "{home} hosting {away}", "{home} against {away}", "{away} visiting {home}")


def paired(rng: random.Random, facts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """A home and an away side of one result said as the fixture a person would name ("Celtics at
    Yankees"), not as two fields; every value still verbatim."""
    found = {label: value for label, value in facts}
    out: list[tuple[str, str]] = []
    for label, value in facts:
        side, _, rest = label.partition(" ")
        if side in ("home", "away") and rest and f"home {rest}" in found and f"away {rest}" in found:
            if side == "home" or (f"home {rest}", found[f"home {rest}"]) in out:
                continue
            what = "match" if rest in ("team", "side", "club") else rest
            out.append((what, rng.choice(_PAIRINGS).format(home=found[f"home {rest}"], away=value)))
            continue
        out.append((label, value))
    return out
