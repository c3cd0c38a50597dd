#!/usr/bin/env python3
"""Story-tier evaluation and speed corpus for reprint (stdlib only).

  stories.py ari LABELS.jsonl DOCUMENTS.jsonl [--markdown]
  stories.py row ARI_JSON BASELINE_JSON       (a markdown row of bench/stories accuracy)
      Adjusted Rand index of reprint's stories (DOCUMENTS.jsonl from
      `reprint scan`) against the labels ("story" field) of LABELS.jsonl,
      over all documents of LABELS (matched by id). Prints one JSON line.

  stories.py corpus --docs N --out FILE [--seed S] SOURCE_DIR... LABELLED.jsonl...
      N article-length documents (~6 KB) in real English: every article of
      the LABELLED files as it is (real stories); then generated stories,
      until 45 % of the documents are in stories: the first 40-68 sentences
      of one text file of SOURCE_DIRs (each file used once), told 2-40 times
      (2 + exponential with mean 4); each version keeps each sentence with
      probability 0.8, in order, inserts 0-4 sentences drawn from all
      sources, and is dated within 3 days of the story; then single
      documents of 40-68 sentences drawn at random from all sources. Dates
      spread over 2 years. Deterministic for a seed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from random import Random


def ari(x: list, y: list) -> float:
    def pairs(c: int) -> float:
        return c * (c - 1) / 2

    n = len(x)
    table = Counter(zip(x, y))
    a = Counter(x)
    b = Counter(y)
    index = sum(pairs(c) for c in table.values())
    sa = sum(pairs(c) for c in a.values())
    sb = sum(pairs(c) for c in b.values())
    expected = sa * sb / max(pairs(n), 1)
    top = (sa + sb) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)


def cmd_ari(labels_path: str, documents_path: str, markdown: bool = False) -> None:
    labels = {}
    with open(labels_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                labels[r["id"]] = r["story"]
    got, threads, dates = {}, {}, {}
    with open(documents_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                got[r["id"]] = r["story"]
                threads[r["id"]] = r.get("thread", r["story"])
                dates[r["id"]] = r.get("date")
    missing = [i for i in labels if i not in got]
    ids = sorted(labels)
    # A document reprint did not report counts as a story of its own.
    x = [labels[i] for i in ids]
    y = [got.get(i, f"missing:{i}") for i in ids]
    r = {
        "file": os.path.basename(labels_path),
        "documents": len(ids),
        "true_stories": len(set(x)),
        "found_stories": len(set(y)),
        "missing": len(missing),
        "ari": round(ari(x, y), 4),
        "thread_ari": round(ari(x, [threads.get(i, f"missing:{i}") for i in ids]), 4),
        "found_threads": len(set(threads.values())),
        "long_stories": long_stories(got, dates),
    }
    if markdown:
        print(f"| {r['file']} | {r['documents']} | {r['true_stories']} | {r['found_stories']} | {r['ari']:.4f} |")
    else:
        print(json.dumps(r))


def long_stories(stories: dict, dates: dict) -> str:
    """Stories with >= 3 dated documents whose dates span more than 14
    days, over all stories with >= 3 dated documents ("k/n")."""
    from datetime import date

    by = {}
    for i, s in stories.items():
        d = dates.get(i)
        if d:
            by.setdefault(s, []).append(date.fromisoformat(d[:10]).toordinal())
    dated = [v for v in by.values() if len(v) >= 3]
    return f"{sum(max(v) - min(v) > 14 for v in dated)}/{len(dated)}"


SENT = re.compile(r"(?<=[.!?])\s+")


def cmd_corpus(args: list[str]) -> None:
    docs, out, seed, paths = 40000, None, 7, []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--docs":
            docs = int(args[i + 1]); i += 2
        elif a == "--out":
            out = args[i + 1]; i += 2
        elif a == "--seed":
            seed = int(args[i + 1]); i += 2
        else:
            paths.append(a); i += 1
    if out is None:
        sys.exit("stories.py corpus: --out FILE is required")
    rng = Random(seed)
    sources: list[list[str]] = []
    labelled: list[dict] = []
    for p in paths:
        if os.path.isdir(p):
            for name in sorted(os.listdir(p)):
                if name.endswith(".txt"):
                    with open(os.path.join(p, name), encoding="utf-8", errors="replace") as f:
                        text = " ".join(f.read().split())
                    sents = [s for s in SENT.split(text) if 5 <= len(s.split()) <= 80]
                    if len(sents) >= 20:
                        sources.append(sents)
        elif os.path.isfile(p):
            with open(p, encoding="utf-8") as f:
                labelled.extend(json.loads(l) for l in f if l.strip())
        else:
            sys.exit(f"stories.py corpus: not found: {p} (the shared data must sit beside the repo)")
    if not sources:
        sys.exit("stories.py corpus: no source texts found")
    pool = [x for src in sources for x in src]
    rng.shuffle(sources)
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for r in labelled:
            f.write(json.dumps({"id": "L-" + r["id"], "title": r.get("title", ""), "date": r.get("date"),
                                "text": r["text"]}) + "\n")
            n += 1
        story = 0
        # Stories: each told by 2-40 versions of one source text (each
        # source used once), until 45 % of the documents are in them.
        while n < 0.45 * docs and story < len(sources):
            src = sources[story]
            want = rng.randint(40, 68)
            window = src[:want]
            size = min(2 + int(rng.expovariate(1 / 4)), 40)
            day = rng.randrange(730)
            for v in range(min(size, docs - n)):
                # Each version keeps most sentences in order, adds a few
                # from elsewhere (commentary), and splits into paragraphs.
                body = [x for x in window if rng.random() < 0.8]
                for _ in range(rng.randint(0, 4)):
                    body.insert(rng.randrange(len(body) + 1), rng.choice(pool))
                f.write(json.dumps({"id": f"s{story:05d}-v{v:02d}", "date": date_of(day + rng.randint(0, 3)),
                                    "text": paragraphs(body, rng)}) + "\n")
                n += 1
            story += 1
        # The rest: single documents of 40-68 sentences drawn at random.
        single = 0
        while n < docs:
            body = [rng.choice(pool) for _ in range(rng.randint(40, 68))]
            f.write(json.dumps({"id": f"x{single:06d}", "date": date_of(rng.randrange(730)),
                                "text": paragraphs(body, rng)}) + "\n")
            n += 1
            single += 1


def date_of(day: int) -> str:
    return f"{2020 + day // 365}-{(day % 365) // 31 + 1:02d}-{(day % 31) + 1:02d}"


def paragraphs(body: list[str], rng: Random) -> str:
    paras = []
    while body:
        take = rng.randint(2, 5)
        paras.append(" ".join(body[:take]))
        body = body[take:]
    return "\n\n".join(paras)


def cmd_row(ours: str, base: str) -> None:
    """One markdown row: reprint's ARI (`ari` JSON) beside the TF-IDF
    reference (story_baseline.py JSON)."""
    o, b = json.loads(ours), json.loads(base)
    print(f"| {o['file']} | {o['documents']} | {o['true_stories']} | {o['found_stories']} | {o['ari']:.4f} "
          f"| {o['found_threads']} | {o['thread_ari']:.4f} | {o['long_stories']} "
          f"| {b['ari_fixed']:.4f} | {b['ari_oracle']:.4f} (cut {b['oracle_cut']}) |")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "row":
        cmd_row(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "ari":
        cmd_ari(sys.argv[2], sys.argv[3], "--markdown" in sys.argv[4:])
    elif len(sys.argv) >= 2 and sys.argv[1] == "corpus":
        cmd_corpus(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
