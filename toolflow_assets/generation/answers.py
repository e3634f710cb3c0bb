"""The template writer's assistant: its answer to a round of results (what it says with its calls: call_notes.py).

An answer tells the user what they asked for, not every field of the result: the value a lookup was for, a
search's count and its top match, a confirmation with the new id for a create or a send, the thing changed
or deleted. The facts are chosen in `result_views.py`; here they become sentences whose shape follows what
the tool did (a send is "sent", a search "found"), with few stock words, so answers read like a person's and
not like a dump of fields ("the status came back as open; the id turned out to be 32228").

Every value an answer states comes from the result or from the call's own arguments as the user or an
earlier result gave them (the claims check holds answers to that).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Sequence

from .language import article, as_verb, cap, numeric, plural, yes_no
from .record_forms import paired, unlabelled


@dataclass(frozen=True)
class ResultView:
    """What the answer needs to know about one call's result."""

    kind: str  # compute | search | create | change | delete | read
    noun: str  # what the tool works on, in words ("hotel room")
    past: str  # the action done, in the past tense ("booked")
    facts: tuple[tuple[str, str], ...]  # (label, value as written) the user asked for, most important first
    count: int | None = None  # items in the main list of a search result
    error: str | None = None  # the error message, when the tool failed
    retryable: bool = False
    scope: str = ""  # which call this answers, when one answer covers two calls of a tool ("distance 15")
    subject: str = ""  # what the user asked about, as said ("best hiking trails"): a search's answer names it
    target: str = ""  # what the call acted on, as the user knows it ("key ID-6770", "receiver id REC-1")
    verb: str = ""  # the tool's verb ("send", "post"), for the verbs with answers of their own
    refused: bool = False  # the result says the action did not happen (`deleted_status`: false)
    changed: str = ""  # a change's new value, as the user or a result gave it ('"piano lessons"')
    listing: bool = False  # a search view of a lookup that returned a list ("all tweets from a user")
    about: str = ""  # what a lookup was about, as said ("tennis"): the answer may name it, as people do
    names: tuple[str, ...] = ()  # a list of plain values, the first few as written: a folder's items, found lines
    put: tuple[str, str] = ()  # a copy's or move's (what, where), as the call gave them


# Fields that name what they hold: a search's top match is its content ('"Dinner at eight"'), not
# 'the content "Dinner at eight"'.
_SELF_NAMED = frozenset("content message text name title value result summary description answer".split())


def _says(label: str, value: str) -> str:
    """A fact as a clause: "the id is 32228", "the scores are 2-1"."""
    return f"the {label} {'are' if plural(label) else 'is'} {value}"


def _phrase(label: str, value: str) -> str:
    """A fact as a noun phrase, after "with" or in brackets: "id 32228", '"Dinner at eight"'."""
    if not label:
        return value
    if label.split()[-1:] and label.split()[-1] in _SELF_NAMED and value.startswith('"'):
        return value
    return f"{label} {value}"


# a fact inside a sentence, said several ways so that a field told in many answers ("the away team is …")
# does not read the same every time
_CLAUSE_FORMS = ("the {l} {be} {v}", "the {l} {be} {v}", "{v} {be} the {l}", "{v} for the {l}", "{l} {v}")


