"""The assistant's answers tell what the user asked for, not every field of the result."""

from __future__ import annotations

import json
import random

from toolflow_assets.generation.answers import ResultView, answer, result_sentence
from toolflow_assets.generation.result_views import facts_of, result_view
from toolflow_assets.mentions import mention_index
from toolflow_assets.tools import Tool


def _tool(name: str, description: str, properties: dict) -> Tool:
    return Tool(tool_id=name, name=name, description=description,
                parameters={"type": "object", "properties": properties}, returns=None, source="t",
                source_format="openai", category="t")


SEND = _tool("send_message", "Send a message to a user.", {"receiver_id": {"type": "string"}, "message": {"type": "string"}})
REPLACE = _tool("archival_memory_replace", "Replace a key-value pair in the long-term memory with a new value.",
                {"key": {"type": "string"}, "value": {"type": "string"}})
SEARCH = _tool("search_messages", "Search for messages containing a keyword.", {"keyword": {"type": "string"}})


def test_a_send_is_confirmed_with_its_new_id_and_nothing_it_only_restates():
    arguments = {"receiver_id": "USR-2", "message": "See you at noon"}
    result = {"sent_status": True, "message": "Message sent successfully.", "message_id": 83495, "receiver_id": "USR-2"}
    view = result_view(SEND, result, arguments, (), mention_index(["Send 'See you at noon' to USR-2"]))
    assert (view.kind, view.facts) == ("create", (("message id", "83495"),))
    said = {result_sentence(random.Random(seed), view) for seed in range(30)}
    assert all("83495" in s for s in said) and len(said) > 3
    assert not [s for s in said if "successfully" in s or "sent status" in s or "USR-2" in s]


def test_a_change_says_what_it_changed_as_the_user_named_it():
    said = mention_index(["Replace the entry for key ID-77 in long-term memory."])
    view = result_view(REPLACE, {"status": "pending"}, {"key": "ID-77", "value": "piano lessons"}, (), said)
    assert (view.kind, view.noun, view.target, view.facts) == ("change", "key-value pair", "key ID-77", ())
    texts = {result_sentence(random.Random(seed), view) for seed in range(30)}
    assert any("key ID-77" in t for t in texts) and not any("pending" in t for t in texts)
    # an argument nobody said (a default the assistant filled in) is never named
    unsaid = result_view(REPLACE, {"status": "pending"}, {"key": "ID-77", "value": "x"}, (), mention_index([]))
    assert unsaid.target == ""


def test_a_search_tells_its_count_and_top_match_even_when_the_match_holds_nothing_new():
    result = {"results": [{"message": "Dinner at eight", "receiver_id": "USR-9"}, {"receiver_id": "USR-3"}]}
    view = result_view(SEARCH, result, {"keyword": "dinner"}, (), mention_index(["dinner"]))
    assert view.count == 2 and view.facts[0] == ("message", '"Dinner at eight"')
    empty_match = ResultView("search", "messages", "searched", (), count=3)
    assert all("3" in result_sentence(random.Random(seed), empty_match) for seed in range(10))


def test_fields_a_later_call_reads_are_told_unless_they_echo_the_call():
    result = {"id": 5, "username": "kim", "content": "hi"}
    told = facts_of(result, {"username": "kim"}, limit=1, first=[("username", "kim"), ("id", "5")])
    assert told[0] == ("id", "5") and ("username", "kim") not in told


def test_answers_use_no_filler_verbs():
    views = [ResultView("read", "memory", "read", (("value", "piano lessons"), ("key", "ID-3"))),
             ResultView("compute", "area", "calculated", (("area", "12.5"),)),
             ResultView("create", "tweet", "posted", (("id", "32228"),), verb="post")]
    texts = {answer(random.Random(seed), views) for seed in range(60)}
    fillers = ("came back as", "turned out to be", "is listed as", "it lists the", "is given as", "is set to")
    assert not [t for t in texts if any(f in t for f in fillers)]
    assert all("piano lessons" in t and "12.5" in t and "32228" in t for t in texts)


