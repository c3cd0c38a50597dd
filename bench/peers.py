#!/usr/bin/env python3
"""MinHash-LSH baselines for the reprint benchmark: datasketch and rensa.

usage: peers.py datasketch|rensa CORPUS.jsonl OUT_CLUSTERS.jsonl
                [--threshold 0.8] [--num-perm 128] [--ngram 5]
                [--num-bands B] [--seed 42]

Both use the shared tokenizer (bench/tok.py) and the standard streaming
dedup idiom: documents are visited in input order; each one queries the LSH
index of the documents kept so far; if any returned candidate has an
estimated Jaccard >= threshold, the document joins the cluster of the best
such candidate; otherwise it becomes a kept representative and is inserted
into the index. Output: one {"id", "cluster"} line per document, where
"cluster" is the id of the representative.

Library settings (documented APIs):
  datasketch  MinHash(num_perm=K) + update_batch(utf-8 shingles);
              MinHashLSH(threshold=T, num_perm=K), whose band/row split is
              datasketch's own optimum (9 bands x 13 rows for 0.8/128).
  rensa       RMinHash(num_perm=K, seed=42) + update(list of str);
              RMinHashLSH(threshold=T, num_perm=K, num_bands=B). B defaults
              to rensa's own recommendation, the value its
              RMinHashDeduplicator picks for the threshold (8 bands for
              T >= 0.8; 4 for T >= 0.9; 16 for T >= 0.7; 32 for T >= 0.5),
              also used in its README benchmark (128 slots, 8 bands, 0.8).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import tok


def read_corpus(path: str):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                yield str(d["id"]), d["text"]


def rensa_default_bands(threshold: float, num_perm: int) -> int:
    # mirrors rensa 0.5 inline_dedup::default_lsh_bands / select_lsh_bands
    if threshold >= 0.9:
        b = 4
    elif threshold >= 0.8:
        b = 8
    elif threshold >= 0.7:
        b = 16
    elif threshold >= 0.5:
        b = 32
    else:
        b = max(1, num_perm // 2)
    if num_perm % b:
        b = next(x for x in range(min(b, num_perm), 0, -1)
                 if num_perm % x == 0)
    return b


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("tool", choices=["datasketch", "rensa"])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--ngram", type=int, default=5)
    ap.add_argument("--num-bands", type=int, default=None,
                    help="rensa only (default: rensa's recommendation)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    t, k, n = args.threshold, args.num_perm, args.ngram

    t0 = time.perf_counter()
    if args.tool == "datasketch":
        from datasketch import MinHash, MinHashLSH

        lsh = MinHashLSH(threshold=t, num_perm=k)
        setup = f"datasketch MinHashLSH bands={lsh.b} rows={lsh.r}"

        def sketch(sh):
            m = MinHash(num_perm=k, seed=1)
            m.update_batch([s.encode("utf-8") for s in sh])
            return m
    else:
        from rensa import RMinHash, RMinHashLSH

        bands = args.num_bands or rensa_default_bands(t, k)
        lsh = RMinHashLSH(threshold=t, num_perm=k, num_bands=bands)
        setup = f"rensa RMinHashLSH bands={bands} rows={k // bands}"

        def sketch(sh):
            m = RMinHash(num_perm=k, seed=args.seed)
            m.update(sh)
            return m

    ids: list[str] = []
    cluster: list[int] = []
    kept: dict[int, object] = {}
    for i, (doc_id, text) in enumerate(read_corpus(args.corpus)):
        ids.append(doc_id)
        m = sketch(tok.shingles(text, n))
        best, best_j = -1, -1.0
        for c in lsh.query(m):
            j = m.jaccard(kept[c])
            if j >= t and j > best_j:
                best, best_j = c, j
        if best >= 0:
            cluster.append(best)
        else:
            cluster.append(i)
            kept[i] = m
            lsh.insert(i, m)

    with open(args.out, "w", encoding="utf-8") as out:
        for doc_id, c in zip(ids, cluster):
            out.write(json.dumps({"id": doc_id, "cluster": ids[c]}) + "\n")
    print(f"peers.py: {setup}: {len(ids)} docs, {len(kept)} kept, "
          f"{time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
