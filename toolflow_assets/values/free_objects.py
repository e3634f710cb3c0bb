"""The fields of a free-form object: what a person puts in an object whose schema declares no properties.

`updateUserProfile(profileData={})` declares only `type: object`. A placeholder key (`{"profileData_1": "Lima"}`,
which the user then voiced as "profile data profile data 1 Lima") teaches nothing; a person fills such an
object with the fields the parameter is about: a profile's display name, job title and city; a filter's status
and category; metadata's source and tag. `free_fields` names them, each with a small schema, so the Synthesizer
draws their values by the same name hints as any other value.
"""

from __future__ import annotations

import random
from typing import Any

from ..mentions import name_tokens

_TEXT: dict[str, Any] = {"type": "string"}
_SOURCES = ("web", "mobile app", "email", "import", "api", "partner referral")
_LANGUAGES = ("en", "es", "fr", "de", "pt", "ja")

# (words of the parameter's name, its fields): first match wins, so specific kinds come before generic ones
_KINDS: list[tuple[frozenset[str], tuple[tuple[str, dict[str, Any]], ...]]] = [
    (frozenset({"profile", "bio"}),
     (("display_name", _TEXT), ("job_title", _TEXT), ("city", _TEXT))),
    (frozenset({"address", "shipping", "billing"}),
     (("street", _TEXT), ("city", _TEXT), ("postcode", _TEXT))),
    (frozenset({"contact", "customer", "recipient", "person", "member", "owner", "user", "sender"}),
     (("name", _TEXT), ("email", _TEXT), ("phone", _TEXT))),
    (frozenset({"coordinates", "coordinate", "coords", "geo", "point", "position", "location"}),
     (("latitude", {"type": "number", "minimum": -60, "maximum": 70}),
      ("longitude", {"type": "number", "minimum": -170, "maximum": 170}))),
    (frozenset({"filter", "filters", "criteria", "criterion", "conditions", "condition", "where", "constraints"}),
     (("status", _TEXT), ("category", _TEXT), ("min_price", {"type": "number", "minimum": 5, "maximum": 200}))),
    (frozenset({"metadata", "meta", "tags", "labels", "annotations", "attributes", "attrs", "extra"}),
     (("source", {"type": "string", "enum": list(_SOURCES)}), ("tag", _TEXT), ("author", _TEXT))),
    (frozenset({"headers", "header"}),
     (("Accept", {"type": "string", "enum": ["application/json"]}),
      ("User-Agent", {"type": "string", "enum": ["toolflow-client/1.0"]}))),
    (frozenset({"settings", "setting", "preferences", "preference", "prefs", "options", "config", "configuration",
                "params", "parameters"}),
     (("language", {"type": "string", "enum": list(_LANGUAGES)}), ("timezone", _TEXT),
      ("notifications_enabled", {"type": "boolean"}))),
]
# what any other object is about: a name and a state of the thing it describes; with no thing named (`updates`),
# a state and a note of what changed
_GENERIC = (("name", _TEXT), ("status", _TEXT))
_UNNAMED = (("status", _TEXT), ("note", _TEXT))
_VAGUE = frozenset("data payload body details detail info information fields updates update changes object item "
                   "record values value input request params content properties new dict dictionary map mapping json obj "
                   "kwargs".split())


def free_fields(name: str, rng: random.Random) -> list[tuple[str, dict[str, Any], str]]:
    """(key, schema, description) of two or three fields for a free-form object named `name`: the fields of
    its kind (a profile, an address, filters, metadata, settings...), else a name and a status of the thing
    its name says it is about ("name of the project" for `project_data`), a status and a note where it names
    none (`updates`). Where a kind has three fields,
    the third is left out now and then, as people do."""
    words = [w for w in name_tokens(str(name or "")) if not w.isdigit()]
    word_set = set(words)
    for keys, fields in _KINDS:
        if word_set & keys:
            chosen = list(fields) if len(fields) < 3 or rng.random() < 0.6 else list(fields[:2])
            return [(key, schema, "") for key, schema in chosen]
    things = [w for w in words if w not in _VAGUE]
    if not things:
        return [(key, schema, "") for key, schema in _UNNAMED]
    return [(key, schema, f"name of the {things[-1]}" if key == "name" else "") for key, schema in _GENERIC]
