"""Grammar the template writer gets right: articles that agree with the next word, and free text quoted."""

from __future__ import annotations

import random
import re

from toolflow_assets.generation.answers import ResultView, answer, result_sentence
from toolflow_assets.generation.language import Persona, value_clause
from toolflow_assets.planning.phrasing import action_phrase, agree_articles, mention
from toolflow_assets.tools import Tool


def test_articles_agree_with_the_word_after_them() -> None:
    assert agree_articles("transfer a amount from one account") == "transfer an amount from one account"
    assert agree_articles("get an user by a id") == "get a user by an id"
    assert agree_articles("a URL, an API key, an SMS, a unique id, a one-way trip, an hour") == \
        "a URL, an API key, an SMS, a unique id, a one-way trip, an hour"
    assert agree_articles("Plan A is fine; vitamin A and a b") == "Plan A is fine; vitamin A and a b"


def test_a_description_with_a_wrong_article_becomes_a_correct_request() -> None:
    tool = Tool(tool_id="t", name="bank_transfer", description="Transfer a amount from one account to another.",
                parameters={"type": "object", "properties": {}}, returns=None, source="s", source_format="openai",
                category="c")
    assert action_phrase(tool).startswith("transfer an amount")


def test_labels_take_the_article_they_need_in_values_and_answers() -> None:
    rng = random.Random(0)
    persona = Persona(style="direct", verbosity="terse")
    texts = {value_clause(rng, persona, [("amount", 12), ("user_id", "U-1")])[0] for _ in range(200)}
    assert any("an amount of 12" in t for t in texts) and not any("a amount" in t for t in texts)
    view = ResultView(kind="compute", noun="area", past="computed", facts=(("area", "615.75"),))
    answers = {result_sentence(rng, view) for _ in range(200)}
    assert "I get an area of 615.75." in answers and not any("a area" in a for a in answers)


def test_a_message_is_quoted_and_a_name_is_not() -> None:
    assert mention("Please review the draft") == '"Please review the draft"'
    assert mention("John Wolf") == "John Wolf" and mention("New York City") == "New York City"
    assert mention("travel insurance") == "travel insurance"
    assert mention(["Ship it today please", "ok"]) == '"Ship it today please" and ok'


def test_a_request_says_a_description_in_other_words_and_keeps_its_grammar() -> None:
    from toolflow_assets.generation.language import request_head

    rng = random.Random(3)
    action = "retrieve the value associated with a key from the short-term memory"
    heads = {request_head(rng, Persona(style=s, verbosity="normal"), [action], first_turn=f)
             for s in ("direct", "polite", "casual", "chatty") for f in (True, False) for _ in range(40)}
    assert any("linked to a key" in h or "tied to a key" in h for h in heads)
    sentences = [part.strip() for h in heads for part in re.split(r"(?<=[.!?:])\s+", h)]
    assert any(p.startswith("From the short-term memory, ") for p in sentences), "a closing place phrase sometimes leads"
    # it only ever leads a sentence: never "Could you please from the short-term memory, …"
    assert not [h for h in heads if re.search(r"\b(?:to|please|you|me|we|us|wanna|,) from the short-term", h, re.I)]


def test_search_answers_keep_their_grammar() -> None:
    rng = random.Random(5)
    one = ResultView(kind="search", noun="verses", past="found", facts=(("author", "Bryan Anderson"),), count=1)
    many = ResultView(kind="search", noun="servers", past="found", facts=(("id", "SER-52811"),), count=3)
    singles = {result_sentence(rng, one) for _ in range(200)}
    several = {result_sentence(rng, many) for _ in range(200)}
    assert not [t for t in singles if "1 " in t or "results" in t or "entries" in t]  # never "1 verses results"
    assert not [t for t in several if "servers results" in t]
    # after "one with" / "has" / "starting with" comes a noun phrase, never a clause
    assert not [t for t in singles | several
                if re.search(r"(?:with|has) (?:the \w+ (?:is|came back as|comes to|shows|reads)|\w+:)", t)], \
        sorted(singles | several)


