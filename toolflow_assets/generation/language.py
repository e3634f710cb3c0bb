"""The template writer's language: sentences composed from parts, voiced by a persona drawn per dialogue.

A fixed list of whole sentences makes every dialogue open the same way (the 20 most common openings
covered half of all user turns). Here a sentence is built from independent choices (a connector, a
request frame, how values are woven in, how an answer is framed), and a persona (style and verbosity)
biases each choice, so the same plan reads differently from one user to the next.

Rules the checks rely on (and tests verify): every value is written verbatim (`phrasing.mention`), so the
grounding check finds it; a label given two values in one request is tied to the action it belongs to, so
the user never contradicts themself; an assistant answer states only values of the results it answers.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, Sequence

from .phrasing import label as label_of
from .phrasing import mention, wants_an

STYLES = ("direct", "polite", "casual", "chatty")
VERBOSITY = ("terse", "normal", "detailed")


@dataclass(frozen=True)
class Persona:
    """How this dialogue's user writes."""

    style: str
    verbosity: str
    shorthand: bool = False  # writes requests telegraphically or in chat shorthand ("get value for key X", "pls")

    @property
    def polite(self) -> bool:
        return self.style in ("polite", "chatty")


def draw_persona(rng: random.Random) -> Persona:
    style = rng.choice(STYLES)
    verbosity = rng.choices(VERBOSITY, weights=(3, 5, 2))[0]
    shorthand = (style in ("direct", "casual") or verbosity == "terse") and rng.random() < 0.5
    return Persona(style=style, verbosity=verbosity, shorthand=shorthand)


_SHORTHAND = {"casual": (("please", "pls"), ("messages", "msgs"), ("message", "msg"), ("information", "info"),
                         ("details", "deets"), ("want to", "wanna"), ("going to", "gonna"), ("and", "&"),
                         ("with", "w/")),  # never "4" for "for": a digit reads as a value to the checks
              "other": (("information", "info"), ("message", "msg"), ("messages", "msgs"), ("number", "no."),
                        ("and", "&"))}
_ARTICLE = re.compile(r"\b(?:the|a|an) (?=[a-z])", re.IGNORECASE)


def shorthand(rng: random.Random, persona: Persona, action: str) -> str:
    """The action as a persona who writes in shorthand types it: articles dropped ("retrieve value for key
    from short-term memory") and, for a casual one, chat abbreviations ("msg", "pls", "w/"). Only the
    action's own words change; values are woven in afterwards and stay verbatim."""
    if not persona.shorthand:
        return action
    text = _ARTICLE.sub("", action) if rng.random() < 0.7 else action
    pairs = _SHORTHAND["casual" if persona.style == "casual" else "other"]
    for word, short in pairs:
        if rng.random() < 0.5:
            text = re.sub(rf"\b{re.escape(word)}\b", short, text)
    return text


def article(words: str) -> str:
    """"a" or "an" for a label ("an amount", "a user"), said before it."""
    first = words.split()[0] if words.split() else ""
    return "an" if first and wants_an(first) else "a"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


# ------------------------------------------------------------------------------------- system prompts

_ROLE = ("You are a helpful assistant", "You are an assistant", "You are a capable assistant",
         "You are a careful, friendly assistant", "You help users get things done")
_TOOLS = ("with access to tools", "that can call the functions listed below", "with a set of tools",
          "that can use the tools provided")
_RULES = ("Call a tool when it helps with the request, and only with values the user gave or earlier results "
          "returned.", "Use the tools when needed; never invent argument values.",
          "Only call tools with values you were given or found.",
          "Prefer a tool over guessing, and use only values that came from the user or from a tool.")
_ASK = ("Ask when a required detail is missing.", "If something required is missing, ask for it.",
        "Ask a short question when you lack a required value.", "")
_SCOPE = ("If a request is outside what the tools can do, say so plainly.",
          "Say so when no tool can do what is asked.", "")


