"""Results a tool's meaning states when it declares no return schema: market data, spelling, suggestions, news.

Without a schema the simulated executor shapes a result by the name's noun, which for these tools said
nothing a reader could use: `{"trading_ohlc": "alternate trading ohlc"}` for a stock's open and close,
`{"results": [{"id": "COM-13553", "name": "main complete"}]}` for the completions of a prefix. One rule per
meaning, read from the tool's name and description (any API's, not one tool's), each answering with what
that kind of API returns:
- a price bar (`OHLC`, "the official open and close"): open, high, low and close of the symbol on a date,
  in the range its shares trade in (lexicons.STOCKS), high and low around open and close, and a volume;
- short interest ("short interest positions"): shares sold short at a settlement date, the figure before,
  the average daily volume and the days to cover they give;
- Regulation SHO threshold securities ("threshold securities", "fail to deliver"): the symbol's listing;
- a spell check: the text and the text corrected (lexicons.MISSPELLED_SEARCHES' corrections word by word;
  a text with none of them comes back unchanged);
- completions of a prefix ("autoComplete", "as-you-type completion"): searches that start with the text;
- a news search: articles about the query, each with a title, url, source, date and a line of description;
- a health check (`Checkhealth`): the service is healthy, when it was checked and how fast it answered.
"""

from __future__ import annotations

import random
import re
from typing import Any, Callable, Mapping

from ..mentions import field_key, name_tokens
from ..tools import Tool
from ..typed_values import typed_text
from ..values import lexicons as L
from ..values.record_names import slug
from .queries import text_argument

_SYMBOL_KEYS = frozenset({"symbol", "ticker", "stock", "stocksymbol", "tickersymbol"})
_PAGE_SIZE_KEYS = frozenset({"pagesize", "limit", "count", "maxresults", "perpage", "size", "num"})
_TEXT_KEYS = frozenset({"text", "q", "query", "prefix", "term", "input", "keyword", "keywords", "search"})


def _argument(arguments: Mapping[str, Any], keys: frozenset[str]) -> str | None:
    found = text_argument(arguments, keys=keys)
    return found[1] if found else None


def _date(rng: random.Random) -> str:
    return typed_text("date", rng)


def _price_range(symbol: str) -> tuple[float, float]:
    known = L.STOCKS.get(symbol.upper())
    return (known[1], known[2]) if known else (20.0, 300.0)