def test_two_results_of_one_tool_say_which_call_each_answers() -> None:
    rng = random.Random(2)
    views = [ResultView(kind="compute", noun="time", past="computed", facts=(("time", "0.0333"),), scope="distance 15"),
             ResultView(kind="create", noun="dashboard", past="created", facts=(("id", "D-1"),), scope="name Sales")]
    texts = {answer(rng, views) for _ in range(100)}
    assert all("distance 15" in t.lower() and "name sales" in t.lower() for t in texts)  # may lead: "Distance 15: …"
    assert not [t for t in texts if "i've" in t or " i " in t]  # "I" keeps its capital after the lead


def test_descriptions_with_two_verbs_and_messages_ending_in_a_period() -> None:
    from toolflow_assets.planning.phrasing import _action_from_text

    assert _action_from_text("Either creates a new Data Artifex project or opens an existing one.", "open_project") == \
        "create a new Data Artifex project or open an existing one"
    assert mention("Project closed.") == '"Project closed."' and mention("Done") == "Done"


def test_counts_read_as_counts_and_amount_forms_only_take_numbers() -> None:
    from toolflow_assets.generation.language import value_sentence

    rng = random.Random(4)
    persona = Persona(style="direct", verbosity="terse")
    sentences = {value_sentence(rng, "days", 10) for _ in range(50)}
    assert all("10 days" in t for t in sentences)  # never "a days of 10" or "My days is 10"
    clauses = {value_clause(rng, persona, [("company", "Acme"), ("length", 21)])[0] for _ in range(100)}
    assert not [c for c in clauses if "a company of" in c] and any("a length of 21" in c for c in clauses)
    read = ResultView(kind="read", noun="memory", past="read", facts=(("value", "travel insurance"),))
    facts = {result_sentence(rng, read) for _ in range(100)}
    assert not [f for f in facts if "a value of" in f or "comes to" in f]


def test_values_are_said_where_the_action_names_their_thing():
    import random

    from toolflow_assets.planning.weaving import weave_values

    woven_any = set()
    for seed in range(20):
        action, woven = weave_values(random.Random(seed), "delete the latest message sent to a receiver",
                                     [("receiver_id", "REC-96806"), ("urgent", True)])
        woven_any |= woven
        if woven:
            assert "REC-96806" in action and "a receiver" not in action
        assert "urgent" not in woven  # yes/no is no thing to name
    assert woven_any == {"receiver_id"}
    # "a key-value pair" is no key: the value would land inside a compound word
    for seed in range(20):
        action, woven = weave_values(random.Random(seed), "replace a key-value pair in the memory", [("key", "k1")])
        assert not woven and action == "replace a key-value pair in the memory"


def test_a_request_for_information_may_be_a_need_or_a_question():
    import random

    from toolflow_assets.generation.language import Persona, _need_form

    persona = Persona("casual", "normal")
    forms = {_need_form(random.Random(seed), persona, "get the odds for soccer") for seed in range(30)}
    assert len(forms) > 2 and all("the odds for soccer" in f for f in forms)
    assert _need_form(random.Random(1), persona, "delete the latest message") is None  # an order stays one


def _tool(name: str, description: str) -> Tool:
    return Tool(tool_id=name, name=name, description=description, parameters={"type": "object", "properties": {}},
                returns=None, source="t", source_format="openai", category="t")


def test_two_tools_of_a_dialogue_never_get_the_same_request():
    from toolflow_assets.planning.phrasing import distinct_actions

    odds = _tool("sports_odds", "Returns list of live and upcoming games for a given sport, showing bookmaker odds.")
    scores = _tool("sports_scores", "Returns list of live and upcoming games for a given sport, and optionally "
                                    "recently completed games.")
    login_a = _tool("message_get_login_status", "Get the login status of the current user.")
    login_b = _tool("posting_get_login_status", "Get the login status of the current user.")
    actions = distinct_actions([odds, scores, login_a, login_b, _tool("add", "Add two numbers.")])
    assert len(set(actions.values())) == 5
    assert actions["sports_odds"].endswith("showing bookmaker odds")  # where the descriptions part
    assert actions["message_get_login_status"].endswith("(message)")  # same description: the name tells
    assert actions["add"] == "add two numbers"  # the tool's name as its verb is not "it"


