"""The template writer's language: sentences composed from parts, voiced by a persona drawn per dialogue.

A fixed list of whole sentences makes every dialogue open the same way (the 20 most common openings
covered half of all user turns). Here a sentence is built from independent choices (a connector, a
request frame, how values are woven in, how an answer is framed), and a persona (style and verbosity)
biases each choice, so the same plan reads differently from one user to the next.

Rules the checks rely on (and tests verify): every value is written verbatim (`phrasing.mention`), so the
grounding check finds it; a label given two values in one request is tied to the action it belongs to, so
the user never contradicts themself. The assistant's answers to results are composed in `answers.py`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, Sequence

from .goal_forms import outcome_form
from .paraphrase import front_place, paraphrase_action, rephrase
from ..planning.phrasing import label as label_of
from ..planning.phrasing import mention, spoken_label, wants_an

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
              # never "no." for "number": it abbreviates a number before its digits ("no. 5"), and the
              # action has none ("calculate the square root of no.")
              "other": (("information", "info"), ("message", "msg"), ("messages", "msgs"), ("and", "&"))}
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
          "{first} and next {second}", "{first}; once that's in, {second}")


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
_QUALIFIED = re.compile(r"^the \w+(?: \w+)? (?:of|for|from|in|under|linked|associated|tied|stored|saved|kept)\b")
_QUESTIONS = ("What's {thing}?", "What is {thing}?", "Do you know {thing}?", "Any idea what {thing} is?")
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
    frames = _NEED_FRAMES[persona.style]
    # "What's the value linked to key K?"; never "What's the games …?" or "What's the tweet id 3598?"
    if thing.startswith("the ") and not plural(thing.split(" ", 2)[1]) and _QUALIFIED.search(thing):
        frames = frames + _QUESTIONS
    return rng.choice(frames).format(thing=thing, Thing=cap(thing))


def request_head(rng: random.Random, persona: Persona, actions: Sequence[str], first_turn: bool,
                 topic: str = "", values: Sequence[str] = ()) -> str:
    """The request's opening sentence: the actions, joined, in a frame that fits the persona and the turn;
    `values` are the values woven into them (each kept whole)."""
    if len(actions) == 1 and rng.random() < 0.3:
        wanted = outcome_form(rng, persona.style, actions[0], values)
        if wanted:
            return rephrase(rng, wanted)
    actions = [paraphrase_action(rng, a) for a in actions]
    if len(actions) == 1 and rng.random() < 0.5:
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
                    "Make the {label} {value}.", "{Label} {value}, please.", "Try {value} for the {label}.",
                    "That's {label} {value}.", "We're talking {label} {value}.")
_VALUE_PHRASES = ("the {label} {value}", "{value} as the {label}", "{a} {label} of {value}", "{label} {value}")
_LIST_SENTENCES = ("The {label} are {value}.", "Use {value} for the {label}.", "{Label}: {value}.")
_BOOLEAN = {True: ("Yes to the {label}.", "{Label}: yes.", "Turn the {label} on."),
            False: ("No {label}.", "{Label}: no.", "Leave the {label} off.")}


# A count of units reads as the count and its unit: "10 days", never "a days of 10" or "my years is 33".
_COUNT_SENTENCES = ("Make it {value} {label}.", "It's for {value} {label}.", "Over {value} {label}.",
                    "{Value} {label}, please.", "Let's say {value} {label}.")
_COUNT_PHRASES = ("{value} {label}",)


def numeric(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or (
        isinstance(value, str) and bool(re.fullmatch(r"-?\d+(?:[.,]\d+)*", value.strip())))


def _phrases_for(value: Any) -> tuple[str, ...]:
    """"a length of 21" is English, "a company of Acme" is not: that form only for numbers."""
    return _VALUE_PHRASES if numeric(value) else tuple(p for p in _VALUE_PHRASES if "{a}" not in p)


def _counted(label: str, value: Any) -> bool:
    """A plural label with a number: "days" 10, "years" 33."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and len(label.split()) == 1 \
        and plural(label)


def value_sentence(rng: random.Random, name: str, value: Any, words: str = "") -> str:
    words = words or spoken_label(name)
    if isinstance(value, bool):
        return rng.choice(_BOOLEAN[value]).format(label=words, Label=cap(words))
    if _counted(words, value):
        return rng.choice(_COUNT_SENTENCES).format(label=words, value=mention(value), Value=mention(value))
    pool = _LIST_SENTENCES if isinstance(value, list) and len(value) > 1 else _VALUE_SENTENCES
    sentence = rng.choice(pool)
    if plural(words):  # "My regions are us.", never "My regions is us."
        sentence = sentence.replace("{label} is ", "{label} are ").replace("{Label} is ", "{Label} are ")
    return sentence.format(label=words, Label=cap(words), value=mention(value))