def _clauses(rng: random.Random, facts: Sequence[tuple[str, str]], opening: bool = False) -> str:
    """Two or three facts in one sentence: "the id is 3 and the tags are a and b". `opening`: the text starts
    a sentence, so it must not start with a value (capitalizing one would change it)."""
    parts = [(f"it's {value}" if opening and not index else value) if not label else
             yes_no(label, value) if value in ("yes", "no") else  # never "the completed is yes"
             f"{as_verb(label)} {value}" if as_verb(label) else
             rng.choice(_CLAUSE_FORMS[:2] + _CLAUSE_FORMS[4:] if opening and not index else _CLAUSE_FORMS).format(
                 l=label, v=value, be="are" if plural(label) else "is") for index, (label, value) in enumerate(facts)]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _more(rng: random.Random, facts: Sequence[tuple[str, str]], brackets: bool = True) -> str:
    """The facts after the first one, as a closing sentence ("" when there are none); `brackets`: false after
    a text that ends in its own ("Pinnacle (ID-7)"), never "(ID-7) (title …)"."""
    if not facts:
        return ""
    if brackets and rng.random() < 0.4 and not any(value in ("yes", "no") for _, value in facts):  # never "(active yes)"
        return " (" + ", ".join(_phrase(label, value) for label, value in facts) + ")."
    return ". " + cap(_clauses(rng, facts, opening=True)) + "."


def _failure(rng: random.Random, view: ResultView) -> str:
    if view.refused:
        text = rng.choice(("The {noun} wasn't {past}: the service reported a failure.",
                           "That didn't go through; the {noun} was not {past}.",
                           "The service says the {noun} could not be {past}.")).format(noun=view.noun, past=view.past)
    else:
        text = rng.choice(("I couldn't get the {noun}: the service answered \"{error}\".",
                           "The {noun} request failed ({error}).", "That didn't work; the tool reported: {error}.",
                           "Something went wrong with the {noun}: {error}.", "No luck with the {noun} this time ({error}).",
                           "The {noun} call came back with an error: {error}.")).format(
            noun=view.noun, error=str(view.error).rstrip("."))
    if view.retryable:
        return text + " " + rng.choice(("It's a temporary problem, so trying again in a moment should work.",
                                        "This usually clears up quickly; we can retry shortly.",
                                        "We can try again in a little while.", "Shall I try again in a minute?",
                                        "It looks temporary; a second attempt later should go through."))
    return text + " " + rng.choice(("Could you check the details and tell me how you'd like to proceed?",
                                    "Let me know if you want to change anything and try again.",
                                    "If you can double-check the details, I'll run it again.",
                                    "Do you want to adjust something and retry?", "How would you like to go from here?"))


def _search(rng: random.Random, view: ResultView) -> str:
    facts = unlabelled(view.facts)
    named = bool(view.subject) and not view.scope and rng.random() < 0.5  # the answer says what was looked for
    if view.listing and (view.count == 0 or not facts):
        return rng.choice(("There are none.", "The list is empty.") if not view.count else
                          ("There {are} {n} in the list.", "The list holds {n}.")).format(
            n=view.count, are="is" if view.count == 1 else "are")
    if view.count == 0 or not facts and not view.count:
        return rng.choice(("Nothing matched{s}.", "The search{s} came back empty.", "I found no matches{s}.")).format(
            s=f" for {view.subject}" if named else "")
    if not facts:  # the top match holds nothing beyond what was asked
        return rng.choice(("I found {n} {m}.", "There {are} {n} {m}.", "The search turned up {n} {m}.")).format(
            n=view.count, m="match" if view.count == 1 else "matches", are="is" if view.count == 1 else "are")
    if view.names and view.count:  # a list of names is told by its names ("budget.csv, notes.md and 3 more"), not
        return cap(_named_list(rng, view)) + (_more(rng, facts[1:]) or ".")  # "led by current directory content …"
    # a list's first item by its own word where a name says what it is ("led by Unibet", "the first is
    # hockey"), not "led by title Unibet"; an id or a number keeps its label ("key ID-7")
    l0, v0 = facts[0]
    top = v0 if l0 in ("title", "name", "key") and v0[:1].isalpha() and not any(ch.isdigit() for ch in v0) \
        and v0 not in ("yes", "no") else _phrase(l0, v0)
    rest = _more(rng, facts[1:], brackets=not top.endswith(")"))
    if view.listing:  # a lookup's list: no "matches", it was no search
        head = rng.choice(("There's just one: {top}", "Only one came back: {top}") if view.count == 1 else
                          ("There are {n}; the first is {top}", "{n} in all, starting with {top}",
                           "I count {n}. First up: {top}", "{n} of them, led by {top}"))
    elif view.count == 1:
        head = rng.choice(("One match: {top}", "I found a single match, {top}", "Just one result: {top}",
                           "Only {top} matches"))
        if named:
            head = rng.choice(("For {s}, there's one match: {top}", "Searching for {s} turns up only {top}"))
    else:
        head = rng.choice(("{n} matches; the first is {top}", "I found {n} results, led by {top}",
                           "{n} hits, starting with {top}", "There are {n} results. The top one is {top}"))
        if named:
            head = rng.choice(("For {s}, I found {n} matches, the first being {top}",
                               "Your search for {s} turned up {n} matches; first comes {top}"))
    text = head.format(n=view.count, top=top, s=view.subject)
    return cap(text) + (rest if rest else ".")


