"""Why the user is asking: a sentence of context a person adds to a request ("My manager asked me to look
into this before the weekend."), drawn per dialogue and more often the more the persona says; where the
planned tools name a domain (shipping, sports, finance...), a situation of that domain instead ("I'm
sending a birthday present to my cousin Dana."), which later turns refer to by its purpose.

Requests that are only the task read like a test suite; people say what they are up to, and an agent
trained on their words must read past it. The sentence names no value (no digits, no days or dates), so no
check mistakes it for an argument the user gave: it is context, never data.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Sequence

from ..mentions import name_tokens
from ..tools import Tool
from ..typed_values import typed_text
from ..values.composed_values import _DOCUMENTS, _MEETINGS

_RELATIONS = ("manager", "sister", "client", "teammate", "landlord", "coach", "partner", "professor", "neighbour",
              "accountant", "boss", "roommate")
_PROJECTS = ("school project", "side project", "client report", "volunteer group", "small business", "thesis",
             "family trip", "house move", "team handbook", "newsletter")
_WHEN = ("before the weekend", "by the end of the day", "later today", "before lunch", "by tonight",
         "before my next meeting", "this afternoon", "first thing tomorrow")
_CONTEXTS = (
    "My {relation} asked me to look into this {when}.", "I've got a {meeting} soon and need this first.",
    "It's for a {project} I'm working on.", "I'm helping my {relation} with this, so it has to be right.",
    "I want to get this done {when}.", "I promised my {relation} an answer {when}.",
    "Trying to clear my to-do list {when}.", "The {noun} part is what's blocking me right now.",
    "I'm new to this, so bear with me.", "I only have a few minutes before the {meeting}.",
    "Context: I'm preparing the {doc} and need this for it.", "It's a small thing, but it keeps bugging me.",
    "We're going over the {noun} side of our {project} {when}.", "My {relation} usually handles the {noun} stuff.",
    "This is part of tidying up my {project}.", "I need it for the {doc} I owe my {relation}.",
    "I'd normally do this myself, but I'm swamped {when}.", "Double-checking things for my {relation}.",
)
CONTEXT_SHARE = {"terse": 0.1, "normal": 0.35, "detailed": 0.75}


def context_sentence(rng: random.Random, verbosity: str, noun: str) -> str | None:
    """A sentence of why, or None (most terse users give none)."""
    if rng.random() >= CONTEXT_SHARE.get(verbosity, 0.3):
        return None
    frames = [f for f in _CONTEXTS if noun or "{noun}" not in f]
    return rng.choice(frames).format(relation=rng.choice(_RELATIONS), project=rng.choice(_PROJECTS),
                                     when=rng.choice(_WHEN), meeting=rng.choice(_MEETINGS),
                                     doc=rng.choice(_DOCUMENTS), noun=noun)


# ---------------------------------------------------------------------------------------- situations

@dataclass(frozen=True)
class Situation:
    """Who this dialogue's user is and why they ask, told once ("I'm hosting a watch party for my cousin
    Dana.") and referred to later by its `purpose` ("That's the watch party sorted.")."""

    sentence: str
    purpose: str


# A domain is read from the planned tools' own words: category (weighted), names and descriptions. Each
# domain's situations are people with a reason to use such tools; none names a tool, a value or a number.
_DOMAIN_WORDS = {
    "shipping": "logistics shipping ship parcel parcels package packages courier postcode postal tracking freight "
                "container delivery deliveries shipment shipments offices carrier",
    "sports": "sports sport odds scores league leagues match matches fixtures bookmaker bookmakers tournament",
    "finance": "finance financial stock stocks symbol symbols trading trade trades market shares investor investors "
               "exchange portfolio ticker securities",
    "food": "food cocktail cocktails recipe recipes drink drinks meal meals ingredient ingredients restaurant",
    "research": "news search articles article spelling spell web query completion",
    "travel": "travel flight flights hotel hotels trip airport booking reservation airline",
    "messaging": "message messages messaging tweet tweets twitter inbox contact contacts chat post posts posting "
                 "social followers",
    "notes": "memory notes note remember reminder reminders archive",
    "files": "file files directory directories folder folders filesystem",
    "vehicle": "vehicle car engine fuel tire tires brake doors drive",
    "math": "math mathematics calculate area volume formula physics equation geometry",
    "weather": "weather forecast temperature rain climate",
}
_DOMAIN_INDEX = {word: domain for domain, words in _DOMAIN_WORDS.items() for word in words.split()}
_CATEGORY_WEIGHT = 3
_MIN_SCORE = 3

