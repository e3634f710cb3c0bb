"""Realism figures of an exported dataset (issue 12's measures), on its first N records.

    .venv/bin/python benchmarks/dialogue_realism.py output/dataset/train.jsonl [--first 200]

Prints the share of user turns opening with one of the 20 most common five-word openings, exact-duplicate
user messages, masked D-3, the structure mix (chained, parallel calls, clarification, a turn without a
tool, a distractor offered, a tool error answered), and the share of records failing the re-asked-value and
result-contradicts-call checks. Reads any OpenAI-format JSONL (`tools` as a list or a JSON string).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toolflow_assets.export.measures import Parsed  # noqa: E402
from toolflow_assets.export.realism import realism_measures  # noqa: E402
from toolflow_assets.quality.conversation import load_json_list  # noqa: E402
from toolflow_assets.quality.reasked import check_reasked_values  # noqa: E402
from toolflow_assets.quality.semantic import check_result_consistency  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--first", type=int, default=200, help="records to measure (default 200)")
    args = parser.parse_args()
    dialogues = []
    for number, line in enumerate(args.path.read_text(encoding="utf-8").splitlines(), start=1):
        if len(dialogues) >= args.first:
            break
        if line.strip():
            record = json.loads(line)
            tools, _ = load_json_list(record.get("tools") or [])
            dialogues.append(Parsed(str(record.get("id") or number), record["messages"], tools))
    n = len(dialogues)
    figures = realism_measures(dialogues, sample_size=n)
    reasked = sum(bool(check_reasked_values(d.messages, d.tools)) for d in dialogues) / n
    contradicted = sum(bool(check_result_consistency(d.messages)) for d in dialogues) / n
    print(f"{args.path} — first {n} records")
    print(f"  top-20 five-word user openings: {figures['top20_opening_share']:.3f} of user turns")
    print(f"  exact-duplicate user messages:  {figures['duplicate_user_share']:.3f}")
    print(f"  masked D-3:                     {figures['masked_distinct_3']:.3f}")
    print(f"  re-asked values:                {reasked:.3f} of records")
    print(f"  results contradicting calls:    {contradicted:.3f} of records")
    for name, share in figures["structure"].items():
        print(f"  with {name.replace('_', ' ')}: {share:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