def test_a_whole_number_in_a_result_reads_as_the_writer_says_it():
    from toolflow_assets.generation.offline import whole_numbers

    assert whole_numbers({"distance": 24.0, "items": [1.5, 2.0], "ok": True}) == {"distance": 24, "items": [1.5, 2],
                                                                                   "ok": True}


def test_a_change_may_be_asked_for_as_the_outcome_wanted_and_an_order_otherwise():
    from toolflow_assets.generation.goal_forms import outcome_form

    wanted = {outcome_form(random.Random(seed), "polite", "replace a key-value pair in the long-term memory")
              for seed in range(30)}
    assert all(w and "a key-value pair" in w and " in the long-term memory" in w for w in wanted) and len(wanted) > 4
    assert outcome_form(random.Random(0), "direct", "retrieve the value for key K") is None  # nobody wants it "retrieved"
    # a participle already after the object has no room for another: never "the latest message deleted sent to"
    assert outcome_form(random.Random(0), "direct", "delete the latest message sent to receiver R-1") is None


def test_a_lookup_is_asked_as_a_question_only_where_one_reads_right():
    from toolflow_assets.generation.language import Persona, _need_form

    persona = Persona("direct", "normal")
    linked = {_need_form(random.Random(seed), persona, "get the value linked to key K-1") for seed in range(60)}
    assert any(f.startswith("What") for f in linked)
    bare = {_need_form(random.Random(seed), persona, "get the tweet id 3598") for seed in range(60)}
    assert not any(f.startswith(("What", "Any idea", "Do you know")) for f in bare)


def test_a_tool_named_without_a_verb_is_spoken_of_in_its_description_words():
    from toolflow_assets.generation.result_views import noun_phrase

    sphere = _tool("calcVolume_sphere", "Calculate the volume of a sphere.", {"radius": {"type": "number"}})
    assert noun_phrase(sphere) == "volume of a sphere"  # never "the volume sphere"
    lyrics = _tool("get_song_lyrics", "Get the lyrics of a song based on its title.", {})
    assert noun_phrase(lyrics) == "lyrics of a song"
    assert noun_phrase(SEND) == "message"  # a name that reads right keeps its words


def test_calls_that_did_the_same_thing_share_one_sentence():
    views = [ResultView("change", "key-value pair", "replaced", (), scope=f"key ID-{n}") for n in (1, 2)]
    views.append(ResultView("read", "memory", "read", (("value", "piano lessons"),)))
    texts = {answer(random.Random(seed), views) for seed in range(30)}
    assert all(t.count("replaced") == 1 and "ID-1" in t and "ID-2" in t and "piano lessons" in t for t in texts)


def test_a_quoted_message_stays_whole_in_the_outcome_wanted():
    from toolflow_assets.generation.goal_forms import outcome_form

    action = 'send the message "Dinner at Green Leaf Cafe tomorrow at 10 am" to a user'
    for seed in range(20):
        wanted = outcome_form(random.Random(seed), "direct", action)
        assert wanted is None or '"Dinner at Green Leaf Cafe tomorrow at 10 am"' in wanted


def test_housekeeping_fields_are_told_only_when_nothing_wanted_is_left():
    result = {"last_update": "2026-04-30T17:30:00Z", "title": "Cup final", "etag": "E-1", "venue": "Wembley"}
    assert facts_of(result, {}, limit=2) == [("title", "Cup final"), ("venue", "Wembley")]
    assert facts_of({"last_update": "2026-04-30T17:30:00Z"}, {}, limit=2) == [("last update", "2026-04-30T17:30:00Z")]


