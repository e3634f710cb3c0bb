"""What the template writer's answer says about one call's result (`answers.ResultView`): the facts the
user asked for, chosen from the result by what the call did.

A person reading a result back tells what was asked: the value a lookup was for, a search's count and
its top match, a create's new id, what a change or delete acted on. Fields that only echo the call's
arguments ("receiver id REC-1" after a call with that receiver) or restate its outcome (`sent_status`:
true, "Message sent successfully.") are left out; fields a later call reads are always told, so the user
can point at them ("use the id from that result").
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from ..execution import is_error_result
from ..execution.compute import computed
from ..execution.echo import outcome_flag, verdict
from ..execution.verbs import action_of, past_tense, verb_and_noun
from ..mentions import MentionIndex, is_data_key, name_tokens
from ..tools import Tool
from .answers import ResultView
from ..planning.phrasing import action_phrase, label, mention
from ..values import humanize, singular
from ..values.record_names import asked_key

# how many facts besides the ones later calls read: a lookup may tell two, an action confirms with one
_LIMITS = {"create": 1, "change": 1, "delete": 1, "search": 2, "compute": 2, "read": 2}
_ID_ENDINGS = ("id", "ids", "key", "code", "number", "name", "username")
_STOP = frozenset("a an the of for to in on at by with from and or all any its their my your".split())
_DONE_WORDS = frozenset("success successful ok done completed true".split())
_PREPOSITIONS = frozenset("in of for by to from with on at into via over under given within inside across between "
                          "through onto among".split())
_CLAUSE_STARTS = frozenset("which that using and or based associated provided specified located".split())
_PAIRED = {"home": "away", "away": "home"}  # fields that mean something together: home team and away team
_CHANGE_WORDS = frozenset("replace overwrite update edit modify rename set move".split())


# what a calculation's answer is called when compute.py's quantity is no word for it ("rounded", "converted")
_QUANTITY_WORDS = {"rounded": "rounded number", "converted": "converted value", "power": ""}


def _quantity(tool: Tool, arguments: Mapping[str, Any]) -> str:
    """The words for what a calculation's generic `result` holds ("difference", "square root", "mean"), from
    the arithmetic the simulated executor and the checks use (execution.compute); "" for any other call."""
    answer = computed(tool, arguments)
    if answer is None:
        return ""
    return _QUANTITY_WORDS.get(answer.quantity, humanize(answer.quantity))


def noun_phrase(tool: Tool) -> str:
    """What a tool works on, in words: the last words of its name ("hotel room"), or the description's phrase
    for the same words where it has one: `calcVolume_sphere` is the "volume of a sphere", never "volume sphere"."""
    _, noun_words = verb_and_noun(tool)
    # a verb the name ends with that `verb_and_noun` does not know is no noun: `core_memory_replace` → "core memory"
    words = [w for w in noun_words if w.isalpha() and w not in _STOP and w not in _CHANGE_WORDS][-2:]
    said = _described(action_phrase(tool).partition(" ")[2])
    lowered = f" {said.lower()} "
    # only where the name's words, run together, are no English ("volume sphere" beside "volume of a sphere")
    if words and " of " in lowered and set(words) <= set(lowered.split()) and f" {' '.join(words)} " not in lowered:
        return said
    return " ".join(words)


# verbs that read right before "the <noun>" ("I'll delete the message"); "search the tweets" or "list the
# data" do not
SAYABLE_VERBS = frozenset("get retrieve fetch find check delete remove send create update add post book cancel "
                          "calculate compute convert replace reset rename move copy open close archive".split())
_LOOKUP_VERBS = frozenset("get retrieve fetch find look check".split())
# words a name carries that are no part of a thing's name: "is_available", "being_processed", "most_played"
_NOT_NOUN_WORDS = frozenset("is are being during built latest upcoming available related popular detailed played "
                            "followed most".split())


def spoken_verb_and_noun(tool: Tool) -> tuple[str, str]:
    """The tool's verb and noun as a person says them ("delete", "message"), or ("", "") when "<verb> the
    <noun>" would not say what the tool does: a verb no one says before "the", a noun word the description
    never uses (`cp` → "copy the cp", `v4_sports` → "get the v sports", `cities_states` → "get the cities
    states" for a list of states), or a verb other than the description's (`Create_Container_Tracking_Get…`
    is "create" by its name and "retrieve the data" by its description)."""
    verb, _ = verb_and_noun(tool)
    noun = noun_phrase(tool)
    action = action_phrase(tool)
    # the words the description says in lower case: "Correo Argentino" names a carrier, not what a quote is
    said = set(re.findall(r"\b[a-z][a-z0-9]*\b", f"{action} {tool.description or ''}"))
    first = action.split(" ", 1)[0].lower()
    same_verb = verb == first or {verb, first} <= _LOOKUP_VERBS
    if verb not in SAYABLE_VERBS or not noun or not same_verb or not set(noun.split()) <= said \
            or _NOT_NOUN_WORDS & set(noun.split()):
        return "", ""
    return verb, noun


def _described(words: str) -> str:
    """The object of a request with its "of" phrase: "the area of a circle with given radius" → "area of a
    circle"; "" when it runs on past five words."""
    thing: list[str] = []
    for word in words.split():
        lower = word.lower().strip(",")
        if not thing and lower in _STOP:
            continue
        if lower in _PREPOSITIONS and lower != "of" or lower in _CLAUSE_STARTS \
                or word.endswith(","):
            thing += [word.strip(",")] if word.endswith(",") else []
            break
        thing.append(word)
    return " ".join(thing) if len(thing) <= 5 else ""


