"""More named formulas, the same kind as formulas.py's and read the same way (compute.py tries these after
those): bonds and growth, a growing population and a depreciating asset, taxes and gains, interest a tool does not call simple or compound, the magnetic
field of a wire or a loop, the potential across a uniform field, the heat capacity of a volume of air.

Each is the textbook formula a reader would check the answer with; where a tool's words leave two readings
open (a `friction` beside the operands, a `monthly` flag set), the operands do not bind and nothing is
computed. Rates above 1 are percentages, as in formulas.py.
"""

from __future__ import annotations

import math
from typing import Mapping

from .formulas import PER_YEAR, PRINCIPAL, RATE, YEARS, Formula, Operand, as_fraction, compounded

MU_0 = 4e-7 * math.pi  # T m / A: the vacuum's permeability
ATMOSPHERE = 101325.0  # Pa
# gases whose molecules have two atoms: C_p = 7/2 n R near room temperature (air is 99 % N2 and O2)
_DIATOMIC = frozenset({"air", "nitrogen", "oxygen", "hydrogen", "n2", "o2", "h2"})


def _one_of(*words: str) -> frozenset[str]:
    return frozenset(words)


def _bond_price(face: float, coupon_rate: float, required: float, years: float) -> float | None:
    """The annual coupons and the face value at maturity, each discounted at the required return."""
    return _discounted(face * as_fraction(coupon_rate), required, years, face)


def _discounted(payment: float, rate: float, years: float, face: float) -> float | None:
    y = as_fraction(rate)
    if years < 0 or y <= -1:
        return None
    annuity = payment * years if y == 0 else payment * (1 - (1 + y) ** -years) / y
    return annuity + face * (1 + y) ** -years


def _heat_capacity(temperature: float, volume: float, pressure: float, text: Mapping[str, str]) -> float | None:
    """C_p = 7/2 n R with n = P V / (R T): 7/2 P V / T joules per kelvin, T in kelvin."""
    gases = {v.strip().lower() for k, v in text.items() if "gas" in k.lower() or "substance" in k.lower()}
    if gases - _DIATOMIC or len(gases) != len(text) or temperature <= 0:
        return None  # a monatomic gas (5/2) or a text argument we cannot read would change the answer
    return 3.5 * pressure * volume / temperature


GROWTH = Operand(RATE.names + ("annual_growth_rate", "growth_rate", "annual_yield", "yield", "yield_rate",
                               "annual_return", "return_rate"))
HOLDING = Operand(YEARS.names + ("holding_period", "investment_period"))
INVESTED = Operand(PRINCIPAL.names + ("investment", "invested_amount"))
CURRENT = Operand(("current", "i", "current_amperes"))
PERMEABILITY = Operand(("permeability", "mu", "mu0", "mu_0"), default=MU_0)

