#!/usr/bin/env bash
# Builds and runs every cargo-fuzz target for a few seconds. cargo-fuzz needs
# a nightly toolchain: without one this says so and skips (exit 0).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${FUZZ_SECONDS:-10}"
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "SKIPPED fuzz: no nightly toolchain (rustup toolchain install nightly to run them)"
    exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz"
    cargo install cargo-fuzz >/dev/null 2>&1 || { echo "SKIPPED fuzz: cargo-fuzz could not be installed"; exit 0; }
fi
targets=$(cargo +nightly fuzz list)
for t in $targets; do
    echo "fuzz $t for ${secs}s"
    cargo +nightly fuzz run "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 2>&1 | tail -n 3
done
echo "fuzz: $(echo $targets | wc -w) targets ran without a crash"
