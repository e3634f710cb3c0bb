"""`toolflow check PATH... [--report OUT.json]`: lint any tool-calling JSONL with ToolFlow's checks.

Prints the pass rate per check, the most frequent kinds of failure and the worst records; writes one entry
per record (`{"id", "source", "passed", "checks", "reasons"}`) to the report when asked. Exit status: 0 when
every record passed, 1 when some failed, 2 when a path cannot be read.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from pathlib import Path

from .quality.lint import LINT_CHECKS, lint_files, summarize, worst


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    check = sub.add_parser(
        "check",
        help="run every deterministic check on tool-calling JSONL files (OpenAI chat format)",
        description="Lint tool-calling datasets: every record needs `messages` (OpenAI chat format) and `tools` "
        "(a list, or the list as a JSON string). Works on any generator's output, not only ToolFlow's.",
    )
    check.add_argument("paths", nargs="+", help="JSONL files, folders (every *.jsonl inside) or globs")
    check.add_argument("--report", help="write one verdict per record to this JSON file")
    check.add_argument("--examples", type=int, default=3, help="how many of the worst records to print (default 3)")


def _expand(paths: list[str]) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    problems: list[str] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found = sorted(path.rglob("*.jsonl"))
            if not found:
                problems.append(f"{text}: a folder with no .jsonl file")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif any(ch in text for ch in "*?["):
            matched = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not matched:
                problems.append(f"{text}: no file matches")
            files.extend(matched)
        else:
            problems.append(f"{text}: no such file or folder")
    return files, problems


def run_check(args: argparse.Namespace) -> int:
    files, problems = _expand(args.paths)
    for problem in problems:
        print(f"toolflow check: {problem}", file=sys.stderr)
    if problems:
        return 2
    verdicts = lint_files(files)
    summary = summarize(verdicts)
    share = summary.passed / summary.records if summary.records else 0.0
    print(f"{summary.records} records in {len(files)} file(s): {summary.passed} passed every check ({share:.1%})"
          + (f"; {summary.unreadable} unreadable" if summary.unreadable else ""))
    print("\npass rate per check:")
    for name in LINT_CHECKS:
        rate = summary.pass_rate_per_check.get(name)
        print(f"  {name:<22} {'—' if rate is None else f'{rate:.3f}'}")
    if summary.top_reasons:
        print("\nmost frequent failures:")
        for kind, count in summary.top_reasons:
            print(f"  {count:>5}  {kind}")
    examples = worst(verdicts, max(0, args.examples))
    if examples:
        print("\nworst records:")
        for verdict in examples:
            print(f"  {verdict.id} ({verdict.source}):")
            for reason in verdict.reasons[:4]:
                print(f"    - {reason}")
            if len(verdict.reasons) > 4:
                print(f"    … and {len(verdict.reasons) - 4} more")
    if args.report:
        report = Path(args.report)
        try:
            report.parent.mkdir(parents=True, exist_ok=True)
            report.write_text(json.dumps([v.to_json() for v in verdicts], ensure_ascii=False, indent=1),
                              encoding="utf-8")
        except OSError as problem:
            print(f"toolflow check: cannot write the report {report}: {problem.strerror or problem}", file=sys.stderr)
            return 2
        print(f"\nreport: {report} ({len(verdicts)} entries)")
    return 0 if summary.passed == summary.records else 1