def _named_list(rng: random.Random, view: ResultView) -> str:
    shown = list(view.names)
    more = (view.count or len(shown)) - len(shown)
    names = ", ".join(shown[:-1]) + (" and " if not more else ", ") + shown[-1] if len(shown) > 1 else shown[0]
    if more:  # "and 3 more" would state a number no result holds (the claims check); the count is said apart
        names += rng.choice((" and others", ", among others", " and a few more" if more > 1 else " and one more"))
    if view.count == 1:
        return rng.choice(("Just one: {names}", "There's only {names}", "Only one came back: {names}")).format(names=names)
    return rng.choice(("There are {n}: {names}", "{n} in all: {names}", "I see {n}: {names}", "It lists {names}",
                       "Here they are: {names}")).format(n=view.count, names=names)


_SENT = ("Sent. The {l} is {v}", "Your {noun} is on its way; its {l} is {v}", "{Noun} sent ({l} {v})",
         "Done, the {noun} went out with {l} {v}")
_POSTED = ("Posted. It has {l} {v}", "Your {noun} is up ({l} {v})", "{Noun} posted; its {l} is {v}",
           "It's live now, with {l} {v}")
_CREATED = ("{Noun} {past}: its {l} is {v}", "I've {past} the {noun}; its {l} is {v}",
            "The {noun} {be} {past}, with {l} {v}", "Done. The new {l} is {v}", "{Past}. You'll find it under {l} {v}",
            "Your {noun} exists now as {l} {v}", "New {noun} in place: {l} {v}", "{Past} the {noun} ({l} {v})")
_DONE = {"create": ("{Noun} {past}.", "Done, I've {past} the {noun}.", "The {noun} {be} {past}."),
         "change": ("The {noun} {be} {past}.", "I've {past} the {noun}.", "Done, it's {past}."),
         "delete": ("{Noun} {past}.", "I've {past} the {noun}.", "The {noun} {be} gone.")}
_ACTED = {"create": ("I've {past} the {noun} {prep} {target}", "The {noun} {prep} {target} {be} {past}"),
          "change": ("I've {past} the {noun} {prep} {target}", "The {noun} {prep} {target} {be} {past}",
                     "{Target} is {past}", "Done: {past} {target}", "{Target} has been {past}"),
          "delete": ("I've {past} the {noun} {prep} {target}", "The {noun} {prep} {target} {be} gone",
                     "Done, the {noun} {prep} {target} {be} {past}", "{Noun} {past} {prep} {target}",
                     "The {noun} {prep} {target} {be} {past} now")}
_CHANGED = ("{Target} now holds {new}", "Done: {target} now has {new}", "I've {past} {target}; it now holds {new}",
            "{Target} is {past} and now reads {new}", "{New} is now stored under {target}")
_TO_VERBS = frozenset("send forward reply share invite notify".split())
_PUT_VERBS = frozenset("move copy".split())
# a name never starts a sentence: "Notes.md" is another name than "notes.md"
_PUT = ("I've {past} {what} to {where}", "Done: {what} {past} to {where}", "Done, {what} is {past} to {where}",
        "{Past} {what} to {where} as asked")


