"""Named formulas for calculation tools whose meaning is plain from the name, the description's opening and
the argument names: kinematics, roots and logarithms, interest, BMI and the like.

One `Formula` per rule, in `FORMULAS`: the words that say what the tool computes, its operands by the names
arguments go by (with a default where the physics has one: an object dropped starts at rest), and the
function. A rule applies only when every numeric argument is one of its operands (a `precision` or
`rounding` argument is not an operand): a `friction` or `angle` beside them would mean another formula,
and then nothing is computed rather than a wrong number. The simulated executor produces results with
these rules and the quality stage verifies results with the same ones (compute.py is the way in).

A rate given above 1 is read as a percentage (5 means 5 %), as interest tools are called.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..values import name_tokens
from ..values.showing import SHOWING_WORDS, shows_only  # noqa: F401 - arguments that say how to show the answer

GRAVITY = 9.81
COULOMB = 8.99e9  # N m^2 / C^2
VACUUM_PERMITTIVITY = 8.854e-12  # F / m
# text arguments a formula may ignore: they say in which units or form the answer is shown; any other text
# (a `medium`, a `substance`) may change the answer, and then nothing is computed
_FORM_TEXT = frozenset({"unit", "units", "system", "format"})
# answers that are shares: written as a fraction or in percent alike (0.25 and 25 say the same)
SHARE_QUANTITIES = frozenset({"percentage", "probability", "batting_average", "roi", "cagr"})
EARTH_RADIUS = {"km": 6371.0, "kilometers": 6371.0, "kilometres": 6371.0, "miles": 3958.8, "mi": 3958.8}


@dataclass(frozen=True)
class Operand:
    names: tuple[str, ...]  # argument names (whole, joined tokens, or last token) it may go by
    default: float | None = None  # used when the call does not pass it; None: required


@dataclass(frozen=True)
class Formula:
    quantity: str  # the answer's field name when the tool declares none ("final_speed", "bmi")
    words: tuple[frozenset[str], ...]  # each set: one of its words must name the tool (name or description)
    operands: tuple[Operand, ...]
    function: Callable[..., float | None]
    tolerated: frozenset[str] = frozenset()  # more numbers the call may pass without changing the formula
    uses_text: bool = False  # the function takes the call's text arguments too (a BMI's unit system)
    excluded: frozenset[str] = frozenset()  # words that, naming the tool, mean another formula (a mortgage)
    unless: frozenset[str] = frozenset()  # a yes/no argument of these words set true means another formula

    def named(self, words: set[str]) -> str:
        """The quantity named as the tool names it: `final_speed` for a speed tool, `final_velocity` else;
        `distance` for a tool that says distance."""
        for ours, theirs in (("velocity", "speed"), ("displacement", "distance")):
            if ours in self.quantity and theirs in words and ours not in words:
                return self.quantity.replace(ours, theirs)
        return self.quantity


def _one_of(*words: str) -> frozenset[str]:
    return frozenset(words)


INITIAL = Operand(("initial_velocity", "initial_speed", "v0", "u", "starting_velocity"), default=0.0)
ACCELERATION = Operand(("acceleration", "a", "gravity", "g"))
GRAVITY_OPERAND = Operand(("gravity", "g", "acceleration", "gravitational_acceleration"), default=GRAVITY)
TIME = Operand(("time", "t", "duration", "time_elapsed", "elapsed_time"))
PRINCIPAL = Operand(("principal", "principle", "principle_amount", "principal_amount", "amount", "deposit",
                     "initial_investment", "investment_amount", "present_value", "initial_deposit"))
RATE = Operand(("rate", "annual_rate", "interest_rate", "annual_interest_rate", "rate_of_interest"))
YEARS = Operand(("time", "years", "duration", "period", "time_in_years", "number_of_years", "t", "term"))
PER_YEAR = Operand(("n", "compounds_per_year", "compound_freq", "compounding_frequency", "compounding_freq",
                    "compounding_periods_per_year", "compounded", "times_compounded", "compounding"), default=1.0)
NUMBER = Operand(("number", "num", "value", "x", "n"))


def as_fraction(rate: float) -> float:
    return rate / 100 if rate > 1 else rate


def _sqrt(x: float) -> float | None:
    return math.sqrt(x) if x >= 0 else None


def _log(value: float, base: float) -> float | None:
    return math.log(value) / math.log(base) if value > 0 and base > 0 and base != 1 else None


def _power(base: float, exponent: float, mod: float | None = None) -> float | None:
    try:
        if mod is not None:
            if not (float(base).is_integer() and float(exponent).is_integer() and float(mod).is_integer()) \
                    or mod == 0 or exponent < 0:
                return None
            return float(pow(int(base), int(exponent), int(mod)))
        return float(base) ** float(exponent)
    except (OverflowError, ZeroDivisionError, ValueError):
        return None


def _factorial(n: float) -> float | None:
    return float(math.factorial(int(n))) if float(n).is_integer() and 0 <= n <= 170 else None


def _whole(*values: float) -> bool:
    return all(float(v).is_integer() for v in values)


def compounded(principal: float, rate: float, years: float, per_year: float) -> float | None:
    if per_year <= 0:
        return None
    try:
        return principal * (1 + as_fraction(rate) / per_year) ** (per_year * years)
    except OverflowError:
        return None


def _bmi(weight: float, height: float, text: Mapping[str, str]) -> float | None:
    if height <= 0:
        return None
    if any("imperial" in v.lower() or v.lower() in ("lb", "lbs", "in", "inches") for v in text.values()):
        return 703 * weight / height ** 2
    height = height / 100 if height > 3 else height  # centimetres, as people give heights
    return weight / height ** 2


def _mortgage(loan: float, rate: float, years: float) -> float | None:
    monthly, months = as_fraction(rate) / 12, years * 12
    if months <= 0:
        return None
    return loan / months if monthly == 0 else loan * monthly / (1 - (1 + monthly) ** -months)


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float, text: Mapping[str, str]) -> float | None:
    units = [v.strip().lower() for v in text.values()]
    radius = next((EARTH_RADIUS[u] for u in units if u in EARTH_RADIUS), None if units else EARTH_RADIUS["km"])
    if radius is None or not (abs(lat1) <= 90 and abs(lat2) <= 90):
        return None
    p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    return 2 * radius * math.asin(math.sqrt(math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2))


def _heron(a: float, b: float, c: float) -> float | None:
    s = (a + b + c) / 2
    inside = s * (s - a) * (s - b) * (s - c)
    return math.sqrt(inside) if inside >= 0 else None


FORMULAS: tuple[Formula, ...] = (
    # kinematics: v = v0 + a t; v = sqrt(v0^2 + 2 g h) for a fall from a height; v = sqrt(v0^2 + 2 a d)
    Formula("final_velocity", (_one_of("final"), _one_of("velocity", "speed")), (INITIAL, ACCELERATION, TIME),
            lambda v0, a, t: v0 + a * t),
    Formula("final_velocity", (_one_of("final"), _one_of("velocity", "speed")),
            (INITIAL, GRAVITY_OPERAND, Operand(("height", "h", "drop_height"))),
            lambda v0, g, h: _sqrt(v0 * v0 + 2 * g * h)),
    Formula("final_velocity", (_one_of("final"), _one_of("velocity", "speed")),
            (INITIAL, ACCELERATION, Operand(("distance", "displacement", "d", "s"))),
            lambda v0, a, d: _sqrt(v0 * v0 + 2 * a * d)),
    # free fall from rest for a time: v = g t
    Formula("velocity", (_one_of("free", "falling", "fall"), _one_of("velocity", "speed")), (GRAVITY_OPERAND, TIME),
            lambda g, t: g * t),
    # s = v0 t + a t^2 / 2
    Formula("displacement", (_one_of("displacement", "distance"),), (INITIAL, ACCELERATION, TIME),
            lambda v0, a, t: v0 * t + 0.5 * a * t * t),
    # a = (v1 - v0) / t, else (v1^2 - v0^2) / 2d
    Formula("acceleration", (_one_of("acceleration"),),
            (INITIAL, Operand(("final_velocity", "final_speed", "v", "v1")), TIME),
            lambda v0, v1, t: (v1 - v0) / t if t else None, tolerated=frozenset({"distance"})),
    Formula("acceleration", (_one_of("acceleration"),),
            (INITIAL, Operand(("final_velocity", "final_speed", "v", "v1")), Operand(("distance", "displacement"))),
            lambda v0, v1, d: (v1 * v1 - v0 * v0) / (2 * d) if d else None),
    Formula("max_height", (_one_of("maximum", "max"), _one_of("height")), (INITIAL, GRAVITY_OPERAND),
            lambda v0, g: v0 * v0 / (2 * g) if g else None),
    # roots, logarithms, powers, factorials, divisors
    Formula("square_root", (_one_of("sqrt", "root"),), (NUMBER,), _sqrt),
    Formula("logarithm", (_one_of("log", "logarithm"),), (NUMBER, Operand(("base", "b"))), _log),
    Formula("power", (_one_of("power", "pow", "exponent", "exponentiation"),),
            (Operand(("base", "x", "number", "a")), Operand(("exponent", "power", "y", "n", "b")),
             Operand(("mod", "modulus", "modulo"), default=math.nan)),
            lambda b, e, m: _power(b, e, None if math.isnan(m) else m)),
    Formula("factorial", (_one_of("factorial"),), (NUMBER,), _factorial),
    Formula("gcd", (_one_of("gcd", "hcf", "divisor"),), (Operand(("num1", "number1", "a", "x")),
                                                        Operand(("num2", "number2", "b", "y"))),
            lambda a, b: float(math.gcd(int(a), int(b))) if _whole(a, b) else None),
    Formula("lcm", (_one_of("lcm", "multiple"),), (Operand(("num1", "number1", "a", "x")),
                                                   Operand(("num2", "number2", "b", "y"))),
            lambda a, b: float(math.lcm(int(a), int(b))) if _whole(a, b) else None),
    # shares
    Formula("percentage", (_one_of("percentage", "percent"),),
            (Operand(("part", "value", "portion", "amount")), Operand(("whole", "total"))),
            lambda part, whole: part / whole * 100 if whole else None),
    Formula("probability", (_one_of("probability", "odds"),),
            (Operand(("favorable_outcomes", "event_outcomes", "success_outcomes", "favourable_outcomes")),
             Operand(("total_outcomes",))),
            lambda part, whole: part / whole if whole else None),
    Formula("batting_average", (_one_of("batting"),), (Operand(("hits",)), Operand(("at_bats",))),
            lambda hits, at_bats: hits / at_bats if at_bats else None),
    # money
    Formula("interest", (_one_of("simple"), _one_of("interest")), (PRINCIPAL, RATE, YEARS),
            lambda p, r, t: p * as_fraction(r) * t),
    Formula("interest", (_one_of("compound", "compounded", "compounding"), _one_of("interest")),
            (PRINCIPAL, RATE, YEARS, PER_YEAR),
            lambda p, r, t, n: None if (a := compounded(p, r, t, n)) is None else a - p),
    Formula("future_value", (_one_of("future"), _one_of("value")), (PRINCIPAL, RATE, YEARS, PER_YEAR),
            compounded),
    Formula("monthly_payment", (_one_of("mortgage", "loan"), _one_of("payment")),
            (Operand(("loan_amount", "principal", "amount", "loan")), RATE,
             Operand(("years", "loan_term", "term", "duration"))), _mortgage),
    Formula("dividend_payout", (_one_of("dividend"), _one_of("payout")),
            (Operand(("dividend_per_share",)), Operand(("shares", "number_of_shares"))), lambda d, s: d * s),
    Formula("dividend_per_share", (_one_of("dividend"), _one_of("share")),
            (Operand(("total_payout", "total_dividends")), Operand(("outstanding_shares", "shares"))),
            lambda total, shares: total / shares if shares else None),
    Formula("final_price", (_one_of("final"), _one_of("price")),
            (Operand(("price", "original_price", "base_price")), Operand(("discount_rate", "discount"), default=0.0),
             Operand(("sales_tax", "tax_rate", "tax"), default=0.0)),
            lambda p, d, t: p * (1 - as_fraction(d)) * (1 + as_fraction(t))),
    Formula("roi", (_one_of("roi", "return"),), (Operand(("net_profit", "gain_loss", "profit", "gain")),
                                                 Operand(("investment_amount", "initial_investment", "investment"))),
            lambda gain, cost: gain / cost * 100 if cost else None),
    Formula("cagr", (_one_of("cagr", "growth"),), (Operand(("initial_value", "start_value", "beginning_value")),
                                                   Operand(("final_value", "end_value", "ending_value")),
                                                   Operand(("period_in_years", "years", "periods", "period"))),
            lambda a, b, n: (b / a) ** (1 / n) - 1 if a > 0 and b >= 0 and n > 0 else None),
    # body and matter
    Formula("bmi", (_one_of("bmi", "body"),), (Operand(("weight", "weight_kg", "mass")),
                                               Operand(("height", "height_m", "height_cm"))),
            _bmi, uses_text=True),
    Formula("heat", (_one_of("heat"),), (Operand(("mass", "m")), Operand(("specific_heat", "specific_heat_capacity")),
                                         Operand(("change_in_temp", "temperature_change", "delta_t"))),
            lambda m, c, dt: m * c * dt),
    Formula("velocity", (_one_of("wave"), _one_of("velocity", "speed")),
            (Operand(("frequency",)), Operand(("wavelength",))), lambda f, lam: f * lam),
    Formula("absolute_pressure", (_one_of("absolute"), _one_of("pressure")),
            (Operand(("atm_pressure", "atmospheric_pressure")), Operand(("gauge_pressure",))), lambda a, g: a + g),
    # two amounts of one substance mixed: the mean of their temperatures weighted by amount
    Formula("final_temperature", (_one_of("final", "equilibrium"), _one_of("temperature")),
            (Operand(("quantity1", "mass1", "m1")), Operand(("quantity2", "mass2", "m2")),
             Operand(("temperature1", "temp1", "t1")), Operand(("temperature2", "temp2", "t2"))),
            lambda q1, q2, t1, t2: (q1 * t1 + q2 * t2) / (q1 + q2) if q1 + q2 else None,
            tolerated=frozenset({"specific_heat_capacity", "specific_heat"})),
    # great-circle distance between two points given by latitude and longitude
    Formula("distance", (_one_of("distance"),),
            (Operand(("from_lat", "lat1", "start_lat", "latitude1")), Operand(("from_long", "from_lon", "lon1", "long1",
                                                                              "start_lon", "longitude1")),
             Operand(("to_lat", "lat2", "end_lat", "latitude2")), Operand(("to_long", "to_lon", "lon2", "long2",
                                                                          "end_lon", "longitude2"))),
            _haversine, uses_text=True),
    # a closed chamber heated at constant volume: p2 = p1 T2 / T1, temperatures in degrees Celsius as the
    # bundled tool declares them, the pressure at sea level unless given
    Formula("pressure", (_one_of("gas"), _one_of("pressure")),
            (Operand(("initial_pressure", "p1"), default=101325.0), Operand(("initial_temperature", "t1")),
             Operand(("final_temperature", "t2"))),
            lambda p1, t1, t2: p1 * (t2 + 273.15) / (t1 + 273.15) if t1 + 273.15 > 0 else None,
            tolerated=frozenset({"volume"})),
    # Coulomb: the potential energy of two charges, the field of one
    Formula("potential", (_one_of("electrostatic", "coulomb"), _one_of("potential", "energy")),
            (Operand(("charge1", "q1")), Operand(("charge2", "q2")), Operand(("distance", "r")),
             Operand(("constant", "k"), default=COULOMB)),
            lambda q1, q2, r, k: k * q1 * q2 / r if r else None),
    Formula("electric_field", (_one_of("electric"), _one_of("field")),
            (Operand(("charge", "q")), Operand(("distance", "r")),
             Operand(("permitivity", "permittivity", "epsilon"), default=VACUUM_PERMITTIVITY)),
            lambda q, r, eps: q / (4 * math.pi * eps * r * r) if r and eps else None),
    # the present value of a payment received each year for some years: an annuity
    Formula("present_value", (_one_of("present"), _one_of("value")),
            (Operand(("payment_per_year", "payment", "annual_payment", "cash_flow")), RATE,
             Operand(("years", "periods", "number_of_years"))),
            lambda pmt, r, n: pmt * n if as_fraction(r) == 0 else
            pmt * (1 - (1 + as_fraction(r)) ** -n) / as_fraction(r)),
    # geometry beyond compute.py's shapes: Heron's triangle, a cone, a Euclidean norm
    Formula("area", (_one_of("heron"),), (Operand(("side1", "a")), Operand(("side2", "b")), Operand(("side3", "c"))),
            _heron),
    Formula("volume", (_one_of("cone"), _one_of("volume")), (Operand(("radius", "r")), Operand(("height", "h"))),
            lambda r, h: math.pi * r * r * h / 3),
)


def _bind(numbers: Mapping[str, float], operands: tuple[Operand, ...]) -> tuple[list[float], set[str]] | None:
    """The operands' values from the arguments (whole or joined names first, then a last word), and the
    argument keys used; None when a required operand is missing."""
    used: set[str] = set()
    found: list[float | None] = [None] * len(operands)
    for exact in (True, False):
        for i, operand in enumerate(operands):
            if found[i] is not None:
                continue
            for key, value in numbers.items():
                tokens = name_tokens(key)
                joined = "_".join(tokens)
                hit = key in operand.names or joined in operand.names if exact else \
                    bool(tokens) and tokens[-1] in operand.names
                if key not in used and hit:
                    found[i] = value
                    used.add(key)
                    break
    values: list[float] = []
    for operand, value in zip(operands, found):
        if value is None and operand.default is None:
            return None
        values.append(operand.default if value is None else value)  # type: ignore[arg-type]
    return values, used


def formula_answer(words: set[str], numbers: Mapping[str, float], arguments: Mapping[str, Any],
                   formulas: tuple[Formula, ...]) -> tuple[str, float] | None:
    """(quantity, value) of the first of `formulas` the tool's words name whose operands the arguments are
    (compute.py passes these and formulas_more.py's, in that order)."""
    operands_passed = {k: v for k, v in numbers.items() if not shows_only(k)}
    text = {k: v for k, v in arguments.items() if isinstance(v, str)}
    other_text = any(not set(name_tokens(k)) & _FORM_TEXT for k in text)
    flags_on = {token for k, v in arguments.items() if v is True for token in name_tokens(k)}
    for formula in formulas:
        if not all(words & group for group in formula.words) or (other_text and not formula.uses_text) \
                or words & formula.excluded or flags_on & formula.unless:
            continue
        bound = _bind(operands_passed, formula.operands)
        if bound is None:
            continue
        values, used = bound
        extra = {k for k in operands_passed if k not in used and "_".join(name_tokens(k)) not in formula.tolerated}
        if extra:
            continue  # another number would mean another formula
        value = formula.function(*values, text) if formula.uses_text else formula.function(*values)
        if value is not None and math.isfinite(value):
            return formula.named(words), float(value)
    return None
