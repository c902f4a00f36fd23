#!/usr/bin/env bash
# Builds the `preclear` command line with profile-guided optimisation, for back-offices that
# re-check large batches. An instrumented build checks the project's own declarations in
# fixtures/ (JSON and text reports, on one thread and on two), and the release build then uses
# what it recorded to lay out the hot code together and order its branches. A check runs
# through much code (the reader, the rules, assessment, screening, the report) rather than one
# tight loop, so the layout matters: see core/benches/README.md for what it gains.
#
# The reports are the same as a plain `cargo build --release` (.ci/run compares them); only
# the speed differs. Output: target/pgo/preclear. Needs llvm-profdata of the same LLVM as
# rustc, from rustup's llvm-tools component (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(rustc -vV | sed -n 's/^host: //p')
sysroot=$(rustc --print sysroot)
profdata="$sysroot/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
  rustup component add llvm-tools
fi

out=target/pgo
profiles="$PWD/$out/profiles"
rm -rf "$profiles"
mkdir -p "$profiles"

# `--target` keeps the instrumentation out of build scripts and procedural macros, which
# RUSTFLAGS would otherwise reach too.
echo "pgo-build.sh: instrumented build" >&2
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$profiles" \
  cargo build --release --locked --target "$host" --target-dir "$out/instrumented" -p preclear --bin preclear
instrumented="$out/instrumented/$host/release/preclear"

echo "pgo-build.sh: training on fixtures/" >&2
# On one thread and on two, so that the batch workers' code is trained too.
for jobs in 1 2; do
  for format in json text; do
    # Findings make the exit status 1: that is expected of the invalid fixtures.
    "$instrumented" check --jobs "$jobs" --format "$format" fixtures >/dev/null || test $? -eq 1
  done
done
"$profdata" merge -o "$out/merged.profdata" "$profiles"

echo "pgo-build.sh: optimised build" >&2
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$PWD/$out/merged.profdata" \
  cargo build --release --locked --target "$host" --target-dir "$out/optimised" -p preclear --bin preclear
cp "$out/optimised/$host/release/preclear" "$out/preclear"
echo "pgo-build.sh: built $out/preclear" >&2