def _acted(rng: random.Random, view: ResultView) -> str:
    """A create, change or delete: a confirmation, with the new id (or what changed) when there is one."""
    fill = {"noun": view.noun, "Noun": cap(view.noun), "past": view.past, "Past": cap(view.past),
            "target": view.target, "Target": cap(view.target), "prep": "to" if view.verb in _TO_VERBS else "for",
            "New": cap(view.changed), "be": "are" if plural(view.noun) else "is"}
    # the tool's own report of the act ("result": "'backups' removed") says what this answer says already
    facts = [(l, v) for l, v in view.facts if not (l == "result" and view.past and view.past in v.lower())]
    if view.kind == "create" and facts:
        forms = _SENT if view.verb == "send" else _POSTED if view.verb in ("post", "publish") else _CREATED
        l, v = facts[0]
        return rng.choice(forms).format(l=l, v=v, **fill) + (_more(rng, facts[1:]) or ".")
    if view.verb in _PUT_VERBS and view.put:  # names both ends, so also where one answer tells two copies
        # a copy or move says what went where ("I've copied notes.md to reports"), not "reports now holds it";
        # the tool's own report of that ("'notes.md' copied to 'reports'") is not said again
        what, where = view.put
        text = rng.choice(_PUT).format(what=what, past=view.past, Past=cap(view.past), where=where)
        return text + (rng.choice(("; {c}.", ", and {c}.")).format(c=_clauses(rng, facts)) if facts else ".")
    if view.kind == "change" and view.target and view.changed and not view.scope and rng.random() < 0.6:
        text = rng.choice(_CHANGED).format(new=view.changed, **fill)
    elif view.target and not view.scope and rng.random() < 0.8:  # a scope already names the call
        text = rng.choice(_ACTED[view.kind]).format(**fill)
    else:
        told = " " + cap(_clauses(rng, facts, opening=True)) + "." if facts else ""
        return rng.choice(_DONE[view.kind]).format(**fill) + told
    if not facts:
        return text + "."
    return text + rng.choice(("; {c}.", ", and {c}.")).format(c=_clauses(rng, facts))


