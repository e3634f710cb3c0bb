"""Versioned prompt templates of the openai backend's agents (user, assistant, and the llm executor's tool
agent, which answers its calls) and of the llm and agent writers (read by their modules), in the format of
`llm/templates.py`.

Editing a file changes `prompt_set_version()`, which goes into every dialogue's provenance and (through
the rendered messages) into every cache key, so a prompt change is never answered from a stale cache.
The set also holds the planner's prompt (planning/prompts) and the transport's structured-output prompt
(llm/prompts): the openai backend plans and asks through them.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from ...llm.templates import PromptTemplate, read_template, structured_output_prompt
from ...planning.llm_prompts import planner_prompt

# The tool results of an openai-backend dialogue come from the executor role (execution/llm.py), whose prompt
# is the set's third: it replaced the backend's own tool agent (`tool_agent@1`), so that version string changed.
AGENT_PROMPTS = ("user_agent", "assistant_agent", "llm_executor")
# The order of the set's version string.
PROMPT_NAMES = ("planner", *AGENT_PROMPTS, "structured_output")


@lru_cache(maxsize=None)
def load_prompt(name: str) -> PromptTemplate:
    if name not in AGENT_PROMPTS:
        raise KeyError(f"unknown prompt {name!r}; known: {', '.join(AGENT_PROMPTS)}")
    return read_template(__package__, f"{name}.txt", name)


def prompt_set() -> list[PromptTemplate]:
    """The templates of one openai-backend dialogue, in `PROMPT_NAMES` order."""
    return [planner_prompt(), *(load_prompt(name) for name in AGENT_PROMPTS), structured_output_prompt()]


@lru_cache(maxsize=1)
def prompt_set_version() -> str:
    """`planner@1,user_agent@1,...#<sha of all texts>`: readable versions plus a guard against edits
    that forgot to bump them."""
    templates = prompt_set()
    digest = hashlib.sha256("\x1e".join(t.text for t in templates).encode("utf-8")).hexdigest()[:8]
    return ",".join(f"{t.name}@{t.version}" for t in templates) + f"#{digest}"
