"""What a search was for, and results that are about it: the simulated executor's rule for search results.

`product_search_2(city="New Yekepa", product="espresso machine")` came back with records named "wireless
headphones" and "running shoes": the record names were drawn for their field (a product name) with no regard
to what was searched. A real search returns things that match its query, so each listed record's name or
title states the searched thing ("Garcia Espresso Machine"), unless it already does. Likewise a keyword
search's records contain the keyword: BFCL's `search_messages(keyword)` lists "The message containing the
keyword", and `search_tweets` "tweets containing a specific keyword", so a listed message or tweet whose text
does not state it ("Meet me at the gym at 3 pm" for "North Tustin") is about it ("North Tustin: Meet me at the
gym at 3 pm"). Fields named like an argument are the echo rule's (echo.py), not this one's.
"""

from __future__ import annotations

import random
from typing import Any, Iterable, Iterator, Mapping

from ..mentions import field_key, mentions, name_tokens
from ..typed_values import brand_name, faker_for, is_nameable

# argument names that say what is searched for (`query`, `q`, `keywords`, `product`, `search_term`)
_QUERY_WORDS = frozenset({"query", "q", "keyword", "keywords", "term", "terms", "search", "product", "item", "topic",
                          "subject", "title", "name"})
_ID_WORDS = frozenset({"id", "ids", "uuid", "guid"})
_NAME_WORDS = frozenset({"name", "title"})
# a record's text, which a search by keyword found it by (`content` of a tweet, `message`, `text`, `snippet`)
_TEXT_WORDS = frozenset({"content", "message", "text", "body", "snippet", "comment"})
_KEYWORD_WORDS = frozenset({"keyword", "keywords", "query", "q", "term", "terms", "search"})
# what a search for a topic finds: entries about it ("Bird migration overview")
_ENTRY_KINDS = ("overview", "guide", "basics", "FAQ", "notes", "report", "summary", "handbook")


def text_argument(arguments: Mapping[str, Any], words: Iterable[str] = (), keys: Iterable[str] = (),
                  never: Iterable[str] = ()) -> tuple[str, str] | None:
    """(argument name, value stripped) of the call's first non-empty text argument named by one of `words` (a
    word of its name: `file_name` for "file") or of `keys` (its whole name, as mentions.field_key reads it:
    `stock_symbol` for "stocksymbol"), and by none of `never`; None where no argument is. The one reading of
    "the argument that says X" for the executor's rules: a search's query, a spell check's text, a symbol, a
    shell command's file or pattern."""
    words, keys, never = frozenset(words), frozenset(keys), frozenset(never)
    for name, value in arguments.items():
        if not isinstance(value, str) or not value.strip():
            continue
        tokens = set(name_tokens(name))
        if (tokens & words or field_key(name) in keys) and not tokens & never:
            return name, value.strip()
    return None


def search_query(arguments: Mapping[str, Any]) -> tuple[str, str] | None:
    """(argument name, value) of what a search call looks for, else None: the first non-empty text argument
    named as a query or a thing (`query`, `keywords`, `product`), never an id."""
    return text_argument(arguments, words=_QUERY_WORDS, never=_ID_WORDS)


def about_query(result: Any, arguments: Mapping[str, Any], rng: random.Random) -> Any:
    """The result with each listed record's name/title made to state the search's query where it does not
    (in place; records of a list at the top level or one object down)."""
    found = search_query(arguments)
    if found is None:
        return result
    name, query = found
    by_keyword = bool(set(name_tokens(name)) & _KEYWORD_WORDS)
    argued = {field_key(k) for k in arguments}
    taken: set[str] = set()
    for record in _records(result):
        for key, value in list(record.items()):
            words = name_tokens(str(key))
            if not isinstance(value, str) or not words or field_key(key) in argued or mentions(value, query):
                continue
            if words[-1] in _NAME_WORDS:
                for _attempt in range(4):  # the records a search lists are different things
                    record[key] = titled(query, rng, name)
                    if record[key] not in taken:
                        break
                taken.add(record[key])
            elif by_keyword and words[-1] in _TEXT_WORDS and value.strip():
                record[key] = f"{query[:1].upper()}{query[1:]}: {value.strip()}"  # a subject line
    return _distinct_records(result)


def _distinct_records(result: Any) -> Any:
    """The result with a list's records of one name kept once: a search for a proper name ("Caballito", "The
    Matrix") finds that one thing, not three records named alike; a `total` beside the list counts what is
    left."""
    for records in _record_lists(result):
        seen: set[str] = set()
        kept = []
        for record in records:
            name = _record_name(record)
            if name is not None and name in seen:
                continue
            if name is not None:
                seen.add(name)
            kept.append(record)
        if len(kept) < len(records):
            if isinstance(result, dict) and result.get("total") == len(records):
                result["total"] = len(kept)
            records[:] = kept
    return result


def titled(query: str, rng: random.Random, argument: str = "query") -> str:
    """A record's name for a search of `query` through the argument `argument`: a short query is a thing,
    itself where it is a proper name already ("Inception"), named like a brand where it is a thing people
    name (typed_values.is_nameable: a product searched by `product`, a "bakery") ("Garcia Espresso
    Machine"), else the title of an entry about it ("Bird migration overview"), never a family name before a
    topic ("Garcia Bird Migration"); a longer one (a question, a phrase) is the title of a page about it."""
    text = " ".join(query.split())
    if len(text.split()) <= 3:
        if text != text.lower():
            return text
        thing = text.rstrip("?!.")
        if is_nameable(argument) or is_nameable(thing):
            return brand_name(thing, rng)
        return f"{thing[:1].upper()}{thing[1:]} {rng.choice(_ENTRY_KINDS)}"
    return f"{text[:1].upper()}{text[1:]} - {faker_for(rng).last_name()}"


def _record_name(record: Any) -> str | None:
    """A record's first name or title field, if it has one."""
    if isinstance(record, dict):
        for key, value in record.items():
            words = name_tokens(str(key))
            if isinstance(value, str) and words and words[-1] in _NAME_WORDS:
                return value
    return None


def _record_lists(result: Any) -> list[list[Any]]:
    """The lists of records in a result: itself, or its values, one object down."""
    lists = [result] if isinstance(result, list) else []
    if isinstance(result, dict):
        for value in result.values():
            if isinstance(value, list):
                lists.append(value)
            elif isinstance(value, dict):
                lists.extend(v for v in value.values() if isinstance(v, list))
    return lists


def _records(result: Any) -> Iterator[dict[str, Any]]:
    for records in _record_lists(result):
        yield from (record for record in records if isinstance(record, dict))
