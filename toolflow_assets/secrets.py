"""Credentials that travel inside server URLs, kept out of everything a run logs or stores.

Users put keys into base URLs in two common ways: userinfo (`http://svc:KEY@host/v1`, what a proxy with
basic auth asks for) and query parameters (`https://host/v1?api-key=KEY`, Azure-style gateways). The
request needs them; nothing else does. `redact_url` is the one form of a URL that may be logged, shown in
metadata or written to a file; `redact_text` scrubs a given URL's secrets (and any other URL's userinfo
and query values) from free text such as a server's or library's error message; `redact_http_logs`
does the same to the HTTP libraries' own log lines (httpx logs every request's full URL at INFO).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

MASK = "***"

# Any URL's userinfo (`scheme://user:pass@`) and query string, wherever a URL occurs in text.
_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@]+@")
_QUERY = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s?#]*)\?(?P<query>[^\s#\"'<>]*)")


def _mask_query(query: str) -> str:
    """Keep the parameter names (they tell a reader what was configured), mask every value: which
    parameters carry secrets differs by gateway, so none is trusted."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs:
        return MASK if query else ""
    return "&".join(f"{name}={MASK}" for name, _ in pairs)


def redact_url(url: str | None) -> str:
    """The URL with userinfo replaced by `***` and every query value masked; scheme, host, port and
    path unchanged, so the reader still sees which server was meant. Empty in, empty out."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
        return urlunsplit((parts.scheme, netloc, parts.path, _mask_query(parts.query), parts.fragment))
    except ValueError:  # not parseable as a URL (e.g. a bad port): scrub it as text
        return redact_text(url)


def split_query(url: str | None) -> tuple[str | None, dict[str, str]]:
    """`(url without its query, the query's parameters)`: HTTP clients that append a path to a base URL
    (the `openai` package does) need the query apart, to send it with every request."""
    if not url:
        return url, {}
    parts = urlsplit(url)
    if not parts.query:
        return url, {}
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", parts.fragment)), dict(parse_qsl(parts.query))


def url_secrets(url: str | None) -> list[str]:
    """The secret pieces of one URL as they may appear in text (password, user, query values), longest
    first so that a longer secret is replaced before a shorter one it contains."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found = {parts.password or "", parts.username or "", *(value for _, value in parse_qsl(parts.query))}
    if "@" in parts.netloc:
        found.add(parts.netloc.rsplit("@", 1)[0])
    # Short values (e.g. `v=1`) would scrub ordinary words from messages; they are masked in URLs anyway.
    return sorted((s for s in found if len(s) >= 6), key=len, reverse=True)


def redact_text(text: str | None, *urls: str | None) -> str:
    """`text` with the secrets of `urls` replaced wherever they occur (a server may echo them), and any
    URL in it reduced to its redacted form."""
    if not text:
        return text or ""
    for url in urls:
        for secret in url_secrets(url):
            text = text.replace(secret, MASK)
    text = _USERINFO.sub(lambda m: f"{m.group('scheme')}{MASK}@", text)
    return _QUERY.sub(lambda m: f"{m.group('head')}?{_mask_query(m.group('query'))}", text)


# Loggers of the HTTP stack under our clients that write request URLs. A logger's filters see only the
# records logged to it (not its children's), so each is named.
HTTP_LOGGERS = ("httpx", "httpx2", "httpcore", "httpcore2", "openai", "openai._base_client")


class RedactingFilter(logging.Filter):
    """Rewrites a log record whose message holds URL credentials; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is the logging module's to report
            return True
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def redact_http_logs() -> None:
    """Install the filter on the HTTP libraries' loggers (once; later calls change nothing)."""
    for name in HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
