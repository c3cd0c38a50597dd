"""The TF-IDF reference of ../shared/eval/stories/README.md, recomputed.

  python story_baseline.py LABELS.jsonl [--cut 0.8] [--window-days N]

TF-IDF vectors (sublinear tf, English stop words, title + text), average
linkage on cosine distance, one fixed cut (distance 0.8); with
--window-days, no link between two dated articles further apart than that.
Prints one JSON object: the ARI at the fixed cut and at the best cut of a
grid (an oracle no real run can choose). Needs scikit-learn and scipy
(bench/stories installs them into bench/.venv).
"""
import argparse
import json
from datetime import date

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score


def day(d):
    try:
        y, m, dd = (int(x) for x in (d or "")[:10].split("-"))
        return date(y, m, dd).toordinal()
    except ValueError:
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("labels")
    ap.add_argument("--cut", type=float, default=0.8)
    ap.add_argument("--window-days", type=int)
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.labels, encoding="utf-8") if line.strip()]
    texts = [(r.get("title") or "") + "\n" + (r.get("text") or "") for r in rows]
    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    D = 1.0 - (X @ X.T).toarray()
    np.clip(D, 0.0, 1.0, out=D)
    np.fill_diagonal(D, 0.0)
    if args.window_days is not None:
        days = np.array([day(r.get("date")) or -1 for r in rows], dtype=np.int64)
        dated = days >= 0
        far = np.abs(days[:, None] - days[None, :]) > args.window_days
        D[far & dated[:, None] & dated[None, :]] = 1e6  # never links (any distance above every cut)
    Z = linkage(D[np.triu_indices(len(rows), 1)], method="average")
    labels = [r["story"] for r in rows]
    at = lambda c: adjusted_rand_score(labels, fcluster(Z, t=c, criterion="distance"))  # noqa: E731
    grid = [round(0.01 * k, 2) for k in range(5, 100)]
    best = max(grid, key=at)
    print(json.dumps({"ari_fixed": round(at(args.cut), 4), "cut": args.cut, "ari_oracle": round(at(best), 4),
                      "oracle_cut": best, "window_days": args.window_days}))


if __name__ == "__main__":
    main()
