"""A tool description said the way a person would, now and then in other words: its leading verb ("retrieve
the list" → "pull up the list"), the stock phrases of descriptions ("associated with" → "linked to"), a closing
place phrase that leads instead ("from the short-term memory, retrieve the value").

The description's own words on every turn are what make template text recognizable: a small catalog (76 BFCL
multi-turn tools, 26 ToolBench ones) would repeat one description's wording in every dialogue. Values already
woven in are never reworded: a quoted message keeps its words, since it is sent verbatim.
"""

from __future__ import annotations

import random
import re

from ..planning.phrasing import agree_articles

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
    (" associated with ", (" for ", " linked to ", " tied to ", " stored under ", " associated with ", " kept under ",
                           " saved under ")),
    (" based on ", (" using ", " going by ", " according to ")),
    (" a list of ", (" all the ", " the ", " a list of ")),  # never "every": a list is of a plural ("every cocktails")
    (" information about ", (" details on ", " info on ", " details of ")),
    (" details of ", (" information on ", " particulars of ", " info about ")),
    # the new value is given in the request: saying that it is new adds nothing
    (" with a new value", ("", "", " with a new value", " with a fresh value", " so it holds something new",
                           " with another value")),
    (" for the authenticated user", (" for me", " on my account", " from my account", "")),
    (" from one ", (" from one ", " out of one ")),
    (" the latest message sent to ", (" the last message I sent to ", " my latest message to ",
                                     " the most recent message sent to ", " the newest message for ")),
    (" the latest ", (" the most recent ", " the last ", " the newest ", " the latest ")),
    (" containing ", (" mentioning ", " that contain ", " with ", " about ", " containing ")),
    (" key-value pairs", (" entries", " stored pairs", " saved entries", " keys and values")),
    (" a key-value pair", (" an entry", " a stored pair", " a saved entry", " the entry", " a key")),
    (" a new ", (" a fresh ", " an updated ", " a new ")),
    (" the short-term memory", (" my short-term memory", " core memory", " short-term storage", " my working memory",
                                " the core memory", " the short-term memory")),
    (" the long-term memory", (" my long-term memory", " the archive", " archival memory", " long-term storage",
                               " my archive", " the long-term memory")),
    (" short-term memory", (" short-term memory", " core memory", " short-term storage")),
    (" long-term memory", (" long-term memory", " archival memory", " long-term storage")),
    (" key-value pair ", (" entry ", " pair ", " key-value pair ")),
    (" all tweets from ", (" every tweet from ", " all the tweets from ", " the tweets posted by ", " the posts of ")),
    (" all comments for ", (" every comment on ", " the comments on ", " all replies to ")),
    (" to a user", (" to a user", " to someone", " to a contact")),
    (" search for ", (" search for ", " look for ", " find ", " dig up ")),
    (" the list of ", (" the ", " all the ", " a list of ", " the list of ")),
    (" live and upcoming ", (" current and upcoming ", " ongoing and upcoming ", " live or upcoming ", " upcoming ",
                             " live and upcoming ")),
    (" upcoming games for ", (" upcoming games for ", " upcoming matches for ", " upcoming fixtures for ",
                              " scheduled games for ")),
    (", including recently completed games", (", including recently completed games", ", plus any that just finished",
                                              " along with recent results", ", and the ones that just ended")),
    (" for the region", (" for the region", " in my region", " for a region")),
    (" states for Argentina with iso code", (" states for Argentina with iso code", " Argentine states and their ISO codes",
                                            " provinces of Argentina with their codes")),
    (", showing bookmaker odds for ", (", with bookmaker odds for ", " and their betting odds for ",
                                       ", plus the odds for ", ", showing bookmaker odds for ")),
    (" for iso state ", (" for a state code ", " by state ISO code ", " for the iso state ")),
    (" task to get the history", (" a tracking task for the history", " a task to fetch the history",
                                  " a history lookup task", " task to get the history")),
    (" the result for one ", (" the result of a ", " the outcome for a ", " the result for one ")),
    (" retrieve a ", (" retrieve a ", " pull up a ", " open a ", " bring up a ")),
)
# Words of tool descriptions that people say in other words, one word for one word; a word that names a
# parameter of the call is never replaced (the value is woven in where the description names its thing, and
# the checks find a value by its parameter's words), nor a capitalized one (a name: "Correo Argentino").
_WORD_SYNONYMS = {
    "details": ("info", "particulars", "details"), "information": ("info", "details", "information"),
    "upcoming": ("scheduled", "future", "upcoming"), "live": ("ongoing", "in-progress", "live"),
    "games": ("matches", "fixtures", "games"), "completed": ("finished", "ended", "completed"),
    "entries": ("records", "items", "entries"), "records": ("entries", "records"),
    "statistics": ("stats", "figures", "numbers"), "directory": ("folder", "directory"),
    "odds": ("betting odds", "lines", "odds"), "bookmaker": ("sportsbook", "bookmaker"),
    "history": ("tracking history", "log", "history"), "tweets": ("posts", "tweets"), "comments": ("replies", "comments"),
    "quote": ("price quote", "quote"), "offices": ("branches", "locations", "offices"),
    "latest": ("most recent", "newest", "last", "latest"), "recent": ("latest", "recent"),
    "location": ("place", "spot", "location"), "vehicle": ("car", "vehicle"), "booking": ("reservation", "booking"),
    "reservation": ("booking", "reservation"), "similar": ("close", "related", "similar"),
    "users": ("people", "accounts", "users"), "lines": ("rows", "lines"), "fuel": ("gas", "petrol", "fuel"),
}
WORD_SHARE = 0.5


