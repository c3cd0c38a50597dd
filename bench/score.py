#!/usr/bin/env python3
"""Score near-duplicate clusterings against TRUE Jaccard similarity (stdlib).

usage: score.py CORPUS.jsonl CLUSTERS.jsonl [CLUSTERS2.jsonl ...]
                [--threshold 0.8] [--ngram 5] [--max-df 50]

CORPUS.jsonl has one {"id", "text"} per line; each CLUSTERS file has one
{"id", "cluster", ...} per document (documents missing from it count as
singletons). Several cluster files can be scored in one call; the ground
truth (the expensive part) is computed once.

Ground truth: true Jaccard |A∩B| / |A∪B| of the word n-gram shingle sets
(tokenizer: bench/tok.py) for every pair of documents sharing at least one
shingle. Candidate pairs come from an inverted index over shingles; a
shingle found in more than --max-df documents is not used to generate
candidates (it still counts in the Jaccard of every pair). Shingles are
represented by 64-bit hashes, so the Jaccard values are exact barring a
hash collision (probability ~1e-9 for these corpus sizes).

Metrics (t = --threshold):
  recall    = |true pairs (J >= t) placed in the same cluster| / |true pairs|
  precision = 1 - |co-clustered pairs with J < t - 0.1| / |co-clustered pairs|
where the co-clustered pairs are all pairs of members of each cluster.
Co-clustered pairs with J in [t - 0.1, t) are "borderline": they are
neither rewarded nor penalised. Recall is also broken down by J bucket:
[t, t+.05), [t+.05, t+.1), [t+.1, 1), 1.0.

Output per cluster file: one JSON line, then one readable line.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections import Counter, defaultdict

import tok

EPS = 1e-9


def load_corpus(path: str, n: int) -> tuple[list[str], list[frozenset]]:
    ids: list[str] = []
    sets: list[frozenset] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            ids.append(str(d["id"]))
            sets.append(frozenset(map(hash, tok.shingles(d["text"], n))))
    return ids, sets


def truth_pairs(sets: list[frozenset], lo: float, max_df: int):
    """Exact Jaccard for all candidate pairs whose J can reach ``lo``.

    Returns (pairs, ncand): pairs maps (i, j), i < j, to J for every pair
    sharing a non-frequent shingle whose J >= lo; ncand is the number of
    candidate pairs (pairs sharing >= 1 non-frequent shingle).
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small acyclic containers: GC is pure overhead
    try:
        return _truth_pairs(sets, lo, max_df)
    finally:
        if gc_was_enabled:
            gc.enable()


def _truth_pairs(sets: list[frozenset], lo: float, max_df: int):
    seen: set = set()
    owner: dict = {}
    multi: dict = {}
    for i, s in enumerate(sets):
        dup = s & seen
        if dup:
            new = s - dup
            for h in dup:
                lst = multi.get(h)
                if lst is None:
                    multi[h] = [owner[h], i]
                else:
                    lst.append(i)
        else:
            new = s
        seen |= new
        owner.update(dict.fromkeys(new, i))
    del seen, owner

    # Shingles copied together have identical posting lists: group them.
    groups = Counter(map(tuple, multi.values()))
    del multi

    nfreq = [0] * len(sets)  # frequent shingles per document
    shared: Counter = Counter()  # (i, j) -> number of shared rare shingles
    for lst, mult in groups.items():
        if len(lst) > max_df:
            for i in lst:
                nfreq[i] += mult
            continue
        for k, a in enumerate(lst):
            for b in lst[k + 1:]:
                shared[(a, b)] += mult
    del groups

    pairs: dict = {}
    for (a, b), c in shared.items():
        na, nb = len(sets[a]), len(sets[b])
        # upper bound on the intersection: rare shared + frequent ones
        hi = c + min(nfreq[a], nfreq[b])
        if hi < lo * (na + nb - hi) - EPS:
            continue
        inter = c if hi == c else len(sets[a] & sets[b])
        j = inter / (na + nb - inter)
        if j >= lo - EPS:
            pairs[(a, b)] = j
    return pairs, len(shared)


def load_clusters(path: str, index: dict) -> tuple[list, int, int]:
    """Cluster label per document index; (labels, missing, unknown)."""
    labels: list = [None] * len(index)
    unknown = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            i = index.get(str(d["id"]))
            if i is None:
                unknown += 1
                continue
            c = d.get("cluster")
            labels[i] = None if c is None else json.dumps(c)
    missing = 0
    for i, c in enumerate(labels):
        if c is None:
            labels[i] = ("__singleton__", i)
            missing += 1
    return labels, missing, unknown


