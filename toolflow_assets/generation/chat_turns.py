"""The chat turns of the template writer: greetings, thanks, small talk, a question about an earlier
result, an out-of-scope request declined, and a clarification asked and answered. Requests are composed in
`language.py` and answers to results in `answers.py`; these turns carry no call, so they live apart.
"""

from __future__ import annotations

import random
import re
from typing import Any, Sequence

from .contexts import Situation
from .language import Persona, cap, value_sentence
from ..planning.phrasing import mention, spoken_label

_GREETINGS = {
    "direct": ("Hi.", "Hello.", "Hi, I need some help.", "Morning."),
    "polite": ("Good morning! I hope you're well.", "Hello, I'd appreciate some help today.", "Good afternoon.",
               "Hello there, thank you for your time."),
    "casual": ("Hey!", "Hey there!", "Hiya.", "Yo! Got a minute?", "Hey, how's it going?"),
    "chatty": ("Hi there! Hope your day is going well.", "Hello! I have a couple of things to sort out today.",
               "Hi! I've got a little project going and could use some help.", "Hey, hope you're having a good day."),
}
_GREETING_REPLIES = ("Hello! What can I do for you?", "Hi! How can I help today?", "Hello, happy to help. What do you need?",
                     "Hi there. What are we working on?", "Good to hear from you. What do you need?",
                     "Hello! Tell me what you need and I'll take it from there.", "Hi! What's on your list today?",
                     "Hey! Ready when you are. What do you need?", "Hello. What would you like me to do?",
                     "Hi, good to see you. Where should we start?")
_TOPIC_REPLIES = ("Happy to help with the {topic}. What do you need first?", "Sure, let's sort out the {topic}. "
                  "What should I do?", "The {topic}, got it. Tell me what you need.",
                  "Okay, {topic} it is. What's the first step?")


_TOPIC_SENTENCES = ("I need a hand with {topic}.", "It's about {topic}.", "I have a question about {topic}.",
                    "I'm sorting out some {topic} stuff.", "Got a {topic} thing to deal with.",
                    "Something about {topic} today.", "I'm working on {topic} and could use help.",
                    "There's a {topic} task on my plate.", "Can we look at some {topic} things together?",
                    "I'm stuck on a {topic} question.", "Quick {topic} errand for you.")


_SITUATION_REPLIES = ("Happy to help with {purpose}. What do you need first?", "Sounds good. Where should we start "
                      "with {purpose}?", "Let's get {purpose} sorted. What's first?",
                      "Sure, I can help with {purpose}. Tell me what you need.")


def greeting(rng: random.Random, persona: Persona, topic: str = "", situation: Situation | None = None) -> tuple[str, str]:
    """A greeting, often with what the user is here for (so openings differ with the task): their situation
    when they have one to tell, which the reply takes up."""
    text = rng.choice(_GREETINGS[persona.style])
    if situation is not None and rng.random() < 0.6:
        return f"{text} {situation.sentence}", rng.choice(_SITUATION_REPLIES).format(purpose=situation.purpose)
    if topic and rng.random() < 0.7:
        text += " " + rng.choice(_TOPIC_SENTENCES).format(topic=topic)
        if rng.random() < 0.5:  # the reply takes up what the user came for
            return text, rng.choice(_TOPIC_REPLIES).format(topic=topic)
    return text, rng.choice(_GREETING_REPLIES)


_THANKS = {
    "direct": ("Thanks, that's all.", "Good, done for now.", "That's everything. Thanks.", "OK, thanks.",
               "Fine, thanks.", "Done. Thanks."),
    "polite": ("Thank you very much, that's exactly what I needed.", "Many thanks for your help.",
               "Thank you, that covers everything.", "I really appreciate it, thank you.", "Thank you kindly."),
    "casual": ("Awesome, thanks!", "Sweet, thanks a bunch.", "Cheers, that's it.", "Nice one, thanks!",
               "Legend, thanks.", "Perfect, ta!"),
    "chatty": ("Thank you so much, this saved me a lot of time!", "That's perfect, thanks for walking me through it.",
               "Brilliant, thanks! That's all for today.", "You've been a big help, thank you!",
               "Wonderful, I feel much more organised now."),
}
_THANKS_TAILS = ("", "", "The {topic} part is sorted now.", "I'll handle the rest of the {topic} myself.",
                 "That {topic} question was bugging me.", "Have a good one.", "Talk soon.",
                 "I'll come back if anything else about {topic} comes up.", "That's all I needed on {topic}.")
