"""Times by what they mean: a time of day, a duration, a place's opening hours.

A field named `..._time` or `..._hours` may hold any of three things, and a reader sees at once when the value
is the wrong one: a museum's `working_hours` is a range ("09:00-17:00"), never 9.08; a `waiting_time` is a
duration ("25 minutes"), never the clock time "11:30"; a `departure_time` is a time of day, never "25 minutes".
`time_meaning` is the one rule that tells them apart; value synthesis draws by it (hinted_strings for strings,
value_hints for numbers, the simulated executor for an undeclared result) and the value-fit check
(quality/value_fit) reads values by it (`time_misfit`).
"""

from __future__ import annotations

import random
import re
from typing import Any

from ..mentions import name_tokens

OPENING_HOURS = "opening hours"
DURATION = "a duration"
CLOCK_TIME = "a time of day"

# words before `hours` that make them a place's opening hours ("working hours", "museum hours"), not a count of
# hours ("hours worked", "billable hours")
_OPENING_WORDS = frozenset("working opening business operating operational office open visiting museum store shop "
                           "library gallery restaurant bank pharmacy park branch clinic".split())
# a description that says a bare `hours` is a place's opening hours
_OPENING_TEXT = re.compile(r"\b(?:working|opening|open|business|operating|operational|office|visiting)\s+hours\b|"
                           r"\bhours\s+of\s+operation\b|\bopen(?:ing)?\s+times?\b", re.IGNORECASE)
# words before `time` that make it how long something takes ("waiting time", "cooking time")
_DURATION_WORDS = frozenset("waiting wait travel travelling traveling delivery processing response cooking cook prep "
                            "preparation baking bake commute driving drive walking walk cycling flight journey trip "
                            "transit turnaround lead queue hold elapsed remaining charging recovery shipping handling "
                            "resolution setup boiling brewing reading screen play playing running run execution "
                            "loading load".split())
# last words that are durations whatever comes before them
_DURATION_HEADS = frozenset({"duration", "wait", "eta", "delay", "runtime", "elapsed"})
# words before `time` that make it a moment ("departure time", "commence time")
_CLOCK_WORDS = frozenset("commence commencement start starting end ending departure depart arrival arrive pickup "
                         "dropoff kickoff boarding closing opening meeting appointment event sunrise sunset "
                         "check checkin checkout scheduled local current begin finish launch alarm reminder "
                         "wake bed".split())
# a description calling a `..._time` how long something takes
_DURATION_TEXT = re.compile(r"\bhow\s+long\b|\bduration\b|\bin\s+minutes\b|\b(?:waiting|travel|cooking|"
                            r"delivery|processing|response)\s+time\b|\bminutes?\s+(?:to|until|before)\b",
                            re.IGNORECASE)
_CLOCK = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*$", re.IGNORECASE)
_DURATION_FORM = re.compile(r"\b\d+(?:\.\d+)?\s*(?:min|mins|minutes?|h|hrs?|hours?|sec|secs|seconds?|days?)\b|"
                            r"^P(?:\d+[YMWD])*(?:T(?:\d+[HMS])+)?$", re.IGNORECASE)


def time_meaning(name: str, description: str = "") -> str | None:
    """What a time-like name holds: OPENING_HOURS, DURATION, CLOCK_TIME, else None (not a time-like name, or
    one nothing tells apart: a bare `time` is left to the name hints)."""
    words = [w for w in name_tokens(str(name or "")) if not w.isdigit()]
    if not words:
        return None
    last, before = words[-1], set(words[:-1])
    if last == "hours" and (before & _OPENING_WORDS or not before and _OPENING_TEXT.search(description or "")):
        return OPENING_HOURS
    if last in _DURATION_HEADS:
        return DURATION
    if last == "time":
        if before & _CLOCK_WORDS:
            return CLOCK_TIME
        if before & _DURATION_WORDS or _DURATION_TEXT.search(description or ""):
            return DURATION
    return None


def opening_hours(rng: random.Random) -> str:
    """A place's hours on one day: "09:00-17:00", "10:30-18:00"."""
    opens = f"{rng.randint(7, 10):02d}:{rng.choice(('00', '00', '30'))}"
    closes = f"{rng.randint(16, 21):02d}:{rng.choice(('00', '00', '30'))}"
    return f"{opens}-{closes}"


def duration_minutes(name: str) -> tuple[int, int]:
    """The range, in minutes, of a duration of this name: a trip or a delivery takes longer than a queue."""
    words = set(name_tokens(str(name or "")))
    if words & {"travel", "travelling", "traveling", "flight", "journey", "trip", "transit", "driving", "drive",
                "commute"}:
        return 15, 240
    if words & {"delivery", "shipping", "handling", "turnaround", "lead", "resolution", "processing"}:
        return 30, 2880
    return 5, 90


def duration_text(name: str, rng: random.Random) -> str:
    """A duration in words, as a person says it: "25 minutes", "1 hour 20 minutes", "2 days"."""
    low, high = duration_minutes(name)
    minutes = rng.randint(low, high)
    minutes = minutes - minutes % 5 if minutes > 10 else minutes
    if minutes >= 1440:
        days = round(minutes / 1440)
        return f"{days} day" if days == 1 else f"{days} days"
    if minutes < 60:
        return f"{minutes} minutes"
    hours, rest = divmod(minutes, 60)
    said = f"{hours} hour" if hours == 1 else f"{hours} hours"
    return f"{said} {rest} minutes" if rest else said


def timed_string(name: str, rng: random.Random, description: str = "") -> str | None:
    """A string of opening hours or of a duration where the name means one (time_meaning), else None: a time of
    day is left to the name hints, which draw one ("14:30") or the date-time its format asks for."""
    meaning = time_meaning(name, description)
    if meaning == OPENING_HOURS:
        return opening_hours(rng)
    if meaning == DURATION:
        return duration_text(name, rng)
    return None


def time_misfit(name: str, value: Any, description: str = "") -> str | None:
    """The meaning `value` cannot have under `name` (time_meaning), else None: opening hours that are a number
    or a single clock time; a short duration that reads as a time of day ("11:30" for a waiting time; "00:25"
    is a duration in clock form, and a flight may well take "07:30"); a time of day said as a duration ("25
    minutes"). A number for a time of day is let be: it may be an hour or a Unix timestamp."""
    meaning = time_meaning(name, description)
    if meaning is None or isinstance(value, bool) or value is None:
        return None
    text = value.strip() if isinstance(value, str) else None
    if meaning == OPENING_HOURS and (isinstance(value, (int, float)) or text is not None and _CLOCK.match(text)):
        return meaning
    if meaning == DURATION and text is not None and _CLOCK.match(text):
        hours = int(text.split(":")[0])
        return meaning if hours >= 6 and duration_minutes(name)[1] < 240 else None
    if meaning == CLOCK_TIME and text is not None and _DURATION_FORM.search(text) and not _CLOCK.match(text):
        return meaning
    return None