def _read(rng: random.Random, view: ResultView) -> str:
    """A lookup or a calculation: the value asked for, then at most one or two more."""
    facts = unlabelled(paired(rng, view.facts))
    if len(facts) > 1 and facts[1][0] in ("type", "unit", "units") and numeric(facts[0][1]):
        facts = [(facts[0][0], f"{facts[0][1]} {facts[1][1]}"), *facts[2:]]  # wc's count and type: "6 lines"
    (l, v), rest = facts[0], list(facts[1:])
    be = "are" if plural(l) else "is"
    forms = ["The {l} {be} {v}", "{L}: {v}", "I see {v} for the {l}"]
    if not v[:1].islower():  # a value starts a sentence only as written ("Lakers", "42"), never recased
        forms.append("{v} {be} the {l}")
    if l.split()[-1:] and l.split()[-1] in _SELF_NAMED and not numeric(v):  # "It's chicken curry", not "It's 0"
        forms.append("It's {v}")
        if v.startswith('"'):  # a text: "It says "Lunch at noon""
            forms += ["It says {v}", "It reads {v}"]
    if view.kind == "compute":
        forms += ["The {l} comes out at {v}" if be == "is" else "The {l} come out at {v}",
                  "That gives {v} for the {l}", "It works out to {v}"]
        if numeric(v):
            forms.append("I get {a} {l} of {v}")
    elif view.target and not view.scope and rng.random() < 0.35:
        forms += ["For {target}, the {l} {be} {v}", "{L} for {target}: {v}"]
    if view.about and not view.scope and rng.random() < 0.5:  # the value said about the thing asked for
        forms = ["For {about}, the {l} {be} {v}", "The {l} for {about} {be} {v}", "{L} for {about}: {v}",
                 "For {about} I see {v} as the {l}", "As for {about}, the {l} {be} {v}"]
    if v in ("yes", "no"):  # a yes/no field: "It's completed", never "the completed is yes" or "It's yes"
        forms = [cap(yes_no(l, v)).replace("{", "{{").replace("}", "}}")]
    if as_verb(l):  # "It expires in 66", never "The expires in is 66"
        forms = [cap(f"{as_verb(l)} {{v}}")]
    if l == "count" and not numeric(v):  # a count with its unit: "There are 6 lines", not "the count is 6 lines"
        forms = ["There are {v}", "I count {v}", "That comes to {v}"]
    if v in ("", '""'):  # an empty text ("last_lines": ""): said so, never " are the last lines"
        forms = ["The {l} came back empty", "There's nothing in it: the {l} {be} empty", "It's empty, no {l}"]
    if l == "match":
        forms = ["It's {v}", "The match is {v}", "That's {v}", "The game is {v}"]  # a fixture, not a field
    if not l:  # a name said bare: "It's Mojito (ID-45)", never "The title is Mojito"
        forms = ["It's {v}", "That's {v}", "I found {v}", "There's {v}"]
        if view.about and not view.scope and rng.random() < 0.5:
            forms = ["For {about}, it's {v}", "For {about} I found {v}", "As for {about}, that's {v}"]
    text = rng.choice(forms).format(l=l, L=cap(l), v=v, be=be, a=article(l), target=view.target, about=view.about)
    if not rest:
        return text + "."
    if rng.random() < 0.5 or text.endswith(")"):  # never "Daiquiri (ID-1) (difficulty medium)"
        return text + ", and " + _clauses(rng, rest) + "."
    return text + _more(rng, rest)


def result_sentence(rng: random.Random, view: ResultView) -> str:
    """One call's outcome, framed by what the tool does."""
    if view.error is not None or view.refused:
        return _failure(rng, view)
    if view.kind == "search" and view.count is not None:
        return _search(rng, view)
    if view.kind in ("create", "change", "delete"):
        return _acted(rng, view)
    if not view.facts:
        return rng.choice(("That went through.", "Done; the service answered without details.",
                           "The {noun} request went through.")).format(noun=view.noun)
    return _read(rng, view)


def _scoped(rng: random.Random, view: ResultView, sentence: str) -> str:
    if not view.scope:
        return sentence
    if view.scope.split(" ", 1)[0] in ("to", "from", "for", "in", "on", "at", "by", "with", "via"):
        lead = rng.choice(("The one {s}: ", "As for the one {s}, ")).format(s=view.scope)  # not "With to x@y.com"
    else:
        lead = rng.choice(("For {s}, ", "With {s}, ", "For {s}: ", "As for {s}, ", "{S}: ")).format(
            s=view.scope, S=cap(view.scope))
    # "I" stays capital, and so does a value the sentence starts with ("AGCGGGAAGG is the sequence")
    keep = sentence.split(" ", 1)[0] in ("I", "I've", "I'm", "I'd", "I'll") or any(
        value and sentence.startswith(value) for _, value in view.facts)
    return lead + (sentence if keep else sentence[0].lower() + sentence[1:])


_OPENERS = ("Here's what I got. ", "All right. ", "OK! ", "Good news. ", "Okay, that's back. ", "Right. ",
            "I have it. ", "Okay. ", "That worked. ")


def _alike(view: ResultView) -> tuple[str, str, str] | None:
    """What makes two results of one round say the same thing: an action done, with nothing more to tell."""
    if view.kind in ("create", "change", "delete") and view.scope and not (view.facts or view.error or view.refused):
        return view.kind, view.noun, view.past
    return None


