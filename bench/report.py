#!/usr/bin/env python3
"""Build the results table for bench/run (stdlib only).

usage: report.py --mode MODE --corpus CORPUS.jsonl --scores SCORES.jsonl
                 --out RESULTS.md TOOL=TIMEFILE[,TIMEFILE...] ...

Each TIMEFILE holds the output of `/usr/bin/time -f "%e %M %U %S"`
(wall seconds, peak RSS KiB, user seconds, system seconds); a file whose
last line does not parse (e.g. the tool failed) marks the tool as failed.
SCORES.jsonl holds score.py's JSON lines, matched to tools by "label".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys


def parse_time(path: str):
    try:
        with open(path, encoding="utf-8") as fh:
            lines = [ln.split() for ln in fh if ln.strip()]
        wall, rss_kib, user, sys_ = lines[-1][:4]
        return float(wall), int(rss_kib), float(user) + float(sys_)
    except (OSError, IndexError, ValueError):
        return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--scores", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--note", action="append", default=[])
    ap.add_argument("tools", nargs="+", metavar="TOOL=TIMEFILES")
    args = ap.parse_args()

    in_bytes = os.path.getsize(args.corpus)
    in_mb = in_bytes / 1e6
    ndocs = 0
    with open(args.corpus, "rb") as fh:
        for _ in fh:
            ndocs += 1
    scores = {}
    if os.path.exists(args.scores):
        with open(args.scores, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("{"):
                    d = json.loads(line)
                    scores[d["label"]] = d

    rows = []
    for spec in args.tools:
        tool, _, files = spec.partition("=")
        runs = [parse_time(f) for f in files.split(",") if f]
        ok = [r for r in runs if r is not None]
        failed = len(ok) < len(runs) or not ok
        row = {"tool": tool, "runs": len(runs), "failed": failed}
        if ok and not failed:
            row["wall"] = statistics.median(r[0] for r in ok)
            row["rss_mb"] = statistics.median(r[1] for r in ok) * 1024 / 1e6
            row["cpu"] = statistics.median(r[2] for r in ok)
        s = scores.get(tool)
        if s and not failed:
            row["precision"] = s["precision"]
            row["recall"] = s["recall"]
        rows.append(row)

    ref = next((r for r in rows if r["tool"] == "reprint" and "wall" in r),
               None)
    any_true = next(iter(scores.values()), None)
    head = (f"**{args.mode}**: {ndocs} docs, {in_mb:.1f} MB input"
            + (f", {any_true['true_pairs']} pairs with true J >= "
               f"{any_true['threshold']} ({any_true['ngram']}-word shingles)"
               if any_true else "")
            + f"; {os.cpu_count()} CPUs")
    lines = [head, "",
             "| tool | runs | wall s (median) | user+sys CPU s | peak RSS MB "
             "| input MB per CPU-s | precision | recall | wall vs reprint |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r["failed"]:
            lines.append(f"| {r['tool']} | {r['runs']} | FAILED | | | | | | |")
            continue
        cpu = r["cpu"]
        ratio = ("1.00×" if r is ref else
                 f"{r['wall'] / ref['wall']:.2f}×" if ref and ref["wall"] > 0
                 else "n/a")
        lines.append(
            f"| {r['tool']} | {r['runs']} | {r['wall']:.2f} | {cpu:.2f} | "
            f"{r['rss_mb']:.0f} | "
            f"{(in_mb / cpu) if cpu > 0 else float('inf'):.1f} | "
            + (f"{r['precision']:.4f} | {r['recall']:.4f} |"
               if "precision" in r else "n/a | n/a |")
            + f" {ratio} |")
    for n in args.note:
        lines.append("")
        lines.append(n)
    text = "\n".join(lines) + "\n"
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(text)
    sys.stdout.write(text)
    return 1 if any(r["failed"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
