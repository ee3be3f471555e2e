#!/usr/bin/env bash
# Builds paylinks and serves it on http://127.0.0.1:3000 with SQLite at data/paylinks.db.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DATABASE_URL="${DATABASE_URL:-sqlite:data/paylinks.db}"
exec cargo leptos serve --split
