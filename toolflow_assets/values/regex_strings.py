"""Strings that match a JSON Schema `pattern`, from the regex's own parse tree.

Covers what tool schemas use in practice (literals, classes, ranges, `\\d \\w \\s`, repeats, groups,
alternation, anchors). Anything it cannot follow (look-arounds, back-references) gives up with `None`,
and the caller falls back; the result is always checked with `re.search` before use.
"""

from __future__ import annotations

import random
import re
import string
from re import _constants as C  # noqa: N812 - the stdlib's own name for these opcodes
from re import _parser as sre_parse

_MAX_REPEAT = 4  # cap for open-ended repeats (`*`, `+`, `{2,}`)
# Characters never produced: they would need escaping inside JSON text or read badly in a sentence.
_AVOID = set('"\\\n\r\t\x0b\x0c`')
_SAFE_PRINTABLE = [c for c in string.ascii_letters + string.digits + " -_.,:;!?@#$%&*+=/()[]{}<>~^'|" if c not in _AVOID]
_CATEGORY_CHARS = {
    C.CATEGORY_DIGIT: string.digits,
    C.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_DIGIT: string.ascii_letters,
    C.CATEGORY_NOT_WORD: "-.,:; ",
    C.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}


class _GiveUp(Exception):
    pass


def string_for_pattern(pattern: str, rng: random.Random, attempts: int = 4) -> str | None:
    """A string that `re.search(pattern, s)` accepts, or None when the pattern is beyond this generator."""
    try:
        compiled = re.compile(pattern)
        parsed = sre_parse.parse(pattern)
    except (re.error, TypeError, ValueError, OverflowError, RecursionError):
        return None
    for _ in range(attempts):
        try:
            candidate = _emit(parsed, rng, {})
        except (_GiveUp, RecursionError, ValueError, IndexError, OverflowError):
            return None
        if compiled.search(candidate) and not (set(candidate) & _AVOID):
            return candidate
    return None


def _emit(items: sre_parse.SubPattern | list, rng: random.Random, groups: dict[int, str]) -> str:
    out: list[str] = []
    for op, arg in items:
        out.append(_emit_one(op, arg, rng, groups))
    return "".join(out)


def _emit_one(op, arg, rng: random.Random, groups: dict[int, str]) -> str:  # noqa: ANN001 - sre internals
    if op is C.LITERAL:
        return chr(arg)
    if op is C.NOT_LITERAL:
        return rng.choice([c for c in _SAFE_PRINTABLE if ord(c) != arg])
    if op is C.ANY:
        return rng.choice(string.ascii_letters)
    if op is C.IN:
        return _choose_in(arg, rng)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, high, sub = arg
        high = low + _MAX_REPEAT if high is C.MAXREPEAT or high > low + _MAX_REPEAT else high
        count = rng.randint(low, max(low, high))
        return "".join(_emit(sub, rng, groups) for _ in range(count))
    if op is C.SUBPATTERN:
        group, _add_flags, _del_flags, sub = arg
        text = _emit(sub, rng, groups)
        if group is not None:
            groups[group] = text
        return text
    if op is C.BRANCH:
        _, branches = arg
        return _emit(rng.choice(branches), rng, groups)
    if op is C.AT:
        return ""
    if op is C.GROUPREF:
        if arg in groups:
            return groups[arg]
        raise _GiveUp("back-reference to an unset group")
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _emit(arg, rng, groups)
    raise _GiveUp(f"unsupported regex construct {op}")


def _choose_in(items: list, rng: random.Random) -> str:
    allowed: list[str] = []
    negate = False
    for op, arg in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            allowed.append(chr(arg))
        elif op is C.RANGE:
            low, high = arg
            span = range(low, min(high, low + 200) + 1)
            allowed.extend(chr(c) for c in span)
        elif op is C.CATEGORY:
            allowed.extend(_CATEGORY_CHARS.get(arg, string.ascii_letters))
        else:
            raise _GiveUp(f"unsupported class item {op}")
    if negate:
        excluded = set(allowed)
        allowed = [c for c in _SAFE_PRINTABLE if c not in excluded]
    safe = [c for c in allowed if c not in _AVOID and c.isprintable()]
    if not safe:
        raise _GiveUp("no safe character in class")
    return rng.choice(safe)