def system_prompt(rng: random.Random) -> str:
    parts = [f"{rng.choice(_ROLE)} {rng.choice(_TOOLS)}.", rng.choice(_RULES), rng.choice(_ASK), rng.choice(_SCOPE)]
    return " ".join(p for p in parts if p)


# ----------------------------------------------------------------------------------------- user turns

_FIRST_FRAMES = {
    "direct": ("{Action}.", "I need to {action}.", "Please {action}.", "{Action} for me.", "Need to {action}.",
               "Can you {action}?", "Help me {action}.", "{Action}, please.", "Task: {action}.",
               "Re {topic}: {action}.", "{Topic} question. {Action}."),
    "polite": ("Could you please {action}?", "Would you mind helping me {action}?", "I'd be grateful if you could {action}.",
               "Please {action}, if you can.", "{Action} for me, please.", "Could you help me {action}, please?",
               "{Action}, if you would be so kind.", "I have a {topic} request: could you {action}?",
               "Regarding {topic}, would you please {action}?", "Please could you {action}?"),
    "casual": ("Hey, can you {action}?", "So I want to {action}.", "Quick one: {action}?", "Mind if we {action}?",
               "Can we {action}?", "I wanna {action}.", "Yo, {action} for me?", "{Action}? Thanks in advance.",
               "Ok so, {topic} stuff: {action}?", "{Topic} time! Can you {action}?", "Need you to {action}, ok?"),
    "chatty": ("I've been meaning to {action} and could use a hand.", "Hope you can help: I'd like to {action}.",
               "Here's what I'm after: I want to {action}.", "So, I'm trying to {action}, can you help?",
               "Today's task for us: {action}.", "I was hoping you could {action}.",
               "I've got a {topic} puzzle for you. Could you {action}?", "{Action}? I've been putting it off for days.",
               "My {topic} to-do list starts here: {action}.", "Funny story, I need to {action}."),
}
_NEXT_LEADS = {
    "direct": ("", "OK.", "Next:", "Now", "Then", "Also,"),
    "polite": ("Thank you.", "Thanks, that helps.", "Wonderful, thank you.", "Much appreciated.", "Thanks."),
    "casual": ("Cool.", "Nice.", "Sweet,", "Alright,", "Got it.", "Okay cool,"),
    "chatty": ("Oh, that's useful!", "Great, that's helpful.", "Ah, good to know.", "Lovely.", "Ooh, nice.",
               "Interesting!"),
}
_NEXT_FRAMES = {
    "direct": ("{action}.", "{action}, please.", "I need you to {action}.", "{action} next.", "please {action}."),
    "polite": ("Could you now {action}?", "Would you also {action}?", "Next, could you please {action}?",
               "I'd also like to {action}, if you could.", "{Action} as well, please.", "Kindly {action} next.",
               "If it's no trouble, {action} too.", "Please {action} next, thank you.",
               "I would now like to {action}.", "Could I also ask you to {action}?"),
    "casual": ("now {action}?", "can you {action} too?", "next up: {action}.", "let's {action}.",
               "how about we {action}?"),
    "chatty": ("Building on that, I'd like to {action}.", "While we're at it, could you {action}?",
               "Next on my list is to {action}.", "That leads me to the next thing: {action}.",
               "One more thing I need is to {action}.", "{Action} next? That's the other half of my plan.",
               "I'd love it if you could {action} now.", "Okay, so now I want to {action}.",
               "My next question: can you {action}?", "{Action}, and then I think we're close."),
}
_JOINS = ("{first}, and then {second}", "{first}, then {second}", "{first} and after that {second}",
          "first {first}, and then {second}", "{first}, and once that's done, {second}",
          "{first}; after that, {second}", "{first}, and when that's finished, {second}",
          "{first} and next {second}", "{first}, followed by a request to {second}")
