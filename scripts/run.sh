#!/usr/bin/env bash
# Runs the exchange: one local silo with its HTTP API on http://127.0.0.1:5080. Without a configured
# ConnectionStrings__Exchange it starts a private PostgreSQL whose data stays in .data/ of this repo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-prerequisites.sh
exec dotnet run --project silo/Exchange.Silo -c Release -- --Exchange:DataDirectory="$PWD/.data/postgres" "$@"