_FAMILY = ("cousin", "sister", "brother", "best friend", "neighbour", "aunt", "uncle", "flatmate", "niece",
           "nephew", "mum", "dad", "friend")
_OUTLETS = ("newsletter", "club newsletter", "school paper", "blog", "podcast", "team chat")
_GROUPS = ("book club", "running club", "small business", "volunteer group", "band", "start-up", "choir")
_KIN = ("cousin", "best friend", "neighbour", "flatmate", "friend", "colleague", "partner", "teammate")  # with a name:
# no "my nephew Melissa"
_SOON = ("this weekend", "tonight", "tomorrow morning", "later this week", "next week", "tomorrow evening")
# What a user of each domain is doing: (activity, purpose). An activity's {who} is a person the user names
# ("my cousin Dana", "Sam from work"); the frames below say the activity in many ways, so that no two users
# tell their situation in the same words.
_SITUATIONS = {
    "shipping": (("sending a birthday present to {who}", "the present"),
                 ("working out what shipping costs the customers of my online shop", "the shop's shipping"),
                 ("arranging a delivery for {who}", "the delivery"),
                 ("moving house and sending a few boxes ahead", "the move"),
                 ("chasing a parcel for {who}", "the parcel"),
                 ("shipping a batch of second-hand book orders", "the book orders"),
                 ("sending back something I bought online", "the return"),
                 ("helping {who} send a package", "the package")),
    "sports": (("hosting a watch party for {who}", "the watch party"),
               ("settling a friendly bet with {who}", "the bet"),
               ("writing the sports round-up for our {outlet}", "the round-up"),
               ("having {who} over to watch the game", "the game night"),
               ("getting ready to talk to the kids' team I coach", "the team talk"),
               ("deciding which match to catch at the pub with {who}", "the pub plans"),
               ("keeping {who} up to date on the scores", "the score updates")),
    "finance": (("going over my small portfolio", "the portfolio review"),
                ("answering {who}, who asked whether a stock is worth watching", "the stock question"),
                ("writing a market note for our investment club", "the market note"),
                ("pulling numbers together for {who}", "the numbers"),
                ("learning how the market works with real examples", "my reading"),
                ("deciding whether to rebalance my savings", "the rebalancing")),
    "food": (("hosting dinner for {who}", "the dinner"),
             ("planning drinks for when {who} comes round", "the drinks"),
             ("putting together a drinks menu for a small party", "the drinks menu"),
             ("trying to make something new in the kitchen", "the cooking"),
             ("surprising {who} with a cocktail they've never had", "the surprise")),
    "research": (("researching a piece for our {outlet}", "the research"),
                 ("looking over a draft {who} sent me", "the draft"),
                 ("preparing a news briefing for the team", "the briefing"),
                 ("tidying up the wording of the {doc}", "the {doc}"),
                 ("finding out more about something {who} mentioned", "the question")),
    "travel": (("planning a trip with {who}", "the trip"),
               ("sorting out travel for {who}", "the travel plans"),
               ("booking a family visit myself", "the family visit"),
               ("organising a weekend away for our {group}", "the weekend away"),
               ("getting ready for {who} to fly in", "the visit")),
    "messaging": (("organising a get-together with {who}", "the get-together"),
                  ("looking after the social account of our {group}", "the account"),
                  ("getting back to {who}, who is waiting on a reply", "the reply"),
                  ("getting the word out about our {group}'s next event", "the event"),
                  ("catching up with {who} after being away", "catching up"),
                  ("planning a surprise for {who} and coordinating quietly", "the surprise"),
                  ("running the announcements for our {group}", "the announcements")),
    "files": (("cleaning up the files of our {group}", "the cleanup"),
              ("getting the files for the {doc} ready for {who}", "the files"),
              ("reorganising my work folders before handing them to {who}", "the handover"),
              ("clearing out a laptop that is almost full", "the clear-out"),
              ("putting together the {doc} from pieces all over the place", "the {doc}"),
              ("digging out some old notes for {who}", "the notes"),
              ("setting up a shared folder for our {group}", "the shared folder")),
    "notes": (("keeping my notes for the {doc} in order", "the {doc}"),
              ("keeping track of things for our {group}", "the notes"),
              ("remembering a few things for {who}", "the reminders"),
              ("getting organised before a busy week", "getting organised"),
              ("tidying up what I saved about the {doc}", "the {doc}")),
    "vehicle": (("about to drive over to see {who}", "the drive"),
                ("getting the car ready for a long drive", "the road trip"),
                ("lending the car to {who}", "the car"),
                ("picking {who} up from the station", "the pick-up")),
    "math": (("checking homework for {who}", "the homework"),
             ("working through a problem set for class", "the problem set"),
             ("finishing a lab report", "the lab report"),
             ("measuring things up for a project at home", "the home project"),
             ("tutoring {who} in maths and checking my working", "the tutoring"),
             ("splitting costs with {who} and making sure the numbers are right", "the numbers"),
             ("studying for an exam and testing myself", "the exam prep")),
    "weather": (("planning a day out with {who}", "the day out"),
                ("organising an outdoor event and worrying about the weather", "the event")),
}
_WHO = ("my {kin} {name}", "my {kin} {name}", "{name} from work", "my {family}", "{name}, a friend of mine",
        "{name} next door", "my old friend {name}")