MORE_FORMULAS: tuple[Formula, ...] = (
    # interest over some years that the tool calls neither simple nor compound: I = P r t, as a bank states
    # accrued interest; a mortgage's or a loan's interest follows a payment schedule, so not for those
    Formula("interest", (_one_of("interest"),), (PRINCIPAL, RATE, YEARS), lambda p, r, t: p * as_fraction(r) * t,
            excluded=frozenset({"compound", "compounded", "compounding", "mortgage", "loan", "monthly", "emi"})),
    # a stock's projected return over a holding period: the gain, what the amount grew by (dividends,
    # when asked for, would need a yield the call does not give); before the balance below, which a
    # "projected" return would match too
    Formula("stock_return", (_one_of("stock", "stocks", "shares"), _one_of("return", "returns")),
            (INVESTED, GROWTH, HOLDING),
            lambda p, g, t: None if (a := compounded(p, g, t, 1.0)) is None else a - p,
            unless=frozenset({"dividends", "dividend"})),
    # what an amount grows to at a yearly rate: a fund's final balance, an investment's value after a term
    Formula("future_value", (_one_of("balance", "future", "projected", "maturity"),),
            (INVESTED, GROWTH, HOLDING, PER_YEAR), compounded, unless=frozenset({"monthly", "dividends"})),
    # a bond's price: the annual coupons (the coupon rate of the face value) and the face value at maturity,
    # discounted at the required return
    Formula("bond_price", (_one_of("bond", "bonds"), _one_of("price", "value", "valuation")),
            (Operand(("face_value", "par_value", "face", "par", "face_amount")), Operand(("coupon_rate", "coupon")),
             Operand(("required_return", "required_rate", "yield_to_maturity", "ytm", "market_rate",
                      "discount_rate", "yield")),
             Operand(("maturity_years", "years_to_maturity", "years", "maturity", "period", "periods", "term"))),
            _bond_price),
    # the same with the coupon given as a payment, the face value 1000 unless given (as such tools declare)
    Formula("discounted_cash_flow", (_one_of("discounted", "dcf"),),
            (Operand(("coupon_payment", "annual_payment", "payment", "cash_flow")), Operand(("discount_rate", "rate")),
             Operand(("period", "periods", "years", "time_frame", "maturity")),
             Operand(("face_value", "par_value", "face"), default=1000.0)),
            lambda c, r, n, f: _discounted(c, r, n, f)),
    # income tax: the rate on what is left after deductions (never below nothing)
    Formula("tax", (_one_of("tax", "taxes"),),
            (Operand(("annual_income", "income", "taxable_income", "gross_income")), Operand(("tax_rate", "rate")),
             Operand(("other_deductions", "deductions", "deduction", "total_deductions"), default=0.0)),
            lambda income, r, d: max(income - d, 0.0) * as_fraction(r)),
    # capital gains (or losses): what the shares sold for less what they cost; a tax rate beside it is for a
    # tax on the gain, another figure
    Formula("capital_gains", (_one_of("capital"), _one_of("gain", "gains")),
            (Operand(("purchase_price", "buy_price", "cost_price", "bought_price")),
             Operand(("sale_price", "sell_price", "selling_price", "sold_price")),
             Operand(("shares", "quantity", "number_of_shares", "num_shares"), default=1.0)),
            lambda buy, sell, shares: (sell - buy) * shares, tolerated=frozenset({"tax_rate"})),
    # the magnetic field at the centre of a circular loop, B = mu I / (2 R); of a straight wire, mu I / (2 pi r)
    Formula("magnetic_field", (_one_of("magnetic"), _one_of("loop", "circular", "coil", "ring")),
            (CURRENT, Operand(("radius", "r", "loop_radius")), PERMEABILITY),
            lambda i, r, mu: mu * i / (2 * r) if r > 0 else None),
    Formula("magnetic_field", (_one_of("magnetic"), _one_of("field")),
            (CURRENT, Operand(("distance", "r", "radial_distance", "distance_from_wire")), PERMEABILITY),
            lambda i, r, mu: mu * i / (2 * math.pi * r) if r > 0 else None),
    # the potential difference across a distance along a uniform field, V = E d (a test charge changes the
    # energy it gains, not the potential)
    Formula("voltage_difference", (_one_of("voltage", "potential"), _one_of("difference")),
            (Operand(("electric_field", "field", "field_strength", "e")), Operand(("distance", "d"))),
            lambda e, d: e * d, tolerated=frozenset({"charge"})),
    # a population growing at a yearly rate: P (1 + r)^t, as a growth rate compounds (elephants, a city)
    Formula("population", (_one_of("population"),),
            (Operand(("current_population", "population", "initial_population", "starting_population")),
             Operand(("growth_rate", "annual_growth_rate", "rate", "population_growth_rate")), HOLDING),
            lambda p, r, t: p * (1 + as_fraction(r)) ** t),
    # what a property or an asset is worth after years of depreciation at a yearly rate, on the declining
    # balance: C (1 - r)^t; a rate of 100% or more leaves no reading
    Formula("depreciated_value", (_one_of("depreciation", "depreciated", "depreciate"),),
            (Operand(("initial_cost", "cost", "purchase_price", "initial_value", "asset_value", "value")),
             Operand(("depreciation_rate", "rate", "annual_depreciation_rate")), HOLDING),
            lambda c, r, t: c * (1 - as_fraction(r)) ** t if as_fraction(r) < 1 else None,
            unless=frozenset({"monthly"})),
    # the heat capacity at constant pressure of a volume of air at a temperature, at one atmosphere
    Formula("heat_capacity", (_one_of("heat"), _one_of("capacity")),
            (Operand(("temp", "temperature", "t")), Operand(("volume", "v")),
             Operand(("pressure", "p"), default=ATMOSPHERE)),
            _heat_capacity, uses_text=True),
)
