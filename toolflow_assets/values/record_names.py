"""Fields of one record that name the same thing agree: a `sport_key` "cricket" sits beside a `sport_title`
"Cricket", never "hockey"; and a record's key is of the thing its call asked for.

Value synthesis draws each field on its own, so a record could name two things at once (an odds result for
cricket titled hockey; a scores result for a call about cricket titled basketball). The rule: a `<thing>_title`
or `<thing>_name` field follows the readable key of the same thing, from the record itself (`sport_key`,
`sport_slug`, `sport`) or, where the record has none, from the call that asked (`sport="cricket"`). A key that
is an opaque id ("SPO-82182") says nothing readable and is left alone. The synthesizer applies it to every
object it builds, and the simulated executor again after it stamped the call's values into a result.
"""

from __future__ import annotations

import re
from typing import Any, Collection, Mapping

from ..mentions import field_key, name_tokens

_NAMING = frozenset({"title", "name"})
# a key of the thing, not a code: a `country_code` "us" is no name, "Us"
_KEY_WORDS = ("key", "slug")
# a person's handle ("jsmith") is no form of their name
_PEOPLE = frozenset("user customer author owner player person member contact employee driver guest patient student "
                    "artist sender recipient".split())
# a readable key: lower-case words joined by _, - or spaces ("cricket", "americanfootball_nfl"), no digits, and
# longer than a code ("us", "en")
_READABLE = re.compile(r"^(?=.{4})[a-z]+(?:[_\- ][a-z]+)*$")


def slug(text: str) -> str:
    """A key for a readable name: "Real Madrid" → `real_madrid`."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def titled(key: str) -> str:
    """A name for a readable key: `americanfootball_nfl` → "Americanfootball Nfl", `cricket` → "Cricket"."""
    return " ".join(word.capitalize() for word in re.split(r"[_\- ]+", key) if word)


def _readable(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and _READABLE.match(value.strip()) else None


def _key_of(owner: tuple[str, ...], values: Mapping[str, Any]) -> str | None:
    """The readable key `values` hold for the thing `owner` names (`sport_key`, `sport_slug`, `sport`)."""
    wanted = {field_key("_".join(owner))} | {field_key("_".join((*owner, word))) for word in _KEY_WORDS}
    for key, value in values.items():
        if field_key(key) in wanted and _readable(value):
            return _readable(value)
    return None


def asked_key(field: str, asked: Mapping[str, Any]) -> str | None:
    """The readable value the call asked `<thing>` for, where `field` is that thing's key (`sport_key` and
    `sport="cricket"` → "cricket"): the value the record's key holds (agree_names), also where a later call
    reads it."""
    words = name_tokens(field)
    if len(words) < 2 or words[-1] not in _KEY_WORDS:
        return None
    wanted = field_key("_".join(words[:-1]))
    return next((_readable(v) for k, v in asked.items() if field_key(k) == wanted and _readable(v)), None)


def agree_names(record: Any, asked: Mapping[str, Any] | None = None, fixed: Collection[str] = (),
                depth: int = 0) -> Any:
    """`record` (in place, at any depth) with each `<thing>_title` / `<thing>_name` text stating the readable
    key of the same thing: its own record's, else `asked`'s (the call's arguments, for the top-level record),
    and each readable `<thing>_key` the readable value the call asked `<thing>` for.
    Fields whose `field_key` is in `fixed` (named like an argument, read by a later call) keep their value."""
    if depth > 6:
        return record
    if isinstance(record, list):
        for item in record:
            agree_names(item, None, fixed, depth + 1)
        return record
    if not isinstance(record, dict):
        return record
    for key, value in list(record.items()):
        if isinstance(value, (dict, list)):
            agree_names(value, None, fixed, depth + 1)
            continue
        wanted = asked_key(key, asked) if asked and field_key(key) not in fixed and _readable(value) else None
        if wanted is not None:  # the record's `sport_key` is of the sport the call asked for (`sport="cricket"`)
            record[key] = wanted
    for key, value in list(record.items()):
        if isinstance(value, (dict, list)):
            continue
        words = name_tokens(key)
        if len(words) < 2 or words[-1] not in _NAMING or not isinstance(value, str) or field_key(key) in fixed:
            continue
        owner = words[:-1]
        if owner[-1] in _PEOPLE:
            continue
        readable = _key_of(owner, record) or (_key_of(owner, asked) if asked else None)
        if readable is not None and slug(value) != slug(readable):
            record[key] = titled(readable)
    return record