# how a person tells what they are doing: {act} the activity, {when} a time or nothing
_TELLINGS = ("I'm {act}{when}.", "Some background: I'm {act}{when}.", "For context, I'm {act}{when}.",
             "Right now I'm {act}.", "I'm in the middle of {act}.", "This is because I'm {act}{when}.",
             "Why I ask: I'm {act}{when}.", "So I'm {act}{when}.", "Long story short, I'm {act}{when}.",
             "At the moment I'm {act}.", "I'm busy {act}{when}.")
SITUATION_SHARE = {"terse": 0.35, "normal": 0.8, "detailed": 0.95}


def domain_of(tools: Sequence[Tool]) -> str | None:
    """The domain the tools' own words point to (category first), or None when none stands out."""
    scores: dict[str, int] = {}
    for tool in tools:
        for word in name_tokens(tool.category):
            if word in _DOMAIN_INDEX:
                scores[_DOMAIN_INDEX[word]] = scores.get(_DOMAIN_INDEX[word], 0) + _CATEGORY_WEIGHT
        words = set(name_tokens(tool.name)) | set(re.findall(r"[a-z]+", str(tool.description or "").lower()))
        for word in words:
            if word in _DOMAIN_INDEX:
                scores[_DOMAIN_INDEX[word]] = scores.get(_DOMAIN_INDEX[word], 0) + 1
    if not scores:
        return None
    domain, score = max(sorted(scores.items()), key=lambda item: item[1])
    return domain if score >= _MIN_SCORE else None


# What a person calls the matter in passing ("a shipping question", "the betting part is sorted"): a mass noun
# of the domain, where the tool's own noun read as a topic ("I'm stuck on a task question", "That cities
# states question was bugging me") is a name from an API, not a person's word.
_TOPICS = {
    "shipping": ("shipping", "parcel tracking", "delivery"), "sports": ("sports betting", "betting", "sports"),
    "finance": ("investing", "trading", "market research"), "food": ("drinks", "cocktail-making"),
    "research": ("research", "fact-checking"), "travel": ("travel", "trip planning"),
    "messaging": ("messaging", "social media"), "notes": ("note-keeping", "admin"),
    "files": ("file management", "admin"), "vehicle": ("driving", "car maintenance"),
    "math": ("maths", "homework"), "weather": ("weather",),
}


def domain_topic(tools: Sequence[Tool], choice: int) -> str | None:
    """The matter the dialogue is about in a person's words (`_TOPICS`), the same for every turn of a dialogue
    (`choice`, fixed per dialogue, picks among the domain's); None when the tools name no domain."""
    domain = domain_of(tools)
    topics = _TOPICS.get(domain or "")
    return topics[choice % len(topics)] if topics else None


def draw_situation(rng: random.Random, tools: Sequence[Tool], verbosity: str) -> Situation | None:
    """A situation for this dialogue's user, from the domain of the tools it plans to call (None when the
    tools name no domain, or the user is one who would not say)."""
    domain = domain_of(tools)
    if domain is None or rng.random() >= SITUATION_SHARE.get(verbosity, 0.7):
        return None
    activity, purpose = rng.choice(_SITUATIONS[domain])
    fields = {"name": typed_text("first_name", rng), "family": rng.choice(_FAMILY), "kin": rng.choice(_KIN),
              "outlet": rng.choice(_OUTLETS), "group": rng.choice(_GROUPS), "doc": rng.choice(_DOCUMENTS)}
    fields["who"] = rng.choice(_WHO).format(**fields)
    act = activity.format(**fields)
    when = f" {rng.choice(_SOON)}" if rng.random() < 0.4 else ""
    telling = rng.choice(_TELLINGS)
    if act.startswith("about to "):  # "I'm about to drive …", never "I'm busy about to drive …"
        telling = "I'm {act}{when}."
    return Situation(sentence=telling.format(act=act, when=when), purpose=purpose.format(**fields))