_THANKS_WITH_FACT = ("Thanks, knowing the {label} helps a lot.", "Great, the {label} was what I was after.",
                     "I'll note down the {label}, thanks.", "Perfect, I'll keep that {label} handy.",
                     "Good to have the {label}, cheers.", "The {label} is exactly what I needed, thanks.",
                     "With that {label} I can carry on. Thanks!", "Okay, I'll pass the {label} on. Thanks!",
                     "That {label} settles it, thank you.", "Noted the {label}. That's all for now.",
                     "Got the {label}, which is what I came for. Thanks.")
_WELCOMES = ("You're welcome", "Glad I could help", "Anytime", "Happy to help", "My pleasure", "No problem",
             "Glad that worked out", "Sure thing", "Of course", "Good to hear", "Great", "Nice working with you",
             "Always happy to", "You got it")
_WISHES = ("Come back anytime.", "Have a great day!", "Let me know if you need anything else.",
           "Good luck with the rest!", "Take care!", "", "Enjoy the rest of your day.", "Good luck with the {topic}.",
           "Hope the {topic} goes smoothly.", "Ping me if anything else comes up.", "See you next time.",
           "Good luck sorting out the rest.", "I'm here if the {topic} needs more work.", "Have a good evening.",
           "Shout if anything looks off.", "Enjoy the rest of the week.")


_PURPOSE_TAILS = ("That's {purpose} sorted.", "That's everything I needed for {purpose}.",
                  "That should do for {purpose}.", "Now I can get on with {purpose}.")
_PURPOSE_WISHES = ("Good luck with {purpose}!", "Hope all goes well with {purpose}.", "I hope that helps with {purpose}.")


def _thanks_reply(rng: random.Random, topic: str, purpose: str = "") -> str:
    if purpose and rng.random() < 0.5:
        wish = rng.choice(_PURPOSE_WISHES).format(purpose=purpose)
        return f"{rng.choice(_WELCOMES)}{rng.choice(('!', '.'))} {wish}"
    wishes = [w for w in _WISHES if topic or "{topic}" not in w]
    wish = rng.choice(wishes).format(topic=topic)
    return f"{rng.choice(_WELCOMES)}{rng.choice(('!', '.'))} {wish}".strip()


def thanks(rng: random.Random, persona: Persona, fact_label: str | None, topic: str = "",
           purpose: str = "") -> tuple[str, str]:
    """Thanks and a reply; `purpose`, the situation the user told, is what they thank for now and then."""
    if fact_label and rng.random() < 0.35:
        text = rng.choice(_THANKS_WITH_FACT).format(label=fact_label)
    else:
        text = rng.choice(_THANKS[persona.style])
    tail = rng.choice(_PURPOSE_TAILS).format(purpose=purpose) if purpose and rng.random() < 0.5 \
        else rng.choice(_THANKS_TAILS)
    if tail and (topic or "{topic}" not in tail):
        text += " " + tail.format(topic=topic)
    return text, _thanks_reply(rng, topic, purpose)


_SMALL_TALK = ("By the way, you're really quick at this.", "This is much easier than doing it by hand.",
               "I appreciate how fast that was.", "Honestly, this is saving my afternoon.",
               "Nice, you make this look easy.", "Ha, I should have asked you sooner.",
               "I used to do all of this in a spreadsheet.", "You have no idea how long this took me last time.",
               "Sorry, I'm juggling a few things at once today.", "Wow, that was painless.",
               "My coffee is still hot and we're almost done.", "Okay, one sec, my cat just walked across the keyboard.",
               "I was dreading this, but it's going fine.", "Good, this is quicker than I expected.",
               "Hang on, let me find my notes.", "Nice. My to-do list is getting shorter.",
               "I wish every tool worked like this.", "Sorry for the back and forth today.",
               "That's one less thing to worry about.", "Thanks for bearing with me.",
               "I'm learning a lot just watching this.", "Phew, we're getting there.",
               "Love how little typing this takes.")
_SMALL_TALK_REPLIES = ("Thank you! Happy to help whenever you need.", "Glad it helps! What else can I do for you?",
                       "Thanks! Let me know what's next.", "Happy to hear that. Anything else?",
                       "That's kind of you. What should we do next?", "Thanks, glad it's useful. Shall we continue?",
                       "Good to hear! Anything else on your list?", "Ha, I'll take that. What's next?",
                      "Thanks. Ready for the next one when you are.", "Cheers! What else is on the list?")


def small_talk(rng: random.Random) -> tuple[str, str]:
    return rng.choice(_SMALL_TALK), rng.choice(_SMALL_TALK_REPLIES)


