"""The `llm` writer (generation/llm_writer.py) against the real stub HTTP server: the offline plan and
template dialogue with the texts rewritten in one request per dialogue, every value kept, every quality
check still passing, a text that loses a value repaired once or left as its template (and labelled so),
and a warm rerun answered from the cache."""

from __future__ import annotations

import json

import pytest
from llm_fixtures import make_samples, make_tools
from openai_stub_server import Faults, StubServer
from stub_agents import LOST_VALUE_TEXT

from toolflow_assets.generation.backend import make_generator
from toolflow_assets.generation.llm_writer import (
    accept_rewrites,
    dialogue_checks,
    ordered_keep,
    parse_rewrites,
    rewrite_schema,
    text_pattern,
    text_slots,
    writer_messages,
)
from toolflow_assets.generation.offline import OfflineGenerator
from toolflow_assets.quality.evaluate import check_dialogue

SEED = 7
N = 6
FAST = dict(timeout_seconds=15.0, max_retries=1, concurrency=4, backoff_base_seconds=0.01, backoff_max_seconds=0.02)


@pytest.fixture(scope="module")
def catalog():
    return make_tools()


@pytest.fixture(scope="module")
def templates(catalog):
    """The offline plans and the template writer's dialogues for them (what the llm writer starts from)."""
    offline = OfflineGenerator()
    plans = [r.plan for r in offline.plan_many(make_samples(catalog, N), catalog, SEED) if r.plan is not None]
    return plans, offline.generate_many(plans, catalog, SEED)


def _write(catalog, plans, faults: Faults, cache_dir):
    with StubServer(faults) as server:
        generator = make_generator("offline", "stub-model", writer="llm", base_url=server.base_url,
                                   cache_dir=str(cache_dir), dialogue_check=check_dialogue, **FAST)
        dialogues = generator.generate_many(plans, catalog, SEED)
        return dialogues, server.request_count, server.roles()


def _failed_checks(dialogue, plan, catalog):
    returns = {t.name: t.returns for t in catalog.values() if t.returns}
    verdicts, reasons, _ = check_dialogue(dialogue.messages, dialogue.tools, plan.model_dump(), returns)
    return [r for r in reasons], verdicts


def _non_text(messages):
    """Everything the writer must not touch: roles, tool calls, tool results, the system prompt."""
    return [(m["role"], m.get("tool_calls"), m.get("tool_call_id"), m["content"] if m["role"] in ("system", "tool")
             else None) for m in messages]


def test_texts_are_rewritten_in_one_request_each_and_recorded_as_llm(catalog, templates, tmp_path):
    plans, drafts = templates
    dialogues, requests, roles = _write(catalog, plans, Faults(), tmp_path)
    assert roles == {"writer": len(plans)}  # one request per dialogue, nothing but the writer asked
    for plan, draft, dialogue in zip(plans, drafts, dialogues):
        assert dialogue.status == "ok" and dialogue.provenance.writer == "llm"
        assert _non_text(dialogue.messages) == _non_text(draft.messages)
        labels = {w["index"]: w["writer"] for w in dialogue.writers}
        assert labels and set(labels.values()) == {"llm"}
        for index, _ in labels.items():
            assert dialogue.messages[index]["content"] != draft.messages[index]["content"]
        reasons, _ = _failed_checks(dialogue, plan, catalog)
        assert not reasons, reasons
        assert dialogue.provenance.usage["requests"] == 1 and dialogue.provenance.usage["prompt_tokens"] > 0


def test_a_rewrite_that_loses_a_value_keeps_its_template_text_and_says_so(catalog, templates, tmp_path):
    plans, drafts = templates
    dialogues, requests, _ = _write(catalog, plans, Faults(writer_fault="lose_always"), tmp_path)
    assert requests / len(plans) <= 2  # the rewrite, then one repair of the failing text only
    for plan, draft, dialogue in zip(plans, drafts, dialogues):
        fallbacks = [w for w in dialogue.writers if w["writer"] == "template-fallback"]
        assert len(fallbacks) == 1, dialogue.writers
        (fallback,) = fallbacks
        assert dialogue.messages[fallback["index"]]["content"] == draft.messages[fallback["index"]]["content"]
        assert "must state these values" in fallback["reason"]
        assert LOST_VALUE_TEXT not in json.dumps(dialogue.messages)
        assert sum(w["writer"] == "llm" for w in dialogue.writers) == len(dialogue.writers) - 1
        reasons, _ = _failed_checks(dialogue, plan, catalog)
        assert not reasons, reasons


