#!/usr/bin/env bash
# `make bench`: builds release, installs the load tool (oha, from crates.io) and brotli (PyPI)
# when missing, then runs scripts/bench.py, which prints the table and writes
# target/bench/results.json and BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

bash scripts/setup.sh
if ! command -v oha >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/oha" ]; then
  say "installing oha, the HTTP load generator"
  cargo install oha --locked
fi
if [ ! -x target/tools/bench/bin/python ] || ! target/tools/bench/bin/python -c 'import brotli' 2>/dev/null; then
  say "installing brotli for the page-weight figures"
  python3 -m venv target/tools/bench
  target/tools/bench/bin/pip install -q brotli
fi

# setup.sh installed wasm-opt for the release front-end build.
export PATH="$PWD/target/tools/binaryen/node_modules/.bin:$PATH"

say "release build"
cargo leptos build --release --split
cargo build --release --no-default-features --features ssr --example bench_hello --example bench_leptos \
  --example bench_storage

say "benchmarks"
OHA="$(command -v oha || echo "$HOME/.cargo/bin/oha")" target/tools/bench/bin/python scripts/bench.py
