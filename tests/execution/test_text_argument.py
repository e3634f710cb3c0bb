"""The executor's one reading of "the argument that says X" (execution.queries.text_argument): a search's query,
a spell check's text, a stock's symbol and a shell command's file are each the call's first non-empty text
argument so named, stripped; a blank one, a number or an id never is."""

from __future__ import annotations

import random

from toolflow_assets.execution.meant_results import meant_result
from toolflow_assets.execution.queries import search_query, text_argument
from toolflow_assets.tools import Tool


def _tool(name: str, description: str) -> Tool:
    return Tool(tool_id=name, name=name, original_name=name, description=description,
                parameters={"type": "object", "properties": {}}, returns=None, source="test",
                source_format="rapidapi", category="Test")


def test_the_query_of_a_search_is_its_first_non_empty_text_argument_named_as_one_never_an_id():
    arguments = {"query_id": "Q-17", "query": "   ", "limit": 5, "search_term": " espresso machine "}
    assert search_query(arguments) == ("search_term", "espresso machine")
    assert search_query({"product_id": "P-1", "page": 2}) is None


def test_a_key_is_the_whole_name_and_a_word_any_word_of_it():
    arguments = {"stock_exchange": "NASDAQ", "stockSymbol": " NVDA"}
    assert text_argument(arguments, keys={"stock", "stocksymbol"}) == ("stockSymbol", "NVDA")
    assert text_argument(arguments, words={"stock"}) == ("stock_exchange", "NASDAQ")


def test_the_results_by_meaning_read_the_argument_that_says_it():
    bar = meant_result(_tool("stock_ohlc", "The official open and close."),
                       {"stock_exchange": "NASDAQ", "stockSymbol": "NVDA"}, random.Random(0))
    assert bar is not None and bar["symbol"] == "NVDA"  # the exchange is no symbol
    checked = meant_result(_tool("spell_check", "Check spelling."), {"text": "  ", "query": " wether forcast "},
                           random.Random(0))
    assert checked == {"text": "wether forcast", "corrected_text": "weather forecast"}  # a blank text says nothing
