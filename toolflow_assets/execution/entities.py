"""The simulated executor's memory of one dialogue: the things its calls created, changed and deleted.

Every object a result returns with an id (`card_id`, `id`, `booking_id`...) becomes an entity, with the
object's other plain fields and, for a creating call, the arguments that made it. A later call that names
the id finds it: a lookup returns the stored fields, an update changes them, a delete removes the entity,
and a lookup after the delete finds nothing. "Names the id" means the value matches and the call is about
the same kind of thing (`card_id` for a card, or a bare `id` given to a tool whose noun the entity shares):
plans reuse one value across unrelated tools, and deleting an SLI config must not delete a trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..values import name_tokens
from .echo import stale_mention

_ID_WORDS = frozenset({"id", "uuid", "guid"})


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
        words = set(name_tokens(argument)) - _ID_WORDS
        return bool(words & self.kind) if words else bool(noun & self.kind)


@dataclass
class EntityStore:
    by_id: dict[str, Entity] = field(default_factory=dict)

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
        info for CAS-97290 and 2017" when 2018 is asked for) is left out: the call has the last word."""
        entity = self.referenced(arguments, noun)
        if entity is None or entity.deleted:
            return {}
        fields = {entity.id_field: entity.id_value, **entity.attributes}
        return {k: v for k, v in fields.items() if stale_mention(v, arguments, entity.attributes) is None}

    def record(self, action: str, arguments: Mapping[str, Any], result: Any, noun: frozenset[str]) -> None:
        """Remember what a successful call did. `action`: create | change | delete | read (from the verb)."""
        target = self.referenced(arguments, noun)
        if target is not None and not target.deleted:
            if action == "delete":
                target.deleted = True
                return
            if action == "change":
                target.attributes.update({k: v for k, v in arguments.items()
                                          if _plain(v) and not is_id_name(k)})
        plain_arguments = {k: v for k, v in arguments.items() if _plain(v) and not is_id_name(k)}
        for position, node in enumerate(_objects(result)):
            if position == 0 and action == "search" and _holds_records(node):
                # a search's outer object is the page of results (total, query, location), not a thing: its
                # records are the things; an id a later call reads there must not carry the page's fields
                continue
            self._remember(node, plain_arguments if action == "create" and position == 0 else {}, noun)

    def _remember(self, node: dict[str, Any], extra: Mapping[str, Any], noun: frozenset[str]) -> None:
        id_field = next((k for k in node if is_id_name(k) and _key(node[k]) is not None), None)
        if id_field is None:
            return
        key = _key(node[id_field])
        assert key is not None
        attributes = {**extra, **{k: v for k, v in node.items() if k != id_field and _plain(v)}}
        known = self.by_id.get(key)
        if known is None or known.deleted:
            kind = frozenset((set(name_tokens(id_field)) - _ID_WORDS) | noun)
            self.by_id[key] = Entity(id_field, node[id_field], kind, attributes)
        else:
            for name, value in attributes.items():
                known.attributes.setdefault(name, value)


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
