"""Versioned wording the offline generator still takes from here: how a request points back at an earlier
value or result. The rest of its language (requests, answers, chat) is composed in `language.py`.

Templates use `str.format` fields: `{action}` (an imperative request from a tool's description),
`{label}` (a parameter or field name as words), `{value}` (a value rendered so every leaf is verbatim).
Changing any text here changes the dialogues, so bump `OFFLINE_PROMPT_VERSION` with it.
"""

from __future__ import annotations

import random

OFFLINE_PROMPT_VERSION = "offline-v10"

SAME_AS_BEFORE = ("Use the same {label} as before.", "Keep the {label} from before.", "Same {label} as earlier.",
                  "Stick with the same {label} as last time.", "The {label} stays the same as before.",
                  "Reuse the {label} from earlier.")
# "<lead> <reference>": every reference is one the reference finder reads (toolflow_assets.references), so the
# stale-reference check can verify what it points at
FLOW_LEADS = ("Use", "Take", "Go with", "Plug in", "Reuse", "Pass in", "Work from", "Start from")
FLOW_REFERENCES = ("the {label} from that result", "the {label} you just found", "the {label} from the previous step",
                   "the {label} you got", "the {label} from the last step", "the {label} we just got",
                   "the {label} you just looked up", "the {label} from the last result", "that {label} you found")
FLOW_CLAUSES_EXPLICIT = (  # when "the {label} from that result" would point at a later or other value
    "Use the {label} {value} from the earlier result.",
    "Go with {value} for the {label}, as returned earlier.",
    "The {label} should be {value}, from the earlier result.",
    "Take {value}, the {label} that came back earlier.",
)
# an element of a returned list of plain values (`current_directory_content[]`) is its first one: said so, not
# as "the current directory content"
LISTED_FLOW_CLAUSES = ("Take {value}, the first one it listed.", "Use {value}, the first on that list.",
                       "Go with {value}, first in the list.", "Start with {value}, the first one listed.")
# or pointed at without its name, as people do after reading a listing: the assistant has to read it
LISTED_FLOW_IMPLICIT = ("Take the first one it listed.", "Use the first one on that list.",
                        "Go with the first one in the list.", "Start with the first one it listed.")
LISTED_IMPLICIT_SHARE = 0.6
SAME_TURN_LISTED = ("take the first one it lists and {action}", "{action} with the first one it lists",
                    "pick the first one listed and {action}")
SAME_TURN_FLOW = (
    "use the {label} from it to {action}",
    "take its {label} and {action}",
    "{action} with the {label} that comes back",
    "feed its {label} in and {action}",
    "pass its {label} on to {action}",
)


def flow_clause(rng: random.Random, label: str) -> str:
    """"Use the value you just found." and the like: a lead and a reference, both drawn."""
    reference = rng.choice(FLOW_REFERENCES).format(label=label)
    if rng.random() < 0.1:
        return f"{reference[0].upper()}{reference[1:]} {rng.choice(('goes in here', 'is the one to use'))}."
    return f"{rng.choice(FLOW_LEADS)} {reference}."
