"""A record of a thing the lexicons know whole: its fields are that thing's, not each drawn on its own.

Drawn field by field, a cocktail recipe came back titled "caesar salad", with ingredients of rice and garlic,
a method step "trip to Madrid" and a portion "Dublin". A record about a cocktail (its tool's name says so)
is one of `lexicons.COCKTAILS`: the one its id stands for (a listed cocktail and the recipe a call fetches
by its id are the same one, whatever else the lookup knows), else the one its title names; then its ingredients, steps, a line
of description, a preparation time and a portion are that cocktail's, in the shapes the schema declares
(a list of steps as strings, as one-key objects, or as one text). Fields the call fixed are left alone.
"""

from __future__ import annotations

import random
import zlib
from typing import Any, Collection, Mapping

from ..mentions import field_key, name_tokens
from . import lexicons as L
from .record_names import slug
from .synthesizer import synthesize

_COCKTAIL_WORDS = frozenset({"cocktail", "cocktails", "drink", "drinks", "mixology"})
_BY_NAME = {name.lower(): (name, ingredients, steps) for name, ingredients, steps in L.COCKTAILS}
_TITLE_KEYS = frozenset({"title", "name", "cocktail", "cocktailname", "drink", "drinkname", "strdrink"})
_INGREDIENT_KEYS = frozenset({"ingredients", "ingredient"})
_STEP_KEYS = frozenset({"method", "steps", "instructions", "directions", "preparation"})


def about_cocktails(tool_name: str) -> bool:
    return bool(_COCKTAIL_WORDS & set(name_tokens(tool_name)))


def _shaped(items: tuple[str, ...], like: Any) -> Any:
    """`items` in the shape of the drawn value: a list of lists, a list of one-key objects, a list, a text."""
    if isinstance(like, list):
        first = like[0] if like else None
        if isinstance(first, list):
            return [list(items)]
        if isinstance(first, dict) and len(first) == 1:
            key = next(iter(first))
            return [{key: item} for item in items]
        return list(items)
    if isinstance(like, str):
        return " ".join(items) if items and items[0].endswith(".") else ", ".join(items)
    return like


def _chosen(record: dict[str, Any], title_key: str | None, fixed: Collection[str],
            rng: random.Random) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The cocktail a record is: the one a title the call fixed names, else the one its id stands for (so a
    listed cocktail and the recipe fetched by its id are the same one), else the one its title names."""
    title = _BY_NAME.get(str(record.get(title_key, "")).strip().lower()) if title_key else None
    if title is not None and field_key(title_key or "") in fixed:
        return title
    ident = record.get("id")
    if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident):
        return L.COCKTAILS[zlib.crc32(str(ident).encode()) % len(L.COCKTAILS)]
    return title or rng.choice(L.COCKTAILS)


def cocktail_record(record: Any, rng: random.Random, fixed: Collection[str] = (),
                    declared: Mapping[str, Any] | None = None) -> Any:
    """The record made one cocktail's (see the module's docstring); anything but an object is left as is.
    `declared`: the record's schema properties, so that a declared title, ingredients and steps the draw
    left out are given too."""
    if not isinstance(record, dict):
        return record
    for key, schema in (declared or {}).items():
        slot = field_key(key)
        if key not in record and (slot in _TITLE_KEYS | _INGREDIENT_KEYS | _STEP_KEYS) and isinstance(schema, dict):
            record[key] = synthesize(schema, rng, name=key)
    title_key = next((k for k in record if field_key(k) in _TITLE_KEYS and isinstance(record[k], str)), None)
    name, ingredients, steps = _chosen(record, title_key, fixed, rng)
    if title_key is not None and field_key(title_key) not in fixed:
        record[title_key] = name
    spirit = ingredients[0].split(" ", 2)[-1]
    for key, value in list(record.items()):
        slot = field_key(key)
        if slot in fixed:
            continue
        if slot in _INGREDIENT_KEYS:
            record[key] = _shaped(ingredients, value)
        elif slot in _STEP_KEYS:
            record[key] = _shaped(steps, value)
        elif slot == "description" and isinstance(value, str):
            record[key] = f"A classic {name} made with {spirit}."
        elif slot in ("time", "preptime", "duration") and isinstance(value, str):
            record[key] = f"{3 + len(steps) + len(ingredients) % 3} minutes"
        elif slot in ("portion", "servings", "serves", "yield") and isinstance(value, str):
            record[key] = "1 glass"
        elif slot in ("image", "thumbnail", "picture", "photo") and isinstance(value, str):
            record[key] = f"https://images.example.com/cocktails/{slug(name).replace('_', '-')}.jpg"
    return record


def known_record(result: Any, tool_name: str, rng: random.Random, fixed: Collection[str] = (),
                 declared: Mapping[str, Any] | None = None) -> Any:
    """A result of a tool about cocktails made one cocktail's record (the object itself, or each object of the
    lists it holds); any other result unchanged."""
    if not about_cocktails(tool_name):
        return result
    if isinstance(result, list):
        return [cocktail_record(v, rng, fixed) for v in result]
    if not isinstance(result, dict):
        return result
    if any(isinstance(v, list) and v and all(isinstance(x, dict) for x in v) and field_key(k) not in _STEP_KEYS
           for k, v in result.items()):  # a page of cocktails
        return {key: [cocktail_record(v, rng, fixed) for v in value]
                if isinstance(value, list) and field_key(key) not in _STEP_KEYS else value
                for key, value in result.items()}
    return cocktail_record(result, rng, fixed, declared)