def value_clause(rng: random.Random, persona: Persona, values: Sequence[tuple[str, Any]], scope: str = "") -> list[str]:
    """Several values in one sentence ("with the city Paris and 3 nights") or one sentence each, as the persona
    writes; `scope` ties the values to one action ("for the booking, …") when another action in the same
    request takes the same labels with other values."""
    if not values:
        return []
    said = said_labels([n for n, _ in values])
    simple = [(n, v) for n, v in values if not isinstance(v, (bool, list, dict))]
    woven = len(simple) >= 2 and len(simple) == len(values) and (persona.verbosity != "detailed" or rng.random() < 0.3)
    if woven:
        parts = [rng.choice(_COUNT_PHRASES if _counted(said[n], v) else _phrases_for(v)).format(
                     label=said[n], a=article(said[n]), value=mention(v)) for n, v in simple]
        listed = ", ".join(parts[:-1]) + " and " + parts[-1]
        lead = _pick(rng, "Use {x}.", "That's {x}.", "With {x}.", "Details: {x}.", "Take {x}.",
                     "The details are {x}.", "Here are the details: {x}.", "Go with {x}.")
        text = lead.format(x=listed)
        return [f"{_scope_lead(rng, scope)}{uncap(text)}" if scope else text]
    sentences = [value_sentence(rng, n, v, said[n]) for n, v in values]
    if scope:
        sentences[0] = f"{_scope_lead(rng, scope)}{uncap(sentences[0])}"
    return sentences


def said_labels(names: Sequence[str]) -> dict[str, str]:
    """Each parameter's label as the user says it (`spoken_label`), unless two of them would then read the
    same ("city" and "city_name" both "city"): then their own words, so the user never seems to give one
    thing two values."""
    spoken = {name: spoken_label(name) for name in names}
    counts: dict[str, int] = {}
    for words in spoken.values():
        counts[words] = counts.get(words, 0) + 1
    return {name: words if counts[words] == 1 else label_of(name) for name, words in spoken.items()}


def uncap(sentence: str) -> str:
    """A sentence continued after a lead: its first letter in lower case, except "I" ("I'd like …")."""
    return sentence if re.match(r"I\b", sentence) else sentence[:1].lower() + sentence[1:]


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
                  "go back and {action} with {clause}", "{action} for {clause} as well",
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


def plural(label: str) -> bool:
    """'calories', 'results' take 'are'; 'status', 'address', 'analysis' do not."""
    word = label.split()[-1] if label.split() else ""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics"))


# one-word yes/no labels that are states of the thing ("completed", "active"): "it's completed", "it isn't
# active"; a label that names a thing ("sent status", "read receipt") stays "Sent status: yes"
_STATE_WORDS = frozenset("active open closed public private available online live free valid done paid new "
                         "visible enabled disabled verified completed finished cancelled canceled archived "
                         "blocked locked pinned read deleted expired".split())


def yes_no(label: str, value: str) -> str:
    """A yes/no fact said as people say it: "has outrights" yes → "it has outrights", no → "it has no
    outrights"; "active" no → "it isn't active"; "is_public" yes → "it's public". Anything else keeps the
    label ("sent status: yes"), never "the completed is yes"."""
    words = label.split()
    yes = value == "yes"
    if len(words) >= 2 and words[0] in ("has", "have"):
        return f"it has {'' if yes else 'no '}{' '.join(words[1:])}"
    if len(words) >= 2 and words[0] == "is":
        return f"it {'is' if yes else 'is not'} {' '.join(words[1:])}"
    if len(words) == 1 and words[0] in _STATE_WORDS:
        return f"it's {label}" if yes else f"it isn't {label}"
    return f"{label}: {value}"


_LINKING = frozenset("in at on until by since after before".split())


def as_verb(label: str) -> str | None:
    """A label that is a verb phrase ("expires in", "starts at") said as one: "it expires in 66"; None for a
    noun ("the expires in is 66" before)."""
    words = label.split()
    if len(words) >= 2 and words[-1] in _LINKING and words[0].endswith("s") and not words[0].endswith("ss"):
        return f"it {label}"
    return None