def test_the_repair_request_recovers_a_text_that_lost_a_value(catalog, templates, tmp_path):
    plans, _ = templates
    dialogues, requests, _ = _write(catalog, plans, Faults(writer_fault="lose_once"), tmp_path)
    assert requests == 2 * len(plans)
    assert all(w["writer"] == "llm" for d in dialogues for w in d.writers)
    assert all(d.provenance.usage["requests"] == 2 for d in dialogues)


def test_a_warm_rerun_asks_the_server_nothing(catalog, templates, tmp_path):
    plans, _ = templates
    cold, cold_requests, _ = _write(catalog, plans, Faults(writer_fault="lose_once"), tmp_path)
    warm, warm_requests, _ = _write(catalog, plans, Faults(writer_fault="lose_once"), tmp_path)
    assert cold_requests == 2 * len(plans) and warm_requests == 0
    assert [d.model_dump() for d in warm] == [d.model_dump() for d in cold]


def test_a_dead_server_leaves_template_texts_labelled_with_the_failure(catalog, templates, tmp_path):
    plans, drafts = templates
    with StubServer() as server:
        dead_url = server.base_url
    generator = make_generator("offline", "stub-model", writer="llm", base_url=dead_url,
                               cache_dir=str(tmp_path), **{**FAST, "max_retries": 0, "timeout_seconds": 2.0})
    dialogues = generator.generate_many(plans[:2], catalog, SEED)
    for draft, dialogue in zip(drafts, dialogues):
        assert dialogue.status == "ok" and dialogue.messages == draft.messages
        assert {w["writer"] for w in dialogue.writers} == {"template-fallback"}
        assert all(w["reason"].startswith("request_failed") for w in dialogue.writers)


# ------------------------------------------------------------------------------------ pure parts


def test_a_rewrite_claiming_a_figure_no_result_holds_is_rejected_by_the_quality_checks(catalog, templates):
    plans, drafts = templates
    plan, draft = plans[0], drafts[0]
    messages = [dict(m) for m in draft.messages]
    slots = text_slots(messages)
    answer = [s for s in slots if s.role == "assistant" and s.keep][-1]  # an answer from tool results
    checks = dialogue_checks(draft.tools, plan, {t.name: t.returns for t in catalog.values() if t.returns},
                             check_dialogue)
    invented = answer.text + " The total comes to 8123.45 and it departs at gate 77."
    accepted, problems = accept_rewrites(messages, [answer], {answer.index: invented}, checks, set(checks(messages)))
    # the writer refuses it itself (a figure no value states), and the quality checks would too
    assert not accepted and "a figure that is none of its values" in problems[answer.index]
    assert messages[answer.index]["content"] == answer.text  # rolled back
    claimed = [dict(m) for m in messages]
    claimed[answer.index]["content"] = invented
    assert any("assistant_claims" in reason for reason in checks(claimed))


def test_the_values_a_text_must_keep_are_the_call_and_result_values_it_states(templates):
    _, drafts = templates
    for draft in drafts:
        for slot in text_slots(draft.messages):
            for value in slot.keep:
                assert str(value).lower() in slot.text.lower() or not isinstance(value, str)
    keeps = [v for d in drafts for s in text_slots(d.messages) for v in s.keep]
    assert keeps  # the fixture's requests state values, so the rule has something to guard


