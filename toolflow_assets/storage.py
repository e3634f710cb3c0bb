"""Paths on the run's storage, local or an object store (UPath), and whole-file writes to them (no Dagster).

The caches live beside the asset values (`<storage>/cache`), and the storage may be `s3://…`, `gs://…` or
any fsspec URL: a cache path must stay a URL end to end, never go through `pathlib.Path` (which turns
`s3://bucket/x` into the local folder `s3:/bucket/x` in the pod's working directory).
"""

from __future__ import annotations

import os
import uuid

from upath import UPath

LOCAL_PROTOCOLS = ("", "file", "local")


def storage_path(location: str | os.PathLike[str] | UPath) -> UPath:
    """A UPath for a local folder or any fsspec URL."""
    return location if isinstance(location, UPath) else UPath(location)


def is_local(path: UPath) -> bool:
    return path.protocol in LOCAL_PROTOCOLS


def write_whole(path: UPath, payload: bytes) -> None:
    """Write `payload` so that a reader sees the old file or the whole new one, never a part.

    Local: a temp file with a unique name (pid and a random part), then `os.replace` (atomic on POSIX).
    Object stores: one PUT, which is atomic there already (a rename would be a copy plus a delete).
    """
    if not is_local(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
        return
    local = os.fspath(path.path if path.protocol else path)
    os.makedirs(os.path.dirname(local), exist_ok=True)
    temp = os.path.join(os.path.dirname(local), f".{os.path.basename(local)}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(payload)
        os.replace(temp, local)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