def _together(rng: random.Random, views: Sequence[ResultView]) -> str:
    """Several calls that all did the same thing, in one sentence: "Done for key A and key B, both replaced."."""
    scopes = [view.scope for view in views]
    listed = ", ".join(scopes[:-1]) + " and " + scopes[-1]
    every = "both" if len(views) == 2 else f"all {len(views)}"
    return rng.choice(("Done for {s}, {e} {past}.", "{E} {past}: {s}.", "{S}: {e} {past}.",
                       "{E} went through; {s} are {past}.")).format(
        s=listed, S=cap(listed), e=every, E=cap(every), past=views[0].past)


def _alike_made(view: ResultView) -> tuple[str, str, str, str] | None:
    """Two sends or creates of one round that each tell one new id under one label ("email id")."""
    if view.kind == "create" and view.scope and len(view.facts) == 1 and not (view.error or view.refused):
        return view.kind, view.noun, view.past, view.facts[0][0]
    return None


def _made_together(rng: random.Random, views: Sequence[ResultView]) -> str:
    """Several sends or creates in one sentence, each new id beside its call: "Both sent, email ids E-1 (to
    a@b.com) and E-2 (to c@d.org)." Told one by one, the same noun came four times in two lines."""
    label, past = views[0].facts[0][0], views[0].past
    every = "both" if len(views) == 2 else f"all {len(views)}"
    if rng.random() < 0.5:
        items = [f"{view.facts[0][1]} ({view.scope})" for view in views]
        return f"{cap(every)} {past}, {label}s " + ", ".join(items[:-1]) + " and " + items[-1] + "."
    items = [f"{view.facts[0][1]} {view.scope}" for view in views]
    return f"Done, {every} {past}. {cap(label)}s: " + ", ".join(items) + "."


def answer(rng: random.Random, views: Sequence[ResultView]) -> str:
    """The assistant's answer after a round of results: one sentence per result, errors explained; calls
    that did the same thing with nothing more to tell share one sentence."""
    sentences, done = [], set()
    for index, view in enumerate(views):
        if index in done:
            continue
        same = [other for other in range(index, len(views)) if _alike(view) and _alike(views[other]) == _alike(view)]
        if len(same) > 1:
            done.update(same)
            sentences.append(_together(rng, [views[other] for other in same]))
            continue
        made = [other for other in range(index, len(views))
                if _alike_made(view) and _alike_made(views[other]) == _alike_made(view)]
        if len(made) > 1:
            done.update(made)
            sentences.append(_made_together(rng, [views[other] for other in made]))
            continue
        sentences.append(_scoped(rng, view, result_sentence(rng, view)))
    clean = not any(v.error or v.refused for v in views)
    opener = rng.choice(_OPENERS) if clean and rng.random() < 0.2 else ""
    return (opener + " ".join(sentences)).strip()


# Now and then an answer says what the result means for the user's purpose ("the package"): an assistant
# that keeps the user's goal in view, and answers that differ between users of the same tool.
PURPOSE_SHARE = 0.25
_PURPOSE_DONE = ("That's one step done for {purpose}.", "That should help with {purpose}.",
                 "Good progress on {purpose}.", "One thing less to worry about for {purpose}.",
                 "That moves {purpose} along.", "So {purpose} is coming together.",
                 "Useful for {purpose}, I think.", "That's what you needed for {purpose}.")
_PURPOSE_FAILED = ("I know that matters for {purpose}, so let's sort it out.",
                   "We'll find a way around this for {purpose}.", "Don't worry, {purpose} isn't lost over this.")


def with_purpose(rng: random.Random, text: str, purpose: str, failed: bool = False) -> str:
    """The answer, now and then closed by a sentence tying it to the user's purpose."""
    if not purpose or rng.random() >= PURPOSE_SHARE:
        return text
    return f"{text} {rng.choice(_PURPOSE_FAILED if failed else _PURPOSE_DONE).format(purpose=purpose)}"