_VERB_SYNONYMS = {
    "get": ("get", "fetch", "look up", "pull up", "find", "check"),
    "retrieve": ("retrieve", "get", "fetch", "look up", "pull up", "grab"),
    "fetch": ("fetch", "get", "look up", "pull"),
    "find": ("find", "look for", "track down", "locate"),
    "search": ("search", "look", "hunt"),
    "calculate": ("calculate", "work out", "compute", "figure out"),
    "compute": ("compute", "work out", "calculate"),
    "create": ("create", "set up", "make", "add"),
    "list": ("list", "show", "give me"),
    "check": ("check", "verify", "look at"),
    "update": ("update", "change", "modify", "edit"),
    "delete": ("delete", "remove", "get rid of"),
    "remove": ("remove", "delete", "take out"),
    "send": ("send", "shoot off", "fire off"),
    "add": ("add", "put in", "include"),
    "convert": ("convert", "translate", "turn"),
    "book": ("book", "reserve", "arrange"),
    "show": ("show", "display", "list"),
    "generate": ("generate", "produce", "create"),
    "determine": ("determine", "figure out", "work out"),
    "provide": ("provide", "give me", "share"),
    "post": ("post", "publish", "put up"),
    "replace": ("replace", "overwrite", "swap out"),
    "query": ("query", "search", "ask"),
}


# Phrases of tool descriptions that a person says in other words; each is replaced now and then, so a small
# catalog (76 BFCL multi-turn tools) does not repeat one description's wording in every dialogue.
_PHRASE_SYNONYMS = (
    (" associated with ", (" for ", " linked to ", " tied to ", " stored under ")),
    (" based on ", (" using ", " going by ", " according to ")),
    (" a list of ", (" all the ", " the ", " every ")),
    (" information about ", (" details on ", " info on ", " details of ")),
    (" details of ", (" information on ", " particulars of ", " info about ")),
    (" with a new value", (" with a new value", " with a fresh value")),
    (" for the authenticated user", (" for me", " on my account", " from my account")),
    (" from one ", (" from one ", " out of one ")),
    (" the latest ", (" the most recent ", " the last ", " the newest ")),
    (" containing ", (" mentioning ", " that contain ", " with ")),
    (" key-value pairs", (" entries", " stored pairs")),
    (" a key-value pair", (" an entry", " a stored pair")),
    (" a new ", (" a fresh ", " an updated ")),
)
# A trailing place phrase can lead the request instead ("from the short-term memory, retrieve the value").
_FRONTABLE = re.compile(r"^(?P<head>\S+ .{6,}?) (?P<place>(?:from|in|inside|within) (?:the|my) "
                        r"(?:(?!with\b|to\b|for\b|and\b|by\b|of\b|on\b)[\w-]+ ?){1,4})$")


def paraphrase_action(rng: random.Random, action: str) -> str:
    """The action said another way, now and then: its leading verb ("retrieve the list" → "pull up the list"),
    or a stock phrase of descriptions ("associated with" → "linked to"). The tool description's own words on every turn are what make template text recognizable."""
    verb, _, rest = action.partition(" ")
    options = _VERB_SYNONYMS.get(verb.lower())
    if options and rng.random() >= 0.35:
        action = f"{rng.choice(options)} {rest}".strip()
    padded = f" {action} "
    for phrase, others in _PHRASE_SYNONYMS:
        if phrase in padded and rng.random() < 0.6:
            padded = padded.replace(phrase, rng.choice(others), 1)
    return padded.strip()


def front_place(rng: random.Random, action: str) -> str:
    """Now and then, a closing place phrase leads ("from the short-term memory, retrieve the value"); only
    for a frame that starts with the action, where the sentence can start with the place."""
    fronted = _FRONTABLE.match(action)
    if fronted and rng.random() < 0.3:
        return f"{fronted.group('place')}, {fronted.group('head')}"
    return action


