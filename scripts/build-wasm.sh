#!/usr/bin/env bash
# Builds the browser bundle of kubelogic into web-demo/pkg/:
#   the wasm32 target (rustup), wasm-bindgen-cli at exactly the version of the
#   wasm-bindgen crate in Cargo.lock (cargo install, skipped when present),
#   `cargo build --profile wasm-release`, `wasm-opt -Os --converge` (Debian's
#   binaryen when installed, else the npm one), `wasm-bindgen --target web`,
#   and `wasm-opt --reorder-functions-by-name` (binaryen from web-demo's npm
#   packages, installed with `npm ci` when missing).
# Prints the .wasm size, raw and gzipped. Safe to run again: each step is
# skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }

out=web-demo/pkg
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null || echo target)"

# The wasm-bindgen CLI must match the crate exactly: the two speak a private
# protocol that changes between versions.
wb_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
if [[ -z "$wb_version" ]]; then
  wb_version="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)"
fi
[[ -n "$wb_version" ]] || { echo "cannot find the wasm-bindgen version in Cargo.lock or Cargo.toml" >&2; exit 1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# One crate installs both: wasm-bindgen and wasm-bindgen-test-runner.
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wb_version" ||
  "$(wasm-bindgen-test-runner --version 2>/dev/null || true)" != "wasm-bindgen-test-runner $wb_version" ]]; then
  say "cargo install wasm-bindgen-cli --version $wb_version (a few minutes, once)"
  cargo install --force wasm-bindgen-cli --version "$wb_version"
fi

say "cargo build -p kubelogic-wasm --target wasm32-unknown-unknown --profile wasm-release"
cargo build -q -p kubelogic-wasm --target wasm32-unknown-unknown --profile wasm-release

linked="$target_dir/wasm32-unknown-unknown/wasm-release/kubelogic_wasm.wasm"
wasm="$out/kubelogic_wasm_bg.wasm"

bindgen() {
  rm -rf "$out"
  wasm-bindgen --target web --out-dir "$out" "$1"
}

# Loads the bundle in node and calls one function: proves the .wasm works.
smoke() {
  (cd "$out" && node --input-type=module -e '
    import { readFileSync } from "node:fs";
    import { initSync, parseQuantity } from "./kubelogic_wasm.js";
    initSync({ module: readFileSync("kubelogic_wasm_bg.wasm") });
    const q = parseQuantity("1.5Gi");
    if (q.canonical !== "1536Mi") throw new Error(JSON.stringify(q));
  ') 2>&1
}

command -v node >/dev/null 2>&1 || { echo "node is required (Debian package nodejs)" >&2; exit 1; }

features=(--enable-bulk-memory --enable-sign-ext --enable-mutable-globals
  --enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types)

# binaryen from npm (web-demo/package.json pins it): the function reorder
# below needs a newer release than Debian's, and it stands in for Debian's
# wasm-opt when that is not installed.
npm_wasm_opt=web-demo/node_modules/.bin/wasm-opt
if [[ ! -x "$npm_wasm_opt" ]]; then
  say "npm ci (web-demo: binaryen)"
  (cd web-demo && npm ci --no-audit --no-fund)
fi
oz_wasm_opt="$npm_wasm_opt"
if command -v wasm-opt >/dev/null 2>&1; then
  # Debian's 108 runs in a third of the time (the two end within 0.3 KB).
  oz_wasm_opt=wasm-opt
fi

# wasm-opt runs on the linker's output, before wasm-bindgen: older
# binaryen releases (Debian's 108) mistype the externref table that
# wasm-bindgen adds, while the module before wasm-bindgen has none. Names are
# kept (-g, --keep-debug) for the reorder at the end, which strips them.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The features are those Rust's wasm32 target enables by default (1.82+).
# - -Os --converge: the size pipeline, repeated while it still shrinks the
#   module (-Os ends 0.8 KB smaller gzipped than -Oz here; --converge -2.4 KB).
# - -ocimfs 20 (--one-caller-inline-max-function-size): binaryen inlines
#   every function that has one caller, whatever its size, by default. The
#   merged bodies renumber the callee's locals and no longer repeat the other
#   copies of the same code, so gzip finds fewer matches: the module is 16 KB
#   smaller raw but 25 KB larger gzipped. The scheduler's per-node helpers
#   are #[inline(always)] in Rust, so the hot loops stay inline (Chromium:
#   0.55-0.57 ms against 0.53-0.55 ms uncapped, see web-demo/README.md).
# - --low-memory-unused: addresses below 1024 are never used (rust-lld puts
#   the 1 MiB stack first, growing down from 1 MiB to 0; without the stack
#   first, wasm-ld's data starts at 1024), so constant offsets fold into
#   loads and stores (-0.6 KB gzipped).
wasm_opt_flags=(-Os --converge -ocimfs 20 --low-memory-unused)
say "wasm-opt ${wasm_opt_flags[*]} ($("$oz_wasm_opt" --version))"
optimized=""
if "$oz_wasm_opt" "${wasm_opt_flags[@]}" -g "${features[@]}" "$linked" -o "$tmp/kubelogic_wasm.wasm"; then
  optimized="$tmp/kubelogic_wasm.wasm"
fi

bindgen() {
  rm -rf "$out"
  wasm-bindgen --target web --keep-debug --out-dir "$out" "$1"
}

# Functions sorted by name: monomorphised copies of one generic function,
# and a type's methods, end up next to each other, within gzip's 32 KB
# window of each other (-5.4 KB gzipped). --strip-debug drops the names.
reorder() {
  "$npm_wasm_opt" "$wasm" --reorder-functions-by-name --strip-debug "${features[@]}" -o "$tmp/reordered.wasm" &&
    mv "$tmp/reordered.wasm" "$wasm"
}

say "wasm-bindgen --target web --out-dir $out; wasm-opt --reorder-functions-by-name ($("$npm_wasm_opt" --version))"
if [[ -n "$optimized" ]]; then
  bindgen "$optimized"
  reorder
  if ! err="$(smoke)"; then
    printf '==> WARNING: the wasm-opt output does not load; using the unoptimized module.\n%s\n' "$err" >&2
    optimized=""
  fi
fi
if [[ -z "$optimized" ]]; then
  bindgen "$linked"
  reorder
fi
if ! err="$(smoke)"; then
  printf 'the wasm-bindgen output does not load in node:\n%s\n' "$err" >&2
  exit 1
fi

raw=$(wc -c <"$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
printf '==> %s: %d bytes (%d KiB), %d bytes gzipped (%d KiB)\n' \
  "$wasm" "$raw" $(((raw + 1023) / 1024)) "$gz" $(((gz + 1023) / 1024)) >&2