def refused_outcome(result: Any) -> str:
    """The label of a top-level yes/no field that says the call's own action did not happen
    (`sent_status`: false, `success`: false), or "" (`execution.echo.outcome_flag` is the rule)."""
    if not isinstance(result, dict):
        return ""
    for key, value in result.items():
        if value is False and outcome_flag(key):
            return humanize(str(key))
    return ""


def result_view(tool: Tool, result: Any, arguments: Mapping[str, Any], needed: Sequence[tuple[str, str]],
                said: MentionIndex) -> ResultView:
    """The view of one result: `needed` are the (label, value) facts later calls read; `said` what the user
    and the tools said so far (an argument is named as the call's target only when it was said)."""
    verb, noun_words = verb_and_noun(tool)
    # a call compute.py answers is a calculation, whatever its verb: `add(a, b)` adds no record ("your two
    # numbers exists now as result 118.87"), it sums
    kind = "compute" if computed(tool, arguments) is not None else action_of(tool)
    noun = noun_phrase(tool) or " ".join(noun_words[-2:]) or "request"
    said_verb, _, said_object = action_phrase(tool).partition(" ")
    if kind == "read" and said_verb in _CHANGE_WORDS:  # `archival_memory_replace`: "replace a key-value pair…"
        kind, verb = "change", said_verb
    if kind in ("create", "change", "delete"):  # what was acted on, as requested: "the key-value pair", not
        noun = _object(said_object) or noun    # the name's "core memory" of `core_memory_remove`
    past = past_tense(verb) if verb else "done"
    base = {"kind": kind, "noun": noun, "past": past, "verb": verb}
    if is_error_result(result):
        error = next(iter(result.values()))
        if isinstance(error, list):
            error = error[0] if error else {}
        details = error if isinstance(error, dict) else {"message": str(error)}
        message = str(details.get("message") or details.get("type") or "an error")
        return ResultView(facts=(), error=message, retryable=bool(details.get("retryable")), **base)
    target = _target(arguments, said, identifiers_only=kind in ("read", "compute", "search"))
    if refused_outcome(result):  # "deleted_status": false is no success to report as one
        return ResultView(facts=(), refused=True, target=target, **base)
    wanted = _wanted_words(tool)
    items = main_list(result)
    if kind in ("search", "read") and items is not None:  # a list is told by its count and its first item
        first = items[0] if items else None
        facts = facts_of(first, arguments, wanted, limit=_LIMITS["search"]) if first is not None else []
        if facts and not isinstance(first, (dict, list)):  # a list of texts: its first is a "suggestion", not a "result"
            facts[0] = (_item_label(result, items) or facts[0][0], facts[0][1])
        facts += [fact for fact in needed if fact not in facts]  # read later, maybe outside the list: told after
        subject = _subject(arguments) if kind == "search" else ""
        # a list of plain values is said by them: a few short names, or two texts (found lines)
        plain = [mention(item) for item in items if isinstance(item, (str, int, float)) and not isinstance(item, bool)]
        names = tuple(plain[:4 if all(len(p) <= 30 for p in plain[:4]) else 2]) if len(plain) == len(items) else ()
        return ResultView(facts=tuple(facts), count=len(items), subject=subject, **{**base, "kind": "search"},
                          listing=kind == "read", names=names)
    facts = facts_of(result, arguments, wanted, limit=_LIMITS.get(kind, 2), first=needed,
                     ids_first=kind == "create", keep_echoes=kind in ("read", "compute"),
                     acted=kind in ("create", "change", "delete"))
    quantity = _quantity(tool, arguments)
    if quantity:  # "the difference is -25.78", not "the result is -25.78"; a field later calls read keeps its name
        facts = [(quantity if label_ == "result" and (label_, value) not in needed else label_, value)
                 for label_, value in facts]
    changed = _changed(arguments, target, said) if kind == "change" else ""
    put = _put(arguments) if verb in ("move", "copy") else ()
    about = _about(arguments, said, facts) if kind in ("read", "compute") and not target else ""
    return ResultView(facts=tuple(facts), target=target, changed=changed, about=about, put=put, **base)


