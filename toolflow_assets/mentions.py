"""Does a text state a value? Whole tokens, with normalization: the one rule for "said before".

Shared by the generator (which decides whether a value was already said, so it may refer back to it) and
the quality checks (grounding, re-asked values, unsupported claims), so both read a dialogue the same way.

A value is *mentioned* in a text when
- (strings) its words appear in the text as whole tokens, after Unicode normalization, case folding and
  collapsing of spaces: "new york" states "New York", but "search" does not state "SEA";
- (numbers) a number written in the text has the same value: "$2,500" states 2500, "18.50" states 18.5;
  a number inside a longer number or a word never counts (`2` is not in "4.2", `21` not in "21.5",
  `55508` not in "ID-55508"); scientific notation is one number ("8.16e+23" states 8.16e23, not 23);
- (dates) an ISO date "2026-03-05" is also stated by "March 5, 2026", "5 March 2026", "Mar 5 2026" or
  "2026/03/05";
- a string that reads as a number or an ISO date is matched by those rules as well as by its own words.
Booleans and null state nothing and are never looked for in text (the caller decides what they mean).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Iterable

_NUMBER = re.compile(
    r"(?<![\w.\-/])"  # not the tail of a word, a longer number, an id (ID-55508) or a path/date part
    r"(?P<sign>-)?[$€£¥]?(?P<body>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?"
    r"(?P<exponent>[eE][+-]?\d+)?"  # scientific notation ("8.158904724959231e+23", Python's repr) is one number
    r"(?![\w\-/]|[.,]\d)"  # not followed by more of a word, a number or an id
)
_ISO_DATE = re.compile(r"(?<![\w\-])(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?![\w\-]|/\d)")
_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_FIRST = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})\b")
_ISO_VALUE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def normalize_text(text: str) -> str:
    """NFKC, case-folded, curly quotes made straight, runs of whitespace collapsed to one space."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def _decimal(match: re.Match[str]) -> Decimal | None:
    sign, fraction, exponent = match.group("sign"), match.group("fraction"), match.group("exponent")
    try:
        number = Decimal(match.group("body").replace(",", "") + (fraction or "") + (exponent or ""))
        number.normalize()  # an exponent beyond Decimal's range ("1e9999999") is no figure anyone states
    except ArithmeticError:
        return None
    return -number if sign else number


def written_numbers(text: str) -> list[tuple[Decimal, Decimal]]:
    """Every number written in the text with the place value of its last written digit: "4.25" → (4.25,
    0.01), "800" → (800, 1), "8.16e+23" → (8.16e23, 1e21). A reader takes a number as rounded to that place."""
    found = []
    for match in _NUMBER.finditer(text):
        number = _decimal(match)
        if number is None:
            continue
        place = number.as_tuple().exponent  # as written, before normalizing: "8.16e+23" is 816 × 10^21
        found.append((number.normalize(), Decimal((0, (1,), place if isinstance(place, int) else 0))))
    return found


def number_mentions(text: str) -> list[Decimal]:
    """Every number written in the text, as a whole token ("$2,500" → 2500, "4.2" → 4.2 and never 2;
    "8.1e+23" → 8.1e23, never 23)."""
    return [number for number, _ in written_numbers(text)]


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_mentions(text: str) -> set[str]:
    """ISO dates written in the text in any of the common forms (see the module docstring)."""
    text = normalize_text(text)
    found: set[str] = set()
    for year, month, day in _ISO_DATE.findall(text):
        found.add(_iso(int(year), int(month), int(day)) or "")
    for month, day, year in _MONTH_FIRST.findall(text):
        found.add(_iso(int(year), _MONTHS[month], int(day)) or "")
    for day, month, year in _DAY_FIRST.findall(text):
        found.add(_iso(int(year), _MONTHS[month], int(day)) or "")
    found.discard("")
    return found


