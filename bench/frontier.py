#!/usr/bin/env python3
"""The best any clustering can do on a generated corpus.

For every planted family (from the truth file), tries every partition of its
members and counts, with true Jaccard from the shared tokenizer:

  split  = pairs with J >= threshold put in different clusters (recall loss)
  joined = pairs with J <  threshold - 0.1 put in one cluster (precision loss)

and reports, summed over families, the optimum of `split + w * joined` for a
few weights w: the trade-off frontier of recall against precision. Pairs
across families are ignored (they only make things harder), so these are
bounds no clustering can beat.

    python3 bench/frontier.py bench/work/accuracy/corpus.jsonl bench/work/accuracy/truth.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tok  # noqa: E402


def partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for p in partitions(rest):
        for i in range(len(p)):
            yield p[:i] + [[first] + p[i]] + p[i + 1:]
        yield [[first]] + p


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("truth")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--ngram", type=int, default=5)
    args = ap.parse_args()
    t, low = args.threshold, args.threshold - 0.1
    sets = {}
    with open(args.corpus, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            sets[str(d["id"])] = set(tok.shingles(d["text"], args.ngram))
    families = [json.loads(line)["members"] for line in open(args.truth, encoding="utf-8")]
    weights = [0.5, 1.0, 1.0001, 2.0, 1e6]
    totals = {w: [0, 0] for w in weights}
    positives = 0
    for members in families:
        if len(members) > 9:
            print(f"family of {len(members)} skipped (too many partitions)", file=sys.stderr)
            continue
        n = len(members)
        sim = {}
        for i in range(n):
            for j in range(i + 1, n):
                a, b = sets[members[i]], sets[members[j]]
                sim[i, j] = len(a & b) / len(a | b) if (a or b) else 1.0
        positives += sum(1 for v in sim.values() if v >= t)
        for w in weights:
            best = None
            for p in partitions(list(range(n))):
                label = {x: k for k, block in enumerate(p) for x in block}
                split = sum(1 for (i, j), v in sim.items() if v >= t and label[i] != label[j])
                joined = sum(1 for (i, j), v in sim.items() if v < low and label[i] == label[j])
                cost = split + w * joined
                if best is None or cost < best[0]:
                    best = (cost, split, joined)
            totals[w][0] += best[1]
            totals[w][1] += best[2]
    print(f"{positives} pairs with J >= {t} inside families")
    for w in weights:
        split, joined = totals[w]
        print(f"weight {w:g} on joined pairs: split {split} (recall <= {1 - split / positives:.4f}), joined {joined}")


if __name__ == "__main__":
    main()