def _put(arguments: Mapping[str, Any]) -> tuple[str, str]:
    """(what, where) of a copy or move, by its arguments' names (`source`, `destination`), as written."""
    ends: dict[str, str] = {}
    for name, value in arguments.items():
        words = set(name_tokens(name))
        end = "what" if words & {"source", "src", "from"} else "where" if words & {"destination", "dest", "target", "to"} \
            else ""
        if end and isinstance(value, str) and value.strip():
            ends.setdefault(end, mention(value))
    return (ends["what"], ends["where"]) if len(ends) == 2 else ()


# arguments that let a call through, not what it changes: "User id USE-1 is updated and now reads "ACC-64803""
# told an access token as the profile's new content
_CREDENTIAL_WORDS = frozenset("token password passwd secret auth authorization credential credentials apikey".split())


def _changed(arguments: Mapping[str, Any], target: str, said: MentionIndex) -> str:
    """A change's new value: its one said text argument besides the target and the credentials ("piano
    lessons" for key ID-7)."""
    values = [mention(value) for name, value in arguments.items()
              if isinstance(value, str) and said.states(value) and not target.endswith(f" {mention(value)}")
              and not _CREDENTIAL_WORDS & set(name_tokens(str(name)))]
    return (values[0] if values[0].startswith('"') else f'"{values[0]}"') if len(values) == 1 else ""


def _object(words: str) -> str:
    """The thing a request acts on: "a key-value pair in the long-term memory" → "key-value pair", "a new
    project within the system" → "project" (it was "within system": "Within system created")."""
    thing: list[str] = []
    for word in words.split():
        if word in _PREPOSITIONS or word in ("sent", "made", "and", "&", "or") or word.endswith("ed") and thing:
            break
        if word not in _STOP and not (word in ("new", "existing") and not thing):  # "New new project" otherwise
            thing.append(word)
    return " ".join(thing[-2:])


