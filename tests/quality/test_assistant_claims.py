"""The assistant's numbers are read as a reader reads them: a float in scientific notation is one number.

BFCL's MathAPI.power(8.03, 26.43) really returns 8.158904724959231e+23, and the assistant relays it as
written; the exponent is part of that number, not a separate claim of "23".
"""

from __future__ import annotations

import json

import pytest

from toolflow_assets.quality.semantic import check_assistant_claims


def _power_dialogue(result: float, answer: str) -> list[dict]:
    call = {"id": "call_1", "type": "function",
            "function": {"name": "power", "arguments": json.dumps({"base": 8.03, "exponent": 26.43})}}
    return [
        {"role": "user", "content": "Raise 8.03 to the power of 26.43, please."},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_1", "name": "power", "content": json.dumps({"result": result})},
        {"role": "assistant", "content": answer},
    ]


@pytest.mark.parametrize("result, answer", [
    (8.158904724959231e+23, "The result is 8.158904724959231e+23."),  # relayed as Python writes it
    (8.158904724959231e+23, "That comes to about 8.16E+23."),  # rounded to the mantissa's digits
    (8.158904724959231e+23, "That comes to about 8.2e23."),
    (1.5e-07, "The result is 1.5e-07."),  # a negative exponent too
    (1e16, "The result is 1e+16."),  # an integral float too large for int(): repr writes it so
])
def test_a_number_in_scientific_notation_is_one_claim(result: float, answer: str) -> None:
    assert check_assistant_claims(_power_dialogue(result, answer)) == []


@pytest.mark.parametrize("answer, claimed", [
    ("The result is 9.158904724959231e+23.", "915890472495923100000000"),  # another mantissa
    ("The result is 8.158904724959231e+24.", "8158904724959231000000000"),  # another exponent
    ("That comes to about 8.1e+23.", "810000000000000000000000"),  # a wrong rounding
    ("The result is 8.158904724959231e+23, after 23 tries.", "23"),  # a bare 23 is still a claim
])
def test_a_scientific_number_no_result_holds_is_still_caught(answer: str, claimed: str) -> None:
    reasons = check_assistant_claims(_power_dialogue(8.158904724959231e+23, answer))
    assert len(reasons) == 1 and f"states {claimed}," in reasons[0], reasons
