"""Disk cache of LLM responses, keyed by a hash of the request, committed atomically per response.

A response is written the moment it arrives (locally a temp file in the same folder, then `os.replace`; on
an object store one PUT), so a run killed mid-batch keeps every response it paid for, and a rerun with a warm cache sends no request at all.
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
from typing import Any

from upath import UPath

from ..storage import storage_path, write_whole
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

    `root` is a local folder or any fsspec URL (`s3://bucket/toolflow/cache/llm`, `memory://…`): the cache
    lives on the same storage as the assets, so a run in another pod finds what an earlier one paid for.
    A disabled cache (root None) keeps nothing, so the same code path serves benchmarks and tests.
    """

    def __init__(self, root: str | os.PathLike[str] | UPath | None) -> None:
        self.root: UPath | None = storage_path(root) if root else None
        self.hits = 0
        self.writes = 0

    def _path(self, key: str) -> UPath:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        if self.root is None:
            return None
        try:
            entry = json.loads(self._path(key).read_bytes())
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
        """Write whole: a reader sees the old state or the whole new entry, never half of one."""
        if self.root is None:
            return
        data = json.dumps({"format": CACHE_FORMAT, "key": key, "response": response}, ensure_ascii=False)
        write_whole(self._path(key), data.encode("utf-8"))
        self.writes += 1

    def discard(self, key: str) -> bool:
        """Remove an entry (an answer that ended as a failure must not replay on every rerun); True when
        there was one. A reader sees the whole entry or a miss, never part of one."""
        if self.root is None:
            return False
        path = self._path(key)
        try:
            if not path.is_file():
                return False
            path.unlink()
        except FileNotFoundError:  # removed meanwhile by another process: the same outcome
            return False
        return True

    def __len__(self) -> int:
        if self.root is None or not self.root.exists():
            return 0
        return sum(1 for _ in self.root.glob("*/*.json"))
