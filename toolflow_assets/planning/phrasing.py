"""Turning tool descriptions and values into plain words, shared by the offline planner and generator.

`action_phrase(tool)` makes an imperative request from a tool's description ("Retrieves the current weather
for a given city." → "retrieve the current weather for a city"), never using the tool's own name, so user
requests read like a person's and not like an API call. `mention(value)` renders a value so that every
scalar leaf appears verbatim (strings as they are, numbers in `number_text` form), which is what the
grounding check looks for. Values woven into a request where it names their thing: `weaving.py`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..json_schema.paths import last_field
from ..mentions import plural
from ..tools import Tool
from ..values import humanize, name_tokens, number_text

MAX_ACTION_WORDS = 14

_LEADING_NOISE = re.compile(
    r"^(?:(?:this|the|a|an)\s+)?(?:function|tool|api|endpoint|method|operation|service|utility|helper|route)"
    r"(?:\s+(?:that|which|will|can|is used to|is able to|allows (?:you|the user|users) to|helps(?: to)?|to))*\s+",
    re.IGNORECASE,
)
_LEADING_PURPOSE = re.compile(
    r"^(?:either|used to|use this to|allows (?:you|the user|users) to|lets (?:you|the user|users)|helps(?: you)?(?: to)?|"
    r"function to|api to|tool to|tool for|endpoint to|endpoint for|this is used to|in order to|"
    r"(?:the )?users? (?:will be|is|are) able to|(?:this endpoint )?responds with|to)\s+",
    re.IGNORECASE,
)
_ARTICLES = re.compile(r"\b(?:a|the|an)\s+(?:specified|given|provided|particular|specific|certain|requested|supplied)\b",
                       re.IGNORECASE)
_CUT_MARKERS = (" by ", " using ", " based on ", " which ", " that ", ", ", " and returns ", " and return ",
                " according to ", " with the option", " with optional", " optionally")
# what a listing says of its records ("a list of cocktails that includes their names and images") and a
# scope no one asks for ("short interest positions in all IEX-listed securities") are no part of a request
_ALWAYS_CUT = (" that includes their", " that include their", " which includes their", " in all ",
               ", and optionally", " and optionally",
               " using this endpoint", " via this endpoint", ", as well as", " as well as", ", such as", " such as ", " (e.g", ", e.g", " e.g.", ", for example", ", specifying", ", including")
# how the code computes it, which no user asks for: "…with adjustable precision using mpmath", "using the
# decimal module" (BFCL's Math API)
_IMPLEMENTATION = re.compile(r"\s+using (?:the )?(?:[a-z]+ (?:module|library|package)|mpmath|numpy|scipy|sympy)\b",
                             re.IGNORECASE)
# a short description written as a title: every word capitalized but the small ones
_HEADING = re.compile(r"[A-Z][a-z]+(?: (?:[A-Z][A-Za-z]*|by|of|for|to|in|on|and|or|with|from|at|the|a|an)){1,5}")
# where a shell command works, which a person at the prompt never says: "a file of any extension at current
# directory", "from currrent directory" (BFCL's file system, its typo included), "line by line";
# "the files in the current directory" stays: there it is what is asked for
_SHELL_SCOPE = re.compile(r"\s+(?:of any extension|line by line|(?:at|from) (?:the )?curr?r?ent (?:directory|folder))\b",
                          re.IGNORECASE)
_STOP_TAIL = {"a", "an", "the", "of", "for", "to", "in", "on", "and", "or", "with", "by", "from", "at", "as", "its",
              "their", "is", "are", "be", "into", "using", "based", "if", "when", "such", "this", "that", "your"}

# API words a person does not say: "for iso state" is "for a state", "city keyword name" the city, "with iso
# code" their codes (RapidAPI descriptions write their parameter lists: "List of city for iso state and keyword
# name"); said as words, a value can then be woven in where the thing is named ("for a state" → "for state AR-C")
_JARGON = ((re.compile(r"\b(for|in|of|by|and) iso (state|country|province)\b", re.IGNORECASE), r"\1 a \2"),
           (re.compile(r"\biso (state|country|province)\b", re.IGNORECASE), r"\1"),
           (re.compile(r"\bwith iso codes?\b", re.IGNORECASE), "with their codes"),
           (re.compile(r"\b(city|state|country|street|province) keyword name\b", re.IGNORECASE), r"\1"),
           (re.compile(r"\bkeyword name\b", re.IGNORECASE), "keyword"),
           (re.compile(r"\b(for|and) (postcode|post code|zip code|keyword|city)\b", re.IGNORECASE), r"\1 a \2"),
           (re.compile(r"\bpost code\b", re.IGNORECASE), "postcode"))


# Base forms of verbs that open tool descriptions; a description starting otherwise gets "look up …".
VERBS = frozenset("""
get retrieve fetch find search look lookup list query obtain return provide show display give tell read
calculate compute convert count estimate predict analyze analyse determine identify evaluate solve sum average
measure compare rank sort filter check verify validate test detect classify score summarize summarise translate
create add make generate build register submit post send share publish upload download save store write record
update modify edit change set reset rename move copy delete remove cancel clear close open start stop run execute
perform launch trigger schedule book reserve order buy sell purchase pay transfer invite track monitor plot draw
recommend suggest play pause resume subscribe unsubscribe login log sign enable disable configure install fill
apply approve reject assign mark tag parse extract format encode decode encrypt decrypt hash compress resize crop
scan lookup simulate optimize plan design notify alert remind forecast locate map route navigate join
place manage handle request initiate compose reply forward rate review like follow accept decline connect
disconnect attach mute unmute archive restore lock unlock explain describe inspect ping flip roll invest withdraw
deposit lend borrow hire rent ship deliver refund charge print answer ask prepare cook bake multiply divide
subtract split merge combine reverse shuffle select choose pick recognize transcribe speak listen watch
collect gather mention retweet comment
""".split())
# A user asks to *get* something; a description says what a function *returns*.
_USER_VERBS = {"return": "get", "provide": "get", "give": "get", "obtain": "get", "display": "show"}
_DETERMINERS = frozenset("a an the all any my your new multiple one some each current specific several its their "
                         "details information data".split())


def _base_form(word: str) -> str:
    lower = word.lower()
    if lower in VERBS:
        return lower
    candidates = []
    if lower.endswith("ies"):
        candidates.append(lower[:-3] + "y")
    if lower.endswith("es"):
        candidates.append(lower[:-2])
    if lower.endswith("s") and not lower.endswith("ss"):
        candidates.append(lower[:-1])
    for candidate in candidates:
        if candidate in VERBS:
            return candidate
    return ""


def _plain_verb(word: str) -> str:
    lower = word.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        return lower[:-2]
    if lower.endswith("s") and not lower.endswith("ss"):
        return lower[:-1]
    return lower


@lru_cache(maxsize=65_536)
def _action_from_text(description: str, tool_name: str) -> str:
    text = " ".join(str(description or "").split())
    if "Tool description:" in text:  # BFCL multi-turn tools put a suite blurb before the real description
        text = text.split("Tool description:", 1)[1].strip()
    for marker in _ALWAYS_CUT:
        cut = text.lower().find(marker)
        if cut > 0:
            text = text[:cut]
    text = re.split(r"(?<=[a-z0-9)])\.\s|\.$|\n|;\s|\s-\s|\s\(", text, maxsplit=1)[0].strip(" .:")
    text = _IMPLEMENTATION.sub("", text)
    for _ in range(2):
        text = _LEADING_NOISE.sub("", text)
        text = _LEADING_PURPOSE.sub("", text)
    text = _SHELL_SCOPE.sub("", text)
    text = _ARTICLES.sub(lambda m: m.group(0).split()[0], text)
    if _HEADING.fullmatch(text) and text == " ".join(str(description or "").split()).strip(" ."):
        # a description that is only a heading ("Get Cocktail by ID") is asked for in lower case, acronyms kept
        text = " ".join(w if w.isupper() else w.lower() for w in text.split())
    text = re.sub(r"\b(a|the) give\b", r"\1 given", text)  # "the official open and close for a give symbol"
    text = re.sub(r"[\"`\\]", "", text)
    words = text.split()
    if not words:
        return ""
    if len(words) > 2 and words[0].lower() == "list" and words[1].lower() == "of":
        # "List of city for iso state." names what it returns: the cities ("get the list of city" before); a
        # determiner stays ("list of all …")
        thing = words[2] if words[2] in _DETERMINERS else plural(words[2])
        words = ["get", "the", thing, *words[3:]] if re.fullmatch(r"[a-z]+", words[2]) \
            else ["get", "the", "list", *words[1:]]
    text = " ".join(words)
    for jargon, said in _JARGON:
        text = jargon.sub(said, text)
    words = text.split()
    verb = _base_form(words[0])
    if not verb and len(words) > 1 and words[1].lower() in _DETERMINERS and words[0].isalpha() and len(words[0]) > 2:
        verb = _plain_verb(words[0])  # "Places an order…": an unknown verb followed by its object
    if verb:
        words = [_USER_VERBS.get(verb, verb), *words[1:]]
        if len(words) > 2 and words[1].lower() in ("or", "and", "and/or") and _base_form(words[2]):
            words[2] = _base_form(words[2])  # "adds or creates" → "add or create"
        for index in range(2, len(words) - 1):  # "creates a new project or opens an existing one"
            if words[index - 1].lower() in ("or", "and") and words[index].lower() != _base_form(words[index]) \
                    and _base_form(words[index]) and words[index].lower().endswith("s"):
                words[index] = _base_form(words[index])
    else:
        first = words[0] if words[0].split("-")[0].isupper() else words[0].lower()  # IEX-listed keeps its IEX
        article = [] if first in _DETERMINERS else ["the"]
        words = ["look", "up", *article, first, *words[1:]]
    phrase = re.sub(r"^(\w+) list of (?=\w)", r"\1 the ", " ".join(words))  # "get list of games" → "get the games"
    words = phrase.split()
    if len(words) > MAX_ACTION_WORDS:
        for marker in _CUT_MARKERS:
            cut = phrase.find(marker)
            if 3 * 4 <= cut:  # keep at least a few words before the cut
                phrase = phrase[:cut]
                break
        words = phrase.split()[:MAX_ACTION_WORDS]
        while len(words) > 2 and words[-1].lower().strip(",") in _STOP_TAIL:
            words.pop()
        phrase = " ".join(words).rstrip(",:")
    # only a name that is an identifier ("spotify_api", "getWeather") is said as "it": a name that is a word
    # of the description ("mean", "logarithm", "power") is the thing itself ("calculate the mean of …")
    identifier = bool(re.search(r"[_\d]|[a-z][A-Z]", tool_name or ""))
    if identifier and re.search(rf"\b{re.escape(tool_name)}\b", phrase, re.IGNORECASE):
        # the name said as a word is "it" ("… from spotify_api" → "… from it"), but not the verb itself:
        # `add` described as "Add two numbers" stays "add two numbers"
        head, _, rest = phrase.partition(" ")
        rest = re.sub(rf"\b{re.escape(tool_name)}\b", "it", rest, flags=re.IGNORECASE)
        phrase = f"{head} {rest}".strip() if head.lower() == tool_name.lower() else \
            re.sub(rf"\b{re.escape(tool_name)}\b", "it", phrase, flags=re.IGNORECASE)
    return phrase


# Words spelled with a vowel but said with a consonant ("a user", "a one-way trip", "a URL"), and the
# other way round ("an hour", "an SMS"): the first letters decide, these prefixes are the exceptions.
_CONSONANT_SOUND = ("use", "usu", "uni", "uti", "ura", "uri", "uro", "ure", "eu", "one", "once", "ubi", "uk")
_VOWEL_SOUND = ("hour", "honest", "honor", "honour", "heir")
_VOWEL_LETTER_NAMES = set("aefhilmnorsx")  # an API, an SMS, an HTML page, an MP3: initialisms said letter by letter
_AFTER_ARTICLE = re.compile(r"\b(a|an|A|An)(\s+)([A-Za-z][\w-]*)")
_NOT_A_NOUN = frozenset("and or is are of to in on at by for with as be was were".split())


def wants_an(word: str) -> bool:
    """Whether `word` takes "an" (said with a vowel sound first)."""
    if len(word) > 1 and word.isupper():  # an initialism: by the name of its first letter
        return word[0].lower() in _VOWEL_LETTER_NAMES
    lower = word.lower()
    if lower.startswith(_VOWEL_SOUND):
        return True
    return lower[:1] in "aeiou" and not lower.startswith(_CONSONANT_SOUND)


def agree_articles(text: str) -> str:
    """"a amount" → "an amount", "an user" → "a user" (descriptions and label templates get these wrong);
    an `A` after a word is a letter ("plan A is"), and an article before "and"/"is" is not one."""
    def fix(match: re.Match[str]) -> str:
        article, space, word = match.groups()
        before = text[:match.start()].rstrip()
        if article[0] == "A" and before and before[-1] not in ".!?:":
            return match.group(0)
        if word.lower() in _NOT_A_NOUN:
            return match.group(0)
        right = "an" if wants_an(word) else "a"
        if article[0] == "A":
            right = right.capitalize()
        return f"{right}{space}{word}"

    return _AFTER_ARTICLE.sub(fix, text)


def action_phrase(tool: Tool) -> str:
    """An imperative request for what the tool does, without its name (falls back to the name's words)."""
    phrase = agree_articles(_action_from_text(tool.description, tool.name))
    if len(phrase.split()) >= 2:
        return phrase
    words = name_tokens(tool.name)
    if words and _base_form(words[0]):
        return " ".join([_base_form(words[0]), "the", *words[1:]]) if len(words) > 1 else _base_form(words[0])
    return "look up the " + (" ".join(words) or "information") + " details"


def _reads_as_sentence(text: str) -> bool:
    """A message, post or note ("Please review the draft") rather than a name or a term: it is quoted
    when woven into a sentence, so the reader sees where it starts and ends."""
    words = text.split()
    sentence = len(words) >= 2 and text.rstrip()[-1:] in ".!?"  # "Project closed." ends like a sentence
    return ((sentence or len(words) >= 3 and words[0][:1].isupper() and any(w[:1].islower() for w in words[1:]))
            and '"' not in text)


def mention(value: Any) -> str:
    """A value as words in which every scalar leaf appears verbatim."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, str):
        return f'"{value}"' if _reads_as_sentence(value) else value
    if value is None:
        return "none"
    if isinstance(value, list):
        parts = [mention(item) for item in value]
        if not parts:
            return "nothing"
        if len(parts) == 1:
            return parts[0]
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    if isinstance(value, dict):
        parts = [f"{humanize(str(key))} {mention(item)}" for key, item in value.items()]
        return ", ".join(parts) if parts else "nothing"
    return str(value)


@lru_cache(maxsize=65_536)
def label(name: str) -> str:
    """A parameter's label in a sentence: the last part of a dotted path, as words ("TheKey" → "key")."""
    words = humanize(last_field(name))
    for article in ("the ", "a ", "an "):
        if words.startswith(article) and len(words) > len(article):
            return words[len(article):]
    return words


# How a person says a parameter's name (`spoken_label`): API shorthand spelled out, ends said first
_ABBREVIATIONS = {"qty": "quantity", "num": "number", "amt": "amount", "addr": "address", "desc": "description",
                  "msg": "message", "img": "image", "pwd": "password", "tz": "time zone", "lang": "language",
                  "lat": "latitude", "lng": "longitude", "lon": "longitude", "q": "search terms",
                  "dob": "date of birth"}
_ENDS = {"src": "origin", "source": "origin", "dst": "destination", "dest": "destination"}
_UNIT_SIDES = {"unit in": "input unit", "unit out": "output unit", "units in": "input units", "units out": "output units"}
_PLACES = frozenset("city country state street town region province".split())
_CODE_WORDS = frozenset("iso".split())


@lru_cache(maxsize=65_536)
def spoken_label(name: str) -> str:
    """A parameter's label as a person says it to someone: "normalizeCityNameSrc" → "origin city",
    "postCodeDst" → "destination postcode", "stateIsoCode" → "state code", "fromPublishedDate" → "earliest
    published date", "q" → "search terms". Only the user's own words use it: references back ("the same
    city name src as before") keep `label`, the words the reference finder matches against field names."""
    words = label(name).split()
    if len(words) > 1 and words[0] in ("normalize", "normalized", "normalised"):
        words = words[1:]
    words = [w for part in (_ABBREVIATIONS.get(w, w) for w in words) for w in part.split()]
    if len(words) > 1 and words[-1] in _ENDS:  # "city src": the origin city
        words = [_ENDS[words[-1]], *words[:-1]]
    text = " ".join(words)
    text = _UNIT_SIDES.get(text, text)  # `unit_in`: "the input unit km", never "unit in km"
    text = re.sub(r"\bpost code\b", "postcode", text)
    text = re.sub(r"\b(" + "|".join(_PLACES) + r") (?:iso )?code\b", r"\1 code", text)
    text = re.sub(r"\b(" + "|".join(_PLACES) + r") name\b", r"\1", text)
    dated = re.fullmatch(r"(from|to) (.+ (?:date|time))", text)  # "from published date": the earliest one
    if dated:
        text = ("earliest " if dated.group(1) == "from" else "latest ") + dated.group(2)
    return text or label(name)


def operand_names(tool: Tool) -> dict[str, str]:
    """Parameter name → a name a person can say, for a one-letter parameter whose description is a short noun
    phrase: `subtract(a, b)` documents "Number to subtract from." and "Number to subtract.", `divide(a, b)`
    "Numerator." and "Denominator.". A user never says "56.21 as the a and a b of 81.99"; the schema says
    what each letter is. Letters with no such description keep their name."""
    properties = (tool.parameters or {}).get("properties") if isinstance(tool.parameters, dict) else None
    found: dict[str, str] = {}
    for name, schema in (properties or {}).items() if isinstance(properties, dict) else ():
        if len(name) != 1 or not name.isalpha() or not isinstance(schema, dict):
            continue
        phrase = re.sub(r"^(?:the|a|an)\s+", "", str(schema.get("description") or "").strip().rstrip(". ").lower())
        if phrase and len(phrase.split()) <= 4 and re.fullmatch(r"[a-z]+(?: [a-z]+)*", phrase):
            found[name] = "_".join(phrase.split())
    return found


_TAIL_WORDS = 7
_FILLER = re.compile(r"\b(?:an? list of|the list of|list of|the|an?)\s+", re.IGNORECASE)


def _description_words(tool: Tool) -> list[str]:
    text = " ".join(str(tool.description or "").split())
    if "Tool description:" in text:
        text = text.split("Tool description:", 1)[1]
    return _ARTICLES.sub(lambda m: m.group(0).split()[0], text).split()


def _parameter_tokens(tool: Tool) -> set[str]:
    properties = (tool.parameters or {}).get("properties") if isinstance(tool.parameters, dict) else None
    return {word for name in (properties or {}) for word in name_tokens(str(name))} | {"iso"}


def distinct_actions(tools: list[Tool]) -> dict[str, str]:
    """`action_phrase` of each tool, told apart where two tools of one dialogue would read the same
    ("get list of live and upcoming games for a sport" for both the odds and the scores endpoint): the
    words where their descriptions part are added ("…, showing bookmaker odds for the region"), else
    the words where their names part ("… (odds)"). A request that fits two offered tools equally teaches
    the assistant to guess."""
    actions = {tool.name: action_phrase(tool) for tool in tools}
    by_text: dict[str, list[Tool]] = {}
    for tool in tools:  # "get a list of games" and "get the games" read the same
        by_text.setdefault(_FILLER.sub("", actions[tool.name]).strip(), []).append(tool)
    for same in by_text.values():
        if len(same) < 2:
            continue
        described = [_description_words(tool) for tool in same]
        shared = 0
        while all(len(words) > shared for words in described) and len({w[shared].lower() for w in described}) == 1:
            shared += 1
        named = [name_tokens(tool.name) for tool in same]
        for tool, words, name_words in zip(same, described, named):
            tail = " ".join(words[shared:shared + _TAIL_WORDS]).strip(" .,;:")
            tail = re.split(r"(?<=[a-z0-9)])\.\s|[;(]", tail)[0].rstrip(" ,")
            tail = re.sub(r"^and optionally ", "including ", tail)  # "…, and optionally recently completed games"
            while tail.split() and tail.split()[-1].lower() in _STOP_TAIL:
                tail = tail.rsplit(" ", 1)[0] if " " in tail else ""
            others = {w for other in named if other is not name_words for w in other}
            own = [w for w in name_words if w not in others]
            # a parameter's name in the tool's name says nothing a person says ("(search state iso)"): "(search)"
            said = [w for w in own if w not in _parameter_tokens(tool)]
            own = said or own
            text = actions[tool.name]
            if tail and len({" ".join(d[shared:shared + _TAIL_WORDS]) for d in described}) == len(same):
                actions[tool.name] = f"{text}, {tail[:1].lower()}{tail[1:]}"
            elif own:
                actions[tool.name] = f"{text} ({' '.join(own)})"
    return actions
