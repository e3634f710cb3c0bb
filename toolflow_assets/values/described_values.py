"""Values a parameter's description states: the choices it enumerates, the examples it quotes, the date form it asks.

A description often carries what the schema forgot: an enum in words ("one of: metric, imperial"), sample
values ("such as 'Berkeley, CA'"), a default ("defaults to 'asc'"), the layout of a date ("MM/YYYY").
The synthesizer prefers these over a value drawn from the name alone; the executors read the choices too.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

from ..typed_values import typed_text


_DATE_FORMS = (  # the longer form first: "MM/DD/YYYY" also contains "MM/YY"
    ("YYYY-MM-DD", "{y:04d}-{m:02d}-{d:02d}"), ("MM/DD/YYYY", "{m:02d}/{d:02d}/{y:04d}"),
    ("DD/MM/YYYY", "{d:02d}/{m:02d}/{y:04d}"), ("DD.MM.YYYY", "{d:02d}.{m:02d}.{y:04d}"),
    ("MM/YYYY", "{m:02d}/{y:04d}"), ("YYYY-MM", "{y:04d}-{m:02d}"), ("MM/YY", "{m:02d}/{y2:02d}"),
)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def in_stated_date_form(text: str, description: str) -> str:
    """An ISO date (`2028-06-30`) rewritten in the form a description names (`MM/YYYY` -> `06/2028`); any other
    text, or a description naming no form, unchanged."""
    day = _ISO_DAY.match(text)
    if not day:
        return text
    stated = description.upper()
    for form, layout in _DATE_FORMS:
        if form in stated:
            y, m, d = (int(part) for part in day.groups())
            return layout.format(y=y, m=m, d=d, y2=y % 100)
    return text


# the date-time layouts a description may state, the longer first ("YYYY-MM-DD HH:MM" is in "... HH:MM:SS")
_MOMENT_FORMS = (("YYYY-MM-DDTHH:MM:SS", "{date}T{clock}:00"), ("YYYY-MM-DD HH:MM:SS", "{date} {clock}:00"),
                 ("YYYY-MM-DD HH:MM", "{date} {clock}"))
_MOMENT = re.compile(r"^(?:(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2})?Z?)?|(\d{2}:\d{2})(?::\d{2})?Z?)$")


def in_stated_moment_form(text: str, description: str, rng: random.Random) -> str:
    """A drawn time of day, date or date-time in the date-time layout a description states ("The time ... in the
    format of 'YYYY-MM-DD HH:MM:SS'" drew "12:00"): the missing date or time of day drawn from `rng`. Any
    other text, or a description stating no date-time layout, unchanged."""
    moment = _MOMENT.match(text.strip())
    stated = description.upper()
    form = next((layout for name, layout in _MOMENT_FORMS if name in stated), None)
    if not moment or form is None:
        return text
    date = moment.group(1) or typed_text("date", rng)
    clock = moment.group(2) or moment.group(3) or typed_text("time", rng)
    return form.format(date=date, clock=clock)


_EXAMPLE_LEAD = re.compile(r"\b(?:e\.g\.|eg\.|e\.g,|for example|for instance|such as|example:|examples:|like)", re.IGNORECASE)
_QUOTED = re.compile(r"'([^'\n]{1,60})'|\"([^\"\n]{1,60})\"|`([^`\n]{1,60})`")
_PLACEHOLDER = re.compile(r"YYYY|MM-DD|HH:|xxx|XXX|[{}<>%\\]|\.\.\.|^\s|\s$|^(?:null|none|nil|n/?a|undefined)$",
                          re.IGNORECASE)  # "null" given as an example means "leave it out", not the word null


@lru_cache(maxsize=65_536)
def description_examples(description: str) -> tuple[str, ...]:
    """Quoted examples a parameter's description gives ("such as 'Berkeley, CA'"), placeholders left out."""
    found: list[str] = []
    for lead in _EXAMPLE_LEAD.finditer(description or ""):
        window = description[lead.end(): lead.end() + 160]
        window = re.split(r"(?<=[a-z0-9)])\.\s", window, maxsplit=1)[0]
        quoted = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(window)]
        # unquoted: "e.g. Electron, Proton", "e.g. next year": short items up to the sentence's end
        items = quoted or ([] if lead.group(0).lower() == "like" else _bare_items(window))
        for text in items:
            if text and not _PLACEHOLDER.search(text) and text not in found:
                found.append(text)
    default = _DEFAULT.search(description or "")
    if default:
        text = next(g for g in default.groups() if g is not None).strip()
        if text and not _PLACEHOLDER.search(text) and text not in found and text.lower() not in _LIST_STOPWORDS:
            found.append(text)
    return tuple(found[:8])