def vary_words(rng: random.Random, action: str, keep: frozenset[str] = frozenset()) -> str:
    """The action with some description words said in other words ("the live and upcoming games" → "the
    ongoing and scheduled matches"), never a word in `keep` (the call's parameter words) or a capitalized one,
    nor anything in quotes. Applied before values are woven in, so no value is ever changed."""
    parts = action.split('"')
    for index in range(0, len(parts), 2):
        words = parts[index].split(" ")
        for position, word in enumerate(words):
            core = word.strip(",.;:()")
            options = _WORD_SYNONYMS.get(core)  # lower case only: "Live" may start a name
            if options and core not in keep and rng.random() < WORD_SHARE:
                words[position] = word.replace(core, rng.choice(options), 1)
        parts[index] = " ".join(words)
    return agree_articles('"'.join(parts))


# A trailing place phrase can lead the request instead ("from the short-term memory, retrieve the value").
_FRONTABLE = re.compile(r"^(?P<head>\S+ .{6,}?) (?P<place>(?:from|in|inside|within) (?:the|my) "
                        r"(?:(?!with\b|to\b|for\b|and\b|by\b|of\b|on\b)[\w-]+ ?){1,4})$")


# arithmetic on numbers keeps its verb: "add two numbers" is no "put in two numbers" or "include two numbers"
_NUMBERS_OBJECT = re.compile(r"(?:\w+ )?numbers?\b", re.IGNORECASE)


def paraphrase_action(rng: random.Random, action: str) -> str:
    """The action said another way, now and then: its leading verb ("retrieve the list" → "pull up the list"),
    and stock phrases of descriptions (`rephrase`)."""
    verb, _, rest = action.partition(" ")
    options = _VERB_SYNONYMS.get(verb.lower())
    if options and rng.random() >= 0.25 and not _NUMBERS_OBJECT.match(rest):
        action = f"{rng.choice(options)} {rest}".strip()
    return rephrase(rng, action)


def rephrase(rng: random.Random, action: str) -> str:
    """The stock phrases of descriptions in a text said another way, now and then ("associated with" →
    "linked to")."""
    parts = action.split('"')  # a quoted value (a message the user wrote) keeps its words: it is sent verbatim
    for index in range(0, len(parts), 2):
        padded = f" {parts[index]} "
        for phrase, others in _PHRASE_SYNONYMS:
            if phrase in padded and rng.random() < 0.75:
                padded = padded.replace(phrase, rng.choice(others), 1)
        parts[index] = padded[1:-1]
    return " ".join('"'.join(parts).split())


def front_place(rng: random.Random, action: str) -> str:
    """Now and then, a closing place phrase leads ("from the short-term memory, retrieve the value"); only
    for a frame that starts with the action, where the sentence can start with the place."""
    fronted = _FRONTABLE.match(action)
    if fronted and rng.random() < 0.3:
        return f"{fronted.group('place')}, {fronted.group('head')}"
    return action
