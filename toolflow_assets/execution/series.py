"""Answers over one list of numbers that compute.py's sums and means do not give: the median, the mode,
the variance and standard deviation, and the net present value of cash flows.

A reader checks each with a textbook rule, so each is computed only where the call leaves one reading: a
variance or deviation only when the call says population or sample (the two differ by n against n - 1),
a mode only when one value is the most common, a net present value only for future cash flows (the first
one a period away) after an initial investment, not for flows that may start today.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any, Mapping

from ..values import name_tokens
from .formulas import as_fraction, shows_only


def _one_list(arguments: Mapping[str, Any]) -> list[float] | None:
    lists = [value for value in arguments.values() if isinstance(value, list)]
    if len(lists) != 1 or not lists[0] or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                   for v in lists[0]):
        return None
    return [float(v) for v in lists[0]]


def _population(words: set[str], arguments: Mapping[str, Any]) -> bool | None:
    """True for the population's variance, False for a sample's, None when the call does not say."""
    for key, value in arguments.items():
        if isinstance(value, bool) and "population" in name_tokens(key):
            return value
        if isinstance(value, bool) and "sample" in name_tokens(key):
            return not value
    if len(words & {"population", "sample"}) == 1:
        return "population" in words
    return None


def _npv(words: set[str], numbers: Mapping[str, float], flows: list[float]) -> float | None:
    rate = next((v for k, v in numbers.items() if {"rate", "discount"} & set(name_tokens(k))), None)
    initial = next((v for k, v in numbers.items() if {"initial", "investment", "outlay"} & set(name_tokens(k))), None)
    if rate is None or len(numbers) != (2 if initial is not None else 1) or (initial is None and "future" not in words):
        return None
    r = as_fraction(rate)
    if r <= -1:
        return None
    return -(initial or 0.0) + sum(flow / (1 + r) ** t for t, flow in enumerate(flows, start=1))


def series_answer(words: set[str], numbers: Mapping[str, float],
                  arguments: Mapping[str, Any]) -> tuple[str, float] | None:
    """(quantity, value) of the one list the call passes, by what the tool's words say it computes."""
    values = _one_list(arguments)
    if values is None:
        return None
    numbers = {k: v for k, v in numbers.items() if not shows_only(k)}
    if "npv" in words or {"net", "present"} <= words:
        answer = _npv(words, numbers, values)
        return ("npv", answer) if answer is not None else None
    if numbers:
        return None  # another number would mean another statistic (a trimmed mean, a percentile)
    if "median" in words and not words & {"mean", "mode", "average"}:
        return "median", statistics.median(values)
    if "mode" in words and not words & {"mean", "median", "average"}:
        (first, n_first), *rest = Counter(values).most_common(2)
        return ("mode", first) if not rest or rest[0][1] < n_first else None
    spread = "variance" if "variance" in words else "deviation" if "deviation" in words or "std" in words else None
    population = _population(words, arguments)
    if spread is None or population is None or len(values) < (1 if population else 2):
        return None
    variance = statistics.pvariance(values) if population else statistics.variance(values)
    return ("variance", variance) if spread == "variance" else ("standard_deviation", variance ** 0.5)