def score(labels, sets, pairs, t: float, cap: int = 2_000_000) -> dict:
    lo = t - 0.1
    members = defaultdict(list)
    for i, c in enumerate(labels):
        members[c].append(i)
    sizes = [len(m) for m in members.values()]
    co_pairs = sum(k * (k - 1) // 2 for k in sizes)

    edges = [0.0, t, t + 0.05, t + 0.1, 1.0 - EPS]  # bucket lower bounds
    names = [f"[{t:.2f},{t + .05:.2f})", f"[{t + .05:.2f},{t + .1:.2f})",
             f"[{t + .1:.2f},1.00)", "1.00"]
    tot_b = [0, 0, 0, 0]
    hit_b = [0, 0, 0, 0]
    co_good = 0  # co-clustered pairs with J >= t - 0.1 (among candidates)
    co_border = 0
    for (a, b), j in pairs.items():
        same = labels[a] == labels[b]
        if j >= t - EPS:
            k = 3 if j >= 1.0 - EPS else (
                2 if j >= edges[3] - EPS else (1 if j >= edges[2] - EPS
                                               else 0))
            tot_b[k] += 1
            if same:
                hit_b[k] += 1
                co_good += 1
        elif same:
            co_good += 1
            co_border += 1

    # Co-clustered pairs that are not candidate pairs share no rare shingle;
    # their J is almost surely < t - 0.1. Check exactly when affordable.
    bad = co_pairs - co_good
    exact_bad = True
    if 0 < bad:
        if co_pairs <= cap:
            bad = 0
            for m in members.values():
                for x, a in enumerate(m):
                    sa = sets[a]
                    for b in m[x + 1:]:
                        key = (a, b) if a < b else (b, a)
                        if key in pairs:
                            continue
                        sb = sets[b]
                        inter = len(sa & sb)
                        un = len(sa) + len(sb) - inter
                        j = inter / un if un else 1.0
                        if j < lo - EPS:
                            bad += 1
                        elif j < t - EPS:
                            co_border += 1
                        # (J >= t here would mean a missed candidate; it
                        # can only happen through frequent shingles)
        else:
            exact_bad = False

    true_pairs = sum(tot_b)
    found = sum(hit_b)
    res = {
        "docs": len(labels),
        "clusters": len(sizes),
        "multi_doc_clusters": sum(1 for k in sizes if k > 1),
        "largest_cluster": max(sizes) if sizes else 0,
        "true_pairs": true_pairs,
        "true_pairs_found": found,
        "recall": found / true_pairs if true_pairs else 1.0,
        "co_clustered_pairs": co_pairs,
        "bad_pairs": bad,
        "borderline_pairs": co_border,
        "precision": 1.0 - bad / co_pairs if co_pairs else 1.0,
        "recall_by_bucket": {
            n: {"pairs": tb, "found": hb,
                "recall": round(hb / tb, 4) if tb else None}
            for n, tb, hb in zip(names, tot_b, hit_b)},
    }
    if not exact_bad:
        res["note"] = ("more than %d co-clustered pairs: pairs sharing no "
                       "rare shingle assumed J < t - 0.1" % cap)
    return res


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("clusters", nargs="+")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--ngram", type=int, default=5)
    ap.add_argument("--max-df", type=int, default=50,
                    help="shingles in more docs than this generate no "
                         "candidates (default 50)")
    ap.add_argument("--label", action="append", default=[],
                    help="name for each clusters file (in order)")
    args = ap.parse_args()
    gc.disable()  # no reference cycles here; GC passes only cost time

    t0 = time.perf_counter()
    ids, sets = load_corpus(args.corpus, args.ngram)
    index = {d: i for i, d in enumerate(ids)}
    if len(index) != len(ids):
        print("score.py: warning: duplicate ids in corpus", file=sys.stderr)
    t1 = time.perf_counter()
    pairs, ncand = truth_pairs(sets, args.threshold - 0.1, args.max_df)
    t2 = time.perf_counter()
    print(f"score.py: {len(ids)} docs read in {t1 - t0:.1f}s; "
          f"{ncand} candidate pairs, {len(pairs)} with J >= "
          f"{args.threshold - 0.1:.2f}, in {t2 - t1:.1f}s", file=sys.stderr)

    for k, path in enumerate(args.clusters):
        labels, missing, unknown = load_clusters(path, index)
        res = score(labels, sets, pairs, args.threshold)
        label = args.label[k] if k < len(args.label) else path
        out = {"clusters_file": path, "label": label,
               "threshold": args.threshold, "ngram": args.ngram}
        out.update(res)
        out["missing_ids"] = missing
        out["unknown_ids"] = unknown
        out["candidate_pairs"] = ncand
        print(json.dumps(out))
        b = res["recall_by_bucket"]
        print(f"{label}: precision {res['precision']:.4f}  recall "
              f"{res['recall']:.4f} ({res['true_pairs_found']}/"
              f"{res['true_pairs']} pairs with J>={args.threshold})  "
              f"bad {res['bad_pairs']}/{res['co_clustered_pairs']} "
              f"co-clustered  by J: " +
              "  ".join(f"{n} {v['found']}/{v['pairs']}"
                        for n, v in b.items()) +
              (f"  [missing ids: {missing}]" if missing else "") +
              (f"  [unknown ids: {unknown}]" if unknown else ""))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
