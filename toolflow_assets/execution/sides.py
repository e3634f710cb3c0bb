"""Two fields of one record that name different sides hold different values: the simulated executor's rule.

`Live_Sports_Odds_v4_sports_sport_scores` came back with `"home_team": "Yankees", "away_team": "Yankees"`: each
field was drawn on its own from the same lexicon, and a fixture of a team against itself contradicts the
record. Fields whose names differ only in a side word (home/away, sender/receiver, origin/destination...)
are two parties of one thing; where they came out equal and the call did not give that value, the later one
is drawn again.
"""

from __future__ import annotations

import random
from typing import Any, Iterator, Mapping

from ..json_schema.refs import resolve_ref
from ..mentions import field_key, name_tokens, same_value
from ..values import Synthesizer
from .echo import field_schema

_SIDES = (("home", "away"), ("sender", "receiver"), ("sender", "recipient"), ("buyer", "seller"),
          ("winner", "loser"), ("origin", "destination"), ("departure", "arrival"), ("source", "target"),
          ("src", "dst"), ("from", "to"), ("attacker", "defender"), ("host", "guest"))
_OTHER = {a: {b for x, b in _SIDES if x == a} | {x for x, y in _SIDES if y == a} for pair in _SIDES for a in pair}
ATTEMPTS = 6


def counterpart(first: str, second: str) -> bool:
    """The two field names are the same but for a side word (`home_team`, `away_team`)."""
    a, b = name_tokens(first), name_tokens(second)
    if len(a) != len(b) or len(a) < 2:
        return False  # a bare `from` and `to` are a range's ends, not two parties
    differing = [(x, y) for x, y in zip(a, b) if x != y]
    return len(differing) == 1 and differing[0][1] in _OTHER.get(differing[0][0], set())


def distinct_sides(result: Any, returns: Any, arguments: Mapping[str, Any], rng: random.Random) -> Any:
    """The result with each pair of side fields of one object made to differ (in place; nested objects too).
    The call's own values stay: a field named like an argument is the echo rule's."""
    _walk(result, returns, returns, {field_key(k) for k in arguments}, rng, depth=0)
    return result


def same_sides(node: Mapping[str, Any], argued: set[str]) -> Iterator[tuple[str, str]]:
    """(first, second) for each pair of side fields of one object that hold the same text where the call did
    not give the second (`argued`: the call's argument names, as `field_key`s): the pairs the executor draws
    again and the quality check (quality/state.py) fails. Lazy: each pair is tested when reached, so a caller
    that changes a value meanwhile is not told of a pair it already fixed."""
    keys = list(node)
    for i, first in enumerate(keys):
        for second in keys[i + 1:]:
            if counterpart(first, second) and isinstance(node[first], str) and same_value(node[first], node[second]) \
                    and field_key(second) not in argued:
                yield first, second


def clashing_sides(result: Any, arguments: Mapping[str, Any]) -> list[tuple[str, str, str, Any]]:
    """(path of the object, first field, second field, their value) for each pair of side fields of one
    object in the result (nested objects and list items too) that hold the same value the call did not give:
    a record that names one party twice (`home_team` and `away_team` both "Yankees")."""
    argued = {field_key(k) for k in arguments}
    found: list[tuple[str, str, str, Any]] = []

    def walk(node: Any, path: str, depth: int) -> None:
        if depth > 5:
            return
        if isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{path}[{index}]", depth + 1)
        elif isinstance(node, dict):
            found.extend((path, first, second, node[first]) for first, second in same_sides(node, argued))
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key), depth + 1)

    walk(result, "", 0)
    return found


def _walk(node: Any, schema: Any, root: Any, argued: set[str], rng: random.Random, depth: int) -> None:
    if depth > 5:
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, field_schema(schema, None, root) if schema is not None else None, root, argued, rng, depth + 1)
        return
    if not isinstance(node, dict):
        return
    for _, second in same_sides(node, argued):
        _redraw(node, second, field_schema(schema, second, root) if schema is not None else None, root, rng)
    for key, value in node.items():
        _walk(value, field_schema(schema, key, root) if schema is not None else None, root, argued, rng, depth + 1)


def _redraw(node: dict[str, Any], key: str, schema: Any, root: Any, rng: random.Random) -> None:
    synth = Synthesizer(rng, root=root if isinstance(root, dict) else {})
    taken = [v for k, v in node.items() if k != key]
    for _ in range(ATTEMPTS):
        value = synth.value(resolve_ref(schema, root) if isinstance(schema, dict) else {"type": "string"}, key)
        if not any(same_value(value, other) for other in taken if isinstance(other, str)):
            node[key] = value
            return