_DEFAULT = re.compile(r"\bdefault(?:s to| is|:)\s*(?:'([^'\n]{1,40})'|\"([^\"\n]{1,40})\"|([A-Za-z][\w-]{0,30})(?=[.,;)]|$))",
                      re.IGNORECASE)


def _bare_items(window: str) -> list[str]:
    """"Electron, Proton" or "next year": items of one to three words, before any clause or bracket."""
    head = re.split(r"[.;:()\[\]]|\s-\s", window.strip(" ,"), maxsplit=1)[0]
    items = [i.strip() for i in re.split(r"\s*(?:,|\||/|\bor\b|\band\b)\s*", head) if i.strip()]
    if not items or any(not re.fullmatch(r"[A-Za-z0-9][\w'-]*(?: [\w'-]+){0,2}", i) for i in items):
        return []
    return [i for i in items if i.split()[0].lower() not in _LIST_STOPWORDS][:6]


# "Mode of operation ('l' for lines, 'w' for words)": codes with what each means, in parentheses
_CHOICE_LEAD = re.compile(r"(?<=\()(?=['\"][^'\"]{1,12}['\"] for\b)|"
                          r"\b(?:one of|possible values(?: are)?|valid values(?: are)?|allowed values(?: are)?|"
                          r"accepted values(?: are)?|options(?: are)?|supported values(?: are)?|either|"
                          r"(?:it |this )?(?:can|could|may|must|should) be(?: one of)?|"
                          # "Service Name: correo_argentino, oca, andreani" (RapidAPI writes enums so)
                          r"^[A-Za-z][\w ]{0,30}(?=:\s*[\w.-]+\s*(?:,|\bor\b)))\s*:?\s*",
                          re.IGNORECASE)
_BARE_LIST = re.compile(r"^\(?([A-Za-z0-9_][\w.-]{0,30})((?:\s*(?:,|\||/|\bor\b)\s*(?:or\s+|and\s+)?[A-Za-z0-9_][\w.-]{0,30}){1,11})")


_ENUM_MARK = re.compile(r"\[Enum\]\s*:\s*", re.IGNORECASE)
_LIST_STOPWORDS = frozenset("the a an them these those this that following it its which is are be".split())


@lru_cache(maxsize=65_536)
def description_choices(description: str) -> tuple[str, ...]:
    """The values a description enumerates ("one of: metric, imperial", "either 'asc' or 'desc'"):
    an enum the schema forgot to declare. Quoted values after the lead, else a bare list of words."""
    marked = _ENUM_MARK.search(description or "")
    if marked:  # BFCL's `[Enum]: ["fuel", "battery"]` or `[Enum]: USD, RMB, EUR`: every listed value, names of
        # several words included ("Sunset Valley"), and no others
        rest = description[marked.end():]
        quoted = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(rest.split("]", 1)[0])]
        listed = quoted if rest.lstrip().startswith("[") else [w.strip() for w in re.split(
            r"(?<=[A-Za-z0-9)'\"])\.(?:\s|$)", rest, maxsplit=1)[0].split(",")]
        listed = [w for w in dict.fromkeys(listed) if w and not _PLACEHOLDER.search(w)]
        if len(listed) >= 2:
            return tuple(listed)
    for lead in _CHOICE_LEAD.finditer(description or ""):
        window = description[lead.end(): lead.end() + 200]
        window = re.split(r"(?<=[a-z0-9)'\"])\.(?:\s|$)", window, maxsplit=1)[0]
        quoted = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(window)]
        quoted = [q for q in dict.fromkeys(quoted) if q and not _PLACEHOLDER.search(q)]
        if len(quoted) >= 2:
            return tuple(quoted[:12])
        bare = _BARE_LIST.match(window)
        modal = re.match(r"(?:it |this )?(?:can|could|may|must|should) be", lead.group(0), re.IGNORECASE)
        if bare and modal and not re.search(r"\b(?:or|and)\b", bare.group(0)):
            bare = None  # "should be fetched, in the format …" is a sentence; "can be a, b or c" is a list
        if bare:
            words = re.split(r"\s*(?:,|\||/|\bor\b|\band\b)\s*", bare.group(0).strip("() "))
            words = [w for w in dict.fromkeys(w.strip() for w in words) if w and w.lower() not in ("or", "and")]
            if len(words) >= 2 and not any(w.lower() in _LIST_STOPWORDS for w in words):
                return tuple(words[:12])
    return ()
