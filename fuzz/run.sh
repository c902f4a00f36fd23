#!/usr/bin/env bash
# Runs one fuzz target for a given time: fuzz/run.sh TARGET SECONDS [libFuzzer options...]
# Needs nightly and cargo-fuzz (`cargo install cargo-fuzz`). Builds the seed corpus first when
# it is missing (fuzz/seed.sh). New inputs go to fuzz/corpus/TARGET, crashes to
# fuzz/artifacts/TARGET (both git-ignored); the run ends with libFuzzer's final stats
# (executions, executions per second, peak RSS). Exit status non-zero on a crash, hang or OOM.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh TARGET SECONDS [libFuzzer options...]}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS [libFuzzer options...]}
shift 2
if [ ! -d "fuzz/corpus/$target" ] || [ -z "$(ls -A "fuzz/corpus/$target")" ]; then
  fuzz/seed.sh "$target"
fi
# Two cores are shared with other builds.
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}
# Debug assertions on: an integer overflow is a crash, as it is in a debug build. libFuzzer
# takes the largest seed as the longest input; an input that takes 10 s is a hang, one that
# needs 2 GB is out of memory.
exec cargo +nightly fuzz run --debug-assertions "$target" "fuzz/corpus/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$@"
