"""Free-text values composed from parts: messages, search queries, titles and topics.

A list of eight messages and ten queries made every messaging dialogue say "Meeting moved to Thursday" and
every search look for "beginner guitar chords": on a catalog of a few dozen tools (BFCL's messaging and
memory suites, ToolBench's) the same few values filled a fifth of the text. People write their own: here a
value is a frame with slots (a day, a person, a document, a city, a product), so the same parameter gets a
different, still ordinary, value in each dialogue.

The rule of `lexicons` holds: plain text, no quotes, backslashes or apostrophes, so a value is stated
verbatim in a user message and appears unchanged inside a tool's JSON.
"""

from __future__ import annotations

import random

from ..typed_values import typed_text
from . import lexicons as L

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "tomorrow",
         "next week", "this afternoon", "tonight")
_TIMES = ("9 am", "10 am", "11:30", "noon", "2 pm", "3 pm", "4:30 pm", "6 pm", "7 pm")
_MEETINGS = ("standup", "team sync", "design review", "budget meeting", "one-on-one", "client call", "retro",
             "planning session", "interview", "demo", "dentist appointment", "book club")
_DOCUMENTS = ("draft", "slide deck", "budget sheet", "contract", "quarterly report", "release notes", "proposal",
              "invoice", "meeting notes", "project plan", "cover letter", "lease")
_PLACES = ("the lobby", "the front desk", "the usual cafe", "the station", "the gym", "the office",
           "the parking lot", "the library", "the main entrance")
_FIRST_NAMES = ("Ana", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam",
                "Maya", "Nico", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Yara",
                "Zoe")

_MESSAGES = (
    "Running {n} minutes late, start without me", "The {meeting} moved to {day}",
    "Can we push the {meeting} to {day} at {time}", "Please review the {doc} before {day}",
    "The {doc} is ready for your review", "Happy birthday {first}, have a great day",
    "Lunch at {time} on {day} works for me", "Reminder: {meeting} {day} at {time}",
    "Thanks for the {product}, {first}", "I left the {product} at {place}", "Call me when you land in {city}",
    "Build {n} is green again", "Do not forget the {doc} for {day}", "Can you send me the {doc} by {day}",
    "Our flight to {city} is delayed by an hour", "Dinner at {restaurant} {day} at {time}",
    "The {meeting} notes from {day} are in the shared folder", "Meet me at {place} at {time}",
    "Got the {product}, thanks a lot {first}", "{first} will join the {meeting} {day}",
    "Can we cancel the {meeting} on {day}", "The {doc} needs one more signature",
    "Picking up {dish} on the way home", "Heading to {city} {day}, back on {later}",
    "Is the {meeting} still on for {time}", "Just sent the {doc} to {first}",
    "Please water the plants while I am in {city}", "Parking at {place} is full, I will be there by {time}",
)
_QUERIES = (
    "{product} reviews", "best {product} under {n} dollars", "{dish} recipe", "how to {task}", "{topic} news",
    "{city} weather this weekend", "things to do in {city}", "{topic} for beginners", "cheap flights to {city}",
    "{team} next game", "{book} summary", "{movie} showtimes", "books about {topic}", "{instrument} lessons",
    "{dish} near {city}", "{topic} podcasts", "second-hand {product}", "{city} to {city2} train", "{genre} concerts in {city}",
    "history of {topic}", "{product} vs {product2}", "{topic} jobs in {city}", "healthy {dish} ideas",
    "{animal} care tips", "{language} course online",
)
_TASKS = ("fix a flat tire", "repot a plant", "tie a bowline knot", "descale a kettle", "back up a phone",
          "make sourdough starter", "clean a cast iron pan", "change a car battery", "write a cover letter",
          "remove a wine stain", "set up a home network", "fold a fitted sheet", "sharpen a kitchen knife")
_TOPICS = L.TOPICS + (
    "solar panels", "sleep science", "medieval castles", "coral reefs", "home brewing", "bird migration",
    "urban planning", "impressionist painting", "volcanoes", "public speaking", "container gardening",
    "cybersecurity basics", "the Roman Empire", "black holes", "minimalist design", "bread baking",
    "wildlife photography", "stock market basics", "chess openings", "electric bikes", "the Silk Road",
)
_TITLES = ("{Topic} Research Summary", "{Month} Budget Proposal", "{City} Offsite Plan", "Notes on {topic}",
           "{Meeting} Agenda", "Q{q} Release Notes", "{Doc} for {first}", "{City} Trip Checklist",
           "Weekly Sync {Month}", "{Topic} Reading List", "Onboarding Checklist for {first}", "Draft: {topic}")


