"""Test helpers (not a test module): MCP server configs for the real servers from PyPI, and a git repository
the git server works on. Commands use this interpreter (`python -m mcp_server_time`), so the tests need no
PATH setup."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
           "GIT_AUTHOR_DATE": "2024-01-02T03:04:05+00:00", "GIT_COMMITTER_DATE": "2024-01-02T03:04:05+00:00"}


def make_repository(folder: Path) -> Path:
    """A git repository with one commit (fixed author and dates, so its hashes are the same on every run)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**GIT_ENV, "PATH": "/usr/bin:/bin", "HOME": str(folder)}
    for command in (["git", "init", "-q", "-b", "main"], ["git", "config", "user.name", "Test"],
                    ["git", "config", "user.email", "test@example.com"]):
        subprocess.run(command, cwd=folder, check=True, env=env, timeout=30)
    (folder / "README.md").write_text("# demo\n\nA repository for the MCP tests.\n")
    (folder / "notes.txt").write_text("first note\n")
    subprocess.run(["git", "add", "README.md", "notes.txt"], cwd=folder, check=True, env=env, timeout=30)
    subprocess.run(["git", "commit", "-q", "-m", "Initial commit"], cwd=folder, check=True, env=env, timeout=30)
    return folder


def server_entry(module: str, *args: str, **extra: Any) -> dict[str, Any]:
    return {"command": sys.executable, "args": ["-m", module, *args], **extra}


def write_config(path: Path, servers: dict[str, dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"mcpServers": servers}, indent=2))
    return path


# Values no planner can guess, for the git server's read-only tools (the writing ones keep invented paths,
# which the server refuses: the repository stays as created, so a replay on a fresh server sees the same one)
READ_ONLY_GIT = {"git_status": {}, "git_log": {}, "git_branch": {"branch_type": "local"},
                 "git_show": {"revision": "HEAD"}, "git_diff": {"target": "HEAD"}, "git_diff_staged": {},
                 "git_diff_unstaged": {}}


def time_and_git_config(folder: Path) -> Path:
    repository = make_repository(folder / "repo")
    examples = {tool: {"repo_path": str(repository), **extra} for tool, extra in READ_ONLY_GIT.items()}
    return write_config(folder / "servers.json", {
        "time": server_entry("mcp_server_time", "--local-timezone", "UTC", stateless=True),  # a clock keeps no state
        "git": server_entry("mcp_server_git", "--repository", str(repository), env=GIT_ENV, examples=examples),
    })


_CLOCK = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?")
_WEEKDAY = re.compile(r"\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")


def masked(value: Any) -> Any:
    """A result with clock readings (ISO date-times, weekdays) replaced: they change between two runs."""
    text = json.dumps(value, sort_keys=True)
    return json.loads(_WEEKDAY.sub("<day>", _CLOCK.sub("<time>", text)))
