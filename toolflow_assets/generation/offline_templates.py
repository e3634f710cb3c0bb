"""Versioned wording the offline generator still takes from here: how a request points back at an earlier
value or result. The rest of its language (requests, answers, chat) is composed in `language.py`.

Templates use `str.format` fields: `{action}` (an imperative request from a tool's description),
`{label}` (a parameter or field name as words), `{value}` (a value rendered so every leaf is verbatim).
Changing any text here changes the dialogues, so bump `OFFLINE_PROMPT_VERSION` with it.
"""

from __future__ import annotations

OFFLINE_PROMPT_VERSION = "offline-v2"

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