def test_the_assistant_says_what_it_is_about_to_do_when_it_knows():
    from toolflow_assets.generation.call_notes import before_calls

    said = [before_calls(random.Random(seed), later_round=False, verb="delete", noun="message") for seed in range(200)]
    spoken = [s for s in said if s]
    assert 0.2 < len(spoken) / len(said) < 0.5  # now and then, not before every call
    assert sum("delete the message" in s or "delete that message" in s for s in spoken) > len(spoken) / 2
    assert len(set(spoken)) > 20
    assert all(s[0].isupper() and s.endswith(".") for s in spoken)


def test_context_sentences_carry_no_value_a_check_could_mistake_for_an_argument():
    from toolflow_assets.generation.contexts import context_sentence

    said = [context_sentence(random.Random(seed), "detailed", "message") for seed in range(300)]
    spoken = [s for s in said if s]
    assert 0.6 < len(spoken) / len(said) < 0.9 and len(set(spoken)) > 100
    days = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow)\b(?! first)", re.I)
    assert not any(re.search(r"\d", s) or days.search(s.replace("first thing tomorrow", "")) for s in spoken)
    terse = [context_sentence(random.Random(seed), "terse", "message") for seed in range(300)]
    assert sum(bool(s) for s in terse) < 60  # a terse user mostly gives none


def test_a_search_answer_may_name_what_was_looked_for():
    view = ResultView("search", "message", "searched", (("receiver id", "REC-1"),), count=2, subject='"hiking"')
    said = {result_sentence(random.Random(seed), view) for seed in range(40)}
    named = [s for s in said if '"hiking"' in s]
    assert named and len(named) < len(said)  # now and then, not always
    assert all("REC-1" in s and not s[0].islower() and " i " not in s for s in said)
    twin = ResultView("search", "message", "searched", (("receiver id", "REC-1"),), count=2, subject='"hiking"',
                      scope="keyword hiking")  # a scoped answer already says which call it answers
    assert not any('"hiking"' in result_sentence(random.Random(seed), twin) for seed in range(40))


def test_a_tool_asked_for_again_may_be_named_short_but_never_ambiguously():
    from toolflow_assets.generation.user_agent import _short_action

    create = _tool("Transportistas_de_Argentina_tracking_correo_argentino_create_tas", "Create task to get the history.")
    assert _short_action(create) == "create the task"
    # two tools whose short forms read the same ("get the login status") are always named in full
    from types import SimpleNamespace

    from toolflow_assets.generation.user_agent import _again_reference

    login_a = _tool("message_get_login_status", "Get the login status of the current user.")
    login_b = _tool("posting_get_login_status", "Get the login status of the current user.")
    assert _short_action(login_a) == _short_action(login_b) == "get the login status"
    state = SimpleNamespace(tools={t.name: t for t in (login_a, login_b, create)}, rng=random.Random(0),
                            actions={login_a.name: "full a", login_b.name: "full b", create.name: "full c"})
    assert {_again_reference(state, login_a) for _ in range(30)} == {"full a"}
    assert {_again_reference(state, create) for _ in range(30)} == {"full c", "create the task"}


def test_a_short_form_is_said_only_when_it_names_what_the_description_does():
    from toolflow_assets.generation.user_agent import _short_action

    # the name's words that the description never uses, or a verb other than the description's, say nothing
    assert _short_action(_tool("cp", "Copy a file or directory from one location to another.")) == ""
    assert _short_action(_tool("Transportistas_de_Argentina_cities_states",
                               "List of states for Argentina with iso code.")) == ""
    assert _short_action(_tool("Create_Container_Tracking_Get_Tracking_Data", "Retrieve the data.")) == ""
    assert _short_action(_tool("quotes_postcode_correo_argentino", "List of quote for postcode in Correo Argentino.")) \
        == ""  # a carrier's name is no thing to get
    assert _short_action(_tool("Live_Sports_Odds_v4_sports_sport_odds",
                               "Returns a list of live and upcoming games for a given sport, showing bookmaker odds "
                               "for the specified regions.")) == "get the sport odds"
    assert _short_action(_tool("get_user_tweets", "Retrieve all tweets from a user.")) == "get the user tweets"


def test_a_tool_named_by_a_word_of_its_description_keeps_that_word():
    assert action_phrase(_tool("mean", "Calculate the mean of a list of numbers.")) == \
        "calculate the mean of a list of numbers"
    assert action_phrase(_tool("logarithm", "Compute the logarithm of a number.")) == "compute the logarithm of a number"
    # an identifier said in a description is the tool itself
    assert "spotify_api" not in action_phrase(_tool("spotify_api", "Search songs from spotify_api by title."))


