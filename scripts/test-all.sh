#!/usr/bin/env bash
# Runs every test of kubelogic: format, lints, unit/integration/property/doc
# tests, the conformance vectors, the wasm32 build, docs, and each fuzz target
# briefly (when a nightly toolchain is present; it says so when it skips).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
shared="${KUBELOGIC_SHARED:-$(cd .. && pwd)/shared}"
export KUBELOGIC_CONFORMANCE="$shared/conformance"

step() { printf '\n==> %s\n' "$*"; }

step "setup: rustup components and the wasm32 target"
rustup component add clippy rustfmt >/dev/null 2>&1 || true
rustup target add wasm32-unknown-unknown >/dev/null

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, -D warnings)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (unit, integration, property, doc tests; benches once in test mode)"
cargo test --workspace --all-targets
cargo test --workspace --doc

step "conformance runner over the repository's vectors (tests/data/conformance)"
cargo run --release -q -p kubelogic-conformance --bin conformance

if [ -d "$KUBELOGIC_CONFORMANCE" ]; then
  step "conformance runner over the shared vectors in $KUBELOGIC_CONFORMANCE"
  cargo run --release -q -p kubelogic-conformance --bin conformance -- "$KUBELOGIC_CONFORMANCE"
else
  step "no shared vectors at $KUBELOGIC_CONFORMANCE: only the repository's copy was run"
fi

step "core builds for wasm32-unknown-unknown"
cargo build -q -p kubelogic --target wasm32-unknown-unknown

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc -q --workspace --no-deps

step "fuzz targets (briefly)"
bash scripts/fuzz-smoke.sh

step "wasm bindings and browser playground (wasm-bindgen tests under node, headless Chromium)"
bash scripts/web-test.sh
