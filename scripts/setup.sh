#!/usr/bin/env bash
# Installs what building paylinks needs, skipping whatever is already there:
# the wasm32 target, cargo-leptos, the wasm-bindgen CLI matching Cargo.lock, wasm-opt, and the
# test dependencies (npm packages, Debian's chromium, Schemathesis, openapi-python-client) when
# asked with --e2e.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

CARGO_LEPTOS_VERSION=0.3.10

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes, once)"
  # no_downloads: cargo-leptos must use the tools installed here, never fetch binaries itself.
  cargo install --locked "cargo-leptos@$CARGO_LEPTOS_VERSION" --features no_downloads
fi

# The CLI must equal the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wasm_bindgen_version" ]; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version"
  # Without --locked: its lock file names a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

# A release front-end build (the run command's, the benchmarks') optimises the WebAssembly with
# wasm-opt: npm's binaryen, recent enough for today's Rust output. Put on PATH by the callers.
if [ ! -x target/tools/binaryen/node_modules/.bin/wasm-opt ]; then
  say "installing binaryen (wasm-opt) from npm"
  npm install --silent --no-audit --no-fund --prefix target/tools/binaryen binaryen@132.0.0
fi

if [ "${1:-}" = "--e2e" ]; then
  # Schemathesis (PyPI) fuzzes the REST API from its OpenAPI document; kept in its own venv.
  schemathesis_version="4.32.5"
  st="target/tools/schemathesis/bin/st"
  if [ "$("$st" --version 2>/dev/null | awk '{print $3}')" != "$schemathesis_version" ]; then
    say "installing Schemathesis $schemathesis_version for the API fuzz test"
    python3 -m venv target/tools/schemathesis
    target/tools/schemathesis/bin/pip install -q "schemathesis==$schemathesis_version"
  fi
  # openapi-python-client (PyPI) generates the client that proves the OpenAPI document.
  generator_version="0.29.1"
  generator="target/tools/openapi-client/bin/openapi-python-client"
  if [ "$("$generator" --version 2>/dev/null | awk '{print $3}')" != "$generator_version" ]; then
    say "installing openapi-python-client $generator_version for the generated-client test"
    python3 -m venv target/tools/openapi-client
    target/tools/openapi-client/bin/pip install -q "openapi-python-client==$generator_version"
  fi
  if [ ! -x end2end/node_modules/.bin/playwright ]; then
    say "installing the end-to-end test packages"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
  if ! command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing Debian's chromium for the browser tests"
      apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else
      echo "chromium is missing: install Debian's chromium package (apt-get install chromium)" >&2
    fi
  fi
fi
