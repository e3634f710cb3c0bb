"""result_consistency: a result text that states what an earlier call on the same record asked, where this
call asks otherwise, contradicts the call (echo.stale_mention, the rule the simulated executor's entity store
follows). Found in the bundled-corpus export: `case_info_get(case_id="CAS-97290", case_year="2018")` answered
"Case info for CAS-97290 and 2017", remembered from the 2017 lookup."""

from __future__ import annotations

import json

from toolflow_assets.quality.semantic import check_result_consistency


def _dialogue(*answered: tuple[dict, dict]) -> list[dict]:
    messages: list[dict] = []
    for number, (arguments, result) in enumerate(answered):
        messages += [{"role": "assistant", "content": None, "tool_calls": [{"id": f"c{number}", "type": "function",
                      "function": {"name": "case_info_get", "arguments": json.dumps(arguments)}}]},
                     {"role": "tool", "tool_call_id": f"c{number}", "content": json.dumps(result)}]
    return messages


FIRST = ({"case_id": "CAS-97290", "case_year": "2017"}, {"case_info": "Filed in 2017 in Phoenix"})


def test_a_text_stating_the_earlier_calls_value_on_the_same_record_is_flagged():
    reasons = check_result_consistency(_dialogue(
        FIRST, ({"case_id": "CAS-97290", "case_year": "2018"}, {"case_info": "Filed in 2017 in Phoenix"})))
    assert len(reasons) == 1 and "case_year" in reasons[0] and "2018" in reasons[0] and "tool message 3" in reasons[0]


def test_the_same_value_again_another_record_or_a_text_that_states_the_new_value_pass():
    assert check_result_consistency(_dialogue(FIRST, FIRST)) == []
    # another case: its text may well be about 2017
    assert check_result_consistency(_dialogue(
        FIRST, ({"case_id": "CAS-11111", "case_year": "2018"}, {"case_info": "Appeal of a 2017 ruling"}))) == []
    # the text states this call's year too: a comparison, not a stale copy
    assert check_result_consistency(_dialogue(
        FIRST, ({"case_id": "CAS-97290", "case_year": "2018"}, {"case_info": "Filed in 2017, reopened in 2018"}))) == []