def as_decimal(value: Any) -> Decimal | None:
    """A JSON number (or a string that is exactly one written number) as a normalized Decimal."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value).normalize()
    if isinstance(value, float):
        return Decimal(repr(value)).normalize() if math.isfinite(value) else None
    if isinstance(value, str):
        stripped = value.strip()
        match = _NUMBER.fullmatch(stripped)
        if match:
            return _decimal(match)
    return None


@lru_cache(maxsize=65_536)
def _token_pattern(normalized_value: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in normalized_value.split(" ")]
    head = r"(?<!\w)" + (r"(?<!\d[.,])" if normalized_value[:1].isdigit() else "")
    tail = r"(?!\w)" + (r"(?![.,]\d)" if normalized_value[-1:].isdigit() else "")
    return re.compile(head + r"\s+".join(words) + tail)


def singular(word: str) -> str:
    """A noun's singular by the plain rules: `artists` → `artist`, `cities` → `city`; `address`, `status`,
    `campus` and `analysis` stay (they end in -ss, -us, -is, not in a plural -s)."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(?:[^aeiou]ch|sh|ss|x)es$", word) and len(word) > 4:
        return word[:-2]  # `matches`, `lunches` → `match`, `lunch`; `boxes` → `box`; `caches` keeps its e
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def plural(word: str) -> str:
    """A noun's plural by the plain rules, what `singular` undoes: `city` → `cities`, `box` → `boxes`, `lunch` →
    `lunches`, `quote` → `quotes`, `day` → `days`; a word that ends in s already (`offices`, `status`) stays."""
    lower = word.lower()
    if lower.endswith("s"):
        return word
    if lower.endswith("y") and lower[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if lower.endswith(("sh", "ch", "x", "z")):
        return word + "es"
    return word + "s"


def is_data_key(key: Any) -> bool:
    """An object key that is data, not a field name: an identifier with a digit ("ID-18515", "USR002",
    "2024"), as a key-value store or a map by id lists them."""
    return isinstance(key, str) and any(c.isdigit() for c in key)


def data_keys(value: Any, depth: int = 0) -> list[str]:
    """The keys of a JSON value's objects, at any depth, that are data (`is_data_key`)."""
    if depth > 6:
        return []
    if isinstance(value, dict):
        found = [key for key in value if is_data_key(key)]
        return found + [k for item in value.values() for k in data_keys(item, depth + 1)]
    if isinstance(value, list):
        return [k for item in value for k in data_keys(item, depth + 1)]
    return []


@dataclass
class MentionIndex:
    """The texts a value may have been stated in, indexed once for many lookups."""

    texts: list[str] = field(default_factory=list)  # normalized
    numbers: set[Decimal] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)

    def add_text(self, text: str) -> None:
        normalized = normalize_text(text)
        if not normalized:
            return
        self.texts.append(normalized)
        self.numbers.update(number_mentions(normalized))
        self.dates.update(date_mentions(normalized))

    def add_value(self, value: Any) -> None:
        """A JSON value (e.g. a tool result): its string leaves as texts, its numbers as numbers, and the keys
        that are identifiers (`data_keys`): a store listed as `{"ID-18515": "Lunch at 7 pm"}` told that key."""
        for key in data_keys(value):
            self.add_text(key)
        for leaf in scalar_leaves(value):
            if isinstance(leaf, str):
                self.add_text(leaf)
            else:
                number = as_decimal(leaf)
                if number is not None:
                    self.numbers.add(number.normalize())

    def states(self, value: Any) -> bool:
        """The scalar value is stated somewhere in the indexed texts (see the module docstring)."""
        if value is None or isinstance(value, bool):
            return False
        number = as_decimal(value)
        if number is not None and number.normalize() in self.numbers:
            return True
        if isinstance(value, (int, float)):
            return False
        text = normalize_text(value) if isinstance(value, str) else ""
        if not text:
            return False
        date = _ISO_VALUE.match(text)
        if date and _iso(*(int(part) for part in date.groups())) in self.dates:
            return True
        pattern = _token_pattern(text)
        return any(pattern.search(candidate) for candidate in self.texts)


def mention_index(texts: Iterable[str] = (), values: Iterable[Any] = ()) -> MentionIndex:
    index = MentionIndex()
    for text in texts:
        index.add_text(text)
    for value in values:
        index.add_value(value)
    return index


def mentions(text: str, value: Any) -> bool:
    """`value` (a scalar) is stated in `text`."""
    return mention_index([text]).states(value)


def scalar_leaves(value: Any) -> Iterable[Any]:
    """Every scalar inside a JSON value (object keys are names, not values, and are skipped)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from scalar_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from scalar_leaves(item)
    else:
        yield value


def same_value(a: Any, b: Any) -> bool:
    """Two scalars mean the same: equal numbers (1 = 1.0 = "1"), equal text after normalization, equal
    dates in any written form. Booleans only equal booleans."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if a is None or b is None:
        return a is None and b is None
    number_a, number_b = as_decimal(a), as_decimal(b)
    if number_a is not None and number_b is not None:
        return number_a.normalize() == number_b.normalize()
    if isinstance(a, str) and isinstance(b, str):
        if normalize_text(a) == normalize_text(b):
            return True
        dates_a = {normalize_text(a)} if _ISO_VALUE.match(a) else date_mentions(a)
        dates_b = {normalize_text(b)} if _ISO_VALUE.match(b) else date_mentions(b)
        return bool(dates_a) and dates_a == dates_b
    return False


_CAMEL = re.compile(r"([a-z0-9])([A-Z])|([A-Za-z])([0-9])")
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")


@lru_cache(maxsize=65_536)
def name_tokens(name: str) -> tuple[str, ...]:
    """`userEmail_address` → ('user', 'email', 'address') (camelCase, snake_case, kebab and dots)."""
    spaced = _CAMEL.sub(lambda m: f"{m.group(1) or m.group(3)} {m.group(2) or m.group(4)}", str(name or ""))
    return tuple(t for t in _NON_ALNUM.split(spaced.lower()) if t)


def field_key(name: Any) -> str:
    """Names that are one field: `userId`, `user_id` and `user-id`; and `museum_name` and `museum` (a thing
    given by its name is the same value as the thing). A result field with an argument's key echoes it: the
    simulated executor stamps the argument there and the result-consistency check holds results to it."""
    words = name_tokens(str(name))
    if len(words) > 1 and words[-1] == "name":
        words = words[:-1]
    return "".join(words)


def number_text(value: float | int) -> str:
    """The text form of a number as the writer says it and the grounding rule looks for it: `str(int)` for
    integral values (24.0 is "24"), else `repr(float)`; booleans as "true"/"false"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
