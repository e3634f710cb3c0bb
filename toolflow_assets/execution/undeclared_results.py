"""Results for a tool that declares no return schema: a small JSON object shaped by what its name says.

`plausible_result(tool, arguments, rng, answer)` is the simulated executor's draft for such a tool (the
executor then makes it agree with the call, as it does a result drawn from a schema): a computed answer, a
meant result (a price bar, a spell check), a count, a time, a quantity, a search's records, a create's new id,
or the thing the name's noun names. It lives apart from `simulated.py` because it is a rule of its own (what a
name's noun holds, with no schema to draw from) that the executor calls only when there is no return schema.
"""

from __future__ import annotations

import random
from typing import Any, Mapping

from ..tools import Tool
from ..typed_values import context_words, is_measure, state_words, thing_value
from ..values import Synthesizer, has_string_hint, humanize, name_tokens, number_hint, singular
from ..values.timed_values import timed_string
from .action_results import action_result
from .compute import Computed
from .meant_results import meant_result
from .result_nouns import priced
from .stamping import is_scalar
from .verbs import action_of, past_tense, verb_and_noun

# what a field named `..._result` or `..._status` of an undeclared return holds: how the thing asked about stands
_STATUS_WORDS = frozenset({"result", "results", "outcome", "status", "state", "progress", "response"})
# never "failed": the call went through, and a result saying otherwise contradicts it
_STATUSES = ("completed", "pending", "in progress", "delivered", "processing")


def _described(noun: str, arguments: Mapping[str, Any], rng: random.Random) -> Any:
    """A value for the thing a read tool returns, by what the field's own name means: a `tracking_result` is
    a status ("delivered"), never the tool's name made into a sentence ("Argentino result for TAS-1")."""
    if name_tokens(noun)[-1:] and name_tokens(noun)[-1] in _STATUS_WORDS:
        return rng.choice(_STATUSES)
    # Another thing no lexicon knows is composed as what its name names (typed_values.thing_value): a plural
    # (`event_specifications`) is a few records of the singular thing with ids and names, a singular one its
    # value. A measure (`rectangle_property`, `stock_price`) is a number, a plural of it dated readings; a
    # state-like noun (`presence`) one of its states; a thing people name (a project, a shop) a proper name;
    # anything else a plain description ("primary genetic trait"), never a family name dressed as a brand
    # ("Tate Genetic Trait"). Never the field's name plus the call's values ("Case info for CAS-97290 and
    # 2017"): a placeholder, which the entity store then carried into a later lookup of another year.
    words = list(name_tokens(noun)) or ["result"]
    listed = words[-1] in ("list", "collection") and len(words) > 1  # a `user_list` is a few users
    words = words[:-1] if listed else words
    single = singular(words[-1])
    context = context_words(arguments)
    synth = Synthesizer(rng, root={})
    if is_measure(noun) and not state_words(noun):
        if single == words[-1]:
            return synth.value({"type": "number"}, noun)
        return [{"date": synth.value({"type": "string", "format": "date"}, "date"),
                 single: synth.value({"type": "number"}, single)} for _ in range(rng.randint(2, 3))]
    if single != words[-1] or listed:
        thing = " ".join([*words[:-1], single])
        records: list[dict[str, Any]] = []
        for index in range(rng.randint(2, 3)):
            for _attempt in range(4):  # the records of a list are different things; one may say what was asked
                name = thing_value(thing, rng, context if index == 0 else ())
                if all(record["name"] != name for record in records):
                    break
            records.append({f"{single}_id": synth.value({"type": "string"}, f"{single}_id"), "name": name})
        return records
    return thing_value(humanize(noun), rng, context)


def plausible_result(tool: Tool, arguments: Mapping[str, Any], rng: random.Random,
                     answer: Computed | None = None) -> dict[str, Any]:
    """A small JSON object for a tool that declares no return schema, shaped by what its name says."""
    verb, noun_words = verb_and_noun(tool)
    noun = "_".join(noun_words[-2:]) or "result"
    action = action_of(tool)
    synth = Synthesizer(rng, root={})
    result: dict[str, Any]
    if answer is not None:
        result = {answer.quantity: answer.value}
    elif (meant := meant_result(tool, arguments, rng)) is not None:
        # a price bar, short interest, a spell check, completions, news articles (meant_results.py)
        result = meant
    elif verb == "count" or noun_words[-1:] == ["count"]:
        # a count is a whole number, and it counts the noun (`store_count`), it is not the noun itself:
        # `{"store": 13.51}` answered how many stores there are
        result = {"count": synth.value({"type": "integer", "minimum": 0}, f"{noun}_count")}
    elif (timed := timed_string(noun, rng, str(tool.description or ""))) is not None:
        # opening hours are a range ("09:00-17:00"), a waiting time a duration ("25 minutes"): values.timed_values
        result = {noun: timed}
    elif action == "compute" or (number_hint(noun) is not None and not has_string_hint(noun_words[-1])):
        # the name's range where it has one (hours 1-12, a probability 1-99), else a plain quantity
        result = {noun: synth.value({"type": "number"}, noun)}
    elif action == "read" and priced(tool, noun_words):
        # a shipping quote or a fare is a price, of what the call measures (result_nouns.priced)
        result = {"price": synth.value({"type": "number"}, "price")}
    elif action == "search":
        item_name = noun_words[-1] if noun_words else "item"
        items = [{"id": synth.value({"type": "string"}, f"{item_name}_id"),
                  "name": synth.value({"type": "string"}, "name", f"name of the {item_name}")}
                 for _ in range(rng.randint(1, 3))]
        result = {"results": items, "total": len(items)}
    elif action == "create":
        result = {"status": "success", f"{noun}_id": synth.value({"type": "string"}, f"{noun}_id")}
    elif action in ("change", "delete"):
        result = {"status": "success", "message": f"{humanize(noun).capitalize()} {past_tense(verb)}."}
    else:
        word = noun_words[-1] if noun_words else "result"
        single = singular(word)
        if single != word and has_string_hint(single):  # "museum artists": a few artists, not one phrase
            result = {noun: [synth.value({"type": "string"}, single) for _ in range(rng.randint(2, 3))]}
        elif has_string_hint(word):
            result = {noun: synth.value({"type": "string"}, word)}
        else:
            # a result named after the call's own action is its outcome (a ride confirmed, a text reversed:
            # action_results); else nothing says what a `vegan_recipe` or `stock_data` string holds: describe
            # it by what was asked, never with an unrelated topic ("stock data: space exploration")
            result = action_result(tool, noun_words, arguments, rng) or {noun: _described(noun, arguments, rng)}
    for name, value in list(arguments.items())[:2]:
        if name not in result and is_scalar(value):
            result[name] = value
    return result
