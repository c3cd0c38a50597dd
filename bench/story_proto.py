"""Prototype of a learned story pair scorer (issue 11), leave-one-file-out.

  bench/.venv/bin/python bench/story_proto.py [--data DIR] [--model DIR]

For each labelled file: candidate pairs (each document's nearest neighbours
by tf-idf and by embedding), a feature vector per pair, then a logistic
regression trained on the other files' pairs, average linkage over its
probabilities with one cut, and the ARI. Exploration only: the features the
engine adopts are computed in Rust; this script says which are worth it.
"""
import argparse
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score

REPO = Path(__file__).resolve().parent.parent
K = 20
WORD = re.compile(r"\w+", re.UNICODE)
NAME = re.compile(r"\b([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")
NUMBER = re.compile(r"\b\d[\d,.]*\b")
QUOTE = re.compile(r"[\"“]([^\"”]{20,300})[\"”]")
SENT = re.compile(r"(?<=[.!?])\s+")


def load(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def days(d):
    if not d:
        return None
    try:
        y, m, dd = (int(x) for x in d[:10].split("-"))
        return date(y, m, dd).toordinal()
    except ValueError:
        return None


def names_of(text):
    out = set()
    for sent in SENT.split(text):
        words = sent.split()
        for m in NAME.finditer(sent):
            s = m.group(1)
            if m.start() == 0 and " " not in s:
                continue  # a sentence-initial single capitalized word
            s = s.lower()
            if s in ENGLISH_STOP_WORDS:
                continue
            out.add(s)
            for part in s.split():
                if part not in ENGLISH_STOP_WORDS and len(part) > 2:
                    out.add(part)
    return out


def numbers_of(text):
    out = set()
    for m in NUMBER.finditer(text):
        n = m.group(0).strip(".,")
        if len(n) == 4 and n[:2] in ("19", "20"):
            continue
        out.add(n)
    return out


def quotes_of(text):
    return {" ".join(WORD.findall(q.lower())) for q in QUOTE.findall(text)}


def lede(doc, chars=400):
    t = doc.get("text") or ""
    return t[:chars]


def cos_rows(a, b):
    """Row-wise cosine of two L2-normalized sparse matrices (same shape)."""
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


class Features:
    def __init__(self, docs, model):
        self.docs = docs
        n = len(docs)
        full = [((d.get("title") or "") + "\n") * 3 + (d.get("text") or "") for d in docs]
        self.vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
        self.X = self.vec.fit_transform(full)
        self.T = self.vec.transform([d.get("title") or "" for d in docs])
        self.L = self.vec.transform([lede(d) for d in docs])
        self.dates = [days(d.get("date")) for d in docs]
        self.names = [names_of((d.get("title") or "") + ". " + (d.get("text") or "")) for d in docs]
        df = Counter(x for s in self.names for x in s)
        self.name_idf = {k: math.log((1 + n) / (1 + v)) for k, v in df.items()}
        self.nums = [numbers_of((d.get("title") or "") + " " + (d.get("text") or "")) for d in docs]
        dfn = Counter(x for s in self.nums for x in s)
        self.num_idf = {k: math.log((1 + n) / (1 + v)) for k, v in dfn.items()}
        self.quotes = [quotes_of(d.get("text") or "") for d in docs]
        if model is not None:
            E = model.encode([(d.get("title") or "") + ". " + (d.get("text") or "")[:2000] for d in docs])
            E = E / np.maximum(np.linalg.norm(E, axis=1, keepdims=True), 1e-9)
            self.E = E.astype(np.float32)
            Et = model.encode([d.get("title") or lede(d, 200) for d in docs])
            self.Et = (Et / np.maximum(np.linalg.norm(Et, axis=1, keepdims=True), 1e-9)).astype(np.float32)
        else:
            self.E = None

    def candidates(self):
        n = self.X.shape[0]
        pairs = set()
        S = (self.X @ self.X.T).tocsr()
        for i in range(n):
            row = S.getrow(i)
            idx, val = row.indices, row.data
            keep = idx[np.argsort(-val)[: K + 1]]
            for j in keep:
                if j != i:
                    pairs.add((min(i, j), max(i, j)))
        if self.E is not None:
            for start in range(0, n, 2048):
                sims = self.E[start : start + 2048] @ self.E.T
                top = np.argpartition(-sims, min(K, n - 1), axis=1)[:, : K + 1]
                for r, row in enumerate(top):
                    i = start + r
                    for j in row:
                        if j != i:
                            pairs.add((min(i, int(j)), max(i, int(j))))
        return sorted(pairs)

    def ranks(self, pairs, sims):
        """Per pair: the rank of each side in the other's candidate list
        (by `sims`), best first, as (min rank, max rank), and sims relative
        to each side's best candidate."""
        n = self.X.shape[0]
        lists = defaultdict(list)
        for (i, j), v in zip(pairs, sims):
            lists[i].append((-v, j))
            lists[j].append((-v, i))
        rank = {}
        best = np.zeros(n)
        for i, l in lists.items():
            l.sort()
            best[i] = -l[0][0]
            for r, (_, j) in enumerate(l):
                rank[(i, j)] = r
        out = []
        for (i, j), v in zip(pairs, sims):
            ri, rj = rank[(i, j)], rank[(j, i)]
            rel = v / max(best[i], best[j], 1e-9)
            out.append([math.log1p(min(ri, rj)), math.log1p(max(ri, rj)), rel])
        return np.array(out)

    def features(self, pairs):
        a = np.array([p[0] for p in pairs])
        b = np.array([p[1] for p in pairs])
        lex = cos_rows(self.X[a], self.X[b])
        title = cos_rows(self.T[a], self.T[b])
        led = cos_rows(self.L[a], self.L[b])
        rows = []
        for k, (i, j) in enumerate(pairs):
            shared = self.names[i] & self.names[j]
            wi = sum(self.name_idf[x] for x in self.names[i])
            wj = sum(self.name_idf[x] for x in self.names[j])
            ws = sum(self.name_idf[x] for x in shared)
            name_share = ws / max(min(wi, wj), 1e-9) if shared else 0.0
            name_max = max((self.name_idf[x] for x in shared), default=0.0)
            sn = self.nums[i] & self.nums[j]
            num_w = sum(self.num_idf[x] for x in sn)
            only = len((self.nums[i] | self.nums[j]) - sn)
            quotes = len(self.quotes[i] & self.quotes[j])
            di, dj = self.dates[i], self.dates[j]
            if di is not None and dj is not None:
                dd = abs(di - dj)
                dated, ld, far = 1.0, math.log1p(dd), float(dd > 7)
            else:
                dated, ld, far = 0.0, 0.0, 0.0
            rows.append([name_share, name_max, num_w, min(only, 10), float(quotes > 0), dated, ld, far])
        F = np.array(rows, dtype=np.float64)
        cols = [lex, title, led]
        if self.E is not None:
            cols.append(np.einsum("ij,ij->i", self.E[a], self.E[b]))
            cols.append(np.einsum("ij,ij->i", self.Et[a], self.Et[b]))
        else:
            cols.extend([np.zeros(len(pairs)), np.zeros(len(pairs))])
        R = self.ranks(pairs, lex)
        R2 = self.ranks(pairs, cols[3]) if self.E is not None else np.zeros((len(pairs), 3))
        return np.column_stack(cols + [F, R, R2])


NAMES = ["lex", "title", "lede", "emb", "emb_title", "name_share", "name_max", "num_w", "num_only", "quote",
         "dated", "log_days", "far", "lex_rmin", "lex_rmax", "lex_rel", "emb_rmin", "emb_rmax", "emb_rel"]


def expand(F):
    """Features plus a few products (the model is linear)."""
    lex, emb, dated, ld = F[:, 0], F[:, 3], F[:, 10], F[:, 11]
    return np.column_stack([F, lex * lex, emb * emb, lex * emb, dated * ld * ld])


DATE_COLS = [10, 11, 12]


def undated(F):
    G = F.copy()
    G[:, DATE_COLS] = 0.0
    G[:, -1] = 0.0  # dated * log_days^2
    return G


def tree(n, pairs, prob):
    D = np.ones((n, n), dtype=np.float64)
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    D[a, b] = 1.0 - prob
    D[b, a] = 1.0 - prob
    np.fill_diagonal(D, 0.0)
    iu = np.triu_indices(n, 1)
    return linkage(D[iu], method="average")


def cut_tree(Z, cut):
    return fcluster(Z, t=1.0 - cut, criterion="distance")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "stories")
    ap.add_argument("--model", type=Path, default=REPO.parent / "shared" / "models" / "potion-base-8M")
    ap.add_argument("--cut", type=float, default=0.5)
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("--learner", choices=["logistic", "boosting"], default="logistic")
    args = ap.parse_args()
    model = None
    if not args.no_model:
        from model2vec import StaticModel

        model = StaticModel.from_pretrained(str(args.model))
    files = sorted(args.data.glob("*.jsonl"))
    data = {}
    for f in files:
        t0 = time.time()
        docs = load(f)
        feats = Features(docs, model)
        pairs = feats.candidates()
        F = expand(feats.features(pairs))
        labels = [d["story"] for d in docs]
        y = np.array([labels[i] == labels[j] for i, j in pairs], dtype=np.int8)
        by = defaultdict(int)
        for s in labels:
            by[s] += 1
        total = sum(c * (c - 1) // 2 for c in by.values())
        print(f"{f.stem}: {len(docs)} docs, {len(pairs)} candidates, same-story pairs found {y.sum()}/{total} "
              f"({y.sum() / max(total, 1):.3f}) in {time.time() - t0:.1f}s", file=sys.stderr)
        data[f.stem] = (docs, labels, pairs, F, y)
    print("| held out | ARI at 0.5 | cut chosen on the others | ARI there |")
    print("|---|---:|---:|---:|")
    cuts = [0.3, 0.4, 0.5, 0.6, 0.7]
    for held in data:
        train = [k for k in data if k != held]
        # Each file twice: as given, and with its dates dropped (so that
        # the model learns what an undated pair looks like).
        Xtr = np.vstack([data[k][3] for k in train] + [undated(data[k][3]) for k in train])
        ytr = np.concatenate([data[k][4] for k in train] * 2)
        mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-9
        if args.learner == "logistic":
            clf = LogisticRegression(C=1.0, max_iter=3000, class_weight=None)
        else:
            from sklearn.ensemble import HistGradientBoostingClassifier

            clf = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, max_leaf_nodes=15, random_state=0)
        clf.fit((Xtr - mu) / sd, ytr)
        # The cut: the best mean ARI over the training files (in-sample).
        score = {c: 0.0 for c in cuts}
        for k in train:
            docs, labels, pairs, F, y = data[k]
            Z = tree(len(docs), pairs, clf.predict_proba((F - mu) / sd)[:, 1])
            for c in cuts:
                score[c] += adjusted_rand_score(labels, cut_tree(Z, c)) / len(train)
        cut = max(cuts, key=lambda c: score[c])
        docs, labels, pairs, F, y = data[held]
        Z = tree(len(docs), pairs, clf.predict_proba((F - mu) / sd)[:, 1])
        at_half = adjusted_rand_score(labels, cut_tree(Z, 0.5))
        ari = adjusted_rand_score(labels, cut_tree(Z, cut))
        print(f"| {held} | {at_half:.3f} | {cut} | {ari:.3f} |", flush=True)
        found = cut_tree(Z, 0.5)
        tp = fp = fn = 0
        for i in range(len(docs)):
            for j in range(i + 1, len(docs)):
                same, got = labels[i] == labels[j], found[i] == found[j]
                tp += same and got
                fp += got and not same
                fn += same and not got
        print(f"   {held} at 0.5: pair precision {tp / max(tp + fp, 1):.3f}, recall {tp / max(tp + fn, 1):.3f}, "
              f"{len(set(found))} clusters for {len(set(labels))} stories", file=sys.stderr)
        if not hasattr(clf, "coef_"):
            continue
        coef = ", ".join(f"{n}={c:+.2f}" for n, c in zip(NAMES + ["lex2", "emb2", "lexemb", "dd2"], clf.coef_[0]))
        print(f"   weights (trained without {held}): {coef}", file=sys.stderr)


if __name__ == "__main__":
    main()
