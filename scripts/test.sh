#!/usr/bin/env bash
# Builds everything and runs every test. Tests start their own throw-away PostgreSQL servers and Orleans clusters.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-prerequisites.sh --with-browser

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Exchange.sln -c Release 2>&1 | tee "$log" || status=$?

# One closing line over all test assemblies, whatever the runner printed per assembly.
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit $status