def test_parse_rewrites_keeps_wanted_indexes_and_refuses_an_empty_answer():
    assert parse_rewrites({"m3": " Hi ", "m9": "x"}, {3, 4}) == {3: "Hi"}
    assert parse_rewrites({"4": "ok"}, {4}) == {4: "ok"}
    assert parse_rewrites({"m4": 'Assistant: "It is 12 C."'}, {4}) == {4: "It is 12 C."}
    with pytest.raises(ValueError):
        parse_rewrites({"m3": "  "}, {3})
    with pytest.raises(ValueError):
        parse_rewrites("prose", {3})


def test_the_repair_request_names_only_the_failing_texts(templates):
    from stub_agents import writer_texts

    _, drafts = templates
    slots = text_slots(drafts[0].messages)
    request = writer_messages(drafts[0].messages, slots[:1], {slots[0].index: "it must state X", 999: "other"})
    assert [item["index"] for item in writer_texts(request[-1]["content"])] == [slots[0].index]
    assert f"m{slots[0].index}: it must state X" in request[-1]["content"] and "m999" not in request[-1]["content"]
    assert list(rewrite_schema(slots[:1])["properties"]) == [f"m{slots[0].index}"]


def test_the_worked_example_keeps_the_rules_it_teaches():
    """The prompt's example answer is what the writer would accept: each text keeps its values, reads as
    language and repeats no other text; its request is laid out like a real one."""
    from stub_agents import writer_texts

    from toolflow_assets.generation.llm_writer import PROMPT, TextSlot, example_request

    answer = json.loads(PROMPT.render("example_answer"))
    items = writer_texts(example_request())
    assert [f"m{item['index']}" for item in items] == list(answer)
    messages = [{"role": item["role"], "content": item["text"]} for item in items]
    slots = [TextSlot(i, item["role"], item["text"], tuple(item["keep"])) for i, item in enumerate(items)]
    accepted, problems = accept_rewrites(messages, slots, {i: answer[f"m{item['index']}"] for i, item in enumerate(items)},
                                         lambda _messages: {}, set())
    assert problems == {} and accepted == set(range(len(items)))


def test_the_llm_writer_needs_the_offline_planner_and_a_known_writer_name():
    with pytest.raises(ValueError, match="backend offline"):
        make_generator("openai", "m", writer="llm", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ValueError, match="unknown writer"):
        make_generator("offline", "m", writer="poet")


def test_the_environment_alone_selects_the_llm_writer_and_it_needs_a_server(monkeypatch, tmp_path):
    from resources import LLMResource

    for name in ("TOOLFLOW_LLM_BACKEND", "TOOLFLOW_LLM_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TOOLFLOW_WRITER", "llm")
    with pytest.raises(ValueError, match="the llm writer needs a server"):
        LLMResource().get_generator(str(tmp_path))
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("TOOLFLOW_LLM_MODEL", "small-model")
    resource = LLMResource()
    generator = resource.get_generator(str(tmp_path))
    assert (generator.backend, generator.writer, generator.model) == ("offline", "llm", "small-model")
    assert generator.dialogue_check is check_dialogue  # the resource hands in the quality stage's checks
    assert resource.describe()["writer"] == "llm" and resource.describe()["base_url"] == "http://127.0.0.1:9/v1"
    monkeypatch.delenv("TOOLFLOW_WRITER")
    assert LLMResource().get_generator(str(tmp_path)).backend == "offline"  # template writer: no server needed


@pytest.mark.parametrize("faults, mode", [
    ("llama_cpp_python_faults", "json_object"),  # json_schema refused with HTTP 500, json_object + schema taken
    ("plain_json_only_faults", "prompt"),  # no response_format at all: JSON asked for in the prompt
])
def test_the_writer_works_in_whatever_structured_mode_the_server_takes(catalog, templates, tmp_path, faults, mode):
    import openai_stub_server

    plans, _ = templates
    with StubServer(getattr(openai_stub_server, faults)()) as server:
        generator = make_generator("offline", "stub-model", writer="llm", base_url=server.base_url,
                                   cache_dir=str(tmp_path), **FAST)
        dialogues = generator.generate_many(plans, catalog, SEED)
        outcomes = server.outcomes()
    assert generator.capabilities()["structured_output"] == mode
    assert outcomes["ok"] == len(plans) and outcomes["rejected"] <= 2  # refused modes probed once per run
    assert all(w["writer"] == "llm" for d in dialogues for w in d.writers)


