"""What a call returns where its result is named after its own action: the action's outcome.

A tool without a return schema gets a result field named after its name's noun (undeclared_results.plausible_result),
and for `call_uber`, `request_ride`, `trace_download`, `authentication_validate`, `ask` or `string_reverse`
that noun is the action itself. Described as a thing, it came back as a qualifier and the action's words
("standard call uber", "basic string reverse"): a placeholder that names nothing (typed_values.is_placeholder,
which value_fit fails). A reader knows what such a call returns, by what the action means:
- a ride requested (`call_uber`, `request_ride`, a cab booked): it is confirmed, and the driver is minutes away;
- a download: the link to the file;
- a validation or verification: valid;
- a question put to the user: the user's reply (one of the choices offered, where there are some); a
  preference or a winner between options offered (`option_one`, `option_two`): one of them, and its share;
- a color mixed: the colors to mix for it; money invested: the order placed; a connection made: connected;
  a message said or broadcast: delivered; something appended or saved to a store: added to it;
- a text reversed: the text reversed; translated: its translation where the phrase is known
  (values.known_things.translated); an answer parsed: the answer, or empty where it says there is none;
- a text checked for a word (`contains_word_gaurav`): whether it contains it; a yes-or-no question
  (`is_available`): yes, as the call went through;
- a model trained: trained, with its accuracy; an inventory managed: what is in stock; shopping for an item:
  stores that sell it, with their prices;
- something found (`concert_finder`): one such thing; recommendations: a few items;
- a series (`readings_history`, a `sine_wave` plotted): readings, computed where the call gives a formula;
- and, not an action but a fact the call's arguments decide: the U.S. president of a year.
`action_result` gives the whole result, or None where the noun is not an action it knows.
"""

from __future__ import annotations

import math
import random
from typing import Any, Mapping, Sequence

from ..mentions import field_key, name_tokens
from ..tools import Tool
from ..typed_values import named_thing
from ..values import Synthesizer, lexicons as L
from ..values.known_things import REPLIES, known_thing, translated, us_president

_RIDE_WORDS = frozenset({"uber", "lyft", "ride", "taxi", "cab", "rideshare"})
_RIDE_ACTS = frozenset({"call", "request", "book", "order", "get", "ride"})
_VALIDATE = frozenset({"validate", "validation", "verify", "verification", "authenticate"})
# the colors a painter mixes for a color
_MIXES = {"orange": "red and yellow", "green": "blue and yellow", "purple": "red and blue", "violet": "red and blue",
          "pink": "red and white", "brown": "red, yellow and blue", "gray": "black and white",
          "grey": "black and white",
          "light blue": "blue and white", "teal": "blue and green"}
_CONNECT = frozenset({"connect", "disconnect"})
_SAY = frozenset({"say", "speak", "announce", "broadcast", "shout"})
_ADD = frozenset({"append", "insert", "save", "store", "push"})
_FIND = frozenset({"finder", "locator", "lookup"})
_RECOMMEND = frozenset({"recommendations", "recommendation", "suggestions"})
_SERIES = frozenset({"history", "series", "trend", "timeline"})
_PREFER = frozenset({"preference", "choice", "winner", "favorite", "favourite"})
_NO_ANSWER = frozenset({"unknown", "none", "n/a", "no answer", "not found", "i don't know", ""})
_TEXT_KEYS = frozenset({"text", "string", "inputstring", "input", "content", "message", "sentence", "word", "keyword",
                        "question"})


def _text_argument(arguments: Mapping[str, Any]) -> str | None:
    """The call's text: an argument named as one (`input_string`, `text`, `message`), else None."""
    # not queries.text_argument: the text an action works on is taken as written, spaces and all, and an empty
    # one is a text too ("" reversed is ""), where a searched or named thing is its words, stripped
    for key, value in arguments.items():
        words = set(name_tokens(key))
        if isinstance(value, str) and (field_key(key) in _TEXT_KEYS or words & {"text", "string", "message"}):
            return value
    return None


