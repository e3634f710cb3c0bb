"""The check on brand-like names of things nobody names like a brand (quality/named_values)."""

from __future__ import annotations

import json

from toolflow_assets.quality.named_values import check_named_values, dressed_noun


def _dialogue(result: dict) -> list[dict]:
    return [{"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
                "name": "lookup", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": json.dumps(result)}]


def test_a_family_name_before_the_fields_words_is_flagged_for_a_thing_nobody_names_so():
    # values of an old run, each a family name plus its own field's or record's words
    assert dressed_noun("Pitts Rectangle Property", ("rectangle_property",)) == "rectangle property"
    assert dressed_noun("Tate Genetic Trait", ("genetic_traits", "name")) == "genetic trait"
    assert dressed_noun("Garcia Presence", ("user_presence",)) == "presence"
    assert dressed_noun("Abbott Users Conversation", ("users_conversations", "name")) == "users conversation"
    reasons = check_named_values(_dialogue({"genetic_traits": [{"trait_id": "T-1", "name": "Tate Genetic Trait"}]}))
    assert len(reasons) == 1 and "genetic_traits.name" in reasons[0] and "Tate Genetic Trait" in reasons[0]


def test_names_of_things_people_name_and_names_that_say_more_than_the_field_pass():
    assert dressed_noun("Garcia Bakery", ("bakeries", "name")) is None  # a bakery is named like a brand
    assert dressed_noun("Real Madrid", ("team_name",)) is None  # not the field's words
    assert dressed_noun("Annual Report", ("report_title",)) is None  # no person's name before them
    assert dressed_noun("primary genetic trait", ("genetic_traits", "name")) is None  # a plain description
    assert dressed_noun("Tate Genetic Trait", ("summary",)) is None  # says more than its field
    assert check_named_values(_dialogue({"shops": [{"name": "Walker Shop"}], "count": 1})) == []
