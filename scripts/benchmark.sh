#!/usr/bin/env bash
# End-to-end benchmark of one silo, as BENCHMARKS.md reports it: a Release silo on a fresh embedded PostgreSQL
# (fsync on), WARMUPS warm-up runs that are not counted (default 3: the tiered JIT goes on recompiling over the first
# ~60,000 orders after a start, and a silo runs for days), then RUNS counted runs of `exchange load`, each on fresh
# fans and books, and the median. Every run ends with the audit.
#   scripts/benchmark.sh                       Orleans client to the gateway (grains + PostgreSQL, no HTTP)
#   scripts/benchmark.sh http                  the same over HTTP
# RUNS (default 3), OPERATIONS (default 20000) and CONCURRENCY (requests in flight, default 64) change the run count,
# size and offered load; SILO_ARGS adds silo settings
# (to compare a setting's two values, say).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-gateway}
runs=${RUNS:-3}
operations=${OPERATIONS:-20000}
ports=0
source scripts/benchmark-silo.sh

load() {
  "${load_command[@]}" --key "$key" "${load_target[@]}" \
    --fans 200 --books 5 --operations "$operations" --concurrency "${CONCURRENCY:-64}" --prefix "$1" 2>&1 | tail -3 | tr '\n' ' '
}

for i in $(seq 1 "${WARMUPS:-3}"); do echo "warm-up: $(load "warmup$i")"; done
rates=()
for i in $(seq 1 "$runs"); do
  line=$(load "run$i")
  echo "run $i: $line"
  rates+=("$(grep -o '= [0-9]* ops/s' <<<"$line" | head -1 | tr -dc '0-9')")
done
printf '%s\n' "${rates[@]}" | sort -n | awk '{ a[NR] = $1 } END { print "median: " a[int((NR + 1) / 2)] " orders/s over " NR " runs" }'
