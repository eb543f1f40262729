#!/usr/bin/env bash
# One command from a fresh machine to the playground in your browser:
# installs what is missing (the wasm32 target, wasm-bindgen-cli at the
# crate's version, node), builds the bundle, and serves web-demo/ on
# http://127.0.0.1:${PORT:-8080} (loopback only). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "==> apt-get install nodejs npm" >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get update && apt-get install -y nodejs npm
  else sudo apt-get update && sudo apt-get install -y nodejs npm; fi
fi

# The page's one runtime npm package (yaml, served from web-demo/node_modules
# through the import map in index.html); npm ci only when it is missing or
# not the locked version.
if ! (cd web-demo && npm ls --omit=dev --depth=0 >/dev/null 2>&1 && [[ -f node_modules/yaml/browser/index.js ]]); then
  (cd web-demo && npm ci --no-audit --no-fund)
fi

bash scripts/build-wasm.sh

exec node web-demo/serve.mjs --port "${PORT:-8080}" --host 127.0.0.1