def test_two_sends_of_one_round_are_told_in_one_sentence_each_id_beside_its_call():
    from toolflow_assets.generation.text_sense import degenerate

    views = [ResultView("create", "email", "sent", (("email id", f"EMA-{n}"),), scope=f"to {who}", verb="send")
             for n, who in ((28994, "michael12@example.com"), (3963, "louis55@example.org"))]
    for seed in range(30):
        text = answer(random.Random(seed), views)
        assert text.count("sent") == 1 and text.lower().count("email id") == 1, text
        # each id stays beside the call it answers
        assert text.index("EMA-28994") < text.index("louis55@example.org"), text
        values = ("EMA-28994", "EMA-3963", "michael12@example.com", "louis55@example.org")
        assert degenerate("So, " + text, values, text) is None, text


def test_yes_no_facts_are_said_as_states_not_dictated():
    # "Active: no and group ...", "has outrights: yes", "(active yes, has outrights yes)" before
    sports = _tool("Live_Sports_Odds_v4_sports", "Returns a list of available sports and tournaments.",
                   {"all": {"type": "boolean"}})
    view = result_view(sports, {"key": "tennis", "active": False, "has_outrights": True}, {}, (), mention_index([]))
    texts = {result_sentence(random.Random(seed), view) for seed in range(40)}
    assert all("tennis" in t for t in texts)
    told = [t for t in texts if "active" in t or "outrights" in t]
    assert told and all("isn't active" in t or "has outrights" in t for t in told), told
    assert not [t for t in texts if ": yes" in t or ": no" in t or "active no" in t or "outrights yes" in t]
    # a field that names a thing keeps its label: "it's sent status" would be no English
    single = ResultView(kind="read", noun="message", past="", facts=(("sent status", "yes"),))
    assert result_sentence(random.Random(1), single) == "Sent status: yes."


def test_a_value_that_starts_a_scoped_answer_keeps_its_case():
    # "For id DNA-2: tTGACCA is the sequence": the value was lower-cased after the scope's lead
    views = [ResultView(kind="read", noun="DNA sequence", past="", facts=(("sequence", value),), scope=scope)
             for value, scope in (("AGCGGGAAGG", "id DNA-1"), ("TTGACCA", "id DNA-2"))]
    texts = {answer(random.Random(seed), views) for seed in range(80)}
    assert all("AGCGGGAAGG" in t and "TTGACCA" in t for t in texts), \
        [t for t in texts if "AGCGGGAAGG" not in t or "TTGACCA" not in t]


def test_a_change_is_told_by_what_it_changed_not_by_its_credentials_or_a_place_phrase():
    update = _tool("updateUserProfile", "Update the profile of a user.", {
        "accessToken": {"type": "string"}, "userId": {"type": "string"}, "bio": {"type": "string"}})
    said = mention_index(["Update USE-1 with my token ACC-64803."])
    view = result_view(update, {"success": True}, {"accessToken": "ACC-64803", "userId": "USE-1"}, (), said)
    assert view.changed == ""  # 'User id USE-1 is updated and now reads "ACC-64803"' before
    create = _tool("create_project", "Creates a new project within the system.", {"name": {"type": "string"}})
    view = result_view(create, {"project_id": "PRO-1"}, {"name": "Pioneer"}, (), mention_index(["Pioneer"]))
    assert view.noun == "project"  # "Within system created: its project id is PRO-1" before


def test_a_label_that_is_a_verb_phrase_is_said_as_one():
    view = ResultView(kind="read", noun="access token", past="", facts=(("expires in", "66"), ("token type", "bearer")))
    texts = {result_sentence(random.Random(seed), view) for seed in range(30)}
    assert all("expires in 66" in t for t in texts) and not [t for t in texts if "expires in is" in t], texts


def test_a_value_woven_into_a_change_stays_whole_in_its_outcome_form():
    """"trip to Leland" is one value: its "to" is no preposition to put the participle before."""
    from toolflow_assets.generation.goal_forms import outcome_form

    action = "add the default value trip to Leland to a dictionary"
    forms = {outcome_form(random.Random(seed), "polite", action, ["trip to Leland"]) for seed in range(20)}
    assert all(f and "the default value trip to Leland added to a dictionary" in f for f in forms)


