"""Data-flow links that name matching misses: an identifier and the parameter that takes it.

Similarity scores a field by all of its words, so the link every API reader sees between a list of states
that returns `iso_code` and a city search that takes `stateIsoCode` scores 0.65, and `sport_key` → `sport`
0.56, under the 0.80 data-flow threshold. Two name shapes say it outright when the output is an
identifier (its last word `id`, `key`, `code`, `uuid`, and at least one word besides):
- the parameter's name ends with the output's (`iso_code` → `state_iso_code`, `stateIsoCodeSrc`: the end
  word `src`/`dst`/`from`/`to` of a two-ended call is set aside first);
- the parameter is the thing the output identifies by a key or code (`sport_key` → `sport`), for a declared
  output only (a `message` parameter takes the message's text, never a guessed `message_id`). A bare `key`
  or `code` is the key of the things its tool lists, by the tool's own name: the Odds API's `/v4/sports`
  lists sports, so its records' `key` → `sport` (a scores or odds call for that sport).
- a listing's bare `id` is the id of the things it lists, in that API's own id space: it feeds a bare `id`
  parameter of an endpoint of the same API (`tools.api_of`) whose own name, the words after the
  name the two share, is about that thing (The Cocktail DB's `List of Cocktails` records' `id` →
  `Detailed Cocktail Recipe by ID`'s `id`). A bare id means nothing outside its API, and a sibling about
  another thing (`Ingredient by ID`) takes another thing's id.
A link also needs types that fit and the two tools working on the same things (`meanings.same_context`),
the rule that lifted link precision on the labeled sample, so `order_id` of a shop never feeds `order`
of a sort. Fields are indexed by their name words: one pass over each side, no pair loop.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

import numpy as np

from ..meanings import same_context
from ..tools import Tool, api_of
from .fields import ToolField, fills, name_parts
from .text import split_identifier, stem

_IDENTIFIER_WORDS = frozenset({"id", "key", "code", "uuid"})
# A parameter named after a thing takes its key or code (`sport` ← `sport_key`), not always its id: `message`
# is the message's text, never a `message_id`; and a guessed (inferred) output is not trusted that far.
_KEY_WORDS = frozenset({"key", "code"})
_END_WORDS = frozenset({"src", "dst", "source", "target", "from", "to", "origin", "destination", "dest"})
# words a collection's name may carry besides its one plural noun (`List of Cocktails`, `all_countries`)
_COLLECTION_FILLERS = frozenset({"of", "all", "the"})


def _words(field: ToolField) -> tuple[str, ...]:
    return tuple(stem(w) for w in split_identifier(field.name))


def _parameter_keys(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The name words a parameter is found by: itself, and without a trailing end word (`…_src`)."""
    keys = [words]
    if len(words) > 1 and words[-1] in _END_WORDS:
        keys.append(words[:-1])
    return keys


def _listed_thing(tool: Tool) -> tuple[str, ...]:
    """The thing a tool lists, by its name's object when that is one plural word (`/v4/sports` → `sport`);
    () otherwise (`get_user` names no collection: its `key` is no user's)."""
    _, words = name_parts(tool)
    words = [w for w in words if w not in _COLLECTION_FILLERS]
    if len(words) != 1 or stem(words[0]) == words[0]:
        return ()
    return (stem(words[0]),)


def _own_name_words(tool: Tool, sibling: Tool) -> frozenset[str]:
    """The stemmed words of a tool's name after the words it shares with a sibling's at the start (the
    API's name: `The Cocktail DB_Detailed Cocktail Recipe by ID` beside `The Cocktail DB_List of Cocktails`
    → detailed cocktail recipe by id)."""
    own = split_identifier(tool.original_name or tool.name)
    other = split_identifier(sibling.original_name or sibling.name)
    shared = 0
    while shared < min(len(own), len(other)) and own[shared] == other[shared]:
        shared += 1
    return frozenset(stem(w) for w in own[shared:])


def identifier_links(tools: Sequence[Tool], inputs: Sequence[ToolField], outputs: Sequence[ToolField],
                     groups: np.ndarray, score: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(output field numbers, input field numbers, scores) of the links above, each at `score` (the
    data-flow threshold: admitted by rule, ranked after every link similarity found)."""
    by_suffix: dict[tuple[str, ...], list[int]] = defaultdict(list)  # every proper suffix of a parameter name
    by_name: dict[tuple[str, ...], list[int]] = defaultdict(list)
    bare_ids: dict[str, list[int]] = defaultdict(list)  # bare `id` parameters by API: a listing's id stays inside
    for number, field in enumerate(inputs):
        for key in _parameter_keys(_words(field)):
            by_name[key].append(number)
            for start in range(1, len(key) - 1):
                by_suffix[key[start:]].append(number)
        if _words(field) == ("id",) and api_of(tools[field.tool_index]):
            bare_ids[api_of(tools[field.tool_index])].append(number)
    out_rows: list[int] = []
    in_rows: list[int] = []
    for number, field in enumerate(outputs):
        words = _words(field)
        src = tools[field.tool_index]
        if words == ("id",) and not field.inferred:
            thing = _listed_thing(src)
            if not thing or not api_of(src):
                continue
            candidates = {c for c in bare_ids[api_of(src)]
                          if thing[0] in _own_name_words(tools[inputs[c].tool_index], src)}
        else:
            if len(words) == 1 and words[0] in _KEY_WORDS and not field.inferred:
                words = (*_listed_thing(src), *words)
            if len(words) < 2 or words[-1] not in _IDENTIFIER_WORDS:
                continue
            candidates = set(by_suffix.get(words, ()))
            if not field.inferred and words[-1] in _KEY_WORDS:
                candidates.update(by_name.get(words[:-1], ()))
        for candidate in candidates:
            target = inputs[candidate]
            if groups[target.tool_index] == groups[field.tool_index] or not fills(field.type, target.type):
                continue
            if same_context(src, field.path, tools[target.tool_index], target.path):
                out_rows.append(number)
                in_rows.append(candidate)
    count = len(out_rows)
    return (np.asarray(out_rows, dtype=np.int64), np.asarray(in_rows, dtype=np.int64),
            np.full(count, score, dtype=np.float32))