# A request for information is as often a need or a question as an order: "I need the value stored under
# key ID-3 in the short-term memory", "Can you tell me the odds for soccer?".
_RETRIEVING = frozenset("get retrieve fetch find list show look pull grab check obtain".split())
_NEED_FRAMES = {
    "direct": ("I need {thing}.", "{Thing}, please.", "Show me {thing}.", "Tell me {thing}.", "Give me {thing}."),
    "polite": ("Could you tell me {thing}, please?", "I would like to know {thing}.", "May I see {thing}?",
               "Could I have {thing}, please?", "I'd appreciate knowing {thing}."),
    "casual": ("Can you find {thing}?", "Can I get {thing}?", "Wanna show me {thing}?", "I'm after {thing}.",
               "Gimme {thing}?"),
    "chatty": ("I'm curious about {thing}.", "I've been wondering about {thing}, can you check?",
               "I'd love to see {thing}.", "Could you dig up {thing} for me?", "Could you check {thing}?"),
}
_THING_START = re.compile(r"^(?:look up |pull up |look for |look at )?(?P<thing>(?:the|all|all the|a|an|my|every|each|"
                          r"details|information|info)\b.{3,})$", re.IGNORECASE)


def _need_form(rng: random.Random, persona: Persona, action: str) -> str | None:
    """The action as a need or question, for a single request for information ("get the weather for X" →
    "What's the weather for X?"); None for any other action."""
    verb, _, rest = action.partition(" ")
    if verb.lower() not in _RETRIEVING:
        return None
    found = _THING_START.match(rest if verb.lower() not in ("look", "pull") else action)
    if not found:
        return None
    thing = found.group("thing")
    return rng.choice(_NEED_FRAMES[persona.style]).format(thing=thing, Thing=cap(thing))


def request_head(rng: random.Random, persona: Persona, actions: Sequence[str], first_turn: bool,
                 topic: str = "") -> str:
    """The request's opening sentence: the actions, joined, in a frame that fits the persona and the turn."""
    actions = [paraphrase_action(rng, a) for a in actions]
    if len(actions) == 1 and rng.random() < 0.4:
        need = _need_form(rng, persona, actions[0])
        if need:
            return need
    action = actions[0]
    for extra in actions[1:]:
        action = rng.choice(_JOINS).format(first=action, second=extra)
    single = len(actions) == 1
    if first_turn:
        frames = [f for f in _FIRST_FRAMES[persona.style] if topic or "opic}" not in f]
        frame = rng.choice(frames)
        if single and frame.startswith(("{Action}", "{action}")):
            action = front_place(rng, action)
        return frame.format(action=action, Action=cap(action), topic=topic, Topic=cap(topic))
    lead = rng.choice(_NEXT_LEADS[persona.style]) if rng.random() < 0.5 else ""
    frame = rng.choice(_NEXT_FRAMES[persona.style])
    if single and frame.startswith(("{Action}", "{action}")) and (not lead or lead.endswith((".", "!"))):
        action = front_place(rng, action)
    sentence = frame.format(action=action, Action=cap(action))
    if not lead:
        return cap(sentence)
    if lead.endswith((",", ":")) or lead in ("Now", "Then"):
        return f"{lead} {sentence}"
    return f"{lead} {cap(sentence)}"


_VALUE_SENTENCES = ("The {label} is {value}.", "Use {value} for the {label}.", "For the {label}, use {value}.",
                    "{Label}: {value}.", "It's {value} for the {label}.", "My {label} is {value}.",
                    "Go with {value} as the {label}.", "Set the {label} to {value}.",
                    "The {label} should be {value}.", "I'd like the {label} to be {value}.",
                    "Let's use {value} for the {label}.", "Put {value} as the {label}.",
                    "Make the {label} {value}.")
_VALUE_PHRASES = ("the {label} {value}", "{value} as the {label}", "{a} {label} of {value}", "{label} {value}")
_LIST_SENTENCES = ("The {label} are {value}.", "Use {value} for the {label}.", "{Label}: {value}.")
_BOOLEAN = {True: ("Yes to the {label}.", "{Label}: yes.", "Turn the {label} on."),
            False: ("No {label}.", "{Label}: no.", "Leave the {label} off.")}


