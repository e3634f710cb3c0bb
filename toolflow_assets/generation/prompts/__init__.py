"""Versioned prompt templates of the LLM backend: one file per agent and one for the planner.

A template file starts with `name:` and `version:` lines, then sections introduced by `--- <section>`.
Sections are `string.Template` text (`$name` placeholders), so JSON braces need no escaping. Editing a
file changes `prompt_set_version()`, which goes into every dialogue's provenance and (through the
rendered messages) into every cache key, so a prompt change is never answered from a stale cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from string import Template

PROMPT_NAMES = ("planner", "user_agent", "assistant_agent", "tool_agent", "structured_output")


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    sections: dict[str, str]
    text: str

    def render(self, section: str, **values: object) -> str:
        """Fill one section; a missing placeholder is an error, not a silent `$name` in a prompt."""
        try:
            template = self.sections[section]
        except KeyError:
            raise KeyError(f"prompt {self.name!r} has no section {section!r}") from None
        return Template(template).substitute({k: str(v) for k, v in values.items()})


def parse_template(name: str, text: str) -> PromptTemplate:
    header: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("--- "):
            current = sections.setdefault(line[4:].strip(), [])
        elif current is not None:
            current.append(line)
        elif ":" in line:
            key, value = line.split(":", 1)
            header[key.strip()] = value.strip()
    if header.get("name") != name:
        raise ValueError(f"prompt file {name}.txt declares name {header.get('name')!r}")
    if not header.get("version"):
        raise ValueError(f"prompt file {name}.txt has no version")
    return PromptTemplate(
        name=name,
        version=header["version"],
        sections={key: "\n".join(lines).strip("\n") for key, lines in sections.items()},
        text=text,
    )


@lru_cache(maxsize=None)
def load_prompt(name: str) -> PromptTemplate:
    if name not in PROMPT_NAMES:
        raise KeyError(f"unknown prompt {name!r}; known: {', '.join(PROMPT_NAMES)}")
    text = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return parse_template(name, text)


@lru_cache(maxsize=1)
def prompt_set_version() -> str:
    """`planner@1,user_agent@1,...#<sha of all texts>`: readable versions plus a guard against edits
    that forgot to bump them."""
    templates = [load_prompt(name) for name in PROMPT_NAMES]
    digest = hashlib.sha256("\x1e".join(t.text for t in templates).encode("utf-8")).hexdigest()[:8]
    return ",".join(f"{t.name}@{t.version}" for t in templates) + f"#{digest}"
