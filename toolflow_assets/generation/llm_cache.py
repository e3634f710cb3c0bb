"""Disk cache of LLM responses, keyed by a hash of the request, committed atomically per response.

A response is written the moment it arrives (temp file in the same folder, then `os.replace`), so a run
killed mid-batch keeps every response it paid for, and a rerun with a warm cache sends no request at all.
The key covers exactly what determines the answer: model, messages, tools, tool_choice, response_format,
temperature, max_tokens and seed. The API key and base URL are deliberately not part of it (the key is a
secret; the URL changes between a laptop and a cluster serving the same model).

An answer is provisional until its caller accepts it: one that ends as a failure (invalid after every
repair) is `discard`ed by the client, so a rerun against a healthy server asks again instead of
replaying the malformed answer for good.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

from ..tools import canonical_json

# Bump when the stored entry's shape changes: old entries then simply miss.
CACHE_FORMAT = 1

# Request fields that determine an answer. Anything else (timeouts, headers, the key) stays out.
KEY_FIELDS = ("model", "messages", "tools", "tool_choice", "response_format", "temperature", "max_tokens", "seed")


def request_key(payload: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the answer-determining request fields."""
    keyed = {name: payload.get(name) for name in KEY_FIELDS}
    keyed["_format"] = CACHE_FORMAT
    return hashlib.sha256(canonical_json(keyed).encode("utf-8")).hexdigest()


class ResponseCache:
    """One JSON file per response under `root/<2 hex>/<key>.json`.

    A disabled cache (root None) keeps nothing, so the same code path serves benchmarks and tests.
    """

    def __init__(self, root: str | os.PathLike[str] | None) -> None:
        self.root = Path(root) if root else None
        self._counter = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.writes = 0

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        if self.root is None:
            return None
        try:
            with open(self._path(key), "rb") as handle:
                entry = json.loads(handle.read())
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # Unreadable entry (e.g. a disk error): a miss; the next write replaces it.
            return None
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT:
            return None
        self.hits += 1
        return entry.get("response")

    def contains(self, key: str) -> bool:
        """A probe that does not count as a hit."""
        return self.root is not None and self._path(key).is_file()

    def put(self, key: str, response: dict[str, Any]) -> None:
        """Write atomically: a reader sees the old state or the whole new entry, never half of one."""
        if self.root is None:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._counter += 1
            temp = path.parent / f".{key}.{os.getpid()}.{threading.get_ident()}.{self._counter}.tmp"
        data = json.dumps({"format": CACHE_FORMAT, "key": key, "response": response}, ensure_ascii=False)
        try:
            with open(temp, "w", encoding="utf-8") as handle:
                handle.write(data)
            os.replace(temp, path)
        finally:
            if temp.exists():
                temp.unlink()
        self.writes += 1

    def discard(self, key: str) -> bool:
        """Remove an entry (an answer that ended as a failure must not replay on every rerun); True when
        there was one. Removing is atomic too: a reader sees the entry or a miss."""
        if self.root is None:
            return False
        try:
            self._path(key).unlink()
        except FileNotFoundError:
            return False
        return True

    def __len__(self) -> int:
        if self.root is None or not self.root.exists():
            return 0
        return sum(1 for _ in self.root.glob("*/*.json"))