# A count of units reads as the count and its unit: "10 days", never "a days of 10" or "my years is 33".
_COUNT_SENTENCES = ("Make it {value} {label}.", "It's for {value} {label}.", "Over {value} {label}.",
                    "{Value} {label}, please.", "Let's say {value} {label}.")
_COUNT_PHRASES = ("{value} {label}",)


def _numeric(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or (
        isinstance(value, str) and bool(re.fullmatch(r"-?\d+(?:[.,]\d+)*", value.strip())))


def _phrases_for(value: Any) -> tuple[str, ...]:
    """"a length of 21" is English, "a company of Acme" is not: that form only for numbers."""
    return _VALUE_PHRASES if _numeric(value) else tuple(p for p in _VALUE_PHRASES if "{a}" not in p)


def _counted(label: str, value: Any) -> bool:
    """A plural label with a number: "days" 10, "years" 33."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and len(label.split()) == 1 \
        and _plural(label)


def value_sentence(rng: random.Random, name: str, value: Any) -> str:
    words = label_of(name)
    if isinstance(value, bool):
        return rng.choice(_BOOLEAN[value]).format(label=words, Label=cap(words))
    if _counted(words, value):
        return rng.choice(_COUNT_SENTENCES).format(label=words, value=mention(value), Value=mention(value))
    pool = _LIST_SENTENCES if isinstance(value, list) and len(value) > 1 else _VALUE_SENTENCES
    return rng.choice(pool).format(label=words, Label=cap(words), value=mention(value))


def value_clause(rng: random.Random, persona: Persona, values: Sequence[tuple[str, Any]], scope: str = "") -> list[str]:
    """Several values in one sentence ("with the city Paris and 3 nights") or one sentence each, as the persona
    writes; `scope` ties the values to one action ("for the booking, …") when another action in the same
    request takes the same labels with other values."""
    if not values:
        return []
    simple = [(n, v) for n, v in values if not isinstance(v, (bool, list, dict))]
    woven = len(simple) >= 2 and len(simple) == len(values) and (persona.verbosity != "detailed" or rng.random() < 0.3)
    if woven:
        parts = [rng.choice(_COUNT_PHRASES if _counted(label_of(n), v) else _phrases_for(v)).format(
                     label=label_of(n), a=article(label_of(n)), value=mention(v)) for n, v in simple]
        listed = ", ".join(parts[:-1]) + " and " + parts[-1]
        lead = _pick(rng, "Use {x}.", "That's {x}.", "With {x}.", "Details: {x}.", "Take {x}.",
                     "The details are {x}.", "Here are the details: {x}.", "Go with {x}.")
        text = lead.format(x=listed)
        return [f"{_scope_lead(rng, scope)}{text[0].lower()}{text[1:]}" if scope else text]
    sentences = [value_sentence(rng, n, v) for n, v in values]
    if scope:
        sentences[0] = f"{_scope_lead(rng, scope)}{sentences[0][0].lower()}{sentences[0][1:]}"
    return sentences


def _scope_lead(rng: random.Random, scope: str) -> str:
    """"For the first part: " and its variants, tying the values that follow to one action."""
    return _pick(rng, "For {s}: ", "For {s}: ", "As for {s}: ", "Regarding {s}: ", "On {s}: ").format(s=scope)


_REPEATS = ("do the same for {clause}", "do that again with {clause}", "repeat it with {clause}",
            "run it once more for {clause}", "do it once more, with {clause}", "redo that with {clause}",
            "do the same thing but with {clause}", "give it another go with {clause}",
            "try it again, this time with {clause}", "run that again but change it to {clause}",
            "repeat that for {clause} too", "check the same thing for {clause}")
_REPEAT_FRAMES = {
    "direct": ("{Repeat}.", "Now {repeat}.", "Also {repeat}.", "{Repeat}, please."),
    "polite": ("Could you also {repeat}?", "Would you please {repeat}?", "{Repeat}, if you would.",
               "Please {repeat} as well."),
    "casual": ("Cool, now {repeat}?", "Can you {repeat}?", "And {repeat}?", "What about {clause} instead?"),
    "chatty": ("Out of curiosity, could you {repeat}?", "Let's compare: {repeat}, please.",
               "And just to see the difference, {repeat}.", "Ooh, now {repeat}!", "{Repeat}? I want to compare."),
}


_NAMED_REPEATS = ("{action} again, with {clause}", "{action} once more, this time with {clause}",
                  "go back and {action} with {clause}", "also {action} for {clause}",
                  "{action} one more time, but with {clause}", "return to the earlier step and {action} with {clause}",
                  "{action} again, switching to {clause}")


def repeat_request(rng: random.Random, persona: Persona, clause: str, action: str = "") -> str:
    """Asking for an earlier call again with another value ("and the same for Berlin?"). With `action`,
    the request names what to repeat: "it" would point at the last call, and this repeats an earlier one."""
    if action:
        repeat = rng.choice(_NAMED_REPEATS).format(action=action, clause=clause)
        frames = [f for f in _REPEAT_FRAMES[persona.style] if "{clause}" not in f]
        return rng.choice(frames).format(repeat=repeat, Repeat=cap(repeat))
    repeat = rng.choice(_REPEATS).format(clause=clause)
    frame = rng.choice(_REPEAT_FRAMES[persona.style])
    return frame.format(repeat=repeat, Repeat=cap(repeat), clause=clause)


# ------------------------------------------------------------------------------------ assistant turns

_BEFORE_CALLS = ("Let me check that for you.", "Sure, one moment.", "On it.", "I'll take care of that now.",
                 "Let me look into that.", "Okay, running that now.", "Sure thing.", "Let me find out.")
_BETWEEN_CALLS = ("Got it. Now I'll use that for the next step.", "That worked; continuing with the next step.",
                  "Now the next part.", "Good, moving on to the next step.", "That's in. On to the second step.",
                  "I have what I need from that, so here's the next call.", "Step one done; now the follow-up.")


_RETRY_NOTES = {
    "rate_limited": ("Rate limited; I'll wait a moment and try again.", "The service asked me to slow down. Trying once "
                     "more.", "Too many requests just now, retrying."),
    "timeout": ("That timed out. Trying again.", "No answer in time; let me retry.", "The request timed out, so I'm "
                "sending it once more."),
}
_RETRY_ANY = ("The service had a hiccup. Trying again.", "That failed on their side; retrying once.",
              "Temporary error, let me try once more.")


def retry_note(rng: random.Random, kind: str) -> str:
    """What the assistant says before trying a call again after a passing failure."""
    return rng.choice(_RETRY_NOTES.get(kind, _RETRY_ANY))


_ACKS = ("Sure", "OK", "Got it", "Alright", "Certainly", "No problem", "Of course", "Right", "Will do",
         "Sounds good", "Understood", "Okay")
_INTENTS = ("I'll {verb} the {noun} now.", "let me {verb} the {noun}.", "I'll {verb} that {noun} for you.",
            "I'm going to {verb} the {noun}.", "first I'll {verb} the {noun}.", "one moment while I {verb} the {noun}.",
            "I'll go ahead and {verb} the {noun}.")
_NEXT_INTENTS = ("Now I'll {verb} the {noun}.", "Next, I'll {verb} the {noun} with that.",
                 "With that, I can {verb} the {noun}.", "That gives me what I need to {verb} the {noun}.",
                 "Good. Now to {verb} the {noun}.")


def before_calls(rng: random.Random, later_round: bool, verb: str = "", noun: str = "") -> str | None:
    """What the assistant says with its calls, now and then: what it is about to do ("Sure, I'll delete
    the message now.") when the tool's verb and noun are known, else a stock phrase."""
    if rng.random() >= (0.5 if later_round else 0.35):
        return None
    if verb and noun and rng.random() < 0.7:
        if later_round:
            return rng.choice(_NEXT_INTENTS).format(verb=verb, noun=noun)
        intent = rng.choice(_INTENTS).format(verb=verb, noun=noun)
        return f"{rng.choice(_ACKS)}, {intent}" if rng.random() < 0.6 else cap(intent)
    return rng.choice(_BETWEEN_CALLS if later_round else _BEFORE_CALLS)


@dataclass(frozen=True)
class ResultView:
    """What the answer needs to know about one call's result."""

    kind: str  # compute | search | create | change | delete | other
    noun: str  # what the tool works on, in words ("hotel room")
    past: str  # the action done, in the past tense ("booked")
    facts: tuple[tuple[str, str], ...]  # (label, value as written) worth telling, most important first
    count: int | None = None  # items in the main list of a search result
    error: str | None = None  # the error message, when the tool failed
    retryable: bool = False
    scope: str = ""  # which call this answers, when one answer covers two calls of a tool ("distance 15")
    subject: str = ""  # what the user asked about, as said ("best hiking trails"): a search's answer names it


_FACT_FORMS = ("the {l} is {v}", "{l}: {v}", "{v} for the {l}", "the {l} comes to {v}", "the {l} shows {v}",
               "{v} as the {l}", "{a} {l} of {v}", "the {l} reads {v}", "the {l} came back as {v}",
               "the {l} is listed as {v}", "it gives {v} for the {l}", "the {l} turned out to be {v}",
               "it has {v} as the {l}", "the {l} is set to {v}", "it lists the {l} as {v}", "the {l} is given as {v}")


def _plural(label: str) -> bool:
    """'calories', 'results' take 'are'; 'status', 'address', 'analysis' do not."""
    word = label.split()[-1] if label.split() else ""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics"))


# Facts after "one with …" or "the first has …" must be noun phrases: "one with the id came back as X" is broken.
_FACT_PHRASES = ("the {l} {v}", "{a} {l} of {v}", "{l} {v}", "{v} as the {l}")


def _fact_list(rng: random.Random, facts: Sequence[tuple[str, str]], phrases: bool = False) -> str:
    parts = []
    for l, v in facts:
        forms = _FACT_PHRASES if phrases else _FACT_FORMS
        # "a value of travel insurance", "the value comes to travel insurance": forms for amounts only
        form = rng.choice(forms if _numeric(v) else tuple(f for f in forms if "{a}" not in f and "comes to" not in f))
        if _plural(l):
            form = form.replace("{l} is", "{l} are").replace("{l} comes to", "{l} come to") \
                .replace("{l} shows", "{l} show").replace("{l} reads", "{l} read")
        parts.append(form.format(l=l, v=v, a=article(l)))
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def result_sentence(rng: random.Random, view: ResultView) -> str:
    """One call's outcome, framed by what the tool does."""
    if view.error is not None:
        sentence = _pick(rng, "I couldn't get the {noun}: the service answered \"{error}\".",
                         "The {noun} request failed ({error}).", "That didn't work; the tool reported: {error}.",
                         "Something went wrong with the {noun}: {error}.", "No luck with the {noun} this time ({error}).",
                         "The {noun} call came back with an error: {error}.")
        text = sentence.format(noun=view.noun, error=view.error.rstrip("."))
        if view.retryable:
            text += " " + _pick(rng, "It's a temporary problem, so trying again in a moment should work.",
                                "This usually clears up quickly; we can retry shortly.",
                                "We can try again in a little while.", "Shall I try again in a minute?",
                                "It looks temporary; a second attempt later should go through.")
        else:
            text += " " + _pick(rng, "Could you check the details and tell me how you'd like to proceed?",
                                "Let me know if you want to change anything and try again.",
                                "If you can double-check the details, I'll run it again.",
                                "Do you want to adjust something and retry?",
                                "How would you like to go from here?")
        return text
    facts = list(view.facts)
    if not facts:
        return _pick(rng, "The {noun} request went through.", "That's {past}.", "Done, the {noun} is {past}.",
                     "All set: the {noun} is {past}.", "The {noun} has been {past}.", "That went through fine.").format(
            noun=view.noun, past=view.past)
    head, rest = facts[0], facts[1:]
    if view.kind == "search" and view.count is not None:
        if view.count == 1:  # "I found 1 verses results" reads as a machine's
            found = _pick(rng, "I found one match", "There is one match", "The search returned a single result",
                          "One result came back", "Just one entry matches")
            first = _pick(rng, "; it has {x}.", ": {x}.", ", with {x}.")
        else:
            found = _pick(rng, "I found {n} matches", "There are {n} matches", "The search returned {n} results",
                          "{n} results came back", "That gives {n} hits", "I see {n} entries")
            first = _pick(rng, "; the first has {x}.", ". Top of the list: {x}.", ". The first one: {x}.",
                          ", starting with {x}.", ". Leading the list is one with {x}.")
        if view.subject and not view.scope and rng.random() < 0.5:  # the answer says what was looked for
            rest = found if found.startswith("I ") else found[0].lower() + found[1:]
            found = _pick(rng, "Searching for {s}, " + rest, "For {s}, " + rest,
                          "Your search for {s} turned up {n} " + ("match" if view.count == 1 else "matches"))
        phrases = not first.startswith((". Top", ". The first one", ": "))
        head_text = found.replace("{s}", view.subject).format(n=view.count)
        text = head_text + (first.format(x=_fact_list(rng, facts, phrases=phrases)) if facts else ".")
        return cap(text)
    if view.kind == "compute":
        verb = ("come", "are") if _plural(head[0]) else ("comes", "is")
        text = _pick(rng, "The {label} {come} out at {value}", "I get {a} {label} of {value}", "The {label} {be} {value}",
                     "That gives {value} for the {label}").format(label=head[0], value=head[1], come=verb[0], be=verb[1],
                                                                  a=article(head[0]))
    elif view.kind in ("create", "change", "delete"):
        text = _pick(rng, "Done: the {noun} is {past}, and the {label} is {value}",
                     "The {noun} has been {past}; {label}: {value}",
                     "I've {past} it. The {label} is {value}", "The {noun} is {past}, with {value} as the {label}",
                     "All set, the {noun} has been {past}. The {label} is {value}",
                     "That's {past}; the {label} came back as {value}").format(noun=view.noun, past=view.past, label=head[0],
                                                                        value=head[1])
    else:
        text = cap(_fact_list(rng, [head]))
    if rest:
        text += _pick(rng, ". Also, ", "; ", ". Besides that, ", ". In addition, ", ". Plus, ", ", and ",
                      ". Apart from that, ") + _fact_list(rng, rest)
    return cap(text) + "."


def _scoped(rng: random.Random, view: ResultView, sentence: str) -> str:
    if not view.scope:
        return sentence
    if view.scope.split(" ", 1)[0] in ("to", "from", "for", "in", "on", "at", "by", "with", "via"):
        lead = _pick(rng, "The one {s}: ", "As for the one {s}, ").format(s=view.scope)  # not "With to x@y.com"
    else:
        lead = _pick(rng, "For {s}, ", "With {s}, ", "For {s}: ").format(s=view.scope)
    keep = sentence.split(" ", 1)[0] in ("I", "I've", "I'm", "I'd", "I'll")  # "I" stays capital
    return lead + (sentence if keep else sentence[0].lower() + sentence[1:])


_OPENERS = ("", "", "", "", "Here's what I got. ", "All right. ", "OK! ", "Here you go. ", "Good news. ", "Done. ",
            "Okay, that's back. ", "Results are in. ", "Right. ", "That came through. ", "Here's the result. ",
            "I have it. ", "Got an answer. ", "Okay. ", "Here it is. ", "That worked. ")


def answer(rng: random.Random, views: Sequence[ResultView]) -> str:
    """The assistant's answer after a round of results: one sentence per result, errors explained."""
    sentences = [_scoped(rng, view, result_sentence(rng, view)) for view in views]
    opener = rng.choice(_OPENERS) if not any(v.error for v in views) else ""
    return (opener + " ".join(sentences)).strip()