def test_malformed_answers_cost_a_bounded_number_of_requests_then_leave_the_template(catalog, templates, tmp_path):
    plans, drafts = templates
    with StubServer(Faults(garbage_structured=True)) as server:
        generator = make_generator("offline", "stub-model", writer="llm", base_url=server.base_url,
                                   cache_dir=str(tmp_path), max_repairs=2, **FAST)
        dialogues = generator.generate_many(plans, catalog, SEED)
        requests = server.request_count
    assert requests == 2 * len(plans)  # the answer and one JSON repair; the texts' repair never starts
    for draft, dialogue in zip(drafts, dialogues):
        assert dialogue.messages == draft.messages and dialogue.status == "ok"
        assert all(w["writer"] == "template-fallback" and "invalid_output" in w["reason"] for w in dialogue.writers)


def test_a_text_given_back_unchanged_is_not_counted_as_model_written(catalog, templates, tmp_path):
    plans, drafts = templates
    dialogues, requests, _ = _write(catalog, plans, Faults(writer_fault="echo"), tmp_path)
    assert requests == len(plans)  # nothing to repair: the texts are valid, only not rewritten
    for draft, dialogue in zip(drafts, dialogues):
        assert dialogue.messages == draft.messages
        assert {(w["writer"], w.get("reason")) for w in dialogue.writers} == {("template", "unchanged")}


def test_an_unexpected_error_in_one_dialogue_leaves_it_whole_as_its_template(catalog, templates, tmp_path, monkeypatch):
    import toolflow_assets.generation.llm_writer as llm_writer

    plans, drafts = templates
    real = llm_writer.accept_rewrites

    def flaky(messages, pending, *args):
        if any(m.get("content") == drafts[1].messages[1]["content"] for m in messages[1:2]):
            messages[1]["content"] = "half-written"
            raise RuntimeError("boom")
        return real(messages, pending, *args)

    monkeypatch.setattr(llm_writer, "accept_rewrites", flaky)
    dialogues, _, _ = _write(catalog, plans, Faults(), tmp_path)
    assert dialogues[1].messages == drafts[1].messages
    assert {w["writer"] for w in dialogues[1].writers} == {"template-fallback"}
    assert dialogues[1].writers[0]["reason"].startswith("internal_error: RuntimeError: boom")
    assert {w["writer"] for w in dialogues[0].writers} == {"llm"}


# ------------------------------------------------------------------------------ the slot patterns


def _slot(text, *keep):
    from toolflow_assets.generation.llm_writer import TextSlot

    return TextSlot(1, "user", text, keep)


def test_a_slot_pattern_takes_a_rewording_with_the_values_and_refuses_one_without_them():
    import re

    slot = _slot("Book table 12 at Chez (Paul) on 2026-03-05 for 4.5 hours.", "Chez (Paul)", "2026-03-05", 4.5)
    pattern = re.compile(text_pattern(slot))
    assert pattern.fullmatch("Please reserve at Chez (Paul) for 2026-03-05, about 4.5 hours.")
    assert not pattern.fullmatch("Please reserve at Chez Paul for 2026-03-05, about 4.5 hours.")  # value altered
    assert not pattern.fullmatch("Please reserve for 2026-03-05, about 4.5 hours.")  # value dropped
    # a figure the template's values do not hold cannot be written: the quality stage's assistant_claims rule
    assert not pattern.fullmatch("Please reserve table 12 at Chez (Paul) for 2026-03-05, about 4.5 hours.")
    assert not pattern.fullmatch('Say "hi" at Chez (Paul) for 2026-03-05, about 4.5 hours.')  # a quote ends the JSON string