def _wanted_words(tool: Tool) -> frozenset[str]:
    """The words of what the tool is asked for ("retrieve the value associated with a key" → value, key…):
    a field named by them is what the user wanted to know."""
    parameters = tool.parameters.get("properties") if isinstance(tool.parameters, dict) else None
    given = {w for name in (parameters or {}) for w in name_tokens(str(name))}  # "for a sport": the input
    return frozenset(set(name_tokens(action_phrase(tool))) - _STOP - given)


def _target(arguments: Mapping[str, Any], said: MentionIndex, identifiers_only: bool) -> str:
    """What the call acted on, as the user knows it: an identifying argument ("key ID-6770", "receiver id
    REC-1"), else (for an action) its first plain argument, when the dialogue has said its value."""
    plain = [(name, value) for name, value in arguments.items()
             if isinstance(value, (str, int)) and not isinstance(value, bool) and said.states(value)]
    for name, value in plain:
        words = label(name).split()
        if words[-1:] and words[-1] in _ID_ENDINGS:
            # "receiver USR-2", "tweet 3598": a thing's id is said after the thing, as people name it; a bare
            # "id" or a "key" keeps its word ("key ID-6770")
            said_as = " ".join(words[:-1]) if words[-1] == "id" and len(words) > 1 else " ".join(words)
            return f"{said_as} {mention(value)}"
    if identifiers_only or not plain:
        return ""
    name, value = plain[0]
    return f"{label(name)} {mention(value)}" if len(str(value)) <= 40 else ""


def _about(arguments: Mapping[str, Any], said: MentionIndex, facts: Sequence[tuple[str, str]]) -> str:
    """What a lookup was about, as the dialogue said it ("tennis", "Córdoba"): its first short word argument
    (no digits, no setting), so the answer can name it ("For tennis, the game is ..."); "" when the facts
    tell it already ("For hockey, the key is hockey")."""
    subject = _subject({name: value for name, value in arguments.items()
                        if isinstance(value, str) and len(value) <= 40 and said.states(value)})
    bare = subject.strip('"')
    if not bare or any(bare in value for _, value in facts):
        return ""
    return subject if len(bare.split()) > 3 else bare  # a phrase stays quoted; a word or a name is said bare


def _subject(arguments: Mapping[str, Any]) -> str:
    """What a search looked for, as the user said it: its first short text argument without digits (a
    keyword or a place, never an id)."""
    for name, value in arguments.items():
        if re.search(r"sort|order|format|type|mode|lang|unit|file|folder|dir|path", str(name), re.IGNORECASE):
            continue  # a setting ("asc", "json") or where it looked (grep's file), not what was looked for
        if isinstance(value, str) and 2 < len(value) <= 60 and not re.search(r"\d", value):
            said = mention(value)
            return said if said.startswith('"') else f'"{said}"'
    return ""


def _item_label(result: Any, items: list[Any]) -> str:
    """What one element of a result's list is called: its field's name, singular (`suggestions` → suggestion)."""
    key = next((k for k, v in result.items() if v is items), "") if isinstance(result, dict) else ""
    return humanize(singular(str(key))) if key else ""


def main_list(result: Any) -> list[Any] | None:
    """The list a search returns: the result itself, or its only list-valued field."""
    if isinstance(result, list):
        return result
    if isinstance(result, dict):
        lists = [value for value in result.values() if isinstance(value, list)]
        if len(lists) == 1:
            return lists[0]
    return None


def _restates_outcome(key: str, value: Any, acted: bool) -> bool:
    """`sent_status`: true, "Message sent successfully.", `status`: "success" (after an action, any status):
    the call went through, which the answer's own words already say."""
    if isinstance(value, bool):
        return value and outcome_flag(key)
    if isinstance(value, str):
        return verdict(value) is True or outcome_flag(key) and (acted or value.lower() in _DONE_WORDS)
    return False


_BOOKKEEPING = frozenset("updated modified timestamp etag checksum revision".split())
_NAMING = frozenset({"title", "name"})


