"""Decontamination: no training dialogue may share a long word n-gram with an evaluation question.

ToolFlow's default tools come from benchmark files (BFCL's test sets among them), and a model trained on
dialogues that repeat a test question verbatim would be measured on what it memorised. Every user turn is
compared with the evaluation texts on word n-grams (13 words by default, as in GPT-3's decontamination;
numbers masked, case folded); a dialogue sharing any n-gram is dropped from the export and
counted, with the n-gram that matched.

Evaluation texts: the BFCL questions shipped in the bundled corpus (`bfcl/BFCL_v4_*.json`), those of the
`bfcl-eval` package when it is installed, and any file the user names (JSON lines or JSON with
`question`/`messages`/`query`/`text` fields, or plain text, one question per line).
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

_WORD = re.compile(r"[a-z0-9']+")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
DEFAULT_NGRAM = 13  # GPT-3's decontamination length: shorter grams match generic tool-description phrases
MIN_WORDS = 6  # an n-gram of mostly numbers ("3, 5, 8 and 13") says nothing about where a text came from
_TEXT_KEYS = ("question", "messages", "query", "prompt", "text", "instruction", "content")


def _words(text: str) -> list[str]:
    return ["<n>" if _NUMBER.match(w) else w for w in _WORD.findall(text.casefold())]


def ngrams_of(text: str, n: int) -> set[tuple[str, ...]]:
    """Word n-grams with numbers masked, leaving out those with fewer than MIN_WORDS real words."""
    words = _words(text)
    grams = (tuple(words[i:i + n]) for i in range(len(words) - n + 1))
    return {g for g in grams if sum(w != "<n>" for w in g) >= min(MIN_WORDS, n)}


def _texts_in(value: Any, depth: int = 0) -> Iterator[str]:
    """User-side texts inside a JSON value: message contents (not the assistant's or tool's) and the
    values of question-like keys."""
    if depth > 6:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts_in(item, depth + 1)
    elif isinstance(value, dict):
        if "role" in value and "content" in value:
            if value.get("role") == "user" and isinstance(value.get("content"), str):
                yield value["content"]
            return
        for key in _TEXT_KEYS:
            if key in value:
                yield from _texts_in(value[key], depth + 1)


def read_eval_texts(path: Path) -> list[str]:
    """Questions in one evaluation file (see the module docstring for the shapes read)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    try:
        return list(_texts_in(json.loads(raw)))
    except json.JSONDecodeError:
        pass
    texts: list[str] = []
    for line in raw.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            texts.extend(_texts_in(json.loads(line)))
        except json.JSONDecodeError:
            texts.append(line)
    return texts


def bundled_bfcl_files() -> list[Path]:
    """The BFCL test files in the bundled corpus and, when installed, in `bfcl-eval`'s data folder."""
    corpus = Path(__file__).resolve().parent.parent / "data" / "corpus" / "bfcl"
    files = sorted(corpus.glob("BFCL_v*.json"))
    spec = importlib.util.find_spec("bfcl_eval")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            files.extend(sorted((Path(location) / "data").glob("BFCL_v*.json")))
    return files


@dataclass
class EvalIndex:
    n: int
    ngrams: set[tuple[str, ...]] = field(default_factory=set)
    texts: int = 0
    sources: list[str] = field(default_factory=list)

    def add(self, texts: Iterable[str], source: str) -> None:
        count = 0
        for text in texts:
            self.ngrams |= ngrams_of(text, self.n)
            count += 1
        self.texts += count
        self.sources.append(f"{source} ({count:,} texts)")

    def overlap(self, text: str) -> tuple[str, ...] | None:
        """An n-gram of `text` that an evaluation text also has (None: clean)."""
        for gram in ngrams_of(text, self.n):
            if gram in self.ngrams:
                return gram
        return None


def build_eval_index(extra_files: Iterable[str] = (), include_bfcl: bool = True, n: int = DEFAULT_NGRAM) -> EvalIndex:
    """The n-grams of every evaluation text. A named file that cannot be read is an error naming it."""
    index = EvalIndex(n=n)
    if include_bfcl:
        for path in bundled_bfcl_files():
            index.add(read_eval_texts(path), path.name)
    for name in extra_files:
        path = Path(name).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"evaluation set {name!r} is not a readable file")
        index.add(read_eval_texts(path), str(path))
    return index


def contaminated(dialogues: Iterable[tuple[str, list[Any]]], index: EvalIndex) -> dict[str, str]:
    """dialogue_id → the overlapping n-gram (as text) for every dialogue whose user turns share one."""
    found: dict[str, str] = {}
    for dialogue_id, messages in dialogues:
        for message in messages:
            if isinstance(message, dict) and message.get("role") == "user" and isinstance(message.get("content"), str):
                gram = index.overlap(message["content"])
                if gram is not None:
                    found[dialogue_id] = " ".join(gram)
                    break
    return found
