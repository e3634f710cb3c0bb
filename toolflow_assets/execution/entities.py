"""The simulated executor's memory of one dialogue: the things its calls created, changed and deleted.

Every object a result returns with an id (`card_id`, `id`, `booking_id`...) becomes an entity, with the
object's other plain fields and, for a creating call, the arguments that made it. A later call that names
the id finds it: a lookup returns the stored fields, an update changes them, a delete removes the entity,
and a lookup after the delete finds nothing. "Names the id" means the value matches and the call is about
the same kind of thing (`card_id` for a card, or a bare `id` given to a tool whose noun the entity shares):
plans reuse one value across unrelated tools, and deleting an SLI config must not delete a trace.
Only a call that acts on an existing thing (a lookup, a change, a delete) fails on a deleted one: sending a
new message to a receiver whose last message was deleted creates a message (and the receiver has one again).

A key-value store (BFCL's `core_memory_add(key, value)`) keeps its entries per store (verbs.collection_of):
a lookup by `key` gives the stored value back, and a call that retrieves the whole store lists the entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import random
from typing import Any, Mapping

from ..mentions import field_key
from ..values import Synthesizer, name_tokens, singular
from .echo import nested_arguments, stale_mention

_ID_WORDS = frozenset({"id", "uuid", "guid"})
# actions that act on a thing that exists, so fail once it was deleted (verbs.action_of); a create, a search and
# a computation do not need it to exist
_ON_EXISTING = frozenset({"read", "change", "delete"})
# nouns of a thing's own record (`get_card_details` returns the card), unlike `comments` of a tweet
_RECORD_WORDS = frozenset({"detail", "info", "information", "data", "record", "profile", "summary"})
# what people keep in a memory, for a store whose entries no earlier call of the dialogue told
_TYPICAL_KEYS = ("favorite_team", "home_city", "preferred_language", "favorite_food", "project_deadline",
                 "employer", "favorite_book", "user_name")


def is_id_name(name: str) -> bool:
    tokens = name_tokens(name)
    return bool(tokens) and tokens[-1] in _ID_WORDS


def _key(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    return text or None


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


@dataclass
class Entity:
    id_field: str
    id_value: Any
    kind: frozenset[str]  # words naming what it is: the id field's (`card` of card_id) and the tool's noun
    attributes: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False

    def named_by(self, argument: str, noun: frozenset[str]) -> bool:
        # singular forms: `get_tweet(tweet_id)` names a tweet that `search_tweets` listed
        kind = _singulars(self.kind)
        words = _singulars(set(name_tokens(argument)) - _ID_WORDS)
        return bool(words & kind) if words else bool(_singulars(noun) & kind)


def _singulars(words: set[str] | frozenset[str]) -> set[str]:
    return {singular(w) for w in words}


@dataclass
class EntityStore:
    by_id: dict[str, Entity] = field(default_factory=dict)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # key-value store -> its known entries
    whole: set[str] = field(default_factory=set)  # stores whose every entry is known (listed, or cleared)

    def gone(self, action: str, arguments: Mapping[str, Any], noun: frozenset[str]) -> Entity | None:
        """The deleted entity that makes this call fail as not found: only a call that acts on an existing
        thing (a lookup, change or delete of it) does; creating, sending or posting to the same receiver or
        parent makes a new thing."""
        if action not in _ON_EXISTING:
            return None
        target = self.referenced(arguments, noun)
        return target if target is not None and target.deleted else None

    def may_be_missing(self, action: str, arguments: Mapping[str, Any], noun: frozenset[str]) -> bool:
        """A "not found" answer to this call agrees with the dialogue: the thing it acts on was deleted (`gone`),
        or it names nothing an earlier result returned. A thing the dialogue returned and did not delete exists,
        and a create or send to the receiver or parent of a deleted thing makes a new one. A failure a simulated
        executor makes up must keep to it; the quality check (quality/state.py) holds every dialogue to it."""
        if self.gone(action, arguments, noun) is not None:
            return True
        return self.referenced(arguments, noun) is None

    def referenced(self, arguments: Mapping[str, Any], noun: frozenset[str]) -> Entity | None:
        """The entity a call names by id (deleted ones too: the caller decides what a deleted one means).
        `noun`: the words of what the calling tool acts on."""
        for name, value in arguments.items():
            key = _key(value)
            if key is not None and is_id_name(name) and key in self.by_id and self.by_id[key].named_by(name, noun):
                return self.by_id[key]
        return None

    def known(self, arguments: Mapping[str, Any], noun: frozenset[str]) -> dict[str, Any]:
        """Fields of the live entity the call names: what a lookup of it must return. A remembered text
        that states an earlier value of an argument this call gives otherwise (echo.stale_mention: "Case
        info for CAS-97290 and 2017" when 2018 is asked for) is left out: the call has the last word.
        Only a call about the thing itself reads them: `get_tweet_comments(tweet_id)` lists other things (the
        tweet's comments), which the tweet's text and author are not."""
        entity = self.referenced(arguments, noun)
        if entity is None or entity.deleted or _singulars(noun) - _RECORD_WORDS - _singulars(entity.kind):
            return {}
        fields = {entity.id_field: entity.id_value, **entity.attributes}
        return {k: v for k, v in fields.items() if stale_mention(v, arguments, entity.attributes) is None}

    def record(self, action: str, arguments: Mapping[str, Any], result: Any, noun: frozenset[str],
               collection: str = "") -> None:
        """Remember what a successful call did. `action`: create | change | delete | read (from the verb);
        `collection`: the key-value store its calls act on (verbs.collection_of)."""
        self._record_entry(action, arguments, collection, result)
        target = self.referenced(arguments, noun)
        if target is not None and target.deleted and action == "create" and _singulars(noun) & _singulars(target.kind):
            # a new message to the receiver whose last one was deleted: it has one again
            target.deleted = False
            target.attributes = {k: v for k, v in arguments.items() if _plain(v) and not is_id_name(k)}
        if target is not None and not target.deleted:
            if action == "delete":
                target.deleted = True
                return
            if action == "change":
                given = {**nested_arguments(arguments), **arguments}  # `project_data={"name": ...}` renames it
                target.attributes.update({k: v for k, v in given.items() if _plain(v) and not is_id_name(k)})
        plain_arguments = {k: v for k, v in arguments.items() if _plain(v) and not is_id_name(k)}
        for position, node in enumerate(_objects(result)):
            if position == 0 and action == "search" and _holds_records(node):
                # a search's outer object is the page of results (total, query, location), not a thing: its
                # records are the things; an id a later call reads there must not carry the page's fields
                continue
            entity = self._remember(node, plain_arguments if action == "create" and position == 0 else {}, noun)
            if entity is not None and position == 0 and action == "delete" and target is None:
                entity.deleted = True  # the object a delete returns is the thing it deleted

    # ------------------------------------------------------------------------------ key-value stores

    def entry(self, collection: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """The stored value of the entry a call names by `key`, as a lookup returns it (`{"value": ...}`)."""
        key = entry_key(arguments)
        known = self.entries.get(collection, {})
        return {"value": known[key]} if collection and key is not None and key in known else {}

    def listing(self, collection: str, rng: random.Random) -> dict[str, Any]:
        """Every entry of a store, as a call that retrieves all of them returns it: the entries the dialogue
        stored, else (nothing told yet) a few plausible ones, remembered so that later lookups agree."""
        known = self.entries.setdefault(collection, {})
        if not known and collection not in self.whole:
            synth = Synthesizer(rng, root={})
            for key in rng.sample(_TYPICAL_KEYS, rng.randint(2, 3)):
                known[key] = synth.value({"type": "string"}, key)
        self.whole.add(collection)
        return dict(known)

    def hold(self, collection: str, arguments: Mapping[str, Any], rng: random.Random) -> None:
        """The store holds the entry a later call of the dialogue reads, changes or removes by `key` before
        any call adds it: it was there from the start, so listing the store shows it and the call finds it."""
        key = entry_key(arguments)
        known = self.entries.setdefault(collection, {})
        if collection and key is not None and key not in known:
            known[key] = Synthesizer(rng, root={}).value({"type": "string"}, key if is_snake_case(key) else "note")

    def _record_entry(self, action: str, arguments: Mapping[str, Any], collection: str,
                      result: Any = None) -> None:
        if not collection:
            return
        key = entry_key(arguments)
        values = [v for k, v in arguments.items() if field_key(k) == "value" and _plain(v)]
        if key is not None and action == "read" and isinstance(result, dict) and result.get("value") is not None \
                and _plain(result["value"]):
            values, action = [result["value"]], "change"  # what a lookup returned is the entry's value now
        if key is not None and values and action in ("create", "change"):
            self.entries.setdefault(collection, {})[key] = values[0]
        elif key is not None and action == "delete":
            self.entries.get(collection, {}).pop(key, None)
        elif action == "delete" and not arguments:  # `core_memory_clear()`: the store is empty now
            self.entries[collection] = {}
            self.whole.add(collection)

    def _remember(self, node: dict[str, Any], extra: Mapping[str, Any], noun: frozenset[str]) -> Entity | None:
        id_field = next((k for k in node if is_id_name(k) and _key(node[k]) is not None), None)
        if id_field is None:
            return None
        key = _key(node[id_field])
        assert key is not None
        kind = frozenset((set(name_tokens(id_field)) - _ID_WORDS) | noun)
        attributes = {**extra, **{k: v for k, v in node.items() if k != id_field and _plain(v)
                                  and not _says_how_it_went(k, kind)}}
        known = self.by_id.get(key)
        if known is None or known.deleted:
            self.by_id[key] = Entity(id_field, node[id_field], kind, attributes)
            return self.by_id[key]
        for name, value in attributes.items():
            known.attributes.setdefault(name, value)
        return known


def _says_how_it_went(field: str, kind: frozenset[str]) -> bool:
    """A `message` of a result about anything but a message tells how the call went ("Project closed."), not
    what the thing is: remembered as the project's, it came back in the next update's result."""
    return field_key(field) == "message" and not _singulars(set(kind)) & {"message", "tweet", "post", "comment"}


def is_snake_case(text: str) -> bool:
    return bool(text) and text.replace("_", "").isalpha() and text == text.lower()


def entry_key(arguments: Mapping[str, Any]) -> str | None:
    """The `key` argument of a key-value store's call."""
    return next((_key(v) for k, v in arguments.items() if field_key(k) == "key" and _key(v) is not None), None)


def lists_entries(returns: Any, arguments: Mapping[str, Any]) -> str | None:
    """How a call returns a whole key-value store, else None. "entries": its declared result is one entry
    (`key`, `value`: "Each key in the short-term memory", as BFCL renders a `Dict[str, str]`) and the call
    names no key; the real environment returns the mapping itself (`{"favorite_team": "Celtics", ...}`), not
    one drawn value. "keys": its only declared field is a list of `keys` (`core_memory_list_keys`)."""
    properties = returns.get("properties") if isinstance(returns, dict) else None
    if not isinstance(properties, dict) or entry_key(arguments) is not None:
        return None
    names = {field_key(k) for k in properties}
    if names == {"key", "value"} and returns.get("additionalProperties") is not False:
        return "entries"
    return "keys" if names == {"keys"} else None


def _holds_records(node: dict[str, Any]) -> bool:
    return any(isinstance(v, list) and any(isinstance(item, dict) for item in v) for v in node.values())


def _objects(value: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Objects in a result, outermost first (the object a create call returns is the created one)."""
    if depth > 4:
        return []
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            found.extend(_objects(item, depth + 1))
    elif isinstance(value, list):
        for item in value[:20]:
            found.extend(_objects(item, depth + 1))
    return found
