"""How the offline writer says a calculator's operands and answers (BFCL's Math API): never "56.21 as the a
and a b of 81.99" or "the result is -25.78" where the tool says what each letter and the answer are."""

from __future__ import annotations

import random
import re

from resources.settings import BUNDLED_CORPUS
from toolflow_assets.generation.language import Persona, value_clause
from toolflow_assets.generation.result_views import result_view
from toolflow_assets.ingestion.ingest import ingest_sources
from toolflow_assets.mentions import MentionIndex
from toolflow_assets.planning.phrasing import action_phrase, operand_names
from toolflow_assets.tools import Tool

MATH = {t.name: t for t in ingest_sources([str(BUNDLED_CORPUS / "bfcl" / "multi_turn_func_doc" / "math_api.json")]).tools}


def test_one_letter_operands_are_said_as_their_description_names_them() -> None:
    assert operand_names(MATH["subtract"]) == {"a": "number_to_subtract_from", "b": "number_to_subtract"}
    assert operand_names(MATH["divide"]) == {"a": "numerator", "b": "denominator"}
    assert operand_names(MATH["round_number"]) == {}  # `number` says itself
    long = Tool(tool_id="t", name="t", description="", parameters={"type": "object", "properties": {
        "x": {"type": "number", "description": "The horizontal position of the point, in metres from the origin."}}},
                returns=None, source="t.json", source_format="openai", category="t")
    assert operand_names(long) == {}  # no short name in it: the letter stays
    said = operand_names(MATH["divide"])
    for seed in range(30):
        text = " ".join(value_clause(random.Random(seed), Persona("direct", "normal"),
                                     [(said["a"], 56.21), (said["b"], 81.99)]))
        assert "numerator" in text and "denominator" in text, text
        assert not re.search(r"\b(?:the|an?) [ab]\b|\b[ab] \d", text), text  # "as the a", "a b of", "b 81.99"


def test_requests_leave_out_how_the_code_computes() -> None:
    assert action_phrase(MATH["square_root"]) == "calculate the square root of a number with adjustable precision"
    assert "mpmath" not in action_phrase(MATH["logarithm"])


def test_a_calculation_answer_names_its_quantity_unless_a_later_call_reads_the_result() -> None:
    view = result_view(MATH["subtract"], {"result": -25.78}, {"a": 56.21, "b": 81.99}, (), MentionIndex([]))
    assert view.facts == (("difference", "-25.78"),)
    read_later = result_view(MATH["mean"], {"result": 7.33}, {"numbers": [3, 7, 12]}, (("result", "7.33"),),
                             MentionIndex([]))
    assert read_later.facts == (("result", "7.33"),)  # the user then says "use the result from that"


def test_an_addition_is_answered_as_a_calculation_not_as_a_record_it_added() -> None:
    view = result_view(MATH["add"], {"result": 118.87}, {"a": 64.87, "b": 54}, (), MentionIndex([]))
    assert (view.kind, view.facts) == ("compute", (("sum", "118.87"),))


def test_arithmetic_on_numbers_keeps_its_verb_while_other_requests_vary() -> None:
    from toolflow_assets.generation.paraphrase import paraphrase_action

    assert {paraphrase_action(random.Random(seed), "add two numbers") for seed in range(40)} == {"add two numbers"}
    assert len({paraphrase_action(random.Random(seed), "add a new contact") for seed in range(40)}) > 1


def test_a_conversion_names_its_units_by_side() -> None:
    from toolflow_assets.planning.phrasing import spoken_label

    assert (spoken_label("unit_in"), spoken_label("unit_out")) == ("input unit", "output unit")  # not "unit in in"
    assert spoken_label("check_in") == "check in"