def test_a_plural_label_takes_a_plural_verb():
    from toolflow_assets.generation.language import value_sentence

    said = {value_sentence(random.Random(seed), "regions", "us") for seed in range(300)}
    assert any(" are us." in s for s in said) and not any("regions is" in s.lower() for s in said)
    assert any("region is eu." in s.lower() for s in (value_sentence(random.Random(seed), "region", "eu")
                                                     for seed in range(300)))


def test_chat_replies_vary_and_take_up_the_topic():
    from toolflow_assets.generation.chat_turns import greeting, out_of_scope, thanks

    persona = Persona("chatty", "normal")
    replies = {thanks(random.Random(seed), persona, None, "sport odds")[1] for seed in range(80)}
    assert len(replies) > 30 and any("sport odds" in r for r in replies)
    assert all(r[0].isupper() and "{" not in r for r in replies)
    greeted = {greeting(random.Random(seed), persona, "sport odds")[1] for seed in range(80)}
    assert any("sport odds" in r for r in greeted) and len(greeted) > 8
    declines = {out_of_scope(random.Random(seed), "book me a taxi")[1] for seed in range(80)}
    assert len(declines) >= 6 and all("book you a taxi" in d for d in declines)


def test_shorthand_changes_only_the_words_of_a_persona_who_writes_so():
    from toolflow_assets.generation.language import shorthand

    action = "search for the messages containing a keyword and send a message with the information"
    plain = Persona("casual", "normal", shorthand=False)
    assert {shorthand(random.Random(seed), plain, action) for seed in range(20)} == {action}
    casual = Persona("casual", "normal", shorthand=True)
    written = {shorthand(random.Random(seed), casual, action) for seed in range(40)}
    assert len(written) > 10 and any("msg" in w for w in written) and any(" the " not in w for w in written)
    assert not any(re.search(r"\d", w) for w in written)  # no digit a check could take for a value


def test_a_result_saying_the_action_did_not_happen_is_no_success():
    from toolflow_assets.generation.result_views import refused_outcome as _refused_outcome

    assert _refused_outcome({"deleted_status": False, "receiver_id": "REC-1"}) == "deleted status"
    assert _refused_outcome({"success": False}) == "success"
    assert _refused_outcome({"sent_status": True}) == ""
    assert _refused_outcome({"completed": False, "home_team": "Lakers"}) == ""  # a game not over yet: a fact


def test_description_words_are_said_in_other_words_but_never_a_parameter_word_a_name_or_a_quote():
    from toolflow_assets.generation.paraphrase import vary_words

    action = 'get the live and upcoming games for a sport, showing bookmaker odds for the Live "latest games" feed'
    said = {vary_words(random.Random(seed), action, keep=frozenset({"sport", "odds"})) for seed in range(200)}
    assert len(said) > 20 and action in said
    assert all(" a sport," in s and " odds " in s and 'Live "latest games" feed' in s for s in said)
    assert all(any(word in s for s in said) for word in ("ongoing", "scheduled", "matches", "sportsbook"))
    # the article follows the word that replaced the one after it
    assert {vary_words(random.Random(seed), "find an upcoming game") for seed in range(50)} >= {
        "find a scheduled game", "find an upcoming game"}


def test_an_answer_now_and_then_ties_the_result_to_the_users_purpose():
    from toolflow_assets.generation.answers import with_purpose

    said = [with_purpose(random.Random(seed), "Created. Its task id is TAS-1.", "the package") for seed in range(200)]
    tied = [s for s in said if s != "Created. Its task id is TAS-1."]
    assert 0.1 < len(tied) / len(said) < 0.4 and all(s.startswith("Created. Its task id is TAS-1. ") for s in tied)
    assert all("the package" in s for s in tied) and len(set(tied)) > 5
    failed = {with_purpose(random.Random(seed), "That failed.", "the package", failed=True) for seed in range(200)}
    assert not any("step done" in s or "should help" in s for s in failed)  # a failure is no progress
    assert {with_purpose(random.Random(seed), "Done.", "") for seed in range(50)} == {"Done."}
