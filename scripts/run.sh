#!/usr/bin/env bash
# Builds paylinks and serves it on http://127.0.0.1:3000 with SQLite at data/paylinks.db.
# A release build, as payers would get it: the dashboard's WebAssembly optimised by wasm-opt and
# precompressed (brotli, gzip), file names hashed for long-lived caching.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/target/tools/binaryen/node_modules/.bin:$PATH"
export DATABASE_URL="${DATABASE_URL:-sqlite:data/paylinks.db}"
exec cargo leptos serve --release --split --precompress
