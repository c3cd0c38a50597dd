#!/usr/bin/env python3
"""Every real text beside the project through every command: no panic, no
internal error.

Builds one JSON Lines corpus from all the real text in ../shared (the four
labelled story files, both sides of the SemEval-2022 pairs in ten languages,
the NTREX sample in 32 languages and scripts, the PAN 2013 source and
suspicious documents, the seeds: about 20,000 documents), runs `reprint scan`
(with the model when it is there) and `reprint dedup` on it, and `reprint pan
detect` on the PAN 2013 training corpus plus a PAN-format corpus whose
sources are the Chinese and Japanese NTREX articles (each suspicious document
holds an excerpt of one), and `reprint align` on every pair of NTREX texts.
Prints one line per run: exit status, documents,
internal errors, seconds, peak memory.

    bench/robustness.py [--shared DIR] [--work DIR]

Exits 1 when a run exits non-zero with anything but skipped input (2), or
reports an internal error.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--work", default=str(REPO / "bench" / "work" / "robustness"))
    args = ap.parse_args()
    shared, work = Path(args.shared), Path(args.work)
    if not (shared / "eval" / "stories").is_dir():
        sys.exit(f"bench/robustness: {shared}/eval/stories not found (pass --shared DIR)")
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "reprint"], cwd=REPO, check=True)
    binary = REPO / "target" / "release" / "reprint"

    corpus = work / "corpus.jsonl"
    n = 0
    with open(corpus, "w", encoding="utf-8") as out:
        def put(doc_id, text, **meta):
            nonlocal n
            out.write(json.dumps({"id": doc_id, "text": text, **meta}, ensure_ascii=False) + "\n")
            n += 1

        for f in sorted((shared / "eval" / "stories").glob("*.jsonl")):
            for i, line in enumerate(open(f, encoding="utf-8")):
                r = json.loads(line)
                put(f"{f.stem}:{i}", r.get("text", ""), title=r.get("title"), date=r.get("date"))
        for i, line in enumerate(open(shared / "eval" / "semeval8" / "train.jsonl", encoding="utf-8")):
            r = json.loads(line)
            put(f"semeval8:{i}:1:{r.get('lang1')}", r.get("text1", ""))
            put(f"semeval8:{i}:2:{r.get('lang2')}", r.get("text2", ""))
        ntrex = [json.loads(l) for l in open(shared / "corpora" / "multilingual" / "ntrex-sample.jsonl", encoding="utf-8")]
        for i, r in enumerate(ntrex):
            put(f"ntrex:{i}:{r['id']}", r["text"])
        for sub in ("src", "susp"):
            for f in sorted((shared / "eval" / "pan13-train" / sub).glob("*.txt")):
                put(f"pan13:{sub}:{f.name}", f.read_text(encoding="utf-8", errors="replace"))
        for f in sorted((shared / "corpora" / "seeds").glob("*.txt")):
            put(f"seeds:{f.name}", f.read_text(encoding="utf-8"))
    size = corpus.stat().st_size
    print(f"corpus: {n:,} documents, {size / 1e6:.1f} MB ({corpus})")

    # A PAN layout whose sources are the CJK NTREX articles.
    pan = work / "pan-cjk"
    for sub in ("susp", "src"):
        (pan / sub).mkdir(parents=True, exist_ok=True)
    cjk = [r for r in ntrex if r["lang"] in ("jpn", "zho-CN", "zho-TW", "yue")]
    others = [r for r in ntrex if r["lang"] == "eng"]
    pairs = []
    for i, r in enumerate(cjk):
        text = r["text"]
        half = text[len(text) // 4: 3 * len(text) // 4]
        own = others[i % len(others)]["text"]
        (pan / "src" / f"source-document{i:05}.txt").write_text(text, encoding="utf-8")
        (pan / "susp" / f"suspicious-document{i:05}.txt").write_text(own[:800] + "\n\n" + half + "\n\n" + own[800:1600], encoding="utf-8")
        pairs.append(f"suspicious-document{i:05}.txt source-document{i:05}.txt")
    (pan / "pairs").write_text("\n".join(pairs) + "\n", encoding="utf-8")

    model = shared / "models" / "potion-base-8M"
    model_args = ["--model", str(model)] if model.is_dir() else ["--no-model"]
    runs = [
        ("scan", [str(binary), "scan", str(corpus), "--out", str(work / "scan"), "-q", *model_args], work / "scan" / "summary.json"),
        ("dedup", [str(binary), "dedup", str(corpus), "--out", str(work / "dedup"), "-q"], work / "dedup" / "summary.json"),
        ("pan detect (PAN 2013 train)", [str(binary), "pan", "detect", str(shared / "eval" / "pan13-train"), "--out", str(work / "pan13")], None),
        ("pan detect (CJK sources)", [str(binary), "pan", "detect", str(pan), "--out", str(work / "pan-cjk-out")], None),
    ]
    failed = False
    print("| run | exit | documents | internal errors | seconds | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, cmd, summary in runs:
        started = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
        seconds = time.perf_counter() - started
        err_lines = p.stderr.strip().splitlines()
        peak_kb = int(err_lines[-1]) if err_lines and err_lines[-1].isdigit() else 0
        internal = sum(1 for l in err_lines if l.startswith("reprint: internal error"))
        docs = "-"
        if summary and summary.exists():
            s = json.load(open(summary))
            docs = f"{s.get('documents', 0):,}"
            internal = max(internal, s.get("internal_errors", 0))
        print(f"| {name} | {p.returncode} | {docs} | {internal} | {seconds:.1f} | {peak_kb / 1024:.0f} MB |")
        if p.returncode not in (0, 2) or internal:
            failed = True
            sys.stderr.write(p.stderr[-3000:])

    # align on every pair of NTREX texts (13,530 processes, two at a time).
    texts = work / "ntrex"
    texts.mkdir(exist_ok=True)
    paths = []
    for i, r in enumerate(ntrex):
        path = texts / f"{i:03}.txt"
        path.write_text(r["text"], encoding="utf-8", newline="")
        paths.append(str(path))
    pairs = [(a, b) for i, a in enumerate(paths) for b in paths[i + 1:]]

    def align(pair):
        p = subprocess.run([str(binary), "align", "--format", "json", *pair], capture_output=True, text=True)
        return p.returncode, p.stderr.count("reprint: internal error")

    from concurrent.futures import ThreadPoolExecutor
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(align, pairs))
    seconds = time.perf_counter() - started
    bad = sum(1 for code, _ in results if code != 0)
    internal = sum(n for _, n in results)
    print(f"| align, every pair of NTREX texts | {bad} non-zero of {len(pairs):,} | {len(paths)} | {internal} | {seconds:.1f} | |")
    failed = failed or bad > 0 or internal > 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
