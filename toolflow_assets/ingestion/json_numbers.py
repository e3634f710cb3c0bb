"""JSON numbers that cannot be stored, kept as values instead of failing the whole file.

Python refuses to convert an integer literal past 4,300 digits (a `ValueError` out of `json.loads`, which took
the whole stage down); `checking_loads` keeps it as a `HugeInt` marker, which `reading.number_problem`
rejects per tool with its path, like NaN, Infinity and integers beyond 64 bits.
"""

from __future__ import annotations

import json
from typing import Any


class HugeInt(str):
    """An integer literal too long to convert: shown as its digit count."""

    def __new__(cls, digits: str) -> "HugeInt":
        return super().__new__(cls, f"<integer of {len(digits.lstrip('-+')):,} digits>")


def checking_loads(text: str) -> Any:
    """`json.loads` that keeps an integer too long to convert as a `HugeInt` instead of raising."""
    return json.loads(text, parse_int=lambda s: int(s) if len(s) <= 4000 else HugeInt(s))
