"""Initial states for bfcl-eval's TradingBot and TicketAPI, made the way python_states.py makes the others:
a varied base from the dialogue's seed (a portfolio: quotes, orders, a watchlist, a balance; a support queue of
tickets), then repairs before each planned call of the dry run (the symbol it trades is quoted, the order it
cancels is open, the ticket it closes exists, the balance covers the purchase).

The classes' fixed universe stays theirs (`get_symbol_by_name` and `get_available_stocks` answer from maps
in the code): the planner takes the company a lookup names from that map (`trading_values`, read by calling the
class); quotes, orders, balances and tickets are drawn here, never taken from BFCL's test entries.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import Any, Mapping, MutableMapping

from ..values import composed_values as composed
from ..typed_values import faker_for, typed_text
from .python_probe import known_inputs

# tickers the class's own name and sector maps use, so its lookups and the generated quotes agree
SYMBOLS = ("AAPL", "GOOG", "TSLA", "MSFT", "NVDA", "ZETA", "ALPH", "OMEG", "QUAS", "NEPT", "SYNX", "AMZN", "GORI",
           "F", "GM")


# what a ticker looks like: a value that is not one (the class's "Stock not found" read back from
# get_symbol_by_name) is never quoted, so that chain fails as it would on the class
TICKER = re.compile(r"[A-Z][A-Z.]{0,5}")


def _ticker(value: Any) -> bool:
    return isinstance(value, str) and TICKER.fullmatch(value) is not None


def _quote(rng: random.Random) -> dict[str, float]:
    price = round(rng.uniform(8, 2500), 2)
    return {"price": price, "percent_change": round(rng.uniform(-3, 3), 2), "volume": round(rng.uniform(0.2, 5), 3),
            "MA(5)": round(price * rng.uniform(0.97, 1.03), 2), "MA(20)": round(price * rng.uniform(0.92, 1.08), 2)}


def _order(rng: random.Random, order_id: int, symbol: str, price: float, status: str | None = None) -> dict[str, Any]:
    return {"id": order_id, "order_type": rng.choice(("Buy", "Sell")), "symbol": symbol,
            "price": round(price * rng.uniform(0.95, 1.05), 2), "amount": rng.randint(1, 60),
            "status": status or rng.choice(("Completed", "Pending", "Open"))}


def trading_state(rng: random.Random) -> dict[str, Any]:
    """6-11 quoted stocks, 1-4 earlier orders, a watchlist, a funded account, signed in, market open or not."""
    stocks = {symbol: _quote(rng) for symbol in rng.sample(SYMBOLS, k=rng.randint(6, 11))}
    first = rng.randint(10_000, 90_000)
    orders = {}
    for order_id in range(first, first + rng.randint(1, 4)):
        symbol = rng.choice(sorted(stocks))
        orders[str(order_id)] = _order(rng, order_id, symbol, stocks[symbol]["price"])
    return {"random_seed": rng.randint(1, 999_999), "orders": orders,
            "account_info": {"account_id": rng.randint(10_000, 99_999), "balance": round(rng.uniform(2_000, 80_000), 2),
                             "binding_card": int("4" + "".join(str(rng.randint(0, 9)) for _ in range(15)))},
            "authenticated": True, "market_status": "Open" if rng.random() < 0.8 else "Closed",
            "order_counter": first + len(orders), "stocks": stocks,
            "watch_list": rng.sample(sorted(stocks), k=rng.randint(0, 3)), "transaction_history": []}


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def repair_trading(state: MutableMapping[str, Any], instance: Any, method: str, args: Mapping[str, Any],
                   rng: random.Random) -> bool:
    symbol = args.get("symbol") if method != "add_to_watchlist" else args.get("stock")
    if _ticker(symbol) and symbol not in instance.stocks and symbol not in state["stocks"]:
        state["stocks"][symbol] = _quote(rng)
        return True
    listed_stocks = args.get("stocks") if method in ("filter_stocks_by_price", "notify_price_change") else None
    for listed in listed_stocks if isinstance(listed_stocks, list) else []:
        if _ticker(listed) and listed not in state["stocks"]:
            state["stocks"][listed] = _quote(rng)
            return True
    order_id = args.get("order_id")
    if method in ("get_order_details", "cancel_order") and _is_id(order_id) and order_id not in instance.orders:
        quoted = rng.choice(sorted(state["stocks"]))
        status = "Open" if method == "cancel_order" else None
        state["orders"][str(order_id)] = _order(rng, order_id, quoted, state["stocks"][quoted]["price"], status)
        state["order_counter"] = max(state["order_counter"], order_id + 1)
        return True
    if method == "cancel_order" and str(order_id) in state["orders"] and instance.orders.get(order_id, {}).get(
            "status") == "Completed" and state["orders"][str(order_id)]["status"] == "Completed":
        state["orders"][str(order_id)]["status"] = "Pending"
        return True
    if method == "remove_stock_from_watchlist" and isinstance(symbol, str) and symbol not in instance.watch_list:
        state["watch_list"].append(symbol)
        return True
    cost = 0.0
    if method == "place_order" and str(args.get("order_type", "")).lower() == "buy":
        cost = _number(args.get("price")) * _number(args.get("amount"))
    if method == "withdraw_funds":
        cost = _number(args.get("amount"))
        if instance.market_status != "Open" and state["market_status"] != "Open":
            state["market_status"] = "Open"
            return True
    if cost > instance.account_info.get("balance", 0) and cost <= 10_000_000:
        state["account_info"]["balance"] = round(state["account_info"]["balance"] + cost * rng.uniform(1.1, 2), 2)
        return True
    return False


@lru_cache(maxsize=None)
def _companies(cls: type) -> tuple[str, ...]:
    return tuple(sorted(known_inputs(cls, "get_symbol_by_name", "name")))


def trading_values(cls: type, method: str, fixed: Mapping[str, Any], earlier: Any, rng: random.Random) -> dict[str, Any]:
    """The company a symbol lookup names is one the class's fixed map knows (read from the class): a state cannot
    add to that map, and an unknown name answers "Stock not found", which the next call then fails on."""
    names = _companies(cls) if method == "get_symbol_by_name" else ()
    return {"name": fixed["name"] if fixed.get("name") in names else rng.choice(names)} if names else {}


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


# ------------------------------------------------------------------------------------------------ tickets

STATUSES = ("Open", "In Progress", "Resolved", "Closed")


def _ticket(rng: random.Random, ticket_id: int, user: str, status: str | None = None) -> dict[str, Any]:
    return {"id": ticket_id, "title": composed.title(rng),
            "description": f"{composed.message(rng)}.", "status": status or rng.choice(STATUSES),
            "priority": rng.randint(1, 5), "created_by": user}


def ticket_state(rng: random.Random) -> dict[str, Any]:
    """A support queue of 2-6 tickets by the signed-in user and colleagues."""
    user = faker_for(rng).user_name()
    others = [faker_for(rng).user_name() for _ in range(2)]
    first = rng.randint(1, 900)
    queue = [_ticket(rng, ticket_id, rng.choice([user, user, *others]))
             for ticket_id in range(first, first + rng.randint(2, 6))]
    return {"ticket_queue": queue, "ticket_counter": first + len(queue), "current_user": user}


def repair_tickets(state: MutableMapping[str, Any], instance: Any, method: str, args: Mapping[str, Any],
                   rng: random.Random) -> bool:
    ticket_id = args.get("ticket_id")
    if _is_id(ticket_id) and method != "create_ticket":
        if not any(t["id"] == ticket_id for t in instance.ticket_queue) and not any(
                t["id"] == ticket_id for t in state["ticket_queue"]):
            user = state.get("current_user") or typed_text("username", rng)
            state["ticket_queue"].append(_ticket(rng, ticket_id, user, "Open"))
            state["ticket_counter"] = max(state["ticket_counter"], ticket_id + 1)
            return True
        done = {"close_ticket": "Closed", "resolve_ticket": "Resolved"}.get(method)
        found = next((t for t in state["ticket_queue"] if t["id"] == ticket_id), None)
        live = next((t for t in instance.ticket_queue if t["id"] == ticket_id), None)
        if done and found is not None and live is not None and live["status"] == done == found["status"]:
            found["status"] = "In Progress"  # the ticket the plan closes is not closed already
            return True
    if method in ("create_ticket", "get_user_tickets") and not instance.current_user and not state["current_user"]:
        state["current_user"] = typed_text("username", rng)
        return True
    return False
