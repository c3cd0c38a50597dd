#!/usr/bin/env python3
"""`reprint scan` of an older commit and of the working tree, side by side
on one input, in one run (stdlib only).

  old_vs_new.py OLD_REV CORPUS.jsonl [--new REV] [--runs 3] [--model DIR] [--work DIR]

Builds OLD_REV in a git worktree (as same_outputs.py does) and the working
tree (or, with --new, REV in a second worktree), both in release mode, then runs `reprint scan` on CORPUS alternately,
old then new, --runs times each, under /usr/bin/time -v. Prints a markdown
table with each run's wall time and peak resident memory, the medians, the
speed-up (old median / new median) and the peak memory as a multiple of the
input's size. Nothing else heavy should run meanwhile: the figures are
wall-clock times.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from same_outputs import REPO, build, worktree  # noqa: E402


def timed(binary: Path, corpus: Path, out: Path, model: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one scan."""
    cmd = ["/usr/bin/time", "-v", str(binary), "scan", str(corpus), "--out", str(out), "-q", *model]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"old_vs_new: {binary} exited {done.returncode}:\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", done.stderr).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) * 1024
    return seconds, rss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--new", default=None, help="a commit instead of the working tree")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--model", type=Path, default=REPO.parent / "shared" / "models" / "potion-base-8M")
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "work" / "old-vs-new")
    args = ap.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"old_vs_new: no corpus at {args.corpus}")
    model = ["--model", str(args.model)] if args.model.is_dir() else []
    if not model:
        print(f"old_vs_new: no model at {args.model}; lexical signals only", file=sys.stderr)
    args.work.mkdir(parents=True, exist_ok=True)
    tree = args.work / "old-tree"
    worktree(args.old, tree)
    old = build(tree, args.work / "target-old")
    if args.new:
        worktree(args.new, args.work / "new-tree")
        new = build(args.work / "new-tree", args.work / "target-new")
    else:
        new = build(REPO, REPO / "target")
    size = args.corpus.stat().st_size
    results: dict[str, list[tuple[float, int]]] = {"old": [], "new": []}
    for run in range(args.runs):
        for name, binary in (("old", old), ("new", new)):
            seconds, rss = timed(binary, args.corpus, args.work / f"out-{name}", model)
            results[name].append((seconds, rss))
            print(f"run {run + 1} {name}: {seconds:.1f} s, {rss / 2**20:.0f} MiB", file=sys.stderr)
    def short(rev: str) -> str:
        return subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, capture_output=True, text=True).stdout.strip()

    lines = sum(1 for _ in open(args.corpus, "rb"))
    print(f"input: {args.corpus.name}, {lines:,} documents, {size / 2**20:.1f} MiB; "
          f"old = {short(args.old)}, new = {short(args.new) if args.new else 'working tree'}; {os.cpu_count()} cores")
    print()
    print("| build | runs (s) | median (s) | peak RSS runs (MiB) | median peak RSS (MiB) | RSS / input |")
    print("|---|---|---:|---|---:|---:|")
    medians = {}
    for name in ("old", "new"):
        secs = [s for s, _ in results[name]]
        rss = [r for _, r in results[name]]
        medians[name] = statistics.median(secs)
        m_rss = statistics.median(rss)
        print(f"| {name} | {', '.join(f'{s:.1f}' for s in secs)} | {medians[name]:.1f} | "
              f"{', '.join(f'{r / 2**20:.0f}' for r in rss)} | {m_rss / 2**20:.0f} | {m_rss / size:.1f}x |")
    print()
    print(f"speed-up (old median / new median): {medians['old'] / medians['new']:.2f}x")


if __name__ == "__main__":
    main()
