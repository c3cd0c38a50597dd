#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 1200), two at a time (the
# machine has two cores), from binaries built once beforehand with
# `cargo +nightly fuzz build`, so that edits made meanwhile do not trigger
# rebuilds. Logs go to fuzz/logs/TARGET.log; crashes to fuzz/artifacts/.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds=${1:-1200}
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(align scan tokenizer sentence jsonl_record html_to_text date model_files)
fi
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
run() {
    local t=$1
    mkdir -p "corpus/$t" "artifacts/$t"
    "$bin/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" -max_total_time="$seconds" \
        -rss_limit_mb=4096 -max_len=65536 -timeout=60 -print_final_stats=1 > "logs/$t.log" 2>&1
    echo "$t: exit $? $(grep -E '^#[0-9]+' "logs/$t.log" | tail -1)"
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    run "${targets[i]}" &
    if ((i + 1 < ${#targets[@]})); then run "${targets[i + 1]}" & fi
    wait
done
