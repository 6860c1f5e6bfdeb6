#!/usr/bin/env bash
# Where one silo's CPU goes per order: starts a Release silo on a fresh embedded PostgreSQL, runs one warm-up and one
# measured `exchange load` (20,000 orders), and prints the CPU milliseconds per order of the silo and of PostgreSQL
# (from /proc) and PostgreSQL transactions per order. Less noisy than orders/s on a shared machine. WARMUPS (default 1)
# sets the number of warm-up runs.
#   scripts/cpu-per-order.sh [http]    gateway (default) or HTTP
#   PERF=1                             also records `perf` of the silo during the measured run (perf.data here)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-gateway}
ports=1
[ -z "${PERF:-}" ] || SILO_ENV="DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 ${SILO_ENV:-}"
source scripts/benchmark-silo.sh

load() {
  "${load_command[@]}" --key "$key" "${load_target[@]}" \
    --fans 200 --books 5 --operations 20000 --concurrency 64 --prefix "$1" 2>&1 | tail -3 | tr '\n' ' '
  echo
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
postgres_ticks() { local total=0; for p in $(pgrep -u postgres); do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $total; }
commits() { runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p $pg_port -U postgres -d exchange -Atc \
  "SELECT xact_commit FROM pg_stat_database WHERE datname = 'exchange'"; }

for i in $(seq 1 "${WARMUPS:-1}"); do echo "warm-up: $(load "warmup$i")"; done
silo_pid=$(pgrep -f "Exchange.Silo.dll --urls http://127.0.0.1:$http_port" | head -1)
s0=$(cpu_ticks "$silo_pid") p0=$(postgres_ticks) x0=$(commits)
[ -z "${PERF:-}" ] || (sleep 1; perf record -p "$silo_pid" -g -F 999 -o perf.data -- sleep 4 >/dev/null 2>&1) &
echo "measured: $(load measured)"
s1=$(cpu_ticks "$silo_pid") p1=$(postgres_ticks) x1=$(commits)
ticks_per_ms=$(( $(getconf CLK_TCK) ))
awk -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v x=$((x1 - x0)) -v hz="$ticks_per_ms" 'BEGIN {
  printf "per order: silo %.3f ms CPU, PostgreSQL %.3f ms CPU, %.2f transactions\n", s * 1000 / hz / 20000, p * 1000 / hz / 20000, x / 20000 }'
