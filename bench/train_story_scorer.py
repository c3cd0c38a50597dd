"""Trains the story tier's pair scorer and writes its weights into the engine.

  bench/.venv/bin/python bench/train_story_scorer.py [--data DIR] [--model DIR] [--write]

For every labelled file of DIR (default ../shared/eval/stories), the engine's
own candidate pairs and feature vectors (the `story_features` example of
reprint-io, the code `scan` runs) are read; a logistic regression is trained
on the pairs of the other files and tested on this one (leave one file out):
average linkage over its probabilities with the engine's cut (0.5, a
probability: no cut is fitted), and the ARI against the labels. Each file is
also put in the training set a second time with its dates dropped, so the
model knows what an undated pair looks like (and the thread score, the
model without dates, is one it was trained for).

Two weight sets are trained: one on all features (pairs whose documents
both have embeddings), one without the embedding features (no model, or a
language the model does not read). With --write, both, trained on every
file, replace crates/core/src/event/weights.rs.

Prints, per file: documents, candidate pairs, candidate recall (same-story
pairs among the candidates over all same-story pairs), and the held-out ARI
with pair precision and recall.
"""
import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score

REPO = Path(__file__).resolve().parent.parent
CUT = 0.5
# Small corpora cut from each labelled file (see mini_corpora).
MINI = 200
C = 1.0
# Feature columns (see crates/core/src/event.rs: FEATURES, SEMANTIC, DATED).
SEMANTIC = [3, 4, 16, 17, 18, 20, 21]
DATED = [10, 11, 12, 22]


def run_features(paths, model, out):
    """Runs the engine's story_features example on corpora (cached in `out`)."""
    newest = max(p.stat().st_mtime for p in paths)
    exe = REPO / "target/release/examples/story_features"
    if not out.exists() or out.stat().st_mtime < max(newest, exe.stat().st_mtime):
        with open(out, "w") as f:
            subprocess.run([str(exe), str(model) if model else "-"] + [str(p) for p in paths], stdout=f, check=True)
    corpora, cur = [], None
    with open(out) as f:
        for line in f:
            if line.startswith("#file\t"):
                cur = dict(path=line.rstrip("\n").split("\t", 1)[1], rows=[])
                corpora.append(cur)
            elif line.startswith("#embedded"):
                cur["embedded"] = np.array([x == "1" for x in line.rstrip("\n").split("\t")[1:]], dtype=bool)
            elif line.startswith("#"):
                cur["names"] = line[1:].rstrip("\n").split("\t")
            else:
                cur["rows"].append(line)
    for c in corpora:
        data = np.loadtxt(c.pop("rows"), delimiter="\t", ndmin=2) if c["rows"] else np.zeros((0, 2 + len(c["names"])))
        c["pairs"] = data[:, :2].astype(np.int64)
        c["X"] = data[:, 2:]
    return corpora


def mini_corpora(path, labels, work, count, rng):
    """Small corpora cut from one labelled file: a story (up to 8 of its
    documents) with up to 12 other documents of the file, so that the
    scorer learns what its features look like when the corpus is a folder
    of a few articles (idf and ranks over a handful of documents)."""
    import json

    lines = open(path, encoding="utf-8").read().splitlines()
    by_story = {}
    for i, s in enumerate(labels):
        by_story.setdefault(s, []).append(i)
    multi = sorted(s for s, m in by_story.items() if len(m) >= 2)
    out = []
    for k in range(count):
        s = multi[rng.integers(len(multi))]
        members = list(rng.permutation(by_story[s])[: rng.integers(2, 9)])
        others = [i for i in rng.permutation(len(lines))[:40] if labels[i] != s][: rng.integers(0, 13)]
        chosen = sorted(int(i) for i in members + others)
        f = work / f"{path.stem}.mini{k}.jsonl"
        f.write_text("".join(lines[i] + "\n" for i in chosen))
        out.append((f, [labels[i] for i in chosen]))
    return out


def labels_of(path):
    import json

    return [json.loads(line)["story"] for line in open(path, encoding="utf-8")]


def undated(X):
    G = X.copy()
    G[:, DATED] = 0.0
    return G


class Model:
    """Standardization plus logistic regression on the columns `use`."""

    def __init__(self, X, y, use):
        self.use = use
        Z = X[:, use]
        self.mean = Z.mean(0)
        self.scale = Z.std(0)
        self.scale[self.scale == 0] = 1.0
        self.clf = LogisticRegression(C=C, max_iter=5000)
        self.clf.fit((Z - self.mean) / self.scale, y)

    def proba(self, X):
        return self.clf.predict_proba((X[:, self.use] - self.mean) / self.scale)[:, 1]

    def full(self, n):
        """mean, scale, coef over all n columns (unused: 0, 1, 0)."""
        mean, scale, coef = np.zeros(n), np.ones(n), np.zeros(n)
        mean[self.use], scale[self.use], coef[self.use] = self.mean, self.scale, self.clf.coef_[0]
        return mean, scale, coef, float(self.clf.intercept_[0])


def train(files, n):
    parts = [f for k in files for f in [files[k]] + files[k]["minis"]]
    X = np.vstack([f["X"] for f in parts] + [undated(f["X"]) for f in parts])
    y = np.concatenate([f["y"] for f in parts] * 2)
    both = np.concatenate([f["both"] for f in parts] * 2)
    every = list(range(n))
    lexical_only = [k for k in every if k not in SEMANTIC]
    with_model = Model(X[both], y[both], every) if both.any() else None
    Xn = X.copy()
    Xn[:, SEMANTIC] = 0.0
    no_model = Model(Xn, y, lexical_only)
    return with_model, no_model


