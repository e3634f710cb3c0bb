"""Versioned wording for the offline generator's three agents (user, assistant, tool-free chat).

Templates use `str.format` fields: `{action}` (an imperative request from a tool's description),
`{label}` (a parameter or field name as words), `{value}` (a value rendered so every leaf is verbatim).
Changing any text here changes the dialogues, so bump `OFFLINE_PROMPT_VERSION` with it.
"""

from __future__ import annotations

OFFLINE_PROMPT_VERSION = "offline-v2"

SYSTEM_PROMPTS = (
    "You are a helpful assistant with access to tools. Call a tool when it helps with the user's request, "
    "use only values the user gave or that earlier tool results returned, and ask when a required detail "
    "is missing.",
)

# ---------------------------------------------------------------------------------------- user agent
FIRST_REQUEST = (
    "Can you {action}?",
    "I need to {action}.",
    "Please {action}.",
    "Could you help me {action}?",
    "I'd like to {action}.",
    "Hi, could you {action}?",
    "I was hoping you could {action}.",
)
FIRST_REQUEST_AFTER_GREETING = (
    "Can you {action}?",
    "I need to {action}.",
    "Could you help me {action}?",
    "I'd like to {action}.",
    "I was hoping you could {action}.",
)
NEXT_REQUEST = (
    "Thanks. Now {action}.",
    "Great. Next, could you {action}?",
    "Perfect, could you also {action}?",
    "Based on that, please {action}.",
    "OK, following up on that, I'd like to {action}.",
    "That helps. Can you now {action}?",
    "Good. Next I need to {action}.",
)
MULTI_JOIN = (
    "first {first}, and then {second}",
    "{first}, and after that {second}",
    "{first}, and also {second}",
)
VALUE_SENTENCES = (
    "The {label} is {value}.",
    "Use {value} for the {label}.",
    "For the {label}, use {value}.",
    "{Label}: {value}.",
)
LIST_SENTENCES = ("The {label} are {value}.", "Use {value} for the {label}.", "{Label}: {value}.")
BOOLEAN_SENTENCES = ("{Label}: {value}.",)
SAME_AS_BEFORE = ("Use the same {label} as before.", "Keep the {label} from before.")
FLOW_CLAUSES = (
    "Use the {label} from that result.",
    "Take the {label} you just found.",
    "Go with the {label} from the previous step.",
)
FLOW_CLAUSES_EXPLICIT = (  # when "the {label} from that result" would point at a later or other value
    "Use the {label} {value} from the earlier result.",
    "Go with {value} for the {label}, as returned earlier.",
)
SAME_TURN_FLOW = (
    "use the {label} from it to {action}",
    "take its {label} and {action}",
)
REPEAT_REQUESTS = (
    "Could you do the same for {clause}?",
    "Now repeat that with {clause}.",
    "What about {clause} instead?",
    "And the same again, but with {clause}.",
)
PARALLEL_REPEAT = (
    "Please also do the same for {clause}.",
    "Do it once more for {clause} as well.",
)
CLARIFICATION_ANSWERS = (
    "The {label} is {value}.",
    "Sorry, I forgot: the {label} is {value}.",
    "Use {value}.",
    "Oh right, it's {value}.",
    "Sure, the {label} should be {value}.",
)
GREETINGS = ("Hi there!", "Hello!", "Good morning.", "Hey, hope you're having a good day.", "Hi, I could use some help.")
THANKS = ("Thanks, that's exactly what I needed.", "Perfect, thank you!", "Great, that's all for now. Thanks!",
          "Thank you so much for the help.", "Awesome, thanks a lot.")
SMALL_TALK = ("By the way, you're really quick at this.", "I appreciate how fast that was.",
              "This is much easier than doing it by hand.")
FOLLOW_UP_QUESTIONS = (
    "Quick question: what was the {label} again?",
    "Sorry, could you remind me of the {label}?",
    "Just to double-check, what {label} did you get?",
)
FOLLOW_UP_FALLBACK = ("Did everything go through without problems?", "Was that all processed correctly?")

# ----------------------------------------------------------------------------------- assistant agent
GREETING_REPLIES = ("Hello! What can I do for you today?", "Hi! How can I help?", "Hello, happy to help. What do you need?")
THANKS_REPLIES = ("You're welcome! Feel free to come back anytime.", "Glad I could help. Have a great day!",
                  "Anytime! Let me know if you need anything else.")
SMALL_TALK_REPLIES = ("Thank you! I'm happy to help whenever you need.", "Glad it helps! What else can I do for you?")
CLARIFICATION_QUESTIONS = (
    "Sure, I can help with that. What {label} should I use?",
    "Happy to help. Could you tell me the {label}?",
    "Before I do that, which {label} do you have in mind?",
)
BEFORE_CALLS = ("Let me check that for you.", "Sure, one moment.", "On it.", "I'll take care of that now.",
                "Let me look into that.")
BETWEEN_CALLS = ("Got it. Now I'll use that for the next step.", "That worked; continuing with the next step.")
RESULT_OPENERS = ("Here's what I found:", "Done.", "All set.", "The results are in.", "Here you go.")
RESULT_FACT = "the {label} is {value}"
RESULT_EMPTY = "The request completed successfully."
FOLLOW_UP_ANSWERS = ("The {label} was {value}.", "It was {value}.", "The {label} came back as {value}.")
FOLLOW_UP_FALLBACK_ANSWERS = ("Yes, everything went through without errors.", "Yes, all of it was processed correctly.")
