#!/usr/bin/env bash
# Runs every check: formatting, clippy (server and browser builds), unit and integration tests
# on SQLite, API fuzzing, the integration tests again on Postgres, and the Playwright browser
# tests.
# With CI=true nothing may be skipped: a missing Postgres or browser fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
skipped=()
skip() {
  if [ "${CI:-}" = "true" ]; then
    echo "FAILED: $1 cannot be skipped in CI: $2" >&2
    exit 1
  fi
  echo "SKIPPED: $1 ($2)"
  skipped+=("$1: $2")
}

bash scripts/setup.sh --e2e

say "cargo fmt --check"
cargo fmt --all -- --check

say "clippy, server build"
cargo clippy --all-targets --features ssr -- -D warnings

say "clippy, browser build"
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features hydrate \
  --target-dir target/front -- -D warnings

# Redis, for the test of limits shared by two instances: the given URL, or the local server
# (started if it is installed but stopped).
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if [ -z "${TEST_REDIS_URL:-}" ]; then
  if ! redis_up && command -v redis-server >/dev/null 2>&1; then
    say "starting a local Redis server"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do redis_up && break; sleep 0.25; done
  fi
  if redis_up; then
    export TEST_REDIS_URL="redis://127.0.0.1:6379/"
  else
    skip "limits shared through Redis" "no Redis server answers at 127.0.0.1:6379"
  fi
fi

say "unit and integration tests on SQLite"
TEST_DATABASE_URL="" cargo test --features ssr

# The server binary the tests just built, fuzzed from its own OpenAPI document.
if [ -x target/tools/schemathesis/bin/st ]; then
  say "API fuzzing from the OpenAPI document (Schemathesis)"
  python3 scripts/api_fuzz.py target/tools/schemathesis/bin/st
else
  skip "API fuzzing" "Schemathesis is not installed"
fi
generator=target/tools/openapi-client/bin/openapi-python-client
if [ -x "$generator" ]; then
  say "a client generated from the OpenAPI document drives the API"
  target/tools/openapi-client/bin/python scripts/api_client_check.py "$generator"
else
  skip "generated API client" "openapi-python-client is not installed"
fi

# Postgres: the given URL, or the local server (started if it is installed but stopped).
pg_url="${TEST_POSTGRES_URL:-}"
if [ -z "$pg_url" ] && [[ "${DATABASE_URL:-}" == postgres* ]]; then pg_url="$DATABASE_URL"; fi
pg_url="${pg_url:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_ready() { psql "$pg_url" -qtAc 'SELECT 1' >/dev/null 2>&1; }
if ! pg_ready && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  say "starting the local PostgreSQL server"
  for version in /etc/postgresql/*; do
    pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start 2>/dev/null || true
  done
  for _ in $(seq 1 20); do pg_ready && break; sleep 0.5; done
fi
if command -v psql >/dev/null 2>&1 && pg_ready; then
  say "integration tests on Postgres"
  # Each test creates its own database; clear those an earlier run left behind.
  psql "$pg_url" -qtAc "SELECT datname FROM pg_database WHERE datname LIKE 'paylinks\_test\_%'" |
    while read -r db; do psql "$pg_url" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null; done
  TEST_DATABASE_URL="$pg_url" cargo test --features ssr --test app --test scale_out
  # The kill test on Postgres; the other crash tests are about SQLite's own files.
  TEST_DATABASE_URL="$pg_url" cargo test --features ssr --test crash killed_mid_work
else
  skip "Postgres integration tests" "no PostgreSQL server answers at $pg_url"
fi

# Browser tests: cargo-leptos builds the app, serves it on a spare port with a fresh SQLite
# file, runs Playwright against it and stops it.
chromium_path="${CHROMIUM_PATH:-$(command -v chromium || true)}"
if [ -n "$chromium_path" ] && [ -x end2end/node_modules/.bin/playwright ]; then
  say "browser tests (Playwright + Chromium)"
  rm -rf target/e2e && mkdir -p target/e2e
  # A free port, so a running dev server (or a stray one) never collides with the tests.
  e2e_port="${E2E_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
  e2e_addr="127.0.0.1:$e2e_port"
  CHROMIUM_PATH="$chromium_path" E2E_BASE_URL="http://$e2e_addr" \
    LEPTOS_SITE_ADDR="$e2e_addr" PUBLIC_BASE_URL="http://$e2e_addr" \
    DATABASE_URL="sqlite:target/e2e/paylinks.db" EXPORT_DIR="target/e2e/exports" RUST_LOG=warn \
    cargo leptos end-to-end --split 2>&1 | tee target/e2e/run.log
  # cargo-leptos answers 0 when the server fails to build and nothing ran: only Playwright's
  # own summary proves the browser tests passed.
  if ! grep -Eq '^ *[0-9]+ passed' target/e2e/run.log || grep -Eq '^ *[0-9]+ failed' target/e2e/run.log; then
    echo "FAILED: the browser tests did not all run and pass (target/e2e/run.log)" >&2
    exit 1
  fi
else
  skip "browser tests" "chromium or the Playwright package is missing"
fi

say "done"
if [ ${#skipped[@]} -gt 0 ]; then
  printf 'Skipped:\n'; printf '  - %s\n' "${skipped[@]}"
else
  echo "Nothing was skipped."
fi