def _bookkeeping(words: set[str]) -> bool:
    """A record's housekeeping (`last_update`, `updated_at`, `etag`): told only when nothing the user wanted
    is left, as a person reading the result back would skip it."""
    return bool(words & _BOOKKEEPING) or {"last", "update"} <= words


def _label_of(key: str) -> str:
    """A field's label; a key that is data (`mentions.is_data_key`: a store listed by id) is the entry it
    names, verbatim: "the entry ID-21281 is ...", never "the id 21281 is ..." (its letters lost)."""
    return f"entry {key}" if is_data_key(key) else humanize(key)


def facts_of(result: Any, arguments: Mapping[str, Any], wanted: frozenset[str] = frozenset(), limit: int = 2,
             first: Sequence[tuple[str, str]] = (), ids_first: bool = False,
             keep_echoes: bool = True, acted: bool = False) -> list[tuple[str, str]]:
    """(label, value) pairs worth telling: `first` (fields later calls read), then the result's scalar
    fields, what was asked for (`wanted` words; for a create, its new id) before the rest. Echoes of the
    arguments and restatements of the outcome are left out; a lookup that returns only echoes
    (`keep_echoes`) tells them rather than nothing."""
    found: list[tuple[int, int, str, str]] = []

    def walk(value: Any, key: str, depth: int) -> None:
        if len(found) >= 16 or depth > 3:
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k), depth + 1)
        elif isinstance(value, list):
            flat = value[0] if len(value) == 1 and isinstance(value[0], list) else value
            if key and 1 < len(flat) <= 6 and all(isinstance(v, str) for v in flat):
                # a record's ingredients are all of them ("2 oz bourbon, ... and ice"), never the first alone
                words = set(name_tokens(key))
                found.append((0, 0 if words & wanted else 1, _label_of(key), mention(flat)))
            elif value:
                walk(value[0], key, depth + 1)
        elif value is not None and key and not _restates_outcome(key, value, acted):
            echoed = key in arguments and arguments[key] == value or any(
                value == argued and not isinstance(argued, bool) and set(name_tokens(key)) <= set(name_tokens(name))
                for name, argued in arguments.items()) or (  # `id` of get_tweet(tweet_id=…)
                asked_key(key, arguments) == value)  # `sport_key` "tennis" of a call for `sport="tennis"`
            words = set(name_tokens(key))
            asked = bool(words & wanted) or ids_first and bool(words & {"id", "ids", "number", "code"})
            # what was asked for, then what the thing is called (a cocktail's title before its difficulty)
            rank = 0 if asked else 3 if _bookkeeping(words) else 1 if words & _NAMING else 2
            found.append((1 if echoed else 0, rank, _label_of(key), mention(value)))

    walk(result, "result" if not isinstance(result, (dict, list)) else "", 0)
    if not keep_echoes or any(echoed == 0 for echoed, _, _, _ in found):
        found = [item for item in found if item[0] == 0]
    found.sort(key=lambda item: (item[0], item[1]))  # stable: the result's own order within a rank
    # a field a later call reads is told, unless it only echoes an argument the user already knows
    echoes = {(humanize(str(k)), mention(v)) for k, v in arguments.items() if not isinstance(v, (dict, list))}
    told: list[tuple[str, str]] = [fact for fact in dict.fromkeys(first) if fact not in echoes]
    extra = 0
    for _, _, l, v in found:
        if extra >= limit:
            break
        if (l, v) not in told and all(l != t for t, _ in told):
            told.append((l, v))
            extra += 1
    # one side of a pairing ("away team") is told with its other side ("home team"): half a game says nothing
    for l, v in list(told):
        side, _, rest = l.partition(" ")
        other = _PAIRED.get(side)
        partner = next(((pl, pv) for _, _, pl, pv in found if other and pl == f"{other} {rest}" and pv != v), None)
        if partner and partner not in told:
            told.insert(told.index((l, v)) + 1, partner)
    return told