def predict(models, f):
    with_model, no_model = models
    X = f["X"].copy()
    p = np.empty(len(X))
    both = f["both"]
    if with_model is not None and both.any():
        p[both] = with_model.proba(X[both])
    Xn = X[~both]
    Xn[:, SEMANTIC] = 0.0
    if (~both).any():
        p[~both] = no_model.proba(Xn)
    return p


def cluster(n, pairs, p):
    """Average linkage over probabilities (a pair that is no candidate: 0),
    merging while the mean is at least CUT: the engine's rule."""
    D = np.ones((n, n), dtype=np.float64)
    D[pairs[:, 0], pairs[:, 1]] = 1.0 - p
    D[pairs[:, 1], pairs[:, 0]] = 1.0 - p
    np.fill_diagonal(D, 0.0)
    Z = linkage(D[np.triu_indices(n, 1)], method="average")
    return fcluster(Z, t=1.0 - CUT + 1e-9, criterion="distance")


def pair_scores(labels, found):
    from collections import Counter

    def same(x):
        return sum(c * (c - 1) // 2 for c in Counter(x).values())

    both = same(list(zip(labels, found)))
    t, f = same(labels), same(found)
    return both / max(f, 1), both / max(t, 1)


def f32(x):
    """The shortest decimal that reads back as the same f32."""
    t = np.format_float_scientific(np.float32(x), unique=True, exp_digits=1).replace("e+", "e")
    return t.replace(".e", ".0e")


def rust_array(v):
    return "[" + ", ".join(f32(x) for x in v) + "]"


def write_weights(models, names):
    with_model, no_model = models
    n = len(names)
    out = [
        "// Generated by bench/train_story_scorer.py --write from the labelled files of",
        "// ../shared/eval/stories/ (every file, each also with its dates dropped): do not edit.",
        f"// Features: {', '.join(names)}.",
        "use super::{Weights, N_FEATURES};",
        "",
    ]
    for name, doc, m in [
        ("WEIGHTS", "Weights for pairs whose documents both have embeddings.", with_model),
        ("WEIGHTS_NO_MODEL", "Weights for pairs where a side has no embedding (no embedding feature).", no_model),
    ]:
        mean, scale, coef, intercept = m.full(n)
        out += [
            f"/// {doc}",
            f"pub const {name}: Weights = Weights {{",
            f"    mean: {rust_array(mean)},",
            f"    scale: {rust_array(scale)},",
            f"    coef: {rust_array(coef)},",
            f"    intercept: {f32(intercept)},",
            "};",
            "",
        ]
    out.append(f"const _: () = assert!(N_FEATURES == {n});")
    path = REPO / "crates/core/src/event/weights.rs"
    path.write_text("\n".join(out) + "\n")
    subprocess.run(["rustfmt", "--edition", "2021", str(path)], check=False)
    print(f"wrote {path.relative_to(REPO)}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "stories")
    ap.add_argument("--model", type=Path, default=REPO.parent / "shared" / "models" / "potion-base-8M")
    ap.add_argument("--no-model", action="store_true", help="train and test without the embedding model")
    ap.add_argument("--write", action="store_true", help="write crates/core/src/event/weights.rs")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"train_story_scorer: labelled data not found: {args.data}")
    model = None if args.no_model else args.model
    if model is not None and not model.is_dir():
        sys.exit(f"train_story_scorer: model not found: {model} (or pass --no-model)")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "reprint-io", "--example", "story_features"],
                   cwd=REPO, check=True)
    work = REPO / "bench" / "work" / "train"
    work.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    files, names = {}, None
    tag = "model" if model else "nomodel"
    for path in sorted(args.data.glob("*.jsonl")):
        labels = labels_of(path)
        minis = mini_corpora(path, labels, work, MINI, rng)
        corpora = run_features([path] + [m for m, _ in minis], model, work / f"{path.stem}.{tag}.tsv")
        parts = []
        for c, lab in zip(corpora, [labels] + [l for _, l in minis]):
            names = c["names"]
            pairs = c["pairs"]
            y = np.array([lab[a] == lab[b] for a, b in pairs], dtype=np.int8)
            both = c["embedded"][pairs[:, 0]] & c["embedded"][pairs[:, 1]] if len(pairs) else np.zeros(0, bool)
            parts.append(dict(labels=lab, pairs=pairs, X=c["X"], y=y, both=both, n=len(lab)))
        files[path.stem] = parts[0]
        files[path.stem]["minis"] = parts[1:]
    n = len(names)
    print("| file | documents | candidate pairs | candidate recall | held-out ARI | pair precision | pair recall "
          "| small corpora: held-out mean ARI |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for held, f in files.items():
        others = {k: v for k, v in files.items() if k != held}
        models = train(others, n)
        found = cluster(f["n"], f["pairs"], predict(models, f))
        ari = adjusted_rand_score(f["labels"], found)
        precision, recall = pair_scores(f["labels"], found)
        from collections import Counter

        total = sum(c * (c - 1) // 2 for c in Counter(f["labels"]).values())
        minis = [adjusted_rand_score(m["labels"], cluster(m["n"], m["pairs"], predict(models, m)))
                 for m in f["minis"] if len(m["pairs"])]
        print(f"| {held} | {f['n']} | {len(f['pairs'])} | {f['y'].sum() / max(total, 1):.3f} | {ari:.3f} "
              f"| {precision:.3f} | {recall:.3f} | {np.mean(minis):.3f} |", flush=True)
    if args.write:
        write_weights(train(files, n), names)


if __name__ == "__main__":
    main()
