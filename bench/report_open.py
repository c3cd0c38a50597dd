#!/usr/bin/env python3
"""How fast a `reprint scan` report opens in headless Chromium (stdlib only).

  report_open.py OUT_DIR [--runs 3] [--chromium PATH]

OUT_DIR is a scan's output directory. Opens its report (report/index.html
for a folder report, else report.html) in headless Chromium with
--dump-dom, which returns once the page has loaded and its script has drawn
the overview. The page records when it drew its first view
(`data-shown-ms` on <html>, milliseconds after navigation start); this
prints that, the whole command's wall time (browser start included), and
the largest file of the report, for each run and as medians. Exits 1 when
the dumped page does not show the overview's story table.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = ap.parse_args()
    folder = args.out / "report" / "index.html"
    page = folder if folder.is_file() else args.out / "report.html"
    if not page.is_file():
        sys.exit(f"report_open: no report in {args.out}")
    files = [p for p in (args.out / "report").rglob("*") if p.is_file()] if folder.is_file() else [page]
    largest = max(files, key=lambda p: p.stat().st_size)
    shown, walls = [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as profile:
            started = time.monotonic()
            done = subprocess.run([args.chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                                   f"file://{page.resolve()}#/"], capture_output=True, text=True, timeout=300)
            wall = time.monotonic() - started
        if done.returncode != 0 or 'id="stories"' not in done.stdout:
            sys.exit(f"report_open: the overview did not show (exit {done.returncode}):\n{done.stderr[-2000:]}")
        m = re.search(r'data-shown-ms="(\d+)"', done.stdout)
        shown.append(int(m.group(1)) / 1000 if m else float("nan"))
        walls.append(wall)
        print(f"run {run + 1}: overview drawn at {shown[-1]:.2f} s, command {wall:.2f} s", file=sys.stderr)
    total = sum(p.stat().st_size for p in files)
    print(f"report: {page.relative_to(args.out)} ({'folder' if folder.is_file() else 'one file'}), "
          f"{len(files)} files, {total / 2**20:.1f} MiB in all, largest {largest.relative_to(args.out)} "
          f"{largest.stat().st_size / 2**20:.1f} MiB")
    print(f"overview drawn (median of {args.runs}): {statistics.median(shown):.2f} s after navigation start; "
          f"whole chromium --dump-dom command: {statistics.median(walls):.2f} s")


if __name__ == "__main__":
    main()
