"""A shape's attribute asked for by name, solved from the measures the call gives, never drawn.

BFCL's `get_rectangle_property(perimeter=14, area=12, property="diagonal")` names the attribute it wants in
a text argument: the rectangle whose sides add up to 7 and multiply to 12 is 4 by 3, so its diagonal is 5.
A tool that takes such a selector (`property`, `attribute`, `quantity`, `measure`, `dimension`) and names
one shape (rectangle, square, circle, triangle) gets its answer here, compute.py's way in: the measures
given fix the shape's dimensions, the selector picks the attribute. Every number the call passes must be a
measure used (a `tolerance` or a `precision` says how to show the answer); measures that do not fix the
shape, or that no shape has (a negative area, a perimeter too short for the area), give nothing, and the
result is synthesized as for any other tool.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

from ..values import name_tokens
from .formulas import shows_only

# the last word of an argument that names the attribute wanted
SELECTOR_WORDS = frozenset({"property", "attribute", "quantity", "measure", "measurement", "dimension",
                            "characteristic"})
# numbers that say how exactly to compute or show, not what
_SLACK_WORDS = frozenset({"tolerance", "epsilon", "error"})
_SHAPES = ("rectangle", "square", "circle", "triangle")
# argument names (whole, or last word) of each measure
_MEASURES = {
    "length": ("length", "l", "long_side"), "width": ("width", "w", "breadth", "short_side"),
    "height": ("height", "h"), "side": ("side", "side_length", "s", "a", "edge"),
    "area": ("area",), "perimeter": ("perimeter",), "diagonal": ("diagonal", "d"),
    "radius": ("radius", "r"), "diameter": ("diameter",), "circumference": ("circumference",),
    "side1": ("side1", "side_1", "side_a"), "side2": ("side2", "side_2", "side_b"),
    "side3": ("side3", "side_3", "side_c"),
    "base": ("base", "b"),
}


def selector(arguments: Mapping[str, Any]) -> str | None:
    """The text of the argument that names the attribute wanted (`property="diagonal"`), if one does."""
    for key, value in arguments.items():
        tokens = name_tokens(key)
        if isinstance(value, str) and tokens and tokens[-1] in SELECTOR_WORDS:
            return value
    return None


def _measures(numbers: Mapping[str, float]) -> dict[str, float] | None:
    """Each number as the measure its name says; None when one says none (it would be another problem)."""
    found: dict[str, float] = {}
    for key, value in numbers.items():
        tokens = name_tokens(key)
        if shows_only(key) or set(tokens) & _SLACK_WORDS:
            continue
        joined = "_".join(tokens)
        measure = next((m for m, names in _MEASURES.items() if key in names or joined in names), None) or \
            next((m for m, names in _MEASURES.items() if tokens and tokens[-1] in names), None)
        if measure is None or measure in found:
            return None
        found[measure] = value
    return found


def _pair(total: float, product: float) -> tuple[float, float] | None:
    """The two positive numbers with this sum and product, larger first."""
    disc = total * total - 4 * product
    if disc < 0 or product <= 0 or total <= 0:
        return None
    root = math.sqrt(disc)
    return (total + root) / 2, (total - root) / 2


def _rectangle(m: Mapping[str, float]) -> dict[str, float] | None:
    """length and width from any two of: a side (length, width or height), the area, the perimeter, the
    diagonal. A side given keeps its name; two sides solved from the rest are the longer length and the
    shorter width."""
    if len(m) != 2 or any(v <= 0 for v in m.values()):
        return None
    given = {k: m[k] for k in ("length", "height", "width") if k in m}
    area, perimeter, diagonal = m.get("area"), m.get("perimeter"), m.get("diagonal")
    if len(given) == 2:
        width = given.pop("width", None) or given.pop("height")
        (length,) = given.values()
        solved: tuple[float, float] | None = (length, width)
    elif len(given) == 1:
        side = next(iter(given.values()))
        if area is not None:
            other = area / side
        elif perimeter is not None:
            other = perimeter / 2 - side
        else:  # the diagonal: Pythagoras
            other = math.sqrt(diagonal * diagonal - side * side) if diagonal is not None and diagonal > side else 0.0
        solved = (other, side) if "width" in given else (side, other)
    elif area is not None and perimeter is not None:
        solved = _pair(perimeter / 2, area)
    elif area is not None and diagonal is not None:  # (l + w)^2 = d^2 + 2 A
        solved = _pair(math.sqrt(diagonal * diagonal + 2 * area), area)
    elif perimeter is not None and diagonal is not None:  # l w = ((l + w)^2 - d^2) / 2
        solved = _pair(perimeter / 2, ((perimeter / 2) ** 2 - diagonal * diagonal) / 2)
    else:
        return None  # a measure no rectangle is given by (a radius)
    if solved is None or min(solved) <= 0:
        return None
    length, width = solved
    return {"length": length, "width": width, "area": length * width, "perimeter": 2 * (length + width),
            "diagonal": math.hypot(length, width)}


def _square(m: Mapping[str, float]) -> dict[str, float] | None:
    if len(m) != 1:
        return None
    (measure, value), = m.items()
    side = {"side": value, "length": value, "area": math.sqrt(value) if value > 0 else 0.0, "perimeter": value / 4,
            "diagonal": value / math.sqrt(2)}.get(measure, 0.0)
    if side <= 0:
        return None
    return {"side": side, "area": side * side, "perimeter": 4 * side, "diagonal": side * math.sqrt(2)}


def _circle(m: Mapping[str, float]) -> dict[str, float] | None:
    if len(m) != 1:
        return None
    (measure, value), = m.items()
    radius = {"radius": value, "diameter": value / 2, "circumference": value / (2 * math.pi),
              "perimeter": value / (2 * math.pi), "area": math.sqrt(value / math.pi) if value > 0 else 0.0
              }.get(measure, 0.0)
    if radius <= 0:
        return None
    circumference = 2 * math.pi * radius
    return {"radius": radius, "diameter": 2 * radius, "area": math.pi * radius * radius,
            "circumference": circumference, "perimeter": circumference}


def _triangle(m: Mapping[str, float]) -> dict[str, float] | None:
    """Three sides (Heron's area), or a base and a height (the area only)."""
    if set(m) == {"base", "height"} and m["base"] > 0 and m["height"] > 0:
        return {"area": m["base"] * m["height"] / 2}
    if set(m) != {"side1", "side2", "side3"}:
        return None
    a, b, c = m["side1"], m["side2"], m["side3"]
    s = (a + b + c) / 2
    inside = s * (s - a) * (s - b) * (s - c)
    if min(a, b, c) <= 0 or inside <= 0:
        return None  # no triangle has these sides
    return {"area": math.sqrt(inside), "perimeter": a + b + c}


_SOLVERS = {"rectangle": _rectangle, "square": _square, "circle": _circle, "triangle": _triangle}


def property_answer(words: set[str], numbers: Mapping[str, float],
                    arguments: Mapping[str, Any]) -> tuple[str, float] | None:
    """(attribute, value) for a call that names the attribute it wants of the one shape the tool names."""
    wanted = selector(arguments)
    shapes = [shape for shape in _SHAPES if shape in words]
    if wanted is None or len(shapes) != 1:
        return None
    measures = _measures(numbers)
    attributes = _SOLVERS[shapes[0]](measures) if measures else None
    if attributes is None:
        return None
    named = [a for a in dict.fromkeys(name_tokens(wanted)) if a in attributes]
    if len(named) != 1:
        return None  # "area and perimeter" or a word no attribute has: not one plain answer
    return named[0], attributes[named[0]]
