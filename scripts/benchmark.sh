#!/usr/bin/env bash
# End-to-end benchmark of one silo, as BENCHMARKS.md reports it: a Release silo on a fresh embedded PostgreSQL
# (fsync on), one warm-up run that is not counted (the tiered JIT is still recompiling), then RUNS counted runs of
# `exchange load`, each on fresh fans and books, and the median. Every run ends with the audit.
#   scripts/benchmark.sh                       Orleans client to the gateway (grains + PostgreSQL, no HTTP)
#   scripts/benchmark.sh http                  the same over HTTP
# RUNS (default 3) and OPERATIONS (default 20000) change the run count and size; SILO_ARGS adds silo settings
# (to compare a setting's two values, say).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-gateway}
runs=${RUNS:-3}
operations=${OPERATIONS:-20000}
work=$(mktemp -d /tmp/exchange-benchmark.XXXXXX)
chmod 755 "$work"   # the embedded server runs as the postgres user
port=5090

bash scripts/ensure-prerequisites.sh
dotnet build -c Release Exchange.sln --verbosity quiet >/dev/null

key="cx_$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
silo_dll=$PWD/silo/Exchange.Silo/bin/Release/net10.0/Exchange.Silo.dll
(cd "$work" && exec dotnet "$silo_dll" --urls "http://127.0.0.1:$port" --Exchange:GatewayPort=30090 --Exchange:SiloPort=11190 \
  --Exchange:DataDirectory="$work/postgres" --Exchange:EmbeddedPostgresPort=55490 --Exchange:BootstrapOperatorKey="$key" \
  --Exchange:Seed:Catalog=false --Exchange:Simulator:Enabled=false --Exchange:Api:RateLimitPermits=10000000 \
  ${SILO_ARGS:-} > "$work/silo.log" 2>&1) &
silo=$!
trap 'kill $silo 2>/dev/null; wait $silo 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 1; done

target=(--url "http://127.0.0.1:$port")
[ "$mode" = http ] || target+=(--gateway-port 30090)
load() {
  client/Exchange.Client/bin/Release/net10.0/exchange load --key "$key" "${target[@]}" \
    --fans 200 --books 5 --operations "$operations" --concurrency 64 --prefix "$1" 2>&1 | tail -3 | tr '\n' ' '
}

echo "warm-up: $(load warmup)"
rates=()
for i in $(seq 1 "$runs"); do
  line=$(load "run$i")
  echo "run $i: $line"
  rates+=("$(grep -o '= [0-9]* ops/s' <<<"$line" | head -1 | tr -dc '0-9')")
done
printf '%s\n' "${rates[@]}" | sort -n | awk '{ a[NR] = $1 } END { print "median: " a[int((NR + 1) / 2)] " orders/s over " NR " runs" }'
