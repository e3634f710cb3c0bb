"""Values that fit their names: a `year` that is a year, an `email` that is an address, an `id` that is
not a sentence. JSON Schema says what type a value has; the name says what it means, and a reader rejects
`year = "sleep hygiene"` or `currency = "blue"` at once, whatever the schema allows.

`check_value_fit` looks at every call argument and every tool-result field (at any depth) whose name ends
in a word with a known meaning, and reports the values that cannot be such a thing. The rules are kept
conservative (a name must end in the word; the test is whether the value *could* be one), so real data
passes: they catch nonsense, not style.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from ..mentions import as_decimal, date_mentions, name_tokens
from .conversation import content_text, iter_calls

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", re.IGNORECASE)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_TIME_ZONE = re.compile(r"^(?:[A-Z][A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)+|[A-Z]{2,5}|Z|(?:UTC|GMT)?\s?[+\-]\d{1,2}(?::?\d{2})?"
                        r"|.*\b(?:[Tt]ime|[Ss]tandard|UTC|GMT)\b.*)$")  # IANA, abbreviations, offsets, "Pacific Time"
_PHONE = re.compile(r"^\+?[\d\s().\-]{7,}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+\-]\d{2}:?\d{2})?)?$")


def _number(value: Any) -> float | None:
    number = as_decimal(value)
    return float(number) if number is not None else None


def _is_year(value: Any) -> bool:
    number = _number(value)
    return number is not None and number == int(number) and -3000 <= number <= 3000


_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_RELATIVE_DATE = re.compile(rf"^(?:today|tomorrow|yesterday|tonight|now|(?:this|next|last|coming)\s+(?:week|weekend|month|"
                            rf"year|{_DAYS})|{_DAYS}|in\s+\d+\s+days?)$")


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(_ISO_DATE.match(text) or date_mentions(text)
                or re.match(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$", text)
                or _RELATIVE_DATE.match(text.casefold()))


def _is_non_negative(value: Any) -> bool:
    number = _number(value)
    return number is not None and number >= 0


def _is_count(value: Any) -> bool:
    number = _number(value)
    return number is not None and number >= 0 and number == int(number)


def _is_latitude(value: Any) -> bool:
    number = _number(value)
    return number is not None and -90 <= number <= 90


def _is_longitude(value: Any) -> bool:
    number = _number(value)
    return number is not None and -180 <= number <= 180


def _is_identifier(value: Any) -> bool:
    """An id is a number, a token or a short name ("Blue Fin Sushi" serves as an id in some APIs), never a
    sentence."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and len(value.split()) <= 3


@dataclass(frozen=True)
class Rule:
    last_words: tuple[tuple[str, ...], ...]  # the name ends with one of these word sequences
    accepts: Callable[[Any], bool]
    meaning: str
    strings_only: bool = False  # the rule only reads text values (a number is another kind of thing)
    numbers_only: bool = False  # the rule only reads numbers (a price "cheap" or "$$" is a price level)


RULES: tuple[Rule, ...] = (
    Rule((("email",), ("email", "address"), ("e", "mail")), lambda v: isinstance(v, str) and bool(_EMAIL.match(v.strip())),
         "an email address", strings_only=True),
    Rule((("url",), ("uri",), ("website",), ("link",), ("endpoint",)),
         lambda v: isinstance(v, str) and bool(_URL.match(v.strip())), "a URL", strings_only=True),
    Rule((("year",),), _is_year, "a year"),
    Rule((("date",), ("birthday",), ("birthdate",)), _is_date, "a date", strings_only=True),
    Rule((("currency",), ("currency", "code")), lambda v: isinstance(v, str) and bool(_CURRENCY.match(v.strip().upper()))
         and v.strip().isalpha(), "a currency code", strings_only=True),
    Rule((("timezone",), ("time", "zone"), ("tz",)), lambda v: isinstance(v, str) and bool(_TIME_ZONE.match(v.strip())),
         "a time zone", strings_only=True),
    Rule((("phone",), ("phone", "number"), ("telephone",), ("mobile",)),
         lambda v: isinstance(v, str) and bool(_PHONE.match(v.strip())), "a phone number", strings_only=True),
    Rule((("latitude",), ("lat",)), _is_latitude, "a latitude"),
    Rule((("longitude",), ("lon",), ("lng",)), _is_longitude, "a longitude"),
    Rule((("count",), ("quantity",), ("age",)), _is_count, "a count", numbers_only=True),
    Rule((("price",), ("cost",), ("salary",)), _is_non_negative, "an amount of money", numbers_only=True),
    Rule((("id",),), _is_identifier, "an identifier"),
)


def rule_for(name: str) -> Rule | None:
    words = name_tokens(name)
    for rule in RULES:
        for ending in rule.last_words:
            if len(words) >= len(ending) and words[-len(ending):] == ending:
                return rule
    return None


def misfits(value: Any, name: str = "", path: str = "") -> Iterator[tuple[str, Any, str]]:
    """(where, value, meaning) for each scalar under a name whose meaning it cannot have."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from misfits(item, str(key), f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from misfits(item, name, f"{path}[{index}]")
    elif value is not None and not isinstance(value, bool) and name:
        rule = rule_for(name)
        if rule is None or (rule.strings_only and not isinstance(value, str)) \
                or (rule.numbers_only and not isinstance(value, (int, float))):
            return
        if isinstance(value, str) and not value.strip():
            return
        if not rule.accepts(value):
            yield path, value, rule.meaning


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def check_value_fit(messages: list[Any]) -> list[str]:
    """Every argument and result field whose name has a known meaning holds a value that can mean it."""
    reasons: list[str] = []
    names = {call.call_id: call.name for call in iter_calls(messages)}
    for position, call in enumerate(iter_calls(messages), start=1):
        if isinstance(call.arguments, dict):
            for where, value, meaning in misfits(call.arguments):
                reasons.append(f"call {position} {call.name}: argument {where} = {_shown(value)} is not {meaning}")
    for position, message in enumerate(messages):
        if not (isinstance(message, dict) and message.get("role") == "tool"):
            continue
        try:
            result = json.loads(content_text(message))
        except json.JSONDecodeError:
            continue
        tool = names.get(str(message.get("tool_call_id"))) or str(message.get("name") or "")
        for where, value, meaning in misfits(result):
            reasons.append(f"tool message {position} ({tool}): field {where} = {_shown(value)} is not {meaning}")
    return reasons