def test_a_value_with_regex_characters_is_written_with_classes_not_backslash_escapes():
    """llama-cpp-python (0.3.36) copies a pattern's "\\." into a GBNF string literal, where it is an unknown
    escape: its server died on the first writer request of every dialogue (measured). A class says the same."""
    import re

    slot = _slot("Open summary.png and cost $5 (a+b) now.", "summary.png", "$5 (a+b)")
    pattern = text_pattern(slot)
    assert "\\." not in pattern and "\\$" not in pattern and "\\(" not in pattern
    assert re.fullmatch(pattern, "Please open summary.png, then $5 (a+b) it is.")
    assert not re.fullmatch(pattern, "Please open summaryXpng, then $5 (a+b) it is.")  # the dot is a dot
    bracketed = text_pattern(_slot("Tag [x]^2 now.", "[x]^2"))
    assert re.fullmatch(bracketed, "Tag it [x]^2 please.") and not re.fullmatch(bracketed, "Tag it x2 please.")


def test_a_value_that_cannot_sit_inside_a_json_string_pattern_leaves_its_text_unconstrained():
    slot = _slot('Search for "blue suede" shoes.', 'say "blue suede"')
    assert text_pattern(slot) is None
    assert "pattern" not in rewrite_schema([slot])["properties"]["m1"]


def test_every_template_text_of_the_fixture_has_a_pattern_its_values_fit(templates):
    import re

    _, drafts = templates
    for draft in drafts:
        for slot in text_slots(draft.messages):
            pattern = text_pattern(slot)
            if pattern is None:
                continue
            # a plain wording around the values, in the template's order, fits
            kept = "".join(f" {v} " for v in ordered_keep(slot))
            assert re.fullmatch(pattern, "Okay" + kept + "."), (pattern, slot.text)


def test_the_server_gets_the_slot_schema_in_every_structured_mode(catalog, templates, tmp_path):
    plans, _ = templates
    with StubServer(Faults()) as server:
        generator = make_generator("offline", "stub-model", writer="llm", base_url=server.base_url,
                                   cache_dir=str(tmp_path), dialogue_check=check_dialogue, **FAST)
        generator.generate_many(plans[:2], catalog, SEED)
        bodies = [b for b in server.bodies() if b.get("response_format")]
    assert bodies
    for body in bodies:
        schema = body["response_format"]["json_schema"]["schema"]
        assert all(key.startswith("m") for key in schema["properties"])
        assert any("pattern" in prop for prop in schema["properties"].values())


@pytest.mark.parametrize("text, why", [
    # what SmolLM2-135M wrote under the grammar on llama-server (2026-11-29): values kept, sense lost
    ("The file named", "middle of a sentence"),
    ("ID-  -  ID-  -  ID-  -  ID-  cheap flights in spring  -  ID-  -  ID-.", "not made of words"),
    ("A-C-O-L-O-L-I-N-F-I-D-L-N-I-I-I-F-I-A-I-M-A-F-A-A-B-I-T-A-D-B.", "not made of words"),
    ("I'm going to find it. I'm going to find it;I'm going to find it. Cheap flights in spring.", "repeats itself"),
    ("mabygum", "too few words"),
    # what it wrote on llama-cpp-python[server] (json_object + schema: the slots' patterns not enforced)
    ("JustSameFileSummary.png&hMZTGKOUjdJnVxkQy_iPbwvXuRlYaYMgW cheap flights in spring.", "code or placeholder"),
    ("Reminder: look at [Target] and [TrialPillars] for cheap flights in spring!", "code or placeholder"),
    ("home_city.description, image: 'note.png', color: '#ffffff' } cheap flights in spring.", "code or placeholder"),
    ("I'm 80094 and I found cheap flights in spring for you.", "a figure"),
    ("Look for SameFileSummaryPngReport cheap flights in spring.", "not made of words"),
    # what it wrote on llama-server with a worked example in the prompt (2026-11-30): still not sentences
    ("I'm glad you're looking for cheap flights in spring. I'm glad you're having a .", "unfinished"),
    ("Look for cheap flights in spring messages. I,.", "not made of words"),
    ("I'll look for cheap flights in spring by  and then reply.", "gap"),
    ("Messages about cheap flights in spring: I can find them, I can find them for you.", "repeats itself"),
    ("Can you look up messages from Oslo about cheap flights in spring?", "names what its message does not (Oslo)"),
])
def test_a_degenerate_text_is_refused_even_when_it_keeps_its_values(text, why):
    from toolflow_assets.generation.text_sense import degenerate

    assert why in degenerate(text, ["cheap flights in spring"], "Please look for messages about cheap flights in spring.")


