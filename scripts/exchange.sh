#!/usr/bin/env bash
# The `exchange` command line (client/Exchange.Client). Reads EXCHANGE_URL and EXCHANGE_KEY from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project client/Exchange.Client -c Release --verbosity quiet -- "$@"