_FOLLOW_UPS = ("Quick question: what was the {label} again?", "Sorry, could you remind me of the {label}?",
               "Just to double-check, what {label} did you get?", "Wait, what was the {label}?",
               "Can you repeat the {label} for me?", "Remind me, which {label} came back?",
               "The {label} was what, again?", "Hold on, which {label} was it?", "{Label}, what was that again?",
               "I missed the {label}. What was it?")
_FOLLOW_UP_ANSWERS = ("The {label} was {value}.", "It was {value}.", "The {label} is {value}, as the result said.",
                      "That was {value}.", "According to the last result, it's {value}.", "Sure: the {label} is {value}.",
                      "No problem, it's {value}.", "The result listed {value} as the {label}.",
                      "Here it is again: {value}.", "It came back as {value}.")


def follow_up(rng: random.Random, what: str, value: str) -> tuple[str, str]:
    return (rng.choice(_FOLLOW_UPS).format(label=what, Label=cap(what)),
            cap(rng.choice(_FOLLOW_UP_ANSWERS).format(label=what, value=value)))


_OUT_OF_SCOPE = ("Also, could you {task}?", "Oh, and can you {task} while you're at it?", "Can you {task} too?",
                 "One unrelated thing: could you {task}?", "Random question, but can you {task}?",
                 "Before I forget, I need someone to {task}. Can you?", "Is it possible for you to {task}?",
                 "Hmm, and could you {task} later today?")
OUT_OF_SCOPE_TASKS = ("book me a taxi to the airport", "order flowers for my mother", "call my bank for me",
                      "send a fax to my landlord", "renew my passport", "print these documents",
                      "pick up my dry cleaning", "set an alarm on my phone", "water my plants while I'm away",
                      "transfer money from my account to a friend", "cook dinner for tonight",
                      "fix my car's brakes", "walk my dog this evening", "sign a contract on my behalf",
                      "make a restaurant reservation by phone", "mail a package to my sister",
                      "hack into my old email account", "cancel my gym membership in person",
                      "pick up my kids from school", "fix the leak under my sink", "drive me to the station",
                      "repaint my living room", "babysit my nephew", "buy groceries and bring them over",
                      "take my car in for a service", "feed my cat", "assemble my new bookshelf")
_DECLINES = ("I'm sorry, I can't {task}: none of my tools does that. I can help with what we've been doing, though.",
             "That's outside what I can do here; I have no tool to {task}. Anything else on the current task?",
             "Unfortunately I can't {task} with the tools I have. Is there something else I can help with?",
             "I'm not able to {task}, I'm afraid; that needs someone in person or a tool I don't have.",
             "Sorry, I can't {task} from here. I can keep going with the rest, though.",
             "That one's beyond me: I have no way to {task}. Want to continue with what we were doing?",
             "I can't {task}, unfortunately. My tools only cover what we've been working on.")


def out_of_scope(rng: random.Random, task: str) -> tuple[str, str]:
    # the assistant speaks to the user: "book me a taxi" is declined as "book you a taxi"
    theirs = re.sub(r"\bme\b", "you", re.sub(r"\bmy\b", "your", task))
    return rng.choice(_OUT_OF_SCOPE).format(task=task), rng.choice(_DECLINES).format(task=theirs)


_CLARIFY = ("Sure, I can help with that. What {label} should I use?", "Happy to help. Could you tell me the {label}?",
            "Before I do that, which {label} do you have in mind?", "I can do that. Which {label} should it be?",
            "Got it. What's the {label}?", "One thing first: what {label} would you like?",
            "I just need the {label} before I start. What is it?", "Almost there: which {label} should I go with?",
            "To do that I need the {label}. Could you share it?", "Sure. What {label} are we talking about?")
_CLARIFY_ANSWERS = ("The {label} is {value}.", "Sorry, I forgot: the {label} is {value}.", "Use {value}.",
                    "Oh right, it's {value}.", "Sure, the {label} should be {value}.", "{value}, please.",
                    "Make it {value}.", "Good point, go with {value}.", "Oops. {value}.", "Let's say {value}.",
                    "It's {value}, sorry about that.", "Right, the {label}: {value}.")


def clarification_question(rng: random.Random, labels: Sequence[str]) -> str:
    return rng.choice(_CLARIFY).format(label=" and the ".join(labels))


def clarification_answer(rng: random.Random, name: str, value: Any) -> str:
    words = spoken_label(name)
    if isinstance(value, bool):
        return value_sentence(rng, name, value)
    return cap(rng.choice(_CLARIFY_ANSWERS).format(label=words, Label=cap(words), value=mention(value)))