def test_the_fixture_template_texts_with_an_opener_read_as_language(templates):
    """The degeneracy rule must not refuse ordinary wording: every template text with an opener passes it."""
    from toolflow_assets.generation.text_sense import degenerate

    _, drafts = templates
    texts = [(s.text, s.keep) for d in drafts for s in text_slots(d.messages)]
    assert texts and [t for t, keep in texts if degenerate("So, " + t, keep, t)] == []


def test_a_rewrite_that_shares_no_word_with_its_message_says_something_else():
    from toolflow_assets.generation.text_sense import degenerate

    template = "Hi! I've got a little project going and could use some help."
    assert "does not say what its message says" in degenerate("Mirror, I can't believe you forgot it.", [], template)
    assert degenerate("Hey, I could use a hand with a little project of mine.", [], template) is None


def test_words_of_the_template_itself_are_never_held_against_a_rewrite():
    """"point a: 74" names a point called a, and "Location CA" keeps its value CA: neither is an unfinished
    sentence or a stray name when the template says it too."""
    from toolflow_assets.generation.text_sense import degenerate

    template = "Work out the distance between point a and point b. Location CA, please."
    assert degenerate("So, work out the distance from point a to point b. Location CA, please.", ["CA"], template) is None
    # a template that says its label three times ("the iso code is") may be rewritten saying it three times
    listed = "The iso code is AE-F. For 99241 the iso code is ID-5. For 40720 the iso code is ID-8."
    keep = ["AE-F", "99241", "ID-5", "40720", "ID-8"]
    assert degenerate("So, the iso code is AE-F. For 99241 the iso code is ID-5, and for 40720 the iso code is ID-8.",
                      keep, listed) is None
    assert "repeats itself" in degenerate("The code is AE-F, the code is, the code is, the code is ID-5.", keep,
                                          "It is AE-F or ID-5.")


def test_a_rewrite_that_repeats_another_message_of_the_dialogue_keeps_its_template(templates):
    """SmolLM2-135M began four messages of one dialogue with the same sentence; each text passed on its own."""
    _, drafts = templates
    messages = [dict(m) for m in drafts[0].messages]
    slots = [s for s in text_slots(messages) if not s.keep][:2]
    assert len(slots) == 2
    same = "I am so glad you are having a great day here."
    rewrites = {slot.index: f"{same} {slot.text}" for slot in slots}
    accepted, problems = accept_rewrites(messages, slots, rewrites, lambda _messages: {}, set())
    assert accepted == {slots[0].index}
    assert problems[slots[1].index] == f'it repeats another message: "{same}"'


def test_a_text_the_grammar_ended_is_refused_and_the_bound_grows_with_the_template():
    """The free wording between values is bounded (a looping model stops), but by half again the template's
    own run: a 60-character bound made the grammar end SmolLM2's sentence as "because I'm tidin."."""
    from toolflow_assets.generation.text_patterns import FREE_SPAN, TextSlot, cut_by_pattern, free_span

    long = TextSlot(1, "user", "Hey, hope you're having a good day. I'm tidying up what I saved about the project plan.", ())
    assert free_span(long) > len(long.text) > FREE_SPAN
    assert not cut_by_pattern("Hi, I hope your day is going well. I'm tidying up my notes on the project plan.", long)
    short = TextSlot(2, "assistant", "It was ID-14443.", ("ID-14443",))
    assert free_span(short) == FREE_SPAN
    assert cut_by_pattern("I'm glad to hear that. I'll be back in a minute too. I'll be ID-14443 in a minute.", short)
    assert not cut_by_pattern("That one was ID-14443.", short)