SCORES = _tool("get_scores", "Get the scores for a sport.", {"sport": {"type": "string"}, "daysFrom": {"type": "integer"}})


def test_a_lookup_answer_may_name_what_was_asked_about_and_never_twice():
    said = mention_index(["Scores for tennis over 3 days, please."])
    view = result_view(SCORES, {"home_team": "Lakers", "completed": False, "commence_time": "19:45"},
                       {"sport": "tennis", "daysFrom": 3}, (), said)
    assert view.about == "tennis"  # the word argument the user said, not the count of days
    texts = [result_sentence(random.Random(seed), view) for seed in range(40)]
    named = [t for t in texts if "tennis" in t]
    assert 0 < len(named) < len(texts)  # now and then, as people do
    assert all(any(v in t for _, v in view.facts) for t in named)  # still tells the value asked for
    # an unsaid argument is not named, and a result that tells the thing already needs no "For tennis, ..."
    assert result_view(SCORES, {"home_team": "Lakers"}, {"sport": "tennis"}, (), mention_index([])).about == ""
    echoed = result_view(SCORES, {"sport_title": "tennis", "home_team": "Lakers"}, {"sport": "tennis"}, (), said)
    assert ("sport title", "tennis") in echoed.facts and echoed.about == ""


def test_an_acted_on_thing_is_named_by_the_thing_not_its_id_field():
    delete = _tool("delete_message", "Delete the latest message sent to a receiver.", {"receiver_id": {"type": "string"}})
    view = result_view(delete, {"deleted_status": True}, {"receiver_id": "USR-2"}, (), mention_index(["USR-2"]))
    assert view.target == "receiver USR-2"  # "for receiver USR-2", never "for receiver id USR-2"
    texts = {result_sentence(random.Random(seed), view) for seed in range(30)}
    assert any("receiver USR-2" in t for t in texts) and not [t for t in texts if "receiver id" in t]


def test_a_lists_first_item_is_named_by_its_own_word_and_an_id_keeps_its_label():
    named = ResultView(kind="search", noun="sports", past="", facts=(("title", "Unibet"),), count=3, listing=True)
    texts = {result_sentence(random.Random(seed), named) for seed in range(30)}
    assert all("Unibet" in t and "title Unibet" not in t for t in texts), texts  # "led by Unibet"
    coded = ResultView(kind="search", noun="keys", past="", facts=(("key", "ID-7"),), count=3)
    assert all("key ID-7" in result_sentence(random.Random(seed), coded) for seed in range(30))


def test_a_store_listed_by_id_is_told_by_its_keys_verbatim():
    # core_memory_retrieve_all answers {"ID-21281": "..."}: "The id 21281 is ..." lost the key's letters, and
    # assistant_claims could not see a key as something the tool said
    from toolflow_assets.quality.semantic import check_assistant_claims

    listing = {"ID-21281": "Can we push the dentist appointment", "ID-21788": "Please review the report"}
    facts = facts_of(listing, {})
    assert facts[0] == ("entry ID-21281", '"Can we push the dentist appointment"')
    call = {"id": "c1", "type": "function", "function": {"name": "core_memory_retrieve_all", "arguments": "{}"}}
    messages = [{"role": "user", "content": "What's in my core memory?"},
                {"role": "assistant", "content": None, "tool_calls": [call]},
                {"role": "tool", "tool_call_id": "c1", "content": json.dumps(listing)},
                {"role": "assistant", "content": 'Entry ID-21281 is "Can we push the dentist appointment".'}]
    assert check_assistant_claims(messages) == []
    messages[-1] = {"role": "assistant", "content": "Entry ID-99999 is there too."}
    assert check_assistant_claims(messages)  # a key no tool listed is still a claim
