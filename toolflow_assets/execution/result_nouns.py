"""What a call returns, where a tool's name says it badly: the noun of its result, and results that are prices.

A ToolBench name is the API's name and its endpoint's path joined, path parameters included and cut at 64
characters: `Transportistas_de_Argentina_quotes_city_correo_argentino_weight` ends with the `:weight` it takes, and
`…_result_tas` with a stump of `result_task`. Read as nouns, these gave results like `{"argentino_weight":
64.83}` ("the argentino weight is 64.83") for a shipping quote. `result_noun` drops the trailing words that
are the tool's parameters and the stump, and where the name then names no verb of its own, takes the
description's object ("List of quote for …" → quote; "Result for one Task ID." → result).

`priced` says a read tool returns a price: a quote, fare or cost of what its parameters measure (a weight,
a volume, a route), so the simulated executor answers with a price, not a made-up "Garcia Quote".
"""

from __future__ import annotations

from typing import Sequence

from ..mentions import field_key, name_tokens, plural
from ..planning.phrasing import action_phrase
from ..tools import Tool

_ARTICLES = frozenset({"a", "an", "the", "one", "some", "all"})
_PREPOSITIONS = frozenset("in of for by to from with on at per into via".split())
# "the list of offices": the offices are the thing
_COLLECTIVE = frozenset("list set collection details information info".split())


def _parameter_keys(tool: Tool) -> frozenset[str]:
    props = tool.parameters.get("properties") if isinstance(tool.parameters, dict) else None
    return frozenset(field_key(p) for p in props) if isinstance(props, dict) else frozenset()


def described_object(tool: Tool) -> list[str]:
    """The object of the description's request, after its verb ("look up the result for one Task ID" →
    ["result"], "get the list of quote for …" → ["quote"]), its last two words at most; [] where none."""
    words = action_phrase(tool).split()
    rest = words[2:] if words[1:2] == ["up"] else words[1:]
    thing: list[str] = []
    listed = False
    for word in (w.lower() for w in rest):
        if word == "of" and thing and thing[-1] in _COLLECTIVE:
            thing, listed = [], True
            continue
        if word in _PREPOSITIONS or (thing and word.endswith(("ing", "ed"))):
            if thing:
                break
            continue
        if word in _ARTICLES and not thing:
            continue
        thing.append(word)
    words = list(name_tokens(" ".join(thing)))[-2:]
    if listed and words:  # "the list of city" lists cities
        words[-1] = plural(words[-1])
    return words


# a name of more words than this is an API's name and an endpoint's path (ToolBench's), with its placeholders
_SHORT_NAME = 4


def result_noun(tool: Tool, name: str, verb: str, noun: Sequence[str], cut: bool) -> tuple[str, ...]:
    """`noun` (what `verbs` read from the name) for an endpoint's path: a long name with no verb of its own,
    or one `cut` at 64 characters. Without the trailing words that name the tool's parameters and the stump,
    it is the description's object (or, for a cut name with a verb, the words left). Any other name keeps its
    noun."""
    own_verb = bool(verb) and verb in name_tokens(name)
    if not cut and (own_verb or len([w for w in name_tokens(name) if not w.isdigit()]) <= _SHORT_NAME):
        # a name that states its verb, or a short one, is written, not a path: `get_rectangle_property(property)`
        # is about the rectangle's property, `create_team(team)` creates a team
        return tuple(noun)
    keys = _parameter_keys(tool)
    words = list(noun)
    stripped = cut
    while words:
        size = next((n for n in range(min(4, len(words)), 0, -1) if field_key("_".join(words[-n:])) in keys), 0)
        if not size:
            break
        del words[-size:]
        stripped = True
    if not stripped:
        return tuple(noun)
    if own_verb:  # cut: the words left after the stump (`…_create_tas` → task)
        return tuple(words or described_object(tool) or noun)
    return tuple(described_object(tool) or words or noun)


# what a price is called; a `quote` is one only for a tool that prices something (else it is a saying)
_PRICE_NOUNS = frozenset({"price", "prices", "cost", "costs", "fare", "fares", "tariff", "tariffs"})
_QUOTE_NOUNS = frozenset({"quote", "quotes", "quotation", "quotations", "estimate", "estimates"})
# parameters that say what is priced: its size, its worth, its route
_PRICED_BY = frozenset({"weight", "volume", "cost", "price", "amount", "value", "distance", "length", "width", "height",
                        "postcode", "zip", "zipcode", "origin", "destination", "src", "dst", "quantity", "dimensions"})


def priced(tool: Tool, noun: Sequence[str]) -> bool:
    """The tool's result is a price: its noun is one (`fare`, `shipping_cost`), or a quote or estimate of
    something its parameters measure (`weight`, `postCodeDst`, `volume`)."""
    last = noun[-1] if noun else ""
    if last in _PRICE_NOUNS:
        return True
    if last not in _QUOTE_NOUNS:
        return False
    props = tool.parameters.get("properties") if isinstance(tool.parameters, dict) else None
    words = {w for name in (props if isinstance(props, dict) else {}) for w in name_tokens(name)}
    return bool(words & _PRICED_BY) or any(k.startswith(("postcode", "zip")) for k in _parameter_keys(tool))