def _number(arguments: Mapping[str, Any], *names: str) -> float | None:
    for key, value in arguments.items():
        if field_key(key) in names and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def action_result(tool: Tool, noun_words: Sequence[str], arguments: Mapping[str, Any],
                  rng: random.Random) -> dict[str, Any] | None:
    """The result of a call whose result noun is its action (see the module's doc), else None."""
    words = [w for w in noun_words if not w.isdigit()]
    noun = "_".join(words[-2:]) or "result"
    named = set(name_tokens(tool.name))
    last = words[-1] if words else ""
    text = _text_argument(arguments)
    if words[-2:-1] in (["is"], ["has"], ["can"]):  # a question of yes or no (`is_available`)
        return {noun: True}
    year = _number(arguments, "year")
    if last == "president" and year is not None and named & {"us", "usa", "american", "united"}:
        known = us_president(int(year))  # a fact the call's year decides, never a made-up person
        if known is not None:
            return {noun: known}
    if named & _RIDE_WORDS and (set(words) & (_RIDE_WORDS | _RIDE_ACTS)):
        return {noun: f"confirmed, driver arriving in {rng.randint(3, 12)} minutes"}
    if last == "download":
        file_id = next((str(v) for v in arguments.values() if isinstance(v, (str, int)) and not isinstance(v, bool)),
                       str(rng.randint(1000, 99999)))
        folder = words[-2] + "s" if len(words) > 1 else "files"
        return {noun: f"https://downloads.example.com/{folder}/{file_id}.zip"}
    if last in _VALIDATE:
        return {noun: "valid"}
    if last == "ask":
        choices = next((v for k, v in arguments.items() if field_key(k) in ("choices", "options")
                        and isinstance(v, list) and v and all(isinstance(c, str) for c in v)), None)
        return {noun: rng.choice(choices) if choices else rng.choice(REPLIES)}
    options = [v for k, v in arguments.items() if isinstance(v, str) and v.strip()
               and name_tokens(k)[:1] in (("option",), ("choice",), ("candidate",))]
    if last in _PREFER and len(options) >= 2:  # a preference between the options offered: one of them, by a share
        return {noun: rng.choice(options), "share": f"{rng.randint(52, 78)}%"}
    if set(words) & {"mixture", "mix"}:  # the colors to mix for the color asked for
        color = next((v.strip().lower() for k, v in arguments.items()
                      if isinstance(v, str) and "color" in name_tokens(k)), "")
        return {noun: _MIXES[color]} if color in _MIXES else None
    if last == "invest":
        amount, company = _number(arguments, "amount"), arguments.get("company")
        if amount and isinstance(company, str):
            return {noun: f"order placed for {amount:g} of {company} stock"}
        return {noun: "order placed"}
    if last in _CONNECT:
        return {noun: f"{last}ed"}
    if last in _SAY:
        return {noun: "Message delivered."}
    if last in _ADD and len(words) > 1:
        return {noun: f"Added to {' '.join(words[:-1])}."}
    if last == "reverse" and text is not None:
        return {noun: text[::-1]}
    if set(words) & {"translate", "translation"} and text is not None:
        target = next((str(v) for k, v in arguments.items() if isinstance(v, str)
                       and ({"target", "to"} & set(name_tokens(k))) and {"lang", "language"} & set(name_tokens(k))),
                      "")
        done = translated(text, target)
        return {noun: done} if done is not None else None
    if words[:1] == ["answer"] and "answer" in arguments and isinstance(arguments["answer"], str):
        answer = arguments["answer"].strip()
        return {noun: "" if answer.lower() in _NO_ANSWER else answer}  # "no answer found" parses as empty
    if "contains" in named and words[:1] == ["contains"] and text is not None and len(words) > 1:
        return {"contains": words[-1] in text.lower()}
    if last in ("train", "training"):
        return {noun: f"model trained, accuracy {rng.uniform(0.78, 0.96):.2f}"}
    if set(words) & {"shopping", "buy", "purchase"}:  # where the item is sold, and for how much
        return {noun: [{"store": named_thing("store", rng), "price": round(rng.uniform(8, 120), 2)}
                       for _ in range(rng.randint(2, 3))]}
    if set(words) & {"inventory", "stock", "availability"}:
        return {noun: f"in stock, {rng.randint(2, 60)} units available"}
    synth = Synthesizer(rng, root={})
    if last in _FIND and len(words) > 1:  # a thing of the kind it finds: a concert for a concert finder
        found = known_thing(words[-2], {words[-2]}, rng)
        return {noun: found if found is not None else synth.value({"type": "string"}, words[-2])}
    if set(words) & _RECOMMEND:
        return {noun: rng.sample(L.PRODUCTS, k=min(3, len(L.PRODUCTS)))}
    if last in _SERIES and len(words) > 1:
        return {noun: _readings(arguments, rng, synth)}
    if last == "wave":
        return {noun: _wave(arguments, rng)}
    return None


def _readings(arguments: Mapping[str, Any], rng: random.Random, synth: Synthesizer) -> list[dict[str, Any]]:
    """A few dated readings, of each measure the call names (`metrics=["co2", "temperature"]`) or one value."""
    metrics = next((v for k, v in arguments.items() if field_key(k) in ("metrics", "measures", "fields")
                    and isinstance(v, list) and v and all(isinstance(m, str) for m in v)), ["value"])
    return [{"date": synth.value({"type": "string", "format": "date"}, "date"),
             **{str(m): synth.value({"type": "number"}, str(m)) for m in metrics}}
            for _ in range(rng.randint(2, 4))]


def _wave(arguments: Mapping[str, Any], rng: random.Random) -> list[dict[str, float]]:
    """Points of the sine wave the call describes (frequency, amplitude, phase, range), five across its range."""
    start = _number(arguments, "startrange", "start", "xmin", "from") or 0.0
    end = _number(arguments, "endrange", "end", "xmax", "to")
    end = end if end is not None and end > start else start + 1.0
    frequency = _number(arguments, "frequency", "freq") or 1.0
    amplitude = _number(arguments, "amplitude") or 1.0
    phase = _number(arguments, "phaseshift", "phase") or 0.0
    xs = [start + (end - start) * i / 4 for i in range(5)]
    return [{"x": round(x, 3), "y": round(amplitude * math.sin(2 * math.pi * frequency * x + phase), 3)} for x in xs]
