"""Precision of data-flow links on hand-labeled samples (issue 12, item 4: "a link needs compatible meaning").

    .venv/bin/python benchmarks/link_precision.py

`benchmarks/data/link_labels.jsonl` (40 links) and `link_labels_holdout.jsonl` (30 other links) are links the
offline planner used in the quickstart run (bundled corpus, 300 dialogues, seed 7; drawn at random from the
221 distinct links its plans used), each labeled by hand: would a person feed this tool's output into that
tool's input in one task? (`why_not` says what is wrong: a Bible verse's `date` as a flight date, a
complaint's `state` as a U.S. state.) For each file this prints the share of sensible links (the precision of
the links as used) and, for the context rule `meanings.same_context`, the precision of the links it
keeps and the share of sensible links it keeps (recall). The rule was written after reading the first file;
the holdout was labeled before the rule was run on it. `link_labels_after.jsonl` (30 links) comes from the
same run once sampling drew chains only along links that pass the rule (160 distinct links used; drawn from
those not labeled before): its "precision as used" is the figure of the dataset as shipped then.
`link_labels_now.jsonl` (30 links) is the same measure at a later tree (2026-11-30: the tool graph's identifier
links, values by context and the planner's id rule): 30 drawn from the 104 distinct links between two tools in
that run's first 200 exported dialogues (as `quality.conversation.chained_arguments` finds them), none labeled
before. `link_labels_final.jsonl` (30 links) is the same measure once the graph linked the endpoints of one API
(a calculator's result into the next operand, a listing's item into the next command) and sampling reached
every API: 30 drawn from the 80 of the 115 distinct links of that run's first 200 exported dialogues that no
earlier file labels.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT / "benchmarks" / "data"
LABELS = (DATA / "link_labels.jsonl", DATA / "link_labels_holdout.jsonl", DATA / "link_labels_after.jsonl",
          DATA / "link_labels_now.jsonl", DATA / "link_labels_final.jsonl")


def main() -> int:
    from toolflow_assets.meanings import same_context
    from toolflow_assets.ingestion.ingest import ingest_sources

    tools = {t.name: t for t in ingest_sources([str(ROOT / "toolflow_assets" / "data" / "corpus")]).tools}
    for path in LABELS:
        links = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        kept = [link for link in links if same_context(tools[link["src_tool"]], link["src_field"],
                                                        tools[link["dst_tool"]], link["dst_field"])]
        sensible = sum(link["sensible"] for link in links)
        kept_sensible = sum(link["sensible"] for link in kept)
        print(f"{path.name}: {len(links)} links, {sensible} sensible: precision as used {sensible / len(links):.3f}; "
              f"with same_context {len(kept)} kept, precision {kept_sensible / max(1, len(kept)):.3f}, "
              f"recall {kept_sensible / max(1, sensible):.3f}")
        for link in links:
            if (link in kept) != link["sensible"]:
                verdict = "kept, not sensible" if link in kept else "dropped, sensible"
                print(f"    {verdict}: {link['src_tool']}.{link['src_field']} -> {link['dst_tool']}.{link['dst_field']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