def _slots(rng: random.Random) -> dict[str, str]:
    city, city2 = rng.sample(L.CITIES, 2)
    product, product2 = rng.sample(L.PRODUCTS, 2)
    topic = rng.choice(_TOPICS)
    meeting, doc = rng.choice(_MEETINGS), rng.choice(_DOCUMENTS)
    day, later = rng.sample(_DAYS[:7], 2)
    return {
        "n": str(rng.choice((5, 10, 15, 20, 25, 30, 40, 50, 100, 200, 300, 500))), "q": str(rng.randint(1, 4)),
        "day": rng.choice(_DAYS), "later": later if later != day else "Friday", "time": rng.choice(_TIMES),
        "meeting": meeting, "Meeting": meeting.title(), "doc": doc, "Doc": doc.title(),
        "first": rng.choice(_FIRST_NAMES), "place": rng.choice(_PLACES), "city": city, "City": city,
        "city2": city2, "product": product, "product2": product2, "restaurant": rng.choice(L.RESTAURANTS),
        "dish": rng.choice(L.DISHES), "task": rng.choice(_TASKS), "topic": topic, "Topic": topic[:1].upper() + topic[1:],
        "team": rng.choice(L.SPORTS_TEAMS), "book": rng.choice(L.BOOKS), "movie": rng.choice(L.MOVIES),
        "instrument": rng.choice(L.INSTRUMENTS), "genre": rng.choice(L.GENRES), "animal": rng.choice(L.ANIMALS),
        "language": rng.choice(L.LANGUAGES), "Month": rng.choice(L.MONTHS),
    }


def message(rng: random.Random) -> str:
    """A short message a person would send ("Can we push the design review to Friday at 3 pm")."""
    return rng.choice(_MESSAGES).format(**_slots(rng))


def query(rng: random.Random) -> str:
    """A search a person would type ("espresso machine reviews", "things to do in Lisbon")."""
    return rng.choice(_QUERIES).format(**_slots(rng))


# Subjects of a few words, from every lexicon a person talks about: what a keyword search in an inbox or a feed
# looks for, and what a note or memory is about. A list of sixty topics made the BFCL memory and search tools
# repeat "black holes" and "machine learning" across dialogues; several hundred subjects do not.
_SUBJECTS = tuple(dict.fromkeys(
    _TOPICS + L.PRODUCTS + L.DISHES + _MEETINGS + _DOCUMENTS + L.CITIES + L.SPORTS_TEAMS + L.BOOKS + L.MOVIES
    + tuple(f"learning the {i}" for i in L.INSTRUMENTS) + tuple(f"{g} music" for g in L.GENRES)
    + tuple(f"{d} recipes" for d in L.DISHES) + tuple(f"trip to {c}" for c in L.CITIES)
    + tuple(f"{m} {d}" for m in ("team", "client", "quarterly") for d in ("budget", "report", "meeting", "deadline"))))
# frames that take any noun phrase ("trip to Nairobi", "March invoice", "Lisbon"): "Finally got into trip to
# Nairobi" did not
_POSTS = ("Reading up on {about} this week", "Anyone else following {about}", "Big day for {about}",
          "Quick update on {about}", "More on {about} soon", "Notes from today on {about}",
          "Still thinking about {about}", "Any tips on {about}", "Thinking about {about} today", "All set for {about}")


def _typed(kind: str, rng: random.Random) -> str:
    return typed_text(kind, rng).replace("'", "")  # the lexicons' rule: no apostrophes ("Ra's al Khaimah")


def _dated_thing(rng: random.Random) -> str:
    """A meeting or document people name by its month or place ("March invoice", "Lisbon contract")."""
    when = rng.choice(L.MONTHS) if rng.random() < 0.4 else _typed("city", rng)
    return f"{when} {rng.choice(_MEETINGS + _DOCUMENTS)}"


def topic(rng: random.Random) -> str:
    """What a note, a memory or a talk is about ("coral reefs", "learning the cello", "trip to Tromso", "March
    budget meeting"): thousands of them, so a catalog of a few tools does not repeat its subjects."""
    draw = rng.random()
    if draw < 0.3:
        return f"trip to {_typed('city', rng)}"
    if draw < 0.6:
        return _dated_thing(rng)
    return rng.choice(_SUBJECTS)  # the topics among them


def keyword(rng: random.Random) -> str:
    """A word or two a search in messages or posts looks for (a person, a place, "March invoice", "standing
    desk"), not a web query; drawn from thousands, so dialogues on one tool do not search for the same words."""
    draw = rng.random()
    if draw < 0.25:
        return _typed("city", rng)
    if draw < 0.45:
        return _typed("first_name", rng)
    if draw < 0.7:  # a month, not a place: a keyword stays a word or two
        return f"{rng.choice(L.MONTHS)} {rng.choice(_MEETINGS + _DOCUMENTS)}"
    return rng.choice(_SUBJECTS)


def post(rng: random.Random, about: str = "") -> str:
    """A short social post, about `about` when given ("Anyone else following ramen"), else a message."""
    if not about:
        return message(rng)
    return rng.choice(_POSTS).format(about=about)


def title(rng: random.Random) -> str:
    """A document or post title ("Lisbon Offsite Plan", "Notes on coral reefs")."""
    return rng.choice(_TITLES).format(**_slots(rng))


def free_text(rng: random.Random) -> str:
    """A value for a parameter whose name and description say nothing usable: a subject, never a web search
    ("ramen near Vancouver" as a `regions` value): a made-up query claims a meaning nothing stated."""
    return topic(rng)