def price_bar(arguments: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    symbol = _argument(arguments, _SYMBOL_KEYS) or rng.choice(L.TICKERS)
    low_end, high_end = _price_range(symbol)
    close = rng.uniform(low_end, high_end)
    open_ = close * (1 + rng.uniform(-0.025, 0.025))
    high = max(open_, close) * (1 + rng.uniform(0.001, 0.015))
    low = min(open_, close) * (1 - rng.uniform(0.001, 0.015))
    return {"symbol": symbol, "date": _date(rng), "open": round(open_, 2), "high": round(high, 2),
            "low": round(low, 2), "close": round(close, 2), "volume": rng.randint(4, 90) * 1_000_000 + rng.randint(0, 999_999)}


def short_interest(arguments: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    symbol = _argument(arguments, _SYMBOL_KEYS) or rng.choice(L.TICKERS)
    shares = rng.randint(15, 180) * 1_000_000 + rng.randint(0, 999_999)
    previous = int(shares * rng.uniform(0.85, 1.15))
    volume = rng.randint(8, 90) * 1_000_000
    return {"symbol": symbol, "settlement_date": _date(rng), "short_interest": shares,
            "previous_short_interest": previous,
            "avg_daily_volume": volume, "days_to_cover": round(shares / volume, 2)}


def threshold_securities(arguments: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    symbol = _argument(arguments, _SYMBOL_KEYS) or rng.choice(L.TICKERS)
    known = L.STOCKS.get(symbol.upper())
    record = {"trade_date": _date(rng), "symbol": symbol,
              "security_name": known[0] if known else f"{symbol.upper()} Common Stock"}
    return {"threshold_securities": [record], "total": 1}


_CORRECTIONS = {wrong: right for bad, good in L.MISSPELLED_SEARCHES
                for wrong, right in zip(bad.split(), good.split()) if wrong != right}


def corrected(text: str) -> str:
    """The text with every misspelling the lexicon knows corrected, word by word (case kept for the rest)."""
    return re.sub(r"[A-Za-z]+", lambda m: _CORRECTIONS.get(m.group(0).lower(), m.group(0)), text)


def spell_check(arguments: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    text = _argument(arguments, _TEXT_KEYS) or ""
    fixed = corrected(text)
    return {"text": text, "corrected_text": fixed}


_TAILS = ("near me", "meaning", "today", "reviews", "for beginners")


def completions(arguments: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    text = _argument(arguments, _TEXT_KEYS) or ""
    prefix = text.lower()
    known = sorted({s for s in (*L.SEARCHES, *L.QUERIES, *(good for _, good in L.MISSPELLED_SEARCHES))
                    if s.lower().startswith(prefix) and s.lower() != prefix})
    rng.shuffle(known)
    # a prefix no known search starts with is still completed by what people add to one
    found = known[:5] or [f"{text} {tail}" for tail in rng.sample(_TAILS, 3)]
    return {"text": text, "suggestions": found}


_HEADLINES = ("The latest on {q}", "What to know about {q} this week", "Experts weigh in on {q}",
              "A closer look at {q}", "New developments in {q}")
_LEADS = ("A report on {q} from {outlet}, with reactions and what comes next.",
          "{outlet} looks at {q} and what it means for readers.",
          "The story behind {q}, as reported by {outlet}.")


def news(arguments: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    query = _argument(arguments, _TEXT_KEYS) or rng.choice(L.TOPICS)
    # never more articles than the page the call asked for holds (`pageSize=1`: one)
    size = next((v for k, v in arguments.items() if field_key(k) in _PAGE_SIZE_KEYS
                 and isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 1), 3)
    articles = []
    for headline in rng.sample(_HEADLINES, min(int(size), rng.randint(2, 3))):
        outlet, domain = rng.choice(L.NEWS_OUTLETS)
        title = headline.format(q=query)
        articles.append({"title": title, "url": f"https://www.{domain}/news/{slug(title).replace('_', '-')}",
                         "source": outlet, "published_date": typed_text("datetime", rng),
                         "description": rng.choice(_LEADS).format(q=query, outlet=outlet)})
    return {"articles": articles, "total": len(articles)}


def health(arguments: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    return {"status": "healthy", "checked_at": typed_text("datetime", rng), "response_time_ms": rng.randint(18, 240)}


def _words(tool: Tool) -> tuple[frozenset[str], str]:
    name = str(tool.original_name or tool.name)
    return frozenset(name_tokens(name)), f"{name} {tool.description or ''}".lower()


_RULES: tuple[tuple[Callable[[frozenset[str], str], bool], Callable[[Mapping[str, Any], random.Random], dict[str, Any]]], ...] = (
    (lambda n, t: "ohlc" in n or bool(re.search(r"\bopen(?:ing)? and clos(?:e|ing)\b|\bopen, high, low\b", t)), price_bar),
    (lambda n, t: "short interest" in t, short_interest),
    (lambda n, t: "threshold securities" in t or "fail to deliver" in t, threshold_securities),
    (lambda n, t: bool(n & {"spell", "spellcheck", "spelling", "spellchecker"}), spell_check),
    (lambda n, t: bool(n & {"autocomplete", "autosuggest"}) or {"auto", "complete"} <= n
     or "as-you-type" in t, completions),
    (lambda n, t: "news" in n, news),
    # a check of health, not any endpoint of a health API (`health_api_HealthApi_get_version` answers its version)
    (lambda n, t: bool(n & {"checkhealth", "healthcheck"}) or {"health", "check"} <= n, health),
)


def meant_result(tool: Tool, arguments: Mapping[str, Any], rng: random.Random) -> dict[str, Any] | None:
    """The result of the first meaning above the tool's name and description state; None where none does."""
    names, text = _words(tool)
    for applies, build in _RULES:
        if applies(names, text):
            return build(arguments, rng)
    return None
