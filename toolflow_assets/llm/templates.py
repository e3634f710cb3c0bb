"""Versioned prompt templates, the format every LLM role's prompt file uses.

A template file starts with `name:` and `version:` lines, then sections introduced by `--- <section>`.
Sections are `string.Template` text (`$name` placeholders), so JSON braces need no escaping. Each stage
keeps its prompt files next to its code (planning/prompts: the planner's; generation/prompts: the agents',
writers' and llm executor's; quality/prompts: the judge's; prompts/ here: the transport's own); this
module only parses them, so every stage reads them alike without importing another.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from string import Template


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


def read_template(package: str, path: str, name: str) -> PromptTemplate:
    """The template `name` in the file `path` (relative to `package`) of the installed package."""
    return parse_template(name, resources.files(package).joinpath(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def structured_output_prompt() -> PromptTemplate:
    """The transport's own prompt: the schema told in words, and the repair request (dialect, negotiated)."""
    return read_template(__package__, "prompts/structured_output.txt", "structured_output")
