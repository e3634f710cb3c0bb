"""Which files the configured tool sources name, and a fingerprint of what they hold.

`expand_sources` turns paths, folders and globs into the files to read (symlinks out of a source folder are
listed as refused, not followed); `hash_sources` and `corpus_fingerprint` identify the sources' contents
(the `tool_sources` data version; the exported record ids).
"""

from __future__ import annotations

import glob
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..mcp_stdio import config_path, is_mcp_source
from .reading import read_regular_file

MAX_FILE_BYTES = 256 * 1024 * 1024
SOURCE_SUFFIXES = (".json", ".jsonl", ".yaml", ".yml")


class SourceNotFound(FileNotFoundError):
    """A configured source path (file, folder or glob) matches nothing."""


@dataclass(frozen=True)
class SourceFile:
    """A file to read, the folder it must stay inside, and why it is refused (None: read it)."""

    path: Path
    root: Path
    refusal: str | None = None


def expand_sources(sources: Iterable[str | Path]) -> list[SourceFile]:
    """Every file behind the configured paths (files, folders, globs), sorted, each with its root folder.

    A configured path is trusted as given (even a symlink). Inside a configured folder, or among a glob's
    matches, a symlink whose target lies outside that folder (the glob's fixed prefix) is refused.
    """
    found: dict[Path, SourceFile] = {}
    for source in sources:
        text = str(source).strip()
        if not text:
            continue
        if any(ch in text for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(os.path.expanduser(text), recursive=True))
            if not matches:
                raise SourceNotFound(f"tool source glob {text!r} matches no files")
            root = glob_root(os.path.expanduser(text))
            for match in matches:
                if not _inside(match, root):  # the match lies under `root`, so only a symlink can lead out
                    found.setdefault(match, SourceFile(match, root, _symlink_refusal(match)))
                elif match.is_dir():
                    for item in _walk(match, root):
                        found.setdefault(item.path, item)
                elif match.suffix.lower() in SOURCE_SUFFIXES:
                    found.setdefault(match, SourceFile(match, root))
            continue
        path = Path(text).expanduser()
        if not path.exists():
            raise SourceNotFound(f"tool source path does not exist: {path}")
        if path.is_dir():
            for item in _walk(path, path.resolve()):
                found.setdefault(item.path, item)
        else:
            found.setdefault(path, SourceFile(path, path.resolve().parent))
    return [found[key] for key in sorted(found)]


def _walk(folder: Path, root: Path) -> list[SourceFile]:
    """Tool files under `folder`, without following symlinks out of `root` (they are listed as refused)."""
    files: list[SourceFile] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        dirnames.sort()
        for name in list(dirnames):
            sub = here / name
            if sub.is_symlink():
                dirnames.remove(name)  # never descend through a link: inside targets are walked anyway
                if not _inside(sub, root):
                    files.append(SourceFile(sub, root, _symlink_refusal(sub)))
        for name in sorted(filenames):
            path = here / name
            if path.suffix.lower() not in SOURCE_SUFFIXES:
                continue
            if path.is_symlink() and not _inside(path, root):
                files.append(SourceFile(path, root, _symlink_refusal(path)))
            else:
                files.append(SourceFile(path, root))
    return files


def _symlink_refusal(path: Path) -> str:
    if not path.exists():
        return "broken symlink; not read"
    return "symlink points outside the configured source folder; not read"


def glob_root(pattern: str) -> Path:
    """The fixed folder a glob starts from (`data/**/*.json` → `data`)."""
    parts: list[str] = []
    for part in Path(os.path.expanduser(pattern)).parts:
        if any(ch in part for ch in "*?["):
            break
        parts.append(part)
    return Path(*parts).resolve() if parts else Path.cwd().resolve()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return False


def _source_parts(sources: Iterable[str | Path]) -> Iterator[tuple[str, bytes]]:
    """(where, what) for every source in a stable order: an MCP config, a regular file's content hash, or
    why a file could not be read. Only regular files are read, and one bad file never stops it."""
    sources = [str(s) for s in sources]
    for source in filter(is_mcp_source, sources):  # a server's tools change with its config (never started here)
        try:
            yield source, config_path(source).read_bytes()
        except OSError as error:
            yield source, f"cannot be read: {error.strerror or error}".encode()
    for item in expand_sources([s for s in sources if not is_mcp_source(s)]):
        if item.refusal is not None:
            yield str(item.path), item.refusal.encode()
            continue
        try:
            content = read_regular_file(item.path, MAX_FILE_BYTES)
        except OSError as error:
            content = f"cannot be read: {error.strerror or error}"
        yield str(item.path), (content.encode("utf-8", "surrogateescape") if isinstance(content, str)
                               else hashlib.sha256(content).digest())


def hash_sources(sources: Iterable[str | Path]) -> str:
    """Content hash over every source (path and bytes), in a stable order: the `tool_sources` data version,
    so moving or renaming a file counts as a change."""
    digest = hashlib.sha256()
    for where, what in _source_parts(sources):
        digest.update(where.encode("utf-8", "surrogateescape"))
        digest.update(what)
    return digest.hexdigest()[:24]


def corpus_fingerprint(sources: Iterable[str | Path]) -> str:
    """What the sources hold, wherever they are: a hash of their contents alone (sorted), so one corpus
    gives the same exported record ids in any checkout or on any machine."""
    digest = hashlib.sha256()
    for what in sorted(hashlib.sha256(what).digest() for _, what in _source_parts(sources)):
        digest.update(what)
    return digest.hexdigest()[:24]
