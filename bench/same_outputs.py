#!/usr/bin/env python3
"""Are the outputs of two builds the same? For refactors that must not
change what reprint writes.

Builds OLD_REV (a commit, branch or tag of this repository) in a git
worktree under --work, and the current working tree, both in release mode;
runs each binary on the same inputs with the same flags, and compares
every output file byte by byte:

  scan  (with the model when ../shared has it)  on the seeds,
        examples/newsroom, ../shared/eval/stories/duc-tdt.jsonl and
        giveme5w1h.jsonl: documents, pairs, passages, stories, provenance,
        summary.json, report.html
  dedup on the same inputs: kept.jsonl, clusters.jsonl, summary.json
  align --format json on the first seed against each other seed

summary.json is compared with what depends on the clock and the machine
removed (seconds, per_second, peak_rss_bytes, threads). Prints one line per
file (same / DIFFERENT with the first differing line) and exits 1 when any
file differs or is missing on one side.

    bench/same_outputs.py OLD_REV [--shared DIR] [--work DIR] [--threads N]
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Fields of summary.json that depend on the clock or the machine.
VOLATILE = {"seconds", "per_second", "peak_rss_bytes", "threads"}


def build(source: Path, target_dir: Path) -> Path:
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir))
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "reprint"], cwd=source, env=env, check=True)
    return target_dir / "release" / "reprint"


def worktree(rev: str, path: Path) -> None:
    """A detached worktree of `rev` at `path`, replacing any earlier one
    at another commit (one at the same commit is kept: its build is too)."""
    want = subprocess.run(["git", "rev-parse", rev + "^{commit}"], cwd=REPO, capture_output=True, text=True, check=True)
    if path.exists():
        have = subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True)
        if have.returncode == 0 and have.stdout == want.stdout:
            return
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=REPO, check=False)
    subprocess.run(["git", "worktree", "prune"], cwd=REPO, check=True)
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(path), rev], cwd=REPO, check=True)


def strip_volatile(value):
    if isinstance(value, dict):
        return {k: strip_volatile(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [strip_volatile(v) for v in value]
    return value


def comparable(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name == "summary.json":
        return json.dumps(strip_volatile(json.loads(data)), indent=1, ensure_ascii=False).encode() + b"\n"
    return data


def first_difference(a: bytes, b: bytes) -> str:
    la, lb = a.split(b"\n"), b.split(b"\n")
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return f"line {i + 1}: old {x[:160]!r} new {y[:160]!r}"
    return f"old has {len(la)} lines, new {len(lb)}"


def compare_dirs(name: str, old: Path, new: Path) -> int:
    names = sorted({p.name for p in old.iterdir()} | {p.name for p in new.iterdir()})
    bad = 0
    for n in names:
        a, b = old / n, new / n
        if not a.exists() or not b.exists():
            print(f"{name}/{n}: only in {'new' if b.exists() else 'old'}")
            bad += 1
            continue
        x, y = comparable(a), comparable(b)
        if x == y:
            print(f"{name}/{n}: same ({len(x):,} bytes)")
        else:
            print(f"{name}/{n}: DIFFERENT, {first_difference(x, y)}")
            bad += 1
    return bad


def run(binary: Path, args: list, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([str(binary), *args], capture_output=True)
    (out / "exit-and-stderr.txt").write_bytes(f"exit {r.returncode}\n".encode() + r.stderr)
    if r.stdout:
        (out / "stdout").write_bytes(r.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old_rev")
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--work", default=str(REPO / "bench" / "work" / "same-outputs"))
    ap.add_argument("--threads", default="2")
    args = ap.parse_args()
    shared, work = Path(args.shared), Path(args.work)
    seeds = shared / "corpora" / "seeds"
    stories = shared / "eval" / "stories"
    if not seeds.is_dir() or not stories.is_dir():
        sys.exit(f"bench/same_outputs: {seeds} or {stories} not found (pass --shared DIR)")
    work.mkdir(parents=True, exist_ok=True)

    old_tree = work / "old-tree"
    worktree(args.old_rev, old_tree)
    binaries = {"old": build(old_tree, work / "target-old"), "new": build(REPO, REPO / "target")}

    model = shared / "models" / "potion-base-8M"
    model_args = ["--model", str(model)] if model.is_dir() else ["--no-model"]
    seed_files = sorted(p for p in seeds.iterdir() if p.suffix in (".txt", ".html", ".md") and p.stem != "README")
    inputs = {
        "seeds": [str(seeds)],
        "newsroom": [str(REPO / "examples" / "newsroom")],
        "duc-tdt": [str(stories / "duc-tdt.jsonl")],
        "giveme5w1h": [str(stories / "giveme5w1h.jsonl")],
    }
    jobs = []
    for name, paths in inputs.items():
        jobs.append((f"scan-{name}", lambda out, p=paths: ["scan", *p, "--out", str(out), "-q", "--threads", args.threads, *model_args]))
        jobs.append((f"dedup-{name}", lambda out, p=paths: ["dedup", *p, "--out", str(out), "-q", "--threads", args.threads]))
    for other in seed_files[1:]:
        jobs.append((f"align-{seed_files[0].stem}-{other.stem}", lambda out, o=other: ["align", str(seed_files[0]), str(o), "--format", "json"]))

    bad = 0
    for job, make_args in jobs:
        outs = {}
        for side, binary in binaries.items():
            out = work / side / job
            subprocess.run(["rm", "-rf", str(out)], check=True)
            run(binary, make_args(out), out)
            outs[side] = out
        bad += compare_dirs(job, outs["old"], outs["new"])
    print(f"{bad} file(s) differ" if bad else "every output file is the same")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
